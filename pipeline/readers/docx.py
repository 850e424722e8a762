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
order the front end expects); each note is one block that starts with its number, and
each reference in the body its number in superscript digits (see :mod:`.wordml`).

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
from .wordml import VAL, W, Piece, Tracked, notes, on, paragraphs, pieces, references, superscript

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
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise InputError(f"{origin}: a damaged zip archive, not a readable DOCX ({exc})") from None
    if bad is not None:
        raise InputError(f"{origin}: a damaged zip archive, not a readable DOCX ({bad} fails its checksum)")
    if MAIN_PART not in names:
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
            raise InputError(f"{origin}: {MAIN_PART} is not well-formed XML ({exc})") from None
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
        self.left_out = {"comments": 0, "text_boxes": len(self.body.xpath(".//w:txbxContent"))}
        for rel in document.part.rels.values():
            if rel.is_external:
                continue
            kind = rel.reltype.rsplit("/", 1)[-1]
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
            self._add(found, "footnote", {"label": label, "note": n, "part": part, "id": note_id}, {}, prefix=f"{n} ")
        if not self.lt.entries:
            raise InputError(f"{self.origin}: a Word document with no text")
        tracked = {"insertions": self.tracked.insertions, "deletions": self.tracked.deletions}
        notes_read = {part: sum(1 for p, _ in self.numbers if p == part) for part in ("footnotes", "endnotes")}
        return self.lt.document(doc_id, data=data, origin=self.origin, reader="docx", version=VERSION,
                                library=f"python-docx-{version('python-docx')}", tracked=tracked, notes=notes_read,
                                left_out=self.left_out)

    def _add(self, found: list[list[Piece]], kind, location, extras, prefix: str = "") -> None:
        deleted, self.tracked.deleted = self.tracked.deleted, []
        chars: list[tuple[str, str | None, bool]] = [(ch, None, False) for ch in prefix]
        for k, paragraph in enumerate(found):
            if k:
                chars.append(("\n", None, False))
            for piece in paragraph:
                if piece.note is not None:
                    n = self.numbers.get(piece.note)
                    if n is None:
                        continue
                    while chars and chars[-1][0] in " \u00a0\t":
                        chars.pop()  # glued to the text before it, as the front end reads a marker
                    chars += [(ch, None, piece.inserted) for ch in superscript(n)]
                else:
                    chars += [(ch, piece.fmt, piece.inserted) for ch in _clean(piece.text)]
        if prefix:  # "3 Text": one space after the number, whatever the note's own spacing
            while len(chars) > len(prefix) and chars[len(prefix)][0].isspace():
                del chars[len(prefix)]
        lines, spans, inserted = _lines(chars)
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


def _clean(text: str) -> str:
    return "".join(ch for ch in text.translate(_BREAKS) if ch == "\n" or ord(ch) >= 32 and ord(ch) != 0x7F)


def _lines(chars: list[tuple[str, str | None, bool]]):
    """The block's lines (stripped, blank ones left out, as :class:`LayoutText` keeps
    them), its formatted spans and its inserted spans, offsets into the lines joined by
    newlines."""
    lines, kept = [], []
    start = 0
    for end in [i for i, c in enumerate(chars) if c[0] == "\n"] + [len(chars)]:
        line = chars[start:end]
        start = end + 1
        a, b = 0, len(line)
        while a < b and line[a][0].isspace():
            a += 1
        while b > a and line[b - 1][0].isspace():
            b -= 1
        if a < b:
            if kept:
                kept.append(("\n", None, False))
            kept += line[a:b]
            lines.append("".join(c[0] for c in line[a:b]))
    text = "".join(c[0] for c in kept)
    if unicodedata.normalize("NFC", text) != text:  # LayoutText composes it: offsets would move
        return [unicodedata.normalize("NFC", line) for line in lines], [], []
    fmts = [c[1] for c in kept]
    for i, ch in enumerate(text):  # a space between two runs of one format is of that format
        if ch.isspace() and fmts[i] is None:
            left = next((fmts[j] for j in range(i - 1, -1, -1) if not text[j].isspace()), None)
            right = next((fmts[j] for j in range(i + 1, len(text)) if not text[j].isspace()), None)
            if left is not None and left == right:
                fmts[i] = left
    return lines, _runs(text, fmts), _runs(text, ["+" if c[2] else None for c in kept], label=False)


def _runs(text: str, marks: list, label: bool = True) -> list[list]:
    out: list[list] = []
    i = 0
    while i < len(marks):
        if marks[i] is None:
            i += 1
            continue
        j = i
        while j < len(marks) and marks[j] == marks[i]:
            j += 1
        a, b = i, j
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append([a, b, marks[i]] if label else [a, b])
        i = j
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
