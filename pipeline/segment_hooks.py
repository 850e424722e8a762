"""Per-segment hooks: what changes a segment's text on its way to the model, and the
model's English on its way back to the reader. The one place for them: footnote markers
and layout (a heading's hashes, a bullet, a note's label, a contents entry's leaders and
page). A glossary and protected spans are not hooks: they must see the model's n best
hypotheses and verify its own output before the guard and the cache do, which only the
engine can (:mod:`pipeline.translation.steering`).

:data:`HOOKS` runs in order before the model (``before``: the source text -> what the model
reads) and in the same order after it (``after``: the model's English -> the English a
reader sees), so that a hook that finds its places by offsets in the source as written
(footnote markers) both goes first and puts its marks back before others add around
them; ``undo`` (an English a translator edited, layout and markers included -> what the
model would have given, for the quality checks) runs in reverse. A hook's ``settings`` (empty for today's,
which have none) enter the translate stage's provenance and so every edition's signature;
what a hook changes before the model is the text the cache is keyed by, so cached
translations follow it. A new hook is a class here and one entry in :data:`HOOKS`::

    class Glossary(SegmentHook):
        name = "glossary"
        def settings(self): return {"terms": self.sha256}
        def before(self, seg, text): ...   # mark the terms
        def after(self, seg, english): ...  # put the chosen renderings in
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from .doc import Segment

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


class SegmentHook(ABC):
    """The whole contract of a per-segment hook."""

    name: ClassVar[str]

    def settings(self) -> dict[str, Any]:
        """What sets this hook's output (a glossary's hash), for the signature: none by default."""
        return {}

    @abstractmethod
    def before(self, seg: Segment, text: str) -> str:
        """``text`` (the source, as earlier hooks left it) as the model should read it."""

    @abstractmethod
    def after(self, seg: Segment, english: str) -> str:
        """The model's ``english`` (as later hooks left it) as a reader should see it."""

    @abstractmethod
    def undo(self, seg: Segment, english: str) -> str:
        """What :meth:`after` added, taken out of an English a translator edited."""


class FootnoteMarkers(SegmentHook):
    """A footnote marker ("…thus.²") is no word: the model reads the sentence without it,
    and the English gets it back at the same place (:func:`reattach_markers`)."""

    name = "footnote_markers"

    def before(self, seg: Segment, text: str) -> str:
        for ref in sorted(seg.footnote_refs, key=lambda r: r["offset"], reverse=True):
            start, end = ref["offset"], ref["offset"] + len(ref["marker"])
            text = text[:start] + text[end:]
        return text

    def after(self, seg: Segment, english: str) -> str:
        return reattach_markers(seg, english)

    def undo(self, seg: Segment, english: str) -> str:
        for ref in seg.footnote_refs:
            english = re.sub(rf"(?<=[^\W\d_]|[.,;:!?»”\"’)\]]){re.escape(ref['marker'])}(?!\d)", "", english, count=1)
        return english


class Layout(SegmentHook):
    """Heading hashes, a bullet, a note's own label (``markup_prefix``) and a contents
    entry's leaders and page (``layout_suffix``): kept in the text, not translated."""

    name = "layout"

    def before(self, seg: Segment, text: str) -> str:
        prefix = seg.meta.get("markup_prefix", "")
        if prefix and text.startswith(prefix):
            text = text[len(prefix):]
        suffix = seg.meta.get("layout_suffix", "")
        if suffix and text.endswith(suffix):
            text = text[: -len(suffix)]
        return text

    def after(self, seg: Segment, english: str) -> str:
        return english_prefix(seg) + english + seg.meta.get("layout_suffix", "")

    def undo(self, seg: Segment, english: str) -> str:
        for prefix in (english_prefix(seg), seg.meta.get("markup_prefix", "")):
            if prefix and english.startswith(prefix):
                english = english[len(prefix):]
                break
        suffix = seg.meta.get("layout_suffix", "")
        if suffix and english.endswith(suffix):
            english = english[: -len(suffix)]
        return english


# in this order before the model and after it: markers are found by their offsets in the
# source as written, and put back into the model's English before the layout around it
HOOKS: tuple[SegmentHook, ...] = (FootnoteMarkers(), Layout())


def hook_settings() -> dict[str, dict[str, Any]]:
    """Each hook's settings that are not empty, by name: what the signature records."""
    return {hook.name: s for hook in HOOKS if (s := hook.settings())}
