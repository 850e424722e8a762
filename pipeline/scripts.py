"""Writing systems: which letters are Cyrillic. Russian is told apart by its script alone,
so several stages ask this question; they ask it here."""

from __future__ import annotations

import re

# Typographic bullets that start a list item wherever they stand; "-", "*" and "+" do so
# only before a space (Markdown's list markers), which each pattern adds as it needs.
BULLETS = "•·▪◦‣●"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LETTER = re.compile(r"[^\W\d_]")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
# U+0400-U+04FF is exactly the UTF-8 sequences that start with bytes D0-D3
_CYRILLIC_LEAD_BYTES = (b"\xd0", b"\xd1", b"\xd2", b"\xd3")


# the ASCII characters that are not letters, deleted from the UTF-8 bytes at C speed
_ASCII_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
# the punctuation and spaces of French and Russian typography, deleted the same way, so
# that their sentences rarely need the pattern: ’ « » no-break spaces — – … “ ” „
_COMMON_MARKS = tuple(c.encode("utf-8") for c in "\u2019\u00ab\u00bb\u00a0\u202f\u2014\u2013\u2026\u201c\u201d\u201e")


def script_counts(text: str) -> tuple[int, int]:
    """(Cyrillic letters, other letters).

    Runs on every block and sentence of every document, so it counts without building a
    list per character: spaces, digits and ASCII punctuation are deleted from the UTF-8
    bytes; what is left is all letters when it is ASCII or passes ``isalpha`` (a letter
    by ``isalpha`` is one by the pattern ``LETTER``), and only otherwise goes through the
    pattern (a fifth as many characters; the pattern over whole sentences was a fifth of
    the front end's time). Cyrillic letters are counted by their UTF-8 lead bytes."""
    raw = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_NOT_LETTERS)
    if raw.isascii():
        return 0, len(raw)
    for mark in _COMMON_MARKS:  # whole UTF-8 sequences: no other character contains them
        if mark in raw:
            raw = raw.replace(mark, b"")
    return _counts_of_letters(raw.decode("utf-8", "surrogatepass"))


def _counts_of_letters(rest: str) -> tuple[int, int]:
    """(Cyrillic, other) letters of what is left once ASCII non-letters are gone."""
    letters = rest if rest.isalpha() else _NOT_LETTERS.sub("", rest)
    if not CYRILLIC.search(letters):
        return 0, len(letters)
    cyr = sum(letters.encode("utf-8").count(lead) for lead in _CYRILLIC_LEAD_BYTES)
    return cyr, len(letters) - cyr


# the same, NUL kept: it separates the texts of script_counts_many
_ASCII_NOT_LETTERS_BUT_NUL = _ASCII_NOT_LETTERS.replace(b"\x00", b"")


def script_counts_many(texts: list[str]) -> list[tuple[int, int]]:
    """:func:`script_counts` of every text, the ASCII deletion done once over them all
    joined by NUL (per call, encoding and deleting cost more than the counting). The few
    texts with a character outside ASCII left are counted as :func:`script_counts` does,
    less the marks' removal, which over a whole document cost more than it saved. Texts
    that hold NUL themselves are counted one by one."""
    joined = "\x00".join(texts)
    if len(texts) < 2 or joined.count("\x00") != len(texts) - 1:
        return [script_counts(t) for t in texts]
    counts = []
    for piece in joined.encode("utf-8", "surrogatepass").translate(None, _ASCII_NOT_LETTERS_BUT_NUL).split(b"\x00"):
        if piece.isascii():  # what is left of ASCII is letters
            counts.append((0, len(piece)))
        else:
            counts.append(_counts_of_letters(piece.decode("utf-8", "surrogatepass")))
    return counts


def mostly_cyrillic(text: str) -> bool:
    if not CYRILLIC.search(text):  # most text asked has no Cyrillic letter: nothing to count
        return False
    cyr, other = script_counts(text)
    return cyr > other
