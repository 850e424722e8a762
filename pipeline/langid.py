"""Stage 3: language of every block and segment (fr, ru, en; "zxx" for no words).

py3langid, restricted to the languages in play, decides between Latin-script languages;
the script alone decides Russian. Short pieces say little about their language, so they
inherit from their block, and short blocks from the document.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .doc import NO_LINGUISTIC_CONTENT, UNDETERMINED, Document

VERSION = "langid/1"
LANGUAGES = ("fr", "ru", "en")
# Below this many letters a piece inherits its container's language unless the script differs.
MIN_LETTERS_SEGMENT = 40
MIN_LETTERS_BLOCK = 60
CONFIDENCE = 0.9

_LETTERS = re.compile(r"[^\W\d_]")
_FOOTNOTE_MARKUP = re.compile(r"<sup>.*?</sup>|\[\d+\]")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages([lang for lang in LANGUAGES if lang != "ru"])
    return ident


def _scripts(text: str) -> tuple[int, int]:
    cyr = lat = 0
    for ch in text:
        if ch.isalpha():
            if "\u0400" <= ch <= "\u04ff":
                cyr += 1
            elif ch < "\u0250":
                lat += 1
    return cyr, lat


def classify(text: str, prior: str | None = None, min_letters: int = MIN_LETTERS_SEGMENT) -> tuple[str, float]:
    """Return (language, confidence) for ``text``; ``prior`` wins where evidence is weak."""
    cyr, lat = _scripts(_FOOTNOTE_MARKUP.sub("", text))
    if cyr + lat == 0:
        return NO_LINGUISTIC_CONTENT, 1.0
    if cyr >= lat:
        return "ru", cyr / (cyr + lat)
    # Latin script: French or English
    if prior in ("fr", "en") and lat < min_letters:
        return prior, 0.5
    lang, prob = _identifier().classify(text)
    if prior in ("fr", "en") and prob < CONFIDENCE:
        return prior, float(prob)
    if prior == "ru" and lat < min_letters:
        # a Latin name or citation inside Russian text
        return "ru", 0.5
    return lang, float(prob)


def identify(doc: Document, force: str | None = None) -> Document:
    """Set ``lang`` on the document, its blocks, and (if segmented) their segments.

    ``force`` skips detection: every piece with words is taken to be in that language."""
    if force:
        doc.lang = force
        for block in doc.blocks:
            block.lang = force if _LETTERS.search(block.text) else NO_LINGUISTIC_CONTENT
            for seg in block.segments:
                seg.lang = force if _LETTERS.search(seg.text) else NO_LINGUISTIC_CONTENT
        doc.provenance["langid"] = {"version": VERSION, "forced": force}
        return doc
    weights: Counter = Counter()
    long_blocks = []
    for block in doc.blocks:
        if block.kind == "junk":
            continue
        cyr, lat = _scripts(block.text)
        if cyr + lat >= MIN_LETTERS_BLOCK:
            block.lang, _ = classify(block.text, None, MIN_LETTERS_BLOCK)
            weights[block.lang] += cyr + lat
            long_blocks.append(block.id)
    doc.lang = weights.most_common(1)[0][0] if weights else UNDETERMINED
    for block in doc.blocks:
        if block.id not in long_blocks:
            block.lang, _ = classify(block.text, doc.lang if doc.lang in LANGUAGES else None, MIN_LETTERS_BLOCK)
        for seg in block.segments:
            seg.lang, conf = classify(seg.text, block.lang, MIN_LETTERS_SEGMENT)
            seg.meta["lang_confidence"] = round(conf, 3)
    if not weights:
        # only short pieces: let the characters decide
        seen = Counter(b.lang for b in doc.blocks if b.kind != "junk" and b.lang in LANGUAGES)
        doc.lang = seen.most_common(1)[0][0] if seen else UNDETERMINED
    doc.provenance["langid"] = {"version": VERSION, "library": "py3langid", "languages": list(LANGUAGES)}
    return doc
