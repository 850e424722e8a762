"""Reference-free quality flags for a source sentence and its English.

``empty``, ``untranslated`` (a copy of the source, or not English), ``length_ratio``,
``number_mismatch`` (3,3 and 3.3, 70 000 and 70,000 are the same number), ``unbalanced``
(quotes or brackets the source closes and the English does not), ``repetition``.
The translation engine's hallucination guard uses the subset that decoding can fix.
"""

from __future__ import annotations

import re
from collections import Counter

from .doc import Document
from .numbers import number_value
from .scripts import script_counts

VERSION = "quality/1"
FLAGS = ("empty", "untranslated", "length_ratio", "number_mismatch", "unbalanced", "repetition")
GUARD_FLAGS = ("empty", "repetition", "length_ratio", "untranslated")
# English length / source length, in characters, outside which a translation is suspect
# (FLORES and WMT pairs: fr->en median 0.89, ru->en 1.02; see the README for the rate).
LENGTH_RATIO = (0.45, 2.2)
MIN_CHARS_FOR_RATIO = 20

_REPEATED_CHARS = re.compile(r"(\S{2,30}?)\1{4,}")
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")
_PAIRS = (("(", ")"), ("[", "]"), ("«", "»"), ("“", "”"))


def _repeats(text: str) -> bool:
    """A word 4 times in a row, a phrase of 2-4 words 3 times, or a glued loop."""
    words = text.lower().split()
    for n in range(1, 5):
        needed = 3 if n == 1 else 2 * n  # positions in a row equal to the word n before
        run = 0
        for i in range(n, len(words)):
            run = run + 1 if words[i] == words[i - n] else 0
            if run >= needed:
                return True
    return bool(_REPEATED_CHARS.search(text))


def numbers(text: str, lang: str) -> Counter:
    """Numbers as values, whatever the convention: "70 000", "70,000", "3,3", "3.3"
    (:func:`pipeline.numbers.number_value`, with the thousands mark of the text's language:
    a comma in English, a dot in French or Russian)."""
    out: Counter = Counter()
    thousands = "," if lang == "en" else "."
    for m in _NUMBER.finditer(text):
        raw = m.group(0).strip(" .,\u00a0\u202f")
        parts = re.split(r"[ \u00a0\u202f]", raw)
        if len(parts) > 1 and all(len(p) == 3 and p.isdigit() for p in parts[1:]) and parts[0].isdigit():
            parts = ["".join(parts)]  # 70 000; otherwise numbers a space apart are numbers apart
        for part in parts:
            out[number_value(part, thousands=thousands, canonical=True)] += 1
    return out


def _unbalanced(text: str) -> bool:
    if any(text.count(a) != text.count(b) for a, b in _PAIRS):
        return True
    return text.count('"') % 2 == 1


def _english(text: str) -> bool:
    """Is the text English (lingua, English vs French; Cyrillic is never English)?"""
    cyr, other = script_counts(text)
    if cyr > 0.3 * max(1, cyr + other):
        return False
    if cyr + other < 25:
        return True  # too short to tell
    from .frontend.langid import classify_latin

    lang, conf = classify_latin([text])[0]
    return lang == "en" or conf < 0.9


def guard_flags(source: str, output: str) -> list[str]:
    """Signs of a hallucination that safer decoding may fix (no language model needed)."""
    out = output.strip()
    if not out:
        return ["empty"]
    flags = []
    if _repeats(out) and not _repeats(source):
        flags.append("repetition")
    src_len = len(source.strip())
    if src_len >= MIN_CHARS_FOR_RATIO and not LENGTH_RATIO[0] <= len(out) / src_len <= LENGTH_RATIO[1]:
        flags.append("length_ratio")
    # a copy is suspect only where the source has ordinary words, not just names
    same = re.sub(r"\W+", " ", out.lower()).strip() == re.sub(r"\W+", " ", source.lower()).strip() and bool(
        re.search(r"(?<![\w-])[^\W\d_A-ZА-ЯЁ][^\W\d_]{3,}", source)
    )
    cyr, other = script_counts(out)
    cyrillic_out = cyr > 0.5 * max(1, cyr + other)
    if sum(script_counts(source)) >= 10 and (same or cyrillic_out):
        flags.append("untranslated")
    return flags


def quality_flags(source: str, english: str, source_lang: str) -> list[str]:
    """All flags for a translated segment, in the order of :data:`FLAGS`."""
    flags = set(guard_flags(source, english))
    if "empty" in flags:
        return ["empty"]
    if "untranslated" not in flags and sum(script_counts(source)) >= 10 and not _english(english):
        flags.add("untranslated")
    if numbers(source, source_lang) != numbers(english, "en"):
        flags.add("number_mismatch")
    if _unbalanced(english) and not _unbalanced(source):
        flags.add("unbalanced")
    return [f for f in FLAGS if f in flags]


def check(doc: Document) -> Document:
    """Recompute the quality flags of every translated segment (other flags are kept)."""
    from .bilingual import model_side, translation_input

    from .consistency import flag_inconsistent_terms

    translated = [seg for seg in doc.content_segments()
                  if seg.translation is not None and seg.meta.get("bead", {}).get("method") != "aligner"]
    inconsistent = flag_inconsistent_terms(doc, [(seg, translation_input(seg), model_side(seg) or "") for seg in translated])
    flagged = 0
    for seg in doc.content_segments():
        # an existing human translation, aligned, is not second-guessed sentence by sentence
        if seg.translation is not None and seg.meta.get("bead", {}).get("method") != "aligner":
            kept = [f for f in seg.flags if f not in FLAGS]
            seg.flags = kept + quality_flags(translation_input(seg), model_side(seg) or "", seg.lang)
        flagged += bool(seg.flags)
    doc.provenance["check"] = {"version": VERSION, "length_ratio": list(LENGTH_RATIO)}
    doc.meta["check"] = {"flagged": flagged, **({"inconsistent_terms": inconsistent} if inconsistent else {})}
    return doc
