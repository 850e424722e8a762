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


# -- abbreviations by how they are used, ellipses, omission marks, enumerations, dialogue ----------
# Each case: the text and its sentences, "|" between them. Our own sentences, made for each rule.
ENGLISH = [
    # a firm's name ends with Co., Inc., Ltd.: a capital after it starts a sentence
    "The deal was signed with Hale & Co.|Work began the next week.",
    "Shares of Norbright Ltd.|They fell by half.",
    "She founded Wexler Bros. in 1921 and sold it later.",
    "We met Tom and co.|Nobody else came.",
    "Were Anna and co. at the station?",
    "Ask Pindar Corp. (the owner) for a copy.",
    # a dotted acronym: a sentence ends before a closed-class word, a name goes on
    "She moved to the U.K.|Then she found work in Leeds.",
    "He served in the U.S. Navy for a decade.",
    "The talks in the E.U. Council lasted all night.",
    "Prices rose in the U.S.|However, wages did not.",
    # titles before a name never end a sentence
    "We climbed Mt. Rainier in July.",
    "The flight to St. Louis was late.|Ft. Worth was next.",
    "Gov. Mills and Sen. Ortiz spoke first.",
    # a.m. and p.m.: a time that opens the sentence, or one that closes a clause
    "By 9 a.m. Dr. Lee had left the clinic.",
    "The ferry docked at 7 P.M.|Passengers then went ashore.",
    "At 6.30 a.m. Mrs. Bell opened the shop.|She closed it at 5 p.m.|Nobody minded.",
    "The meeting starts at 10 a.m. sharp.",
    # enumerations written on one line
    "1.) Pack the tent|2.) Fill the bottles|3.) Leave at dawn",
    "1) Pack the tent.|2) Fill the bottles.",
    "1. Pack the tent|2. Fill the bottles",
    "a. Read the letter|b. Sign it|c. Send it back",
    "• 4. Check the brakes|• 5. Check the lights",
    "Steps a) and b) come first.",
    "Add 2) to the list.",
    "The scores were 1.5 and 2.5 in the end.",
    "Version 12.4.7 fixes two bugs.|No. 4.2.1.|That one is gone.",
    # a note's number after the full stop, glued or raised, ends the sentence with it
    "This is how it began.¹|The rest followed.",
    "This is how it began.12|The rest followed.",
    # the pronoun I against an initial
    "It was decided by you and I.|Did you call Henry I. Adams?",
    "Ask Mary I. Stone about it.",
    # a citation after a quotation is the sentence's
    'He called it "a sea of troubles." (Hale 214).|Others disagreed.',
    "The poem ends: “and then the dark.” (v. 12–14).|It is short.",
    # spaced ellipses: inside a sentence, before I, four points at a sentence's end
    "It was . . . how shall I put it . . . strange.",
    "I meant to go . . . I simply forgot.",
    "The last page is lost. . . .|The rest survives.",
    "They waited for hours . . .|Then the bus came.",
]
RUSSIAN = [
    # г. after a year ends a sentence before a capital, before a name it is "город"
    "Он родился в 1901 г.|В 1905 году семья переехала в Тверь.",
    "В 1995–1998 гг. Анна жила в г. Самара.",
    "Фирму открыли в г. Казань в мае.",
    "Выборы 2022 г. «Нового союза» прошли тихо.",
    "Это было в 1990-х гг.|Тогда всё менялось.",
    "С 1812 г. Москва отстраивалась заново.",
    # places before a name: пгт., пос., ул., пл., просп., р., оз.
    "Комбинат стоит в пгт. Ижморский на берегу.",
    "Школа находится в пос. Лесной уже сто лет.",
    "Музей открыт на ул. Пушкина, д. 5.",
    "Митинг прошёл на пл. Ленина вечером.",
    "Мы жили на просп. Мира.|Потом переехали.",
    "Лагерь разбили у р. Лена, а не у оз. Байкал.",
    # initials with and without spaces
    "Эти стихи написал А.С.Пушкин.|Он жил давно.",
    "Книгу прочёл Н. В. Гоголь.|Ему понравилось.",
    "Стихи А.С. Пушкина читали вслух.",
    # a century's в.
    "Храм построен в XIX в.|Его перестроили позже.",
    "В XVII в. Россия расширилась на восток.",
    # dialogue in guillemets goes on after the author's words
    "«Ты уже уходишь? – удивился отец. – Ещё рано».",
    "«Не знаю, – сказала она. – Может быть, завтра».|Он кивнул.",
    "Она сказала: «Я приду».|Никто не поверил.",
    # a run of hashtags closes a post
    "Закат над морем #море #отдых #сочи|Приходите к нам летом",
    "Снег выпал#зима#снег|Красота!",
    "Читаем #книги вместе с Анной.",
    # abbreviations before a number or inside a phrase
    "См. рис. 3 и табл. 2 на стр. 40.",
    "Цена выросла до 5 тыс. руб. за тонну.",
]
FRENCH = [
    # an omission mark inside a quotation opened in the sentence
    "« Il fallait agir (…) Nous devions tout reprendre », dit-il.",
    "Il écrit : « La ville dormait […] Personne ne vint » et se tait.",
    "« Nous avons perdu (…) Tout est à refaire », avoua le maire.|Puis il partit.",
    # outside a quotation, a capital after the mark starts a sentence
    "C’est une première chose (…)|Mais ce n’est pas tout.",
    "Il attendit (…) une heure entière.",
    # titles and abbreviations before names and numbers
    "M. Dupont et Mme Durand arrivèrent.|Le dîner commença.",
    "Voir p. 12 et le chap. 3 du t. II.",
    "Le n° 7 et le N°. 8 sont vendus.",
    "Le Dr Martin vint avec Mgr. Roux.",
    # etc. before a capital ends a sentence, before lowercase it goes on
    "On vendait du pain, du vin, etc.|Le marché fermait à midi.",
    "Du pain, du vin, etc. furent servis.",
    # dialogue in guillemets
    "« Viens, dit-elle. — Je ne peux pas », répondit-il.",
    # a spaced ellipsis before lowercase
    "Il hésita . . . puis entra.",
    "Ils partirent à 8 h. du matin.|Le soleil se levait.",
    "Elle cita J.-P. Sartre.|Puis elle se tut.",
    "Il vécut en Suisse (1920-1931).|Il revint ensuite.",
    "1) Lire le texte|2) Le résumer|3) Le commenter",
    "La séance dura de 9 h à 11 h.|Ensuite, on vota.",
    "Quelle affaire ! s’écria-t-il.|Personne ne répondit.",
    "Était-ce vrai ? demanda-t-elle.",
]


@pytest.mark.parametrize("case, lang", [(c, "en") for c in ENGLISH] + [(c, "ru") for c in RUSSIAN] + [(c, "fr") for c in FRENCH])
def test_hard_cases_split_as_a_careful_reader_would(case, lang):
    expected = case.split("|")
    assert _split(" ".join(expected), lang) == expected


def test_each_language_has_twenty_hard_cases_or_more():
    assert min(len(ENGLISH), len(RUSSIAN), len(FRENCH)) >= 20
