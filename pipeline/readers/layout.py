"""The text of a document whose format marks its blocks, built block by block.

A PDF, EPUB, DOCX or HTML reader knows what a text file does not: where each paragraph,
heading, note or running header starts and ends, and where it stands in the file. It
hands each block to :class:`LayoutText` as its lines (a PDF's lines as printed, so that
the front end repairs line-end hyphens with the document's own vocabulary; one line for
a paragraph of markup), its kind where the markup or the layout says it, and its
location. The document's text is the blocks' lines, a newline between two lines and a
blank line between two blocks; ``document.source["layout"]`` lists the blocks with their
spans in that text, and :func:`pipeline.frontend.structure.structure` takes them as they
are instead of guessing blocks from blank lines.

An entry of ``source["layout"]``::

    {"span": [start, end], "kind": "paragraph" | "heading" | ... | None,
     "location": {"label": "p. 12", ...the reader's own keys...}, ...the reader's extras}

``kind`` None lets the front end decide by the block's words, as for text; ``location``
is what a writer needs to put the English back (an EPUB's spine item and element path, a
DOCX paragraph's index), and its ``label`` is what the review page shows. Extras are the
reader's (a heading's ``level``, a DOCX run's ``spans``); ``continues: True`` on a body
block says that it runs on into the next body block (a paragraph cut by a page end),
whatever the reader put in between (running headers, page numbers, notes).
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any

from ..doc import BLOCK_KINDS, Document

# Characters that end a line in some text layers or markup; inside a line, a block's
# lines are split there (a block's lines are joined with "\n" and nothing else).
_LINE_BREAKS = str.maketrans({"\r": "\n", "\v": "\n", "\f": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
# A tab and the no-break spaces stay (typography); other C0 controls a text layer leaves
# (PDFium's 0x02 for a hyphen it added, 0x00 padding) never belong to the text.
_CONTROLS = {c: None for c in range(32) if c not in (9, 10)} | {0x7F: None}


class LayoutText:
    """Blocks in, one :class:`Document` out (see the module's docstring)."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self.entries: list[dict[str, Any]] = []

    def add(self, lines: str | list[str], *, kind: str | None = None, location: dict[str, Any], **extra: Any) -> dict[str, Any] | None:
        """One block: its lines (a string is split at its line breaks), kept in NFC;
        blank lines are left out, and a block with no text is not added (None).
        Returns the block's entry, where the reader may add what it learns later."""
        if kind is not None and kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {kind!r}")
        if "label" not in location:
            raise ValueError("a block's location needs a label (what the review page shows)")
        if isinstance(lines, str):
            lines = [lines]
        kept = []
        for line in lines:
            for piece in unicodedata.normalize("NFC", line.translate(_LINE_BREAKS)).split("\n"):
                piece = piece.translate(_CONTROLS).strip()
                if piece:
                    kept.append(piece)
        if not kept:
            return None
        if self._parts:
            self._parts.append("\n\n")
            self._pos += 2
        body = "\n".join(kept)
        entry = {"span": [self._pos, self._pos + len(body)], "kind": kind, "location": dict(location), **extra}
        self._parts.append(body)
        self._pos += len(body)
        self.entries.append(entry)
        return entry

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def document(self, doc_id: str, *, data: bytes, origin: str, reader: str, version: str, library: str,
                 **source: Any) -> Document:
        """The document: its text, ``source`` (the file's hash, size and path, the reader,
        its blocks, and what else the reader records) and the reader's provenance: its
        ``version`` (``pdf/1``) and the ``library`` that parsed the file (``pypdfium2-5.15.2``),
        both in the editions' signature."""
        doc = Document(id=doc_id, text=self.text)
        doc.source = {
            "path": origin,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "reader": reader,
            **source,
            "layout": self.entries,
        }
        doc.provenance["ingest"] = {"version": version, "reader": reader, "library": library}
        return doc


def located(doc: Document) -> list[dict[str, Any]] | None:
    """The reader's blocks of a document, or None for text read as text."""
    return doc.source.get("layout")
