"""The web page translated in place: the original page, each translated block's English in
the element it was read from.

Markup, styles, scripts, links, images and the page's furniture (navigation, footers,
every junk block) stay as they are; ``<html lang>`` says the English's language, a
``<meta name="generator">`` carries the signature of the settings, and the page is
written in UTF-8 (its ``<meta charset>`` says so). A translated element's inline markup
(bold, links) is flattened into its English, all but its note markers (``<sup>``,
``<a href="#fn1">``), which are put back where the English has them. An element left
untranslated (English already, or awaiting a translation) keeps its markup whole. The
page's ``<title>`` takes the English of the heading it repeats. lxml's HTML serialiser
writes non-ASCII characters of a link's address percent-encoded (``/Actualit%C3%A9s``),
the same address to a browser.

A document read from no web page (a PDF, a text) gets a plain HTML5 page of its content
blocks instead. Either page reads back through :mod:`pipeline.readers.html` with the
English as its text.
"""

from __future__ import annotations

import html as _html
import re
from typing import Any

from ..doc import Block, Document
from ..readers.html import BLOCK_TAGS, has_text, local, marker, parse_page, pieces, run_text
from .common import TOOL, english_block, signature_line, target_lang

_MARKERS = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def render_webpage(doc: Document, original: bytes | None) -> bytes:
    """The page (``original``, the bytes the document was read from) with its English, or a
    page built from the record when there is no original."""
    if original is None:
        return built_page(doc)
    from lxml import etree, html

    page = parse_page(original, str(doc.source.get("path", doc.id)))
    tree = page.root.getroottree()
    entries = doc.source.get("layout") or []
    # each element (or run of text between an element's blocks) with the English of its
    # blocks: one, or one per paragraph its <br><br> made
    places: dict[tuple[str, int | None], list[str]] = {}
    translated: set[tuple[str, int | None]] = set()
    for block in doc.content_blocks():
        location = block.meta.get("location") or {}
        entry = entries[block.meta["layout"]] if "layout" in block.meta and block.meta["layout"] < len(entries) else {}
        if "path" not in location or entry.get("pre"):
            continue  # code or verse (pre) is kept as it is
        key = (location["path"], location.get("part"))
        english = english_block(block)
        added = entry.get("number_added")
        if added and english.startswith(added):  # a note's number the page's list shows itself
            english = english[len(added):]
        places.setdefault(key, []).append(english)
        if any(seg.translation is not None for seg in block.segments):
            translated.add(key)
        end = block.meta.get("layout_end")
        if end is not None and end < len(entries):  # a sentence the front end joined across elements
            tail = entries[end]["location"]
            places[(tail["path"], tail.get("part"))] = []
    for key, englishes in places.items():
        if key not in translated and englishes:
            continue  # nothing translated here: the markup stays whole
        for el in tree.xpath(key[0])[:1]:
            _put(el, key[1], englishes)
    _title(page.root, doc)
    _sign(page.root, doc)
    if page.parser == "xml":
        return etree.tostring(tree, encoding="utf-8", xml_declaration=True)
    return html.tostring(page.root, encoding="utf-8", method="html", doctype=page.doctype).lstrip(b"\n")


def _put(el: Any, part: int | None, english: list[str]) -> None:
    """``english`` (paragraphs, a ``<br><br>`` between two) in place of the element's text
    (or of its ``part``-th run of text between blocks), its note markers kept."""
    if part is None:
        markers = _marker_elements(el)
        el.text = None
        for child in list(el):
            el.remove(child)
        _fill(el, None, english, markers)
        return
    runs = [run for run in pieces(el) if isinstance(run, list) and has_text(run_text(el, run, notes=False))]
    if part >= len(runs):
        return
    run = runs[part]
    markers = [m for item in run if item is not None and local(item) not in BLOCK_TAGS for m in _marker_elements(item, self_too=True)]
    anchor = run[0]
    for item in run[1:]:
        el.remove(item)
    if anchor is None:
        el.text = None
    else:
        anchor.tail = None
    _fill(el, anchor, english, markers)


def _fill(el: Any, anchor: Any, english: list[str], markers: list[Any]) -> None:
    """Write ``english`` at ``anchor`` (None: the element's own text; else after that child),
    each superscript marker replaced by the next marker element when they match one for
    one; paragraphs with two ``<br>`` between them."""
    from lxml import etree

    if len(english) > 1:
        namespace = el.tag.rpartition("}")[0] + "}" if el.tag.startswith("{") else ""
        breaks = []
        for paragraph in english[1:]:
            first, second = etree.Element(f"{namespace}br"), etree.Element(f"{namespace}br")
            second.tail = paragraph
            breaks += [first, second]
        english, markers = [english[0]], breaks
        pieces_ = [english[0]] + [b.tail or "" for b in breaks]
        for b in breaks:
            b.tail = None
    else:
        pieces_ = _MARKERS.split(english[0]) if english else [""]
        if len(pieces_) - 1 != len(markers):  # markers the English lost or gained: plain text
            pieces_, markers = english[:1] or [""], []
    index = 0 if anchor is None else el.index(anchor) + 1
    if anchor is None:
        el.text = pieces_[0]
    else:
        anchor.tail = pieces_[0]
    for k, (m, text) in enumerate(zip(markers, pieces_[1:])):
        m.tail = text
        el.insert(index + k, m)


def _marker_elements(el: Any, *, self_too: bool = False) -> list[Any]:
    """The note markers inside an element (or the element itself), in order, detached."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        if marker(node) is not None:
            found.append(node)
            return
        for child in node:
            if local(child):
                walk(child)

    if self_too:
        walk(el)
    else:
        for child in el:
            if local(child):
                walk(child)
    copies = []
    for m in found:
        from copy import deepcopy

        copy = deepcopy(m)
        copy.tail = None
        copies.append(copy)
    return copies


def _title(root: Any, doc: Document) -> None:
    """The page's ``<title>``, which is no block: where it repeats a heading of the text
    ("Le titre | Le site"), that heading's English takes its place there."""
    title = next((el for el in root.iter("{*}title")), None)
    if title is None or not title.text:
        return
    for block in doc.content_blocks():
        if block.kind == "heading" and any(seg.translation is not None for seg in block.segments):
            heading = " ".join(block.text.split())
            text = " ".join(title.text.split())
            if heading and heading in text:
                title.text = text.replace(heading, english_block(block), 1)
                return


def _sign(root: Any, doc: Document) -> None:
    from lxml import etree

    lang = target_lang(doc)
    root.set("lang", lang)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    if root.get(xml_lang) is not None:
        root.set(xml_lang, lang)
    namespace = root.tag.rpartition("}")[0] + "}" if root.tag.startswith("{") else ""
    head = next(iter(root.iter(f"{namespace}head")), None)
    if head is None:
        head = etree.Element(f"{namespace}head")
        root.insert(0, head)
    charset = False
    for meta in head.iter(f"{namespace}meta"):
        if meta.get("charset") is not None:
            meta.set("charset", "utf-8")
            charset = True
        elif (meta.get("http-equiv") or "").lower() == "content-type":
            meta.set("content", "text/html; charset=utf-8")
            charset = True
    if not charset:
        head.insert(0, etree.Element(f"{namespace}meta", charset="utf-8"))
    generator = etree.Element(f"{namespace}meta", name="generator", content=f"{TOOL}: {signature_line(doc)}")
    head.insert(1 if len(head) else 0, generator)


_TAGS = {"heading": "h2", "list_item": "li", "quote": "blockquote", "caption": "figcaption", "byline": "p", "meta": "p",
         "paragraph": "p", "footnote": "p"}


def built_page(doc: Document) -> bytes:
    """A plain HTML5 page of the document's content blocks in their order and kinds."""
    esc = _html.escape
    entries = doc.source.get("layout") or []
    body: list[str] = []
    open_group = ""
    for block in doc.content_blocks():
        group = {"list_item": "ul", "footnote": "section"}.get(block.kind, "")
        if group != open_group:
            body.append({"ul": "</ul>", "section": "</section>"}.get(open_group, ""))
            body.append({"ul": "<ul>", "section": '<section role="doc-endnotes">'}.get(group, ""))
            open_group = group
        tag = _TAGS[block.kind]
        if block.kind == "heading":
            level = _level(block, entries)
            tag = f"h{level}"
        text = esc(_without_markup(block))
        body.append(f"<figure><{tag}>{text}</{tag}></figure>" if tag == "figcaption" else f"<{tag}>{text}</{tag}>")
    body.append({"ul": "</ul>", "section": "</section>"}.get(open_group, ""))
    title = next((english_block(b) for b in doc.content_blocks() if b.kind == "heading"), doc.id)
    page = (f'<!DOCTYPE html>\n<html lang="{esc(target_lang(doc))}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="generator" content="{esc(TOOL)}: {esc(signature_line(doc))}">\n<title>{esc(title)}</title>\n'
            f'</head>\n<body>\n<main>\n' + "\n".join(line for line in body if line) + "\n</main>\n</body>\n</html>\n")
    return page.encode("utf-8")


def _without_markup(block: Block) -> str:
    """A heading's or an item's English without the hashes or the bullet a text wrote it
    with (the page's tags say it); a note keeps its number."""
    english = english_block(block)
    prefix = block.segments[0].meta.get("markup_prefix", "") if block.segments else ""
    if block.kind in ("heading", "list_item") and prefix.strip() and english.startswith(prefix):
        return english[len(prefix):]
    return english


def _level(block: Block, entries: list[dict]) -> int:
    """A heading's level as its reader gave it (2 where none did), between 1 and 6."""
    index = block.meta.get("layout")
    level = entries[index].get("level") if isinstance(index, int) and index < len(entries) else None
    return min(6, max(1, int(level))) if isinstance(level, int) else 2
