"""Tokens a translation keeps as they are, and the beads that lose them.

Numbers survive translation; so, between texts in two scripts, do the words one text
writes in the other's script (a Latin name, title or acronym in a Russian text is the
same word in the English one). A bead one side of which holds such a token that its
other side lacks is probably not a translation of that side: of two neighbouring
sentences that compete for one target sentence, the one with "100" or "WNED Buffalo"
that the target does not mention is the one the translator left out. The cosine of the
other evidence cannot say so, since a token missing lowers it no more than any other
feature does; so each such token costs the bead :attr:`AlignParams.verbatim_weight`
(:func:`.scoring.bead_scores`, Evidence ``miss``).

Each side gets two binary rows per sentence over the tokens either text keeps (one column
each, no hashing): the tokens it must keep (its numbers, and its words in the other
text's script where the scripts differ), and those of them it holds as a translation of
the other side would (its numbers, its number words as numbers, its folded words). A
bead's kept tokens less their dot with the other side's held ones are the tokens missing.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Sequence

import numpy as np

from .features import NUMBER, fold, number_token
from .rows import SentenceRows

_SCRIPT_WORD = {"latin": re.compile(r"[A-Za-z\u00c0-\u024f]{2,}"), "cyrillic": re.compile(r"[\u0400-\u04ff]{2,}")}
# A Roman numeral in a Russian text ("XIX век", "Людовик XIV") is no Latin word a
# translation keeps: English writes "19th century" as often as not. Those of centuries,
# monarchs and chapters, up to XXXIX (with C, D, L and M, "CD", "DC" and "MD" would be
# numerals too, and they are abbreviations a translation keeps)
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")


def _number_words() -> dict[str, str]:
    """Number words of the languages Diptych reads and Text+Berg's German, folded as
    :func:`.features.fold` folds text (Russian transliterated, in the cases a number
    takes most), as the number tokens they stand for: a text that writes "fourteen" holds
    what "14" keeps. Held only: a spelled number is never a token a translation must keep
    (it may come out as digits or as words)."""
    table = {
        1: "one un une eins odin odna odno odnogo", 2: "two deux zwei dva dve dvukh dvum", 3: "three trois drei tri trekh trem",
        4: "four quatre vier chetyre chetyrekh", 5: "five cinq funf fuenf pyat pyati", 6: "six sechs shest shesti",
        7: "seven sept sieben sem semi", 8: "eight huit acht vosem vosmi", 9: "nine neuf neun devyat devyati",
        10: "ten dix zehn desyat desyati", 11: "eleven onze elf odinnadtsat", 12: "twelve douze zwolf dvenadtsat",
        13: "thirteen treize dreizehn trinadtsat", 14: "fourteen quatorze vierzehn chetyrnadtsat",
        15: "fifteen quinze funfzehn pyatnadtsat", 16: "sixteen seize sechzehn shestnadtsat",
        17: "seventeen siebzehn semnadtsat", 18: "eighteen achtzehn vosemnadtsat", 19: "nineteen neunzehn devyatnadtsat",
        20: "twenty vingt zwanzig dvadtsat", 30: "thirty trente dreissig tridtsat", 40: "forty quarante vierzig sorok",
        50: "fifty cinquante funfzig pyatdesyat", 60: "sixty soixante sechzig shestdesyat", 70: "seventy siebzig semdesyat",
        80: "eighty achtzig vosemdesyat", 90: "ninety neunzig devyanosto", 100: "hundred cent hundert sto",
        1000: "thousand mille tausend tysyacha tysyachi tysyach"}
    return {word: f"#{number}" for number, words in table.items() for word in words.split()}


NUMBER_WORDS = _number_words()


def _hits(sentences: Sequence[str], pattern: re.Pattern, token) -> tuple[np.ndarray, list[str]]:
    """Rows and tokens of every match of ``pattern`` as ``token(match)`` makes it, the
    pattern run once over the sentences joined by line breaks (no pattern here crosses one)."""
    if any("\n" in s for s in sentences):
        found = [(r, token(m)) for r, s in enumerate(sentences) for m in pattern.finditer(s)]
        return np.array([r for r, _ in found], dtype=np.int64), [t for _, t in found]
    text = "\n".join(sentences)
    starts = np.concatenate([[0], np.cumsum([len(s) + 1 for s in sentences])[:-1]]).astype(np.int64)
    matches = list(pattern.finditer(text))
    rows = np.searchsorted(starts, np.array([m.start() for m in matches], dtype=np.int64), side="right") - 1
    return rows.astype(np.int64), [token(m) for m in matches]


class _Tokens(NamedTuple):
    """One side's numbers, its words in the other's script, and its words (:func:`.features.word_ids`)."""

    number_rows: np.ndarray
    numbers: list[str]
    foreign_rows: np.ndarray
    foreign: list[str]
    word_ids: list[np.ndarray]
    vocabulary: dict[str, int]


def _tokens(sentences: Sequence[str], words: tuple[list[np.ndarray], dict[str, int]], other_script: str | None) -> _Tokens:
    number_rows, numbers = _hits(sentences, NUMBER, lambda m: number_token(m.group(0)))
    foreign_rows, foreign = np.zeros(0, dtype=np.int64), []
    if other_script:
        # words in the other's script are rare in a text: only the sentences with one are read
        pattern = _SCRIPT_WORD[other_script]
        with_some = [r for r, s in enumerate(sentences) if pattern.search(s)]
        rows, foreign = _hits([sentences[r] for r in with_some], pattern, lambda m: "" if _ROMAN.fullmatch(m.group(0)) else fold(m.group(0)))
        rows = np.array(with_some, dtype=np.int64)[rows] if len(rows) else rows
        kept = [i for i, t in enumerate(foreign) if t]
        foreign_rows, foreign = rows[kept], [foreign[i] for i in kept]
    return _Tokens(number_rows, numbers, foreign_rows, foreign, *words)


def _rows(n: int, dims: int, rows: np.ndarray, cols: np.ndarray) -> SentenceRows:
    cells = np.unique(rows * dims + cols)  # each token once per sentence
    return SentenceRows.from_cells(n, dims, cells, np.ones(len(cells), dtype=np.float32))


def kept_and_held(src: Sequence[str], tgt: Sequence[str], words: tuple, scripts: tuple[str, str]) -> tuple[SentenceRows, SentenceRows]:
    """Both sides' kept and held tokens as one pair of matrices whose dot products count
    the tokens either side keeps that the other holds: a column per token either side
    keeps, the source's kept tokens first, then its held ones; the target's held tokens
    first, then its kept ones (:func:`kept_columns`). ``words``: both sides through
    :func:`.features.word_ids`; ``scripts``: both sides' ("latin" or "cyrillic")."""
    differ = scripts[0] != scripts[1]
    sides = (_tokens(src, words[0], scripts[1] if differ else None), _tokens(tgt, words[1], scripts[0] if differ else None))
    column = {t: c for c, t in enumerate(dict.fromkeys(t for side in sides for t in side.numbers + side.foreign))}
    dims = max(len(column), 1)

    def columns(tokens: list[str]) -> np.ndarray:
        return np.fromiter((column[t] for t in tokens), dtype=np.int64, count=len(tokens))

    def kept_and_held_of(side: _Tokens) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        number_cols = columns(side.numbers)  # a number is kept and held alike
        kept = np.concatenate([side.number_rows, side.foreign_rows]), np.concatenate([number_cols, columns(side.foreign)])
        # per word of the vocabulary, the kept token it is (itself, or the number it
        # spells), or -1: most words are no kept token of either text
        as_word = np.fromiter((column.get(w, -1) for w in side.vocabulary), dtype=np.int64, count=len(side.vocabulary))
        as_number = np.fromiter((column.get(NUMBER_WORDS.get(w, ""), -1) for w in side.vocabulary), dtype=np.int64, count=len(side.vocabulary))
        flat = np.concatenate(side.word_ids) if side.word_ids else np.zeros(0, dtype=np.int64)
        word_rows = np.repeat(np.arange(len(side.word_ids), dtype=np.int64), [len(x) for x in side.word_ids])
        rows = np.concatenate([side.number_rows, word_rows, word_rows])
        cols = np.concatenate([number_cols, as_word[flat], as_number[flat]])
        return kept, (rows[cols >= 0], cols[cols >= 0])

    (src_kept_rows, src_kept_cols), (src_held_rows, src_held_cols) = kept_and_held_of(sides[0])
    (tgt_kept_rows, tgt_kept_cols), (tgt_held_rows, tgt_held_cols) = kept_and_held_of(sides[1])
    x = _rows(len(src), 2 * dims, np.concatenate([src_kept_rows, src_held_rows]), np.concatenate([src_kept_cols, dims + src_held_cols]))
    y = _rows(len(tgt), 2 * dims, np.concatenate([tgt_held_rows, tgt_kept_rows]), np.concatenate([tgt_held_cols, dims + tgt_kept_cols]))
    return x, y


def kept_columns(rows: SentenceRows, side: str) -> tuple[int, int]:
    """The columns of ``side``'s kept tokens in :func:`kept_and_held`'s matrices."""
    half = rows.dims // 2
    return (0, half) if side == "src" else (half, rows.dims)
