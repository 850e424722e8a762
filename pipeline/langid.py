"""Language of every segment, block and document (fr, ru, en; "zxx" for no words).

The script decides Russian; lingua (restricted to English and French, batched and
parallel) decides between the Latin-script languages. Classification runs once, per
sentence when the document is segmented (so an English quotation inside a French
paragraph is found), per block otherwise. Pieces too short to say much inherit the
language of their block, and a block that has no long piece inherits the document's.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .doc import NO_LINGUISTIC_CONTENT, UNDETERMINED, Document
from .scripts import LETTER, script_counts

VERSION = "langid/2"
LANGUAGES = ("fr", "ru", "en")


def check_language(lang: str | None) -> str | None:
    """A language a user named (``--lang``): one of :data:`LANGUAGES`, or None for detection."""
    if lang and lang not in LANGUAGES:
        from .errors import UsageError

        raise UsageError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang
# Below this many letters a piece inherits its container's language unless the script says otherwise.
MIN_LETTERS = 40
# Longer pieces are classified on their first characters only: enough evidence, bounded cost.
SAMPLE_CHARS = 400

_LETTERS = LETTER
_MARKUP = re.compile(r"<sup>.*?</sup>|\[\d+\]|https?://\S+|\S+@\S+")


# lingua's low-accuracy mode (trigrams only) is reliable from about 120 characters and
# several times cheaper; shorter pieces get the full model.
LOW_ACCURACY_FROM = 160


@lru_cache(maxsize=2)
def _detector(low_accuracy: bool = False):
    from lingua import Language, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH)
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def _script_counts(text: str) -> tuple[int, int]:
    """(Cyrillic letters, other letters), markup, URLs and e-mail addresses left out."""
    if "<" in text or "[" in text or "://" in text or "@" in text:
        text = _MARKUP.sub("", text)
    return script_counts(text)


def classify_latin(texts: list[str]) -> list[tuple[str, float]]:
    """French or English, with lingua's confidence, for many texts at once."""
    out: list[tuple[str, float]] = [("en", 0.0)] * len(texts)
    for low in (False, True):
        idx = [i for i, t in enumerate(texts) if (len(t) >= LOW_ACCURACY_FROM) == low]
        if not idx:
            continue
        results = _detector(low).compute_language_confidence_values_in_parallel([texts[i][:SAMPLE_CHARS] for i in idx])
        for i, values in zip(idx, results):
            best = values[0]
            out[i] = ("fr" if best.language.iso_code_639_1.name == "FR" else "en", float(best.value))
    return out


def _decide(pieces: list[str], counts: list[tuple[int, int]] | None = None) -> tuple[list[tuple[str | None, float]], list[int]]:
    """Language of each piece (None where too short to tell fr from en), and its letter count.
    ``counts``: the pieces' (Cyrillic, other) letter counts, where already known."""
    decided: list[tuple[str | None, float]] = []
    letters: list[int] = []
    latin_idx, latin_texts = [], []
    for i, text in enumerate(pieces):
        cyr, other = counts[i] if counts is not None else _script_counts(text)
        letters.append(cyr + other)
        if cyr + other == 0:
            decided.append((NO_LINGUISTIC_CONTENT, 1.0))
        elif cyr >= other:
            decided.append(("ru", cyr / (cyr + other)))
        elif other < MIN_LETTERS:
            decided.append((None, 0.0))
        else:
            decided.append((None, 0.0))
            latin_idx.append(i)
            latin_texts.append(text)
    for i, result in zip(latin_idx, classify_latin(latin_texts)):
        decided[i] = result
    return decided, letters


def _majority(weighted: Counter) -> str | None:
    return weighted.most_common(1)[0][0] if weighted else None


def identify(doc: Document, force: str | None = None) -> Document:
    """Set ``lang`` on the document, its blocks and their segments.

    Blocks are classified first; then, in documents that will be translated (fr, ru),
    every sentence, so that an English sentence inside a French paragraph is kept as it
    is. In English documents sentences take their block's language (or their script's).
    ``force`` skips detection: every piece with words is taken to be in that language."""
    if force:
        doc.lang = force
        for block in doc.blocks:
            block.lang = force if _LETTERS.search(block.text) else NO_LINGUISTIC_CONTENT
            for seg in block.segments:
                seg.lang = force if _LETTERS.search(seg.text) else NO_LINGUISTIC_CONTENT
        doc.provenance["langid"] = {"version": VERSION, "forced": force}
        return doc

    # letters are counted once, per sentence; a block's counts are its sentences' sums
    # (what lies between sentences is space), or its own where it has no sentences
    segments = [(b, s) for b in doc.blocks for s in b.segments]
    seg_counts = [_script_counts(s.text) for _, s in segments]
    block_counts: dict[int, list[int]] = {}
    for (block, _), (cyr, other) in zip(segments, seg_counts):
        total = block_counts.setdefault(id(block), [0, 0])
        total[0] += cyr
        total[1] += other
    counts = [tuple(block_counts[id(b)]) if id(b) in block_counts else _script_counts(b.text) for b in doc.blocks]
    decided, letters = _decide([b.text for b in doc.blocks], counts)
    weights: Counter = Counter()
    for block, (lang, _), n in zip(doc.blocks, decided, letters):
        if block.kind != "junk" and lang not in (None, NO_LINGUISTIC_CONTENT):
            weights[lang] += n
    doc.lang = _majority(weights) or UNDETERMINED
    latin_default = doc.lang if doc.lang in ("fr", "en") else "en"
    for block, (lang, _) in zip(doc.blocks, decided):
        block.lang = lang or latin_default  # None: a short Latin-script block

    per_sentence = doc.lang in ("fr", "ru")
    if per_sentence:
        seg_decided, _ = _decide([s.text for _, s in segments], seg_counts)
    else:
        seg_decided = [_by_script(cyr, other) for cyr, other in seg_counts]
    for (block, seg), (lang, conf) in zip(segments, seg_decided):
        if lang is None:  # short, or not classified: the block's language, if the script agrees
            lang, conf = (block.lang if block.lang in ("fr", "en") else latin_default), 0.5
        seg.lang = lang
        seg.meta["lang_confidence"] = round(conf, 3)
    doc.provenance["langid"] = {
        "version": VERSION,
        "library": "lingua",
        "languages": list(LANGUAGES),
        "unit": "block and sentence" if per_sentence else "block",
    }
    return doc


def _by_script(cyr: int, other: int) -> tuple[str | None, float]:
    if cyr + other == 0:
        return NO_LINGUISTIC_CONTENT, 1.0
    if cyr >= other:
        return "ru", cyr / (cyr + other)
    return None, 0.0
