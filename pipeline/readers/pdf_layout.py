"""A PDF page's characters -> lines -> blocks, by their geometry alone.

The PDF reader (:mod:`pipeline.readers.pdf`) hands each page's characters here, each with
its box, its baseline and its font size, in the order of the page's text layer; this
module knows no PDF library (a benchmark feeds it another library's characters). What it
decides, and by what:

* **lines**: characters on one baseline, left to right; a smaller character raised above
  the baseline belongs to the line (a note marker: its digits are written as superscript
  digits, which :mod:`pipeline.frontend.footnotes` links to the notes);
* **running headers, footers, page numbers**: lines in the page's outer bands (top or
  bottom) whose text comes back on other pages at the same height (digits read as any
  digit), or a number that counts with the pages; never their words;
* **columns**: a gutter, an x-range that no line box crosses (but lines spanning the
  columns, such as a title), with lines wholly on each side of it side by side; each
  column is read down before the next, section by section between spanning lines;
* **footnotes**: lines set smaller than the body with no body line below them; a note
  starts at a line that opens with its number;
* **blocks**: a new block at a change of font size, a vertical gap larger than the
  line spacing, a first-line indent after a line that ends a sentence, or a short line
  that ends one; a heading is a block set larger than the body;
* **a paragraph cut by the page's end**: its last line reaches the body's bottom and
  does not end a sentence -> ``continues`` (the front end joins it past the notes and the
  furniture in between).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SOFT_HYPHEN = "\u00ad"
# PDFium reports a hyphen it found at a line end as U+0002 (and joins the two lines in
# its own text): the glyph was a hyphen, soft or hard, so it is written as one.
PDFIUM_LINE_END_HYPHEN = "\x02"
HYPHEN = "\u2010"
TERMINAL = ".!?…:;»\"”’)]"
# A raised character: smaller than its line by this ratio, its baseline above the
# line's by this share of the line's size.
RAISED_SIZE, RAISED_RISE = 0.85, 0.15
SAME_SIZE = 0.08  # two sizes within this ratio are one size
HEADING_SIZE = 1.15  # a block set this much larger than the body is a heading
NOTE_SIZE = 0.92  # a line set this much smaller than the body may be a note
OUTER_BAND = 0.15  # share of the page height at the top and at the bottom where furniture stands
BAND_TOLERANCE = 3.0  # points: the same height on two pages
_NOTE_LABEL = re.compile(r"^(?:\d{1,3}[.)]?|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|\[\d{1,3}\])(?:\s|$|(?=[^\W\d_]))")
_NUMBER = re.compile(r"\d+")
_LETTERS = re.compile(r"[\W\d_]+")  # what is left out to count a line's letters ("Page 3 of 17": 6)


@dataclass(slots=True)
class Char:
    """One character of the text layer: its text, box (PDF points, y upwards), baseline, size."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    base: float
    size: float  # the font size, as the text layer says (compared with other sizes only)

    @property
    def h(self) -> float:
        """Its height on the page (the font's ascent to descent): the unit of distances."""
        return self.y1 - self.y0


@dataclass
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    base: float
    size: float
    chars: int = 0
    role: str = "body"  # body | note | junk | meta

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    def box(self) -> list[float]:
        return [round(v, 1) for v in (self.x0, self.y0, self.x1, self.y1)]


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


def _same_line(c: Char, base: float, size: float, h: float) -> bool:
    big = max(h, c.h)
    if abs(c.base - base) <= 0.25 * big:
        return True
    small_is_raised = (c.base - base) if c.size < size else (base - c.base)
    return min(c.size, size) < RAISED_SIZE * max(size, c.size) and 0 < small_is_raised < 0.6 * big


def page_lines(chars: list[Char]) -> list[Line]:
    """The page's line fragments, in the text layer's order: a fragment ends where the
    baseline changes or the next character stands left of the last or more than an em away."""
    frags: list[list[Char | None]] = []
    cur: list[Char | None] = []
    base = size = h = last_x0 = last_x1 = 0.0
    for c in chars:
        if c.text.isspace():
            if cur and cur[-1] is not None:
                cur.append(None)  # a space
            continue
        if c.x1 <= c.x0 and c.text != PDFIUM_LINE_END_HYPHEN:
            continue  # drawn with no width (an unbroken soft hyphen, a zero-width mark)
        # a character may also start where the last one did: a ligature's letters share
        # its box (PDFium gives "ﬁ" as f and i), an accent is set over its letter
        if cur and _same_line(c, base, size, h) and min(last_x1 - 0.4 * c.h, last_x0 - 0.1 * c.h) <= c.x0 <= last_x1 + 3 * max(h, c.h):
            gap = c.x0 - last_x1
            if cur[-1] is None and gap < 0.08 * max(h, c.h):
                cur.pop()  # a space the text layer put where the glyphs touch (a note call, a font change)
            elif gap > 0.18 * max(h, c.h) and cur[-1] is not None:
                cur.append(None)
            cur.append(c)
            if c.size > size * (1 + SAME_SIZE):
                base, size, h = c.base, c.size, c.h
        else:
            if cur:
                frags.append(cur)
            cur, base, size, h = [c], c.base, c.size, c.h
        last_x0, last_x1 = c.x0, max(c.x1, last_x1 if cur and len(cur) > 1 else c.x1)
    if cur:
        frags.append(cur)
    return [line for frag in frags for part in _split_at_gutters(frag) if (line := _line_of(part)) is not None]


def _split_at_gutters(frag: list[Char | None]) -> list[list[Char | None]]:
    """A run of characters cut where a gap is far wider than the line's spaces between
    words (a gutter between columns, a tab stop): a justified line's stretched spaces are
    all alike, and stay."""
    chars = [(i, c) for i, c in enumerate(frag) if c is not None]
    gaps = [(i, c.x0 - p.x1, max(c.h, p.h)) for (_, p), (i, c) in zip(chars, chars[1:])]
    words = sorted(g for _, g, h in gaps if g > 0.15 * h)
    if not words:
        return [frag]
    typical = words[len(words) // 2]
    cuts = [i for i, g, h in gaps if g > 0.8 * h and g > 2.5 * typical]
    if not cuts:
        return [frag]
    return [frag[a:b] for a, b in zip([0] + cuts, cuts + [len(frag)])]


def _line_of(frag: list[Char | None]) -> Line | None:
    chars = [c for c in frag if c is not None]
    size = Counter(round(c.size, 1) for c in chars).most_common(1)[0][0]
    main = [c for c in chars if abs(c.size - size) <= SAME_SIZE * size] or chars
    base = median(c.base for c in main)
    text = []
    for item in frag:
        if item is None:
            if text and text[-1] != " ":
                text.append(" ")
            continue
        raised = item.size < RAISED_SIZE * size and item.base - base > RAISED_RISE * (item.y1 - item.y0) / item.size * size
        text.append(item.text.translate(SUPERSCRIPT) if raised else item.text)
    body = "".join(text).strip()
    if not body:
        return None
    return Line(body, min(c.x0 for c in chars), min(c.y0 for c in main), max(c.x1 for c in chars),
                max(c.y1 for c in main), base, size, len(chars))


# -- furniture: the same band on many pages ---------------------------------------------------
def _outer(line: Line, page: Page) -> tuple[str, float] | None:
    """Which outer band a line stands in ("top" / "bottom") and how far from that edge."""
    if line.y0 >= page.height * (1 - OUTER_BAND):
        return "top", page.height - line.base
    if line.y1 <= page.height * OUTER_BAND:
        return "bottom", line.base
    return None


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def mark_furniture(pages: list[Page]) -> None:
    """Running headers and footers (``junk``) and page numbers (``meta``): lines of the
    outer bands whose text comes back on another page at the same height, digits counted
    as any digit, or whose number counts with the pages."""
    seen: dict[tuple[str, str], list[tuple[float, list[Line]]]] = {}
    numbers: dict[str, list[tuple[int, float, list[Line]]]] = {}
    for page in pages:
        for row in _outermost_rows(page):
            band = _outer(row[0], page)
            if band is None or any(_outer(ln, page) is None for ln in row):
                continue
            text = " ".join(ln.text for ln in row)
            seen.setdefault((band[0], _furniture_key(text)), []).append((band[1], row))
            for ln in row:  # a page number: any number of the row's that counts with the pages
                for m in _NUMBER.finditer(ln.text) if len(_LETTERS.sub("", ln.text)) <= 12 else ():
                    numbers.setdefault(band[0], []).append((int(m.group()) - page.number, band[1], [ln]))
    for items in seen.values():
        if len(items) < 2:
            continue
        mid = median(d for d, _ in items)
        near = [row for d, row in items if abs(d - mid) <= BAND_TOLERANCE]
        if len(near) >= 2:
            for row in near:
                for line in row:
                    line.role = "junk"
    for items in numbers.values():
        offsets = Counter(off for off, _, _ in items)
        off, count = offsets.most_common(1)[0]
        if count < 2 and not (off == 0 and len(items) == 1 and items[0][2][0].text.isdigit()):
            continue  # one page's number: only a bare number that is the page's counts
        at = median(d for o, d, _ in items if o == off)
        for o, d, row in items:
            if o == off and abs(d - at) <= BAND_TOLERANCE:
                for line in row:  # the fragment that holds the number; the row's other text stays junk
                    line.role = "meta"


def _outermost_rows(page: Page) -> list[list[Line]]:
    """The rows where a page's furniture may stand: its first and last, and the second
    and the last but one where a wider gap than the body's line spacing parts them from
    the text (a footer of two lines, a header over a rule); never a row of the body's
    own that happens to repeat at the same height."""
    rows = _rows(page.lines)
    if len(rows) < 3:
        return rows
    picked = [rows[0], rows[-1]]
    for second, third in ((rows[1], rows[2]), (rows[-2], rows[-3])):
        if abs(second[0].base - third[0].base) > 1.6 * max(second[0].h, third[0].h) and second not in picked:
            picked.append(second)
    return picked


def _rows(lines: list[Line]) -> list[list[Line]]:
    """A page's lines grouped by baseline, each row left to right: furniture is judged
    row by row (a running header is the whole row at its height, never a word of a
    justified body line that the page's text layer gave apart)."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: (-ln.base, ln.x0)):
        if rows and abs(rows[-1][0].base - ln.base) <= 0.25 * max(rows[-1][0].h, ln.h):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return [sorted(r, key=lambda ln: ln.x0) for r in rows]


# -- columns ---------------------------------------------------------------------------------
def _gutter(lines: list[Line], em: float) -> tuple[float, float] | None:
    """An x-range between columns: crossed by few lines, with at least three lines wholly
    on each side and the two sides side by side."""
    if len(lines) < 6:
        return None
    left_edge, right_edge = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    width = right_edge - left_edge
    lo, hi = int(left_edge + 0.2 * width), int(right_edge - 0.2 * width)
    if hi - lo < 2:
        return None
    cover = [0] * (hi - lo + 1)
    for ln in lines:
        for x in range(max(lo, int(ln.x0)), min(hi, int(ln.x1)) + 1):
            cover[x - lo] += 1
    allowed = max(1, len(lines) // 10)
    best, run_start = None, None
    for i, n in enumerate(cover + [allowed + 1]):
        if n <= allowed and run_start is None:
            run_start = i
        elif n > allowed and run_start is not None:
            if best is None or i - run_start > best[1] - best[0]:
                best = (run_start, i)
            run_start = None
    if best is None or best[1] - best[0] < 0.4 * em:
        return None
    g0, g1 = lo + best[0], lo + best[1]
    left = [ln for ln in lines if ln.x1 <= g0 + 1]
    right = [ln for ln in lines if ln.x0 >= g1 - 1]
    if len(left) < 3 or len(right) < 3:
        return None
    if min(ln.y0 for ln in left) > max(ln.y1 for ln in right) or min(ln.y0 for ln in right) > max(ln.y1 for ln in left):
        return None  # one above the other: not side by side
    return g0, g1


def reading_order(lines: list[Line], em: float, depth: int = 0) -> list[list[Line]]:
    """The lines in columns, in reading order: a list of columns, each read top down."""
    if not lines:
        return []
    lines = sorted(lines, key=lambda ln: (-ln.base, ln.x0))
    gutter = _gutter(lines, em) if depth < 2 else None
    if gutter is None:
        return [_merge_fragments(lines)]
    out: list[list[Line]] = []
    section: list[Line] = []

    def close() -> None:
        if section:
            left = [ln for ln in section if ln.x0 < gutter[0]]
            right = [ln for ln in section if ln.x0 >= gutter[0]]
            after = _below_columns(left, right) if left and right else []
            for side in (left, right):
                if side:
                    out.extend(reading_order([ln for ln in side if ln not in after], em, depth + 1))
            if after:
                out.extend(reading_order(after, em, depth))
            section.clear()

    beside = [ln for ln in lines if ln.x0 >= gutter[1] - 1]
    for ln in lines:
        # a line across the gutter spans the columns, unless a line stands beside it in
        # the other column (then it overflows its own: a long URL, a word set too wide)
        if ln.x0 < gutter[0] - 1 and ln.x1 > gutter[1] + 1 and not any(
                b.y0 < ln.y1 and ln.y0 < b.y1 for b in beside):
            close()
            out.append([ln])
        else:
            section.append(ln)
    close()
    return out


def _below_columns(left: list[Line], right: list[Line]) -> list[Line]:
    """The lines of the longer column that follow both columns: below the shorter
    column's last line, after a gap larger than a line (a paragraph that follows a
    two-column passage, set on one side of its gutter); a column that runs on without
    a gap below the other (unbalanced columns at a page's end) stays a column."""
    longer, shorter = (left, right) if min(ln.y0 for ln in left) < min(ln.y0 for ln in right) else (right, left)
    bottom = min(ln.y0 for ln in shorter)
    for i in range(1, len(longer)):
        prev, ln = longer[i - 1], longer[i]
        if ln.y1 < bottom and prev.base - ln.base > 1.4 * max(prev.h, ln.h):
            return longer[i:]
    return []


def _merge_fragments(lines: list[Line]) -> list[Line]:
    """Fragments on one baseline in one column, left to right, are one line."""
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if prev and abs(prev.base - ln.base) <= 0.25 * max(prev.h, ln.h) and ln.x0 >= prev.x1 - 1:
            big = prev if prev.chars >= ln.chars else ln
            out[-1] = Line(f"{prev.text} {ln.text}", prev.x0, min(prev.y0, ln.y0), ln.x1, max(prev.y1, ln.y1),
                           big.base, big.size, prev.chars + ln.chars, prev.role)
        else:
            out.append(ln)
    return out
