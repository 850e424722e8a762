"""The HTML reader: a saved web page -> its blocks, each with the element it came from.

The page is parsed with lxml's HTML parser (which expands no entity a page declares), or,
for XHTML that is XML (an ``<?xml`` declaration), with the one safe XML parser
(:func:`pipeline.readers.xml.parse_xml`); a page that declares entities is refused in one
line either way. Each element that holds text and no other block is one block, in the
page's order, with its kind from the markup:

* ``h1``–``h6`` a heading (``level``), ``li`` a list item, ``blockquote`` a quotation,
  ``figcaption`` and ``caption`` a caption, ``pre`` a ``meta`` block kept line by line
  (code or verse, written back untouched); ``p``, ``div``, table cells and the rest are
  left for the front end to judge by their words, as text is;
* what HTML itself says is not the page's main text is junk, kept in the record and never
  translated: ``nav``, ``aside``, ``form``, ``menu``, ``dialog``, a ``footer``, a ``header``
  outside an ``article`` or ``main``, the ARIA landmarks of the same meaning (``banner``,
  ``navigation``, ``complementary``, ``contentinfo``, ``search``), hidden elements (and
  those styled ``display: none``), a few class or id words every site uses for its
  furniture (``cookie``, ``share``, ``comments``, ``breadcrumb``...) on an element that
  holds no article, main or ``h1``, rows of links (a block that is two links or more and
  nothing else, three blocks in a row that are each one link), and, where the page marks
  one ``main``, everything outside it; then
  the line rules of the text front end ("Lire plus...", a row of social links) judge each
  element's text, whatever its kind, in the structure stage;
* ``script``, ``style``, ``noscript``, ``template``, ``svg``, ``iframe`` and the like are
  no text: left out, and counted in ``source["dropped"]``.

Notes come from the markup: a marker (``<sup>1</sup>``, ``<a href="#fn1">``,
``role="doc-noteref"``) is written as superscript digits glued to the word before it, and
each note of a notes section (``role="doc-endnotes"``, ``class="footnotes"``) or element
with a note's id (``<li id="fn1">``) is a ``footnote`` block that opens with its number,
its back link left out. A ``<br>`` ends a line inside its block (the front end joins the
lines with a space, as it does a paragraph's printed lines). The encoding is the one a
byte-order mark says, else the page's ``<meta charset>`` (or XML declaration), else the
text reader's detection; it is recorded with where it came from.

Each block's ``location`` is ``{"label": "article/p[3]", "path": "/html/body/article/p[3]"}``:
the path is lxml's own (``getpath``), which :mod:`pipeline.editions.webpage` finds again
in the same page to put the English there.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from ..doc import Document
from ..errors import InputError
from . import Reader
from .html_markup import (BLOCK_TAGS, DROPPED, attribute, is_back_link, is_notes_section, junk_reason,
                          links_only, local, marker, note_number)
from .layout import LayoutText
from .text import decode

VERSION = "html/1"

# after an optional BOM: blank space, comments, an XML declaration, then the page's start
_PAGE_START = re.compile(rb"(?:\s+|<!--.*?-->|<\?xml[^>]*\?>)*<(?:!doctype\s+html|html)[\s>/]", re.I | re.S)
# what the HTML standard's prescan reads an encoding from, in the page's first 1024 bytes
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.()-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.-]+)", re.I)
# WHATWG: a page labelled latin-1 or ASCII is decoded as windows-1252
_LABEL_MEANS = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.I)

_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML's white space: a no-break space is text
LINE_BREAK = "\u2028"  # what a <br> leaves in a block's text: LayoutText ends a line there


class HtmlReader(Reader):
    """Web pages: HTML, and XHTML whether it parses as XML or not."""

    name = "html"
    suffixes = (".html", ".htm", ".xhtml")

    def claims(self, head: bytes) -> bool:
        """A page starts so, after a byte-order mark, blank space and comments: ``<!doctype
        html`` or ``<html`` (any case). A text or Markdown file that opens with prose never."""
        for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
            if head.startswith(bom):
                head = head[2:].decode(name, errors="ignore").encode("utf-8")
        return bool(_PAGE_START.match(head.removeprefix(codecs.BOM_UTF8)))

    def read_bytes(self, data: bytes, doc_id: str, origin: str) -> Document:
        from lxml import etree

        page = parse_page(data, origin)
        walk = _Walk(page.root, xml=page.parser == "xml")
        walk.visit(page.root, _Context())
        walk.lists_of_links()
        if not walk.layout.entries:
            raise InputError(f"{origin}: the page holds no text (nothing outside its scripts, styles and markup)")
        return walk.layout.document(doc_id, data=data, origin=origin, reader="html", version=VERSION,
                                    library=f"lxml-{'.'.join(map(str, etree.LXML_VERSION[:3]))}",
                                    encoding=page.encoding, encoding_from=page.encoding_from, parser=page.parser,
                                    dropped=dict(sorted(walk.dropped.items())))


class Page:
    """A parsed page: its root element, how its bytes were decoded, which parser read it."""

    def __init__(self, root: Any, *, encoding: str, encoding_from: str, parser: str, doctype: str = "") -> None:
        self.root, self.encoding, self.encoding_from, self.parser = root, encoding, encoding_from, parser
        self.doctype = doctype  # as the page declares it ("" for none: lxml's tree would invent one)


def page_text(data: bytes, origin: str) -> tuple[str, str, str]:
    """(text, encoding, where the encoding came from: ``bom``, ``meta`` or ``detected``)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = decode(data, origin)
        return text, encoding, "bom"
    found = _XML_ENCODING.match(data) or _META_CHARSET.search(data[:1024])
    if found and b"\x00" not in data[:1024]:
        label = found.group(1).decode("ascii").lower()
        encoding = _LABEL_MEANS.get(label, label)
        try:
            if codecs.lookup(encoding).name != "utf-8":
                return data.decode(encoding), encoding, "meta"
        except (LookupError, UnicodeDecodeError):
            pass  # a label no codec has, or bytes it does not fit: detected as text is
    text, encoding = decode(data, origin)
    return text, encoding, "detected"


def parse_page(data: bytes, origin: str) -> Page:
    """The page's root element, parsed as the reader and the web page writer both read it."""
    from lxml import etree, html

    text, encoding, encoding_from = page_text(data, origin)
    if not text.strip():
        raise InputError(f"{origin}: the file holds only whitespace")
    start = re.search(r"<html[\s>]", text[:65536], re.I)
    if _ENTITY_DECLARATION.search(text[: start.start() if start else 65536]):
        raise InputError(f"{origin}: declares XML entities, which Diptych never expands (an entity bomb is made of them)")
    if text.lstrip("\ufeff \t\r\n").startswith("<?xml"):
        from .xml import parse_xml

        try:
            return Page(parse_xml(data, origin), encoding=encoding, encoding_from=encoding_from, parser="xml")
        except InputError:
            pass  # XHTML that is no well-formed XML is read as browsers read a page served as HTML
    try:
        root = html.document_fromstring(text.encode("utf-8"), parser=html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        raise InputError(f"{origin}: the page holds no text (it is empty)") from None
    doctype = re.match(r"(?:\s+|<!--.*?-->)*(<!doctype[^>]*>)", text.lstrip("\ufeff"), re.I | re.S)
    return Page(root, encoding=encoding, encoding_from=encoding_from, parser="html", doctype=doctype.group(1) if doctype else "")


class _Context:
    """What an element's ancestors say of it."""

    def __init__(self, *, kind: str | None = None, junk: str | None = None, notes: bool = False,
                 in_article: bool = False, ordinal: int | None = None, number: list | None = None) -> None:
        self.kind, self.junk, self.notes, self.in_article, self.ordinal = kind, junk, notes, in_article, ordinal
        self.number = number  # a note's number, until its first block takes it

    def but(self, **changes: Any) -> "_Context":
        new = _Context(kind=self.kind, junk=self.junk, notes=self.notes, in_article=self.in_article, ordinal=self.ordinal,
                       number=self.number)
        for key, value in changes.items():
            setattr(new, key, value)
        return new


_HEADINGS = {f"h{n}": n for n in range(1, 7)}


class _Walk:
    """The page's elements in order, each block-holding one handed to a LayoutText."""

    def __init__(self, root: Any, *, xml: bool = False) -> None:
        self.layout = LayoutText()
        self.xml, self.path = xml, ""
        self.one_link: list[tuple[dict, Any]] = []  # blocks that are one link and nothing else
        self.tree = root.getroottree()
        self.dropped: dict[str, int] = {}
        mains = []
        for el in root.iter():
            tag = local(el)
            if tag == "main" or attribute(el, "role") == "main":
                mains.append(el)
            if tag in DROPPED and not any(local(up) in DROPPED for up in el.iterancestors()):
                self.dropped[tag] = self.dropped.get(tag, 0) + 1
        self.main = mains[0] if len(mains) == 1 else None

    def visit(self, el: Any, ctx: _Context, path: str | None = None) -> None:
        tag = local(el)
        self.path = path or self.tree.getpath(el)
        if tag in DROPPED:
            return
        if tag == "main" or el is self.main:
            ctx = ctx.but(in_article=True)
        elif tag == "body" and self.main is not None:
            ctx = ctx.but(junk="outside main")
        if el is self.main:
            ctx = ctx.but(junk=None)
        if ctx.junk is None and not ctx.notes:
            ctx = ctx.but(junk=junk_reason(el, in_article=ctx.in_article))
        if tag == "article":
            ctx = ctx.but(in_article=True)
        if is_notes_section(el):
            ctx = ctx.but(notes=True, junk=None if ctx.junk in ("aside", "footer", "role=contentinfo") else ctx.junk)
        kind = self._kind(el, tag, ctx)
        if kind == "footnote" and ctx.kind != "footnote":  # a note starts: its number, for its first block
            ctx = ctx.but(number=[note_number(el) or (ctx.ordinal if tag == "li" else None)])
        ctx = ctx.but(kind=kind)
        if tag == "pre":
            self._add(el, ["".join(el.itertext())], ctx.but(kind="meta"), pre=True)
            return
        if not any(local(child) in BLOCK_TAGS for child in el):
            self._add(el, [_inline(el, notes=ctx.notes or ctx.kind == "footnote")], ctx)
            return
        # mixed content: the text between its blocks is a block of its own, each run in turn
        part = 0
        ordinal = int(el.get("start") or 1) if tag == "ol" and (el.get("start") or "1").isdigit() else 1
        own, paths = self.path, self._child_paths(el)
        for piece in pieces(el):
            self.path = own
            if isinstance(piece, list):
                part = self._add(el, [run_text(el, piece, notes=ctx.notes)], ctx, part=part)
                continue
            child_ctx = ctx
            if local(piece) == "li":
                child_ctx = ctx.but(ordinal=ordinal)
                ordinal += 1
            self.visit(piece, child_ctx, paths.get(piece))

    def _child_paths(self, el: Any) -> dict[Any, str]:
        """The paths of an element's children as lxml's ``getpath`` writes them in an HTML
        tree (``p[3]``, the index left out of an only child of its tag), made in one pass:
        ``getpath`` counts an element's siblings each time, and a page of 100,000
        paragraphs in one element took it hours. An XML tree's paths are lxml's own."""
        if self.xml:
            return {}
        counts: dict[str, int] = {}
        for child in el:
            if isinstance(child.tag, str):
                counts[child.tag] = counts.get(child.tag, 0) + 1
        seen: dict[str, int] = {}
        paths = {}
        for child in el:
            if isinstance(child.tag, str) and local(child) in BLOCK_TAGS:
                seen[child.tag] = seen.get(child.tag, 0) + 1
                paths[child] = f"{self.path}/{child.tag}" + (f"[{seen[child.tag]}]" if counts[child.tag] > 1 else "")
            elif isinstance(child.tag, str):
                seen[child.tag] = seen.get(child.tag, 0) + 1
        return paths

    def lists_of_links(self) -> None:
        """Three blocks or more in a row that are each one link and nothing else, siblings
        (related articles, a sidebar's links, a menu of ``<div>``s or ``<li>``s): the
        page's furniture, as a row of links in one block is."""
        entries = self.layout.entries
        index = {id(entry): n for n, entry in enumerate(entries)}
        run: list[tuple[dict, Any]] = []
        for item in self.one_link + [(None, None)]:
            entry, el = item
            if run and entry is not None and index[id(entry)] == index[id(run[-1][0])] + 1 \
                    and el.getparent() is run[-1][1].getparent():
                run.append(item)
                continue
            if len(run) >= 3:
                for linked, _ in run:
                    linked["kind"], linked["junk"] = "junk", "links"
            run = [item] if entry is not None else []

    def _kind(self, el: Any, tag: str, ctx: _Context) -> str | None:
        if ctx.notes and (tag in ("li", "p", "div", "aside") or note_number(el) is not None) or note_number(el) is not None:
            return "footnote"
        if ctx.kind in ("footnote", "quote", "caption", "list_item") and tag not in _HEADINGS:
            return ctx.kind  # a paragraph inside a note, a quotation, a caption or an item is part of it
        if tag in _HEADINGS:
            return "heading"
        return {"li": "list_item", "blockquote": "quote", "figcaption": "caption", "caption": "caption",
                "dt": None}.get(tag)

    def _add(self, el: Any, pieces: list[str], ctx: _Context, *, part: int | None = None, pre: bool = False) -> int:
        """The blocks of ``el`` (of its ``part``-th run of text between its blocks, where
        given): one, or one per paragraph that two ``<br>`` in a row end; returns the next
        part's number."""
        if pre:
            paragraphs = [pieces[0].split("\n")]
        else:
            text = _glue(_SPACES.sub(" ", "".join(pieces))).strip()
            paragraphs = [[line.strip() for line in para.split(LINE_BREAK)]
                          for para in re.split(f"{LINE_BREAK} ?{LINE_BREAK}[ {LINE_BREAK}]*", text)]
            paragraphs = [lines for lines in paragraphs if any(lines)]
        if not any(line.strip() for lines in paragraphs for line in lines):
            return part or 0
        path = self.path
        location = {"label": _label(el, path), "path": path}
        if part is not None:
            location["part"] = part
            location["label"] += f"/text[{part + 1}]"
        links = links_only(el) if part is None and not pre and not ctx.junk else 0
        for k, lines in enumerate(paragraphs):
            where = dict(location, para=k, label=f"{location['label']} ¶{k + 1}") if len(paragraphs) > 1 else location
            entry = self._add_one(el, lines, ctx.but(junk=ctx.junk or ("links" if links > 1 else None)), where, pre=pre)
            if entry is not None and links == 1 and len(paragraphs) == 1:
                self.one_link.append((entry, el))
        return (part or 0) + 1

    def _add_one(self, el: Any, lines: list[str], ctx: _Context, location: dict, *, pre: bool) -> dict | None:
        kind, extra = ctx.kind, {}
        tag = local(el)
        if tag in _HEADINGS:
            extra["level"] = _HEADINGS[tag]
        if kind == "footnote":
            numbered = self._numbered(el, lines, ctx)
            if numbered[0] != lines[0]:  # the writer leaves it out again: the page shows it
                extra["number_added"] = numbered[0][: len(numbered[0]) - len(lines[0])]
            lines = numbered
        if ctx.junk:
            kind, extra["junk"] = "junk", ctx.junk
        if pre:
            extra["pre"] = True
        return self.layout.add(lines, kind=kind, location=location, **extra)

    def _numbered(self, el: Any, lines: list[str], ctx: _Context) -> list[str]:
        """A note's lines, opening with its number: the one its id or its place in its list
        gives, unless it opens with a label already."""
        n = ctx.number.pop() if ctx.number else None
        if n and _opening_label(lines[0]) != n:
            lines = [f"{n}. {lines[0]}"] + lines[1:]
        return lines


# a note's own label: [3], 3. 3) 3 or ³ at its start
_LABEL = re.compile(r"\s*(?:\[(\d{1,3})\]|(\d{1,3})(?:[.)]|\s|$)|([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}))")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _opening_label(text: str) -> int | None:
    """The number a note's text opens with, if it opens with one."""
    m = _LABEL.match(text)
    if not m:
        return None
    return int((m.group(1) or m.group(2) or m.group(3)).translate(_FROM_SUPERSCRIPT))


def _label(el: Any, path: str) -> str:
    """``article/p[3]``: the element and its parent, each with its place among its like
    (from the path, where lxml writes it by tag; counted in an XHTML tree, whose path
    writes ``*[4]``, a place among all its siblings)."""
    steps = path.rsplit("/", 2)[-2:]
    named = []
    for step, node in zip(steps, [el.getparent(), el][-len(steps):]):
        if step.startswith("*") and node is not None:
            parent = node.getparent()
            like = [s for s in parent if local(s) == local(node)] if parent is not None else [node]
            step = local(node) + (f"[{like.index(node) + 1}]" if len(like) > 1 else "")
        named.append(step)
    return "/".join(named).lstrip("/")


def pieces(el: Any) -> list[Any]:
    """An element that holds blocks, in order: each block child, and between them each run
    of text as a list of what it is made of (``None`` for the element's own text, a block
    child for its tail, an inline child for itself and its tail)."""
    out: list[Any] = [[None]]
    for child in el:
        if local(child) in BLOCK_TAGS:
            out += [child, [child]]
        else:
            out[-1].append(child)
    return out


def run_text(el: Any, run: list[Any], *, notes: bool) -> str:
    """The text of one run of :func:`pieces`."""
    text = []
    for item in run:
        if item is None:
            text.append(el.text or "")
        elif local(item) in BLOCK_TAGS:
            text.append(item.tail or "")
        else:
            text.append(_inline_child(item, notes=notes))
    return "".join(text)


def has_text(text: str) -> bool:
    """Whether a run of :func:`run_text` makes a block (it does where LayoutText keeps a line)."""
    return bool(_glue(_SPACES.sub(" ", text)).replace(LINE_BREAK, "").strip())


def _inline(el: Any, *, notes: bool) -> str:
    """An element's text as a reader sees it: markers as superscript digits glued to the
    word before, ``<br>`` as a line break, scripts and comments out."""
    parts = [el.text or ""]
    for child in el:
        parts.append(_inline_child(child, notes=notes))
    return "".join(parts)


def _inline_child(child: Any, *, notes: bool) -> str:
    tag = local(child)
    tail = child.tail or ""
    if not tag or tag in DROPPED:  # a comment, a processing instruction, a script
        return tail
    if tag == "br":
        return LINE_BREAK + tail
    if notes and is_back_link(child):
        return tail
    sup = marker(child)
    if sup is not None:
        return "\u2060" + sup + tail  # a word joiner: the space before the marker goes, see _glue
    return _inline(child, notes=notes) + tail


_BEFORE_MARKER = re.compile(r"[ \t\n\r\f]*\u2060")


def _glue(text: str) -> str:
    return _BEFORE_MARKER.sub("", text)
