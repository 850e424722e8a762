"""Language of every segment, block and document (fr, ru, en; "zxx" for no words).

The script decides Russian. Between the Latin-script languages, function words found in
one language only decide most pieces; where they leave doubt, lingua (restricted to
English and French, batched and parallel) decides a long piece, and how often each
language writes its words (wordfreq's lists) a short one. Classification runs once, per
sentence when the document is segmented (so an English quotation inside a French
paragraph is found), per block otherwise. Pieces too short to say much inherit the
language of their block, and a block that has no long piece inherits the document's.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from . import wordfreqs
from ..doc import NO_LINGUISTIC_CONTENT, UNDETERMINED, Document
from .function_words import TOKEN_PUNCTUATION, function_word_votes_many, without_quotations
from ..scripts import LETTER, script_counts, script_counts_many

VERSION = "langid/5"  # what each version changed: docs/versions.md
LANGUAGES = ("fr", "ru", "en")


def check_language(lang: str | None) -> str | None:
    """A language a user named (``--lang``): one of :data:`LANGUAGES`, or None for detection."""
    if lang and lang not in LANGUAGES:
        from ..errors import UsageError

        raise UsageError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang
# Below this many letters a piece inherits its container's language unless the script says otherwise.
MIN_LETTERS = 40
# Longer pieces are classified on their first characters only: enough evidence, bounded cost.
SAMPLE_CHARS = 400

_LETTERS = LETTER
# an address opens where its word does (tried at every character of a long word with no
# "@" after it, the rest of the word was read each time); a <sup> closes within a line's
# reach of 200 characters, more than any note number or marker it holds
_MARKUP = re.compile(r"<sup>[^\n]{0,200}?</sup>|\[\d+\]|https?://\S+|(?<!\S)\S+@\S+")


# lingua's low-accuracy mode (trigrams only) is reliable from about 120 characters and
# several times cheaper; shorter pieces get the full model.
LOW_ACCURACY_FROM = 160


@lru_cache(maxsize=2)
def _detector(low_accuracy: bool = False):
    from lingua import Language, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH)
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def _may_hold_markup(text: str) -> bool:
    """A sign without which _MARKUP cannot match: most texts are let through untouched."""
    return "<" in text or "[" in text or "://" in text or "@" in text


def _without_markup(text: str) -> str:
    return _MARKUP.sub("", text) if _may_hold_markup(text) else text


def _script_counts(text: str) -> tuple[int, int]:
    """(Cyrillic letters, other letters), markup, URLs and e-mail addresses left out."""
    return script_counts(_without_markup(text))


def _script_counts_many(texts: list[str]) -> list[tuple[int, int]]:
    """:func:`_script_counts` of every text, counted together (:func:`script_counts_many`)."""
    if _may_hold_markup("".join(texts)):
        texts = list(map(_without_markup, texts))
    return script_counts_many(texts)


# a decision on function words alone needs this many on one side and none on the other
# (two are enough where the other language has none: "This is an English sentence."
# has four); more mixed evidence goes to lingua
DECISIVE_WORDS = 2


def vote_latin(en: int, fr: int, short: bool) -> tuple[str, float] | None:
    """French or English from a text's function-word votes (:func:`function_word_votes`),
    where they leave no doubt; None otherwise.

    A short piece (a title, a quotation of a few words) is decided on one word when the
    other language has none: "The End" is English, "Le Monde" French. A longer piece
    needs :data:`DECISIVE_WORDS` and nothing against."""
    need = 1 if short else DECISIVE_WORDS
    if en >= need and fr == 0:
        return "en", 0.9
    if fr >= need and en == 0:
        return "fr", 0.9
    if not short and min(en, fr) * 8 <= max(en, fr) and max(en, fr) >= 8:
        return ("en" if en > fr else "fr"), 0.8  # a long text with a stray word of the other language
    return None


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


def _decide(pieces: list[str], counts: list[tuple[int, int]], junk: list[bool],
            containers: list[str] | None = None, seen: dict | None = None) -> list[tuple[str | None, float]]:
    """Language of each piece (None where too short to tell fr from en).
    ``counts``: the pieces' (Cyrillic, other) letter counts; ``junk``: pieces never
    translated nor shown (navigation, share buttons), for which the script is enough;
    ``containers``: the language of each piece's block, for sentences (a short sentence
    may differ from its block; a short block just takes the document's language);
    ``seen``: each text's function-word vote, kept between calls (a one-sentence block
    is its own sentence: voted on once)."""
    if seen is None:
        seen = {}
    decided: list[tuple[str | None, float]] = []
    latin: list[tuple[int, bool]] = []  # pieces in the Latin script, and whether short
    for i, text in enumerate(pieces):
        cyr, other = counts[i]
        if junk[i]:
            decided.append(_by_script(cyr, other))
        elif cyr + other == 0:
            decided.append((NO_LINGUISTIC_CONTENT, 1.0))
        elif cyr >= other:
            decided.append(("ru", cyr / (cyr + other)))
        else:
            decided.append((None, 0.0))
            latin.append((i, other < MIN_LETTERS))
    # function words first: most pieces need nothing more (and lingua is then never
    # loaded). The vote depends on the text and its shortness alone; the texts not voted
    # on before are voted on together.
    unvoted = [key for key in dict.fromkeys((pieces[i], short) for i, short in latin) if key not in seen]
    owns = [without_quotations(text) for text, _ in unvoted]
    for (text, short), own, (en, fr) in zip(unvoted, owns, function_word_votes_many(owns)):
        seen[text, short] = (own, own is text, vote_latin(en, fr, short))
    latin_idx, latin_texts = [], []
    short_idx: list[int] = []
    for i, short in latin:
        own, unquoted, vote = seen[pieces[i], short]
        if vote is not None:
            decided[i] = vote
        elif len(_LETTERS.findall(own)) >= MIN_LETTERS:
            latin_idx.append(i)
            latin_texts.append(own)
        elif containers is not None and unquoted and containers[i] in ("fr", "en"):
            # short, no function word: how often each language writes its words
            # (what is left around a quotation says nothing: "Carr constate : « … »"
            # inherits its block's language)
            short_idx.append(i)
    if short_idx:
        for i, vote in zip(short_idx, word_frequency_votes([pieces[i] for i in short_idx], [containers[i] for i in short_idx])):
            decided[i] = vote or decided[i]
    for i, (lang, conf) in zip(latin_idx, classify_latin(latin_texts)):
        decided[i] = (lang, conf)
    return decided


# A short piece takes the other language than its block's where its words are, together,
# ten times more frequent there (log10 ratio 1.0). On FLORES dev passages of 1-5 words
# (bench/routing_bench.py) this found 0.954 of those inside a paragraph of the other
# language (lingua at confidence 0.8, asked only where the spelling hinted at the other
# language: 0.921), while same-language passages kept their paragraph's language as
# often (0.982; among the changes, English names in French text now go to English:
# "Northern Rock.", "Victoria Falls."). A ratio of 30 (1.5) found 0.948; of 3 (0.5)
# 0.962, with four times the changes to same-language passages.
FREQUENCY_MARGIN = 1.0


_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?(?:-[^\W\d_]+(?:['’][^\W\d_]+)?)*")


def _content_words(text: str) -> list[str]:
    """The words of a piece that can say something of its language: tokens made of
    letters only (a file name, "BLT1606EN vF.pdf", or a code is none) and longer than one
    letter (initials, list letters and spelled-out words, "U P D A T E D", are no
    evidence; the one-letter words of either language are function words, voted on
    before), less acronyms ("KB"), as for function words. In a piece all in capitals
    the acronyms cannot be told from words, and only words of three letters or more
    count ("LU -M" says nothing, "BREAKING NEWS" does). Hyphenated words count by their
    parts ("Jean-Pierre": "jean", "pierre", as the lists hold them)."""
    shouting = text == text.upper()
    words = []
    for raw in text.split():
        token = raw.strip(TOKEN_PUNCTUATION)
        if len(token) < (3 if shouting else 2) or not _PLAIN_WORD.fullmatch(token):
            continue
        if shouting or not token.isupper():
            words.extend(part for part in token.split("-") if len(part) > 1)
    return words


def word_frequency_votes(texts: list[str], hosts: list[str]) -> list[tuple[str, float] | None]:
    """For each short text in a block of language ``hosts[i]`` (fr or en): the language in
    which its words are, together, at least 10 ** FREQUENCY_MARGIN times more frequent than
    in the other, with the confidence that ratio gives; None otherwise (names, words both
    languages write, words neither list holds)."""
    split = [[w.lower().replace("’", "'") for w in _content_words(t)] for t in texts]
    vocabulary = {w for words in split for w in words}
    zipf = {lang: wordfreqs.zipf_frequencies(lang, vocabulary) for lang in ("en", "fr")}
    floor = {lang: wordfreqs.rarest_zipf(lang) for lang in ("en", "fr")}
    out: list[tuple[str, float] | None] = []
    for words, host in zip(split, hosts):
        other = "en" if host == "fr" else "fr"
        ratio = sum(zipf[other].get(w, floor[other]) - zipf[host].get(w, floor[host]) for w in words)
        if not words or abs(ratio) < FREQUENCY_MARGIN:
            out.append(None)
        else:  # the host's own words say so too: its language, with that confidence
            out.append((other if ratio > 0 else host, round(1 - 1 / (1 + 10 ** abs(ratio)), 3)))
    return out


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
    seg_counts = _script_counts_many([s.text for _, s in segments])
    block_counts: dict[int, list[int]] = {}
    for (block, _), (cyr, other) in zip(segments, seg_counts):
        total = block_counts.setdefault(id(block), [0, 0])
        total[0] += cyr
        total[1] += other
    counts = [tuple(block_counts[id(b)]) if id(b) in block_counts else _script_counts(b.text) for b in doc.blocks]
    seen: dict = {}
    decided = _decide([b.text for b in doc.blocks], counts, [b.kind == "junk" for b in doc.blocks], seen=seen)
    letters = [cyr + other for cyr, other in counts]
    weights: Counter = Counter()
    for block, (lang, _), n in zip(doc.blocks, decided, letters):
        if block.kind != "junk" and lang not in (None, NO_LINGUISTIC_CONTENT):
            weights[lang] += n
    doc.lang = _majority(weights) or UNDETERMINED
    latin_default = doc.lang if doc.lang in ("fr", "en") else "en"
    for block, (lang, _) in zip(doc.blocks, decided):
        block.lang = lang or latin_default  # None: a short Latin-script block

    # every sentence of a Latin-script or Russian document: a French quotation in an
    # English text is found (and translated) as an English one in a French text is
    per_sentence = doc.lang in ("fr", "ru", "en")
    if per_sentence:
        seg_decided = _decide([s.text for _, s in segments], seg_counts, [b.kind == "junk" for b, _ in segments], [b.lang for b, _ in segments], seen)
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
        "first_pass": "function words",
        "short_pieces": f"word frequencies (wordfreq {wordfreqs.WORDLIST}), ratio 10**{FREQUENCY_MARGIN}",
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
