"""Which model each sentence goes to: function words first; where they leave doubt, lingua
for long pieces and word frequencies for short ones (accuracy over FLORES dev:
bench/routing_bench.py)."""

import subprocess
import sys

from conftest import ROOT, seed_path

from pipeline.frontend import prepare_text
from pipeline.frontend import wordfreqs
from pipeline.frontend.function_words import function_word_votes
from pipeline.frontend.langid import word_frequency_votes


def _langs(text: str) -> list[tuple[str, str]]:
    return [(s.lang, s.text) for s in prepare_text(text).content_segments()]


def test_an_english_sentence_inside_french_goes_nowhere_and_a_french_one_inside_english_goes_to_french():
    fr = "Le chat dort sur le canapé depuis ce matin, et personne ne le dérange. This is an English sentence. Il se réveille enfin vers midi."
    assert [lang for lang, _ in _langs(fr)] == ["fr", "en", "fr"]
    en = "The cat has slept on the sofa since this morning, and nobody disturbs it. C'est la vie. It wakes up at noon."
    assert [lang for lang, _ in _langs(en)] == ["en", "fr", "en"]


def test_one_and_two_word_passages_go_by_their_function_words_and_day_names():
    # before these words were listed, each of these passages took its paragraph's language
    host_fr = "Le chat dort sur le canapé depuis ce matin. {} Il se réveille enfin vers midi."
    for passage in ("Despite everything.", "Maybe.", "On Monday.", "Moreover, nothing."):
        assert [lang for lang, _ in _langs(host_fr.format(passage))] == ["fr", "en", "fr"], passage
    host_en = "The cat has slept on the sofa since this morning. {} It wakes up at noon."
    for passage in ("Cependant.", "Parmi lesquels.", "Mercredi.", "Quand soudain."):
        assert [lang for lang, _ in _langs(host_en.format(passage))] == ["en", "fr", "en"], passage
    # words of both languages stay no evidence: "Pendant." is a jewel in English, "As." an ace in French
    assert function_word_votes("Pendant") == (0, 0) and function_word_votes("As") == (0, 0)


def test_a_quoted_title_is_not_the_language_of_its_sentence():
    text = ("The movement split in two. Originally published as “Sur le contenu du socialisme” in a small review, 1955. "
            "It was read widely.")
    assert [lang for lang, _ in _langs(text)] == ["en", "en", "en"]
    # what is left around a quotation says nothing: the sentence keeps its paragraph's language
    text = "Le débat était vif à la fin de la guerre. Carr constate : « le paradoxe est là ». La suite le montra."
    assert [lang for lang, _ in _langs(text)] == ["fr", "fr", "fr"]


def test_names_and_acronyms_are_no_evidence():
    assert function_word_votes("BLT1606EN vF.pdf (529.02 KB)") == (0, 0)
    assert function_word_votes("IN THE END") == (2, 0)  # all in capitals: words again
    assert function_word_votes("Millière was here") == (2, 0)  # an accented name is not French
    assert function_word_votes("M. Reid") == (0, 1) and function_word_votes("Mr Reid") == (1, 0)  # the titles are
    text = "Le livre est paru chez un petit éditeur à Paris. Jean-Philippe Divès. Il a été réédité deux fois."
    assert [lang for lang, _ in _langs(text)] == ["fr", "fr", "fr"]


def test_a_plain_french_text_never_loads_lingua():
    code = ("import pipeline.frontend.langid as L; from pipeline.frontend import prepare; "
            f"prepare({str(seed_path('003'))!r}); print(L._detector.cache_info().currsize)")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()
    assert loaded == "0"  # every sentence was decided by its function words (or inherited)


def test_short_passages_without_function_words_go_by_how_often_each_language_writes_their_words():
    # with langid/4 each of these took its paragraph's language (no function word, and
    # lingua was asked only where the spelling hinted at the other language)
    host_fr = "Le chat dort sur le canapé depuis ce matin. {} Il se réveille enfin vers midi."
    for passage in ("Scientists.", "Typical.", "Helicopters.", "Passengers.", "Tornadoes."):
        assert [lang for lang, _ in _langs(host_fr.format(passage))] == ["fr", "en", "fr"], passage
    host_en = "The cat has slept on the sofa since this morning. {} It wakes up at noon."
    for passage in ("Santé.", "Nouvelles.", "Aujourd’hui."):
        assert [lang for lang, _ in _langs(host_en.format(passage))] == ["en", "fr", "en"], passage
    # a passage written twice in a document (a paragraph of its own, then a sentence) is
    # voted on once, and goes by its words both times (once, the remembered vote lost
    # that the second was not a quotation)
    for passage in ("Scientists.", "Helicopters."):
        text = f"Le chat dort sur le canapé depuis ce matin.\n\n{passage}\n\nIl se réveille enfin vers midi. {passage} Puis il se rendort.\n"
        assert [lang for lang, _ in _langs(text)] == ["fr", "en", "fr", "en", "fr"], passage
    # names and words both languages write keep their paragraph's language, and so do
    # file names, acronyms and letters ("vF", "EN", "lu" and "a" are frequent French words)
    for passage in ("Police.", "Nadal.", "Architecture.", "Former.", "BLT1606EN vF.pdf (529 KB).", "LU."):
        assert [lang for lang, _ in _langs(host_fr.format(passage))] == ["fr", "fr", "fr"], passage
        assert [lang for lang, _ in _langs(host_en.format(passage))] == ["en", "en", "en"], passage
    # letters spelled out and short words in capitals are no evidence either
    assert word_frequency_votes(["- U P D A T E D -", "LU -M", "BREAKING NEWS"], ["en", "en", "fr"])[:2] == [None, None]
    assert word_frequency_votes(["BREAKING NEWS"], ["fr"])[0][0] == "en"


def test_the_word_lists_read_directly_are_wordfreqs_own():
    from wordfreq import get_frequency_list, zipf_frequency

    for lang in ("en", "fr"):
        ours, theirs = wordfreqs.frequency_bins(lang), get_frequency_list(lang, wordfreqs.WORDLIST)
        assert len(ours) == len(theirs) and all(a == b for a, b in zip(ours, theirs))
        words = {"the", "les", "scientists", "santé", "nadal", "qwxzv"}
        expected = {w: zipf_frequency(w, lang, wordfreqs.WORDLIST) for w in words if zipf_frequency(w, lang, wordfreqs.WORDLIST) > 0}
        wordfreqs._scanned.discard(lang)
        # the first question scans the bins, the next ones read an index: the same answers
        assert wordfreqs.zipf_frequencies(lang, words) == expected == wordfreqs.zipf_frequencies(lang, words)
        assert "qwxzv" not in expected and wordfreqs.rarest_zipf(lang) <= min(expected.values())


def test_remembered_token_votes_are_the_votes_even_when_the_memory_is_emptied(monkeypatch):
    import pipeline.frontend.function_words as votes

    # the second text shares tokens with the first: remembered, then forgotten with the rest
    texts = ["The cat has slept on the sofa since this morning.", "since this morning, the sofa", "Le chat dort sur le canapé depuis ce matin.",
             "L’homme qu’il a vu", "IN THE END", "Millière was here", "M. Reid et Mr Reid", "the the le le"]
    expected = [(5, 0), (3, 0), (0, 6), (0, 2), (2, 0), (2, 0), (1, 2), (2, 2)]
    assert [function_word_votes(t) for t in texts] == expected
    monkeypatch.setattr(votes, "MEMO_TOKENS", 3)  # emptied at almost every text
    votes._VOTE_OF_TOKEN.clear()
    assert [function_word_votes(t) for t in texts] == expected
    assert len(votes._VOTE_OF_TOKEN) <= 10
