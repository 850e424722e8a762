"""The band of the dynamic programme and the arithmetic over it: numpy only, no I/O.

A span of sentences is the sum of its sentences' vectors, so the similarity of any bead
follows from pairwise dot products computed once per band: each side's dot products of
neighbouring rows give the norms of its spans (:class:`Side`), the two sides' dot
products along the band give the dot of any source span with any target span
(:func:`band_dots`, :func:`span_prefixes`). The scores over them are :mod:`.scoring`'s,
the search through the band :mod:`.search`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .params import MAX_SIDE
from .rows import BLOCK_ROWS, SentenceRows

# Source rows per matrix product of the band's dot products: big enough for BLAS to pay,
# small enough that the columns outside the band stay few (one product per 64 rows took
# two 10k-sentence documents from 9.5 to 5.0 s).
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
    lo: np.ndarray  # per source prefix, the first and last target prefix in the band
    hi: np.ndarray

    @classmethod
    def around(cls, first: np.ndarray, last: np.ndarray, half: int, n: int, m: int) -> "Band":
        """The band of ``half`` target prefixes either side of ``first[i]`` .. ``last[i]``
        for every source prefix i of 0..n: monotone, connected, and from corner to corner."""
        lo = np.clip(first - half, 0, m)
        hi = np.clip(last + half, 0, m)
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
        return cls(rows, J, np.minimum(J, m), J <= hi[:, None], wlo, width, m, lo, hi)

    @property
    def cells(self) -> int:
        """Cells per row of the band's arrays (the widest row's)."""
        return self.J.shape[1]


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


def fold_dims(mat: SentenceRows, factor: int = COARSE_FOLD) -> SentenceRows:
    """The rows with their features summed in groups of ``factor`` (the coarse pass's)."""
    return mat.folded(factor)


