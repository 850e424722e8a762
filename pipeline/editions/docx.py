"""The Word editions: the document translated in place (``.en.docx``) and side by side in a
two-column table (``.bilingual.docx``).

A document read from a DOCX is translated inside its own file (:mod:`.docx_inplace`).
Any other document (a PDF, a text) asked for a DOCX gets a new one, built from the
record's content blocks with Word's built-in styles: ``Title`` and ``Heading 1`` to
``Heading 9`` for headings by level, ``List Bullet`` for list items, ``Quote``,
``Caption``, and ``Normal`` for the rest (notes in smaller type); the marks of plain text
that a style stands for (a Markdown heading's hashes, a bullet) are left out. The bilingual edition is
always new: a table of two columns, the source and its English, one row per block, its
header row repeated on every page, each cell styled as its block. Both carry the edition's
signature in their core properties (``description``) and the English's language.
"""

from __future__ import annotations

import io
import re

from ..doc import Block, Document
from ..scripts import BULLETS
from .common import demo_notice, signature_line, target_lang
from .docx_inplace import translate_in_place
from .docx_runs import Run, english_runs, entry_of

NOTE_SIZE_PT = 9
BULLET = re.compile(rf"^[{BULLETS}*+-]\s+")
_HEADING_MARKS = re.compile(r"^#{1,6}\s+")


def render_docx(doc: Document, original: bytes | None) -> bytes:
    """The English document: ``original`` translated in place, or a new one."""
    if original is not None:
        return translate_in_place(doc, original)
    document = _new(doc)
    for block in doc.content_blocks():
        p = document.add_paragraph(style=style_for(block, doc))
        _add_runs(p, unmarked(english_runs(doc, block), block), note=block.kind == "footnote")
    return _bytes(document)


def render_bilingual_docx(doc: Document, original: bytes | None) -> bytes:
    """Source and English side by side, one table row per block (``original`` unused)."""
    from docx.oxml import OxmlElement

    document = _new(doc)
    table = document.add_table(rows=1, cols=2)
    table.style = document.styles["Table Grid"]
    source_lang = next((b.lang for b in doc.content_blocks() if b.lang and b.lang != "und"), "source")
    header = table.rows[0]
    for cell, text in zip(header.cells, (source_lang, target_lang(doc))):
        cell.paragraphs[0].add_run(text).bold = True
    repeat = OxmlElement("w:tblHeader")
    header._tr.get_or_add_trPr().append(repeat)
    for block in doc.content_blocks():
        left, right = table.add_row().cells
        style = style_for(block, doc)
        for cell, runs in ((left, source_runs(doc, block)), (right, english_runs(doc, block))):
            p = cell.paragraphs[0]
            p.style = document.styles[style]
            _add_runs(p, unmarked(runs, block), note=block.kind == "footnote")
    for row in table.rows[1:]:  # a row is not cut across pages unless it must be
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return _bytes(document)


def style_for(block: Block, doc: Document) -> str:
    """The built-in style of a block in a new document."""
    entry = entry_of(doc, block) or {}
    if block.kind == "heading":
        if (block.meta.get("location") or {}).get("style") == "Title":
            return "Title"
        level = entry.get("level") or 1
        return f"Heading {min(max(int(level), 1), 9)}"
    if block.kind == "list_item":
        style = str((block.meta.get("location") or {}).get("style", ""))
        if style.startswith("List Number"):
            return "List Number"  # Word numbers it: the text holds no number
        return "List Bullet" if BULLET.match(block.text) or style.startswith("List") else "List Paragraph"
    return {"quote": "Quote", "caption": "Caption"}.get(block.kind, "Normal")


def unmarked(runs: list[Run], block: Block) -> list[Run]:
    """Runs without the marks of plain text that a style now stands for: a heading's
    hashes, a list item's bullet (a number stays: the item keeps its own)."""
    mark = _HEADING_MARKS if block.kind == "heading" else BULLET if block.kind == "list_item" else None
    if mark is None or not runs:
        return runs
    first = mark.sub("", runs[0].text, count=1)
    return ([Run(first, runs[0].fmt)] if first else []) + runs[1:]


def source_runs(doc: Document, block: Block) -> list[Run]:
    """The source text of a block, with its bold and italic where the record's text is the
    reader's, character for character (no line-end hyphen repaired inside it)."""
    entry = entry_of(doc, block) or {}
    raw = doc.text[entry["span"][0]:entry["span"][1]] if entry else ""
    spans = entry.get("spans") or []
    if not spans or raw.replace("\n", " ") != block.text:
        return [Run(block.text)]
    fmts = [None] * len(raw)
    for s, e, fmt in spans:
        fmts[s:e] = [fmt] * (e - s)
    out: list[Run] = []
    for ch, fmt in zip(block.text, fmts):
        if out and out[-1].fmt == fmt:
            out[-1].text += ch
        else:
            out.append(Run(ch, fmt))
    return out


def _new(doc: Document):
    import docx

    document = docx.Document()
    props = document.core_properties
    props.language = target_lang(doc)
    props.title = doc.id
    props.comments = signature_line(doc)
    notice = demo_notice(doc)
    if notice:
        document.add_paragraph().add_run(notice).bold = True
    return document


def _add_runs(p, runs: list[Run], note: bool = False) -> None:
    from docx.shared import Pt

    for run in runs:
        r = p.add_run(run.text)
        if run.fmt:
            r.bold = "b" in run.fmt or None
            r.italic = "i" in run.fmt or None
        if note:
            r.font.size = Pt(NOTE_SIZE_PT)


def _bytes(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
