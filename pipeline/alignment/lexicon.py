"""A word lexicon learned from a first alignment: evidence for a pair without a machine
translation (Moore 2002, hunalign's second pass).

The 1-1 beads of the first pass are taken as sentence pairs; a source word and a target
word that occur together in at least :data:`MIN_COOCCURRENCES` of them, with a Dice
coefficient of at least :data:`MIN_DICE`, become a lexicon entry, each source word
keeping its one best partner. Each sentence is then a vector of the entries it holds
(from the source side by the source word, from the target side by the target word), so
that the dot product of a source and a target sentence counts the entries they share;
the aligner's narrow pass weighs that as one more kind of evidence.

Learned wherever no machine translation is given (``AlignParams.lexicon_weight``; off
with ``--no-lexicon``): on the LIMSI literary books without MT it raised strict F1 held
out by +0.03 on average, on Text+Berg (German-French) without MT it changed it by
-0.001 (looser lexicons cost it up to 0.026), and beside an MT bridge it cost Text+Berg
0.014, so it is not learned there (docs/alignment.md).
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from .beads import Bead
from .features import word_ids
from .rows import SentenceRows

# Entries must rest on repeated evidence: three co-occurrences and a Dice coefficient of
# 0.5 (the words are together at least as often as either is without the other, on
# average). Chosen by leave-one-document-out over the five LIMSI books and Text+Berg
# without MT (bench/align_cv.py --grid lexicon): looser lexicons (Dice 0.4, two
# co-occurrences, three partners per word) were worse held out.
MIN_COOCCURRENCES = 3
MIN_DICE = 0.5
# fewer 1-1 beads than this make a lexicon of chance pairs (a FLORES case of 20 lines)
MIN_TRAINING_BEADS = 50
# hash multipliers for an entry's column: primes, as for trigrams
_PAIR_PRIMES = (1_000_003, 10_007)


class Lexicon(NamedTuple):
    """Entries as parallel arrays (source word id, target word id, Dice coefficient), with
    the vocabularies and each sentence's distinct word ids on both sides."""

    source_vocabulary: dict[str, int]
    target_vocabulary: dict[str, int]
    source_word: np.ndarray
    target_word: np.ndarray
    dice: np.ndarray
    training_beads: int
    source_ids: list[np.ndarray]
    target_ids: list[np.ndarray]

    def __len__(self) -> int:
        return len(self.dice)

    def pairs(self) -> list[tuple[str, str, float]]:
        """The entries as (source word, target word, Dice), folded words."""
        src = {i: w for w, i in self.source_vocabulary.items()}
        tgt = {i: w for w, i in self.target_vocabulary.items()}
        return [(src[s], tgt[t], round(float(d), 3)) for s, t, d in zip(self.source_word.tolist(), self.target_word.tolist(), self.dice)]


def learn(src: Sequence[str], tgt: Sequence[str], beads: Sequence[Bead],
          folded: tuple[list[str], list[str]] | None = None,
          words: tuple[tuple[list[np.ndarray], dict[str, int]], tuple[list[np.ndarray], dict[str, int]]] | None = None) -> Lexicon | None:
    """The lexicon of the first pass's 1-1 beads; None where there are too few of them.
    ``folded``: both sides through ``fold_each``, and ``words``: both sides through
    :func:`.features.word_ids`, where the caller has them (the aligner has both)."""
    pairs = [(b.src[0], b.tgt[0]) for b in beads if len(b.src) == 1 and len(b.tgt) == 1]
    if len(pairs) < MIN_TRAINING_BEADS:
        return None
    (src_ids, src_vocabulary), (tgt_ids, tgt_vocabulary) = words or (
        word_ids(src, folded[0] if folded else None), word_ids(tgt, folded[1] if folded else None))
    pairs = [(i, j) for i, j in pairs if len(src_ids[i]) and len(tgt_ids[j])]
    if not pairs:
        return None
    width = len(tgt_vocabulary)
    src_count = np.bincount(np.concatenate([src_ids[i] for i, _ in pairs]), minlength=len(src_vocabulary))
    tgt_count = np.bincount(np.concatenate([tgt_ids[j] for _, j in pairs]), minlength=width)
    # a word met in fewer pairs than an entry needs co-occurrences can be in no entry: the
    # pairs of words counted are those of the others only (half the words of a text are
    # met once; counting every pair was most of the time)
    src_kept = [ids[src_count[ids] >= MIN_COOCCURRENCES] for ids in src_ids]
    tgt_kept = [ids[tgt_count[ids] >= MIN_COOCCURRENCES] for ids in tgt_ids]
    together = np.concatenate([(src_kept[i][:, None] * width + tgt_kept[j][None, :]).ravel() for i, j in pairs])
    keys, counts = np.unique(together, return_counts=True)
    s, t = keys // width, keys % width
    dice = 2.0 * counts / (src_count[s] + tgt_count[t])
    keep = (counts >= MIN_COOCCURRENCES) & (dice >= MIN_DICE)
    s, t, dice = s[keep], t[keep], dice[keep]
    # each source word's best partner (ties: the first target word met)
    order = np.lexsort((t, -dice, s))
    s, t, dice = s[order], t[order], dice[order]
    first = np.concatenate([[True], s[1:] != s[:-1]]) if len(s) else np.zeros(0, dtype=bool)
    return Lexicon(src_vocabulary, tgt_vocabulary, s[first], t[first], dice[first], len(pairs), src_ids, tgt_ids)


def lexicon_rows(lexicon: Lexicon, dims: int) -> tuple[SentenceRows, SentenceRows]:
    """Both sides as vectors of the lexicon entries each sentence holds (the square root of
    the entry's Dice on each side, so that a shared entry adds its Dice to the dot)."""
    columns = (lexicon.source_word * _PAIR_PRIMES[0] + lexicon.target_word * _PAIR_PRIMES[1]) % dims
    values = np.sqrt(lexicon.dice).astype(np.float32)

    def side(ids: list[np.ndarray], entry_word: np.ndarray) -> SentenceRows:
        # a word's entries: one at most on the source side, maybe several on the target side
        order = np.argsort(entry_word, kind="stable")
        words, cols, vals = entry_word[order], columns[order], values[order]
        rows = np.repeat(np.arange(len(ids), dtype=np.int64), [len(x) for x in ids])
        held = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        lo, hi = np.searchsorted(words, held, side="left"), np.searchsorted(words, held, side="right")
        many = hi - lo
        entry = np.repeat(lo - np.concatenate([[0], np.cumsum(many)[:-1]]), many) + np.arange(many.sum())
        return SentenceRows.from_cells(len(ids), dims, np.repeat(rows, many) * dims + cols[entry], vals[entry])

    return side(lexicon.source_ids, lexicon.source_word), side(lexicon.target_ids, lexicon.target_word)
