"""What a sentence looks like to the aligner: hashed character trigrams plus anchors.

Both sides are folded (lowercased, accents stripped, Cyrillic transliterated) so that
names, numbers and cognates meet across languages and scripts; tokens that survive
translation (numbers, dates, URLs, e-mail addresses, ``? ! « »``, capitalised names) are
added as anchors. Features are weighted by their inverse document frequency within the
pair, so shared function words count for little and shared names and numbers for much.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from typing import Sequence

import numpy as np

from ..numbers import number_value
from ..scripts import mostly_cyrillic
from .params import AlignParams
from .rows import SentenceRows, add_up, merge_cells

# hash multipliers for a trigram of code points: primes, so that permutations differ
_TRIGRAM_PRIMES = (1_000_003, 10_007)

# BGN/PCGN romanization, the English-language convention (й y, ю yu, я ya: "Достоевский",
# "Dostoyevsky"), as English texts spell Russian names; the ICAO-style i / iu / ia used
# before matched fewer (FLORES dev ru-en strict F1 0.978 -> 0.980)
_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", [
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
    "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d+)?")
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b([A-ZА-ЯЁ][\w\u0400-\u04ff]{2,})")
_MARKS = re.compile(r"[?!«»“”\"]")
_PUNCT = re.compile(r"[^\w\s]")


def number_token(number: str) -> str:
    """A number as an anchor: "10 000", "10,000" and "10.000" are "#10000", "1,5" is "#1.5"
    in any language, and zeros are kept ("07" is "#07"; see :mod:`pipeline.numbers`)."""
    return "#" + number_value(number)


_TRANSLIT = str.maketrans(_CYR)
_TRANSLITERATED = re.compile(f"[{''.join(_CYR)}]")  # the letters the table maps: none, no table
_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lowercase, strip accents, transliterate Cyrillic: "Макрон", "Macron" meet."""
    # "й" before the accents go: decomposed, it would lose its breve and read as "и"
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower().replace("й", "y")))
    # the table is looked up character by character: a French or English text skips it
    return plain.translate(_TRANSLIT) if _TRANSLITERATED.search(plain) else plain


# sentences read to tell a text's script: enough for any text, cheap for a long one
SCRIPT_SAMPLE = 200


def script_of(sentences: Sequence[str]) -> str:
    """"cyrillic" or "latin": the script most of a text's first sentences are written in."""
    return "cyrillic" if mostly_cyrillic(" ".join(sentences[:SCRIPT_SAMPLE])) else "latin"


def fold_each(sentences: Sequence[str]) -> list[str]:
    """:func:`fold` of every sentence, as one text where no sentence holds a line break (a
    tenth of a second less per 10,000 sentences): lowering, decomposing and
    transliterating never cross one."""
    if sentences and not any("\n" in s for s in sentences):
        return fold("\n".join(sentences)).split("\n")
    return [fold(s) for s in sentences]


def _month_forms() -> dict[str, int]:
    """Month names as they read after :func:`fold` (accents stripped, Cyrillic transliterated),
    in the languages Diptych reads and the German of Text+Berg: "3 mai", "May 3", "3 мая",
    "3. Mai" meet."""
    forms: dict[str, int] = {}
    for number, names in enumerate((
        "janvier january jan januar yanvar", "fevrier february feb februar fevral", "mars march mar marz maerz mart",
        "avril april apr aprel", "mai may mae", "juin june jun juni iyun", "juillet july jul juli iyul",
        "aout august aug avgust", "septembre september sep sept sentyabr", "octobre october oct oktober oktyabr",
        "novembre november nov noyabr", "decembre december dec dezember dekabr",
    ), 1):
        for form in names.split():
            forms[form] = number
            if form.isalpha() and form[-1] not in "aeiouy" or form == "may":
                for ending in ("ya", "e", "a"):  # Russian cases: января, январе, марта, мая (мае: above)
                    forms.setdefault(form + ending, number)
    return forms


_MONTH_FORMS = _month_forms()
_AFTER_DAY = re.compile(r"\b\d{1,2}\.?\s+([a-z]+)\b")
# a word before a number, "\b([a-z]+)\.?\s+(?=\d{1,4}\b)", looked for in the reversed text,
# where it opens with the digits: the regex engine then rejects most positions at their
# first character instead of reading every word (half the time; the same matches on all of
# ../shared/data)
_BEFORE_NUMBER_REVERSED = re.compile(r"(?<!\w)\d{1,4}\s+\.?([a-z]+)\b")
# the e-mail alternative opens only where its run of address characters does: tried inside
# a long run with no "@" it read the rest of the run at every character (quadratic); the
# leftmost match starts at the run's start anyway
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"«»]+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+")


def anchors(text: str, folded: str | None = None) -> list[str]:
    """The tokens of ``text`` that survive translation; ``folded``: ``fold(text)``, where the caller has it already."""
    return _anchor_hits([text], [fold(text) if folded is None else folded])[1]


_SEP = "\n\x00\n"  # between sentences joined for one pass of each pattern: no pattern crosses it


def _anchor_hits(sentences: Sequence[str], plain: list[str]) -> tuple[np.ndarray, list[str]]:
    """Every sentence's anchors (as :func:`anchors` finds them), each pattern run once over
    all sentences joined rather than once per sentence. Returns the rows and the tokens."""
    if len(sentences) > 1 and any("\x00" in s for s in sentences):  # cannot be joined safely: one by one
        rows: list[int] = []
        tokens: list[str] = []
        for r, (sentence, folded_sentence) in enumerate(zip(sentences, plain)):
            found = _anchor_hits([sentence], [folded_sentence])[1]
            rows += [r] * len(found)
            tokens += found
        return np.array(rows, dtype=np.int64), tokens
    text, folded = _SEP.join(sentences), _SEP.join(plain)

    def starts(parts: list[str] | Sequence[str]) -> np.ndarray:
        return np.concatenate([[0], np.cumsum([len(p) + len(_SEP) for p in parts])[:-1]]).astype(np.int64)

    text_starts, folded_starts = starts(sentences), starts(plain)
    positions: list[int] = []
    folded_positions: list[int] = []
    tokens: list[str] = []
    folded_tokens: list[str] = []
    # the address pattern costs a fifth of a second per 10,000 sentences when run over them
    # all; only the sentences holding "@", "://" or "www." can match (no pattern crosses _SEP)
    for r, sentence in enumerate(sentences):
        if "@" in sentence or "://" in sentence or "www." in sentence:
            for m in _URL.finditer(sentence):
                positions.append(int(text_starts[r]) + m.start())
                tokens.append("~" + m.group(0).lower().rstrip(".,;:)]"))
    # a month next to a day or a year is a date, whatever the language
    months = {m.start(1): _MONTH_FORMS.get(m.group(1)) for m in _AFTER_DAY.finditer(folded)}
    backwards = folded[::-1]
    before = sorted((len(folded) - m.end(1), m.group(1)[::-1]) for m in _BEFORE_NUMBER_REVERSED.finditer(backwards))
    months.update((at, _MONTH_FORMS.get(word)) for at, word in before)
    for at, month in months.items():
        if month:
            folded_positions.append(at)
            folded_tokens.append(f"%m{month}")
    for m in NUMBER.finditer(text):
        positions.append(m.start())
        tokens.append(number_token(m.group(0)))
    for m in _MARKS.finditer(text):
        positions.append(m.start())
        tokens.append("!" + ("\"" if m.group(0) in "«»“”\"" else m.group(0)))
    sentence_start = set(text_starts.tolist())
    name_forms: dict[str, str] = {}  # names recur: each folded once
    for m in _NAME.finditer(text):
        if m.start(1) not in sentence_start:  # a capital that opens the sentence is no name
            positions.append(m.start(1))
            name = m.group(1)
            form = name_forms.get(name)
            if form is None:
                form = name_forms[name] = "@" + fold(name)[:5]
            tokens.append(form)
    rows = np.concatenate([
        np.searchsorted(text_starts, np.array(positions, dtype=np.int64), side="right") - 1,
        np.searchsorted(folded_starts, np.array(folded_positions, dtype=np.int64), side="right") - 1,
    ]).astype(np.int64)
    return rows, tokens + folded_tokens


def vectors(sentences: Sequence[str], params: AlignParams, plain: list[str] | None = None) -> SentenceRows:
    """One hashed trigram+anchor count vector per sentence (sparse rows: :mod:`.rows`);
    ``plain``: ``fold_each(sentences)``, where the caller has it already."""
    dims, n = params.dims, len(sentences)
    if plain is None:
        plain = fold_each(sentences)
    # punctuation and its spacing differ between a tokenised text and a translation
    folded = [" " + " ".join(_PUNCT.sub(" ", f).split()) + " " for f in plain]
    joined = "\x00".join(folded)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.array([len(f) for f in folded], dtype=np.int64)
    rows = np.repeat(np.arange(n), lengths + 1)[: len(codes)]
    cells = np.zeros(0, dtype=np.int64)
    values = np.zeros(0, dtype=np.float32)
    if len(codes) >= 3:
        h = (codes[:-2] * _TRIGRAM_PRIMES[0] + codes[1:-1] * _TRIGRAM_PRIMES[1] + codes[2:]) % dims
        inside = (codes[:-2] != 0) & (codes[1:-1] != 0) & (codes[2:] != 0)
        cells, occurrences = np.unique(rows[:-2][inside] * dims + h[inside], return_counts=True)
        values = occurrences.astype(np.float32)
    hit_rows, tokens = _anchor_hits(sentences, plain)
    if tokens:
        cols = np.array([zlib.crc32(a.encode("utf-8")) % dims for a in tokens], dtype=np.int64)
        weights = np.array([params.anchor_weight * (params.date_weight if a.startswith("%m") else 1.0) for a in tokens], dtype=np.float32)
        # an anchor adds to the trigram count of the cell it hashes to
        cells, values = merge_cells(cells, values, *add_up(hit_rows * dims + cols, weights))
    return SentenceRows.from_cells(n, dims, cells, values)


def idf_weighted(matrices: list[SentenceRows | None], exponent: float) -> list[SentenceRows | None]:
    """Each matrix times the inverse document frequency of its features over all of them:
    features every other sentence has ("de ", " la") say little; rare ones (names, numbers,
    content words) say a lot. ``exponent`` 0 leaves the matrices as they are. The matrices
    are scaled in place and returned."""
    if not exponent:
        return matrices
    present = [x for x in matrices if x is not None]
    df = sum(x.column_counts() for x in present)
    idf = (np.log((sum(len(x) for x in present) + 1) / (df + 1)) ** exponent).astype(np.float32)
    for x in present:
        x.scale_columns(idf)
    return matrices


# a word as the lexicon and the kept-token evidence read it: two letters or more, folded
WORD = re.compile(r"[^\W\d_]{2,}")


def word_ids(sentences: Sequence[str], folded: list[str] | None = None) -> tuple[list[np.ndarray], dict[str, int]]:
    """Each sentence's distinct folded words as ids, and the vocabulary, the ids looked up
    by C-level maps (a set per sentence built word by word took two-thirds of a second
    per 10,000 sentences). ``folded``: ``fold_each(sentences)``, where the caller has it."""
    words = [WORD.findall(p) for p in (fold_each(sentences) if folded is None else folded)]
    flat = [w for ws in words for w in ws]
    vocabulary = {w: i for i, w in enumerate(dict.fromkeys(flat))}
    ids = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
    rows = np.repeat(np.arange(len(words), dtype=np.int64), [len(ws) for ws in words])
    width = max(len(vocabulary), 1)
    cells = np.unique(rows * width + ids)  # each word once per sentence, sorted
    bounds = np.searchsorted(cells, np.arange(len(words) + 1, dtype=np.int64) * width)
    distinct = cells % width
    return [distinct[bounds[r]:bounds[r + 1]] for r in range(len(words))], vocabulary
