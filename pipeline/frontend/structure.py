"""Stage 2: normalized text -> blocks (headings, paragraphs, footnotes, junk ...).

Real input is messy: PDF extraction wraps lines inside paragraphs, hyphenates words at
line ends and lets page breaks fall inside sentences; web scraping leaves navigation
lines behind. Every repair made here is an :class:`~pipeline.doc.Edit` on the block,
so the original text is never changed and each decision can be audited in the record.
"""

from __future__ import annotations

import re
from collections import Counter

from .bad_bytes import leave_out_bad_bytes
from ..doc import INTERRUPTION, Block, Document, Edit, apply_edits
from ..readers.layout import located
from .lines import Draft, Line, lines_of, located_drafts, typography_edits
from .line_kinds import (
    BULLET, MD_HEADING, NOTES_HEADING, NUMBERED, PAGE_NUMBER, RULE, TERMINAL, block_kind, contents_entry, is_junk,
)
from ..scripts import mostly_cyrillic

VERSION = "structure/7"  # what each version changed: docs/versions.md

# Words whose hyphen belongs to the word even at a line end (first part / second part).
_KEEP_HYPHEN_LEFT = {
    "ru": {"экс", "вице", "штаб", "лейб", "обер", "унтер", "контр", "пол", "кое", "северо", "юго", "социал", "премьер", "генерал", "горно", "военно", "научно", "историко", "общественно", "политико", "финансово", "социально", "культурно"},
    "fr": {"peut", "soi", "vis", "non", "sous", "avant", "arrière", "après", "demi", "mi", "semi", "anti", "ex", "extra", "porte", "grand", "garde", "contre", "arc", "belle", "beau", "chef", "ci", "celle", "celui", "ceux", "c'est", "est", "franco", "germano", "russo", "social", "ultra", "néo", "post", "pré", "auto", "micro", "va", "compte", "nord", "sud", "plate", "rond", "sans", "vice"},
    "en": {"self", "ex", "non", "co", "anti", "pro", "post", "pre", "quasi", "semi", "well", "long", "short", "so", "vice", "half", "cross", "counter", "multi", "inter"},
}
_KEEP_HYPHEN_RIGHT = {
    "ru": {"то", "либо", "нибудь", "ка", "таки", "де", "с"},
    "fr": {"être", "il", "ils", "elle", "elles", "on", "je", "tu", "nous", "vous", "ce", "là", "ci", "même", "mêmes", "t", "dire", "unes", "uns"},
    "en": set(),
}


def _is_wrapped_text(lines: list[Line]) -> bool:
    """PDF-style text: paragraphs are wrapped into many lines of similar length."""
    candidates = [
        a for a, b in zip(lines, lines[1:]) if a.stripped and b.stripped
    ]
    if len(candidates) < 5:
        return False
    unterminated = sum(
        1 for a in candidates if 30 <= len(a.stripped) <= 140 and a.stripped[-1] not in TERMINAL
    )
    return unterminated >= 0.4 * len(candidates)


_TOKEN = re.compile(r"\w+(?:-\w+)*")


def _vocabulary(text: str) -> Counter:
    return Counter(w.lower() for w in _TOKEN.findall(text))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what the pattern's \w is for one character


def _token_starts_at(text: str, at: int) -> bool:
    """Does a ``_TOKEN`` start at ``at`` (given a word character there): no word character
    before it, nor a hyphen joining it to a word before."""
    return at == 0 or not (_is_word_char(text[at - 1]) or (text[at - 1] == "-" and at >= 2 and _is_word_char(text[at - 2])))


def _token_ends_at(text: str, end: int) -> bool:
    """Does a ``_TOKEN`` end at ``end`` (given a word character before it): no word
    character after it, nor a hyphen joining it to a word after."""
    return end == len(text) or not (_is_word_char(text[end]) or (text[end] == "-" and end + 1 < len(text) and _is_word_char(text[end + 1])))


# Words counted one by one before the whole text is tokenised after all: finding a word
# takes some 2 ns a character, tokenising some 80 (2026-12-01, seeds 001 and 004), so past
# a few dozen words the whole text is cheaper; seed 004, a Russian PDF, asks for 238 words,
# the English PDF 001 for two.
ON_DEMAND_WORDS = 32


class _Vocabulary:
    """How often each lowercased word occurs in the text as a token (``_TOKEN``), as
    :func:`_vocabulary` counts it, but counted only for the words asked about: the
    dehyphenation asks about a few hundred, and tokenising the whole text was a quarter
    of the stage on a PDF's text (past ``ON_DEMAND_WORDS`` words, the whole text is
    tokenised after all). An occurrence in the lowercased text counts where it is
    a whole token: no word character before it, nor a hyphen joining it to a word before
    (and so after it). Where lowercasing is not one character for one (the Turkish
    dotted I), or depends on what follows (the Greek final sigma), the whole text is
    tokenised as before."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lowered: str | None = None
        self._whole: Counter | None = None
        self._counts: dict[str, int] = {}

    def __getitem__(self, word: str) -> int:
        n = self._counts.get(word)
        if n is None:
            n = self._counts[word] = self._count(word)
        return n

    def _count(self, word: str) -> int:
        text = self.text
        if self._whole is None and self._lowered is None:
            lowered = text.lower()
            if len(lowered) != len(text) or "\u03a3" in text:
                self._whole = _vocabulary(text)
            else:
                self._lowered = lowered
        elif self._whole is None and len(self._counts) >= ON_DEMAND_WORDS:
            self._whole = _vocabulary(text)
        if self._whole is not None:
            return self._whole[word]
        if not word or not _TOKEN.fullmatch(word):
            return 0
        n = 0
        at = self._lowered.find(word)
        while at >= 0:
            if _token_starts_at(text, at) and _token_ends_at(text, at + len(word)):
                n += 1
            at = self._lowered.find(word, at + 1)
        return n


def _dehyphenate_decision(left: str, right: str, lang: str, vocab: "_Vocabulary") -> tuple[bool, str]:
    """Decide whether ``left-\\nright`` is one word split by the line end (True) or a real hyphen."""
    if not left or not right:
        return False, "no word on one side"
    if left.endswith(".") or right[:1].isupper() or right[:1].isdigit() or left[-1:].isdigit():
        return False, "initials, capitalised or numeric second part"
    joined, hyphenated = (left + right).lower(), f"{left}-{right}".lower()
    if vocab[hyphenated] > vocab[joined]:
        return False, f"'{hyphenated}' occurs {vocab[hyphenated]}x elsewhere"
    if vocab[joined] > 0:
        return True, f"'{joined}' occurs {vocab[joined]}x elsewhere"
    if left.lower() in _KEEP_HYPHEN_LEFT.get(lang, ()) or right.lower() in _KEEP_HYPHEN_RIGHT.get(lang, ()):
        return False, f"{lang} compound rule"
    return True, "default: line-end hyphenation"


def _guess_script_lang(text: str) -> str:
    """Which language's hyphenation rules apply (a guess by script and accents)."""
    if mostly_cyrillic(text):
        return "ru"
    return "fr" if re.search(r"[éèêàùçœ]", text) else "en"


def structure(doc: Document) -> Document:
    """Split ``doc.text`` into blocks, repairing wrapped lines and line-end hyphenation."""
    text = doc.text
    lines = lines_of(text)
    entries = located(doc)
    wrapped = entries is not None or _is_wrapped_text(lines)
    lang_hint = _guess_script_lang(text[:20000])
    vocab = _Vocabulary(text)

    # 1. group lines into drafts: a draft is a run of lines that form one block
    drafts: list[Draft] = []
    current: list[Line] = []

    def flush() -> None:
        if current:
            drafts.append(Draft(list(current)))
            current.clear()

    for line in lines if entries is None else ():
        s = line.stripped
        if not s:
            flush()
            continue
        if current:
            prev = current[-1].stripped
            starts_item = bool(
                BULLET.match(line.text) or NUMBERED.match(line.text) or MD_HEADING.match(line.text) or RULE.match(line.text)
            )
            if (
                not wrapped
                or starts_item
                or MD_HEADING.match(current[-1].text)
                # a contents entry is a line of its own, however the lines around it wrap
                or contents_entry(s) is not None
                or contents_entry(prev) is not None
                or is_junk(s)
                or (line.indented and not current[-1].indented and not prev.endswith("-"))
                or (line.indented and prev[-1:] in ".!?…:»\"”")
            ):
                flush()
        current.append(line)
    flush()
    if entries is not None:
        drafts = located_drafts(lines, entries)

    # 2. a blank line inside a sentence is a page break, not a paragraph end: merge back
    if wrapped and entries is None:
        merged: list[Draft] = []
        for d in drafts:
            if merged:
                prev = merged[-1]
                tail = prev.lines[-1].stripped
                head = d.lines[0].stripped
                if (
                    tail[-1:] not in TERMINAL
                    and not MD_HEADING.match(prev.lines[0].text)
                    # a page number is not the start of the text that follows it
                    and not any(len(x.lines) == 1 and PAGE_NUMBER.match(x.lines[0].text) for x in (prev, d))
                    and len(prev.lines) + len(d.lines) > 2
                    and (head[:1].islower() or head[:1].isdigit())
                    and not (BULLET.match(d.lines[0].text) or NUMBERED.match(d.lines[0].text))
                    and not is_junk(head)
                    and contents_entry(tail) is None
                    and contents_entry(head) is None
                ):
                    prev.lines.extend(d.lines)
                    prev.note = "page_break_joined"
                    continue
            merged.append(d)
        drafts = merged

    # 3. kinds, then spans and repair edits
    in_notes = False
    doc.blocks = []
    for d in drafts:
        if d.kind == "paragraph" and (d.entry is None or entries[d.entry]["kind"] is None):
            d.kind, note = block_kind([line.text for line in d.lines], in_notes)
            d.note = note or d.note  # a kind's note, or how the lines were joined
        elif d.entry is not None and d.kind not in ("junk", "meta", "footnote") and not entries[d.entry].get("pre"):
            # a reader's kind says what its markup says; the text rules still judge a
            # share button or a "read more" marked up as a list item or a heading
            if why := is_junk(" ".join(line.stripped for line in d.lines)):
                d.kind, d.note = "junk", why
        if d.kind == "heading":
            in_notes = bool(NOTES_HEADING.match(d.lines[0].stripped))
        elif d.kind not in ("footnote", "junk", "meta"):
            # a notes section ends where ordinary text resumes
            in_notes = in_notes and d.kind == "list_item"
        start, end = d.lines[0].content_start, d.lines[-1].content_end
        edits: list[Edit] = []
        for k, line in enumerate(d.lines):
            edits += typography_edits(text, line, k == len(d.lines) - 1)
        for a, b in zip(d.lines, d.lines[1:]):
            gap_start, gap_end = a.content_end, b.content_start
            left_text = a.text.rstrip()
            if left_text.endswith("\u00ad"):
                edits.append(Edit((gap_start - 1, gap_end), "", "soft_hyphen", "a soft hyphen ends the line: one word"))
                continue
            m_left = _before_final_hyphen(_WORD_BEFORE_HYPHEN, left_text)
            m_right = _LEADING_WORD.match(text, gap_end)
            if m_left and m_right and not left_text.endswith(" -") and not left_text.endswith("--"):
                join, why = _dehyphenate_decision(m_left.group(1), m_right.group(0), lang_hint, vocab)
                if join:
                    edits.append(Edit((gap_start - 1, gap_end), "", "dehyphenate", why))
                else:
                    edits.append(Edit((gap_start, gap_end), "", "hyphen_kept", why))
            else:
                rule = "page_break_join" if "\n\n" in text[gap_start:gap_end] else "line_join"
                edits.append(Edit((gap_start, gap_end), " ", rule))
        n = len(doc.blocks)
        block = Block(
            id=doc.block_id(n),
            kind=d.kind,
            span=(start, end),
            text="",
            edits=[e for e in edits if text[e.span[0]:e.span[1]] != e.replacement],
        )

        block.text = apply_edits(text[start:end], start, block.edits)
        if d.note:
            block.meta["note"] = d.note
        if d.entry is not None:
            entry = entries[d.entry]
            block.meta["location"] = entry["location"]
            block.meta["layout"] = d.entry
            if entry.get("continues"):
                block.meta["continues"] = True
        doc.blocks.append(block)
    joined = _join_interrupted(doc, lang_hint, vocab)
    for n, block in enumerate(doc.blocks):
        block.id = doc.block_id(n)
    doc.provenance["structure"] = {"version": VERSION}
    doc.meta["structure"] = {"wrapped_text": wrapped, "interruptions_joined": joined}
    return leave_out_bad_bytes(doc)


# What may stand between the two halves of a sentence cut by a page end: a separator, a
# page number, a footnote, a caption, junk; where the cut is unmistakable (a word
# hyphenated across it) also a running header (it reads as a heading) and a note written
# as a plain paragraph, the latter only with a separator or a footnote beside it.
_INTERRUPTION_KINDS = {"meta", "footnote", "caption", "junk"}
MAX_INTERRUPTION = 3
# searched, so each opens where a word does: tried inside a word, the word's rest read
# up to a character that stops it again (a word of n letters: n² steps); the leftmost
# match starts where a word starts anyway
_HYPHENATED_END = re.compile(r"(?<!\w)(\w+)-$")
_WORD_BEFORE_HYPHEN = re.compile(r"(?<!\w)(\w+\.?)-$")  # a line's: initials too ("J.-" / "P.")
_LEADING_WORD = re.compile(r"\w+")


def _before_final_hyphen(pattern: re.Pattern, text: str) -> re.Match | None:
    """``pattern`` (a word, then a hyphen that ends ``text``) searched in the last stretch
    of ``text`` without spaces, where that word lies: searched over a whole paragraph it
    was tried at every word. None where ``text`` ends in no hyphen. ``text`` is stripped
    at its end."""
    return pattern.search(text.rsplit(None, 1)[-1]) if text.endswith("-") else None


def _join_interrupted(doc: Document, lang: str, vocab: "_Vocabulary") -> int:
    """Join a paragraph cut mid-sentence by a page footer or a note with its continuation.

    ``…a violent adventur-`` / ``---`` / ``Originally published as…`` / ``ism unrelated…``:
    the paragraph takes in its continuation, an ``interruption_join`` edit reads the text
    in between as nothing (or a space), and the blocks in between keep their own spans,
    nested inside the paragraph's and listed right after it: nothing is moved or lost, and
    the sentence is translated whole. Returns how many joins were made."""
    text, blocks, out, joined = doc.text, doc.blocks, [], 0
    i = 0
    while i < len(blocks):
        block = blocks[i]
        out.append(block)
        i += 1
        # the reader saw the paragraph run on past the page's end: whatever stands between
        # (the page's furniture and notes, each labelled by the reader) is no limit
        continues = block.meta.pop("continues", False)
        if block.kind != "paragraph" or not block.text or (block.text.rstrip()[-1:] in TERMINAL and not continues):
            continue
        tail = block.text.rstrip()
        hyphen = _before_final_hyphen(_HYPHENATED_END, tail)
        for k in range(1, (len(blocks) if continues else MAX_INTERRUPTION) + 1):
            if i + k >= len(blocks):
                break
            between, nxt = blocks[i : i + k], blocks[i + k]
            if continues and not all(b.kind in _INTERRUPTION_KINDS for b in between):
                break
            if not all(b.kind in _INTERRUPTION_KINDS or (b.kind in ("paragraph", "heading") and hyphen) for b in between):
                break
            if any(b.kind == "paragraph" for b in between) and not any(b.kind in ("meta", "footnote") for b in between):
                continue
            if nxt.kind != "paragraph" or not (nxt.text[:1].islower() or continues):
                continue
            end = block.span[1]
            while end > block.span[0] and text[end - 1].isspace():
                end -= 1
            if text[end - 1] == "\u00ad":  # the typesetter's own break: one word, whatever the vocabulary
                edit = Edit((end - 1, nxt.span[0]), "", INTERRUPTION, "a soft hyphen ends the page: one word")
            elif hyphen and text[end - 1] == "-":
                right = _LEADING_WORD.match(nxt.text)
                join, why = _dehyphenate_decision(hyphen.group(1), right.group(0) if right else "", lang, vocab)
                edit = Edit((end - 1, nxt.span[0]), "", INTERRUPTION, f"dehyphenated: {why}") if join else Edit((end, nxt.span[0]), "", INTERRUPTION, f"hyphen kept: {why}")
            else:
                edit = Edit((end, nxt.span[0]), " ", INTERRUPTION)
            block.edits = [e for e in block.edits if e.span[1] <= edit.span[0]] + [edit] + list(nxt.edits)
            block.span = (block.span[0], nxt.span[1])
            block.text = apply_edits(text[block.span[0] : block.span[1]], block.span[0], block.edits)
            block.meta["interrupted_by"] = len(between)
            if "layout" in nxt.meta:  # the reader's last block it took in (a writer puts the English back there)
                block.meta["layout_end"] = nxt.meta["layout"]
            out.extend(between)
            i += k + 1
            joined += 1
            break
    doc.blocks = out
    return joined


def one_block_per_line(doc: Document) -> Document:
    """For text that is already split, one sentence per line: each line is a block, as is."""
    doc.blocks = []
    lines = doc.text.split("\n")
    if lines and not lines[-1]:
        lines.pop()  # the final newline ends the last line; it does not start an empty one
    pos = 0
    for n, line in enumerate(lines):
        doc.blocks.append(Block(id=doc.block_id(n), kind="paragraph", span=(pos, pos + len(line)), text=line))
        pos += len(line) + 1
    doc.provenance["structure"] = {"version": VERSION, "pre_split": True}
    return leave_out_bad_bytes(doc, keep_empty=True)
