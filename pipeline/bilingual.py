"""The two sides of a segment: what a model reads, and the English a reader sees.

Layout that is not language (heading hashes, bullets, a note's own number, a contents
entry's leaders, footnote markers) stays in the source text but is not sent to a model;
it is put back on the English side at the same place. That is the work of the
per-segment hooks (:mod:`pipeline.segment_hooks`); this module runs them. A segment
marked ``verbatim`` (a byline: a name) is not sent at all; its English is the source as
written.
"""

from __future__ import annotations

import re

from .doc import Segment
from .segment_hooks import HOOKS

TRANSLATED_LANGUAGES = ("fr", "ru")


def translation_input(seg: Segment) -> str:
    """The segment as a model should read it: every hook's ``before``, in order (no
    footnote markers, no layout prefix or suffix), spaces collapsed."""
    text = seg.text
    for hook in HOOKS:
        text = hook.before(seg, text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def english_of(seg: Segment) -> str | None:
    """The English side: the translation with layout and markers restored, or the segment
    itself when it needs no translation; None when it awaits one."""
    if seg.translation is not None:
        if seg.meta.get("edited"):  # imported from an edited edition: as the translator wrote it
            return seg.translation
        english = seg.translation
        for hook in HOOKS:
            english = hook.after(seg, english)
        return english
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
    for hook in reversed(HOOKS):
        text = hook.undo(seg, text)
    return text
