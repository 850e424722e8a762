"""How likely each bead is right, and whether two texts are translations at all."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .band import Table
from .beads import Bead
from .features import script_of
from .paragraphs import ParagraphBreaks
from .params import AlignParams
from .scoring import Evidence, LengthModel
from .search import BeadPath, best_path, reach_of_path

# Mean match of the 1-1 beads: -0.06..-0.03 between unrelated texts (the seeds against each
# other, FLORES against other FLORES sentences), 0.13..0.28 between translations in one
# script (FLORES fr-en, Text+Berg de-fr), so at or below 0 the texts do not look parallel.
UNRELATED_BELOW = 0.0
UNRELATED_CONFIDENCE = 0.5


def texts_look_unrelated(beads: list[Bead], src: Sequence[str], tgt: Sequence[str], src_mt: Sequence[str] | None = None,
                         tgt_mt: Sequence[str] | None = None, *, at_least: int = 5) -> bool:
    """Do the two texts look like anything but a translation of each other?

    Needs a few 1-1 beads, and a bridge or one script on both sides: without a bridge,
    Cyrillic against Latin text shares too little to tell a translation from unrelated
    text (FLORES ru-en scores as low as unrelated pairs), so there is no verdict then."""
    if src_mt is None and tgt_mt is None and script_of(src) != script_of(tgt):
        return False
    ones = [b.quality for b in beads if len(b.src) == 1 and len(b.tgt) == 1]
    return len(ones) >= at_least and float(np.mean(ones)) <= UNRELATED_BELOW


# Fitted (a logistic curve over one score) on the beads of ../shared/data/align, FLORES and
# Text+Berg weighted alike: the share of beads that are right at a given score.
CONFIDENCE_SLOPE, CONFIDENCE_BIAS = 0.85, 0.89


def boundary_margins(path: BeadPath, table: Table | None, lengths: LengthModel, evidence: list[Evidence], params: AlignParams, *,
                     shapes: tuple[tuple[int, int], ...], breaks: ParagraphBreaks | None = None) -> list[float]:
    """For each bead, how much worse the best alignment gets if either of its boundaries moves.

    The best score of the paths through a cell is the best score from the start to it
    plus the best score from it to the end; the second pass gives the first, the same
    programme run on both texts reversed the second. A boundary whose every alternative
    (another target position after the same source sentence, another source position
    before the same target sentence) scores almost as well is a guess, however good the
    bead itself looks."""
    if table is None or not path:
        return [0.0] * len(path)
    n, m = len(lengths.cs) - 1, len(lengths.ct) - 1
    # the same length model read backwards (the ratio is the forward pass's: both passes
    # must score a bead alike for their scores to add up)
    backwards = LengthModel(lengths.cs[-1] - lengths.cs[::-1], lengths.ct[-1] - lengths.ct[::-1], lengths.ratio, lengths.var)
    reversed_path = [(n - i1, n - i0, m - j1, m - j0) for i0, i1, j0, j1 in path[::-1]]
    reversed_evidence = [ev.reversed() for ev in evidence]
    try:
        reversed_breaks = breaks.backwards() if breaks is not None else None
        _, _, back = best_path(backwards, reach_of_path(reversed_path, n), params.refine_band, reversed_evidence, params, beads=shapes,
                               breaks=reversed_breaks)
    except RuntimeError:
        return [0.0] * len(path)
    # every cell of the forward band, all rows at once: its row, its target prefix, and the
    # score of the best path through it (forward to it plus backward from it)
    sizes = np.array([len(r) for r in table.score])
    back_sizes = np.array([len(r) for r in back.score])
    forward = np.concatenate(table.score)
    backward = np.concatenate(back.score)
    back_offsets = np.concatenate([[0], np.cumsum(back_sizes)[:-1]])
    rows = np.repeat(np.arange(n + 1), sizes)
    cols = table.lo[rows] + (np.arange(len(forward)) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    ri = n - rows
    k = (m - cols) - back.lo[ri]
    ok = (k >= 0) & (k < back_sizes[ri])
    through = np.full(len(forward), -np.inf)
    through[ok] = forward[ok] + backward[back_offsets[ri[ok]] + k[ok]]
    best = float(table.score[n][m - table.lo[n]])
    on_path = np.array([i0 * (m + 1) + j0 for i0, _, j0, _ in path] + [n * (m + 1) + m], dtype=np.int64)
    others = through.copy()
    others[np.isin(rows.astype(np.int64) * (m + 1) + cols, on_path)] = -np.inf
    row_best = np.full(n + 1, -np.inf)
    col_best = np.full(m + 1, -np.inf)
    np.maximum.at(row_best, rows, others)
    np.maximum.at(col_best, cols, others)

    def margin(i: int, j: int) -> float:
        return best - max(row_best[i], col_best[j])

    return [min(margin(i0, j0), margin(i1, j1)) for i0, i1, j0, j1 in path]


def bead_confidence(bead: Bead, margin: float, evidence: list[Evidence]) -> float:
    """How likely the bead is right: a boundary margin, each member's share of the match,
    the bead's size (merged beads are wrong more often than 1-1 ones; on Text+Berg the
    match of a bead says next to nothing, as the errors are merges the features favour),
    and the tokens a translation keeps that it loses."""
    score = min(margin, 1.0)
    if bead.src and bead.tgt:
        score += 2.0 * least_share(bead, evidence) - (len(bead.src) + len(bead.tgt) - 2) - LOST_TOKEN_COST * tokens_lost(bead, evidence)
    else:
        score += 1.0
    return round(float(1.0 / (1.0 + np.exp(-(CONFIDENCE_SLOPE * score + CONFIDENCE_BIAS)))), 3)


# What each token a bead's one side keeps and its other side lacks takes from its score:
# over 0 / 0.25 / 0.5 / 1, 0.25 raised the confidence's ROC AUC on every set of
# bench/align_bench.py that has such tokens (FLORES fr-en 0.935 -> 0.942, ru-en 0.888 ->
# 0.897, Text+Berg 0.759 -> 0.763, with its Google MT 0.772 -> 0.786; the novels 0.853
# either way); 0.5 and 1 flag more right beads of FLORES fr-en and lower the novels'.
LOST_TOKEN_COST = 0.25


def tokens_lost(bead: Bead, evidence: list[Evidence]) -> float:
    """How many tokens a translation keeps (:mod:`.verbatim`) one side of the bead has and
    the other lacks; 0 where that evidence is not used."""
    for ev in evidence:
        if ev.miss:
            i0, i1, j0, j1 = bead.src[0], bead.src[-1] + 1, bead.tgt[0], bead.tgt[-1] + 1
            kept = ev.src_side.between(i0, i1) + ev.tgt_side.between(j0, j1)
            held = float(ev.src.dense(i0, i1).sum(axis=0) @ ev.tgt.dense(j0, j1).sum(axis=0))
            return max(float(kept) - held, 0.0)
    return 0.0


def least_share(bead: Bead, evidence: list[Evidence]) -> float:
    """The smallest share of the match any member of a merged bead carries (its best over
    the kinds of evidence); 1 for a 1-1 bead."""
    if len(bead.src) == 1 and len(bead.tgt) == 1:
        return 1.0
    src, tgt = list(bead.src), list(bead.tgt)
    best = np.zeros(len(src) + len(tgt))
    for ev in evidence:
        if ev.miss:
            continue
        # a bead's sentences are consecutive: one block of rows a side
        a_rows, b_rows = ev.src.dense(src[0], src[-1] + 1), ev.tgt.dense(tgt[0], tgt[-1] + 1)
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

