"""The EPUB editions: the book read by the EPUB reader written back with its English.

``render_bilingual_epub``: the original EPUB, each translated block's element followed
by a sibling copy of it (same tag and class, plus ``class="diptych-en"``, ``lang="en"``,
no ``id``) that holds the block's English; a run of text between an element's blocks, and
a navigation entry (whose ``li`` must hold one link), get the English in a ``span`` of
that class instead (after the run; inside the entry's link, after `` / ``). The NCX's
labels read ``source / English``; the package adds ``en`` to its languages.

``render_english_epub``: each translated block's text replaced by its English, inside the
innermost element that holds the whole block (a link, an ``em`` that spans it all, the
``p`` of a note), so links and whole-block emphasis stay; inline markup inside a
translated block is dropped, but its note references are put back at the English's
markers. A paragraph the front end joined across elements (``layout_end``) gets its
English in its first element, and the element that continued it is left empty (kept, so
that links into it still land). The NCX, the navigation document and ``dc:title`` (where
a block has its text) are in English, ``dc:language`` is ``en``, each item's ``lang`` too.

Both keep the spine, the manifest, styles and images as they are; ``mimetype`` is the
first member, stored. A document not read from an EPUB (a PDF, a text) gets a new EPUB 3
built from its blocks (:mod:`.epub_fresh`).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from typing import Any

from ..doc import Document
from ..readers.epub import BLOCKS, OURS, Notes, parse_items, runs_of, xhtml_items
from ..readers.epub_book import MIMETYPE, NS, element_path, local, open_book
from .common import english_block, target_lang

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_MARKERS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
BILINGUAL_SEPARATOR = " / "


def render_bilingual_epub(doc: Document, original: bytes | None) -> bytes:
    return _render(doc, original, bilingual=True)


def render_english_epub(doc: Document, original: bytes | None) -> bytes:
    return _render(doc, original, bilingual=False)


def _render(doc: Document, original: bytes | None, *, bilingual: bool) -> bytes:
    if original is None:
        from .epub_fresh import fresh_epub

        return fresh_epub(doc, bilingual=bilingual)
    book = open_book(original, str(doc.source.get("path", doc.id)))
    roots, _ = parse_items(book, xhtml_items(book))
    notes = Notes()
    notes.find(roots)
    lang = target_lang(doc)
    layout = doc.source.get("layout") or []
    jobs, by_text, ncx_english = [], {}, {}
    index = _Paths(roots)
    for block in doc.content_blocks():
        idx = block.meta.get("layout")
        if idx is None or not any(seg.translation is not None for seg in block.segments):
            continue
        english = english_block(block)
        entry = layout[idx]
        loc = entry["location"]
        by_text.setdefault(_norm(block.text), english)
        if book.ncx is not None and loc.get("item") == book.ncx.path:
            ncx_english[loc["path"]] = english
            continue
        target = _target(index, loc, notes)
        if target is None:
            continue
        end = layout[block.meta["layout_end"]]["location"] if "layout_end" in block.meta else None
        jobs.append((target, english, entry, _target(index, end, notes) if end else None))
    writer = _Writer(notes, lang, bilingual)
    for target, english, entry, end in jobs:
        writer.put(target, english, entry, end)
    changed: dict[str, bytes] = {}
    for path, root in roots.items():
        if not bilingual:
            root.set("lang", lang)
            root.set(XML_LANG, lang)
        changed[path] = _serialize(root)
    if book.ncx is not None:
        changed[book.ncx.path] = _ncx(book, ncx_english, by_text, bilingual)
    changed[book.opf_path] = _opf(book.opf, lang, by_text, bilingual)
    return _zip(book.zf, changed)


def _norm(text: str) -> str:
    return " ".join(text.split())


class _Paths:
    """Each tree's elements by their path, found once (a path looked up step by step
    costs its siblings, so a chapter of many paragraphs would cost their square)."""

    def __init__(self, roots: dict[str, Any]) -> None:
        self.roots, self.paths, self.cache = roots, {}, {}

    def find(self, item: str | None, path: str):
        if item not in self.paths:
            root = self.roots.get(item)
            self.paths[item] = {} if root is None else {
                element_path(el, self.cache): el for el in root.iter() if isinstance(el.tag, str)}
        return self.paths[item].get(path)


def _target(index: _Paths, loc: dict[str, Any], notes: Notes):
    el = index.find(loc.get("item"), loc["path"])
    if el is None:
        return None
    if "run" not in loc:
        return (el, None, bool(loc.get("nav")))
    runs = runs_of(el, notes)
    return (el, runs[loc["run"]], bool(loc.get("nav"))) if loc["run"] < len(runs) else None


def _holder(el):
    """The innermost element holding all of ``el``'s text (``li`` > ``a``; ``p`` > ``em``)."""
    while True:
        kids = [c for c in el if isinstance(c.tag, str)]
        if len(kids) != 1 or (el.text or "").strip() or (kids[0].tail or "").strip() or local(kids[0]) == "br":
            return el
        el = kids[0]


class _Writer:
    def __init__(self, notes: Notes, lang: str, bilingual: bool) -> None:
        self.notes, self.lang, self.bilingual = notes, lang, bilingual

    def put(self, target, english: str, entry: dict[str, Any], end) -> None:
        el, run, nav = target
        if entry.get("number_added") and english.startswith(f"{entry['number_added']} "):
            english = english[len(entry["number_added"]) + 1:]  # the reader wrote the number, the note did not
        refs = [r for r in el.iter() if r in self.notes.refs]
        if run is not None:
            self._run(el, run, english, nav, refs)
        elif nav:
            self._nav(el, english, refs)
        elif self.bilingual:
            anchor = end[0] if end is not None and end[1] is None else el
            twin = el.makeelement(el.tag, {k: v for k, v in el.attrib.items() if k != "id"})
            self._mark(twin)
            self._fill_block(twin, el, english, refs)
            twin.tail, anchor.tail = anchor.tail, "\n"
            anchor.addnext(twin)
        else:
            self._fill_block(el, el, english, refs)
            if end is not None and end[1] is None and end[0] is not el:
                self._fill_block(end[0], end[0], "", [])

    def _mark(self, el) -> None:
        el.set("class", " ".join([*(el.get("class") or "").split(), OURS]))
        el.set("lang", self.lang)
        el.set(XML_LANG, self.lang)

    def _span(self, parent, text: str):
        span = parent.makeelement(f"{{{NS['xhtml']}}}span", {})
        self._mark(span)
        span.text = text
        return span

    def _fill_block(self, el, model, english: str, refs: list) -> None:
        """``el`` emptied and given ``english``: in ``model``'s innermost holder, or in a
        first block child of the same kind as ``model``'s (a note's ``p``)."""
        holder = _holder(model)
        path = []
        while holder is not model:
            path.append(holder)
            holder = holder.getparent()
        first = next((c for c in model if isinstance(c.tag, str) and local(c) in BLOCKS), None)
        for child in list(el):
            el.remove(child)
        el.text = None
        inner = el
        if path:
            for node in reversed(path):
                inner = _append(inner, node.makeelement(node.tag, {k: v for k, v in node.attrib.items() if k != "id"}))
        elif first is not None:
            inner = _append(el, first.makeelement(first.tag, {k: v for k, v in first.attrib.items() if k != "id"}))
        _fill(inner, english, refs)

    def _nav(self, el, english: str, refs: list) -> None:
        holder = _holder(el)
        if self.bilingual:
            holder.append(self._span(holder, BILINGUAL_SEPARATOR + english))
        else:
            for child in list(holder):
                holder.remove(child)
            _fill(holder, english, refs)

    def _run(self, el, run, english: str, nav: bool, refs: list) -> None:
        before, nodes, after = run
        elements = [n for n in nodes if isinstance(n.tag, str)]
        loose = ((el.text if before is None else before.tail) or "").strip() or any((n.tail or "").strip() for n in nodes)
        if len(elements) == 1 and not loose:
            self._nav(elements[0], english, refs) if (nav or not self.bilingual) else self._after(el, after, english)
            return
        if self.bilingual:
            self._after(el, after, english)
            return
        for node in elements:
            el.remove(node)
        if before is None:
            el.text = english + " "
        else:
            before.tail = " " + english + " "

    def _after(self, el, after, english: str) -> None:
        span = self._span(el, " " + english)
        if after is None:
            el.append(span)
        else:
            after.addprevious(span)


def _append(parent, child):
    parent.append(child)
    return child


def _fill(el, english: str, refs: list) -> None:
    """``english`` as ``el``'s text, each marker (superscript digits) again the note
    reference it was (a copy of the original link), as many as the original held."""
    pieces = _MARKERS.split(english)
    markers = _MARKERS.findall(english)
    el.text = pieces[0]
    last = None
    for k, marker in enumerate(markers):
        if k < len(refs):
            ref = copy.deepcopy(refs[k])
            ref.tail = None
            el.append(ref)
            last = ref
            last.tail = pieces[k + 1]
        elif last is None:
            el.text += marker + pieces[k + 1]
        else:
            last.tail += marker + pieces[k + 1]


def _serialize(root) -> bytes:
    from lxml import etree

    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True)


def _ncx(book, by_path: dict[str, str], by_text: dict[str, str], bilingual: bool) -> bytes:
    from ..readers.epub import ncx_entries
    from ..readers.epub_book import element_path

    root = book.xml(book.ncx.path)
    for el, _ in ncx_entries(root):
        source = "".join(el.itertext())
        english = by_path.get(element_path(el)) or by_text.get(_norm(source))
        if english and english != source:
            el.text = f"{source}{BILINGUAL_SEPARATOR}{english}" if bilingual else english
            for child in list(el):
                el.remove(child)
    return _serialize(root)


def _opf(opf, lang: str, by_text: dict[str, str], bilingual: bool) -> bytes:
    metadata = opf.find("opf:metadata", NS)
    if metadata is None:
        return _serialize(opf)
    languages = metadata.findall("dc:language", NS)
    if bilingual:
        if not any((x.text or "").strip() == lang for x in languages):
            extra = metadata.makeelement(f"{{{NS['dc']}}}language", {})
            extra.text = lang
            (languages[-1].addnext(extra) if languages else metadata.append(extra))
    else:
        if not languages:
            languages = [_append(metadata, metadata.makeelement(f"{{{NS['dc']}}}language", {}))]
        languages[0].text = lang
        for extra in languages[1:]:
            metadata.remove(extra)
        for title in metadata.findall("dc:title", NS):
            title.text = by_text.get(_norm(title.text or ""), title.text)
    return _serialize(opf)


def _zip(zf: zipfile.ZipFile, changed: dict[str, bytes]) -> bytes:
    """The archive again: ``mimetype`` first and stored, every other member as it was
    (its compression kept) or as changed."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        out.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        for info in zf.infolist():
            if info.filename == "mimetype" or info.is_dir():
                continue
            data = changed.get(info.filename)
            if data is None:
                out.writestr(info, zf.read(info.filename), compress_type=info.compress_type)
            else:
                out.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


__all__ = ["render_bilingual_epub", "render_english_epub"]
