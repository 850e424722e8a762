"""PDFs laid out by Chromium from text whose sentences are known, for the PDF reader's
tests and benchmark: running headers and footers with page numbers, one or two columns,
notes in small type below the text, line-end hyphens (soft hyphens where a long word
breaks, hard ones where a compound does), and the plain text the PDF says."""

from __future__ import annotations

import html
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "segmentation"
HEADER = "Diptych test edition — {title}"
# what Chromium's header and footer templates hold (a page number, a page count)
HEADER_TEMPLATE = ('<div style="font-size:8px;width:100%;margin:0 40px;display:flex;justify-content:space-between">'
                   '<span>{header}</span><span>{title}</span></div>')
FOOTER_TEMPLATE = ('<div style="font-size:8px;width:100%;text-align:center">'
                   '<span class="pageNumber"></span></div>')
CSS = """
body {{ font-family: 'DejaVu Serif', serif; font-size: {size}px; line-height: 1.3; margin: 0 }}
p {{ margin: 0 0 {gap}px 0; text-align: justify }}
h1 {{ font-size: {h1}px; margin: 0 0 12px 0 }}
.cols {{ column-count: {columns}; column-gap: 22px }}
.notes {{ font-size: {note}px; margin-top: 14px; border-top: 1px solid #000; padding-top: 4px }}
.notes p {{ margin: 0 0 2px 0 }}
"""


@dataclass
class Built:
    path: Path
    title: str
    header: str
    paragraphs: list[list[str]]  # the body's sentences, paragraph by paragraph
    notes: list[str]  # the notes' texts, without their numbers
    marked: list[int]  # the body sentences (counted through the whole text) that carry a note marker

    def plain_text(self) -> str:
        """The body as a plain text says it: a title, then paragraphs between blank lines."""
        return "\n\n".join([self.title] + [" ".join(p) for p in self.paragraphs]) + "\n"


def gold_sentences(case: str) -> list[str]:
    return [s for s in (GOLD / f"{case}.gold.txt").read_text(encoding="utf-8").splitlines() if s.strip()]


_LONG_WORD = re.compile(r"[^\W\d_]{10,}")


def soft_hyphens(text: str) -> str:
    """Soft hyphens in long words (after their first five letters, before their last four):
    where such a word falls at a line end, Chromium breaks it there with a hyphen."""
    return _LONG_WORD.sub(lambda m: m.group()[:5] + "\u00ad" + m.group()[5:-4] + "\u00ad" + m.group()[-4:], text)


_COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


def nowrap_compounds(text: str) -> str:
    """Compounds kept on one line: whether a hard hyphen at a line end is kept is the
    front end's decision by the document's vocabulary, tested on its own, not here."""
    return _COMPOUND.sub(lambda m: f'<span style="white-space:nowrap">{m.group()}</span>', text)


def paragraphs_of(sentences: list[str], size: int = 4) -> list[list[str]]:
    return [sentences[i:i + size] for i in range(0, len(sentences), size)]


def page_html(built: Built, *, lang: str, columns: int, sizes: tuple[int, int, int] = (13, 24, 9)) -> str:
    size, h1, note = sizes
    body, k = [], 0
    for para in built.paragraphs:
        parts = []
        for s in para:
            k += 1
            text = nowrap_compounds(html.escape(soft_hyphens(s)))
            if k in built.marked:
                # the call before the sentence's closing punctuation, as French sets it
                # (the segmenter does not yet split after "end.¹ Next": see the report)
                m = re.search(r"[.!?…»”\"]*$", text)
                text = f"{text[:m.start()]}<sup>{built.marked.index(k) + 1}</sup>{text[m.start():]}"
            parts.append(text)
        body.append(f"<p>{' '.join(parts)}</p>")
    notes = "".join(f"<p><sup>{i}</sup> {html.escape(n)}</p>" for i, n in enumerate(built.notes, 1))
    css = CSS.format(size=size, gap=8, h1=h1, columns=columns, note=note)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>{css}</style></head><body>'
            f"<h1>{html.escape(built.title)}</h1><div class=\"cols\">{''.join(body)}</div>"
            f'<div class="notes">{notes}</div></body></html>')


def print_pdf(browser, content: str, path: Path, *, header: str = "", title: str = "", page_format: str = "A5") -> Path:
    page = browser.new_page()
    try:
        page.set_content(content)
        page.pdf(path=str(path), format=page_format, display_header_footer=bool(header or title),
                 header_template=HEADER_TEMPLATE.format(header=html.escape(header), title=html.escape(title)),
                 footer_template=FOOTER_TEMPLATE,
                 margin={"top": "60px", "bottom": "60px", "left": "48px", "right": "48px"})
    finally:
        page.close()
    return path


def build(browser, folder: Path, case: str, *, columns: int = 1, notes: int = 3, page_format: str = "A5",
          sentences: list[str] | None = None) -> Built:
    """A PDF of a gold case's sentences (or ``sentences``): its first sentence the title, the
    last ``notes`` the notes, markers after sentences spread through the body."""
    sents = sentences if sentences is not None else gold_sentences(case)
    title, body, note_texts = sents[0], sents[1:len(sents) - notes], sents[len(sents) - notes:]
    marked = [1 + (i + 1) * len(body) // (notes + 1) for i in range(notes)]
    built = Built(folder / f"{case}.pdf", title, HEADER.format(title=case), paragraphs_of(body), note_texts, marked)
    lang = case.split("_")[0]
    print_pdf(browser, page_html(built, lang=lang, columns=columns), built.path, header=built.header,
              title=title[:40], page_format=page_format)
    return built


def png(width: int = 200, height: int = 120) -> bytes:
    """A grey-level PNG with stripes: a page of a scan, as far as a text layer is concerned."""
    rows = b"".join(b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def encrypted(pdf: bytes) -> bytes:
    """The PDF with a standard security handler in its trailer whose user password is not
    empty: a reader must ask for the password (nothing else in the file is changed)."""
    at = pdf.rindex(b"trailer")
    close = pdf.index(b"<<", at) + 2
    encrypt = (b" /Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + b"a5" * 32 + b"> /U <"
               + b"3c" * 32 + b"> >> /ID [<" + b"01" * 16 + b"> <" + b"01" * 16 + b">] ")
    return pdf[:close] + encrypt + pdf[close:]


def broken_xref(pdf: bytes) -> bytes:
    """The PDF with every offset of its cross-reference table wrong (shifted by 7 bytes)."""
    at = pdf.rindex(b"\nxref")
    end = pdf.index(b"trailer", at)
    table = re.sub(rb"(?m)^(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m.group(1)) + 7, m.group(2)), pdf[at:end])
    return pdf[:at] + table + pdf[end:]


def pdf_of_objects(objects: list[bytes]) -> bytes:
    """A well-formed PDF of these objects (object 1 the catalogue), with a true
    cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


EMPTY_PDF = pdf_of_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
BLANK_PDF = pdf_of_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] >>"])
