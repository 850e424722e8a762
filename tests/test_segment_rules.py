"""The segmenter's rules one by one, each with the case it must not break (the UD dev sets
and the seeds' gold measure them together: bench/segment_bench.py)."""

import pytest

from pipeline.frontend import prepare_text
from pipeline.frontend.segment import split_sentences


def _split(text: str, lang: str = "latin") -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, lang)]


@pytest.mark.parametrize("text, expected", [
    # an acronym written without periods is a word, not initials
    ("Quatrièmement, les ONG. Le plan d'action continue.", ["Quatrièmement, les ONG.", "Le plan d'action continue."]),
    ("He spoke to ENA. However, he also said no.", ["He spoke to ENA.", "However, he also said no."]),
    # initials still hold
    ("J.-P. Sartre vint. M. Dupont resta.", ["J.-P. Sartre vint.", "M. Dupont resta."]),
    ("Rencontre avec A. S. Pouchkine ce soir.", ["Rencontre avec A. S. Pouchkine ce soir."]),
])
def test_acronyms_end_sentences_and_initials_do_not(text, expected):
    assert _split(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Такие вы клевые😍😍 Пока не уехали из Вунгтау.", ["Такие вы клевые😍😍", "Пока не уехали из Вунгтау."]),
    ("спасибо вам!🙈 @screened-206 отлично!", ["спасибо вам!🙈", "@screened-206 отлично!"]),
    ("бывает )) После того, как посетил.", ["бывает ))", "После того, как посетил."]),
    ("Супер :D Отличный снимок.", ["Супер :D", "Отличный снимок."]),
    # inside a sentence: lowercase or a number follows
    ("J'adore ❤️ la ville et ses rues.", ["J'adore ❤️ la ville et ses rues."]),
    ("Le score (voir 2)) reste bas.", ["Le score (voir 2)) reste bas."]),
])
def test_emoji_and_smileys_end_sentences_before_a_capital_or_a_reply(text, expected):
    assert _split(text, "ru" if "а" in text or "у" in text else "latin") == expected


def test_a_dash_after_a_full_stop_opens_an_item_but_not_after_a_question():
    assert _split("Suivez l'avis de votre médecin. - si vous êtes allergique, dites-le.") == [
        "Suivez l'avis de votre médecin.", "- si vous êtes allergique, dites-le."]
    # the Russian incise: speech ending in ! or ? and the author's words after a dash
    assert _split("— Идём! — крикнул он. — Пойдём домой.", "ru") == ["— Идём! — крикнул он.", "— Пойдём домой."]


def test_lowercase_sentence_starts_only_where_the_writer_writes_so():
    chat = "max and jen are looking for you. call them at 303-832-8160. they haven't heard from you in a while."
    assert _split(chat) == ["max and jen are looking for you.", "call them at 303-832-8160.", "they haven't heard from you in a while."]
    assert _split("you love it when i come over. i satisfy your appetite, right? why not") == [
        "you love it when i come over.", "i satisfy your appetite, right?", "why not"]
    # questions and exclamations followed by lowercase, by a writer who writes so
    assert _split("are you kidding? why would you want a chihuahua? those dogs aren't even friendly.") == [
        "are you kidding?", "why would you want a chihuahua?", "those dogs aren't even friendly."]
    # ... but a French incise goes on with the sentence, whoever writes it
    assert _split("tu viens ? demanda-t-il. non ! s'écria-t-elle. bon. on y va. pourquoi ? se dit-elle.") == [
        "tu viens ? demanda-t-il.", "non ! s'écria-t-elle.", "bon.", "on y va.", "pourquoi ? se dit-elle."]
    assert _split("Tu viens ? demanda-t-il. Pourquoi ? se dit-elle. Il partit. Elle resta.") == [
        "Tu viens ? demanda-t-il.", "Pourquoi ? se dit-elle.", "Il partit.", "Elle resta."]
    # a web address after a full stop stands alone; after an abbreviation or "!" it does not
    assert _split("Well worth a visit. http://food.example.org/ We will go back.") == [
        "Well worth a visit.", "http://food.example.org/ We will go back."]
    assert _split("See e.g. www.example.org for more. Ее подписали! https://chn.ge/2JRea20") == [
        "See e.g. www.example.org for more.", "Ее подписали! https://chn.ge/2JRea20"]
    # edited prose: a period before lowercase belongs to an abbreviation, a question mark to an incise
    assert _split("Voir le chap. premier du livre. Tu viens ? demanda-t-il. Non.") == [
        "Voir le chap. premier du livre.", "Tu viens ? demanda-t-il.", "Non."]
    assert _split("Il est arrivé vers 10 h. à la gare. Il repartit aussitôt.") == [
        "Il est arrivé vers 10 h. à la gare.", "Il repartit aussitôt."]


def test_a_one_line_paragraph_with_sentences_is_not_a_heading():
    doc = prepare_text("Thanks. This is the best solution given all the uncertainties we face. Vince\n\nChapitre 1. La rencontre\n\nLe texte suit ici, long et plat.\n")
    kinds = [(b.kind, [s.text for s in b.segments]) for b in doc.blocks]
    assert kinds[0] == ("paragraph", ["Thanks.", "This is the best solution given all the uncertainties we face.", "Vince"])
    assert kinds[1] == ("heading", ["Chapitre 1. La rencontre"])


def test_short_lines_without_end_punctuation_stay_apart_but_wrapped_prose_is_joined():
    mail = "Hi Debra,\n\nThe contract is attached.\nPlease sign it by Friday\nThanks\nSean\n"
    assert [s.text for s in prepare_text(mail).content_segments()] == [
        "Hi Debra,", "The contract is attached.", "Please sign it by Friday", "Thanks", "Sean"]
    # a text wrapped at a fixed width (here 60 characters): its lines are joined again
    import textwrap

    sentence = ("Le sommet fut atteint au petit matin par une cordée de trois alpinistes venus de Chamonix, "
                "qui redescendirent avant midi sans avoir vu le moindre nuage sur les crêtes voisines.")
    prose = textwrap.fill(" ".join([sentence] * 4), 60) + "\n"
    assert [s.text for s in prepare_text(prose).content_segments()] == [sentence] * 4
