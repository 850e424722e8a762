"""A text's lines, and the drafts of blocks the structure stage makes of them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..doc import Edit


@dataclass
class Line:
    start: int  # offset of the first character of the line
    end: int  # offset of the line end (the "\n" or end of text), trailing spaces included
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def content_start(self) -> int:
        return self.start + (len(self.text) - len(self.text.lstrip()))

    @property
    def content_end(self) -> int:
        return self.start + len(self.text.rstrip())

    @property
    def indented(self) -> bool:
        return self.text[:1] in (" ", "\t", "\u00a0")


def lines_of(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


@dataclass
class Draft:
    lines: list[Line]
    kind: str = "paragraph"
    note: str = ""
    entry: int | None = None  # the reader's block (its index in source["layout"]), if any


def located_drafts(lines: list[Line], entries: list[dict]) -> list[Draft]:
    """One draft per block of a reader that marks them, with that block's lines: nothing
    is guessed from blank lines or line lengths, the reader knows."""
    drafts, i = [], 0
    for n, entry in enumerate(entries):
        start, end = entry["span"]
        while i < len(lines) and lines[i].start < start:
            i += 1
        own = []
        while i < len(lines) and lines[i].start + len(lines[i].text) <= end:
            own.append(lines[i])
            i += 1
        if own:
            drafts.append(Draft(own, entry["kind"] or "paragraph", entry=n))
            drafts[-1].note = "" if entry["kind"] else "kind_from_words"
    return drafts


# Typographic ligatures (U+FB00 to U+FB06: ff, fi, fl, ffi, ffl, long s t, st) are one
# glyph of two or three letters in a text layer: read as those letters, so that the
# words are found, translated and aligned as words; a soft hyphen (U+00AD) marks where a
# word may be broken and is no letter either.
_TYPOGRAPHY = re.compile("[\ufb00-\ufb06\u00ad]")


def typography_edits(text: str, line: Line, last: bool) -> list[Edit]:
    edits = []
    for m in _TYPOGRAPHY.finditer(text, line.content_start, line.content_end):
        ch = m.group()
        if ch == "\u00ad":
            if m.end() == line.content_end and not last:
                continue  # the line-end join removes it
            edits.append(Edit(m.span(), "", "soft_hyphen"))
        else:
            edits.append(Edit(m.span(), unicodedata.normalize("NFKC", ch), "ligature"))
    return edits
