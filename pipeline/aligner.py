"""Sentence alignment with length, anchors and machine-translation bridges (numpy core).

Monotone beads of every shape up to three sentences a side (1-1, 1-2, 2-1, 2-2, 1-3, 3-1,
2-3, 3-2, 3-3, 1-0, 0-1) and one sentence against four or five (1-4, 4-1, 1-5, 5-1: a long
sentence rendered as a list, as real translations do; ``max_side=3`` leaves them out),
found by dynamic programming over three kinds of evidence:

* length: the Gale-Church model, with the document's own length ratio;
* anchors and shared surface: hashed character trigrams of both sides, after accents are
  stripped and Cyrillic is transliterated, plus tokens that survive translation
  (numbers, dates — a month name beside a day or a year, in French, English, Russian or
  German —, URLs and e-mail addresses, ``? ! « »``, capitalised names): names, numbers
  and cognates line up;
* a bridge, when a machine translation of each source sentence exists: the same
  trigram similarity between that translation and the target, a cheap stand-in for chrF;
  and, when a translation of each target sentence into the source language exists too
  (Bleualign's two directions), the similarity between the source and that translation.

Features are weighted by inverse document frequency within the pair, so shared function
words count for little and shared names and numbers for much. A span of sentences is the
sum of its sentences' vectors, so the similarity of any bead follows from pairwise dot
products computed once per band; each sentence of a multi-sentence bead must also carry
its share of that match (a caption glued to a sentence does not). Every bead's score is
computed for the whole band at once; the dynamic programme only adds and compares, and
skips any run of unaligned target lines in one pass (a run is cheaper per line than a lone
skip: captions and name lists come in runs). The search runs twice: in a wide band around
the length diagonal, then in a narrow band around every point of the first path, so cost
grows linearly with document length. Each bead's confidence weighs how much worse the
alignment gets if its boundaries move (the programme run once more on both texts reversed
gives the best score through every cell), the least share of the match any member of a
merged bead carries, and the bead's size. This module does no I/O; :mod:`pipeline.align`
reads files and writes records.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .scripts import mostly_cyrillic

VERSION = "aligner/8"
BEADS: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (3, 3), (1, 0), (0, 1))
LONG_BEADS = ((1, 4), (4, 1), (1, 5), (5, 1))  # one sentence rendered as four or five
MAX_SIDE = 5
COARSE_BEADS = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))


@dataclass(frozen=True)
class AlignParams:
    """Tuned on ../shared/data/align (coordinate search over FLORES dev fr-en and ru-en
    without MT and the Text+Berg dev document with its Google MT; bench/align_bench.py).

    ``skip``: cost of leaving one sentence unaligned; ``skip_run``: cost of each further
    target line in a run of unaligned ones (captions, a list of names: left out together,
    so absorbing one of them into a neighbour's bead saves little); ``penalties``: cost of
    each merged bead shape; ``w_*``: weights of the length, source-target, MT-target and
    source-(target MT) evidence (the last tuned on the Text+Berg translations of its target);
    ``support``/``support_floor``: penalty for a member of a merged bead whose share of
    the match is below the floor; ``idf``: exponent of the inverse-document-frequency
    weights (0 turns them off); ``max_side``: 3 keeps beads within 3-3, 4 and 5 add 1-4/4-1
    and 1-5/5-1."""

    dims: int = 2048
    w_lex: float = 1.0
    w_mt: float = 0.5
    w_mt_back: float = 0.35
    w_len: float = 0.15
    anchor_weight: float = 1.0
    date_weight: float = 0.25  # a month beside a number: at full weight, Text+Berg's many dates pull beads apart (-0.004)
    penalties: dict = field(default_factory=lambda: {(1, 1): 0.0, (1, 2): 0.12, (2, 1): 0.12, (2, 2): 0.3, (1, 3): 0.3, (3, 1): 0.3, (2, 3): 0.6, (3, 2): 0.6, (3, 3): 0.9, (1, 4): 0.75, (4, 1): 0.75, (1, 5): 1.0, (5, 1): 1.0})
    skip: float = 0.4
    skip_run: float = 0.1
    band_min: int = 24
    band_frac: float = 0.08
    band_max: int = 48  # the first pass's half-width; doubled if no path fits
    coarse_from: int = 2000  # sentences a side from which the first pass is coarse
    refine_band: int = 10
    low_confidence: float = 0.75  # beads below are flagged: ~40% of them wrong on Text+Berg, ~50% on FLORES
    support: float = 0.5
    support_floor: float = 0.3
    idf: float = 1.5
    max_side: int = 5

    def __post_init__(self) -> None:
        # spans longer than MAX_SIDE have no norms or prefixes: refuse rather than cap silently
        if not 1 <= self.max_side <= MAX_SIDE:
            raise ValueError(f"max_side must be between 1 and {MAX_SIDE}, not {self.max_side}")


@dataclass
class Bead:
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float
    quality: float = 0.0  # the bead's match beyond chance (0: what unrelated text scores)

    def vecalign(self) -> str:
        return f"[{', '.join(map(str, self.src))}]:[{', '.join(map(str, self.tgt))}]"


# -- features --------------------------------------------------------------------------------
_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", [
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
    "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia"]))
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d+)?")
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b([A-ZА-ЯЁ][\w\u0400-\u04ff]{2,})")
_MARKS = re.compile(r"[?!«»“”\"]")
_PUNCT = re.compile(r"[^\w\s]")


_TRANSLIT = str.maketrans(_CYR)
_COMBINING = re.compile(r"[\u0300-\u036f]")


def _fold(text: str) -> str:
    """Lowercase, strip accents, transliterate Cyrillic: "Макрон", "Macron" meet."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower())).translate(_TRANSLIT)


# Month names as they read after _fold (accents stripped, Cyrillic transliterated), in the
# languages Diptych reads and the German of Text+Berg: "3 mai", "May 3", "3 мая", "3. Mai" meet.
_MONTH_FORMS: dict[str, int] = {}
for _n, _forms in enumerate((
    "janvier january jan januar ianvar", "fevrier february feb februar fevral", "mars march mar marz maerz mart",
    "avril april apr aprel", "mai may", "juin june jun juni iiun", "juillet july jul juli iiul",
    "aout august aug avgust", "septembre september sep sept sentiabr", "octobre october oct oktober oktiabr",
    "novembre november nov noiabr", "decembre december dec dezember dekabr",
), 1):
    for _form in _forms.split():
        _MONTH_FORMS[_form] = _n
        if _form.isalpha() and _form[-1] not in "aeiouy" or _form in ("mai",):
            for _ending in ("ia", "e", "a"):  # Russian cases: января, январе, марта, мая, мае
                _MONTH_FORMS.setdefault(_form + _ending, _n)
_AFTER_DAY = re.compile(r"\b\d{1,2}\.?\s+([a-z]+)\b")
_BEFORE_NUMBER = re.compile(r"\b([a-z]+)\.?\s+(?=\d{1,4}\b)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"«»]+|[\w.+-]+@[\w-]+\.[\w.]+")


def _anchors(text: str, folded: str | None = None) -> list[str]:
    """``folded``: ``_fold(text)``, where the caller has it already."""
    out = []
    for m in _URL.finditer(text):
        out.append("~" + m.group(0).lower().rstrip(".,;:)]"))
    # a month next to a day or a year is a date, whatever the language
    folded = _fold(text) if folded is None else folded
    months = {m.start(1): _MONTH_FORMS.get(m.group(1)) for pattern in (_AFTER_DAY, _BEFORE_NUMBER) for m in pattern.finditer(folded)}
    out += [f"%m{month}" for _, month in sorted(months.items()) if month]
    for m in _NUMBER.finditer(text):
        num = re.sub(r"[ \u00a0\u202f]", "", m.group(0))
        num = re.sub(r"[.,](?=\d{3}\b)", "", num).replace(",", ".")
        out.append("#" + num)
    out += ["!" + ("\"" if ch in "«»“”\"" else ch) for ch in _MARKS.findall(text)]
    out += ["@" + _fold(name)[:5] for name in _NAME.findall(text)]
    return out


def vectors(sentences: Sequence[str], params: AlignParams) -> np.ndarray:
    """One hashed trigram+anchor count vector per sentence (rows of a dense matrix)."""
    dims, n = params.dims, len(sentences)
    plain = [_fold(s) for s in sentences]
    # punctuation and its spacing differ between a tokenised text and a translation
    folded = [" " + " ".join(_PUNCT.sub(" ", f).split()) + " " for f in plain]
    joined = "\x00".join(folded)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.array([len(f) for f in folded], dtype=np.int64)
    rows = np.repeat(np.arange(n), lengths + 1)[: len(codes)]
    if len(codes) >= 3:
        h = (codes[:-2] * 1_000_003 + codes[1:-1] * 10_007 + codes[2:]) % dims
        inside = (codes[:-2] != 0) & (codes[1:-1] != 0) & (codes[2:] != 0)
        flat = rows[:-2][inside] * dims + h[inside]
        counts = np.bincount(flat, minlength=n * dims).astype(np.float32)
    else:
        counts = np.zeros(n * dims, dtype=np.float32)
    mat = counts.reshape(n, dims)
    for r, sentence in enumerate(sentences):
        for a in _anchors(sentence, plain[r]):
            mat[r, zlib.crc32(a.encode("utf-8")) % dims] += params.anchor_weight * (params.date_weight if a.startswith("%m") else 1.0)
    return mat


# -- the banded dynamic programme -------------------------------------------------------------
class _Side:
    """Vectors of one side with their neighbour dot products (for norms of spans)."""

    def __init__(self, mat: np.ndarray):
        self.mat = mat
        n = len(mat)
        self.self_dot = np.einsum("ij,ij->i", mat, mat)
        # near[d][r] = row r . row r+d: the cross terms of the norm of a span
        near = [self.self_dot] + [np.concatenate([np.einsum("ij,ij->i", mat[:-d], mat[d:]), np.zeros(d, np.float32)]) if n > d else np.zeros(n, np.float32) for d in range(1, MAX_SIDE)]
        pad = np.zeros(MAX_SIDE, dtype=np.float32)
        near = [np.concatenate([x, pad]) for x in near]
        # |sum of rows start..start+k-1|^2 for every start (padded at the end)
        self.norms = {}
        for k in range(1, MAX_SIDE + 1):
            norm = sum(near[0][e : e + n + 1] for e in range(k))
            norm = norm + 2 * sum(near[d][e : e + n + 1] for d in range(1, k) for e in range(k - d))
            self.norms[k] = norm

    def span_norm2(self, start: np.ndarray | int, k: int) -> np.ndarray:
        """|sum of rows start..start+k-1|^2 (vectorized over start)."""
        return self.norms[k][start]


def _band_dots(a: np.ndarray, b: np.ndarray, wlo: np.ndarray, width: int, chunk: int = 64) -> np.ndarray:
    """P[r, o] = sum of a_r . b_c for c in [wlo[r], wlo[r] + o): prefix sums along the band.

    The band is cut into runs of ``chunk`` source rows; each run's dots with the target
    columns its rows can reach come from one matrix product (BLAS), of which the band's
    cells are kept: a few times the arithmetic of the band alone, many times faster than
    gathering rows for one dot product per cell."""
    n, m = len(a), len(b)
    dots = np.zeros((n, width + 1), dtype=np.float32)
    offsets = np.arange(width)
    for r0 in range(0, n, chunk):
        r1 = min(n, r0 + chunk)
        c0, c1 = int(wlo[r0]), min(m, int(wlo[r1 - 1]) + width)  # wlo does not decrease
        if c1 <= c0:
            continue
        block = a[r0:r1] @ b[c0:c1].T
        cols = wlo[r0:r1, None] + offsets[None, :]
        ok = cols < c1
        rr = np.broadcast_to(np.arange(r1 - r0)[:, None], cols.shape)
        dots[r0:r1, 1:][ok] = block[rr[ok], cols[ok] - c0]
    return np.cumsum(dots, axis=1)


@dataclass(frozen=True)
class _Table:
    """Best score of a path from the start to every cell of a band: score[i][j - lo[i]]."""

    lo: np.ndarray
    score: list


@dataclass(frozen=True)
class _Band:
    """The cells of one band: row i holds target prefixes J[i] = lo[i], lo[i] + 1, ..."""

    rows: np.ndarray  # source prefixes 0..n
    J: np.ndarray  # target prefix of every cell (past hi[i] outside the band)
    Jc: np.ndarray  # J clipped to m, safe to index with
    in_band: np.ndarray
    wlo: np.ndarray  # per source sentence, the first target column of its band dots
    width: int  # band dots per source sentence
    m: int


def _bead_scores(kl, band: _Band, cs, ct, ratio, var, prepared, params) -> np.ndarray:
    """The quality of bead shape (k, l) ending at every cell of the band, all rows at once
    (the dynamic programme then only adds and compares)."""
    k, l = kl
    rows, J, Jc, wlo, width, m = band.rows, band.J, band.Jc, band.wlo, band.width, band.m
    start = np.maximum(rows - k, 0)
    valid = band.in_band & (rows[:, None] >= k) & (J - l >= 0)
    ls = (cs[rows] - cs[start])[:, None]
    lt = ct[Jc] - ct[np.clip(Jc - l, 0, m)]
    delta = (lt - ratio * ls) / np.sqrt(var * (ratio * ls + lt) / 2 + 1.0)
    q = -params.w_len * 0.5 * delta**2
    row = wlo[np.maximum(rows - 1, 0)][:, None]
    o_hi = np.clip(J - row, 0, width)
    o_lo = np.clip(J - l - row, 0, width)
    for weight, pref, spans, a_side, b_side, base in prepared:
        span = spans[k]
        dot = np.take_along_axis(span, o_hi, 1) - np.take_along_axis(span, o_lo, 1)
        na = a_side.span_norm2(start, k)[:, None]
        nb = b_side.span_norm2(np.clip(J - l, 0, max(m - l, 0)), l)
        cos = dot / np.sqrt(np.maximum(na * nb, 1e-9))
        b0 = base.get((k, l), 0.0)
        q = q + weight * (cos - b0) / (1.0 - b0)
        if params.support and (k > 1 or l > 1):
            # every sentence of a bead must carry its share of the match: a short unrelated
            # line (a caption, a page number) barely lowers the cosine of the sums, but its
            # own overlap with the other side is near zero
            scale = 1.0 / np.maximum(dot, 1e-6)
            shares = []
            for d in range(k) if k > 1 else ():
                a = np.clip(rows - k + d, 0, len(pref) - 1)[:, None]
                d_a = pref[a, np.clip(J - wlo[a], 0, width)] - pref[a, np.clip(J - l - wlo[a], 0, width)]
                shares.append(d_a * na / np.maximum(a_side.self_dot[a], 1e-9) * scale)
            for d in range(l) if l > 1 else ():
                o = np.clip(J - l + d - row, 0, width - 1)
                c = np.clip(J - l + d, 0, m - 1)
                d_b = np.take_along_axis(span, o + 1, 1) - np.take_along_axis(span, o, 1)
                shares.append(d_b * nb / np.maximum(b_side.self_dot[c], 1e-9) * scale)
            q = q - weight * params.support * sum(np.maximum(params.support_floor - np.minimum(sh, 1.0), 0.0) for sh in shares)
    return np.where(valid, q, -np.inf).astype(np.float32)


def _span_prefixes(pref: np.ndarray, wlo: np.ndarray, width: int, longest: int) -> dict[int, np.ndarray]:
    """spans[k][i, o] = sum over a in [i-k, i) of the dots of a with target columns [wlo[a], wlo[i-1] + o).

    Differences along o give the dot of a whole source span with any target span, in one
    lookup instead of one per source sentence."""
    n = len(pref)
    o = np.arange(width + 1)
    spans = {}
    total = np.zeros((n + 1, width + 1), dtype=np.float32)
    ends = np.arange(1, n + 1)
    for k in range(1, longest + 1):
        a = ends - k
        ok = a >= 0
        shift = wlo[ends[ok] - 1] - wlo[a[ok]]
        idx = np.clip(o[None, :] + shift[:, None], 0, width)
        total = total.copy()
        total[ends[ok]] += pref[a[ok][:, None], idx]
        spans[k] = total
    return spans


def _baseline(a: np.ndarray, b: np.ndarray, sa: _Side, sb: _Side, rng: np.random.Generator) -> dict[tuple[int, int], float]:
    """Median cosine of unrelated spans, per bead shape: what 'no evidence' looks like here.

    Sums of more sentences share more trigrams by chance, so each shape gets its own
    baseline; without it, merged beads would look better than they are."""
    out: dict[tuple[int, int], float] = {}
    for k, l in BEADS + LONG_BEADS:
        if not k or not l or len(a) < k or len(b) < l:
            continue
        i = rng.integers(0, len(a) - k + 1, 300)
        j = rng.integers(0, len(b) - l + 1, 300)
        va = sum(a[i + d] for d in range(k))
        vb = sum(b[j + d] for d in range(l))
        cos = np.einsum("ij,ij->i", va, vb) / np.sqrt(np.maximum(sa.span_norm2(i, k) * sb.span_norm2(j, l), 1e-9))
        out[(k, l)] = float(np.clip(np.median(cos), 0.0, 0.9))
    return out


def _fold_dims(mat: np.ndarray, factor: int = 4) -> np.ndarray:
    n, d = mat.shape
    return mat.reshape(n, d // factor, factor).sum(axis=2) if d % factor == 0 else mat


def _centers_from_lengths(src_len: np.ndarray, tgt_len: np.ndarray) -> np.ndarray:
    """For each source prefix i, the target prefix with the same share of characters."""
    cs = np.concatenate([[0.0], np.cumsum(src_len)])
    ct = np.concatenate([[0.0], np.cumsum(tgt_len)])
    share = cs / max(cs[-1], 1.0)
    return np.searchsorted(ct / max(ct[-1], 1.0), share).astype(np.int64)


def _reach_of_path(path: list[tuple[int, int, int, int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """The first and last target prefix the path visits at each source prefix.

    A run of skipped target lines visits many target prefixes at one source prefix; a
    band around a single point per row would cut the run off and force the path around it."""
    first = np.full(n + 1, -1, dtype=np.int64)
    last = np.full(n + 1, -1, dtype=np.int64)
    for i0, i1, j0, j1 in path:
        for i, j in ((i0, j0), (i1, j1)):
            first[i] = j if first[i] < 0 else min(first[i], j)
            last[i] = max(last[i], j)
    last = np.maximum.accumulate(last)
    first = np.where(first < 0, last, first)  # rows inside a merged bead
    return first, last


def _dp(
    n: int,
    m: int,
    centers: np.ndarray | tuple[np.ndarray, np.ndarray],
    half: int,
    src_len: np.ndarray,
    tgt_len: np.ndarray,
    sims: list[tuple[float, np.ndarray, _Side, _Side, np.ndarray, float]],
    params: AlignParams,
    beads: tuple[tuple[int, int], ...] = BEADS,
) -> tuple[list[tuple[int, int, int, int]], list[float], "_Table"]:
    """Best monotone path through the band, the quality of each of its beads, and the best
    score of every cell. ``centers``: per source prefix, the target prefix the band is
    centred on, or the first and last ones it must cover. sims: (weight, src vectors, src side, tgt side, tgt vectors, baseline)."""
    first, last = centers if isinstance(centers, tuple) else (centers, centers)
    lo = np.clip(first - half, 0, m)
    hi = np.clip(last + half, 0, m)
    # monotone, connected, and from corner to corner
    lo = np.minimum.accumulate(lo[::-1])[::-1].copy()
    hi = np.maximum.accumulate(hi).copy()
    lo[0], hi[-1] = 0, m
    for i in range(1, n + 1):
        lo[i] = min(lo[i], hi[i - 1])

    # per source sentence a, the target window its beads may touch
    width = int((hi - lo).max()) + 2 * MAX_SIDE + 2
    wlo = np.zeros(max(n, 1), dtype=np.int64)
    for a in range(n):
        wlo[a] = max(0, lo[min(a + 1, n)] - MAX_SIDE - 1)
    cs = np.concatenate([[0.0], np.cumsum(src_len)])
    ct = np.concatenate([[0.0], np.cumsum(tgt_len)])
    ratio = ct[-1] / max(cs[-1], 1.0)
    var = 6.8 * max(ratio, 0.1)
    # every cell of the band as (source prefix i, target prefix lo[i] + o)
    cells = int((hi - lo).max()) + 1
    rows = np.arange(n + 1)
    J = lo[:, None] + np.arange(cells)[None, :]
    band = _Band(rows, J, np.minimum(J, m), J <= hi[:, None], wlo, width, m)
    prepared = []
    for weight, a_mat, a_side, b_side, b_mat, base in sims:
        pref = _band_dots(a_mat, b_mat, wlo, width)
        # the coarse pass's shapes need spans of two sentences, not five
        prepared.append((weight, pref, _span_prefixes(pref, wlo, width, max(k for k, _ in beads)), a_side, b_side, base))
    quality = {kl: _bead_scores(kl, band, cs, ct, ratio, var, prepared, params) for kl in beads if kl[0] and kl[1]}

    score = [np.full(hi[i] - lo[i] + 1, -np.inf) for i in range(n + 1)]
    back = [np.full(hi[i] - lo[i] + 1, -1, dtype=np.int8) for i in range(n + 1)]
    run_start = [np.zeros(hi[i] - lo[i] + 1, dtype=np.int32) for i in range(n + 1)]
    if lo[0] == 0:
        score[0][0] = 0.0
    for i in range(n + 1):
        size = hi[i] - lo[i] + 1
        js = J[i, :size]
        for t, (k, l) in enumerate(beads):
            if k > i:
                continue
            if k == 0:
                # a run of target sentences skipped at one source prefix costs skip for its
                # first line and skip_run for each further one: the best start j' < j of the
                # run ending at j, for every j in one pass, kept for the traceback
                steps = params.skip_run * js
                gain = score[i] + steps
                run = np.maximum.accumulate(gain)
                best_start = np.maximum.accumulate(np.where(gain >= run, np.arange(size), 0))
                cand = np.full(size, -np.inf)
                cand[1:] = run[:-1] - steps[1:] - (params.skip - params.skip_run)
                run_start[i][1:] = np.where(cand[1:] > score[i][1:], best_start[:-1], run_start[i][1:])
                better = cand > score[i]
                score[i][better] = cand[better]
                back[i][better] = t
            else:
                # the cells of row i this shape reaches from row i - k: one contiguous slice
                pi = i - k
                first, last = max(lo[i] - l, lo[pi]), min(hi[i] - l, hi[pi])
                if first > last:
                    continue
                o0, o1 = first + l - lo[i], last + l - lo[i] + 1
                cand = score[pi][first - lo[pi] : last - lo[pi] + 1]
                if l == 0:
                    cand = cand - params.skip
                else:
                    cand = cand + (k + l) / 2.0 * quality[(k, l)][i, o0:o1] - params.penalties[(k, l)]
                row, row_back = score[i][o0:o1], back[i][o0:o1]
                better = cand > row
                row[better] = cand[better]
                row_back[better] = t
    if not np.isfinite(score[n][m - lo[n]]):
        raise RuntimeError("no alignment path inside the band")
    path: list[tuple[int, int, int, int]] = []
    quals: list[float] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(back[i][j - lo[i]])
        k, l = beads[t]
        if k == 0:
            start = lo[i] + int(run_start[i][j - lo[i]])
            path += [(i, i, jj - 1, jj) for jj in range(j, start, -1)]
            quals += [0.0] * (j - start)
            j = start
            continue
        path.append((i - k, i, j - l, j))
        quals.append(float(quality[(k, l)][i, j - lo[i]]) if k and l else 0.0)
        i, j = i - k, j - l
    return path[::-1], quals[::-1], _Table(lo, score)


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    src_mt: Sequence[str] | None = None,
    params: AlignParams | None = None,
    tgt_mt: Sequence[str] | None = None,
) -> list[Bead]:
    """Align two lists of sentences; ``src_mt[i]`` translates ``src[i]`` into the target
    language, ``tgt_mt[j]`` translates ``tgt[j]`` into the source language."""
    params = params or AlignParams()
    n, m = len(src), len(tgt)
    if src_mt is not None and len(src_mt) != n:
        raise ValueError(f"the machine translation has {len(src_mt)} lines for {n} source sentences")
    if tgt_mt is not None and len(tgt_mt) != m:
        raise ValueError(f"the machine translation of the target has {len(tgt_mt)} lines for {m} target sentences")
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    src_len = np.array([max(len(s), 1) for s in src], dtype=np.float64)
    tgt_len = np.array([max(len(s), 1) for s in tgt], dtype=np.float64)
    rng = np.random.default_rng(0)
    a, b = vectors(src, params), vectors(tgt, params)
    mt = vectors(src_mt, params) if src_mt is not None else None
    back = vectors(tgt_mt, params) if tgt_mt is not None else None
    if params.idf:
        # features every other sentence has ("de ", " la") say little; rare ones (names,
        # numbers, content words) say a lot
        present = [x for x in (a, b, mt, back) if x is not None]
        df = sum((x > 0).sum(axis=0) for x in present)
        idf = (np.log((sum(len(x) for x in present) + 1) / (df + 1)) ** params.idf).astype(np.float32)
        a, b = a * idf, b * idf
        mt = None if mt is None else mt * idf
        back = None if back is None else back * idf
    sa, sb = _Side(a), _Side(b)
    sims = [(params.w_lex, a, sa, sb, b, _baseline(a, b, sa, sb, rng))]
    if mt is not None:
        smt = _Side(mt)
        sims.append((params.w_mt, mt, smt, sb, b, _baseline(mt, b, smt, sb, rng)))
    if back is not None:
        sback = _Side(back)
        sims.append((params.w_mt_back, a, sa, sback, back, _baseline(a, back, sa, sback, rng)))

    merged = tuple(kl for kl in BEADS + LONG_BEADS if kl[0] and kl[1] and max(kl) <= params.max_side)
    shapes = merged + ((1, 0), (0, 1))  # skips last: a run of skips starts from a finished row
    half = min(max(params.band_min, int(params.band_frac * max(n, m))), params.band_max)
    centers = _centers_from_lengths(src_len, tgt_len)
    # the coarse pass compares folded vectors (a quarter of the dimensions): cheaper, and
    # enough to find the neighbourhood of the path
    coarse = [(w, _fold_dims(am), _Side(_fold_dims(am)), _Side(_fold_dims(bm)), _fold_dims(bm), base) for w, am, _, _, bm, base in sims]
    while True:
        try:
            if half > params.refine_band and max(n, m) > params.coarse_from:
                # long documents: a coarse first pass (folded vectors, the common bead shapes)
                path, quals, table = _dp(n, m, centers, half, src_len, tgt_len, coarse, params, COARSE_BEADS)
                table = None  # coarse scores say nothing about the final beads
            else:
                path, quals, table = _dp(n, m, centers, half, src_len, tgt_len, sims, params, shapes)
            break
        except RuntimeError:  # the band missed the corner: widen it
            if half >= max(n, m):
                raise
            half *= 2
    if half > params.refine_band:
        centers = _reach_of_path(path, n)
        try:
            path, quals, table = _dp(n, m, centers, params.refine_band, src_len, tgt_len, sims, params, shapes)
        except RuntimeError:
            pass  # keep the first pass's path
    margins = _boundary_margins(path, table, n, m, src_len, tgt_len, sims, params, shapes)
    beads = []
    for (i0, i1, j0, j1), margin, q in zip(path, margins, quals):
        bead = Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), 0.0, round(q, 3))
        bead.confidence = _confidence(bead, margin, sims)
        beads.append(bead)
    if texts_look_unrelated(beads, src, tgt, src_mt, tgt_mt):
        # every bead is a guess between texts that are not translations of each other
        for bead in beads:
            bead.confidence = min(bead.confidence, UNRELATED_CONFIDENCE)
    return beads


# Mean match of the 1-1 beads: -0.06..-0.03 between unrelated texts (the seeds against each
# other, FLORES against other FLORES sentences), 0.13..0.28 between translations in one
# script (FLORES fr-en, Text+Berg de-fr), so at or below 0 the texts do not look parallel.
UNRELATED_BELOW = 0.0
UNRELATED_CONFIDENCE = 0.5


def texts_look_unrelated(beads: list[Bead], src, tgt, src_mt=None, tgt_mt=None, at_least: int = 5) -> bool:
    """Do the two texts look like anything but a translation of each other?

    Needs a few 1-1 beads, and a bridge or one script on both sides: without a bridge,
    Cyrillic against Latin text shares too little to tell a translation from unrelated
    text (FLORES ru-en scores as low as unrelated pairs), so there is no verdict then."""
    if src_mt is None and tgt_mt is None and mostly_cyrillic(" ".join(src[:200])) != mostly_cyrillic(" ".join(tgt[:200])):
        return False
    ones = [b.quality for b in beads if len(b.src) == 1 and len(b.tgt) == 1]
    return len(ones) >= at_least and float(np.mean(ones)) <= UNRELATED_BELOW


# -- confidence ------------------------------------------------------------------------------------
# Fitted (a logistic curve over one score) on the beads of ../shared/data/align, FLORES and
# Text+Berg weighted alike: the share of beads that are right at a given score.
CONFIDENCE_SLOPE, CONFIDENCE_BIAS = 0.85, 0.89


def _boundary_margins(path, table, n, m, src_len, tgt_len, sims, params, shapes) -> list[float]:
    """For each bead, how much worse the best alignment gets if either of its boundaries moves.

    The best score of the paths through a cell is the best score from the start to it
    plus the best score from it to the end; the second pass gives the first, the same
    programme run on both texts reversed the second. A boundary whose every alternative
    (another target position after the same source sentence, another source position
    before the same target sentence) scores almost as well is a guess, however good the
    bead itself looks."""
    if table is None or not path:
        return [0.0] * len(path)
    reversed_path = [(n - i1, n - i0, m - j1, m - j0) for i0, i1, j0, j1 in path[::-1]]
    reversed_sims = [(w, am[::-1], _Side(am[::-1]), _Side(bm[::-1]), bm[::-1], base) for w, am, _, _, bm, base in sims]
    try:
        _, _, back = _dp(n, m, _reach_of_path(reversed_path, n), params.refine_band, src_len[::-1], tgt_len[::-1], reversed_sims, params, shapes)
    except RuntimeError:
        return [0.0] * len(path)
    rows, cols, through = [], [], []
    for i in range(n + 1):
        js = table.lo[i] + np.arange(len(table.score[i]))
        ri = n - i
        k = (m - js) - back.lo[ri]
        ok = (k >= 0) & (k < len(back.score[ri]))
        value = np.full(len(js), -np.inf)
        value[ok] = table.score[i][ok] + back.score[ri][k[ok]]
        rows.append(np.full(len(js), i))
        cols.append(js)
        through.append(value)
    rows, cols, through = np.concatenate(rows), np.concatenate(cols), np.concatenate(through)
    best = float(table.score[n][m - table.lo[n]])
    on_path = {(i0, j0) for i0, _, j0, _ in path} | {(n, m)}
    others = through.copy()
    others[[p in on_path for p in zip(rows.tolist(), cols.tolist())]] = -np.inf
    row_best = np.full(n + 1, -np.inf)
    col_best = np.full(m + 1, -np.inf)
    np.maximum.at(row_best, rows, others)
    np.maximum.at(col_best, cols, others)

    def margin(i: int, j: int) -> float:
        return best - max(row_best[i], col_best[j])

    return [min(margin(i0, j0), margin(i1, j1)) for i0, i1, j0, j1 in path]


def _confidence(bead: Bead, margin: float, sims) -> float:
    """How likely the bead is right: a boundary margin, each member's share of the match,
    and the bead's size (merged beads are wrong more often than 1-1 ones; on Text+Berg the
    match of a bead says next to nothing, as the errors are merges the features favour)."""
    score = min(margin, 1.0)
    if bead.src and bead.tgt:
        score += 2.0 * _least_share(bead, sims) - (len(bead.src) + len(bead.tgt) - 2)
    else:
        score += 1.0
    return round(float(1.0 / (1.0 + np.exp(-(CONFIDENCE_SLOPE * score + CONFIDENCE_BIAS)))), 3)


def _least_share(bead: Bead, sims) -> float:
    """The smallest share of the match any member of a merged bead carries (its best over
    the kinds of evidence); 1 for a 1-1 bead."""
    if len(bead.src) == 1 and len(bead.tgt) == 1:
        return 1.0
    src, tgt = list(bead.src), list(bead.tgt)
    best = np.zeros(len(src) + len(tgt))
    for _, a_mat, _, _, b_mat, _ in sims:
        a_rows, b_rows = a_mat[src], b_mat[tgt]
        a_sum, b_sum = a_rows.sum(axis=0), b_rows.sum(axis=0)
        dot = float(a_sum @ b_sum)
        if dot <= 0:
            continue
        shares = np.concatenate([
            (a_rows @ b_sum) / dot * (a_sum @ a_sum) / np.maximum(np.einsum("ij,ij->i", a_rows, a_rows), 1e-9) if len(src) > 1 else [1.0],
            (b_rows @ a_sum) / dot * (b_sum @ b_sum) / np.maximum(np.einsum("ij,ij->i", b_rows, b_rows), 1e-9) if len(tgt) > 1 else [1.0],
        ])
        best = np.maximum(best, np.clip(shares, 0.0, 1.0))
    return float(best.min())


# -- evaluation (the definitions of vecalign's and bertalign's scoring scripts) -----------------
def parse_beads(text: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        left, sep, right = line.strip().partition(":")
        if not sep:
            raise ValueError(f"not a bead line: {line!r}")

        def ids(part: str) -> tuple[int, ...]:
            part = part.strip()
            if not (part.startswith("[") and part.endswith("]")):
                raise ValueError(f"not a bead side: {part!r}")
            inner = part[1:-1].strip()
            return tuple(int(x) for x in inner.split(",")) if inner else ()

        out.append((ids(left), ids(right)))
    return out


def _counts(gold, test) -> np.ndarray:
    """(strict hits, strict misses, lax hits, lax misses) of ``test`` beads against ``gold``."""
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    links: dict[int, set[int]] = {}
    for s, t in gold_set:
        for x in s:
            links.setdefault(x, set()).update(t)
    tp_s = fp_s = tp_l = fp_l = 0
    for s, t in {(tuple(s), tuple(t)) for s, t in test if s or t}:
        if (s, t) in gold_set:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        reachable = set().union(*(links.get(x, set()) for x in s)) if s else set()
        if reachable & set(t):
            tp_l += 1
        else:
            fp_l += 1
    return np.array([tp_s, fp_s, tp_l, fp_l])


def _extent(beads) -> tuple[int, int]:
    """Sentences a side, as far as the beads tell: one past the highest index."""
    return max((i + 1 for s, _ in beads for i in s), default=0), max((j + 1 for _, t in beads for j in t), default=0)


def score_alignments(golds: list, tests: list) -> dict[str, float]:
    """Strict and lax precision/recall/F1, micro-averaged over documents.

    Gold and prediction must reach the same last sentence on each side: beads of
    differently segmented texts would otherwise be scored as misses without a word of
    warning. (A gold file may leave out a line or two inside a gap, as Text+Berg's does.)"""
    p = np.zeros(4)
    r = np.zeros(4)
    for n, (gold, test) in enumerate(zip(golds, tests, strict=True), 1):
        (gs, gt), (ts, tt) = _extent(gold), _extent(test)
        if (gs, gt) != (ts, tt):
            raise ValueError(
                f"document {n}: the gold beads cover {gs} source and {gt} target sentences, the predicted ones "
                f"{ts} and {tt}: they do not align the same texts"
            )
        p += _counts(gold, test)
        r += _counts([b for b in test if b[0] and b[1]], [b for b in gold if b[0] and b[1]])

    def ratio(a: float, b: float) -> float:
        return a / (a + b) if a + b else 0.0

    def f1(x: float, y: float) -> float:
        return 2 * x * y / (x + y) if x + y else 0.0

    ps, pl, rs, rl = ratio(p[0], p[1]), ratio(p[2], p[3]), ratio(r[0], r[1]), ratio(r[2], r[3])
    return {"precision_strict": ps, "recall_strict": rs, "f1_strict": f1(ps, rs), "precision_lax": pl, "recall_lax": rl, "f1_lax": f1(pl, rl)}
