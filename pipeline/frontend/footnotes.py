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

from ..doc import Document
from .scan import matches_at
from ..scripts import BULLETS

VERSION = "footnotes/3"  # what each version changed: docs/versions.md

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


SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
# Superscript digits after a word or its punctuation: how a document reader writes a note
# marker it saw raised (a PDF's small raised digits, an EPUB's noteref). A unit is written
# so too (m², km³): a superscript is believed as a glued number is, in the notes' order.
_SUPERSCRIPT = re.compile(rf"(?<=[\w.,;:!?»”\"’)\]])([{SUPERSCRIPT_DIGITS}]{{1,3}})(?![\w])")
# The label a note opens with, after any bullet: "[3]", "<sup>4</sup>", "¹²", or digits
# with the full stop or parenthesis that may close them ("12.", "12)", "12").
_LABEL = re.compile(
    rf"^\s*(?:[{BULLETS}*-]\s*)?(?P<label>\[(\d{{1,3}})\]|<sup>\s*(\d{{1,3}})\s*</sup>|([{SUPERSCRIPT_DIGITS}]{{1,3}})|(\d+)([.)]?))"
)
# What follows a label written with its full stop or parenthesis ("2.Les", "1. Six", "3) «"):
# a space, a letter, an opening quote or bracket. A digit there ("1.6 novembre") may be a
# label glued to a date, or a decimal ("1.6 million"): only the notes' order tells.
_AFTER_LABEL = re.compile(r"$|\s|[^\W\d_]|[«“\"'‘(\[]")
# Letters that make a number an ordinal, not a label glued to a word: "1er mai", "2e",
# "3ème", "2nd", "1-й"; a label glued to a letter is otherwise one ("• 9See the appendix").
_ORDINAL = re.compile(r"(?:er|re|ère|e|ème|eme|nd|nde|st|rd|th|й|я|е|го|му)(?![^\W\d_])")


@dataclass(frozen=True)
class NoteLabel:
    """One reading of a note's label: its number, where it stands in the note's text, and
    whether it is certain by its form (else the notes' sequence must confirm it)."""

    n: int
    start: int
    end: int
    certain: bool


def label_readings(text: str) -> list[NoteLabel]:
    """The readings of the label ``text`` (a note) opens with, the certain one first."""
    m = _LABEL.match(text)
    if not m:
        return []
    _, bracket, sup, superscript, digits, stop = m.groups()
    if bracket or sup or superscript:
        n = bracket or sup or superscript.translate(_FROM_SUPERSCRIPT)
        return [NoteLabel(int(n), m.start("label"), m.end(), True)]
    rest, start = text[m.end():], m.start("label")
    readings = []
    if len(digits) <= 3:
        if stop:  # "1. Text", "2.Les": certain; "1.6 novembre": glued to a number
            readings.append(NoteLabel(int(digits), start, m.end(), bool(_AFTER_LABEL.match(rest))))
        elif rest[:1].isalpha() and not _ORDINAL.match(rest):  # "9See"
            readings.append(NoteLabel(int(digits), start, m.end(), True))
        elif rest[:1].isspace():  # "12 novembre": note 12, or a text that opens with a number
            readings.append(NoteLabel(int(digits), start, m.end(), False))
    if not stop:  # "623 November": note 6 and "23 November", or note 62 and "3 November"
        readings += [NoteLabel(int(digits[:k]), start, start + k, False) for k in range(1, min(3, len(digits) - 1) + 1)]
    return readings


def choose_label(readings: list[NoteLabel], expected: int | None = None, following: set[int] = frozenset()) -> NoteLabel | None:
    """The reading the notes' sequence confirms (the number expected after the previous
    note, or one less than the next note's), else the reading certain by its form."""
    for r in readings:
        if r.n == expected or r.n + 1 in following:
            return r
    return next((r for r in readings if r.certain), None)


def note_number(text: str, expected: int | None = None) -> int | None:
    """The number a note starts with; ``expected`` settles glued text like "• 623 November"
    (note 6: "23 November") or "• 1.6 novembre" (note 1: "6 novembre")."""
    label = choose_label(label_readings(text), expected)
    return None if label is None else label.n


_DIGIT = re.compile(r"\d")
_SUPERSCRIPT_DIGIT = re.compile(f"[{SUPERSCRIPT_DIGITS}]")
_DIGIT_OR_SUPERSCRIPT = re.compile(f"[\\d{SUPERSCRIPT_DIGITS}]")
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
    if not _DIGIT_OR_SUPERSCRIPT.search(text):
        return []
    found: dict[int, _Candidate] = {}
    if "<" in text or "[" in text:
        for m in _EXPLICIT.finditer(text):
            found[m.start()] = _Candidate(m.start(), m.end(), int(m.group(1) or m.group(2)), True)
    if _SUPERSCRIPT_DIGIT.search(text):
        for m in _SUPERSCRIPT.finditer(text):
            if m.start() not in found:
                found[m.start()] = _Candidate(m.start(), m.end(), int(m.group(1).translate(_FROM_SUPERSCRIPT)), False)
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
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    readings = [label_readings(b.text) for b in notes]
    previous = None
    for i, block in enumerate(notes):
        for key in ("footnote", "footnote_label"):
            block.meta.pop(key, None)
        following = {r.n for r in readings[i + 1]} if i + 1 < len(notes) else set()
        label = choose_label(readings[i], None if previous is None else previous + 1, following)
        if label is not None:
            n = label.n
            block.meta["footnote"] = n
            # the label's own characters, kept out of the model and put back in every edition
            block.meta["footnote_label"] = {"start": label.start, "end": label.end, "text": block.text[label.start : label.end]}
            inventory.setdefault(n, block.id)
            previous = n
    for block in doc.blocks:
        block.meta.pop("footnote_markers", None)
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
