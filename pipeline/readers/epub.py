"""The EPUB reader (EPUB 2 and 3): the spine's XHTML items, block by block, in reading order.

``zipfile`` opens the book and :func:`pipeline.readers.xml.parse_xml` (lxml, entities
and DTDs off) each file: ``container.xml`` -> the package document -> its manifest and
spine. The spine's linear items come in order, then its non-linear ones (notes, a cover
page kept out of the reading order: their text is still the book's). The navigation
document (EPUB 3) is read first where the spine does not hold it, else at its place in
the spine; an EPUB 2's NCX is read first where the book has no navigation document.
Their entries are blocks like any other (headings and list items to translate), with
``"nav": True`` in their location.

Each XHTML item gives its blocks in document order: an element that holds text and no
block of its own is one block (``h1``-``h6`` a heading with its ``level``; ``li`` a
list item, ``blockquote`` a quotation, ``figcaption`` / ``caption`` a caption, whatever
stands inside them; ``p`` a paragraph, or a heading inside an ``hgroup`` or marked
``epub:type="title"``; ``div`` and the others left for the front end to decide by their
words); an element that holds blocks and text of its own between them gives each
such run of text a block (its location says ``run``). Inline markup (``em``, ``a``,
``span``) is text of its block, ``br`` a line end; images, scripts, styles, SVG,
MathML, ruby annotations and page-break markers (``epub:type="pagebreak"``, the print
edition's page numbers) are left out.

Notes: an element marked ``epub:type="footnote"`` (``endnote``, ``rearnote``, or the
ARIA roles ``doc-footnote`` / ``doc-endnote``), or the one a numbered note reference
points to (a link marked ``noteref``, or a number written raised), is one ``footnote``
block whose text starts with its number (written before it where the note leaves it to
its reference); the reference is written as superscript digits glued to the word before
it, so that :mod:`pipeline.frontend.footnotes` links the two. A raised number
(``<sup>2</sup>``) is written as superscript digits too.

HTML named entities (``&nbsp;``, ``&eacute;``), which an XHTML file without a DTD does
not define, are read as their characters; a file that is not well-formed is read in
lxml's recovering mode and named in ``source["epub"]["recovered"]``. Elements of class
``diptych-en`` (the English that Diptych's bilingual EPUB adds) are left out and counted.

A block's location: ``{"label": "3: text/ch02.xhtml", "item": "OEBPS/text/ch02.xhtml",
"path": "/html/body/div[2]/p[3]"}`` (the spine's position from 1, the manifest's href,
the archive member and the element's path, see :func:`~.epub_book.element_path`).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ..doc import Document
from ..errors import InputError
from . import Reader
from .epub_book import NS, XHTML_TYPES, Book, claims_epub, element_path, local, open_book, parse_xhtml, resolve_href
from .layout import LayoutText

VERSION = "epub/1"
OURS = "diptych-en"  # the class of the English that the bilingual EPUB adds
BLOCKS = frozenset("address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
                   "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary table "
                   "tbody td tfoot th thead tr ul".split())
SKIPPED = frozenset("script style head svg math img object video audio iframe template noscript canvas embed rt rp".split())
# a print edition's page number in the markup (a span or a div with its number) is no text
PAGE_BREAKS = frozenset({"pagebreak", "doc-pagebreak"})
NOTE_TYPES = frozenset({"footnote", "endnote", "rearnote", "doc-footnote", "doc-endnote"})
# where a note reference points inside a note (an anchor), the note is the block around it
NOTE_HOLDERS = frozenset({"p", "li", "aside", "dd", "div", "blockquote"})
BACKLINKS = frozenset({"↩", "↩︎", "↑", "^", "⤴", "↵"})
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SPACE = re.compile(r"[ \t\r\n\f]+")
_NUMBER = re.compile(r"[\[(]?(\d{1,4})[\])]?")
_STARTS_NUMBERED = re.compile(r"\s*(?:[\[(]?\d{1,4}[\].)]?(?:\s|$)|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_EPUB_TYPE = f"{{{NS['epub']}}}type"
KINDS_BY_TAG = {"li": "list_item", "blockquote": "quote", "figcaption": "caption", "caption": "caption",
                **{f"h{n}": "heading" for n in range(1, 7)}}


def types_of(el) -> set[str]:
    return set((el.get(_EPUB_TYPE) or "").split()) | set((el.get("role") or "").split())


def is_ours(el) -> bool:
    return OURS in (el.get("class") or "").split()


class Notes:
    """The book's notes and their numbers, found before its blocks are read: an element
    marked as a note, and the block a numbered note reference points to."""

    def __init__(self) -> None:
        self.number: dict[Any, str | None] = {}  # note element -> its number (None: unknown)
        self.refs: set[Any] = set()  # note reference elements, written as superscript digits

    def find(self, roots: dict[str, Any]) -> None:
        ids: dict[tuple[str, str], Any] = {}
        for path, root in roots.items():
            for el in root.iter():
                if isinstance(el.tag, str):
                    if el.get("id"):
                        ids[(path, el.get("id"))] = el
                    if types_of(el) & NOTE_TYPES:
                        self.number.setdefault(el, None)
        typed = set(self.number)
        targets: dict[Any, set] = {}
        for path, root in roots.items():
            for a in root.iter(f"{{{NS['xhtml']}}}a", "a"):
                href = a.get("href") or ""
                if "#" not in href or href.startswith(("http:", "https:", "mailto:")):
                    continue
                number = _number(a)
                marked = bool(types_of(a) & {"noteref", "doc-noteref"})
                raised = any(local(x) == "sup" for x in (a, a.getparent(), *a))
                if not (marked or (number and raised)):
                    continue
                target = ids.get((resolve_href(path, href) if not href.startswith("#") else path, href.split("#", 1)[1]))
                if target is None:
                    continue
                note = self._holder(target)
                if note is not None and any(x is note for x in a.iterancestors()):
                    continue  # a link inside the block it points into: no note reference
                self.refs.add(a if local(a.getparent()) != "sup" else a.getparent())
                if note is not None and self.number.get(note) is None:
                    self.number[note] = number
                if note is not None:
                    targets.setdefault(note, set()).add(target)
        for note, pointed in targets.items():
            # the block that holds several notes' anchors (a div of all the notes) is none itself
            if len(pointed) > 1 and note not in typed:
                del self.number[note]

    def _holder(self, el):
        while el is not None and local(el) not in NOTE_HOLDERS:
            el = el.getparent()
        if el is None or local(el) == "body":
            return None
        if el in self.number:
            return el
        # an anchor inside a note marked by its container: the container
        up = el.getparent()
        while up is not None:
            if up in self.number:
                return up
            up = up.getparent()
        return el

    def is_note(self, el) -> bool:
        return el in self.number


def _number(el) -> str | None:
    m = _NUMBER.fullmatch("".join(el.itertext()).strip())
    return m.group(1) if m else None


def text_of(el, notes: Notes) -> str:
    """An element's text (not its tail): inline markup read as text, ``br`` and block
    children as line ends, note references as superscript digits glued to the word."""
    parts: list[str] = [el.text or ""]
    for child in el:
        parts = _inline(parts, child, notes)
        parts.append(child.tail or "")
    return "".join(parts)


def _inline(parts: list[str], child, notes: Notes) -> list[str]:
    """``parts`` with what ``child`` (not its tail) adds to its block's text."""
    name = local(child)
    if not name or name in SKIPPED or is_ours(child) or types_of(child) & PAGE_BREAKS:
        return parts
    if name == "br":  # empty, but for what a recovered file put inside an unclosed <br>
        return parts + ["\n", text_of(child, notes)]
    number = _number(child)
    if child in notes.refs and number:
        return ["".join(parts).rstrip(" \t\r\n\f"), number.translate(_SUPERSCRIPT)]
    if name == "sup" and number and "".join(child.itertext()).strip().isdigit():
        return parts + [number.translate(_SUPERSCRIPT)]
    if name == "a" and ("".join(child.itertext()).strip() in BACKLINKS or types_of(child) & {"backlink", "doc-backlink"}):
        return parts
    if name in BLOCKS:
        return parts + ["\n", text_of(child, notes), "\n"]
    return parts + [text_of(child, notes)]


def lines_of(text: str) -> list[str]:
    """Lines with XML white space collapsed (a no-break space is typography and stays)."""
    return [line for line in (_SPACE.sub(" ", piece).strip() for piece in text.split("\n")) if line]


def is_block(el, notes: Notes) -> bool:
    return local(el) in BLOCKS or notes.is_note(el)


def runs_of(el, notes: Notes) -> list[tuple[Any, list[Any], Any]]:
    """The runs of inline content of an element that holds blocks: ``(before, nodes,
    after)``, where ``before`` is None (the run starts the element: its text) or the block
    child whose tail starts it, ``nodes`` its inline children, ``after`` the block child
    that ends it (None: the element's end). Only runs with text count; the writer finds a
    run by the same function."""
    runs, before, nodes = [], None, []
    for child in el:
        if isinstance(child.tag, str) and is_block(child, notes) and not is_ours(child):
            runs.append((before, nodes, child))
            before, nodes = child, []
        else:
            nodes.append(child)
    runs.append((before, nodes, None))
    return [r for r in runs if lines_of(run_text(el, r, notes))]


def run_text(el, run, notes: Notes) -> str:
    before, nodes, _ = run
    parts = [(el.text if before is None else before.tail) or ""]
    for node in nodes:
        parts = _inline(parts, node, notes)
        parts.append(node.tail or "")
    return "".join(parts)


def blocks_of(root, notes: Notes, *, skip_page_list: bool = False) -> Iterator[tuple[Any, str | None, list[str], dict[str, Any]]]:
    """Each block of an XHTML tree: ``(element, kind, lines, extras)``, in document order
    (``extras["run"]`` for a run of text between an element's blocks)."""
    body = next((c for c in root if local(c) == "body"), None)
    if body is None:
        return
    yield from _walk(body, None, notes, skip_page_list)


def _walk(el, context: str | None, notes: Notes, skip_page_list: bool):
    name = local(el)
    if not name or name in SKIPPED or is_ours(el) or types_of(el) & PAGE_BREAKS:
        return
    if skip_page_list and name == "nav" and types_of(el) & {"page-list", "doc-pagelist"}:
        return
    if notes.is_note(el):
        lines = lines_of(text_of(el, notes))
        extras: dict[str, Any] = {}
        number = notes.number.get(el)
        if lines and number and not _STARTS_NUMBERED.match(lines[0]):
            lines[0] = f"{number} {lines[0]}"
            extras["number_added"] = number
        yield el, "footnote", lines, extras
        return
    kind = KINDS_BY_TAG.get(name, context)
    if kind is None and name == "p":
        # the markup says paragraph; a title in a heading group (or marked one) is a heading
        kind = "heading" if local(el.getparent()) == "hgroup" or types_of(el) & {"title", "subtitle"} else "paragraph"
    extras = {"level": int(name[1])} if kind == "heading" and name[:1] == "h" and name[1:].isdigit() else {}
    if not any(is_block(d, notes) for d in el.iterdescendants() if isinstance(d.tag, str) and not is_ours(d)):
        yield el, kind, lines_of(text_of(el, notes)), extras
        return
    inner = kind if name not in ("body",) else None
    runs = runs_of(el, notes)
    k = 0
    for child in el:
        while k < len(runs) and runs[k][2] is child:
            yield el, kind, lines_of(run_text(el, runs[k], notes)), {**extras, "run": k}
            k += 1
        if isinstance(child.tag, str) and is_block(child, notes):
            yield from _walk(child, inner, notes, skip_page_list)
    while k < len(runs):
        yield el, kind, lines_of(run_text(el, runs[k], notes)), {**extras, "run": k}
        k += 1


def ncx_entries(root) -> Iterator[tuple[Any, str]]:
    """An NCX's labels: the book's title (a heading), then each entry (a list item)."""
    for el in root.iter():
        if local(el) == "text" and local(el.getparent()) in ("doctitle", "navlabel"):
            yield el, "heading" if local(el.getparent()) == "doctitle" else "list_item"


def xhtml_items(book: Book) -> list[tuple[str, Any, bool]]:
    """What the reader reads, in order: ``(label, item, nav)`` for the navigation document
    when the spine lacks it, then the spine's items (linear first)."""
    order = []
    in_spine = {item.path for item, _ in book.spine}
    if book.nav is not None and book.nav.path not in in_spine:
        order.append((f"nav: {book.nav.href}", book.nav, True))
    position = {item.path: n for n, (item, _) in enumerate(book.spine, 1)}
    for item, _ in book.reading_order():
        if item.media_type in XHTML_TYPES or item.path.lower().endswith((".xhtml", ".html", ".htm")):
            order.append((f"{position[item.path]}: {item.href}", item, book.nav is not None and item.path == book.nav.path))
    return order


def parse_items(book: Book, order) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every XHTML item parsed (each once), and what parsing them found."""
    roots: dict[str, Any] = {}
    found = {"html_entities": 0, "recovered": []}
    for _, item, _ in order:
        if item.path not in roots:
            roots[item.path], notes = parse_xhtml(book.member(item.path), f"{book.origin}: {item.path}")
            found["html_entities"] += notes["html_entities"]
            if notes.get("recovered"):
                found["recovered"].append(item.path)
    return roots, found


class EpubReader(Reader):
    name = "epub"
    suffixes = (".epub",)

    def claims(self, head: bytes) -> bool:
        return claims_epub(head)

    def read_bytes(self, data: bytes, doc_id: str, origin: str) -> Document:
        import lxml

        book = open_book(data, origin)
        order = xhtml_items(book)
        roots, found = parse_items(book, order)
        notes = Notes()
        notes.find(roots)
        lt = LayoutText()
        if book.nav is None and book.ncx is not None:
            ncx = book.xml(book.ncx.path)
            for el, kind in ncx_entries(ncx):
                lt.add(lines_of("".join(el.itertext())), kind=kind, location={
                    "label": f"toc: {book.ncx.href}", "item": book.ncx.path, "path": element_path(el), "nav": True})
        left_out, paths = 0, {}
        for label, item, nav in order:
            root = roots[item.path]
            left_out += sum(1 for el in root.iter() if isinstance(el.tag, str) and is_ours(el))
            for el, kind, lines, extras in blocks_of(root, notes, skip_page_list=nav):
                location = {"label": label, "item": item.path, "path": element_path(el, paths)}
                if "run" in extras:
                    location["run"] = extras.pop("run")
                if nav:
                    location["nav"] = True
                lt.add(lines, kind=kind, location=location, **extras)
        if all(e["location"].get("nav") for e in lt.entries):
            raise InputError(f"{origin}: is an EPUB with no text in its spine (images only, or empty pages)")
        language = book.opf.findtext("opf:metadata/dc:language", namespaces=NS)
        return lt.document(doc_id, data=data, origin=origin, reader=self.name, version=VERSION,
                           library=f"lxml-{lxml.__version__}",
                           epub={"version": book.version, "package": book.opf_path, "items": len(roots),
                                 "language": (language or "").strip() or None,
                                 "nav": book.nav.path if book.nav else (book.ncx.path if book.ncx else None),
                                 "nonlinear": [i.path for i, linear in book.spine if not linear],
                                 "html_entities": found["html_entities"], "recovered": found["recovered"],
                                 "english_left_out": left_out})
