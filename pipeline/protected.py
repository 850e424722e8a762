"""Protected spans: URLs, e-mail addresses, code in backticks and numbers with their unit
never reach a model as words.

Each span is replaced by a numbered placeholder, ``[1]``, ``[2]``…: a bracketed number is
what a Marian model copies most reliably (opus-mt learned from text full of reference
marks like it, and SentencePiece keeps digits and brackets as pieces of their own), unlike
an invented token it would translate or split. The model's English is then searched for
each placeholder, which is replaced by the span verbatim. A model is not bound to copy
(an untrained one copies nothing), so nothing is trusted: a placeholder the English lacks
has its span put back after the English word at the same relative position (as footnote
markers are, :func:`pipeline.segment_hooks.reattach_markers`) and is reported, so that
the segment is flagged ``placeholder_lost``; a placeholder the English repeats is kept once.
"""

from __future__ import annotations

import re

_UNITS = ("km²|km/h|km|m²|m³|cm|mm|m|kg|mg|g|ha|l|ml|°C|°F|°|%|‰|€|\\$|£|"
          "км²|км/ч|км|м²|м³|см|мм|м|кг|мг|га|мл|руб\\.|₽")
SPANS = re.compile(
    r"(?P<url>\b(?:https?://|www\.)[^\s<>\"«»]+[^\s<>\"«».,;:!?)\]])"
    r"|(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<code>`[^`\n]+`)"
    rf"|(?P<number>(?<![\w.,])\d+(?:[ \u00a0\u202f]\d{{3}})*(?:[.,]\d+)?[ \u00a0\u202f]?(?:{_UNITS})(?![^\W_]))"
)
_PLACEHOLDER_IN_SOURCE = re.compile(r"\[(\d+)\]")
_WORD_END = re.compile(r"[^\W_](?=[\s,;:)»”\"’.!?]|$)")


def protect(text: str) -> tuple[str, list[dict]]:
    """``text`` with its spans replaced, and the spans: ``{"placeholder", "span", "kind"}``."""
    first = max([int(n) for n in _PLACEHOLDER_IN_SOURCE.findall(text)] + [0]) + 1
    spans: list[dict] = []

    def replace(m: re.Match) -> str:
        placeholder = f"[{first + len(spans)}]"
        spans.append({"placeholder": placeholder, "span": m.group(0), "kind": m.lastgroup, "at": m.start() / max(1, len(text))})
        return placeholder

    return SPANS.sub(replace, text), spans


def restore(english: str, spans: list[dict]) -> tuple[str, list[str]]:
    """The spans put back into the model's ``english``; and the spans whose placeholder it lost."""
    lost, found = [], []
    for i, s in enumerate(spans):
        pattern = re.compile(r"\[\s*" + re.escape(s["placeholder"][1:-1]) + r"\s*\]")
        if pattern.search(english):
            english = pattern.sub(f"\x02{i}\x03", english, count=1)
            english = re.sub(r"\s*" + pattern.pattern, "", english)  # a placeholder the model repeated: once
            found.append(i)
    for i, s in enumerate(spans):
        if i in found:
            continue
        lost.append(s["span"])
        ends = [m.end() for m in _WORD_END.finditer(english)]
        if s["at"] == 0:
            english = f"\x02{i}\x03 " + english
        elif not ends:
            english = english + f" \x02{i}\x03"
        else:
            cut = min(ends, key=lambda e: abs(e - s["at"] * len(english)))
            english = english[:cut] + f" \x02{i}\x03" + english[cut:]
    english = re.sub("\x02(\\d+)\x03", lambda m: spans[int(m.group(1))]["span"], english)
    return re.sub(r"[ \t]{2,}", " ", english).strip(), lost
