"""What a bead scores: each kind of evidence, its chance baseline, and the score of every
bead shape at every cell of a band at once (numpy only, no I/O).

Each sentence of a multi-sentence bead must also carry its share of the match (a caption
glued to a sentence does not). Every bead's score is computed for the whole band at once,
so that the programme (:mod:`.search`) only adds and compares.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .band import Band, KeptCounts, Side, band_dots, band_dots_sparse, span_prefixes
from .params import BEADS, GALE_CHURCH_VARIANCE, LONG_BEADS, AlignParams
from .rows import SentenceRows

# Unrelated spans sampled per bead shape to learn what "no evidence" scores (their median
# cosine); the sampling uses a fixed seed, so a pair always aligns the same way.
CHANCE_SAMPLES = 300
# A chance cosine above this is not chance but a document repeating itself: capped.
CHANCE_CEILING = 0.9


class Evidence(NamedTuple):
    """One kind of evidence: the vectors of both sides compared, its weight, and what
    unrelated spans of each bead shape score with it (the baseline)."""

    weight: float
    src: SentenceRows
    src_side: "Side | KeptCounts"
    tgt_side: "Side | KeptCounts"
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
    src_side: "Side | KeptCounts"
    tgt_side: "Side | KeptCounts"
    baseline: dict
    learned: bool = False
    hub_src: np.ndarray | None = None  # prefix sums of each source sentence's excess chance cosine
    hub_tgt: np.ndarray | None = None
    miss: bool = False

    @classmethod
    def of(cls, ev: Evidence, band: Band, params: AlignParams, longest: int) -> "BandEvidence":
        """``ev`` over ``band``, with the spans of up to ``longest`` source sentences (the
        coarse pass's shapes need spans of two sentences, not five)."""
        pref = band_dots(ev.src, ev.tgt, band.wlo, band.width) if not ev.miss else band_dots_sparse(ev.src, ev.tgt, band.wlo, band.width)
        spans = span_prefixes(pref, band.wlo, band.width, longest)
        # only for the learned lexicon (see AlignParams.hub_weight)
        hubs = (_excess_chance(ev.src, ev.src_side.self_dot, ev.tgt, ev.tgt_side.self_dot),
                _excess_chance(ev.tgt, ev.tgt_side.self_dot, ev.src, ev.src_side.self_dot)) if params.hub_weight and ev.learned else (None, None)
        return cls(ev.weight, pref, spans, ev.src_side, ev.tgt_side, ev.baseline, ev.learned, *hubs, ev.miss)


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


class _Shape:
    """Bead shape (k, l) ending at every cell of a band: where its spans start and where
    its dot products are read (gathers along each row as flat takes: one index array
    each, not numpy's broadcast pair of take_along_axis or of [rows, cols] indexing)."""

    def __init__(self, kl: tuple[int, int], band: Band):
        self.k, self.l = k, l = kl
        self.band = band
        rows, J, width = band.rows, band.J, band.width
        self.start = np.maximum(rows - k, 0)  # per row, the source prefix the bead starts at
        self.tgt_start = np.clip(band.Jc - l, 0, band.m)  # per cell, the target prefix
        self.valid = band.in_band & (rows[:, None] >= k) & (J - l >= 0)
        self.row = band.wlo[np.maximum(rows - 1, 0)][:, None]
        self.row_start = rows[:, None] * (width + 1)
        self.o_hi = np.clip(J - self.row, 0, width)
        self.o_lo = np.clip(J - l - self.row, 0, width)
        self.o_hi += self.row_start
        self.o_lo += self.row_start

    def length_score(self, lengths: LengthModel, params: AlignParams) -> np.ndarray:
        """The Gale-Church score of the two spans' lengths."""
        cs, ct, ratio, var = lengths
        ls = (cs[self.band.rows] - cs[self.start])[:, None]
        lt = ct[self.band.Jc] - ct[self.tgt_start]
        delta = (lt - ratio * ls) / np.sqrt(var * (ratio * ls + lt) / 2 + 1.0)
        return -params.w_len * 0.5 * delta**2

    def dots(self, ev: BandEvidence) -> tuple[np.ndarray, np.ndarray]:
        """The spans' prefix sums read (flat) and the dot of the two spans at every cell."""
        span = ev.spans[self.k].reshape(-1)
        return span, span.take(self.o_hi) - span.take(self.o_lo)

    def miss_term(self, ev: BandEvidence, dot: np.ndarray) -> np.ndarray:
        """Both spans' kept tokens less those the other span holds (the dot of kept with
        held columns), at their cost; per bead, not per sentence of it (the gain
        multiplies the quality by the bead's size)."""
        k, l = self.k, self.l
        kept = ev.src_side.between(self.start, self.band.rows)[:, None] + ev.tgt_side.between(self.tgt_start, self.band.Jc)
        return -ev.weight * np.maximum(kept - dot, 0.0) / ((k + l) / 2.0)

    def cosine(self, ev: BandEvidence, dot: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """The cosine of the two spans at every cell, and their squared norms."""
        k, l, m = self.k, self.l, self.band.m
        na = ev.src_side.span_norm2(self.start, k)[:, None]
        nb = ev.tgt_side.span_norm2(np.clip(self.band.J - l, 0, max(m - l, 0)), l)
        return dot / np.sqrt(np.maximum(na * nb, 1e-9)), (na, nb)

    def match_term(self, ev: BandEvidence, cos: np.ndarray, params: AlignParams) -> np.ndarray:
        """The cosine beyond what chance gives the shape, at the evidence's weight."""
        k, l = self.k, self.l
        b0 = ev.baseline.get((k, l), 0.0)
        chance = b0
        if ev.hub_src is not None:
            # a bead of hub sentences is measured against what those sentences score with
            # any sentence, not against the shape's median alone
            rows, Jc = self.band.rows, self.band.Jc
            excess = (ev.hub_src[rows] - ev.hub_src[self.start])[:, None] / k + (ev.hub_tgt[Jc] - ev.hub_tgt[self.tgt_start]) / l
            chance = b0 + params.hub_weight * excess / 2
        return ev.weight * (cos - chance) / (1.0 - b0)

    def support_penalty(self, ev: BandEvidence, span: np.ndarray, dot: np.ndarray, norms: tuple[np.ndarray, np.ndarray],
                        params: AlignParams) -> np.ndarray:
        """What a merged bead loses for each sentence whose share of the match is below
        the floor: a short unrelated line (a caption, a page number) barely lowers the
        cosine of the sums, but its own overlap with the other side is near zero."""
        k, l, m = self.k, self.l, self.band.m
        rows, J, wlo, width = self.band.rows, self.band.J, self.band.wlo, self.band.width
        na, nb = norms
        scale = 1.0 / np.maximum(dot, 1e-6)
        shares = []
        pref = ev.prefix
        flat_pref = pref.reshape(-1)
        for d in range(k) if k > 1 else ():
            a = np.clip(rows - k + d, 0, len(pref) - 1)[:, None]
            a_start = a * (width + 1)
            d_a = flat_pref.take(a_start + np.clip(J - wlo[a], 0, width)) - flat_pref.take(a_start + np.clip(J - l - wlo[a], 0, width))
            shares.append(d_a * na / np.maximum(ev.src_side.self_dot[a], 1e-9) * scale)
        for d in range(l) if l > 1 else ():
            o = np.clip(J - l + d - self.row, 0, width - 1) + self.row_start
            c = np.clip(J - l + d, 0, m - 1)
            d_b = span.take(o + 1) - span.take(o)
            shares.append(d_b * nb / np.maximum(ev.tgt_side.self_dot[c], 1e-9) * scale)
        return ev.weight * params.support * sum(np.maximum(params.support_floor - np.minimum(sh, 1.0), 0.0) for sh in shares)


def bead_scores(kl: tuple[int, int], band: Band, lengths: LengthModel, prepared: list[BandEvidence],
                params: AlignParams) -> tuple[np.ndarray, np.ndarray]:
    """The score of bead shape (k, l) ending at every cell of the band, all rows at once
    (the dynamic programme then only adds and compares), and its quality: the same without
    the evidence learned from a first path (the same array where there is none)."""
    shape = _Shape(kl, band)
    q = shape.length_score(lengths, params)
    plain = None  # q without the learned evidence, from the first learned one on
    for ev in prepared:
        if ev.learned and plain is None:
            plain = q
        span, dot = shape.dots(ev)
        if ev.miss:
            term = shape.miss_term(ev, dot)
            q = q + term
            if plain is not None:
                plain = plain + term
            continue
        cos, norms = shape.cosine(ev, dot)
        term = shape.match_term(ev, cos, params)
        q = q + term
        if plain is not None and not ev.learned:
            plain = plain + term
        if params.support and (shape.k > 1 or shape.l > 1):
            # every sentence of a bead must carry its share of the match
            penalty = shape.support_penalty(ev, span, dot, norms, params)
            q = q - penalty
            if plain is not None and not ev.learned:
                plain = plain - penalty
    scores = np.where(shape.valid, q, -np.inf).astype(np.float32)
    return scores, (scores if plain is None else np.where(shape.valid, plain, -np.inf).astype(np.float32))


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


