"""The PDF reader: a born-digital PDF's text layer -> blocks with their page and box.

PDFium (through ``pypdfium2``, its wheel holds the library) gives each character of a
page's text layer with its box, its baseline and its font size; the page is closed
before the next one is opened, so that memory stays bounded whatever the length of the
PDF. What the characters make (lines, columns, running headers and footers, page
numbers, notes, headings, paragraphs cut by a page end) is decided by their geometry
alone, in :mod:`pipeline.readers.pdf_layout` and :mod:`pipeline.readers.pdf_blocks`.

A PDF this cannot read says so in one line: one without a text layer (a scan: it needs
OCR first), an encrypted one, a damaged or truncated one, one with no pages. PDFium
repairs a broken cross-reference table by itself (it rebuilds the table from the
objects): such a file is read, and the repair noted in ``source["pdf"]``.
"""

from __future__ import annotations

import ctypes
import re

from ..doc import Document
from ..errors import InputError
from . import Reader
from .layout import LayoutText
from .pdf_blocks import blocks
from .pdf_layout import Char, Page, page_lines

VERSION = "pdf/1"
# The end-of-file marker a complete PDF ends with; readers accept trailing bytes after it
# up to 1024 bytes (the PDF reference's implementation note).
EOF_WINDOW = 1024
_NO_PAGES = re.compile(rb"/Count\s+0(?![\d.])")  # a page tree that says it holds none
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm")  # where page objects may stand compressed
OCR_HINT = "has no text layer (a scanned PDF?): run OCR on it first, e.g. `ocrmypdf in.pdf out.pdf`"


def page_chars(page, raw) -> list[Char]:
    """A PDFium page's characters, in its text layer's order."""
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        n = raw.FPDFText_CountChars(tp)
        rect, m = raw.FS_RECTF(), raw.FS_MATRIX()
        get_unicode, loose_box, matrix, font_size = (raw.FPDFText_GetUnicode, raw.FPDFText_GetLooseCharBox,
                                                     raw.FPDFText_GetMatrix, raw.FPDFText_GetFontSize)
        rect_ref, m_ref = ctypes.byref(rect), ctypes.byref(m)
        out = []
        for i in range(n):
            code = get_unicode(tp, i)
            ch = chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
            if ch.isspace() or code == 0:
                out.append(Char(" ", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0))
                continue
            loose_box(tp, i, rect_ref)
            matrix(tp, i, m_ref)
            # the size on the page: the text layer's size (the font's, times the text
            # matrix's) times what the page's own transformation scales it by; the
            # matrix's translation is the character's origin, on its baseline
            scale = abs(m.a * m.d - m.b * m.c) ** 0.5 or 1.0
            out.append(Char(ch, rect.left, rect.bottom, rect.right, rect.top, m.f, font_size(tp, i) * scale))
        return out
    finally:
        textpage.close()


def _open(data: bytes, origin: str):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if not data:
        raise InputError(f"{origin}: is empty (0 bytes), not a PDF")
    tail = data[-EOF_WINDOW:]
    if b"%%EOF" not in tail:
        raise InputError(f"{origin}: is a truncated PDF file (it does not end with %%EOF): download or copy it again")
    try:
        return pdfium.PdfDocument(data), raw
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise InputError(f"{origin}: is an encrypted PDF file (it needs a password): decrypt it first, "
                             "e.g. `qpdf --decrypt --password=… in.pdf out.pdf`") from None
        if _NO_PAGES.search(data) and not _PAGE_OBJECT.search(data) and not _OBJECT_STREAM.search(data):
            # PDFium loads no document without a page (its error code then is stale)
            raise InputError(f"{origin}: is a PDF file with no pages") from None
        raise InputError(f"{origin}: is a damaged PDF file that PDFium cannot repair ({exc})") from None


def read_pages(data: bytes, origin: str) -> tuple[list[Page], dict]:
    """Every page's lines, a page at a time (each page closed before the next is opened)."""
    pdf, raw = _open(data, origin)
    try:
        pages: list[Page] = []
        objects = 0
        for number in range(1, len(pdf) + 1):
            page = pdf[number - 1]
            try:
                width, height = page.get_size()
                objects += raw.FPDFPage_CountObjects(page.raw)
                pages.append(Page(number, width, height, page_lines(page_chars(page, raw))))
            finally:
                page.close()
        info = {"pages": len(pages), "pdf_version": pdf.get_version()}
    finally:
        pdf.close()
    if not pages:
        raise InputError(f"{origin}: is a PDF file with no pages")
    if not any(p.lines for p in pages):
        if not objects:
            raise InputError(f"{origin}: is a PDF file whose {len(pages)} page(s) are blank: there is no text to read")
        raise InputError(f"{origin}: {OCR_HINT}")
    info["pages_without_text"] = sum(1 for p in pages if not p.lines)
    return pages, info


class PdfReader(Reader):
    name = "pdf"
    suffixes = (".pdf",)
    magic = (b"%PDF-",)

    def read_bytes(self, data: bytes, doc_id: str, origin: str) -> Document:
        import pypdfium2

        pages, info = read_pages(data, origin)
        return document_of(pages, doc_id=doc_id, data=data, origin=origin, library=f"pypdfium2-{pypdfium2.version.PYPDFIUM_INFO}",
                           info=info)


def document_of(pages: list[Page], *, doc_id: str, data: bytes, origin: str, library: str, info: dict) -> Document:
    """The document of a PDF's pages of lines (whatever library read their characters)."""
    lt = LayoutText()
    for b in blocks(pages):
        entry = lt.add([ln.text for ln in b.lines], kind=b.kind,
                       location={"label": f"p. {b.page}", "page": b.page, "box": b.box()}, **b.extra)
        if entry is not None and b.continues:
            entry["continues"] = True
    return lt.document(doc_id, data=data, origin=origin, reader=PdfReader.name, version=VERSION, library=library, pdf=info)
