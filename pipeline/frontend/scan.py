"""Pattern matching where a pattern can only start at a few known places."""

from __future__ import annotations

import re
from typing import Iterable


def matches_at(pattern: re.Pattern, text: str, starts: Iterable[int]) -> list[re.Match]:
    """What ``pattern.finditer(text)`` finds, given every position (ascending) where a
    match can start: the pattern is tried at those places only, rather than at every
    character, and, as finditer does, not inside the match before. Worth it where the
    pattern opens with a lookahead or lookbehind, which keeps the regex engine from its
    fast scan for a first character."""
    found: list[re.Match] = []
    end = 0
    for at in starts:
        if at >= end:
            m = pattern.match(text, at)
            if m:
                found.append(m)
                end = m.end()
    return found
