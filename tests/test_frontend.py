"""Structure, language identification and segmentation on the real seed texts."""

import pytest

from pipeline import prepare
from pipeline.doc import INTERRUPTION, Document
from conftest import SEED_LANGS, seed_path


def coverage_errors(doc: Document) -> list[str]:
    """Every non-space character: in exactly one block; if not junk, in exactly one segment.

    A block does not hold what its interruption_join edits read past (a footer or note
    nested inside it, which holds those characters itself)."""
    block_hits = [0] * len(doc.text)
    seg_hits = [0] * len(doc.text)
    junk = [False] * len(doc.text)
    for block in doc.blocks:
        # (its own line-end hyphen, which such an edit may also remove, it does hold)
        skipped = {i for e in block.edits if e.rule == INTERRUPTION for i in range(e.span[0] + (doc.text[e.span[0]] == "-"), e.span[1])}
        for i in range(*block.span):
            if i in skipped:
                continue
            block_hits[i] += 1
            junk[i] = block.kind == "junk"
        for seg in block.segments:
            for i in range(*seg.span):
                if i not in skipped:
                    seg_hits[i] += 1
    errors = []
    for i, ch in enumerate(doc.text):
        if ch.isspace():
            continue
        if block_hits[i] != 1:
            errors.append(f"char {i} {ch!r} in {block_hits[i]} blocks")
        elif not junk[i] and seg_hits[i] != 1:
            errors.append(f"char {i} {ch!r} in {seg_hits[i]} segments: {doc.text[max(0, i - 30) : i + 30]!r}")
    return errors


@pytest.mark.parametrize("prefix", sorted(SEED_LANGS))
def test_every_character_lies_in_exactly_one_segment(prefix):
    doc = prepare(seed_path(prefix))
    doc.validate()
    assert coverage_errors(doc) == []


@pytest.mark.parametrize("prefix,lang", sorted(SEED_LANGS.items()))
def test_document_language(prefix, lang):
    assert prepare(seed_path(prefix)).lang == lang


def test_english_abstract_inside_russian_article_is_english():
    doc = prepare(seed_path("004"))
    abstract = next(b for b in doc.blocks if b.text.startswith("Abstract."))
    assert abstract.lang == "en"
    assert all(seg.lang == "en" for seg in abstract.segments)
    annotation = next(b for b in doc.blocks if b.text.startswith("Аннотация."))
    assert {seg.lang for seg in annotation.segments} == {"ru"}


def test_pdf_line_end_hyphenation_is_repaired_and_recorded():
    doc = prepare(seed_path("004"))
    text = " ".join(b.text for b in doc.blocks)
    assert "Социалистической (СП)" in text
    assert "Ж.-Л. Меланшон" in text  # the hyphen of initials stays
    assert "Социалисти-" not in text
    rules = {e.rule for b in doc.blocks for e in b.edits}
    assert {"dehyphenate", "line_join"} <= rules


def test_a_sentence_cut_by_a_footer_or_a_note_is_joined_and_the_note_kept(tmp_path):
    # seed 001: "…a violent adventur-" / "---" / an unnumbered note / "ism unrelated…"
    doc = prepare(seed_path("001"))
    sentences = [s.text for s in doc.segments]
    assert any("a violent adventurism unrelated to a consistent revolutionary strategy." in s for s in sentences)
    assert not any(s.startswith("ism unrelated") for s in sentences)
    joined = next(b for b in doc.blocks if b.meta.get("interrupted_by"))
    after = doc.blocks[doc.blocks.index(joined) + 1 : doc.blocks.index(joined) + 3]
    assert [b.kind for b in after] == ["meta", "paragraph"] and after[1].text.startswith("Originally published")
    assert all(joined.span[0] < b.span[0] and b.span[1] < joined.span[1] for b in after)
    doc.validate()
    assert coverage_errors(doc) == []
    # a Russian PDF page: the running footer and a page number between the two halves
    (tmp_path / "ru.txt").write_text(
        "Партия выступила против реформы и объявила о том, что её кандидаты в парламент не будут под-\n\n"
        "[1] Заявление партии от 3 мая.\n\n— 12 —\n\n"
        "держивать правительство ни при каких условиях.\n\nЭто решение было принято единогласно.\n",
        encoding="utf-8",
    )
    ru = prepare(tmp_path / "ru.txt")
    assert [s.text for s in ru.segments][0] == (
        "Партия выступила против реформы и объявила о том, что её кандидаты в парламент не будут "
        "поддерживать правительство ни при каких условиях.")
    ru.validate()
    assert coverage_errors(ru) == []
    # the next page's running header (it reads as a heading) and its number, mid-word
    (tmp_path / "ru2.txt").write_text(
        "После долгих споров на съезде, который продолжался три дня и собрал\n"
        "делегатов от всех федераций страны, руководство приняло решение.\n"
        "Партия выступила против реформы, которую правительство внесло в парламент\n"
        "весной, когда стало ясно, что большинство депутатов её не поддержит,\n"
        "и объявила о том, что её кандидаты на выборах в Национальное собрание\n"
        "не будут под-\n\n"
        "СОЦИАЛИСТИЧЕСКАЯ ПАРТИЯ ФРАНЦИИ\n\n13\n\n"
        "держивать правительство ни при каких условиях, даже если оно пойдёт\n"
        "на уступки профсоюзам и откажется от самых спорных статей закона.\n",
        encoding="utf-8",
    )
    ru2 = prepare(tmp_path / "ru2.txt")
    assert any("не будут поддерживать правительство ни при каких условиях, даже" in s.text for s in ru2.segments)
    assert [b.text for b in ru2.blocks][1:] == ["СОЦИАЛИСТИЧЕСКАЯ ПАРТИЯ ФРАНЦИИ", "13"]
    # no hyphen, only the page number between: joined with a space
    (tmp_path / "fr.txt").write_text(
        "Le congrès s'est tenu à Lyon pendant trois jours, et les délégués\n"
        "de toutes les fédérations ont débattu longuement de la stratégie\n"
        "à adopter pour les élections du printemps prochain, avant que\n"
        "la direction ne présente une motion qui a été adoptée par une\n"
        "large majorité des mandats, malgré l'opposition de l'aile gauche\n\n"
        "— 12 —\n\n"
        "qui réclamait une rupture nette avec la politique du gouvernement.\n"
        "Le vote a eu lieu dans la nuit.\n",
        encoding="utf-8",
    )
    fr = prepare(tmp_path / "fr.txt")
    assert [s.text for s in fr.segments][-3:] == [
        "Le congrès s'est tenu à Lyon pendant trois jours, et les délégués de toutes les fédérations ont débattu longuement de "
        "la stratégie à adopter pour les élections du printemps prochain, avant que la direction ne présente une motion qui a "
        "été adoptée par une large majorité des mandats, malgré l'opposition de l'aile gauche qui réclamait une rupture nette "
        "avec la politique du gouvernement.",
        "Le vote a eu lieu dans la nuit.",
        "— 12 —",
    ]
    assert fr.blocks[1].kind == "meta" and fr.blocks[1].meta["note"] == "page_number"


def test_a_paragraph_that_ends_its_sentence_is_not_joined_across_a_note(tmp_path):
    (tmp_path / "fr.txt").write_text(
        "La réforme a été votée en 2019.\n\n---\n\n1. Voir le Journal officiel.\n\n"
        "le lendemain, la grève commença.\n",
        encoding="utf-8",
    )
    doc = prepare(tmp_path / "fr.txt")
    assert not any(b.meta.get("interrupted_by") for b in doc.blocks)
    assert [s.text for s in doc.segments][-1] == "le lendemain, la grève commença."


def test_web_navigation_is_junk_and_kept_in_the_record():
    doc = prepare(seed_path("003"))
    junk = [b.text for b in doc.blocks if b.kind == "junk"]
    assert "Newsletter" in junk and "Lire plus..." in junk and "Tweeter Facebook" in junk
    kept = " ".join(b.text for b in doc.blocks if b.kind != "junk")
    assert "Ainsi s’exprimait Lénine" in kept


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        ("В 1924 г. выборы выиграл Левый картель. Коммунисты пробыли там недолго, до 1984 г. В 1997 г. всё изменилось.", "ru",
         ["В 1924 г. выборы выиграл Левый картель.", "Коммунисты пробыли там недолго, до 1984 г.", "В 1997 г. всё изменилось."]),
        ("Для них Ж.-Л. Меланшон не ассоциируется с объединителем типа Ф. Миттерана. Правительство Э. Макрона ушло.", "ru",
         ["Для них Ж.-Л. Меланшон не ассоциируется с объединителем типа Ф. Миттерана.", "Правительство Э. Макрона ушло."]),
        ("M. Dupont est arrivé. Mme Durand aussi, voir p. 12. Elle est partie !", "fr",
         ["M. Dupont est arrivé.", "Mme Durand aussi, voir p. 12.", "Elle est partie !"]),
        ("«Camarades travailleurs ! Rappelez-vous. » Ainsi s’exprimait Lénine.", "fr",
         ["«Camarades travailleurs !", "Rappelez-vous. »", "Ainsi s’exprimait Lénine."]),
        ("Mr. Smith met Dr. Jones, e.g. at noon. They left.", "en", ["Mr. Smith met Dr. Jones, e.g. at noon.", "They left."]),
    ],
)
def test_sentence_splitting(text, lang, expected):
    from pipeline.frontend.segment import split_sentences

    assert [text[s:e] for s, e in split_sentences(text, lang)] == expected


def test_an_overlong_run_is_cut_and_flagged_not_truncated():
    from pipeline.readers.text import ingest_bytes
    from pipeline.frontend.langid import identify
    from pipeline.frontend.segment import MAX_SEGMENT_CHARS, segment
    from pipeline.frontend.structure import structure

    text = " ".join(["mot"] * 3000)
    doc = identify(segment(structure(ingest_bytes(text.encode(), "long"))))
    segs = list(doc.segments)
    assert len(segs) > 1 and all(len(s.text) <= MAX_SEGMENT_CHARS for s in segs)
    assert all("forced_split" in s.flags for s in segs)
    assert " ".join(s.text for s in segs) == text


def test_a_line_end_hyphen_before_trailing_spaces_is_decided_by_the_words_of_the_text(tmp_path):
    # "e- " at a line end (a PDF extractor left a space after the hyphen): the text writes
    # "e-mail" elsewhere, so the hyphen stays; once, this document's words were only
    # counted where a hyphen stood right before the line break, and "email" came out
    lines = [
        "Nous avons reçu votre message par e-mail hier soir et nous",
        "vous répondons dès que possible, car votre adresse e- ",
        "mail ne fonctionnait plus depuis la semaine dernière et",
        "nous voulions vous prévenir avant la fin de cette longue",
        "journée de travail qui nous a tous beaucoup fatigués",
        "aujourd'hui.",
    ]
    path = tmp_path / "lettre.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = prepare(path)
    [block] = [b for b in doc.blocks if "adresse" in b.text]
    assert "adresse e-mail ne fonctionnait" in block.text
    kept = [e for e in block.edits if e.rule == "hyphen_kept"]
    assert len(kept) == 1 and "'e-mail' occurs 1x elsewhere" in kept[0].note


# -- bylines: a name alone on a line at the top or closing the text is no heading -------------
def _kinds(tmp_path, lang: str, text: str) -> dict[str, str]:
    """Each block's first sentence -> its kind, through ``diptych segment --jsonl``."""
    import json

    from conftest import diptych

    src = tmp_path / "in.txt"
    src.write_text(text, encoding="utf-8")
    proc = diptych("segment", "--jsonl", "--lang", lang, str(src))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    return {row["text"]: row["kind"] for row in rows}


FR_BODY = "La révolution commence ici, dans la capitale. Elle continue ensuite dans les villes.\n\n"
RU_BODY = "Революция начинается здесь, в столице. Она продолжается потом в городах.\n\n"


@pytest.mark.parametrize("lang, text, name", [
    ("fr", "Titre de l’article\n\nJean-Philippe Divès\n\n" + FR_BODY, "Jean-Philippe Divès"),  # under the title
    ("fr", "Jean-Philippe Divès\n\n" + FR_BODY, "Jean-Philippe Divès"),  # at the very top
    ("fr", "Titre de l’article\n\nJ.-P. Sartre\n\n" + FR_BODY, "J.-P. Sartre"),
    ("fr", FR_BODY + "Jean-Philippe Divès\n\n \n\n  • 1.6 novembre dans l’ancien calendrier.\n\n  • 2.Les textes.\n", "Jean-Philippe Divès"),
    ("fr", FR_BODY + "Charles de Gaulle\n\nNotes\n\n1. Voir Carr.\n", "Charles de Gaulle"),  # closing, before the notes
    ("fr", FR_BODY + "Ludwig van Beethoven\n", "Ludwig van Beethoven"),  # closing the text
    ("fr", "Titre de l’article\n\nMarie-Claire DUPONT\n\n" + FR_BODY, "Marie-Claire DUPONT"),
    ("ru", "Заголовок статьи\n\nЛев Давидович Троцкий\n\n" + RU_BODY, "Лев Давидович Троцкий"),
    ("ru", RU_BODY + "Ж.-Л. Меланшон\n\nПримечания\n\n1. См. Карр.\n", "Ж.-Л. Меланшон"),
    ("ru", RU_BODY + "Анна Ивановна Петрова\n", "Анна Ивановна Петрова"),
])
def test_a_name_alone_where_an_author_signs_is_a_byline(tmp_path, lang, text, name):
    assert _kinds(tmp_path, lang, text)[name] == "byline"


@pytest.mark.parametrize("lang, text, heading", [
    ("fr", FR_BODY + "Rosa Luxemburg\n\n" + FR_BODY.replace("ici", "là"), "Rosa Luxemburg"),  # a section about her
    ("fr", "Conclusion générale\n\n" + FR_BODY, "Conclusion générale"),
    ("fr", "Les Acteurs De La Révolution\n\n" + FR_BODY, "Les Acteurs De La Révolution"),
    ("fr", "The Russian Revolution\n\n" + FR_BODY, "The Russian Revolution"),
    ("fr", "Lénine et Trotsky\n\n" + FR_BODY, "Lénine et Trotsky"),
    ("fr", "Révolution Villes\n\n" + FR_BODY, "Révolution Villes"),  # words the text writes in lowercase
    ("fr", "1917-1924 : apogée et déclin de la révolution\n\n" + FR_BODY, "1917-1924 : apogée et déclin de la révolution"),
    ("fr", "JEAN DUPONT\n\n" + FR_BODY, "JEAN DUPONT"),  # capitals only: a title as likely as a name
    ("fr", "Introduction\n\n" + FR_BODY, "Introduction"),
    ("ru", "Революция В Городах\n\n" + RU_BODY, "Революция В Городах"),
    ("ru", RU_BODY + "Лев Троцкий\n\n" + RU_BODY.replace("здесь", "там"), "Лев Троцкий"),
    ("ru", "Введение\n\n" + RU_BODY, "Введение"),
])
def test_a_heading_that_is_no_bare_name_where_an_author_signs_stays_a_heading(tmp_path, lang, text, heading):
    assert _kinds(tmp_path, lang, text)[heading] == "heading"


def test_a_byline_in_latin_script_is_not_sent_to_the_model_and_a_cyrillic_one_is(tmp_path):
    from conftest import diptych
    from pipeline.doc import Document
    from pipeline.translation.stage import pending_segments

    for lang, text, name, sent in (("fr", "Titre de l’article\n\nJean-Philippe Divès\n\n" + FR_BODY, "Jean-Philippe Divès", False),
                                   ("ru", "Заголовок статьи\n\nЛев Давидович Троцкий\n\n" + RU_BODY, "Лев Давидович Троцкий", True)):
        src, rec = tmp_path / f"{lang}.txt", tmp_path / f"{lang}.jsonl"
        src.write_text(text, encoding="utf-8")
        assert diptych("segment", "--lang", lang, "--record", str(rec), str(src)).returncode == 0
        doc = Document.load(rec)
        pending = [s.text for s in pending_segments(doc)]
        assert (name in pending) is sent and len(pending) >= 3  # the title and the text are sent
