"""The banded dynamic programme: the best monotone path of beads, numpy only, no I/O.

A span of sentences is the sum of its sentences' vectors, so the similarity of any bead
follows from pairwise dot products computed once per band; each sentence of a
multi-sentence bead must also carry its share of that match (a caption glued to a
sentence does not). Every bead's score is computed for the whole band at once; the
programme only adds and compares, and skips any run of unaligned target lines in one
pass (a run is cheaper per line than a lone skip: captions and name lists come in runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .params import BEADS, GALE_CHURCH_VARIANCE, LONG_BEADS, MAX_SIDE, AlignParams
from .rows import BLOCK_ROWS, SentenceRows

# Unrelated spans sampled per bead shape to learn what "no evidence" scores (their median
# cosine); the sampling uses a fixed seed, so a pair always aligns the same way.
CHANCE_SAMPLES = 300
# A chance cosine above this is not chance but a document repeating itself: capped.
CHANCE_CEILING = 0.9
# Source rows per matrix product of the band's dot products: big enough for BLAS to pay,
# small enough that the columns outside the band stay few (one product per 64 rows took
# two 10k-sentence documents from 9.5 to 5.0 s, commit 3bd5439).
BAND_CHUNK = 64
# The coarse pass sums features in groups of this many: a quarter of the dimensions.
COARSE_FOLD = 4

class Side:
    """Vectors of one side with their neighbour dot products (for norms of spans)."""

    def __init__(self, mat: SentenceRows, near: list[np.ndarray] | None = None):
        """``near``: the dot products :meth:`rows` and :meth:`reversed` carry over."""
        self.mat = mat
        n = len(mat)
        if near is None:
            # near[d][r] = row r . row r+d: the cross terms of the norm of a span, a block
            # of rows at a time (with the MAX_SIDE - 1 rows after it) from the sparse rows
            near = [np.zeros(n, np.float32) for _ in range(MAX_SIDE)]
            for r0 in range(0, n, BLOCK_ROWS):
                r1 = min(n, r0 + BLOCK_ROWS)
                block = mat.dense(r0, r1 + MAX_SIDE - 1)
                for d in range(MAX_SIDE):
                    upto = min(r1, n - d)
                    if upto > r0:
                        near[d][r0:upto] = np.einsum("ij,ij->i", block[: upto - r0], block[d : upto - r0 + d])
        self.near = near
        self.self_dot = near[0]
        pad = np.zeros(MAX_SIDE, dtype=np.float32)
        padded = [np.concatenate([x, pad]) for x in near]
        # |sum of rows start..start+k-1|^2 for every start (padded at the end)
        self.norms = {}
        for k in range(1, MAX_SIDE + 1):
            norm = sum(padded[0][e : e + n + 1] for e in range(k))
            norm = norm + 2 * sum(padded[d][e : e + n + 1] for d in range(1, k) for e in range(k - d))
            self.norms[k] = norm

    def rows(self, start: int, stop: int) -> "Side":
        """The side of rows start..stop-1 (a piece of the document), from this side's dot
        products rather than computed again: the same numbers, each a dot of the same two
        rows (a row's dots with rows past the piece are left out, as they would be)."""
        mat = self.mat.rows(start, stop)
        near = []
        for d, x in enumerate(self.near):
            piece = x[start:stop].copy()
            piece[max(stop - start - d, 0):] = 0.0
            near.append(piece)
        return Side(mat, near=near)

    def reversed(self) -> "Side":
        """The side of the rows last first (the confidence's backward pass), from this
        side's dot products: row r read backwards meets row r + d where row r meets row r - d."""
        mat = self.mat.reversed()
        n = len(mat)
        near = []
        for d, x in enumerate(self.near):
            back = np.zeros(n, dtype=np.float32)
            if n > d:
                back[: n - d] = x[: n - d][::-1]
            near.append(back)
        return Side(mat, near=near)

    def span_norm2(self, start: np.ndarray | int, k: int) -> np.ndarray:
        """|sum of rows start..start+k-1|^2 (vectorized over start)."""
        return self.norms[k][start]


class KeptCounts:
    """Rows of kept and held tokens (:mod:`.verbatim`) with how many kept tokens each row
    has: what a bead's rows must keep, where a cosine's side has its span norms."""

    def __init__(self, mat: SentenceRows, counted: tuple[int, int] | None = None, counts: np.ndarray | None = None):
        """``counted``: the columns of the kept tokens; ``counts``: the counts themselves,
        as :meth:`rows` and :meth:`reversed` carry them over."""
        self.mat = mat
        if counts is None:
            kept = (mat.indices >= counted[0]) & (mat.indices < counted[1])
            counts = np.bincount(mat.row_of[kept], minlength=len(mat))
        self.counts = counts
        self._prefix = np.concatenate([[0.0], np.cumsum(counts, dtype=np.float64)])

    def between(self, start: np.ndarray | int, stop: np.ndarray | int) -> np.ndarray | float:
        """The kept tokens of rows start..stop-1 (vectorized)."""
        return self._prefix[stop] - self._prefix[start]

    def rows(self, start: int, stop: int) -> "KeptCounts":
        return KeptCounts(self.mat.rows(start, stop), counts=self.counts[start:stop])

    def reversed(self) -> "KeptCounts":
        return KeptCounts(self.mat.reversed(), counts=self.counts[::-1].copy())



def band_dots(a: SentenceRows, b: SentenceRows, wlo: np.ndarray, width: int, chunk: int = BAND_CHUNK) -> np.ndarray:
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
        block = a.dense(r0, r1) @ b.dense(c0, c1).T
        cols = wlo[r0:r1, None] + offsets[None, :]
        ok = cols < c1
        rr = np.broadcast_to(np.arange(r1 - r0)[:, None], cols.shape)
        dots[r0:r1, 1:][ok] = block[rr[ok], cols[ok] - c0]
    return np.cumsum(dots, axis=1)



def band_dots_sparse(a: SentenceRows, b: SentenceRows, wlo: np.ndarray, width: int) -> np.ndarray:
    """:func:`band_dots` for rows with few entries (kept tokens): each entry of ``a`` met
    with the entries of ``b`` in its column, those inside the band kept, instead of dense
    products that would be almost all zeros."""
    n = len(a)
    dots = np.zeros(n * (width + 1), dtype=np.float32)
    order = np.argsort(b.indices, kind="stable")
    b_cols, b_rows, b_vals = b.indices[order], b.row_of[order], b.data[order]
    first = np.searchsorted(b_cols, a.indices, side="left")
    count = np.searchsorted(b_cols, a.indices, side="right") - first
    if count.sum():
        entry = np.repeat(np.arange(len(a.indices)), count)
        at = np.repeat(first - np.concatenate([[0], np.cumsum(count)[:-1]]), count) + np.arange(count.sum())
        r, c = a.row_of[entry], b_rows[at]
        o = c - wlo[r]
        inside = (o >= 0) & (o < width)
        flat = r[inside] * (width + 1) + o[inside] + 1
        dots = np.bincount(flat, weights=a.data[entry[inside]] * b_vals[at[inside]], minlength=dots.size).astype(np.float32)
    return np.cumsum(dots.reshape(n, width + 1), axis=1)


@dataclass(frozen=True)
class Table:
    """Best score of a path from the start to every cell of a band: score[i][j - lo[i]]."""

    lo: np.ndarray
    score: list


@dataclass(frozen=True)
class Band:
    """The cells of one band: row i holds target prefixes J[i] = lo[i], lo[i] + 1, ..."""

    rows: np.ndarray  # source prefixes 0..n
    J: np.ndarray  # target prefix of every cell (past hi[i] outside the band)
    Jc: np.ndarray  # J clipped to m, safe to index with
    in_band: np.ndarray
    wlo: np.ndarray  # per source sentence, the first target column of its band dots
    width: int  # band dots per source sentence
    m: int


class Evidence(NamedTuple):
    """One kind of evidence: the vectors of both sides compared, its weight, and what
    unrelated spans of each bead shape score with it (the baseline)."""

    weight: float
    src: SentenceRows
    src_side: "Side"
    tgt_side: "Side"
    tgt: SentenceRows
    baseline: dict
    # learned from a first path (the lexicon): it steers the search but is left out of the
    # beads' quality, which must say what unrelated text scores (0) whatever was learned
    # from it (a lexicon learned from two unrelated texts fits its own chance pairs)
    learned: bool = False
    # not a cosine: the tokens either side must keep (numbers, words in the other's
    # script) that the other side lacks, the rows laid out as kept_columns says (.verbatim)
    miss: bool = False

    def over(self, src: SentenceRows, tgt: SentenceRows, rng: np.random.Generator | None = None) -> "Evidence":
        """The same kind of cosine evidence over other vectors of the two texts (folded),
        its baseline kept; or sampled afresh from ``rng`` where the rows are spans of
        another kind (passages). Kept tokens have no such vectors: the coarse and the
        passages' passes leave them out."""
        src_side, tgt_side = Side(src), Side(tgt)
        baseline = self.baseline if rng is None else chance_baseline(src, tgt, src_side, tgt_side, rng)
        return Evidence(self.weight, src, src_side, tgt_side, tgt, baseline, self.learned, self.miss)

    def rows(self, i0: int, i1: int, j0: int, j1: int) -> "Evidence":
        """The same evidence over source rows i0..i1-1 and target rows j0..j1-1, its
        sides sliced rather than computed again (a tenth of a long document's time)."""
        src_side, tgt_side = self.src_side.rows(i0, i1), self.tgt_side.rows(j0, j1)
        return Evidence(self.weight, src_side.mat, src_side, tgt_side, tgt_side.mat, self.baseline, self.learned, self.miss)

    def reversed(self) -> "Evidence":
        """The same evidence over both texts read backwards, its sides' dot products reused."""
        src_side, tgt_side = self.src_side.reversed(), self.tgt_side.reversed()
        return Evidence(self.weight, src_side.mat, src_side, tgt_side, tgt_side.mat, self.baseline, self.learned, self.miss)


class BandEvidence(NamedTuple):
    """Evidence prepared for one band: its dot products as prefix sums along the band."""

    weight: float
    prefix: np.ndarray
    spans: dict
    src_side: "Side"
    tgt_side: "Side"
    baseline: dict
    learned: bool = False
    hub_src: np.ndarray | None = None  # prefix sums of each source sentence's excess chance cosine
    hub_tgt: np.ndarray | None = None
    miss: bool = False


def _excess_chance(x: SentenceRows, x_self: np.ndarray, y: SentenceRows, y_self: np.ndarray) -> np.ndarray:
    """Per row of x, its mean cosine with the rows of y (x's row . the centroid of y's unit
    rows), less the mean of that over x: a sentence that resembles every sentence of the
    other text (a hub: common words, a number that recurs) scores high with all of them."""
    inv_y = 1.0 / np.sqrt(np.maximum(y_self, 1e-12))
    centroid = np.bincount(y.indices, weights=y.data * inv_y[y.row_of], minlength=y.dims) / max(len(y), 1)
    dots = np.bincount(x.row_of, weights=x.data * centroid[x.indices], minlength=len(x))
    cos = dots / np.sqrt(np.maximum(x_self, 1e-12))
    return np.concatenate([[0.0], np.cumsum(cos - cos.mean())]) if len(cos) else np.zeros(1)


class LengthModel(NamedTuple):
    """Cumulative character counts of both sides and the Gale-Church ratio and variance."""

    cs: np.ndarray
    ct: np.ndarray
    ratio: float
    var: float

    @classmethod
    def of(cls, src_len: np.ndarray, tgt_len: np.ndarray) -> "LengthModel":
        cs = np.concatenate([[0.0], np.cumsum(src_len)])
        ct = np.concatenate([[0.0], np.cumsum(tgt_len)])
        ratio = ct[-1] / max(cs[-1], 1.0)
        return cls(cs, ct, ratio, GALE_CHURCH_VARIANCE * max(ratio, 0.1))


def bead_scores(kl, band: Band, lengths: LengthModel, prepared: list[BandEvidence], params: AlignParams) -> tuple[np.ndarray, np.ndarray]:
    """The score of bead shape (k, l) ending at every cell of the band, all rows at once
    (the dynamic programme then only adds and compares), and its quality: the same without
    the evidence learned from a first path (the same array where there is none)."""
    k, l = kl
    rows, J, Jc, wlo, width, m = band.rows, band.J, band.Jc, band.wlo, band.width, band.m
    cs, ct, ratio, var = lengths
    start = np.maximum(rows - k, 0)
    valid = band.in_band & (rows[:, None] >= k) & (J - l >= 0)
    ls = (cs[rows] - cs[start])[:, None]
    lt = ct[Jc] - ct[np.clip(Jc - l, 0, m)]
    delta = (lt - ratio * ls) / np.sqrt(var * (ratio * ls + lt) / 2 + 1.0)
    q = -params.w_len * 0.5 * delta**2
    plain = None  # q without the learned evidence, from the first learned one on
    row = wlo[np.maximum(rows - 1, 0)][:, None]
    o_hi = np.clip(J - row, 0, width)
    o_lo = np.clip(J - l - row, 0, width)
    # gathers along each row as flat takes (one index array each, not numpy's broadcast
    # pair of take_along_axis or of [rows, cols] indexing)
    row_start = rows[:, None] * (width + 1)
    o_hi += row_start
    o_lo += row_start
    for weight, pref, spans, a_side, b_side, base, learned, hub_src, hub_tgt, miss in prepared:
        if learned and plain is None:
            plain = q
        span = spans[k].reshape(-1)
        dot = span.take(o_hi) - span.take(o_lo)
        if miss:
            # both spans' kept tokens less those the other span holds (the dot of kept
            # with held columns); per bead, not per sentence of it (the gain multiplies
            # the quality by the bead's size)
            kept = a_side.between(start, rows)[:, None] + b_side.between(np.clip(Jc - l, 0, m), Jc)
            term = -weight * np.maximum(kept - dot, 0.0) / ((k + l) / 2.0)
            q = q + term
            if plain is not None:
                plain = plain + term
            continue
        na = a_side.span_norm2(start, k)[:, None]
        nb = b_side.span_norm2(np.clip(J - l, 0, max(m - l, 0)), l)
        cos = dot / np.sqrt(np.maximum(na * nb, 1e-9))
        b0 = base.get((k, l), 0.0)
        chance = b0
        if hub_src is not None:
            # a bead of hub sentences is measured against what those sentences score with
            # any sentence, not against the shape's median alone
            excess = (hub_src[rows] - hub_src[start])[:, None] / k + (hub_tgt[Jc] - hub_tgt[np.clip(Jc - l, 0, m)]) / l
            chance = b0 + params.hub_weight * excess / 2
        term = weight * (cos - chance) / (1.0 - b0)
        q = q + term
        if plain is not None and not learned:
            plain = plain + term
        if params.support and (k > 1 or l > 1):
            # every sentence of a bead must carry its share of the match: a short unrelated
            # line (a caption, a page number) barely lowers the cosine of the sums, but its
            # own overlap with the other side is near zero
            scale = 1.0 / np.maximum(dot, 1e-6)
            shares = []
            flat_pref = pref.reshape(-1)
            for d in range(k) if k > 1 else ():
                a = np.clip(rows - k + d, 0, len(pref) - 1)[:, None]
                a_start = a * (width + 1)
                d_a = flat_pref.take(a_start + np.clip(J - wlo[a], 0, width)) - flat_pref.take(a_start + np.clip(J - l - wlo[a], 0, width))
                shares.append(d_a * na / np.maximum(a_side.self_dot[a], 1e-9) * scale)
            for d in range(l) if l > 1 else ():
                o = np.clip(J - l + d - row, 0, width - 1) + row_start
                c = np.clip(J - l + d, 0, m - 1)
                d_b = span.take(o + 1) - span.take(o)
                shares.append(d_b * nb / np.maximum(b_side.self_dot[c], 1e-9) * scale)
            penalty = weight * params.support * sum(np.maximum(params.support_floor - np.minimum(sh, 1.0), 0.0) for sh in shares)
            q = q - penalty
            if plain is not None and not learned:
                plain = plain - penalty
    scores = np.where(valid, q, -np.inf).astype(np.float32)
    return scores, (scores if plain is None else np.where(valid, plain, -np.inf).astype(np.float32))


def span_prefixes(pref: np.ndarray, wlo: np.ndarray, width: int, longest: int) -> dict[int, np.ndarray]:
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


def chance_baseline(a: SentenceRows, b: SentenceRows, sa: Side, sb: Side, rng: np.random.Generator) -> dict[tuple[int, int], float]:
    """Median cosine of unrelated spans, per bead shape: what 'no evidence' looks like here.

    Sums of more sentences share more trigrams by chance, so each shape gets its own
    baseline; without it, merged beads would look better than they are."""
    out: dict[tuple[int, int], float] = {}
    for k, l in BEADS + LONG_BEADS:
        if not k or not l or len(a) < k or len(b) < l:
            continue
        i = rng.integers(0, len(a) - k + 1, CHANCE_SAMPLES)
        j = rng.integers(0, len(b) - l + 1, CHANCE_SAMPLES)
        va = sum(a.take(i + d) for d in range(k))
        vb = sum(b.take(j + d) for d in range(l))
        cos = np.einsum("ij,ij->i", va, vb) / np.sqrt(np.maximum(sa.span_norm2(i, k) * sb.span_norm2(j, l), 1e-9))
        out[(k, l)] = float(np.clip(np.median(cos), 0.0, CHANCE_CEILING))
    return out


class ParagraphBreaks(NamedTuple):
    """Per source and per target prefix, whether a paragraph starts there; ``reversed``:
    the prefixes are those of both texts read backwards (the confidence's pass)."""

    src: np.ndarray
    tgt: np.ndarray
    reversed: bool = False

    @classmethod
    def of(cls, src_paragraphs, tgt_paragraphs) -> "ParagraphBreaks | None":
        """From each sentence's paragraph id on both sides; None unless both sides'
        paragraphs are known (a break is evidence only when met on both)."""
        src, tgt = _breaks_of(src_paragraphs), _breaks_of(tgt_paragraphs)
        return cls(src, tgt) if src is not None and tgt is not None else None

    def backwards(self) -> "ParagraphBreaks":
        return ParagraphBreaks(self.src[::-1].copy(), self.tgt[::-1].copy(), not self.reversed)


def _breaks_of(paragraphs) -> np.ndarray | None:
    """Per prefix 0..n, whether a paragraph starts there, from each sentence's paragraph
    id; None where the text is one paragraph (its structure is not known: nothing to
    learn from it). The two ends are left out: every path meets them, and a bonus there
    would only shift every score (and count twice in the confidence's through-scores)."""
    if paragraphs is None:
        return None
    ids = np.asarray(list(paragraphs))
    if len(ids) < 2 or (ids == ids[0]).all():
        return None
    out = np.zeros(len(ids) + 1, dtype=bool)
    out[1:-1] = ids[1:] != ids[:-1]
    return out


def paragraph_bonus(breaks: ParagraphBreaks | None, band: Band, params: AlignParams) -> np.ndarray | None:
    """The bonus at every cell of the band where both texts start a paragraph (None
    without paragraphs). A translation keeps its original's paragraphs far more often
    than not, so a path that meets both texts' breaks together is likelier than one that
    crosses them. A bead earns it where it ends in the original order
    (:func:`bead_end_bonus`); a run of omissions earns it too, once, where the run ends
    (the row loop of :func:`best_path`; rewarding every cell a path visits let runs
    collect every break they pass), or a sentence left out at a paragraph's end would
    rather be merged into its neighbour's bead. A break on one side only costs nothing: a
    translator may join or split a paragraph (a penalty for it was measured and did not
    help)."""
    if breaks is None or not params.paragraph_bonus:
        return None
    both = breaks.src[band.rows][:, None] & breaks.tgt[band.Jc]
    return both.astype(np.float32) * np.float32(params.paragraph_bonus)


def bead_end_bonus(kl: tuple[int, int], breaks: ParagraphBreaks | None, band: Band, at_cells: np.ndarray | None,
                   params: AlignParams) -> np.ndarray | float:
    """What bead shape ``kl`` ending at each cell of the band gains from
    :func:`paragraph_bonus` (``at_cells``). Read backwards, the bead's end in the original
    order is the cell it starts from, so both passes reward the same beads and their
    scores add up."""
    if at_cells is None:
        return 0.0
    if not breaks.reversed:
        return at_cells
    k, l = kl
    both = breaks.src[np.maximum(band.rows - k, 0)][:, None] & breaks.tgt[np.maximum(band.Jc - l, 0)]
    return both.astype(np.float32) * np.float32(params.paragraph_bonus)


def fold_dims(mat: SentenceRows, factor: int = COARSE_FOLD) -> SentenceRows:
    return mat.folded(factor)


def centers_from_lengths(lengths: LengthModel) -> np.ndarray:
    """For each source prefix i, the target prefix with the same share of characters."""
    share = lengths.cs / max(lengths.cs[-1], 1.0)
    return np.searchsorted(lengths.ct / max(lengths.ct[-1], 1.0), share).astype(np.int64)


def reach_of_path(path: list[tuple[int, int, int, int]], n: int) -> tuple[np.ndarray, np.ndarray]:
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


def best_path(
    lengths: LengthModel,
    centers: np.ndarray | tuple[np.ndarray, np.ndarray],
    half: int,
    evidence: list[Evidence],
    params: AlignParams,
    beads: tuple[tuple[int, int], ...] = BEADS,
    breaks: ParagraphBreaks | None = None,
) -> tuple[list[tuple[int, int, int, int]], list[float], "Table"]:
    """Best monotone path through the band, the quality of each of its beads, and the best
    score of every cell. ``centers``: per source prefix, the target prefix the band is
    centred on, or the first and last ones it must cover. ``breaks``: where paragraphs
    start (see :func:`paragraph_bonus`). Raises RuntimeError when no path fits in the
    band."""
    n, m = len(lengths.cs) - 1, len(lengths.ct) - 1
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
    # every cell of the band as (source prefix i, target prefix lo[i] + o)
    cells = int((hi - lo).max()) + 1
    rows = np.arange(n + 1)
    J = lo[:, None] + np.arange(cells)[None, :]
    band = Band(rows, J, np.minimum(J, m), J <= hi[:, None], wlo, width, m)
    prepared = []
    for ev in evidence:
        pref = band_dots(ev.src, ev.tgt, wlo, width) if not ev.miss else band_dots_sparse(ev.src, ev.tgt, wlo, width)
        # the coarse pass's shapes need spans of two sentences, not five
        spans = span_prefixes(pref, wlo, width, max(k for k, _ in beads))
        # only for the learned lexicon (see AlignParams.hub_weight)
        hubs = (_excess_chance(ev.src, ev.src_side.self_dot, ev.tgt, ev.tgt_side.self_dot),
                _excess_chance(ev.tgt, ev.tgt_side.self_dot, ev.src, ev.src_side.self_dot)) if params.hub_weight and ev.learned else (None, None)
        prepared.append(BandEvidence(ev.weight, pref, spans, ev.src_side, ev.tgt_side, ev.baseline, ev.learned, *hubs, ev.miss))
    scored = {kl: bead_scores(kl, band, lengths, prepared, params) for kl in beads if kl[0] and kl[1]}
    quality = {kl: s for kl, (s, _) in scored.items()}
    plain_quality = {kl: p for kl, (_, p) in scored.items()}
    # what a bead adds to a path, weighted by its size and less its shape's penalty, for
    # all rows at once: the row loop below then only adds and compares
    at_cells = paragraph_bonus(breaks, band, params)
    gain_of = {kl: (kl[0] + kl[1]) / 2.0 * q - np.float32(params.penalties[kl]) + bead_end_bonus(kl, breaks, band, at_cells, params)
               for kl, q in quality.items()}

    # every row's cells in one array each (row i: cells 0 .. hi[i] - lo[i]), handed out as
    # views: four allocations instead of four per row
    sizes = (hi - lo + 1).tolist()
    # padded by MAX_SIDE on both sides, so that a merged shape's first candidate in an
    # earlier row is never left of that row (the padding stays -inf, and the gather below
    # clips to the row's last, padding, column)
    pad = MAX_SIDE
    score_all = np.full((n + 1, cells + 2 * pad), -np.inf)
    back_all = np.full((n + 1, cells), -1, dtype=np.int8)
    # each row as it stood before its runs of skipped target lines: the traceback finds a
    # run's start from it (cheaper than recording every cell's start in the loop)
    before_runs = np.full((n + 1, cells), -np.inf)
    score = [score_all[i, pad : pad + sizes[i]] for i in range(n + 1)]
    back = [back_all[i, : sizes[i]] for i in range(n + 1)]
    # runs of skipped source sentences, treated as target ones are: per target prefix j,
    # the best score[i'][j] + skip_run * i' over the rows seen so far (the traceback finds
    # that row i' again)
    src_run_gain = np.full(m + 1, -np.inf)
    if lo[0] == 0:
        score[0][0] = 0.0
    # every merged shape's candidates for row i in one gather: shape (k, l) reads cell
    # o + lo[i] - lo[i - k] - l of row i - k, so for each row the flat index of every
    # shape's first candidate is one number, and the row's candidates are that number plus
    # the cell offsets (clipped to the last, padding, column of the row read); added to the
    # shapes' gains, maxed and argmaxed at once: a dozen array operations per row instead
    # of several per shape (the row loop is where the time goes). Shapes are ordered by
    # (k, l) and the first best wins, as when they were tried one by one.
    merged_ts = sorted((t for t, (k, l) in enumerate(beads) if k and l), key=lambda t: beads[t])
    merged_k = np.array([beads[t][0] for t in merged_ts], dtype=np.int64)
    merged_l = np.array([beads[t][1] for t in merged_ts], dtype=np.int64)
    merged_bead = np.array(merged_ts, dtype=np.int8)
    stride = score_all.shape[1]
    flat_scores = score_all.reshape(-1)
    read_row = rows[:, None] - merged_k[None, :]
    first_read = read_row * stride + pad + lo[:, None] - lo[np.maximum(read_row, 0)] - merged_l[None, :]
    last_read = read_row * stride + stride - 1
    # a shape longer than the rows before it reads one padding cell (its gain is -inf too)
    first_read = np.where(read_row >= 0, first_read, stride - 1).tolist()
    last_read = np.where(read_row >= 0, last_read, stride - 1).tolist()
    gains = np.stack([gain_of[beads[t]] for t in merged_ts], axis=-1) if merged_ts else None
    cell_offsets = np.arange(cells, dtype=np.int64)[:, None]
    t_src = next((t for t, (k, l) in enumerate(beads) if k and not l), None)
    t_tgt = next((t for t, (k, l) in enumerate(beads) if l and not k), None)
    # the loop below runs once per source sentence: what it needs is prepared here, as
    # Python numbers and ready arrays (numpy scalars and small allocations cost more than
    # the arithmetic)
    lo_l, hi_l = lo.tolist(), hi.tolist()
    offsets = np.arange(cells)
    row_index = offsets
    run_steps = params.skip_run * offsets  # a target run's cost grows by skip_run a line
    premium = params.skip - params.skip_run  # what a run's first line costs beyond the others
    # Runs of omissions earn the paragraph bonus as beads do, at the run's end in the
    # original order, but only when the run does not start at such a cell too: a path
    # arriving where both texts start a paragraph has had its bonus, and skipping a whole
    # paragraph from there must not earn another (with a bonus above the skip cost, runs
    # over short paragraphs would pay). Read backwards, the original end is where a run
    # starts. Without paragraphs none of this runs.
    # per row with such cells, the bonus of each of its cells
    bonus_of_row = {} if at_cells is None else {
        i: at_cells[i, : sizes[i]] for i in np.flatnonzero(breaks.src).tolist() if at_cells[i, : sizes[i]].any()}
    reversed_order = breaks is not None and breaks.reversed
    if bonus_of_row:
        # forwards: the column gains of cells that are no paragraph start on both sides;
        # backwards: the column gains with each starting cell's bonus added
        src_run_gain_bonus = np.full(m + 1, -np.inf)

    def cell_bonus(r: int, j: int) -> float:
        return float(bonus_of_row[r][j - lo_l[r]]) if r in bonus_of_row else 0.0

    for i in range(n + 1):
        size = sizes[i]
        row, row_back = score[i], back[i]
        lo_i = lo_l[i]
        bonus = bonus_of_row.get(i)
        if gains is not None and i:
            where = np.minimum(cell_offsets[:size] + first_read[i], last_read[i])
            cand = flat_scores.take(where)
            cand += gains[i, :size]
            pick = cand.argmax(axis=1)
            best = cand[row_index[:size], pick]
            better = best > row
            np.copyto(row, best, where=better)
            np.copyto(row_back, merged_bead.take(pick), where=better)
        columns = slice(lo_i, hi_l[i] + 1)
        if t_src is not None and i >= 1:
            # a run of source sentences left out ending at row i: skip for the first,
            # skip_run for each further one, from the best row i' < i of this column
            cost = params.skip_run * i + premium
            cand = src_run_gain[columns] - cost
            if bonus_of_row:
                with_bonus = src_run_gain_bonus[columns] - cost
                if not reversed_order and bonus is not None:
                    np.maximum(cand, with_bonus + bonus, out=cand)
                elif reversed_order:
                    cand = with_bonus if bonus is None else np.where(bonus > 0, cand, with_bonus)
            better = cand > row
            np.copyto(row, cand, where=better)
            np.copyto(row_back, t_src, where=better)
        if t_tgt is not None and size > 1:
            # a run of target sentences skipped at one source prefix costs skip for its
            # first line and skip_run for each further one: the best start o' < o of the
            # run ending at o, for every o in one pass (the costs are counted from the
            # row's first cell: the row's offset cancels out)
            before_runs[i, :size] = row
            gain = row + run_steps[:size]
            run = np.maximum.accumulate(gain)
            cand = run[:-1] - run_steps[1:size] - premium
            if bonus is not None:
                if reversed_order:
                    run_bonus_cand = np.maximum.accumulate(gain + bonus)[:-1] - run_steps[1:size] - premium
                    cand = np.where(bonus[1:] > 0, cand, run_bonus_cand)
                else:
                    plain_start = np.maximum.accumulate(np.where(bonus > 0, -np.inf, gain))
                    np.maximum(cand, plain_start[:-1] - run_steps[1:size] - premium + bonus[1:], out=cand)
            tail = row[1:]
            better = cand > tail
            np.copyto(tail, cand, where=better)
            np.copyto(row_back[1:], t_tgt, where=better)
        # this row's cells may start a run of source sentences left out below it (row i
        # covers the columns lo[i] .. hi[i], one contiguous slice)
        column_gain = src_run_gain[columns]
        gain = row + params.skip_run * i
        np.maximum(column_gain, gain, out=column_gain)
        if bonus_of_row:
            column_gain = src_run_gain_bonus[columns]
            if bonus is None:
                np.maximum(column_gain, gain, out=column_gain)
            elif reversed_order:
                np.maximum(column_gain, gain + bonus, out=column_gain)
            else:
                np.maximum(column_gain, np.where(bonus > 0, -np.inf, gain), out=column_gain)
    if not np.isfinite(score[n][m - lo[n]]):
        raise RuntimeError("no alignment path inside the band")
    path: list[tuple[int, int, int, int]] = []
    quals: list[float] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(back[i][j - lo[i]])
        k, l = beads[t]
        if l == 0:
            # the run's first row: the earliest row i' < i holding column j with the best
            # score[i'][j] + skip_run * i', as the loop's column gains saw it (with the
            # paragraph bonus as the loop gave it)
            first_row = int(np.searchsorted(hi, j, side="left"))
            rows_here = range(first_row, i)
            plain = [score[r][j - lo_l[r]] + params.skip_run * r for r in rows_here]
            chosen = plain
            if bonus_of_row:
                end_is_break = cell_bonus(i, j) > 0
                if reversed_order and not end_is_break:
                    chosen = [g + cell_bonus(r, j) for g, r in zip(plain, rows_here)]
                elif not reversed_order and end_is_break:
                    free = [g if cell_bonus(r, j) == 0 else -np.inf for g, r in zip(plain, rows_here)]
                    if max(free) + cell_bonus(i, j) > max(plain):
                        chosen = free
            start = first_row + int(np.argmax(chosen))
            path += [(ii - 1, ii, j, j) for ii in range(i, start, -1)]
            quals += [0.0] * (i - start)
            i = start
            continue
        if k == 0:
            # the run's first cell: the last o' < o with the best cell before the runs
            # plus its steps, as the loop's running maximum saw it (with the paragraph
            # bonus as the loop gave it)
            o = j - lo[i]
            gains_here = before_runs[i, :o] + run_steps[:o]
            bonus = bonus_of_row.get(i)
            if bonus is not None:
                if reversed_order and bonus[o] == 0:
                    gains_here = gains_here + bonus[:o]
                elif not reversed_order and bonus[o] > 0:
                    free = np.where(bonus[:o] > 0, -np.inf, gains_here)
                    if free.max() + bonus[o] > gains_here.max():
                        gains_here = free
            start = lo[i] + o - 1 - int(np.argmax(gains_here[::-1]))
            path += [(i, i, jj - 1, jj) for jj in range(j, start, -1)]
            quals += [0.0] * (j - start)
            j = start
            continue
        path.append((i - k, i, j - l, j))
        quals.append(float(plain_quality[(k, l)][i, j - lo[i]]))  # a merged bead: both runs are handled above
        i, j = i - k, j - l
    return path[::-1], quals[::-1], Table(lo, score)
