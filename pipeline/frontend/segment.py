"""Stage 4: blocks -> sentences, for French, Russian and English.

A rule-based splitter: a sentence ends at ``. ! ? …`` (plus closing quotes, brackets and
a glued footnote number) followed by space and a sentence start, unless the period
belongs to an abbreviation or an initial. Quotations that hold several sentences are
split inside. The splitter works on a block's repaired text; spans are mapped back to
the document text through the block's edits, so they always point at the original.
"""

from __future__ import annotations

import re

from .bylines import verbatim
from .bad_bytes import flag_bad_bytes
from ..doc import Block, Document, Segment
from .line_kinds import contents_entry
from .scan import matches_at
from ..scripts import BULLETS, LETTER, mostly_cyrillic

VERSION = "segment/4"  # what each version changed: docs/versions.md

# A sentence longer than this is cut at the best break available, so that nothing the
# translator receives is absurdly long. The cut is flagged, never silent.
MAX_SEGMENT_CHARS = 2000

# Abbreviations (lowercase, without the final period) after which a period does not end
# a sentence when a capital follows.
_ABBREV = {
    "fr": {
        "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "st", "ste", "p", "pp", "cf", "vol",
        "n", "no", "nos", "ch", "chap", "éd", "ed", "art", "av", "env", "fig", "t", "op", "cit", "ibid", "id",
        "coll", "dir", "trad", "hab", "min", "max", "bd", "sq", "sqq", "apr", "janv", "févr", "oct", "nov", "déc",
        "gal", "cdt", "lt", "cne", "c.-à-d", "resp", "réf", "tél", "vs",
    },
    "en": {
        "mr", "mrs", "ms", "dr", "prof", "st", "vs", "e.g", "i.e", "cf", "p", "pp", "vol", "no", "nos", "op", "cit",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co",
        "gen", "col", "lt", "sgt", "capt", "gov", "rev", "sen", "rep", "jr", "sr", "al", "approx", "ca", "ed", "eds",
        "fig", "ch", "chap", "art", "dept", "u.s", "u.k", "ibid", "viz",
    },
    "ru": {
        "т", "д", "п", "стр", "ст", "с", "см", "ср", "тыс", "млн", "млрд", "руб", "коп", "гл", "т.е", "т.д", "т.п",
        "т.к", "др", "пр", "им", "ул", "пер", "проф", "акад", "чл", "корр", "напр", "рис", "табл", "прим", "ред",
        "изд", "сост", "вып", "ок", "г-н", "г-жа", "англ", "франц", "фр", "нем", "лат", "рус", "соч", "указ",
        "цит", "по", "ч", "кн", "т.н", "т.о", "и.о", "н.э", "отв", "долл", "чел", "мин", "сек", "кв", "км",
    },
}
# Abbreviations that also end sentences: they end one when a capital follows.
_FINAL_ABBREV = {
    "fr": {"etc", "av. j.-c", "apr. j.-c", "j.-c"},
    "en": {"etc", "a.m", "p.m", "b.c", "a.d"},
    "ru": {"г", "гг", "в", "вв", "etc", "н.э"},
}
# Latin-script text is segmented before its language is known (French or English):
# the two lists hardly conflict, so both apply.
_ABBREV["latin"] = _ABBREV["fr"] | _ABBREV["en"]
_FINAL_ABBREV["latin"] = _FINAL_ABBREV["fr"] | _FINAL_ABBREV["en"]
# Pictographs (emoji, dingbats like ❤ ✅ ✌, with their variation selector, joiner, skin
# tones and keycaps): in social-media text they end sentences as punctuation does
# ("Такие вы клевые😍 Пока не уехали…"); UD Russian-Taiga dev has 114 boundaries of
# the kind "emoji | capital", none of them inside a sentence.
_EMOJI = "\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u203C\u2049\uFE0F\u200D\u20E3"
# Text smileys closing a sentence: Russian's "))" / ")))" and the Western ":)", ":D", "=)"
# A smiley's brackets are all of its run ("(?!\))"): a shorter reading would hand the rest
# to the closing brackets after it, and a run of 10,000 tried every split (quadratic).
_EMOTICON = r"(?<=[^\W\d_\s])\){2,}(?!\))|(?<=\s)\){2,}(?!\))|(?<![^\s])[:;=]-?[()DPdp](?![^\W_])"
_EMOTICON_STARTS = "):;="  # the first character of each smiley above (the boundary's lookahead lists them)
_PICTOGRAPH = re.compile(f"[{_EMOJI}]")
_PICTOGRAPH_OR_SMILEY = re.compile(f"[{_EMOJI}]|{_EMOTICON}")
_OPENERS = "«“„\"'‘([{—–-¿¡*"
_CLOSERS = "\"'»”’)]}"
# The lookahead names every character a boundary can start with: the regex engine then
# passes over most positions with one character test instead of trying each alternative
# (the smileys' lookbehinds above all), a tenth of the time for the same matches.
_BOUNDARY = re.compile(
    rf"""(?=[.!?…{_EMOTICON_STARTS}{_EMOJI}])
        (?P<punct>(?:[.!?…]|[{_EMOJI}]|{_EMOTICON})+)       # terminal punctuation, emoji, smileys
        (?P<close>(?:[\s\u00a0\u202f\u2009]*[»”"’)\]])*)   # closing quotes / brackets, French spacing allowed
        (?P<note>(?<=[^\W\d_][.!?…])\d{1,3}|(?<=[^\W\d_][.!?…][»”"’)\]])\d{1,3})?  # glued footnote number
        (?P<space>[\s\u00a0\u202f]+)""",
    re.VERBOSE,
)
# the characters a boundary can start with, as a plain class: the engine finds them with its
# fast scan over a class (a pattern opening with a lookahead, as _BOUNDARY does, is tried
# at every position instead)
_BOUNDARY_START = re.compile(f"[.!?…{_EMOTICON_STARTS}{_EMOJI}]")


# Each alternative of the punctuation run above matches characters no other can, so that
# the engine has one way to read a run and gives it back one character at a time: an
# alternative that overlapped another (a "\.{3}" beside "[.]" once did) offered 2^(n/3)
# readings of n dots before a failure, and a contents page's dotted leaders ("4.7 TITRE
# ........ 23") never finished.
_RUN_CHAR = re.compile(f"[.!?…{_EMOJI}]")  # what the run's single-character alternatives read


def _boundaries(text: str) -> list[re.Match]:
    """What ``_BOUNDARY.finditer(text)`` finds, trying the pattern only where its first
    character stands, and once per run of terminal punctuation: a match tried inside a run
    whose first character failed reads the same run to the same end before the same
    characters, and fails too. Tried at every character of a run, 10,000 dots without a
    space after them cost 10,000 readings of the rest of the run (quadratic)."""
    starts = (m.start() for m in _BOUNDARY_START.finditer(text))
    return matches_at(_BOUNDARY, text, (at for at in starts if at == 0 or not _RUN_CHAR.match(text, at - 1)))


_MARKUP_PREFIX = re.compile(rf"^(?:#{{1,6}}\s+|[{BULLETS}]\s*|[-*+]\s+)")
_LETTER = LETTER


_ELISION = re.compile(r"[(\[](?:…|\.\.\.)[)\]]\s*")


# What may stand before a sentence's first letter: opening quotes, brackets, dashes and
# omission marks ("« (…) — Nous"), a dozen characters at most in prose. Scanned without a
# bound, "[…] " repeated 2,500 times was read to its end from each of its 2,500 boundaries.
_MAX_OPENING = 64


def _sentence_starts_at(text: str, pos: int) -> bool:
    """Does a sentence start at ``pos``: a capital or a digit, after any opening quotes,
    brackets, dashes or an elision mark like (…)?"""
    i, stop = pos, min(len(text), pos + _MAX_OPENING)
    while i < stop:
        m = _ELISION.match(text, i)
        if m:
            i = m.end()
        elif text[i] in _OPENERS or text[i].isspace():
            i += 1
        else:
            break
    if i >= stop:
        return False
    ch = text[i]
    return ch.isupper() or ch.isdigit()


def _after_openers(text: str, pos: int) -> int:
    while pos < len(text) and (text[pos] in _OPENERS or text[pos].isspace()):
        pos += 1
    return pos


def _next_is_upper(text: str, pos: int) -> bool:
    i = _after_openers(text, pos)
    return i < len(text) and text[i].isupper()


_WORD_WINDOW = 40  # longer than any abbreviation or initials; a longer word is scanned on
_INITIALS = re.compile(r"(?:[^\W\d_]\.-?){0,2}[^\W\d_]")  # Ж. / Ж.-Л. / J.-P. / E.
_DOTTED = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}")  # e.g / т.е / U.S
_GLUED_LABEL = re.compile(r"^\d{1,3}[.)](?=[^\W\d_])")


def _is_abbreviation(text: str, punct_start: int, lang: str, next_pos: int) -> bool:
    """Does the period at ``punct_start`` belong to the word before it?"""
    if text[punct_start] != ".":
        return False
    if text.startswith("...", punct_start):
        return False
    # the word before the period: what follows the last space of the few characters
    # before it (one split in C rather than a step back per character)
    window = text[max(0, punct_start - _WORD_WINDOW) : punct_start]
    tail = window.rsplit(None, 1)[-1] if window and not window[-1].isspace() else ""
    word_start = punct_start - len(tail)
    if len(tail) == len(window):  # no space in the window: the word may start before it
        while word_start > 0 and not text[word_start - 1].isspace():
            word_start -= 1
    if word_start == punct_start:
        return False
    # a note's label glued to the word ("• 2.См. Карр"): the word is what follows it
    word = _GLUED_LABEL.sub("", text[word_start:punct_start].lstrip(_OPENERS))
    low = word.lower()
    if not word:
        return False
    # initials: Ж. / Ж.-Л. / J.-P. / E. ; one capital, or capitals each with its period.
    # An acronym written without periods ("les ONG.", "their RFP.") is a word: it ends
    # sentences like any other.
    if word[-1].isupper() and _INITIALS.fullmatch(word):
        return True
    if low in _FINAL_ABBREV.get(lang, ()) or low == "etc":
        if lang == "ru" and low in ("г", "гг") and text[next_pos : next_pos + 1] in ("«", "„"):
            return True  # "выборов 2022 г. «Нового … союза»": a quoted name continues the sentence
        return not _next_is_upper(text, next_pos)
    if low in _ABBREV.get(lang, ()) or low in ("e.g", "i.e"):
        return True
    if "." in word and _DOTTED.fullmatch(word):  # e.g / т.е / U.S
        return True
    if word.isdigit() and word_start == 0:
        return True  # a list number at the start of a block: "1. ..."
    if word.isdigit() and not _next_is_upper(text, next_pos):
        return True  # "le 6 nov. 1917" style dates and ordinals
    return False


_URL_STARTS = ("http://", "https://", "www.")
_DASH_ITEM = re.compile(r"[-–—][ \u00a0]")


# French dialogue incises after a question or an exclamation: "Tu viens ? demanda-t-il",
# "Pourquoi ? se dit-elle", "Non ! s'écria-t-on": the sentence goes on in lowercase
_INCISE = re.compile(r"(?:s[e'’]\s?)?[^\W\d_]+-(?:t-)?(?:il|elle|ils|elles|on|je|tu|nous|vous)\b")


def _writes_lowercase_starts(text: str, lang: str) -> bool:
    """Does this block's writer begin sentences in lowercase (chat, quick e-mail: "call
    them at 5. they haven't heard from you", "are you kidding? why would you")? Yes when,
    after plain words ending in a period, a question or an exclamation mark, lowercase
    follows at least twice and at least as often as a capital does. In edited prose a
    period before lowercase is an abbreviation's and a question mark before lowercase an
    incise's (which is not counted), so this stays off."""
    lower = upper = 0
    for m in re.finditer(r"([^\W_]{2,})([.?!])[ \u00a0]+([^\W\d_])", text):
        if m.group(2) == "." and (m.group(1).lower() in _ABBREV.get(lang, ()) or m.group(1).lower() in _FINAL_ABBREV.get(lang, ())):
            continue
        if m.group(2) != "." and _INCISE.match(text, m.start(3)):
            continue
        if m.group(3).islower():
            lower += 1
        else:
            upper += 1
    if lower >= 2 and lower >= upper:
        return True
    # one lowercase start is enough where the writer also writes the pronoun "i" in
    # lowercase ("you love it when i come over. i satisfy…"): no edited text does that
    return lower >= 1 and upper <= lower and _LOWERCASE_I.search(text) is not None


_LOWERCASE_I = re.compile(r"(?<![\w.'’])i(?=[ '’])")


def split_sentences(text: str, lang: str, lowercase_starts: bool | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in ``text``, whitespace between sentences excluded.
    ``lowercase_starts``: whether the writer starts sentences in lowercase; None: decided
    from ``text`` (a block) the first time it matters. A sentence split again alone is
    split as in its block only under its block's decision (its own text may say
    otherwise: ``Mr. révolution. révolution.`` has more lowercase starts than capitals)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _boundaries(text):
        end = m.end("note") if m.group("note") else m.end("close") if m.group("close").strip() else m.end("punct")
        next_pos = m.end()
        if next_pos >= len(text):
            break
        punct = m.group("punct")
        words_punct = _PICTOGRAPH_OR_SMILEY.sub("", punct)
        nxt = _after_openers(text, next_pos)
        if not words_punct:
            # an emoji or a smiley: a sentence ends there when a capital or a reply
            # ("@name") follows; before lowercase or a number it is part of the sentence
            if not (nxt < len(text) and (text[nxt].isupper() or text[nxt] == "@" or _PICTOGRAPH.match(text, nxt))):
                continue
        elif not _sentence_starts_at(text, next_pos) and text[nxt:nxt + 1] != "@":
            if words_punct.endswith(".") and _DASH_ITEM.match(text, next_pos):
                pass  # ". - si vous…": a dash after a full stop opens a list item or a reply
            elif words_punct.endswith(".") and text.startswith(_URL_STARTS, nxt):
                pass  # "Well worth a visit. http://…": an address after a full stop stands alone
                # (after "!" UD Russian-Taiga keeps it with its sentence: "… дней! https://…")
            elif _PICTOGRAPH.match(text, nxt) and text[nxt + 1:nxt + 2].isupper():
                pass  # ". ✅Время": a pictograph as the next item's bullet
            else:
                if lowercase_starts is None:
                    lowercase_starts = _writes_lowercase_starts(text, lang)
                if not (lowercase_starts and words_punct[-1] in ".!?" and text[nxt:nxt + 1].islower()):
                    continue
                if words_punct[-1] in "!?" and _INCISE.match(text, nxt):
                    continue  # "Tu viens ? demanda-t-il": an incise, even where sentences start in lowercase
        if words_punct in ("…", "...") and not _next_is_upper(text, next_pos):
            continue  # "… 2022", "(…) une crise": the sentence goes on
        if _is_abbreviation(text, m.start("punct"), lang, next_pos):
            continue
        if not _LETTER.search(text, start, m.start()) and m.start() - start < 4:
            continue  # "1." or "(a)." is no sentence on its own
        spans.append((start, end))
        start = next_pos
    spans.append((start, len(text.rstrip())))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def cap_length(text: str, s: int, e: int, limit: int = MAX_SEGMENT_CHARS) -> list[tuple[int, int, bool]]:
    """Cut a run longer than ``limit`` at clause punctuation, else at a space, else hard.

    Returns (start, end, was_cut) triples."""
    pieces: list[tuple[int, int, bool]] = []
    while e - s > limit:
        window = text[s : s + limit]
        cut = -1
        for pattern in (r"[;:]\s", r"[,—–]\s", r"\s"):
            found = [mm.end() for mm in re.finditer(pattern, window) if mm.end() > limit // 2]
            if found:
                cut = found[-1]
                break
        if cut <= 0:
            cut = limit
        piece_end = s + cut
        while piece_end > s and text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((s, piece_end, True))
        s = s + cut
        while s < e and text[s].isspace():
            s += 1
    pieces.append((s, e, bool(pieces)))
    return pieces


def rules_for(block: Block) -> str:
    """Which abbreviation rules apply: the block's language if known, else its script's."""
    if block.lang in _ABBREV:
        return block.lang
    return "ru" if mostly_cyrillic(block.text[:1000]) else "latin"


def _markup_prefix(block: Block, text: str, at: int) -> str:
    """The layout ``text`` (which starts at ``at`` in the block) opens with: heading hashes,
    a bullet, and in a note the note's label with the spaces after it ("• 1. ", "[3] ")."""
    label = block.meta.get("footnote_label")
    if label and at <= label["start"] and label["end"] - at <= len(text):
        end = label["end"] - at
        return text[: end + len(text[end:]) - len(text[end:].lstrip())]
    prefix = _MARKUP_PREFIX.match(text)
    return prefix.group(0) if prefix else ""


def segment_block(doc: Document, block: Block) -> None:
    lang = rules_for(block)
    block.segments = []
    if block.kind == "meta" and not _LETTER.search(block.text):
        spans = [(0, len(block.text))]
    elif block.kind == "heading" or block.meta.get("note") == "contents":
        spans = [(0, len(block.text))]  # a contents entry's leaders end no sentence
    else:
        spans = split_sentences(block.text, lang)
    pieces = [piece for s, e in spans for piece in cap_length(block.text, s, e)]
    markers = block.meta.get("footnote_markers", [])
    label = block.meta.get("footnote_label")
    ends = block.source_offsets([at for rs, re_, _ in pieces for at in (rs, re_)])
    for m, (rs, re_, was_cut) in enumerate(pieces):
        seg = Segment(
            id=doc.segment_id(block.id, m),
            block=block.id,
            span=(ends[2 * m], ends[2 * m + 1]),
            text=block.text[rs:re_],
            lang=block.lang,
        )
        prefix = _markup_prefix(block, seg.text, rs)
        if prefix and len(prefix) < len(seg.text):
            # heading hashes, bullets, a note's own number: kept in the text, not sent to translation
            seg.meta["markup_prefix"] = prefix
            if label and rs <= label["start"]:
                seg.meta["note_label"] = label["text"]
        if block.meta.get("note") == "contents" and (leaders := contents_entry(seg.text)) is not None:
            # the leaders and the page number: kept in the text, not sent to translation
            seg.meta["layout_suffix"] = seg.text[leaders:]
        if verbatim(block):
            seg.meta["verbatim"] = "byline"  # a name: not translated (pipeline.frontend.bylines)
        if was_cut:
            seg.flags.append("forced_split")
        for mk in markers:
            if rs <= mk["start"] and mk["end"] <= re_:
                seg.footnote_refs.append(
                    {
                        "n": mk["n"],
                        "marker": mk["marker"],
                        "offset": mk["start"] - rs,
                        "span": [block.source_offset(mk["start"]), block.source_offset(mk["end"])],
                        "note": mk["note"],
                    }
                )
        block.segments.append(seg)


def segment(doc: Document) -> Document:
    """Split every block into sentence segments (junk blocks too: they stay in the record).
    A sentence that held a damaged or a NUL byte is flagged ``damaged_bytes`` or ``nul_bytes``."""
    for block in doc.blocks:
        segment_block(doc, block)
    flag_bad_bytes(doc)
    doc.provenance["segment"] = {"version": VERSION, "max_segment_chars": MAX_SEGMENT_CHARS}
    return doc


def segment_lines(doc: Document) -> Document:
    """One segment per block, for text that is already split (one sentence per line)."""
    for block in doc.blocks:
        block.segments = [
            Segment(id=doc.segment_id(block.id, 0), block=block.id, span=block.span, text=block.text, lang=block.lang)
        ]
    flag_bad_bytes(doc)
    doc.provenance["segment"] = {"version": VERSION, "pre_split": True}
    return doc
