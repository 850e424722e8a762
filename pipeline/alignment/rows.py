"""Sentence vectors stored sparse, handed out dense a block at a time.

A sentence has some 150 distinct trigram and anchor features out of 2,048 hashed
dimensions, so a dense matrix is nine-tenths zeros: 80 MB a side for 10,000 sentences,
330 MB for 40,000, and writing and reading that memory was a third of the aligner's time
on long documents. Here the rows are kept in compressed sparse row form (numpy only) and
the few places that need dense numbers (a band's matrix products, the norms of
neighbouring sentences, a sample of spans) ask for a block of rows, which holds exactly
the numbers the dense matrix held: the products, and so the beads, are the same.
"""

from __future__ import annotations

import numpy as np

# Rows per dense block for the row-wise passes (norms of neighbours): 8 MB at 2,048
# dimensions, small enough to stay in cache-friendly sizes, big enough that the per-block
# overhead does not show.
BLOCK_ROWS = 1024


class SentenceRows:
    """Rows of non-negative features: row r holds ``data[indptr[r]:indptr[r + 1]]`` at
    columns ``indices[...]`` (sorted, no column twice)."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, dims: int):
        self.indptr, self.indices, self.data, self.dims = indptr, indices, data, dims
        self.row_of = np.repeat(np.arange(len(indptr) - 1, dtype=np.int64), np.diff(indptr))

    @classmethod
    def from_cells(cls, n: int, dims: int, cells: np.ndarray, values: np.ndarray) -> "SentenceRows":
        """Rows from (row * dims + column, value) pairs; values of a cell given more than
        once are added up in the order given."""
        cells, values = add_up(cells, values)
        rows = cells // dims
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))]).astype(np.int64)
        return cls(indptr, (cells % dims).astype(np.int64), values, dims)

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def dense(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Rows start..stop-1 as a dense float32 block."""
        stop = len(self) if stop is None else min(stop, len(self))
        start = min(start, stop)
        block = np.zeros((stop - start) * self.dims, dtype=np.float32)
        s, e = self.indptr[start], self.indptr[stop]
        block[(self.row_of[s:e] - start) * self.dims + self.indices[s:e]] = self.data[s:e]
        return block.reshape(stop - start, self.dims)

    def _entries(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The given rows' lengths, and the positions of their entries, row after row."""
        lengths = self.indptr[rows + 1] - self.indptr[rows]
        entry = np.repeat(self.indptr[rows] - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths) + np.arange(lengths.sum())
        return lengths, entry

    def take(self, rows) -> np.ndarray:
        """The given rows (any order, repeats allowed) as a dense block."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        lengths, entry = self._entries(rows)
        block = np.zeros(len(rows) * self.dims, dtype=np.float32)
        block[np.repeat(np.arange(len(rows)), lengths) * self.dims + self.indices[entry]] = self.data[entry]
        return block.reshape(len(rows), self.dims)

    def reversed(self) -> "SentenceRows":
        """The same rows, last first (the confidence's backward pass)."""
        lengths, entry = self._entries(np.arange(len(self) - 1, -1, -1))
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        return SentenceRows(indptr, self.indices[entry], self.data[entry], self.dims)

    def folded(self, factor: int) -> "SentenceRows":
        """Every ``factor`` neighbouring dimensions summed into one (the coarse pass);
        within a row the columns are sorted, so each sum adds in column order, as the
        dense sum did."""
        if self.dims % factor:
            return self
        cells = self.row_of * (self.dims // factor) + self.indices // factor
        return SentenceRows.from_cells(len(self), self.dims // factor, cells, self.data)

    def rows(self, start: int, stop: int) -> "SentenceRows":
        """Rows start..stop-1 (a piece of the document), sharing no array with these."""
        s, e = self.indptr[start], self.indptr[stop]
        return SentenceRows(self.indptr[start:stop + 1] - s, self.indices[s:e].copy(), self.data[s:e].copy(), self.dims)

    def grouped(self, size: int) -> "SentenceRows":
        """Every ``size`` consecutive rows summed into one (the last group may be shorter):
        the vectors of passages, for the first look at a long document."""
        return SentenceRows.from_cells(-(-len(self) // size), self.dims, (self.row_of // size) * self.dims + self.indices, self.data)

    def column_counts(self) -> np.ndarray:
        """In how many rows each column is above zero."""
        return np.bincount(self.indices[self.data > 0], minlength=self.dims)

    def scale_columns(self, weights: np.ndarray) -> None:
        """Each column times its weight, in place."""
        self.data *= weights[self.indices]


def add_up(cells: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each cell once, sorted, with its values added up in the order given (a stable sort,
    skipped when the cells come sorted already)."""
    cells = np.asarray(cells, dtype=np.int64)
    values = np.asarray(values, dtype=np.float32)
    if len(cells) and not (cells[1:] >= cells[:-1]).all():
        order = np.argsort(cells, kind="stable")
        cells, values = cells[order], values[order]
    if len(cells) and not (cells[1:] > cells[:-1]).all():
        starts = np.flatnonzero(np.concatenate([[True], cells[1:] != cells[:-1]]))
        values = np.add.reduceat(values, starts)
        cells = cells[starts]
    return cells, values


def merge_cells(cells: np.ndarray, values: np.ndarray, more_cells: np.ndarray, more_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two sets of sorted, distinct cells as one: a cell in both gets the sum (the first
    set's value, then the second's)."""
    at = np.searchsorted(cells, more_cells)
    present = at < len(cells)
    present[present] = cells[at[present]] == more_cells[present]
    values = values.copy()
    values[at[present]] += more_values[present]
    new = ~present
    return np.insert(cells, at[new], more_cells[new]), np.insert(values, at[new], more_values[new])
