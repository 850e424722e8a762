"""Stage 4: blocks -> sentences, for French, Russian and English.

A rule-based splitter: a sentence ends at ``. ! ? …`` (plus closing quotes, brackets and
a glued footnote number) followed by space and a sentence start, unless the period
belongs to an abbreviation or an initial. Quotations that hold several sentences are
split inside. The splitter works on a block's repaired text; spans are mapped back to
the document text through the block's edits, so they always point at the original.
"""

from __future__ import annotations

import re

from .abbreviations import ABBREV, FINAL_ABBREV, OPENERS, after_openers, is_abbreviation, next_is_upper
from .bylines import verbatim
from .sentence_rules import citation_follows, dialogue_goes_on, enumeration_items, hashtag_cuts, omission_in_quotation, spaced_ellipses
from .bad_bytes import flag_bad_bytes
from ..doc import Block, Document, Segment
from .line_kinds import contents_entry
from .scan import matches_at
from ..scripts import BULLETS, LETTER, mostly_cyrillic

VERSION = "segment/5"  # what each version changed: docs/versions.md

# A sentence longer than this is cut at the best break available, so that nothing the
# translator receives is absurdly long. The cut is flagged, never silent.
MAX_SEGMENT_CHARS = 2000

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
_CLOSERS = "\"'»”’)]}"
# The lookahead names every character a boundary can start with: the regex engine then
# passes over most positions with one character test instead of trying each alternative
# (the smileys' lookbehinds above all), a tenth of the time for the same matches.
_BOUNDARY = re.compile(
    rf"""(?=[.!?…{_EMOTICON_STARTS}{_EMOJI}])
        (?P<punct>(?:[.!?…]|[{_EMOJI}]|{_EMOTICON})+)       # terminal punctuation, emoji, smileys
        (?P<close>(?:[\s\u00a0\u202f\u2009]*[»”"’)\]])*)   # closing quotes / brackets, French spacing allowed
        (?P<note>(?<=[^\W\d_][.!?…])[\d⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,3}}|(?<=[^\W\d_][.!?…][»”"’)\]])[\d⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,3}})?  # glued note number, or a raised one
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
        elif text[i] in OPENERS or text[i].isspace():
            i += 1
        else:
            break
    if i >= stop:
        return False
    ch = text[i]
    return ch.isupper() or ch.isdigit()


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
    for m in _STOP_THEN_LETTER.finditer(text):
        # the plain word of two letters or more the mark ends (read back from the mark: a
        # pattern opening with the word was tried at every letter of the text)
        at = m.start()
        word_start = at
        while word_start > 0 and text[word_start - 1].isalnum():
            word_start -= 1
        word = text[word_start:at].lower()
        if len(word) < 2:
            continue
        if m.group(1) == "." and (word in ABBREV.get(lang, ()) or word in FINAL_ABBREV.get(lang, ())):
            continue
        if m.group(1) != "." and _INCISE.match(text, m.start(2)):
            continue
        if m.group(2).islower():
            lower += 1
        else:
            upper += 1
    if lower >= 2 and lower >= upper:
        return True
    # one lowercase start is enough where the writer also writes the pronoun "i" in
    # lowercase ("you love it when i come over. i satisfy…"): no edited text does that
    return lower >= 1 and upper <= lower and _LOWERCASE_I.search(text) is not None


_LOWERCASE_I = re.compile(r"(?<![\w.'’])i(?=[ '’])")
_STOP_THEN_LETTER = re.compile(r"(?<=[^\W_])([.?!])[ \u00a0]+([^\W\d_])")


def split_sentences(text: str, lang: str, lowercase_starts: bool | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in ``text``, whitespace between sentences excluded.
    ``lowercase_starts``: whether the writer starts sentences in lowercase; None: decided
    from ``text`` (a block) the first time it matters. A sentence split again alone is
    split as in its block only under its block's decision (its own text may say
    otherwise: ``Mr. révolution. révolution.`` has more lowercase starts than capitals)."""
    spans: list[tuple[int, int]] = []
    start = 0
    items = enumeration_items(text)
    ellipses = spaced_ellipses(text)
    for m in _boundaries(text):
        end = m.end("note") if m.group("note") else m.end("close") if m.group("close").strip() else m.end("punct")
        next_pos = m.end()
        if next_pos >= len(text):
            break
        punct = m.group("punct")
        words_punct = _PICTOGRAPH_OR_SMILEY.sub("", punct)
        nxt = after_openers(text, next_pos)
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
        if ellipses and words_punct == "." and (dots := ellipses.get(m.start("punct"))):
            if not dots[1] or not next_is_upper(text, next_pos) or (dots[0] == 3 and _pronoun_i(text, next_pos, lang)):
                continue  # ". . ." inside a sentence: words left out, before lowercase or "I"
        elif words_punct != "." and (words_punct in ("…", "...") or (len(words_punct) > 3 and not words_punct.strip("."))):
            if not next_is_upper(text, next_pos) or omission_in_quotation(text, start, m.start("punct"), m.group("close")):
                continue  # "… 2022", "(…) une crise", "agir (…) Nous": the sentence goes on
        if items and any(a <= m.start() < b for a, b in items):
            continue  # an item's own marker: "2.) Walk"
        after = text[next_pos]  # what the rules below look at first: most boundaries pass them all at once
        if after in _CITATION_OR_DASH:
            if after == "(" and citation_follows(text, m.group("close"), next_pos):
                continue  # '"…" (Dupont 12).': the citation is the sentence's
            if after != "(" and words_punct.endswith(".") and dialogue_goes_on(text, start, m.start("punct"), next_pos):
                continue  # "«Ты уходишь? – удивился отец. – Ещё рано».": the quotation goes on
        if is_abbreviation(text, m.start("punct"), lang, next_pos, start):
            continue
        if not _LETTER.search(text, start, m.start()) and m.start() - start < 4:
            continue  # "1." or "(a)." is no sentence on its own
        spans.append((start, end))
        start = next_pos
    spans.append((start, len(text.rstrip())))
    # "1) The first item 2) The second item": each item a sentence; "#море #отдых Приходите": a post ends
    cuts = [s for s, _ in items[1:]] + hashtag_cuts(text) if items or "#" in text else None
    if cuts:
        spans = [piece for s, e in spans for piece in _cut_at(s, e, sorted(cuts))]
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_CITATION_OR_DASH = frozenset("(–—-")


def _pronoun_i(text: str, pos: int, lang: str) -> bool:
    """English's "I", capitalised wherever it stands: after an ellipsis it starts no sentence by its case."""
    return lang in ("en", "latin") and text.startswith("I", pos) and not text[pos + 1 : pos + 2].isalpha()


def _cut_at(s: int, e: int, cuts: list[int]) -> list[tuple[int, int]]:
    inner = [c for c in cuts if s < c < e]
    return list(zip([s, *inner], [*inner, e]))


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
    if block.lang in ABBREV:
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
