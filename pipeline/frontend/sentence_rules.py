"""Punctuation that looks like a sentence's end and is not, or that ends sentences without
looking like it: the typographer's rules the splitter (:mod:`pipeline.frontend.segment`)
asks about a candidate boundary.

- Spaced ellipsis points (``. . .``) are one mark, read as ``…`` is: a sentence ends after
  the last point where a capitalised word follows (four points: the sentence's own period
  and an omission after it, Chicago Manual of Style 13.50-13.56), but not before English's
  "I", capitalised wherever it stands; no point but the last ends anything.
- An omission mark in brackets, ``(…)`` or ``[…]``, inside a quotation opened in the
  current sentence (``« Il fallait agir (…) Nous devions tout reprendre »``) stands for
  words cut from one of the sentence's own parts: the quotation, and its sentence, go on
  after it. In a run of quoted sentences (a quotation opened sentences before, a block
  quotation) the words cut may hold a sentence's end, and a capital after the mark starts
  a sentence, as the French seed's gold has it.
- A citation in parentheses after a quotation (``"…" (Dupont 12).``) belongs to the
  sentence the quotation closes: its period comes after the citation.
- Dialogue inside guillemets goes on after the author's words: in ``«Ты уходишь? –
  удивился отец. – Ещё рано».`` the full stop before the dash ends the incise, not the
  quotation, which closes later.
- A run of hashtags closes a post (``… на закате #море #отдых Приходите к нам``): a
  capitalised word after two or more of them starts a sentence, end punctuation or not.
- An enumeration written on one line (``1) … 2) …``, ``a. … b. …``, ``• 9. … • 10. …``):
  each item is a sentence, whether it ends with a full stop or not.
"""

from __future__ import annotations

import re

_SPACED_RUN = re.compile(r"\.(?: \.){2,}")


def spaced_ellipses(text: str) -> dict[int, tuple[int, bool]]:
    """For each full stop in a spaced run of three or more (``. . .``): how many points the
    run has, and whether it is the run's last. Found once per text: asked point by point,
    a run of n points was read n times."""
    if ". ." not in text:
        return {}
    found = {}
    for m in _SPACED_RUN.finditer(text):
        count = (m.end() - m.start() + 1) // 2
        for at in range(m.start(), m.end(), 2):
            found[at] = (count, at == m.end() - 1)
    return found


def omission_in_quotation(text: str, sentence_start: int, punct_start: int, close: str) -> bool:
    """``(…)`` / ``[...]`` (an omission mark inside brackets, closed right after it) inside a
    quotation opened in this sentence and not yet closed."""
    return (text[punct_start - 1 : punct_start] in ("(", "[") and close.lstrip()[:1] in (")", "]")
            and quotation_open(text, sentence_start, punct_start - 1))


def quotation_open(text: str, start: int, end: int) -> bool:
    """Is a quotation opened between ``start`` and ``end`` (guillemets or curly quotes) still open at ``end``?"""
    before = text[start:end]
    return before.count("«") > before.count("»") or before.count("“") > before.count("”")


# a parenthesis after a quotation holding a source and a page, a year or a line: "(Dupont 12)",
# "(Smith 2004, p. 55)", "(v. 12-14)", "(ibid.)"
_CITATION = re.compile(r"\((?:[^()\n]{0,60}?[\s.])?(?:\d[\d\s,.:–-]*|ibid\.?|ibidem|op\. cit\.)\)(?=[\s.,;:!?]|$)", re.IGNORECASE)
_QUOTE_CLOSERS = "\"”’»'"


def citation_follows(text: str, close: str, next_pos: int) -> bool:
    """A quotation closed (``close`` holds its quote mark), then its citation in parentheses."""
    return bool(close) and text[next_pos : next_pos + 1] == "(" and any(q in close for q in _QUOTE_CLOSERS) \
        and _CITATION.match(text, next_pos) is not None


_DIALOGUE_DASH = re.compile(r"[–—-][ \u00a0]")


def dialogue_goes_on(text: str, sentence_start: int, punct_start: int, next_pos: int) -> bool:
    """A full stop, then a dash, inside guillemets opened in this sentence and not yet
    closed: the author's words end and the quoted speech goes on."""
    return _DIALOGUE_DASH.match(text, next_pos) is not None and quotation_open(text, sentence_start, punct_start)


# one item's marker: an optional bullet, then a number or a letter with ".)", ")" or "."
# (the marker's first character is looked for first: a lookbehind tried at every position
# cost a tenth of the splitter's time)
_ITEM = re.compile(r"(?=[•⁃‣◦▪\da-z])(?<!\S)(?P<bullet>[•⁃‣◦▪]\s*)?(?P<label>\d{1,2}|[a-z])(?P<form>\.\)|\)|\.)[ \u00a0]+(?=[^\W\d_])")


# an item's marker right after a colon (the pattern opens with the colon, which the engine
# finds by a fast scan)
_OPENS_AFTER_COLON = re.compile(r":\s*(?:[•⁃‣◦▪]\s*)?(?:\d{1,2}|[a-z])(?:\.\)|\)|\.)[ \u00a0]")
_ITEM_FIRST = frozenset("•⁃‣◦▪0123456789abcdefghijklmnopqrstuvwxyz")


def _value(label: str) -> int:
    return int(label) if label.isdigit() else ord(label) - ord("a") + 1


def enumeration_items(text: str) -> list[tuple[int, int]]:
    """The markers (start, end) of the items of an enumeration written on one line: a run
    of two or more markers of one form counting up by one (1, 2, 3 or a, b, c, a number
    after a bullet from any number), the first at the text's start or after a colon, each
    item beginning with a capital. Markers that do not count so are left alone: ``1.5``,
    ``a) and b)`` inside a sentence, a lone ``2)``."""
    # an enumeration opens at the text's start or after a colon: where none does (nearly
    # every paragraph), the text is not searched for markers
    if not ((text[:1] in _ITEM_FIRST and _ITEM.match(text)) or (":" in text and _OPENS_AFTER_COLON.search(text))):
        return []
    items = [m for m in _ITEM.finditer(text) if text[m.end()].isupper()]
    markers: list[tuple[int, int]] = []
    run: list[re.Match] = []

    def close() -> None:
        if len(run) >= 2:
            markers.extend((m.start(), m.end()) for m in run)

    for m in items:
        if run and m.group("form") == run[-1].group("form") and bool(m.group("bullet")) == bool(run[-1].group("bullet")) \
                and _value(m.group("label")) == _value(run[-1].group("label")) + 1 \
                and m.group("label").isdigit() == run[-1].group("label").isdigit():
            run.append(m)
            continue
        close()
        opens = m.group("bullet") or _value(m.group("label")) == 1
        at_start = not text[: m.start()].strip() or text[: m.start()].rstrip().endswith(":")
        run = [m] if opens and at_start else []
    close()
    return markers


# two hashtags or more, spaced or glued ("#снег#сочи"), then a capitalised word
_HASHTAG_RUN = re.compile(r"#[^\s#]+(?:\s*#[^\s#]+)+(?=\s+[^\W\d_])")


def hashtag_cuts(text: str) -> list[int]:
    """Where a sentence starts after a run of hashtags: the capitalised word after it."""
    if text.count("#") < 2:
        return []
    cuts = []
    for m in _HASHTAG_RUN.finditer(text):
        at = m.end()
        while at < len(text) and text[at].isspace():
            at += 1
        if text[at].isupper():
            cuts.append(at)
    return cuts
