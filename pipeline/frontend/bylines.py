"""Bylines: a line that is only a person's name ("Jean-Philippe Divès", "J.-P. Sartre",
"Charles de Gaulle", "Лев Давидович Троцкий") where an author's name stands: at the top,
among the title lines before the text begins, or closing the text, before its notes or at
its end. Such a line has a heading's shape (short, capitalised, unpunctuated) but is no
heading.

A line is taken for a name only when each of its words is one by its form (a capitalised
word, hyphenated given names, initials, a particle of, de, von, van) and by the text's own
evidence: none of its words occurs in the text written in lowercase, as the words of a
title ("Révolution", "Further Reading") do; nor is one of them a function word. A name
inside the text (a section called "Rosa Luxemburg", between paragraphs) stays a heading.

Names are not translated: a byline in Latin script goes to the English side as written
(its segments are marked ``verbatim``); one in Cyrillic is still sent to the model, whose
English spells it in Latin letters, as an English edition must.
"""

from __future__ import annotations

import re

from ..doc import Block, Document
from ..scripts import CYRILLIC
from .line_kinds import NOTES_HEADING

VERSION = "bylines/1"

# A name of a few words: most bylines have two or three, with particles and initials five.
MAX_NAME_WORDS = 5
MAX_NAME_CHARS = 60
# Particles that stand lowercase inside names (French, German, Dutch, Italian, Spanish,
# Portuguese, Arabic; and as Russian writes them).
PARTICLES = frozenset(
    "de du des d' d’ la le von van der den ter ten zu da di del della dos das do y e bin ben ibn al el"
    " де дю ла ле фон ван дер ди да".split()
)
# Capitalised function words that open titles, never names ("The Russian Revolution").
FUNCTION_WORDS = frozenset(
    "the a an and of in on for to with les une un et ou sur pour dans avec par au aux ces "
    "и в во на о об от для по с со к из за".split()
)
_INITIALS = re.compile(r"(?:[^\W\d_]\.-?)+")
_WORD_PART = re.compile(r"[^\W\d_](?:[^\W\d_]|['’](?=[^\W\d_]))*")
_LOWER_WORDS = re.compile(r"(?<![^\W\d_])[^\W\d_]+")
# what may come between a byline closing the text and its notes
_BETWEEN = ("meta", "junk")


def _is_name_word(token: str, lowercase: set[str]) -> bool:
    """A capitalised word of a name: "Divès", "Jean-Philippe", "O'Brien", "DIVÈS" (a
    surname in capitals), none of whose parts the text writes in lowercase."""
    parts = token.split("-")
    for part in parts:
        if not _WORD_PART.fullmatch(part) or not part[0].isupper():
            return False
        if part.lower() in lowercase or part.lower() in FUNCTION_WORDS:
            return False
    return True


def is_name(text: str, lowercase: set[str]) -> bool:
    """Is ``text`` a person's name and nothing else? ``lowercase``: the words the document
    writes in lowercase (a name's words are not among them)."""
    text = text.strip()
    if not text or len(text) > MAX_NAME_CHARS:
        return False
    tokens = text.split()
    if not 2 <= len(tokens) <= MAX_NAME_WORDS:
        return False
    words = initials = 0
    for token in tokens:
        if token in PARTICLES:
            continue
        if _INITIALS.fullmatch(token) and all(c.isupper() for c in token if c.isalpha()):
            initials += 1
        elif _is_name_word(token, lowercase):
            words += 1
        else:
            return False
    # a surname at least, and a given name or initials beside it; one word in mixed case
    # ("JEAN DUPONT" may be a shouted title)
    return words >= 1 and words + initials >= 2 and any(not t.isupper() for t in tokens if t not in PARTICLES and not _INITIALS.fullmatch(t))


def _lowercase_words(doc: Document) -> set[str]:
    return {w for b in doc.blocks if b.kind not in ("heading", "junk") for w in _LOWER_WORDS.findall(b.text) if w.islower()}


def _at_the_top(blocks: list[Block], i: int) -> bool:
    """Before the text begins: only title lines, dates, captions and junk above."""
    return all(b.kind in ("heading", "meta", "junk", "caption", "byline") for b in blocks[:i])


def _closing(blocks: list[Block], i: int) -> bool:
    """Closing the text: after a paragraph, with only notes (or nothing) after it."""
    rest = [b for b in blocks[i + 1:] if b.kind not in _BETWEEN]
    before = [b for b in blocks[:i] if b.kind not in _BETWEEN]
    return bool(before) and before[-1].kind in ("paragraph", "quote") and (not rest or rest[0].kind == "footnote" or _is_notes_heading(rest[0]))


def _is_notes_heading(block: Block) -> bool:
    return block.kind == "heading" and bool(NOTES_HEADING.match(block.text))


def mark_bylines(doc: Document) -> Document:
    """Headings that are an author's name become bylines (see the module's docstring)."""
    lowercase: set[str] | None = None
    for i, block in enumerate(doc.blocks):
        if block.kind != "heading" or "\n" in block.text or not block.text[:1].isupper():
            continue
        if not (_at_the_top(doc.blocks, i) or _closing(doc.blocks, i)):
            continue
        if lowercase is None:  # read once, for the first line shaped like a name
            lowercase = _lowercase_words(doc)
        if is_name(block.text, lowercase):
            block.kind = "byline"
    doc.provenance["bylines"] = {"version": VERSION}
    return doc


def verbatim(block: Block) -> bool:
    """Is the block's text its English as it stands (a name in Latin script)?"""
    return block.kind == "byline" and not CYRILLIC.search(block.text)
