"""WordprocessingML (the XML inside a DOCX) read paragraph by paragraph, for the DOCX
reader and the DOCX writer alike: both must number a document's paragraphs the same way.

A paragraph's text is what Word shows with its tracked changes accepted: insertions
(``w:ins``, ``w:moveTo``) kept, deletions (``w:del``, ``w:moveFrom``) left out, each
counted; field codes (``w:instrText``) left out and their results kept; a line break
(``w:br``, ``w:cr``) a new line of the block (so a poem's lines stay lines in the record;
the front end joins them with a space); a tab a space; a soft hyphen U+00AD (the front end
drops it, recorded); a non-breaking hyphen a hyphen. A note reference is the note's number
in superscript digits glued to the text before it, which is how the front end's footnote
linking reads a raised marker. Comments, drawings and text boxes are no part of the
paragraph's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
P, R, T, TBL, TR, TC = (W + t for t in ("p", "r", "t", "tbl", "tr", "tc"))
SDT, SDT_CONTENT, CUSTOM_XML = W + "sdt", W + "sdtContent", W + "customXml"
INS, DEL, MOVE_TO, MOVE_FROM = W + "ins", W + "del", W + "moveTo", W + "moveFrom"
FOOTNOTE_REF, ENDNOTE_REF = W + "footnoteReference", W + "endnoteReference"
TEXT_BOX = W + "txbxContent"
VAL = W + "val"
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# what holds a paragraph's runs without being one: its text is the paragraph's
_CONTAINERS = {W + t for t in ("hyperlink", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "dir", "bdo")}
# a run's children that draw something (an image, a text box, an embedded object): kept
# by the writer, no text of the paragraph
DRAWN = {W + t for t in ("drawing", "pict", "object")} | {"{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"}


def superscript(n: int) -> str:
    return str(n).translate(SUPERSCRIPT)


def on(element) -> bool | None:
    """A toggle property (``w:b``, ``w:i``): True, False (``w:val="0"``), None when absent."""
    if element is None:
        return None
    return element.get(VAL, "true").lower() not in ("0", "false", "off", "none")


@dataclass
class Piece:
    """A stretch of a paragraph's text and its direct formatting, or a note reference."""

    text: str
    fmt: str | None = None  # "b", "i", "bi"
    note: tuple[str, str] | None = None  # ("footnotes" | "endnotes", the note's w:id)
    inserted: bool = False


@dataclass
class Tracked:
    insertions: int = 0
    deletions: int = 0
    deleted: list[str] = field(default_factory=list)


def run_format(run, character_styles: dict[str, str | None]) -> str | None:
    """A run's bold and italic: its own properties over those of its character style."""
    rpr = run.find(W + "rPr")
    bold = italic = None
    if rpr is not None:
        bold, italic = on(rpr.find(W + "b")), on(rpr.find(W + "i"))
        style = rpr.find(W + "rStyle")
        inherited = character_styles.get(style.get(VAL, "")) if style is not None else None
        if inherited:
            bold = ("b" in inherited) if bold is None else bold
            italic = ("i" in inherited) if italic is None else italic
    return ("b" if bold else "") + ("i" if italic else "") or None


def pieces(p, character_styles: dict[str, str | None], tracked: Tracked) -> list[Piece]:
    """The paragraph ``p``'s text in pieces (see the module's docstring)."""
    out: list[Piece] = []
    _walk(p, out, character_styles, tracked, inserted=False)
    return out


def _walk(parent, out: list[Piece], styles: dict[str, str | None], tracked: Tracked, inserted: bool) -> None:
    for child in parent:
        tag = child.tag
        if tag == R:
            _run(child, out, styles, inserted)
        elif tag in (INS, MOVE_TO):
            before = len(out)
            _walk(child, out, styles, tracked, inserted=True)
            if any(piece.text.strip() or piece.note for piece in out[before:]):
                tracked.insertions += 1
        elif tag in (DEL, MOVE_FROM):
            gone = "".join(t.text or "" for t in child.iter(W + "delText", T))
            if gone:
                tracked.deletions += 1
                tracked.deleted.append(gone)
        elif tag in _CONTAINERS:
            _walk(child, out, styles, tracked, inserted)


def _run(run, out: list[Piece], styles: dict[str, str | None], inserted: bool) -> None:
    fmt = None if run.find(W + "t") is None else run_format(run, styles)
    for child in run:
        tag = child.tag
        if tag == T:
            out.append(Piece(child.text or "", fmt, inserted=inserted))
        elif tag in (W + "tab", W + "ptab"):
            out.append(Piece(" ", fmt, inserted=inserted))
        elif tag in (W + "br", W + "cr"):
            out.append(Piece("\n", None, inserted=inserted))
        elif tag == W + "noBreakHyphen":
            out.append(Piece("-", fmt, inserted=inserted))
        elif tag == W + "softHyphen":
            out.append(Piece("\u00ad", fmt, inserted=inserted))
        elif tag in (FOOTNOTE_REF, ENDNOTE_REF) and child.get(W + "customMarkFollows") not in ("1", "true", "on"):
            part = "footnotes" if tag == FOOTNOTE_REF else "endnotes"
            out.append(Piece("", None, note=(part, child.get(W + "id", "")), inserted=inserted))


def paragraphs(body) -> Iterator[tuple[Any, int, tuple[int, int, int] | None]]:
    """Each paragraph of ``body`` (a ``w:body``, a note, a cell) in reading order: the
    element, its number (1, 2, ... through the whole body, table cells included) and,
    inside a table, (table, row, cell), numbered from 1 in the document's order."""
    count = {"p": 0, "tbl": 0}

    def inside(parent, cell):
        for child in parent:
            if child.tag == P:
                count["p"] += 1
                yield child, count["p"], cell
            elif child.tag == TBL:
                count["tbl"] += 1
                table = count["tbl"]
                for r, row in enumerate(_children(child, TR), 1):
                    for c, tc in enumerate(_children(row, TC), 1):
                        yield from inside(tc, (table, r, c))
            elif child.tag in (SDT, SDT_CONTENT, CUSTOM_XML):
                yield from inside(child, cell)

    yield from inside(body, None)


def _children(parent, tag: str) -> Iterator[Any]:
    """A table's rows (``TR``) or a row's cells (``TC``), through the content controls and
    custom XML that may wrap them."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (SDT, SDT_CONTENT, CUSTOM_XML):
            yield from _children(child, tag)


def notes(root, part: str) -> dict[str, Any]:
    """The notes of a footnotes or endnotes part by their ``w:id``, separators left out."""
    tag = W + ("footnote" if part == "footnotes" else "endnote")
    return {n.get(W + "id", ""): n for n in root.iter(tag) if n.get(W + "type", "normal") == "normal"}


def references(body) -> list[tuple[str, str]]:
    """The note references of the body, in reading order, each once (tracked deletions
    left out: a deleted reference's note is not shown)."""
    seen: dict[tuple[str, str], None] = {}
    for el in body.iter(FOOTNOTE_REF, ENDNOTE_REF):
        if any(a.tag in (DEL, MOVE_FROM, TEXT_BOX) for a in el.iterancestors()):
            continue  # deleted, or in a text box, which is no part of the text
        if el.get(W + "customMarkFollows") in ("1", "true", "on"):
            continue
        seen.setdefault(("footnotes" if el.tag == FOOTNOTE_REF else "endnotes", el.get(W + "id", "")), None)
    return list(seen)


RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = "/officeDocument"


def package_parts(zf, origin: str) -> dict[str, str]:
    """The names in the zip ``zf`` of a Word package's main document and of its notes
    (``main``, ``footnotes``, ``endnotes``), found by the package's relationships as Word
    finds them (most writers name them word/document.xml, word/footnotes.xml, but not
    all); a part no relationship names is absent."""
    from posixpath import dirname, join, normpath

    from .xml import parse_xml

    names = set(zf.namelist())

    def targets(rels_name: str, base: str) -> dict[str, str]:
        if rels_name not in names:
            return {}
        out = {}
        for rel in parse_xml(zf.read(rels_name), f"{origin}: {rels_name}").iter(RELS_NS + "Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            name = normpath(target.lstrip("/") if target.startswith("/") else join(base, target))
            out.setdefault(rel.get("Type", "").rsplit("/", 1)[-1], name)
        return out

    found = {}
    main = targets("_rels/.rels", "").get("officeDocument")
    if main in names:
        found["main"] = main
        folder, file = dirname(main), main.rsplit("/", 1)[-1]
        for kind, name in targets(join(folder, "_rels", file + ".rels"), folder).items():
            if kind in ("footnotes", "endnotes") and name in names:
                found[kind] = name
    return found
