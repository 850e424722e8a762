"""The DOCX reader: a Word document's body, tables and notes as blocks, with python-docx.

The body's paragraphs and tables are read in document order, each paragraph one block of
the kind its style says (python-docx resolves a style's name, its base styles are
followed): ``Title``, ``Subtitle`` and ``Heading N`` (or a paragraph with an outline
level) a heading with its ``level``; a paragraph with numbering (``w:numPr``, its own or
its style's) or of a list style a list item; ``Quote`` and ``Intense Quote`` a quotation;
``Caption`` a caption; any other paragraph is left to the front end to tell by its words
(a byline, a date, navigation junk), as plain text is. A table is read cell by cell,
each of a cell's paragraphs a block located by table, row and cell, a paragraph unless
its style says otherwise (a cell's few words are data, not the text's heading). Footnotes and
endnotes (``word/footnotes.xml``, ``word/endnotes.xml``, separators left out) come after
the body, in the order of their references, numbered 1, 2, ... in that one order (Word
numbers endnotes apart, often in roman numerals: one sequence keeps every marker in the
order the front end expects); each note is one block that starts with its number in superscript digits, as Word
shows a note's own mark (``¹ Text``: a label certain by its form, so that a document's
only note is linked too), and each reference in the body its number in superscript
digits (see :mod:`.wordml`).

Bold and italic runs are kept as ``spans`` (``[start, end, "b" | "i" | "bi"]``, offsets
into the block's lines joined by newlines) so that a writer can put them back; tracked
changes are accepted (insertions kept, deletions left out) and counted in
``source["tracked"]``, with each block's own in its entry; comments, text boxes, headers
and footers are no part of the text (counted in ``source["left_out"]``).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
import zlib

from ..errors import InputError
from . import Reader
from .layout import LayoutText
from .wordml import VAL, W, Piece, Tracked, notes, on, package_parts, paragraphs, pieces, references, superscript

VERSION = "docx/1"
MAIN_PART = "word/document.xml"
# built-in style names (python-docx's, as Word shows them) and what they make a paragraph
HEADING_STYLES = {"Title": 1, "Subtitle": 2} | {f"Heading {n}": n for n in range(1, 10)}
QUOTE_STYLES = {"Quote", "Intense Quote"}
CAPTION_STYLES = {"Caption"}
LIST_STYLES = {"List Paragraph"} | {f"List{k}{n}" for k in ("", " Bullet", " Number") for n in ("", " 2", " 3", " 4", " 5")}
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class DocxReader(Reader):
    name = "docx"
    suffixes = (".docx",)
    magic = ()

    def claims(self, head: bytes) -> bool:
        """A zip whose first entry is an Office package's ``[Content_Types].xml`` (as most
        writers, Word and python-docx among them, put it): a DOCX whatever its name, and an
        Office file of another kind is told in one line. Other DOCX files go by suffix."""
        if not head.startswith(b"PK\x03\x04") or len(head) < 30:
            return False
        size = int.from_bytes(head[26:28], "little")
        return head[30:30 + size] == b"[Content_Types].xml"

    def read_bytes(self, data: bytes, doc_id: str, origin: str):
        document = open_docx(data, origin)
        return Extraction(document, origin).run(data, doc_id)


def open_docx(data: bytes, origin: str):
    """The python-docx document in ``data``, or one line saying why there is none."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(OLE_MAGIC):
        raise InputError(f"{origin}: a Word 97-2003 file or a password-protected document (an OLE file, not a DOCX): "
                         "save it from Word as an unprotected .docx")
    if not data.startswith(b"PK"):
        raise InputError(f"{origin}: not a DOCX file (a DOCX is a zip archive, and this is none)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            bad = zf.testzip()
            main = package_parts(zf, origin).get("main") if bad is None else None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise InputError(f"{origin}: a damaged zip archive, not a readable DOCX ({exc})") from None
    if bad is not None:
        raise InputError(f"{origin}: a damaged zip archive, not a readable DOCX ({bad} fails its checksum)")
    if main is None or not main.endswith(".xml") or main.startswith(("xl/", "ppt/")):
        kind = next((k for p, k in (("xl/", "an Excel workbook"), ("ppt/", "a PowerPoint presentation"),
                                    ("META-INF/container.xml", "an EPUB"), ("content.xml", "an OpenDocument file"))
                     if any(n.startswith(p) for n in names)), "a zip archive")
        raise InputError(f"{origin}: {kind} with no {MAIN_PART}, not a Word document")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(f"{origin}: not a readable Word document ({str(exc).splitlines()[0][:200]})") from None
    except Exception as exc:  # lxml's syntax error, without importing lxml here
        if type(exc).__name__ == "XMLSyntaxError":
            raise InputError(f"{origin}: {main} is not well-formed XML ({exc})") from None
        raise
    return document


class Extraction:
    """One document's blocks, read once in order."""

    def __init__(self, document, origin: str) -> None:
        self.document, self.origin = document, origin
        self.body = document.element.body
        self.styles = _Styles(document)
        self.tracked = Tracked()
        self.lt = LayoutText()
        self.parts = {"footnotes": {}, "endnotes": {}}
        self.left_out = {"comments": 0, "text_boxes": len(self.body.xpath(".//w:txbxContent")), "headers_footers": 0}
        for rel in document.part.rels.values():
            if rel.is_external:
                continue
            kind = rel.reltype.rsplit("/", 1)[-1]
            if kind in ("header", "footer") and b"<w:t" in rel.target_part.blob:
                self.left_out["headers_footers"] += 1  # running furniture, not the text
            if kind in ("footnotes", "endnotes", "comments"):
                from .xml import parse_xml

                root = parse_xml(rel.target_part.blob, f"{origin}: {rel.target_part.partname.lstrip('/')}")
                if kind == "comments":
                    self.left_out["comments"] = len(root.findall(W + "comment"))
                else:
                    self.parts[kind] = notes(root, kind)
        order = [ref for ref in references(self.body) if ref[1] in self.parts[ref[0]]]
        self.numbers = {ref: n for n, ref in enumerate(order, 1)}

    def run(self, data: bytes, doc_id: str):
        from importlib.metadata import version

        for p, number, cell in paragraphs(self.body):
            kind, level, style = self.styles.kind_of(p)
            if cell is None:
                location = {"label": f"¶ {number}", "paragraph": number, "style": style}
            else:
                table, row, col = cell
                location = {"label": f"table {table}, row {row}, cell {col}", "table": table, "row": row, "cell": col,
                            "paragraph": number, "style": style}
            if cell is not None and kind is None:
                kind = "paragraph"  # a cell's short words are data, not a heading or a byline of the text
            extras = {"level": level} if kind == "heading" else {}
            self._add([pieces(p, self.styles.character, self.tracked)], kind, location, extras)
        for (part, note_id), n in self.numbers.items():
            note = self.parts[part][note_id]
            found = [pieces(p, self.styles.character, self.tracked) for p, _, _ in paragraphs(note)]
            label = f"{'footnote' if part == 'footnotes' else 'endnote'} {n}"
            self._add(found, "footnote", {"label": label, "note": n, "part": part, "id": note_id}, {}, prefix=f"{superscript(n)} ")
        if not self.lt.entries:
            raise InputError(f"{self.origin}: a Word document with no text")
        tracked = {"insertions": self.tracked.insertions, "deletions": self.tracked.deletions}
        notes_read = {part: sum(1 for p, _ in self.numbers if p == part) for part in ("footnotes", "endnotes")}
        return self.lt.document(doc_id, data=data, origin=self.origin, reader="docx", version=VERSION,
                                library=f"python-docx-{version('python-docx')}", tracked=tracked, notes=notes_read,
                                left_out=self.left_out)

    def _add(self, found: list[list[Piece]], kind, location, extras, prefix: str = "") -> None:
        deleted, self.tracked.deleted = self.tracked.deleted, []
        text = _Stretches(prefix)
        for k, paragraph in enumerate(found):
            if k:
                text.append("\n")
            for piece in paragraph:
                if piece.note is not None:
                    n = self.numbers.get(piece.note)
                    if n is not None:
                        text.rstrip(" \u00a0")  # glued to the text before it, as the front end reads a marker
                        text.append(superscript(n), None, piece.inserted)
                elif prefix and text.length == len(prefix):
                    text.append(_clean(piece.text).lstrip(), piece.fmt, piece.inserted)  # "³ Text": one space
                else:
                    text.append(_clean(piece.text), piece.fmt, piece.inserted)
        lines, spans, inserted = text.lines()
        if kind == "footnote" and lines == [prefix.strip()]:
            return  # a note with no text
        if spans:
            extras["spans"] = spans
        if inserted:
            extras["inserted"] = inserted
        if deleted:
            extras["deleted"] = deleted  # the tracked deletions left out of this block, as they read
        self.lt.add(lines, kind=kind, location=location, **extras)


_BREAKS = str.maketrans({"\r": "\n", "\v": "\n", "\f": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n", "\t": " "})
_CONTROLS = {c: None for c in range(32) if c != 10} | {0x7F: None}


def _clean(text: str) -> str:
    return text.translate(_BREAKS).translate(_CONTROLS)


class _Stretches:
    """A block's text as it is built, with the format and the insertion mark of each stretch."""

    def __init__(self, prefix: str = "") -> None:
        self.parts: list[str] = []
        self.marks: list[tuple[int, int, str | None, bool]] = []  # start, end, format, inserted
        self.length = 0
        if prefix:
            self.append(prefix)

    def append(self, text: str, fmt: str | None = None, inserted: bool = False) -> None:
        if text:
            self.parts.append(text)
            self.marks.append((self.length, self.length + len(text), fmt, inserted))
            self.length += len(text)

    def rstrip(self, chars: str) -> None:
        while self.parts:
            kept = self.parts[-1].rstrip(chars)
            cut = len(self.parts[-1]) - len(kept)
            if not cut:
                return
            start, end, fmt, ins = self.marks[-1]
            self.length -= cut
            if kept:
                self.parts[-1], self.marks[-1] = kept, (start, end - cut, fmt, ins)
                return
            self.parts.pop()
            self.marks.pop()

    def lines(self):
        """The block's lines (stripped, blank ones left out, as :class:`LayoutText` keeps
        them), its formatted spans and its inserted spans, offsets into the lines joined
        by newlines."""
        whole = "".join(self.parts)
        lines, moves = [], []  # moves: (start in whole, end in whole, start in the lines' text)
        at, out = 0, 0
        for raw in whole.split("\n"):
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            if body:
                if lines:
                    out += 1
                moves.append((at + lead, at + lead + len(body), out))
                lines.append(body)
                out += len(body)
            at += len(raw) + 1
        text = "\n".join(lines)
        if unicodedata.normalize("NFC", text) != text:  # LayoutText composes it: offsets would move
            return [unicodedata.normalize("NFC", line) for line in lines], [], []
        formatted = _merge(text, [(*span, fmt) for s, e, fmt, _ in self.marks if fmt for span in _moved(s, e, moves)])
        inserted = _merge(text, [(*span, "+") for s, e, _, ins in self.marks if ins for span in _moved(s, e, moves)])
        return lines, formatted, [[a, b] for a, b, _ in inserted]


def _moved(start: int, end: int, moves) -> list[tuple[int, int]]:
    """The stretch [start, end) of the built text in the lines' text, cut at line ends."""
    out = []
    for a, b, to in moves:
        s, e = max(start, a), min(end, b)
        if s < e:
            out.append((to + s - a, to + e - a))
    return out


def _merge(text: str, spans: list[tuple[int, int, str]]) -> list[list]:
    """Spans in order, trimmed of spaces, two of one format joined where only spaces or a
    line end stand between them (a space between two bold runs is bold)."""
    out: list[list] = []
    for s, e, fmt in sorted(spans):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        if out and out[-1][2] == fmt and not text[out[-1][1]:s].strip():
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e, fmt])
    return out


class _Styles:
    """What a paragraph's style (and the styles it is based on) makes of it."""

    def __init__(self, document) -> None:
        from docx.styles import BabelFish

        self.by_id: dict[str, object] = {}
        self.character: dict[str, str | None] = {}
        self.default = None
        root = document.styles.element
        for s in root.findall(W + "style"):
            sid = s.get(W + "styleId", "")
            self.by_id[sid] = s
            if s.get(W + "type") == "paragraph" and s.get(W + "default") in ("1", "true", "on"):
                self.default = sid
        self._name = {sid: BabelFish.internal2ui(_val(s, "name") or sid) for sid, s in self.by_id.items()}
        for sid, s in self.by_id.items():
            if s.get(W + "type") == "character":
                rpr = s.find(W + "rPr")
                b = on(rpr.find(W + "b")) if rpr is not None else None
                i = on(rpr.find(W + "i")) if rpr is not None else None
                self.character[sid] = ("b" if b else "") + ("i" if i else "") or None
        self._cache: dict[str, tuple] = {}

    def kind_of(self, p) -> tuple[str | None, int | None, str]:
        """(kind, heading level, style name) of a paragraph."""
        ppr = p.find(W + "pPr")
        sid = _val(ppr, "pStyle") if ppr is not None else None
        sid = sid if sid in self.by_id else self.default
        kind, level, name, numbered = self._style(sid)
        outline = _val(ppr, "outlineLvl") if ppr is not None else None
        if kind is None and outline is not None and outline.isdigit() and int(outline) < 9:
            kind, level = "heading", int(outline) + 1
        num = ppr.find(W + "numPr") if ppr is not None else None
        if num is not None:
            numbered = _val(num, "numId") not in (None, "0")
        if kind is None and numbered:
            kind = "list_item"
        return kind, level, name

    def _style(self, sid: str | None) -> tuple:
        if sid in self._cache:
            return self._cache[sid]
        name = self._name.get(sid, "Normal") if sid else "Normal"
        kind, level, numbered = None, None, False
        seen, current = set(), sid
        while current in self.by_id and current not in seen:  # the style, then those it is based on
            seen.add(current)
            s, own = self.by_id[current], self._name[current]
            if kind is None and own in HEADING_STYLES:
                kind, level = "heading", HEADING_STYLES[own]
            elif kind is None and own in QUOTE_STYLES:
                kind = "quote"
            elif kind is None and own in CAPTION_STYLES:
                kind = "caption"
            elif kind is None and own in LIST_STYLES:
                kind = "list_item"
            ppr = s.find(W + "pPr")
            if ppr is not None:
                num = ppr.find(W + "numPr")
                if num is not None and not numbered:
                    numbered = _val(num, "numId") not in (None, "0")
                outline = _val(ppr, "outlineLvl")
                if kind is None and outline is not None and outline.isdigit() and int(outline) < 9:
                    kind, level = "heading", int(outline) + 1
            current = _val(s, "basedOn")
        self._cache[sid] = (kind, level, name, numbered)
        return self._cache[sid]


def _val(parent, tag: str) -> str | None:
    el = parent.find(W + tag)
    return None if el is None else el.get(VAL)
