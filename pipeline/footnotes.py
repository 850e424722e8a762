"""Footnote markers: find them in the text and link them to their notes.

Scraped and extracted text glues note numbers to words and punctuation: ``Carr4``,
``révolution.2``, ``international »3``, even to other numbers: ``novembre 20171`` (the
year 2017, then note 1) or ``3,50017`` (3,500, then note 17). A number glued to a word is
only taken for a marker when the document has notes and the number is the next one
expected: markers come in order through a text, and that order is what tells ``Carr4``
from ``G20``. Explicit markup (``<sup>1</sup>``, ``[1]``) is always a marker.

Markers stay in the text (nothing the user gave is changed); their positions go in the
record (``block.meta["footnote_markers"]``, then each segment's ``footnote_refs``), the
translator never sees them, and the English side gets them back at the same place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .doc import Document
from .scan import matches_at
from .scripts import BULLETS

VERSION = "footnotes/1"

# The number a note starts with: "• 9See", "• 1.6 novembre" (note 1), "12. Text", "[3] Text".
_NOTE_NUMBER = re.compile(rf"^\s*(?:[{BULLETS}*-]\s*)?(?:\[(\d{{1,3}})\]|<sup>(\d{{1,3}})</sup>|(\d{{1,3}})(?:[.)]|(?=[^\W\d_]|[«“\"'‘(])|\s))")
_EXPLICIT = re.compile(r"<sup>\s*(\d{1,3})\s*</sup>|\[(\d{1,3})\]")
# (?=\d) first: the lookbehinds are then tried at digits only, not at every character
_AFTER_LETTER = re.compile(r"(?=\d)(?<=[^\W\d_])(\d{1,3})(?![\w])")
_AFTER_PUNCT = re.compile(r"(?=\d)(?<=[.,;:!?»”\"’)\]])(\d{1,3})(?![\w])")
# a year or a number with thousands separators, then the marker's digits
_AFTER_NUMBER = re.compile(r"(?=\d)(?<![\d.,])(?:1[5-9]\d\d|20\d\d|\d{1,3}(?:[,\u00a0\u202f ]\d{3})+)(\d{1,2})(?![\w])")
# How many notes may lack a marker before the next glued number is still believed.
MAX_SKIP = 2


@dataclass
class _Candidate:
    start: int
    end: int
    n: int
    explicit: bool


_LEADING_DIGITS = re.compile(rf"^\s*(?:[{BULLETS}*-]\s*)?(\d+)")


def note_number(text: str, expected: int | None = None) -> int | None:
    """The number a note starts with; ``expected`` settles glued text like "• 623 November"
    (note 6: "23 November")."""
    if expected is not None:
        m = _LEADING_DIGITS.match(text)
        if m and m.group(1) != str(expected) and m.group(1).startswith(str(expected)):
            return expected
    m = _NOTE_NUMBER.match(text)
    if not m:
        return None
    return int(next(g for g in m.groups() if g))


_DIGIT = re.compile(r"\d")
_DIGIT_RUN = re.compile(r"\d+")


def _digit_run_starts(text: str) -> list[int]:
    """Where runs of digits start: the only places a glued pattern can match (its
    lookbehind refuses a digit before), so each is tried there (:func:`.scan.matches_at`)
    rather than at every character."""
    return [run.start() for run in _DIGIT_RUN.finditer(text)]


def _candidates(text: str, glued: bool = True) -> list[_Candidate]:
    """Explicit markers and, where ``glued``, numbers glued to words, punctuation and
    numbers (only believed where the document has notes: without, they are not sought)."""
    # every marker holds a digit: a block without one (most of them) is read once, not four times
    if not _DIGIT.search(text):
        return []
    found: dict[int, _Candidate] = {}
    if "<" in text or "[" in text:
        for m in _EXPLICIT.finditer(text):
            found[m.start()] = _Candidate(m.start(), m.end(), int(m.group(1) or m.group(2)), True)
    if not glued:
        return sorted(found.values(), key=lambda c: c.start)
    run_starts = _digit_run_starts(text)
    for pattern in (_AFTER_LETTER, _AFTER_PUNCT, _AFTER_NUMBER):
        for m in matches_at(pattern, text, run_starts):
            start = m.start(1)
            if start in found or text[start - 1 : start] == ">":
                continue
            if pattern is _AFTER_PUNCT and text[start - 1] in ".," and start >= 2 and text[start - 2].isdigit():
                continue  # a decimal: 49.3, 3,3
            if pattern is _AFTER_NUMBER and text[m.start() : start].count(" "):
                token = text[text.rfind(" ", 0, start) + 1 : m.end(1)]
                if token.isdigit() and 1500 <= int(token) <= 2099:
                    continue  # "May 21 1871": a day and a year, not 21,187 and note 1
            found[start] = _Candidate(start, m.end(1), int(m.group(1)), False)
    return sorted(found.values(), key=lambda c: c.start)


def mark_footnotes(doc: Document) -> Document:
    """Record note numbers on footnote blocks and marker positions on the other blocks."""
    inventory: dict[int, str] = {}
    previous = None
    for block in doc.blocks:
        block.meta.pop("footnote_markers", None)
        if block.kind == "footnote":
            n = note_number(block.text, None if previous is None else previous + 1)
            if n is not None:
                block.meta["footnote"] = n
                inventory.setdefault(n, block.id)
                previous = n
    expected = min(inventory) if inventory else None
    total = 0
    for block in doc.blocks:
        if block.kind in ("footnote", "junk", "meta"):
            continue
        markers = []
        for c in _candidates(block.text, glued=bool(inventory)):
            if c.explicit:
                ok = not inventory or c.n in inventory
            else:
                ok = expected is not None and c.n in inventory and expected <= c.n <= expected + MAX_SKIP
            if not ok:
                continue
            if expected is not None and c.n >= expected:
                expected = c.n + 1
            markers.append({"start": c.start, "end": c.end, "n": c.n, "marker": block.text[c.start : c.end], "note": inventory.get(c.n)})
        if markers:
            block.meta["footnote_markers"] = markers
            total += len(markers)
    doc.provenance["footnotes"] = {"version": VERSION}
    doc.meta["footnotes"] = {"notes": len(inventory), "markers": total}
    return doc
