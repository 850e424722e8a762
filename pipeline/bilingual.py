"""The two sides of a segment: what a model reads, and the English a reader sees.

Layout that is not language (heading hashes, bullets, a note's own number, footnote
markers) stays in the source text but is not sent to a model; it is put back on the
English side at the same place. A segment marked ``verbatim`` (a byline: a name) is not
sent at all; its English is the source as written.
"""

from __future__ import annotations

import re

from .doc import Segment

TRANSLATED_LANGUAGES = ("fr", "ru")
_TAIL_MARKS = frozenset(".!?…:;,»”\"’)]")
_WORD_END = re.compile(r"[^\W_](?=[\s,;:)»”\"’]|$)")


def _tail_start(text: str) -> int:
    """Where the closing punctuation, quotes and spaces at the end of ``text`` begin: read
    from the end (a pattern anchored at ``$`` and searched is tried from every character,
    quadratic in a long run of such marks)."""
    at = len(text)
    while at and (text[at - 1].isspace() or text[at - 1] in _TAIL_MARKS):
        at -= 1
    return at


def translation_input(seg: Segment) -> str:
    """The segment as a model should read it: no layout prefix or suffix (a contents
    entry's leaders and page), no footnote markers."""
    text = seg.text
    for ref in sorted(seg.footnote_refs, key=lambda r: r["offset"], reverse=True):
        start, end = ref["offset"], ref["offset"] + len(ref["marker"])
        text = text[:start] + text[end:]
    prefix = seg.meta.get("markup_prefix", "")
    if prefix and text.startswith(prefix):
        text = text[len(prefix):]
    suffix = seg.meta.get("layout_suffix", "")
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def reattach_markers(seg: Segment, english: str) -> str:
    """Put the source's footnote markers into ``english`` at the same place.

    A marker in the sentence's tail (after its last word) goes to the same place in the
    English tail, before or after the final punctuation as in the source; a marker inside
    the sentence goes after the English word at the same relative position."""
    if not seg.footnote_refs:
        return english
    # the source without its markers, and where each marker stood in it
    plain, placed, removed = seg.text, [], 0
    for ref in sorted(seg.footnote_refs, key=lambda r: r["offset"]):
        pos = ref["offset"] - removed
        plain = plain[:pos] + plain[pos + len(ref["marker"]):]
        removed += len(ref["marker"])
        placed.append((pos, ref["marker"]))
    src_tail = _tail_start(plain)
    out = english
    for pos, marker in reversed(placed):
        tail = _tail_start(out)
        if pos >= src_tail:
            before = plain[src_tail:pos].strip()  # source punctuation that precedes the marker
            en_tail = out[tail:]
            if before and en_tail.strip().startswith(before):
                cut = tail + (len(en_tail) - len(en_tail.lstrip())) + len(before)
            else:
                cut = tail
        else:
            target = pos / max(1, src_tail) * tail
            ends = [m.end() for m in _WORD_END.finditer(out, 0, tail)]
            cut = min(ends, key=lambda e: abs(e - target)) if ends else tail
        out = out[:cut] + marker + out[cut:]
    return out


def english_prefix(seg: Segment) -> str:
    """The layout the English opens with: the source's, verbatim, and a space after a note's
    label that the source glued to its text ("• 1.6 novembre": "• 1. November 6")."""
    prefix = seg.meta.get("markup_prefix", "")
    if seg.meta.get("note_label") and prefix and not prefix[-1].isspace():
        prefix += " "
    return prefix


def english_of(seg: Segment) -> str | None:
    """The English side: the translation with layout and markers restored, or the segment
    itself when it needs no translation; None when it awaits one."""
    if seg.translation is not None:
        if seg.meta.get("edited"):  # imported from an edited edition: as the translator wrote it
            return seg.translation
        return english_prefix(seg) + reattach_markers(seg, seg.translation) + seg.meta.get("layout_suffix", "")
    if seg.lang in TRANSLATED_LANGUAGES and not seg.meta.get("verbatim"):
        return None
    return seg.text


def model_side(seg: Segment) -> str | None:
    """The English without layout and footnote markers, comparable with :func:`translation_input`."""
    if seg.translation is None:
        return None
    if not seg.meta.get("edited"):
        return seg.translation
    text = seg.translation
    for prefix in (english_prefix(seg), seg.meta.get("markup_prefix", "")):
        if prefix and text.startswith(prefix):
            text = text[len(prefix):]
            break
    suffix = seg.meta.get("layout_suffix", "")
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    for ref in seg.footnote_refs:
        text = re.sub(rf"(?<=[^\W\d_]|[.,;:!?»”\"’)\]]){re.escape(ref['marker'])}(?!\d)", "", text, count=1)
    return text
