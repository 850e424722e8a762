"""Function words as evidence of English or French: each token's vote, remembered across
texts, titles before names ("Mr Reid", "M. Reid"), and a sentence's quotations set aside,
since a quoted title is in its own language. :mod:`pipeline.frontend.langid` decides from these
votes, and asks lingua or word frequencies where they leave doubt."""

from __future__ import annotations

import re

# titles before a name: "Mr Reid" is English, "M. Reid" and "Mme Reid" French
_EN_TITLE = re.compile(r"(?<![^\W_])(?:Mr|Mrs|Ms)\.?\s+[A-Z]")
_FR_TITLE = re.compile(r"(?<![^\W_])(?:M\.|MM\.|Mme|Mmes|Mlle)\s+[A-Z]")
# Function words found in one of the two languages only (a French "a", "on", "as", "or",
# "but", "son", "en" is no evidence of English, nor an English "plus" of French; nor are
# "pendant", "comment", "car", "me", "former", "may" and "no", words of both). The
# adverbs, conjunctions and pronouns after the first lines, and the names of days and
# months (closed classes that differ between the two: "On Monday.", "Mercredi."; "march"
# and "mars" left out, "Mars" being a name in both), are what tells one- and two-word
# passages ("Cependant.", "Despite this.") apart, which would otherwise go by their
# paragraph's language. Counted as whole words, case ignored; with French elisions (l',
# d', qu'…) and French accents.
_EN_WORDS = frozenset("""the of and to in at is was are were that with for this these those from by it its he she
they we you his her their them have has had been not will would can could should which who whom whose what
when where there said says say told after before about also into than more most many much all my your our
does did how why very just so if up out over under between during since then now here i i'm don't it's
that's there's be being any some such only other because while although though however including according
one two three four five first new year years people time day way like well get got make made
even around despite besides maybe perhaps sometimes moreover furthermore each every yet already almost always
never often usually therefore thus without within through throughout against among until unless whether
us him himself herself itself themselves another both either neither few several must might nothing something
someone anything everyone everything
monday tuesday wednesday thursday friday saturday sunday january february april may june july august
september october november december""".split())
_FR_WORDS = frozenset("""le la les des du de en un et est une que qui dans pour pas au aux sur ce cette ces cet
il elle ils elles nous vous sont été être avec par mais ou où leur leurs sa ses se ne à était fait aussi très
tout tous toute toutes selon entre après lors depuis sans chez sous dont lui eux ont avait sera peut comme
ans deux trois quatre cinq dix ensuite puis encore déjà toujours jamais rien chaque autre autres même cela
ceci celle celui ceux votre notre nos vos mon mes ton tes oui non faire dit avoir doit
si bien cependant certains certaines parmi quand alors environ aucun aucune avant seul seule seuls seules hier
donc je tu moi toi personne peu beaucoup ainsi toutefois lorsque puisque parce afin vers contre pourquoi
combien quelque quelques plusieurs chacun chacune souvent parfois moins trop assez ici quoi lequel laquelle
lesquels enfin pourtant tandis durant sauf outre sinon soit
lundi mardi mercredi jeudi vendredi samedi dimanche janvier février avril mai juin juillet août septembre
octobre novembre décembre""".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# looked for in lowercased words as a set (a regex search per word cost a fifth of the votes)
_FR_ACCENTS = frozenset("éèêëàâîïôûùüçœ")


_ELIDED = frozenset("d l q n s j c m qu jusqu lorsqu puisqu".split())
TOKEN_PUNCTUATION = ".,;:!?…«»\"“”„()[]{}*_—–-/"
# function words are counted in the first characters only: enough evidence, bounded cost
VOTE_CHARS = 600


def _word_vote(raw: str, shouting: bool) -> int:
    """What one whitespace-separated token says: 1 English, 2 French, 0 nothing."""
    word = raw.strip(TOKEN_PUNCTUATION)
    if not word or (not shouting and len(word) > 1 and word.isupper()):
        return 0
    low = word.lower()
    if "’" in low:
        low = low.replace("’", "'")
    if low in _EN_WORDS:
        return 1
    if low in _FR_WORDS:
        return 2
    if "'" in low and low.split("'", 1)[0] in _ELIDED:
        return 2
    if word[0].islower() and not _FR_ACCENTS.isdisjoint(low):
        return 2
    return 0


# Each token's vote, remembered: tokens recur (Zipf), so after the first sentences of a
# document nearly every token is a dictionary lookup instead of a strip, a lowercase and
# four set lookups (the votes took two-fifths of language identification). Kept for text
# in mixed case; started afresh when it grows past MEMO_TOKENS (some 20 MB). A vote is
# kept as the letter it adds to a string of votes: "e" English, "f" French, "" none.
MEMO_TOKENS = 200_000
_VOTE_LETTER = ("", "e", "f")
_PIECE_END = "\x00"  # the token between two texts voted on together, and its vote
_VOTE_OF_TOKEN: dict[str, str] = {_PIECE_END: "|"}


def function_word_votes(text: str) -> tuple[int, int]:
    """(English, French) evidence: exclusive function words, and French elisions and
    accented words (lowercase ones: an accented name, "Millière", says little). Words
    in capitals are acronyms ("EN", "IN"), unless the whole text is in capitals."""
    return function_word_votes_many([text])[0]


def function_word_votes_many(texts: list[str]) -> list[tuple[int, int]]:
    """:func:`function_word_votes` of every text, the texts in mixed case voted on together:
    their tokens looked up in one pass and their votes written as one string, which each
    text's part is counted in (one call per text cost more than its lookups)."""
    samples = [text[:VOTE_CHARS] for text in texts]
    out: list[tuple[int, int]] = [(0, 0)] * len(samples)
    mixed: list[int] = []
    for i, text in enumerate(samples):
        if text == text.upper():  # shouting: every word counts, acronyms too
            out[i] = _votes_alone(text, shouting=True)
        else:
            mixed.append(i)
    joined = f" {_PIECE_END} ".join(samples[i] for i in mixed)
    if joined.count(_PIECE_END) != len(mixed) - 1:  # a text holds the separator: voted on alone
        for i in mixed:
            if _PIECE_END in samples[i]:
                out[i] = _votes_alone(samples[i], shouting=False)
        mixed = [i for i in mixed if _PIECE_END not in samples[i]]
        joined = f" {_PIECE_END} ".join(samples[i] for i in mixed)
    if mixed:
        for i, part in zip(mixed, _vote_string(joined.split()).split("|")):
            out[i] = part.count("e"), part.count("f")
        # each title pattern only where its letters are written ("M" alone is in every "Mais")
        if _may_hold_en_title(joined) or _may_hold_fr_title(joined):
            for i in mixed:
                out[i] = _with_titles(samples[i], *out[i])
    return out


def _vote_string(tokens: list[str]) -> str:
    """The tokens' votes, one letter each (none for a token that says nothing)."""
    global _VOTE_OF_TOKEN
    memo = _VOTE_OF_TOKEN
    try:
        return "".join(map(memo.__getitem__, tokens))
    except KeyError:  # a token not seen before
        pass
    new = set(tokens).difference(memo)
    if len(memo) + len(new) > MEMO_TOKENS:
        # a new dictionary rather than emptying the old one: a caller in another
        # thread still reading the old one finds every token it put there
        memo = _VOTE_OF_TOKEN = {_PIECE_END: "|"}
        new = set(tokens).difference(memo)
    for raw in new:
        memo[raw] = _VOTE_LETTER[_word_vote(raw, False)]
    return "".join(map(memo.__getitem__, tokens))


def _votes_alone(text: str, shouting: bool) -> tuple[int, int]:
    """One text's votes, token by token (a text in capitals, or one that holds the separator)."""
    votes = [_word_vote(raw, shouting) for raw in text.split()]
    return _with_titles(text, votes.count(1), votes.count(2))


def _may_hold_en_title(text: str) -> bool:
    return "Mr" in text or "Ms" in text  # the letters _EN_TITLE needs


def _may_hold_fr_title(text: str) -> bool:
    return "M." in text or "Mme" in text or "Mlle" in text  # the letters _FR_TITLE needs


def _with_titles(text: str, en: int, fr: int) -> tuple[int, int]:
    if _may_hold_en_title(text):
        en += len(_EN_TITLE.findall(text))
    if _may_hold_fr_title(text):
        fr += len(_FR_TITLE.findall(text))
    return en, fr


# A quotation runs to the first closing mark with no opening mark of its kind before it:
# an opening mark never closed would otherwise be read to the end of the text from every
# opening mark before it (quadratic in a run of «). Nested quotations of one kind are rare
# (French and Russian nest “ ” inside « »); the innermost is the one taken out.
_QUOTED = re.compile(r"“[^“”]*”|«[^«»]*»|„[^„“”]*[“”]|\"[^\"]*\"|\*[^*]+\*|_[^_]+_")
_QUOTE_MARKS = re.compile(r"[“«„\"*_]")  # what every alternative of _QUOTED opens with


def without_quotations(text: str) -> str:
    """The sentence without its quoted or italicised titles ("Originally published as
    “Sur le contenu du socialisme”"): a title is in its own language, not the sentence's.
    The whole text where that leaves fewer than two words (the piece is a quotation)."""
    if not _QUOTE_MARKS.search(text):
        return text
    rest = _QUOTED.sub(" ", text)
    words = _WORD.finditer(rest)  # two are enough: the rest of a long sentence is not read
    return rest if next(words, None) is not None and next(words, None) is not None else text
