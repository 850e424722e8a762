"""Paragraph breaks as evidence: a bead, or a run of omissions, that ends where both texts
start a paragraph gains a little (numpy only, no I/O).
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from .band import Band
from .params import AlignParams


class ParagraphBreaks(NamedTuple):
    """Per source and per target prefix, whether a paragraph starts there; ``reversed``:
    the prefixes are those of both texts read backwards (the confidence's pass)."""

    src: np.ndarray
    tgt: np.ndarray
    reversed: bool = False

    @classmethod
    def of(cls, src_paragraphs: Sequence | None, tgt_paragraphs: Sequence | None) -> "ParagraphBreaks | None":
        """From each sentence's paragraph id on both sides; None unless both sides'
        paragraphs are known (a break is evidence only when met on both)."""
        src, tgt = _breaks_of(src_paragraphs), _breaks_of(tgt_paragraphs)
        return cls(src, tgt) if src is not None and tgt is not None else None

    def backwards(self) -> "ParagraphBreaks":
        """The same breaks over both texts read backwards."""
        return ParagraphBreaks(self.src[::-1].copy(), self.tgt[::-1].copy(), not self.reversed)


def _breaks_of(paragraphs: Sequence | None) -> np.ndarray | None:
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
    (the row loop of :func:`.search.best_path`; rewarding every cell a path visits let runs
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


