"""Which full stops belong to a word: abbreviations and initials, by language.

An abbreviation's period ends no sentence when the abbreviation stands before what it
qualifies (a title before a name, ``p.`` before a page, Russian ``ул.`` before a street's
name); one that may close a phrase (``etc.``, ``& Co.``, ``a.m.``, a year's ``г.``) ends
the sentence where the next word starts one. The case of the next word decides only where
it can: after a dotted acronym (``U.S.``) a capital starts a name as often as a sentence,
and only a capitalised closed-class word (``Then``, ``She``, ``The``) says which.
"""

from __future__ import annotations

import re

# Abbreviations (lowercase, without the final period) after which a period does not end
# a sentence, whatever follows: most stand before a name, a number or a page.
ABBREV = {
    "fr": {
        "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "st", "ste", "p", "pp", "cf", "vol",
        "n", "no", "nos", "n°", "nº", "ch", "chap", "éd", "ed", "art", "av", "env", "fig", "t", "op", "cit", "ibid", "id",
        "coll", "dir", "trad", "hab", "min", "max", "bd", "sq", "sqq", "apr", "janv", "févr", "oct", "nov", "déc",
        "gal", "cdt", "lt", "cne", "c.-à-d", "resp", "réf", "tél", "vs",
    },
    # titles before a name (Mt. Rainier, St. Louis, Ft. Worth, Gov. Smith), then the
    # abbreviations before a number or inside a phrase
    "en": {
        "mr", "mrs", "ms", "mx", "messrs", "dr", "prof", "st", "mt", "mts", "ft", "gen", "col", "lt", "sgt", "capt",
        "cmdr", "adm", "maj", "brig", "gov", "rev", "sen", "rep", "hon", "pres", "supt", "insp",
        "vs", "v", "vv", "e.g", "i.e", "cf", "p", "pp", "vol", "no", "nos", "n°", "nº", "op", "cit",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "jr", "sr", "approx", "ca", "ed", "eds", "fig", "figs", "ch", "chap", "art", "dept", "ibid", "viz", "est",
    },
    # before a name, a number or a year: the places (ул. Пушкина, пгт. Ижморский, пос.,
    # просп., пл., обл., р., оз.), then the rest
    "ru": {
        "ул", "пер", "пр", "просп", "пл", "наб", "ш", "б-р", "мкр", "пгт", "пос", "дер", "с", "д", "кв", "корп",
        "обл", "р", "оз", "им", "ст",
        "т", "п", "стр", "см", "ср", "тыс", "млн", "млрд", "руб", "коп", "гл", "т.е", "т.д", "т.п",
        "т.к", "др", "проф", "акад", "чл", "корр", "напр", "рис", "табл", "прим", "ред",
        "изд", "сост", "вып", "ок", "г-н", "г-жа", "англ", "франц", "фр", "нем", "лат", "рус", "соч", "указ",
        "цит", "по", "ч", "кн", "т.н", "т.о", "и.о", "н.э", "отв", "долл", "чел", "мин", "сек", "км",
    },
}
# Abbreviations that may also end a sentence: they end one when the next word starts one.
# "& Co.", "Inc.", "Ltd." close a firm's name, and what follows the name with a capital
# is a new sentence ("… with Hale & Co. Work began"); "and co." ("and company") too.
FINAL_ABBREV = {
    "fr": {"etc", "av. j.-c", "apr. j.-c", "j.-c", "cie"},
    "en": {"etc", "a.m", "p.m", "b.c", "a.d", "co", "inc", "ltd", "corp", "plc", "llc", "bros", "esq", "al"},
    "ru": {"г", "гг", "в", "вв", "etc", "н.э"},
}
# Latin-script text is segmented before its language is known (French or English):
# the two lists hardly conflict, so both apply.
ABBREV["latin"] = ABBREV["fr"] | ABBREV["en"]
FINAL_ABBREV["latin"] = FINAL_ABBREV["fr"] | FINAL_ABBREV["en"]

# a firm's name ends with these
_FIRMS = frozenset({"co", "inc", "ltd", "corp", "plc", "llc", "bros", "cie"})

OPENERS = "«“„\"'‘([{—–-¿¡*"

# Capitalised words that open sentences and never continue a name: pronouns, articles and
# determiners, conjunctions, the commonest prepositions and sentence adverbs. After a
# dotted acronym ("the U.S. Army" / "the U.S. Then she"), the next word's case says
# nothing; one of these says a sentence begins.
_EN_SENTENCE_OPENERS = frozenset("""i you he she it we they me him her us them my your his its our their this that
these those there here the a an and but or so yet nor for if when while after before since because although though
then now however meanwhile moreover also still thus hence therefore instead later today yesterday tomorrow in on at
by from with without to of as what who where why how which whose all both each every some many most no not never
one""".split())

# A time or a year phrase alone at a sentence's start ("By 9 a.m.", "At 5 p.m.", "В 1995–1998
# гг."): no sentence ends there, for none has begun; the same abbreviation after a clause
# ("… at 7 P.M.", "…, 1901 г.") ends one before a capital.
_LEADING_TIME = re.compile(r"(?:(?:by|at|from|until|till|before|after|around|about|since|on|and|or)\s+)?"
                           r"\d{1,2}(?:[:.]\d\d)?\s*(?:a|p)\.m", re.IGNORECASE)
_LEADING_YEARS = re.compile(r"(?:(?:в|с|к|до|по|от|на|около|после|между|за)\s+)?[\dIVXLC]{1,4}(?:\s*[-–—]\s*[\dIVXLC]{1,4})?"
                            r"(?:-?(?:х|е|ые|ых))?\s*(?:гг|г|вв|в)", re.IGNORECASE)
# What stands for a year or a century before "г." / "в." (its number): after anything else,
# "г." is "город" (the town: "в г. Самара") and precedes a name.
_NUMBER_BEFORE = re.compile(r"(?:\d{1,4}|[IVXLC]{1,7})(?:\s*[-–—]\s*(?:\d{1,4}|[IVXLC]{1,7}))?(?:-?(?:х|е|ые|ых|го|м))?\s*$")


def after_openers(text: str, pos: int) -> int:
    while pos < len(text) and (text[pos] in OPENERS or text[pos].isspace()):
        pos += 1
    return pos


def next_is_upper(text: str, pos: int) -> bool:
    i = after_openers(text, pos)
    return i < len(text) and text[i].isupper()


def _opens_a_sentence(text: str, pos: int) -> bool:
    """Is the word at ``pos`` a capitalised closed-class word of two letters or more (an
    initial, "A." or "I.", says nothing)?"""
    m = _WORD.match(text, after_openers(text, pos))
    return bool(m) and len(m.group()) >= 2 and m.group()[0].isupper() and m.group().lower() in _EN_SENTENCE_OPENERS


_WORD = re.compile(r"[^\W\d_]+")
_WORD_WINDOW = 40  # longer than any abbreviation or initials; a longer word is scanned on
_INITIALS = re.compile(r"(?:[^\W\d_]\.-?){0,2}[^\W\d_]")  # Ж. / Ж.-Л. / J.-P. / E.
_DOTTED = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}")  # e.g / т.е / U.S
_GLUED_LABEL = re.compile(r"^\d{1,3}[.)](?=[^\W\d_])")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[^\w]*\s+$")


def is_abbreviation(text: str, punct_start: int, lang: str, next_pos: int, sentence_start: int = 0) -> bool:
    """Does the period at ``punct_start`` belong to the word before it (``text`` is a
    block, its current sentence starting at ``sentence_start``)?"""
    if text[punct_start] != ".":
        return False
    if text.startswith("...", punct_start):
        return False
    # the word before the period: what follows the last space of the few characters
    # before it (one split in C rather than a step back per character)
    window = text[max(0, punct_start - _WORD_WINDOW) : punct_start]
    tail = window.rsplit(None, 1)[-1] if window and not window[-1].isspace() else ""
    word_start = punct_start - len(tail)
    if len(tail) == len(window):  # no space in the window: the word may start before it
        while word_start > 0 and not text[word_start - 1].isspace():
            word_start -= 1
    if word_start == punct_start:
        return False
    # a note's label glued to the word ("• 2.См. Карр"): the word is what follows it
    word = _GLUED_LABEL.sub("", text[word_start:punct_start].lstrip(OPENERS))
    low = word.lower()
    if not word:
        return False
    english = lang in ("en", "latin")
    if english and word == "I" and next_is_upper(text, next_pos):
        # the pronoun ends "you and I. Did you…"; an initial stands after a first name
        # ("Albert I. Jones"): a capitalised word before it
        before = _WORD_BEFORE.search(text, max(sentence_start, word_start - _WORD_WINDOW), word_start)
        return bool(before and before.group(1)[:1].isupper())
    # (a capital alone is an initial: "Н. В. Гоголь", not Russian "в." for a century)
    if (low in FINAL_ABBREV.get(lang, ()) or low == "etc") and not (len(word) == 1 and word.isupper()):
        return _final_abbreviation_goes_on(text, low, lang, (word_start, punct_start, next_pos), sentence_start)
    # initials: Ж. / Ж.-Л. / J.-P. / E. ; one capital, or capitals each with its period.
    # An acronym written without periods ("les ONG.", "their RFP.") is a word: it ends
    # sentences like any other; one written with them (U.K.) ends a sentence before a
    # capitalised word that only opens one ("… to the U.K. Then she …").
    if word[-1].isupper() and _INITIALS.fullmatch(word):
        return not (english and _opens_a_sentence(text, next_pos))
    if low in ABBREV.get(lang, ()) or low in ("e.g", "i.e"):
        return True
    if "." in word and _DOTTED.fullmatch(word):  # e.g / т.е / U.S
        return not (english and word[-1].isupper() and _opens_a_sentence(text, next_pos))
    if word.isdigit() and word_start == 0:
        return True  # a list number at the start of a block: "1. ..."
    if word.isdigit() and not next_is_upper(text, next_pos):
        return True  # "le 6 nov. 1917" style dates and ordinals
    return False


def _final_abbreviation_goes_on(text: str, low: str, lang: str, at: tuple[int, int, int], sentence_start: int) -> bool:
    """After an abbreviation that may end a sentence: does the sentence go on? ``at`` is
    the word's start, its period's and where the next word may start."""
    word_start, punct_start, next_pos = at
    if lang == "ru" and low in ("г", "гг", "в", "вв"):
        if low in ("г", "гг") and not _NUMBER_BEFORE.search(text, max(sentence_start, word_start - 24), word_start):
            return True  # "в г. Самара": "город" before the town's name
        if text[next_pos : next_pos + 1] in ("«", "„"):
            return True  # "выборов 2022 г. «Нового … союза»": a quoted name continues the sentence
        if _LEADING_YEARS.fullmatch(text, sentence_start, punct_start):
            return True  # "В 1995–1998 гг. Анна…": the years open the sentence
    if low in _FIRMS and text[next_pos : next_pos + 1] in ("(", "["):
        return True  # "Constellation Power Source, Inc. (\"CPS\")": the firm's short name follows
    if low in ("a.m", "p.m") and _LEADING_TIME.fullmatch(text, after_openers(text, sentence_start), punct_start):
        return True  # "By 9 a.m. Dr. Lee had left.": the time opens the sentence
    return not next_is_upper(text, next_pos)
