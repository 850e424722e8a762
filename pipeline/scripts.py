"""Writing systems: which letters are Cyrillic. Russian is told apart by its script alone,
so several stages ask this question; they ask it here."""

from __future__ import annotations

import re

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LETTER = re.compile(r"[^\W\d_]")


def script_counts(text: str) -> tuple[int, int]:
    """(Cyrillic letters, other letters)."""
    cyr = len(CYRILLIC.findall(text))
    return cyr, len(LETTER.findall(text)) - cyr


def mostly_cyrillic(text: str) -> bool:
    cyr, other = script_counts(text)
    return cyr > other
