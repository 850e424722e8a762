"""What one line, or a block of lines, is by its own look: a heading, a list item, a note,
a page number, a contents entry, a separator, web boilerplate. Stage 2 (structure) groups
lines into blocks and asks here what each block is."""

from __future__ import annotations

import re

from ..scripts import BULLETS

TERMINAL = ".!?…:;»\"”’)]"
BULLET = re.compile(rf"^[ \t]*(?:[{BULLETS}]|[-*+](?=\s))\s*")
NUMBERED = re.compile(r"^[ \t]*(?:\d{1,3}[.)]|\[\d{1,3}\])\s+")
_BRACKET_NOTE = re.compile(r"^[ \t]*(?:\[\d{1,3}\]|<sup>\d{1,3}</sup>|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}(?![\d⁰¹²³⁴⁵⁶⁷⁸⁹]))")  # "[3] Text", "³ Text"
MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}\s+\S")
RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,}|(?:\*\s+){2,}\*|(?:-\s+){2,}-)[ \t]*$")
_URL_ONLY = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.I)
# Patterns here are matched against whole lines, and a line can be 10,000 spaces, dots or
# dashes long: no run of characters may be readable by two neighbouring parts of a
# pattern (``\s*\**\s*`` splits n spaces n² ways before it fails), so that a pattern that
# fails does so in one pass. tests/test_pathological_inputs.py holds the front end to that.
NOTES_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*+\s*)?(?:notes?|footnotes|endnotes|references|notes et références|références|примечания|сноски|литература)\s*(?:\*+\s*)?(?::\s*)?$",
    re.I,
)
# Navigation and boilerplate of scraped web pages. Each pattern must only ever match a
# whole line that carries no sentence of the text.
_JUNK_LINE = [
    re.compile(r"^\s*(?:lire plus|read more|en savoir plus|подробнее|читать далее)\s*(?:\.{3}|…)?\s*$", re.I),
    re.compile(r"^\s*(?:newsletter|tweeter|twitter|facebook|youtube|instagram|linkedin|partager|share|imprimer|print|rss)\s*$", re.I),
    re.compile(r"^(?=.*\[RSS\])[^.!?]*$", re.I),
    re.compile(r"^\s*\S+\.(?:pdf|docx?|odt|rtf|zip|epub|xlsx?)\s*\(\s*[\d.,]+\s*[KMG]?i?B\s*\)\s*$", re.I),
    re.compile(r"^\s*(?:skip to (?:main )?content|aller au contenu|menu|search|rechercher|accueil|home|cookies?)\s*$", re.I),
]
# every pattern above is anchored at the line's start: one match of their alternation
# asks them all at once (the five searches were a tenth of the stage)
_ANY_JUNK_LINE = re.compile("|".join(f"(?:{pat.pattern})" for pat in _JUNK_LINE), re.I)
_SOCIAL_NAMES = ("rss", "twitter", "tweeter", "facebook", "youtube", "instagram", "linkedin", "telegram", "vk", "whatsapp", "mastodon")
# the lookahead (the names' first letters) lets the engine pass most positions with one test
_SOCIAL = re.compile(rf"(?=[{''.join(sorted({name[0] for name in _SOCIAL_NAMES}))}])\b(?:{'|'.join(_SOCIAL_NAMES)})\b", re.I)
_CAPTION = re.compile(r"^\s*(?:photo|image|illustration|figure|fig\.|tableau|table|source\s*:|фото|рис\.|рисунок|таблица|источник\s*:)", re.I)
# a page number on its own line: "13", "— 13 —", "- 13 -", "[13]", "p. 13", "стр. 13"
PAGE_NUMBER = re.compile(r"^[ \t]*(?:[-–—|(\[][ \t]*)?(?:(?:p\.|page|стр\.|с\.)[ \t]*)?\d{1,4}[ \t]*(?:[-–—|)\]][ \t]*)?$", re.I)
_DATE_ONLY = re.compile(r"^\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4})\s*$")
_WORD = re.compile(r"\w+", re.UNICODE)

# A line that ends one sentence after a word and goes on with another of three words or
# more ("Thanks. This is the best solution we have. Vince") is a short paragraph, not a
# heading; "Chapitre 1. La rencontre" or "II. Methods" stay headings.
_HOLDS_A_SENTENCE = re.compile(r"[^\W\d_]{2}[.!?…]+\s+\S+(?:\s+\S+){2}")

# A contents entry: a title, dotted leaders, a page number ending the line ("4.7 DISPOSITIF
# ..... 23", "Préface . . . . . 7", "Chapitre I ………… xi"). Leaders are five dots or more,
# spaced or not (an ellipsis and a full stop make four, "attendit.... 3" is prose), three
# middle dots, two ellipsis characters or four underscores; the page is arabic up to 9999
# or roman. Read from the line's end by hand: a pattern would try
# the leaders at every dot of a line that holds no page number.
_LEADER_CHARS = frozenset(" \t.·…_")
_ROMAN_DIGITS = frozenset("ivxlcdmIVXLCDM")


def contents_entry(line: str) -> int | None:
    """Where the leaders of the contents entry ``line`` begin (the title ends there), or
    None when ``line`` is no contents entry."""
    s = line.rstrip()
    page = len(s)
    while page and s[page - 1].isdigit() and len(s) - page < 4:
        page -= 1
    if page == len(s) or s[page - 1:page].isdigit():
        page = len(s)
        while page and s[page - 1] in _ROMAN_DIGITS and len(s) - page < 7:
            page -= 1
        if page == len(s) or s[page - 1:page].isalnum():
            return None
    leaders = page
    while leaders and s[leaders - 1] in _LEADER_CHARS:
        leaders -= 1
    run = s[leaders:page]
    dotted = run.count(".") >= 5 or run.count("·") >= 3 or run.count("…") >= 2 or "____" in run
    if not dotted or not any(ch.isalpha() for ch in s[:leaders]):
        return None
    return leaders


def is_junk(line: str) -> str | None:
    s = line.strip()
    if _ANY_JUNK_LINE.match(s):
        return "boilerplate"
    # every line of every document passes here: count words only where social links are,
    # and look for them only where a name is written (the casefolded line holds every
    # spelling the case-blind pattern matches, "ſ" and "K" included)
    folded = s.casefold()
    for name in _SOCIAL_NAMES:
        if name in folded:
            break
    else:
        return None
    social = _SOCIAL.findall(s)
    if len(social) >= 2 and not re.search(r"[.!?]\s", s) and len(social) * 4 >= len(_WORD.findall(s)):
        return "navigation"
    return None


def block_kind(lines: list[str], in_notes: bool) -> tuple[str, str]:
    """(kind, note) of a paragraph made of ``lines`` (raw, unstripped): its note says why
    where the kind alone does not ("page_number", "separator", "contents", a junk reason)."""
    first = lines[0]
    text = " ".join(line.strip() for line in lines)
    kind, note = "paragraph", ""
    junk = is_junk(text) if len(lines) == 1 else None
    if junk:
        kind, note = "junk", junk
    elif len(lines) == 1 and contents_entry(text) is not None:
        kind, note = "list_item", "contents"
    elif RULE.match(text):
        kind, note = "meta", "separator"
    elif MD_HEADING.match(first):
        kind = "heading"
    elif _BRACKET_NOTE.match(first) or (BULLET.match(first) and re.match(r"^[ \t]*\S+\s*\d", first)):
        kind = "footnote"
    elif in_notes and (NUMBERED.match(first) or BULLET.match(first)):
        kind = "footnote"
    elif BULLET.match(first) or NUMBERED.match(first):
        kind = "list_item"
    elif len(lines) == 1 and PAGE_NUMBER.match(text):
        kind, note = "meta", "page_number"
    elif _URL_ONLY.match(text) or _DATE_ONLY.match(text):
        kind = "meta"
    elif _CAPTION.match(text) and len(text) <= 400:
        kind = "caption"
    elif (
        len(lines) == 1
        and len(text) <= 90
        and text[-1:] not in ".!?…:;,"
        and (text[:1].isupper() or text[:1].isdigit() or text.startswith(("*", "«", "\"")))
        and not _HOLDS_A_SENTENCE.search(text)
    ):
        kind = "heading"
    return kind, note
