"""A new EPUB 3 from a document's blocks, for a document not read from an EPUB (a PDF, a text).

One chapter file per top-level heading (the headings of the smallest ``level`` the reader
gave, every heading where it gave none; the text before the first heading opens the
book), each such heading an ``h1`` and every other heading an ``h2``; list items in a
``ul``, quotations in a ``blockquote``, notes in an ``aside epub:type="footnote"``, the
rest ``p`` (with the block's kind as its class). The bilingual book follows each block
with its English (``class="diptych-en"``, ``lang="en"``); the English one holds the
English only. A navigation document and an NCX list the headings.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from html import escape

from ..doc import Block, Document
from ..readers.epub_book import MIMETYPE
from .common import english_block, target_lang

_CONTAINER = ('<?xml version="1.0" encoding="utf-8"?>\n<container version="1.0" '
              'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
              '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n')
_PAGE = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
         'xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">\n<head><title>{title}</title>'
         '<style>.diptych-en {{ color: #345; font-style: italic }}</style></head>\n<body>\n{body}\n</body>\n</html>\n')


def _level(doc: Document, block: Block) -> int | None:
    idx = block.meta.get("layout")
    layout = doc.source.get("layout") or []
    return layout[idx].get("level") if idx is not None and idx < len(layout) else None


def chapters(doc: Document) -> list[list[Block]]:
    """The content blocks cut at each top-level heading."""
    blocks = doc.content_blocks()
    levels = [_level(doc, b) for b in blocks if b.kind == "heading"]
    top = min((lv for lv in levels if lv is not None), default=None)
    out: list[list[Block]] = [[]]
    for block in blocks:
        if block.kind == "heading" and (top is None or _level(doc, block) in (None, top)) and out[-1]:
            out.append([])
        out[-1].append(block)
    return [c for c in out if c]


def _is_top(doc: Document, chapter: list[Block], block: Block) -> bool:
    return block is chapter[0] and block.kind == "heading"


def _html(doc: Document, chapter: list[Block], bilingual: bool, lang: str) -> str:
    parts: list[str] = []
    in_list = False
    for block in chapter:
        texts = [(block.text, doc.lang)]
        english = english_block(block)
        if not bilingual:
            texts = [(english, lang)]
        elif _translated(block):
            texts.append((english, lang))
        if block.kind == "list_item" and not in_list:
            parts.append("<ul>")
            in_list = True
        elif block.kind != "list_item" and in_list:
            parts.append("</ul>")
            in_list = False
        for n, (text, tag_lang) in enumerate(texts):
            attrs = f' class="diptych-en" lang="{lang}" xml:lang="{lang}"' if bilingual and n else ""
            body = escape(text)
            if block.kind == "heading":
                tag = "h1" if _is_top(doc, chapter, block) else "h2"
                parts.append(f"<{tag}{attrs}>{body}</{tag}>")
            elif block.kind == "list_item":
                parts.append(f"<li{attrs}>{body}</li>")
            elif block.kind == "quote":
                parts.append(f"<blockquote{attrs}><p>{body}</p></blockquote>")
            elif block.kind == "footnote":
                parts.append(f'<aside epub:type="footnote"{attrs}><p>{body}</p></aside>')
            else:
                cls = f' class="{block.kind}"' if not attrs and block.kind != "paragraph" else attrs
                parts.append(f"<p{cls}>{body}</p>")
    if in_list:
        parts.append("</ul>")
    return "\n".join(parts)


def _translated(block: Block) -> bool:
    return any(seg.translation is not None for seg in block.segments)


def fresh_epub(doc: Document, *, bilingual: bool) -> bytes:
    lang = target_lang(doc)
    book_lang = doc.lang if bilingual and doc.lang and doc.lang != "und" else lang
    parts = chapters(doc)
    title = next((b.text if bilingual else english_block(b) for b in doc.content_blocks() if b.kind == "heading"), doc.id)
    files, toc = [], []
    for n, chapter in enumerate(parts, 1):
        name = f"chapter{n:03d}.xhtml"
        files.append((name, _PAGE.format(lang=book_lang, title=escape(title), body=_html(doc, chapter, bilingual, lang))))
        for block in chapter:
            if block.kind == "heading":
                toc.append((english_block(block) if not bilingual else block.text, name))
    if not toc:
        toc = [(title, files[0][0])] if files else []
    nav = "".join(f'<li><a href="{f}">{escape(label)}</a></li>' for label, f in toc)
    nav_page = _PAGE.format(lang=book_lang, title="Contents", body=f'<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>{nav}</ol></nav>')
    ncx_points = "".join(f'<navPoint id="p{k}" playOrder="{k}"><navLabel><text>{escape(label)}</text></navLabel>'
                         f'<content src="{f}"/></navPoint>' for k, (label, f) in enumerate(toc, 1))
    uid = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'diptych:' + str(doc.source.get('sha256', doc.id)) + str(bilingual))}"
    ncx = ('<?xml version="1.0" encoding="utf-8"?>\n<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
           f'<head><meta name="dtb:uid" content="{uid}"/></head><docTitle><text>{escape(title)}</text></docTitle>'
           f'<navMap>{ncx_points}</navMap></ncx>\n')
    languages = f"<dc:language>{book_lang}</dc:language>" + (f"<dc:language>{lang}</dc:language>" if book_lang != lang else "")
    items = "".join(f'<item id="c{k}" href="{f}" media-type="application/xhtml+xml"/>' for k, (f, _) in enumerate(files))
    spine = "".join(f'<itemref idref="c{k}"/>' for k in range(len(files)))
    opf = ('<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
           'unique-identifier="uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
           f'<dc:identifier id="uid">{uid}</dc:identifier><dc:title>{escape(title)}</dc:title>{languages}'
           '<meta property="dcterms:modified">2000-01-01T00:00:00Z</meta></metadata><manifest>'
           '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
           f'<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>{items}</manifest>'
           f'<spine toc="ncx">{spine}</spine></package>\n')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", _CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/nav.xhtml", nav_page, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/toc.ncx", ncx, compress_type=zipfile.ZIP_DEFLATED)
        for name, page in files:
            z.writestr(f"OEBPS/{name}", page, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
