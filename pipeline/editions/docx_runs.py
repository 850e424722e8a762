"""A block's English as runs: which stretches are bold or italic, and where its note
markers stand, for the DOCX writers.

The rule that puts the reader's bold and italic spans (``spans`` in the block's layout
entry) back on the English, where no word of the English is known to stand for a word of
the source:

* a span that covers a whole sentence (all its letters and digits; the punctuation and
  note markers around them need not be) makes that sentence's English bold or italic: a
  paragraph in italics stays in italics, and so does an italic sentence inside it;
* a shorter span whose text is found as it is in its sentence's English, as whole words
  (a name, a title, a figure, a word left in its language), formats that place of the
  English, the first time it stands there;
* any other span is lost: its words are somewhere in the English, but where, no one
  knows without an alignment of words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..bilingual import english_of
from ..doc import Block, Document
from ..readers.wordml import superscript

_SUPERSCRIPTS = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# the shortest text of a span worth looking for in the English
MIN_FOUND = 2


@dataclass
class Run:
    text: str
    fmt: str | None = None  # "b", "i", "bi"
    note: int | None = None  # a note marker: the note's number (text is its superscript)


def entry_of(doc: Document, block: Block) -> dict | None:
    layout = doc.source.get("layout") or []
    n = block.meta.get("layout")
    return layout[n] if isinstance(n, int) and 0 <= n < len(layout) else None


def translated(block: Block) -> bool:
    return any(seg.translation is not None for seg in block.segments)


def _core(text: str, a: int, b: int) -> tuple[int, int]:
    """The stretch of ``text[a:b]`` from its first to its last letter or digit."""
    while a < b and not (text[a].isalpha() or text[a] in "0123456789"):
        a += 1
    while b > a and not (text[b - 1].isalpha() or text[b - 1] in "0123456789"):
        b -= 1
    return a, b


def english_runs(doc: Document, block: Block, notes: set[int] = frozenset(), *, keep_source: bool = False) -> list[Run]:
    """The block's English (as :func:`~pipeline.editions.common.english_block` joins it)
    in runs, bold and italic put back by the module's rule, and each marker of one of
    ``notes`` a run of its own. With ``keep_source``, a sentence still awaiting its
    translation stays as it is (a document translated in place loses no sentence)."""
    entry = entry_of(doc, block) or {}
    spans = entry.get("spans") or []
    base = entry.get("span", block.span)[0]
    raw = doc.text[base:entry["span"][1]] if entry else block.text
    out: list[Run] = []
    for seg in block.segments if translated(block) else ():
        english = _with_slots(seg, notes)
        if english is None and keep_source:
            english = seg.text
        if not english:
            continue
        a, b = _core(raw, max(0, seg.span[0] - base), min(len(raw), seg.span[1] - base))
        fmts: list[str | None] = [None] * len(english)
        for s, e, fmt in spans:
            if s <= a and e >= b and a < b:
                fmts = [fmt] * len(english)
            elif a <= s and e <= b:
                found = " ".join(raw[s:e].split())
                m = re.search(rf"(?<!\w){re.escape(found)}(?!\w)", english) if len(found) >= MIN_FOUND else None
                if m:  # as a whole word: an italic "en" is not the end of "Queen"
                    fmts[m.start():m.end()] = [fmt] * len(found)
        if out:
            same = out[-1].fmt if out[-1].fmt == (fmts[0] if fmts else None) else None
            out.append(Run(" ", same))
        out += _split(english, fmts)
    if not translated(block):
        out = [Run(block.text)]
    return _markers(_merge(out), notes)


# A note marker's place in the English, as the marker hook puts it back: a private-use
# character per marker (its number in it), padded to the marker's length, stands in for it
# while the English is made, so that a superscript of the English's own (m², a model's
# copy of one) is never taken for the marker
_SLOT, _PAD = 0xE000, "\uf8ff"
_SLOTS = re.compile(f"([\ue000-\uefff]){_PAD}*")
_MARKS = re.compile(f"([\ue000-\uefff]){_PAD}*|([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")


def _with_slots(seg, notes: set[int]) -> str | None:
    refs = [r for r in seg.footnote_refs if r.get("n") in notes and len(r.get("marker", "")) >= 1]
    if not refs or seg.translation is None or seg.meta.get("edited"):
        return english_of(seg)
    text = seg.text
    slotted = []
    for ref in refs:
        at, marker = ref["offset"], ref["marker"]
        if text[at:at + len(marker)] != marker or not 0 < ref["n"] < 0x1000:
            return english_of(seg)
        slot = chr(_SLOT + ref["n"]) + _PAD * (len(marker) - 1)
        text = text[:at] + slot + text[at + len(marker):]
        slotted.append({**ref, "marker": slot})
    return english_of(replace(seg, text=text, footnote_refs=slotted + [r for r in seg.footnote_refs if r not in refs]))


def _split(text: str, fmts: list[str | None]) -> list[Run]:
    out: list[Run] = []
    for ch, fmt in zip(text, fmts):
        if out and out[-1].fmt == fmt:
            out[-1].text += ch
        else:
            out.append(Run(ch, fmt))
    return out


def _merge(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if out and out[-1].fmt == run.fmt and out[-1].note is None and run.note is None:
            out[-1].text += run.text
        elif run.text:
            out.append(run)
    return out


def _markers(runs: list[Run], notes: set[int]) -> list[Run]:
    """Each marker of one of ``notes`` cut out as a marker run, once: where its slot
    stands, else (an English edited by hand, a sentence left as it was) the first
    superscript number that is its number. A slot not taken reads as its superscript."""
    if not notes:
        return runs
    slot_notes = {ord(m.group(1)) - _SLOT for run in runs for m in _SLOTS.finditer(run.text)}
    out: list[Run] = []
    placed: set[int] = set()
    for run in runs:
        pos = 0
        for m in _MARKS.finditer(run.text):
            slot = m.group(1) is not None
            n = ord(m.group(1)) - _SLOT if slot else int(m.group(2).translate(_FROM_SUPERSCRIPT))
            if m.start() > pos:
                out.append(Run(run.text[pos:m.start()], run.fmt))
            pos = m.end()
            if n in notes and n not in placed and (slot or n not in slot_notes):
                placed.add(n)
                out.append(Run(superscript(n), None, note=n))
            else:
                out.append(Run(superscript(n) if slot else m.group(), run.fmt))
        if pos < len(run.text):
            out.append(Run(run.text[pos:], run.fmt))
    return _merge(out)
