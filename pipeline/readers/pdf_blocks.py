"""A PDF's pages of lines (:mod:`pipeline.readers.pdf_layout`) -> its blocks, in reading order.

Each block: its lines as printed, its kind where the layout says it (heading, footnote,
junk for running headers and footers, meta for page numbers; None for the body, where
the front end decides by the words), its page and box, and ``continues`` where a
paragraph runs on past the page's end. The rules are the module docstring's of
:mod:`pipeline.readers.pdf_layout`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from .pdf_layout import (
    HEADING_SIZE, HYPHEN, NOTE_SIZE, PDFIUM_LINE_END_HYPHEN, SAME_SIZE, SOFT_HYPHEN, _NOTE_LABEL, Line, Page,
    mark_furniture, reading_order,
)


@dataclass
class PdfBlock:
    lines: list[Line]
    kind: str | None
    page: int
    continues: bool = False
    extra: dict = field(default_factory=dict)

    def box(self) -> list[float]:
        return [round(v, 1) for v in (min(ln.x0 for ln in self.lines), min(ln.y0 for ln in self.lines),
                                      max(ln.x1 for ln in self.lines), max(ln.y1 for ln in self.lines))]


def _body_size(pages: list[Page]) -> float:
    sizes = Counter()
    for page in pages:
        for ln in page.lines:
            if ln.role == "body":
                sizes[round(ln.size, 1)] += ln.chars
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_SIZE * max(a, b)


def _mark_notes(page: Page, body: float) -> None:
    """Lines set smaller than the body with no body line below them (overlapping them
    across) nor beside them: the page's notes."""
    big = [ln for ln in page.lines if ln.role == "body" and ln.size >= NOTE_SIZE * body]
    for ln in page.lines:
        if ln.role != "body" or ln.size >= NOTE_SIZE * body:
            continue
        if not any(b.base < ln.base and b.x0 < ln.x1 and ln.x0 < b.x1 for b in big) and not any(
                b.y0 < ln.y1 and ln.y0 < b.y1 for b in big):  # beside body text: a bullet, a sign
            ln.role = "note"
    notes = sorted((ln for ln in page.lines if ln.role == "note"), key=lambda ln: -ln.base)
    if notes and not (_NOTE_LABEL.match(notes[0].text) or notes[0].text[:1] in "*†‡§"):
        # notes open with their number (or sign); small type below the text that does
        # not (a listing, a table, a caption) is no note
        for ln in notes:
            ln.role = "body"


def _spacing(columns: list[list[list[Line]]], body: float) -> float:
    """The body's line spacing, as a multiple of its lines' height."""
    steps = [(a.base - b.base) / a.h for cols in columns for col in cols for a, b in zip(col, col[1:])
             if _same(a.size, body) and _same(b.size, body) and a.h > 0 and 0.7 * a.h < a.base - b.base < 3 * a.h]
    return median(steps) if steps else 1.1


def _hyphens_in_lines(pages: list[Page]) -> set[str]:
    """The hyphen characters the document sets inside its lines (its compounds' hyphens)."""
    found = set()
    for page in pages:
        for ln in page.lines:
            for ch in (HYPHEN, "-"):
                if ch in ln.text[:-1]:
                    found.add(ch)
    return found


def line_text(text: str, mid_line_hyphens: set[str]) -> str:
    """A line's text with its line-end hyphen as printed; one that is the typesetter's own
    (a soft hyphen, or a U+2010 hyphen in a document whose compounds take another) as
    U+00AD, which the front end always joins."""
    last = text[-1:]
    if last == PDFIUM_LINE_END_HYPHEN:
        return text[:-1] + "-"
    if last == HYPHEN and HYPHEN not in mid_line_hyphens and len(text) > 1 and text[-2].isalpha():
        return text[:-1] + SOFT_HYPHEN
    return text.replace(PDFIUM_LINE_END_HYPHEN, "-")


_CLOSERS = "»\"”’)]"


def _ends_sentence(ln: Line) -> bool:
    """Whether a line ends a sentence: a full stop, a question or exclamation mark or an
    ellipsis, closing quotes and brackets aside (a colon or a semicolon announces more)."""
    return ln.text.rstrip().rstrip(_CLOSERS)[-1:] in ".!?…"


def blocks(pages: list[Page]) -> list[PdfBlock]:
    """Every page's blocks, in reading order (body, then notes, then headers and footers)."""
    mark_furniture(pages)
    body = _body_size(pages)
    for page in pages:
        _mark_notes(page, body)
    columns = [reading_order([ln for ln in p.lines if ln.role == "body"], body) for p in pages]
    spacing = _spacing(columns, body)
    bottoms = [min(ln.base for col in cols for ln in col) for cols in columns if cols]
    floor = min(bottoms) if bottoms else 0.0
    heading_sizes = sorted({round(ln.size, 1) for p in pages for ln in p.lines
                            if ln.role == "body" and ln.size >= HEADING_SIZE * body}, reverse=True)
    hyphens = _hyphens_in_lines(pages)
    laid: list[tuple[list[PdfBlock], list[Line], bool]] = []
    for page, cols in zip(pages, columns):
        page_blocks = _body_blocks(page, cols, spacing)
        notes = sorted((ln for ln in page.lines if ln.role == "note"), key=lambda ln: (-ln.base, ln.x0))
        reaches = False
        if page_blocks:
            last = page_blocks[-1].lines[-1]
            if notes:
                reaches = last.y0 - max(ln.y1 for ln in notes) < 2.5 * spacing * last.h
            else:
                reaches = last.base <= floor + 1.5 * spacing * last.h
        for b in page_blocks:
            size = Counter(round(ln.size, 1) for ln in b.lines).most_common(1)[0][0]
            if size >= HEADING_SIZE * body:
                b.kind = "heading"
                b.extra["level"] = min(heading_sizes.index(size) + 1, 6) if size in heading_sizes else 1
        laid.append((page_blocks, notes, reaches))
    indented = _indents_paragraphs([b for page_blocks, _, _ in laid for b in page_blocks])
    out: list[PdfBlock] = []
    for k, (page, (page_blocks, notes, reaches)) in enumerate(zip(pages, laid)):
        following = next((p[0][0] for p in laid[k + 1:] if p[0]), None)
        if page_blocks and following is not None and page_blocks[-1].kind is None and following.kind is None and reaches:
            last = page_blocks[-1].lines[-1]
            if (not _ends_sentence(last) or last.text.endswith(("-", HYPHEN, SOFT_HYPHEN, PDFIUM_LINE_END_HYPHEN))
                    or (indented and not _opens_indented(following))):
                page_blocks[-1].continues = True
        out += page_blocks
        out += _note_blocks(page.number, notes)
        for role in ("junk", "meta"):
            for ln in sorted((ln for ln in page.lines if ln.role == role), key=lambda ln: (-ln.base, ln.x0)):
                out.append(PdfBlock([ln], role, page.number))
    for b in out:
        for ln in b.lines:
            ln.text = line_text(ln.text, hyphens)
    return out


def _opens_indented(b: PdfBlock) -> bool:
    """Whether a block's first line is set in from its second (a first-line indent)."""
    return len(b.lines) > 1 and b.lines[0].x0 - b.lines[1].x0 > 0.5 * b.lines[0].h


def _indents_paragraphs(body: list[PdfBlock]) -> bool:
    """Whether the document opens its paragraphs with a first-line indent: then a page
    whose first line is not indented goes on with the paragraph of the page before,
    even where a sentence ended with that page."""
    long = [b for b in body if b.kind is None and len(b.lines) > 2]
    return len(long) >= 3 and sum(map(_opens_indented, long)) > 0.6 * len(long)


def _body_blocks(page: Page, cols: list[list[Line]], spacing: float) -> list[PdfBlock]:
    """``spacing``: the body's line spacing as a multiple of its lines' height."""
    out: list[PdfBlock] = []
    for k, col in enumerate(cols):
        left, right = min(ln.x0 for ln in col), max(ln.x1 for ln in col)
        width = right - left
        prev: Line | None = None
        for ln in col:
            if prev is None:
                # a column's first line: the previous column's paragraph runs on unless
                # it ended a sentence or this line is set in another size
                tail = out[-1].lines[-1] if out and k > 0 else None
                new = tail is None or _ends_sentence(tail) or not _same(tail.size, ln.size)
            else:
                em = max(prev.h, ln.h)
                gap = prev.base - ln.base
                new = (
                    not _same(prev.size, ln.size)
                    or gap > 1.3 * spacing * max(ln.h, prev.h)
                    or gap < 0
                    or (ln.x0 - left > 0.5 * em and prev.x0 - left <= 0.25 * em and _ends_sentence(prev))
                    or (prev.x1 < right - 0.15 * width and _ends_sentence(prev))
                )
            if new:
                out.append(PdfBlock([ln], None, page.number))
            else:
                out[-1].lines.append(ln)
            prev = ln
    return out


def _note_blocks(page: int, notes: list[Line]) -> list[PdfBlock]:
    out: list[PdfBlock] = []
    prev: Line | None = None
    for ln in notes:
        if prev is None or _NOTE_LABEL.match(ln.text) or prev.base - ln.base > 2.2 * ln.h or ln.base > prev.base:
            out.append(PdfBlock([ln], "footnote", page))
        else:
            out[-1].lines.append(ln)
        prev = ln
    return out
