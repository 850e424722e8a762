"""Consistent names: a source name or glossary term rendered two ways in one document.

Lemma-free, as the glossary's matching is (:mod:`pipeline.glossary`):

* a *name* is a capitalised source word of 3 letters or more that is not its sentence's
  first word, recurring in two sentences or more; Russian forms are one name by their
  stem (Достоевского, Достоевским: Достоевск), French ones by their case-folded form;
* its *rendering* in a sentence is the capitalised English word most like it (Russian
  transliterated letter by letter first), at least 0.6 alike by
  :class:`difflib.SequenceMatcher`, a possessive 's dropped; a sentence where no English
  word is so alike says nothing (the name may have been translated: "Lion" for "Лев");
* a *glossary term* is rendered by its English where the English holds it, and
  "(not the glossary's)" where it does not.

A name or term with two renderings or more (case aside) flags every sentence that holds
it ``inconsistent_term``, with the renderings in ``seg.meta["inconsistent_terms"]``; the
document's ``meta["check"]["inconsistent_terms"]`` lists them with their sentences.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .glossary import _fold, russian_stem

FLAG = "inconsistent_term"
_NAME = re.compile(r"(?<![^\W_])[A-ZÀ-ÖØ-ÞА-ЯЁ][^\W\d_]{2,}(?:-[A-ZÀ-ÖØ-ÞА-ЯЁ][^\W\d_]+)?")
_ENGLISH_NAME = re.compile(r"(?<![^\W_])[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?")
_FIRST_WORD = re.compile(r"^[\W\d_]*[^\W\d_]+")
_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch  y  e yu ya".split(" ")))
MIN_LIKENESS = 0.6


def _latin(word: str) -> str:
    return "".join(_TRANSLIT.get(c, c) for c in _fold(word))


def _key(word: str) -> str:
    folded = _fold(word)
    return russian_stem(folded) if re.search("[а-я]", folded) else folded


def _rendering(word: str, english: str) -> str | None:
    source = _latin(word)
    best, score = None, MIN_LIKENESS
    for m in _ENGLISH_NAME.finditer(english):
        candidate = re.sub(r"['’]s$", "", m.group(0))
        likeness = SequenceMatcher(None, source, candidate.lower()).ratio()
        if likeness >= score:
            best, score = candidate, likeness
    return best


def flag_inconsistent_terms(doc, pairs) -> list[dict]:
    """Flag the segments of ``doc`` (``pairs``: (segment, source as the model read it,
    English as the model gave it)) whose names or glossary terms are rendered two ways."""
    seen: dict[str, dict] = {}  # key -> {"term", "renderings": {rendering: [ids]}}
    for seg, source, english in pairs:
        seg.flags = [f for f in seg.flags if f != FLAG]
        seg.meta.pop("inconsistent_terms", None)
        first = _FIRST_WORD.match(source)
        found: dict[str, tuple[str, str | None]] = {}
        for m in _NAME.finditer(source):
            if first and m.start() < first.end():
                continue
            found.setdefault(_key(m.group(0)), (m.group(0), _rendering(m.group(0), english)))
        for entry in seg.meta.get("glossary") or ():
            found[f"glossary:{_fold(entry['source'])}"] = (entry["source"], entry["english"] if entry["held"] else "(not the glossary's)")
        for key, (term, rendering) in found.items():
            slot = seen.setdefault(key, {"term": term, "renderings": {}, "segments": []})
            slot["segments"].append(seg)
            if rendering is not None:
                slot["renderings"].setdefault(rendering.casefold(), (rendering, []))[1].append(seg.id)
    report = []
    for slot in seen.values():
        if len(slot["renderings"]) < 2:
            continue
        renderings = {shown: ids for shown, ids in slot["renderings"].values()}
        report.append({"term": slot["term"], "renderings": renderings})
        for seg in slot["segments"]:
            if FLAG not in seg.flags:
                seg.flags.append(FLAG)
            seg.meta.setdefault("inconsistent_terms", []).append({"term": slot["term"], "renderings": sorted(renderings)})
    return report
