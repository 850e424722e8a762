"""Property-based tests of the front end (hypothesis): nothing lost, spans exact, idempotent, linear."""

import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.doc import INTERRUPTION, Document
from pipeline.frontend.footnotes import mark_footnotes
from pipeline.readers.text import ingest_bytes
from pipeline.frontend.langid import identify
from pipeline.frontend.segment import MAX_SEGMENT_CHARS, segment, split_sentences
from pipeline.frontend.structure import structure
from test_frontend import coverage_errors

WORDS = st.sampled_from(
    ["révolution", "peuple", "Lénine", "soviets", "le", "la", "des", "M.", "Mme", "p.", "etc.", "e.g.", "Mr.", "Dr.",
     "партия", "выборы", "Ж.-Л.", "Меланшон", "г.", "в.", "ст.", "тыс.", "1978", "2022", "49.3", "3,5", "70 000",
     "Carr4", "révolution.2", "«", "»", "“", "”", "(…)", "…", "(", ")", "—", "–", "-", "https://npa2009.org/a-b", "a@b.fr",
     "Newsletter", "[1]", "<sup>2</sup>", "штаб-", "Социалисти-", "peut-", "être"]
)
PUNCT = st.sampled_from([".", "!", "?", "…", ";", ":", ",", " ?", " !", "", ".2", "»3."])
SPACE = st.sampled_from([" ", " ", " ", "\n", "-\n", "\n\n", "\n ", "  ", "\u00a0", "\n\n\n"])


@st.composite
def messy_text(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 60))):
        parts.append(draw(WORDS))
        parts.append(draw(PUNCT) if draw(st.integers(0, 4)) == 0 else "")
        parts.append(draw(SPACE))
    text = "".join(parts)
    return text if text.strip() else "x"


def front_end(text: str) -> Document:
    return identify(segment(mark_footnotes(structure(ingest_bytes(text.encode("utf-8"), "prop")))))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_text())
def test_no_character_is_lost_or_duplicated_and_spans_are_exact(text):
    doc = front_end(text)
    doc.validate()  # every block/segment text equals the original at its span, repaired by its edits
    assert coverage_errors(doc) == []
    # every repair is recorded: with the edits undone, the blocks give back the original;
    # an interruption_join reads past whole blocks nested after it, and nothing else
    for n, block in enumerate(doc.blocks):
        for edit in block.edits:
            removed = doc.text[edit.span[0]:edit.span[1]]
            if edit.rule == INTERRUPTION:
                nested = [b for b in doc.blocks[n + 1:] if edit.span[0] <= b.span[0] and b.span[1] <= edit.span[1]]
                rest = list(removed)
                for b in nested:
                    for i in range(*b.span):
                        rest[i - edit.span[0]] = " "
                removed = "".join(rest)
                assert nested
            assert set(removed) <= set(" \t\n\u00a0-")
    # the record round-trips
    doc.seal()
    again = Document.from_records(list(doc.iter_records()))
    assert list(again.iter_records()) == list(doc.iter_records())


@settings(max_examples=300, deadline=None)
@given(messy_text(), st.sampled_from(["fr", "ru", "en", "latin"]))
@example("révolution " * 17 + "révolution. Mr. révolution. révolution. ", "fr")  # found by a CI run
def test_segmenting_a_sentence_again_changes_nothing(text, lang):
    # under its block's decision on lowercase sentence starts (a property of the writer,
    # which one sentence alone may not show)
    from pipeline.frontend.segment import _writes_lowercase_starts

    flat = " ".join(text.split())
    writer = _writes_lowercase_starts(flat, lang)
    for s, e in split_sentences(flat, lang):
        sentence = flat[s:e]
        assert [sentence[a:b] for a, b in split_sentences(sentence, lang, writer)] == [sentence]


def test_time_grows_linearly_and_a_10_mb_line_comes_out_in_translatable_pieces():
    words = "révolution peuple soviets camarades le la de mot".split()

    def line(n: int) -> str:
        text = " ".join(words)
        return (text + " ") * (n // (len(text) + 1)) + text[: n % (len(text) + 1)]

    def seconds(n: int) -> float:
        text = line(n)
        t0 = time.perf_counter()
        front_end(text)
        return time.perf_counter() - t0

    small, large = min(seconds(500_000) for _ in range(2)), min(seconds(2_000_000) for _ in range(2))
    assert large / small < 8, (small, large)  # 4x the input; quadratic would be ~16x

    doc = front_end(line(10_000_000))
    segments = list(doc.segments)
    assert all(len(s.text) <= MAX_SEGMENT_CHARS and "forced_split" in s.flags for s in segments)
    assert sum(len(s.text) for s in segments) + len(segments) - 1 == 10_000_000


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60)
       | st.text(alphabet="abcé ÉЖжй’«»—…\u00a0\u202f²½Ⅻ\u0301五٠😀-_.,1", max_size=60))
def test_script_counts_are_the_letters_a_pattern_finds(text):
    # the counting takes shortcuts (bytes, isalpha); the definition is the pattern's
    import re

    from pipeline.scripts import script_counts

    letters = re.findall(r"[^\W\d_]", text)
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    assert script_counts(text) == (cyrillic, len(letters) - cyrillic)


PIECES = st.lists(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30)
                  | st.text(alphabet="abcé ÉЖжй’«»—…\u00a0\u202f²½\u0301😀-_.,1\x00", max_size=30)
                  | st.lists(st.sampled_from(["the", "The", "THE", "le", "LE", "l'homme", "L’homme", "été", "Millière", "Mr", "M.",
                                              "Mme", "Reid", "\x00", "a\x00b", "«de»", "IN", "x", "<sup>1</sup>", "http://a.fr"]),
                             max_size=8).map(" ".join), max_size=6)


@settings(max_examples=400, deadline=None)
@given(PIECES)
def test_counting_many_texts_together_counts_each_as_alone(texts):
    # letters and function words are counted over a document's texts joined: each text
    # must get what it gets alone, whatever it holds (the separator itself included)
    from pipeline.frontend.function_words import (VOTE_CHARS, _EN_TITLE, _FR_TITLE, _word_vote, function_word_votes,
                                         function_word_votes_many)
    from pipeline.frontend.langid import _script_counts, _script_counts_many
    from pipeline.scripts import script_counts, script_counts_many

    assert script_counts_many(texts) == [script_counts(t) for t in texts]
    assert _script_counts_many(texts) == [_script_counts(t) for t in texts]

    def by_definition(text):  # each token alone (acronyms count where all is in capitals), and the titles
        text = text[:VOTE_CHARS]
        votes = [_word_vote(raw, text == text.upper()) for raw in text.split()]
        return votes.count(1) + len(_EN_TITLE.findall(text)), votes.count(2) + len(_FR_TITLE.findall(text))

    alone = [by_definition(t) for t in texts]
    assert function_word_votes_many(texts) == alone == [function_word_votes(t) for t in texts]
    assert function_word_votes_many(texts + ["le the"]) == alone + [(1, 1)]


GLUED = st.lists(st.sampled_from(list("ab xZ.,;:!?»”\"’)]>-<[ 0123456789\u00a0\u202fé") + ["2017", "1871", "3,500", "<sup>", "</sup>", "[12]", "May ", "д", "١٢"]),
                 max_size=40).map("".join)


@settings(max_examples=600, deadline=None)
@given(GLUED)
@example("ex.:6\u202f20170?")  # "6 201" and note 70 hides the run "20170": finditer goes on after a match
def test_glued_note_numbers_are_what_the_patterns_find_scanning(text):
    # the patterns are tried where runs of digits start only; the definition is finditer's
    from pipeline.frontend.footnotes import _AFTER_LETTER, _AFTER_NUMBER, _AFTER_PUNCT, _digit_run_starts
    from pipeline.frontend.scan import matches_at

    for pattern in (_AFTER_LETTER, _AFTER_PUNCT, _AFTER_NUMBER):
        assert [m.span(1) for m in matches_at(pattern, text, _digit_run_starts(text))] == [m.span(1) for m in pattern.finditer(text)]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(list("ab AB-_.,'\n1é") + ["ab-", "-ab", "--", "Σ", "İ", "ß", "ǅ"]), max_size=40).map("".join),
       st.lists(st.text(alphabet="ab-.é1_", max_size=6), max_size=4))
def test_words_counted_on_demand_are_the_whole_texts_tokens(text, asked):
    # the dehyphenation's vocabulary counts only what it is asked; the definition is the
    # count over every token of the lowercased text
    from pipeline.frontend.structure import _Vocabulary, _vocabulary

    every = _vocabulary(text)
    on_demand = _Vocabulary(text)
    for word in list(every) + asked:
        assert on_demand[word] == every[word], word


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(list("aB .!?…):;=-(DP\u00a0\n»”\"’]1") + ["...", "😍", "❤\ufe0f", "))", ":)", ";-)", "=D", "Fin.2 "]), max_size=40).map("".join))
def test_sentence_boundaries_are_what_the_pattern_finds_scanning(text):
    # the pattern is tried where its first character stands only; the definition is finditer's
    from pipeline.frontend.segment import _BOUNDARY, _boundaries

    assert [m.span() for m in _boundaries(text)] == [m.span() for m in _BOUNDARY.finditer(text)]
