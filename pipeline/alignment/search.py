"""The banded dynamic programme: the best monotone path of beads, numpy only, no I/O.

Every bead's score comes for the whole band at once (:mod:`.scoring`); the programme only
adds and compares, a row of cells at a time, and skips any run of unaligned lines in one
pass (a run is cheaper per line than a lone skip: captions and name lists come in runs).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .band import Band, Table
from .paragraphs import ParagraphBreaks, bead_end_bonus, paragraph_bonus
from .params import BEADS, MAX_SIDE, AlignParams
from .scoring import BandEvidence, Evidence, LengthModel, bead_scores

BeadPath = list[tuple[int, int, int, int]]


def centers_from_lengths(lengths: LengthModel) -> np.ndarray:
    """For each source prefix i, the target prefix with the same share of characters."""
    share = lengths.cs / max(lengths.cs[-1], 1.0)
    return np.searchsorted(lengths.ct / max(lengths.ct[-1], 1.0), share).astype(np.int64)


def reach_of_path(path: BeadPath, n: int) -> tuple[np.ndarray, np.ndarray]:
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
    *,
    beads: tuple[tuple[int, int], ...] = BEADS,
    breaks: ParagraphBreaks | None = None,
) -> tuple[BeadPath, list[float], Table]:
    """Best monotone path through the band, the quality of each of its beads, and the best
    score of every cell. ``centers``: per source prefix, the target prefix the band is
    centred on, or the first and last ones it must cover. ``breaks``: where paragraphs
    start (see :func:`.paragraphs.paragraph_bonus`). Raises RuntimeError when no path
    fits in the band."""
    n, m = len(lengths.cs) - 1, len(lengths.ct) - 1
    first, last = centers if isinstance(centers, tuple) else (centers, centers)
    band = Band.around(first, last, half, n, m)
    prepared = [BandEvidence.of(ev, band, params, max(k for k, _ in beads)) for ev in evidence]
    scored = {kl: bead_scores(kl, band, lengths, prepared, params) for kl in beads if kl[0] and kl[1]}
    plain_quality = {kl: p for kl, (_, p) in scored.items()}
    # what a bead adds to a path, weighted by its size and less its shape's penalty, for
    # all rows at once: the row loop then only adds and compares
    at_cells = paragraph_bonus(breaks, band, params)
    gain_of = {kl: (kl[0] + kl[1]) / 2.0 * q - np.float32(params.penalties[kl]) + bead_end_bonus(kl, breaks, band, at_cells, params)
               for kl, (q, _) in scored.items()}
    programme = _Programme(band, params, breaks, at_cells)
    programme.fill(_MergedReads.of(programme, beads, gain_of), beads)
    if not np.isfinite(programme.score[n][m - band.lo[n]]):
        raise RuntimeError("no alignment path inside the band")
    path, quals = programme.trace_back(beads, plain_quality)
    return path, quals, Table(band.lo, programme.score)


class _MergedReads(NamedTuple):
    """Every merged shape's candidates for row i in one gather: shape (k, l) reads cell
    o + lo[i] - lo[i - k] - l of row i - k, so for each row the flat index of every
    shape's first candidate is one number, and the row's candidates are that number plus
    the cell offsets (clipped to the last, padding, column of the row read); added to the
    shapes' gains, maxed and argmaxed at once: a dozen array operations per row instead
    of several per shape (the row loop is where the time goes). Shapes are ordered by
    (k, l) and the first best wins, as when they were tried one by one."""

    first_read: list[int]
    last_read: list[int]
    gains: np.ndarray | None  # per row and cell, every merged shape's gain
    bead: np.ndarray  # the shapes' indices in ``beads``, in the order of ``gains``

    @classmethod
    def of(cls, programme: "_Programme", beads: tuple[tuple[int, int], ...], gain_of: dict) -> "_MergedReads":
        merged_ts = sorted((t for t, (k, l) in enumerate(beads) if k and l), key=lambda t: beads[t])
        merged_k = np.array([beads[t][0] for t in merged_ts], dtype=np.int64)
        merged_l = np.array([beads[t][1] for t in merged_ts], dtype=np.int64)
        rows, lo, stride, pad = programme.band.rows, programme.band.lo, programme.stride, programme.pad
        read_row = rows[:, None] - merged_k[None, :]
        first_read = read_row * stride + pad + lo[:, None] - lo[np.maximum(read_row, 0)] - merged_l[None, :]
        last_read = read_row * stride + stride - 1
        # a shape longer than the rows before it reads one padding cell (its gain is -inf too)
        first_read = np.where(read_row >= 0, first_read, stride - 1).tolist()
        last_read = np.where(read_row >= 0, last_read, stride - 1).tolist()
        gains = np.stack([gain_of[beads[t]] for t in merged_ts], axis=-1) if merged_ts else None
        return cls(first_read, last_read, gains, np.array(merged_ts, dtype=np.int8))


class _Programme:
    """The best score of a path to every cell of a band, and the step that reached it.

    Runs of omissions earn the paragraph bonus as beads do, at the run's end in the
    original order, but only when the run does not start at such a cell too: a path
    arriving where both texts start a paragraph has had its bonus, and skipping a whole
    paragraph from there must not earn another (with a bonus above the skip cost, runs
    over short paragraphs would pay). Read backwards, the original end is where a run
    starts. Without paragraphs none of this runs."""

    def __init__(self, band: Band, params: AlignParams, breaks: ParagraphBreaks | None, at_cells: np.ndarray | None):
        n, m, cells = len(band.rows) - 1, band.m, band.cells
        self.band, self.n, self.m = band, n, m
        self.skip_run = params.skip_run
        # every row's cells in one array each (row i: cells 0 .. hi[i] - lo[i]), handed
        # out as views: four allocations instead of four per row
        self.sizes = (band.hi - band.lo + 1).tolist()
        # padded by MAX_SIDE on both sides, so that a merged shape's first candidate in an
        # earlier row is never left of that row (the padding stays -inf, and the gather
        # clips to the row's last, padding, column)
        self.pad = pad = MAX_SIDE
        score_all = np.full((n + 1, cells + 2 * pad), -np.inf)
        back_all = np.full((n + 1, cells), -1, dtype=np.int8)
        self.stride = score_all.shape[1]
        self.flat_scores = score_all.reshape(-1)
        # each row as it stood before its runs of skipped target lines: the traceback
        # finds a run's start from it (cheaper than recording every cell's start)
        self.before_runs = np.full((n + 1, cells), -np.inf)
        self.score = [score_all[i, pad : pad + self.sizes[i]] for i in range(n + 1)]
        self.back = [back_all[i, : self.sizes[i]] for i in range(n + 1)]
        # runs of skipped source sentences, treated as target ones are: per target prefix
        # j, the best score[i'][j] + skip_run * i' over the rows seen so far (the
        # traceback finds that row i' again)
        self.src_run_gain = np.full(m + 1, -np.inf)
        if band.lo[0] == 0:
            self.score[0][0] = 0.0
        # what the row loop needs, as Python numbers and ready arrays (numpy scalars and
        # small allocations cost more than the arithmetic)
        self.lo_l, self.hi_l = band.lo.tolist(), band.hi.tolist()
        self.offsets = np.arange(cells)
        self.cell_offsets = np.arange(cells, dtype=np.int64)[:, None]
        self.run_steps = params.skip_run * self.offsets  # a target run's cost grows by skip_run a line
        self.premium = params.skip - params.skip_run  # what a run's first line costs beyond the others
        # per row with cells where both texts start a paragraph, the bonus of each of its cells
        self.bonus_of_row = {} if at_cells is None else {
            i: at_cells[i, : self.sizes[i]] for i in np.flatnonzero(breaks.src).tolist() if at_cells[i, : self.sizes[i]].any()}
        self.reversed_order = breaks is not None and breaks.reversed
        if self.bonus_of_row:
            # forwards: the column gains of cells that are no paragraph start on both
            # sides; backwards: the column gains with each starting cell's bonus added
            self.src_run_gain_bonus = np.full(m + 1, -np.inf)

    def cell_bonus(self, r: int, j: int) -> float:
        return float(self.bonus_of_row[r][j - self.lo_l[r]]) if r in self.bonus_of_row else 0.0

    def fill(self, merged: _MergedReads, beads: tuple[tuple[int, int], ...]) -> None:
        """Every row in turn: merged beads ending there, then runs of source sentences
        left out, then runs of target sentences skipped within the row."""
        t_src = next((t for t, (k, l) in enumerate(beads) if k and not l), None)
        t_tgt = next((t for t, (k, l) in enumerate(beads) if l and not k), None)
        for i in range(self.n + 1):
            size = self.sizes[i]
            row, row_back = self.score[i], self.back[i]
            bonus = self.bonus_of_row.get(i)
            if merged.gains is not None and i:
                where = np.minimum(self.cell_offsets[:size] + merged.first_read[i], merged.last_read[i])
                cand = self.flat_scores.take(where)
                cand += merged.gains[i, :size]
                pick = cand.argmax(axis=1)
                best = cand[self.offsets[:size], pick]
                better = best > row
                np.copyto(row, best, where=better)
                np.copyto(row_back, merged.bead.take(pick), where=better)
            columns = slice(self.lo_l[i], self.hi_l[i] + 1)
            if t_src is not None and i >= 1:
                self._source_run(i, columns, bonus, t_src)
            if t_tgt is not None and size > 1:
                self._target_run(i, bonus, t_tgt)
            self._open_source_runs(i, columns, bonus)

    def _source_run(self, i: int, columns: slice, bonus: np.ndarray | None, t_src: int) -> None:
        """A run of source sentences left out ending at row i: skip for the first,
        skip_run for each further one, from the best row i' < i of this column."""
        row, row_back = self.score[i], self.back[i]
        cost = self.skip_run * i + self.premium
        cand = self.src_run_gain[columns] - cost
        if self.bonus_of_row:
            with_bonus = self.src_run_gain_bonus[columns] - cost
            if not self.reversed_order and bonus is not None:
                np.maximum(cand, with_bonus + bonus, out=cand)
            elif self.reversed_order:
                cand = with_bonus if bonus is None else np.where(bonus > 0, cand, with_bonus)
        better = cand > row
        np.copyto(row, cand, where=better)
        np.copyto(row_back, t_src, where=better)

    def _target_run(self, i: int, bonus: np.ndarray | None, t_tgt: int) -> None:
        """A run of target sentences skipped at source prefix i costs skip for its first
        line and skip_run for each further one: the best start o' < o of the run ending at
        o, for every o in one pass (the costs are counted from the row's first cell: the
        row's offset cancels out)."""
        size, row, row_back = self.sizes[i], self.score[i], self.back[i]
        run_steps, premium = self.run_steps, self.premium
        self.before_runs[i, :size] = row
        gain = row + run_steps[:size]
        run = np.maximum.accumulate(gain)
        cand = run[:-1] - run_steps[1:size] - premium
        if bonus is not None:
            if self.reversed_order:
                run_bonus_cand = np.maximum.accumulate(gain + bonus)[:-1] - run_steps[1:size] - premium
                cand = np.where(bonus[1:] > 0, cand, run_bonus_cand)
            else:
                plain_start = np.maximum.accumulate(np.where(bonus > 0, -np.inf, gain))
                np.maximum(cand, plain_start[:-1] - run_steps[1:size] - premium + bonus[1:], out=cand)
        tail = row[1:]
        better = cand > tail
        np.copyto(tail, cand, where=better)
        np.copyto(row_back[1:], t_tgt, where=better)

    def _open_source_runs(self, i: int, columns: slice, bonus: np.ndarray | None) -> None:
        """Row i's cells may start a run of source sentences left out below it (row i
        covers the columns lo[i] .. hi[i], one contiguous slice)."""
        column_gain = self.src_run_gain[columns]
        gain = self.score[i] + self.skip_run * i
        np.maximum(column_gain, gain, out=column_gain)
        if self.bonus_of_row:
            column_gain = self.src_run_gain_bonus[columns]
            if bonus is None:
                np.maximum(column_gain, gain, out=column_gain)
            elif self.reversed_order:
                np.maximum(column_gain, gain + bonus, out=column_gain)
            else:
                np.maximum(column_gain, np.where(bonus > 0, -np.inf, gain), out=column_gain)

    def trace_back(self, beads: tuple[tuple[int, int], ...], plain_quality: dict) -> tuple[BeadPath, list[float]]:
        """The best path from the last cell back to the first, and its beads' qualities."""
        lo = self.band.lo
        path: BeadPath = []
        quals: list[float] = []
        i, j = self.n, self.m
        while i > 0 or j > 0:
            t = int(self.back[i][j - lo[i]])
            k, l = beads[t]
            if l == 0:
                start = self._source_run_start(i, j)
                path += [(ii - 1, ii, j, j) for ii in range(i, start, -1)]
                quals += [0.0] * (i - start)
                i = start
                continue
            if k == 0:
                start = self._target_run_start(i, j)
                path += [(i, i, jj - 1, jj) for jj in range(j, start, -1)]
                quals += [0.0] * (j - start)
                j = start
                continue
            path.append((i - k, i, j - l, j))
            quals.append(float(plain_quality[(k, l)][i, j - lo[i]]))  # a merged bead: both runs are handled above
            i, j = i - k, j - l
        return path[::-1], quals[::-1]

    def _source_run_start(self, i: int, j: int) -> int:
        """The first row of the run of source sentences left out that ends at cell (i, j):
        the earliest row i' < i holding column j with the best score[i'][j] + skip_run *
        i', as the row loop's column gains saw it (with the paragraph bonus as it gave it)."""
        first_row = int(np.searchsorted(self.band.hi, j, side="left"))
        rows_here = range(first_row, i)
        plain = [self.score[r][j - self.lo_l[r]] + self.skip_run * r for r in rows_here]
        chosen = plain
        if self.bonus_of_row:
            end_is_break = self.cell_bonus(i, j) > 0
            if self.reversed_order and not end_is_break:
                chosen = [g + self.cell_bonus(r, j) for g, r in zip(plain, rows_here)]
            elif not self.reversed_order and end_is_break:
                free = [g if self.cell_bonus(r, j) == 0 else -np.inf for g, r in zip(plain, rows_here)]
                if max(free) + self.cell_bonus(i, j) > max(plain):
                    chosen = free
        return first_row + int(np.argmax(chosen))

    def _target_run_start(self, i: int, j: int) -> int:
        """The first cell of the run of target sentences skipped that ends at cell (i, j):
        the last o' < o with the best cell before the runs plus its steps, as the row
        loop's running maximum saw it (with the paragraph bonus as it gave it)."""
        lo = self.band.lo
        o = j - lo[i]
        gains_here = self.before_runs[i, :o] + self.run_steps[:o]
        bonus = self.bonus_of_row.get(i)
        if bonus is not None:
            if self.reversed_order and bonus[o] == 0:
                gains_here = gains_here + bonus[:o]
            elif not self.reversed_order and bonus[o] > 0:
                free = np.where(bonus[:o] > 0, -np.inf, gains_here)
                if free.max() + bonus[o] > gains_here.max():
                    gains_here = free
        return lo[i] + o - 1 - int(np.argmax(gains_here[::-1]))
