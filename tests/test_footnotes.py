"""Footnote markers: glued numbers count only where the document has notes and the number
is the next one expected; explicit markup always counts; markers stay in the text."""

import pytest

from conftest import diptych
from pipeline.bilingual import translation_input
from pipeline.doc import Document
from pipeline.frontend.footnotes import mark_footnotes, note_number
from pipeline.frontend import prepare
from pipeline.readers.text import ingest_bytes
from pipeline.frontend.structure import structure


def _marked(text: str):
    return mark_footnotes(structure(ingest_bytes(text.encode("utf-8"), "t")))


def _markers(doc) -> list[tuple[str, int]]:
    return [(m["marker"], m["n"]) for b in doc.blocks for m in b.meta.get("footnote_markers", [])]


@pytest.mark.parametrize("text, expected, n", [
    ("• 9See the appendix.", None, 9),
    ("• 1.6 novembre 2017, Moscou.", 1, 1),  # glued to the date: note 1 where 1 is expected
    ("• 1.6 novembre 2017, Moscou.", None, None),  # else a decimal as likely as a label
    ("¹ Voir Carr.", None, 1),
    ("• 1er mai 1917.", None, None),  # an ordinal, not note 1
    ("12. Text of the note.", None, 12),
    ("[3] Text of the note.", None, 3),
    ("<sup>4</sup> Note text.", None, 4),
    ("• 623 November 1917.", 6, 6),  # glued: note 6, "23 November"
    ("Not a note at all.", None, None),
])
def test_note_numbers(text, expected, n):
    assert note_number(text, expected) == n


NOTES = "\n\nNotes\n\n1. Première note.\n\n2. Deuxième note.\n\n3. Troisième note.\n"


def test_glued_numbers_in_order_are_markers_and_stay_in_the_text():
    body = "Carr1 écrit ceci. La révolution.2 Le sommet du G20 a eu lieu le 3 novembre 20173.\n"
    doc = _marked(body + NOTES)
    assert _markers(doc) == [("1", 1), ("2", 2), ("3", 3)]
    assert "Carr1" in doc.blocks[0].text and "20173" in doc.blocks[0].text  # nothing removed


def test_a_number_out_of_order_or_without_notes_is_not_a_marker():
    assert _markers(_marked("Le G20 et Carr4 ici.\n")) == []  # no notes in the document
    # G20 is not the next note expected (1); a year is a year
    assert _markers(_marked("Le G20 se réunit en 1917. Carr1 le dit." + NOTES)) == [("1", 1)]


def test_decimals_and_dates_are_not_markers():
    doc = _marked("L'article 49.3 et le taux de 3,3 ; le 21 mai 1871, Carr1 écrit." + NOTES)
    assert _markers(doc) == [("1", 1)]


def test_explicit_markup_is_always_a_marker_and_links_to_its_note():
    doc = prepare_text("Voir la source<sup>2</sup> et [1] ici.\n" + NOTES)
    refs = [r for s in doc.segments for r in s.footnote_refs]
    assert [(r["marker"], r["n"]) for r in refs] == [("<sup>2</sup>", 2), ("[1]", 1)]
    notes = {b.meta["footnote"]: b.id for b in doc.blocks if b.kind == "footnote"}
    assert all(r["note"] == notes[r["n"]] for r in refs)
    for r in refs:  # the span points at the marker in the document text
        assert doc.text[r["span"][0]:r["span"][1]] == r["marker"]


def prepare_text(text: str):
    from pipeline.frontend.footnotes import mark_footnotes as mark
    from pipeline.frontend.langid import identify
    from pipeline.frontend.segment import segment

    return identify(segment(mark(structure(ingest_bytes(text.encode("utf-8"), "t")))))


def test_the_french_seed_links_all_its_markers(tmp_path):
    from conftest import seed_path

    doc = prepare(seed_path("003"))
    assert doc.meta["footnotes"] == {"notes": 6, "markers": 6}
    refs = [r for s in doc.segments for r in s.footnote_refs]
    assert [r["n"] for r in refs] == [1, 2, 3, 4, 5, 6] and all(r["note"] for r in refs)


# -- a note's own label: kept out of the model, put back in every edition -----------------------
BODY = {"fr": "Le texte de l’article commence ici. Il continue ensuite.\n\nNotes\n\n",
        "ru": "Текст статьи начинается здесь. Он продолжается дальше.\n\nПримечания\n\n"}


def _model_inputs(tmp_path, lang: str, notes: str) -> list[tuple[str, str, str]]:
    """(kind, source, what the model reads) of every segment after the body, through
    ``diptych segment --record``."""
    src, rec = tmp_path / "in.txt", tmp_path / "rec.jsonl"
    src.write_text(BODY[lang] + notes, encoding="utf-8")
    proc = diptych("segment", "--lang", lang, "--record", str(rec), str(src))
    assert proc.returncode == 0, proc.stderr
    doc = Document.load(rec)
    kinds = {b.id: b.kind for b in doc.blocks}
    segments = list(doc.segments)
    after = next(i for i, s in enumerate(segments) if s.text in ("Notes", "Примечания")) + 1
    return [(kinds[s.block], s.text, translation_input(s)) for s in segments[after:]]


@pytest.mark.parametrize("lang, notes, expected", [
    # the case: the label glued to a date, confirmed by the note after it
    ("fr", "• 1.6 novembre 1917, Moscou.\n\n• 2.Les textes du livre.\n", ["6 novembre 1917, Moscou.", "Les textes du livre."]),
    ("fr", "1. 6 novembre 1917, à Moscou.\n\n2. Voir Carr, tome 1.\n", ["6 novembre 1917, à Moscou.", "Voir Carr, tome 1."]),
    ("fr", "1) Voir Carr, tome 1.\n\n2) Voir Trotsky.\n", ["Voir Carr, tome 1.", "Voir Trotsky."]),
    ("fr", "[1] Voir Carr, tome 1.\n\n[2] Voir Trotsky.\n", ["Voir Carr, tome 1.", "Voir Trotsky."]),
    ("fr", "¹ Voir Carr, tome 1.\n\n² Voir Trotsky.\n", ["Voir Carr, tome 1.", "Voir Trotsky."]),
    ("fr", "<sup>1</sup> Voir Carr, tome 1.\n\n<sup>2</sup> Voir Trotsky.\n", ["Voir Carr, tome 1.", "Voir Trotsky."]),
    # bare digits: note 1 and "2 novembre", since the next note is 2
    ("fr", "• 12 novembre 1917, Moscou.\n\n• 2 Voir Carr.\n", ["2 novembre 1917, Moscou.", "Voir Carr."]),
    ("fr", "• 1Voir Carr.\n\n• 2Voir Trotsky.\n", ["Voir Carr.", "Voir Trotsky."]),
    ("ru", "• 1.7 ноября 1917 года, Петроград.\n\n• 2.См. Карр, т. 1.\n", ["7 ноября 1917 года, Петроград.", "См. Карр, т. 1."]),
    ("ru", "1. 7 ноября 1917 года.\n\n2. Там же, с. 3.\n", ["7 ноября 1917 года.", "Там же, с. 3."]),
    ("ru", "[1] См. Троцкий.\n\n[2] Там же.\n", ["См. Троцкий.", "Там же."]),
    ("ru", "¹ См. Троцкий.\n\n² Там же.\n", ["См. Троцкий.", "Там же."]),
])
def test_a_notes_label_is_kept_out_of_what_the_model_reads(tmp_path, lang, notes, expected):
    rows = _model_inputs(tmp_path, lang, notes)
    assert [k for k, _, _ in rows] == ["footnote"] * len(expected)
    assert [model for _, _, model in rows] == expected
    assert all(source.endswith(model) for _, source, model in rows)  # the source keeps its label


@pytest.mark.parametrize("lang, notes, expected", [
    # a lone note: nothing says its 1 is a label rather than the decimal 1.6
    ("fr", "• 1.6 million de morts en 1921.\n", ["1.6 million de morts en 1921."]),
    ("ru", "• 1.6 миллиона погибших в 1921 году.\n", ["1.6 миллиона погибших в 1921 году."]),
    # the sequence breaks: 2 was expected after 1, nothing follows 5
    ("fr", "• 1. Voir Carr.\n\n• 5.2 millions de grévistes.\n", ["Voir Carr.", "5.2 millions de grévistes."]),
    # ordinals are not labels glued to a word
    ("fr", "• 1er mai 1917, grève générale.\n", ["1er mai 1917, grève générale."]),
    ("ru", "• 1-й съезд Советов.\n", ["1-й съезд Советов."]),
])
def test_a_number_the_notes_order_does_not_confirm_stays_in_the_text(tmp_path, lang, notes, expected):
    assert [model for _, _, model in _model_inputs(tmp_path, lang, notes)] == expected


@pytest.mark.parametrize("lang, text", [
    ("fr", "Le PIB a crû de 1.6 % en 2017, puis de 2.1 % en 2018.\n\n1. Voir Carr.\n\n2. Voir Trotsky.\n"),
    ("ru", "Рост составил 1.6 процента в 2017 году и 2.1 в 2018.\n\n1. См. Карр.\n\n2. Там же.\n"),
])
def test_decimals_in_running_text_are_left_whole(tmp_path, lang, text):
    src, rec = tmp_path / "in.txt", tmp_path / "rec.jsonl"
    src.write_text(text, encoding="utf-8")
    assert diptych("segment", "--lang", lang, "--record", str(rec), str(src)).returncode == 0
    first = next(Document.load(rec).segments)
    assert translation_input(first) == first.text and "1.6" in first.text


def test_the_english_editions_keep_every_notes_label_and_the_byline_as_written(tiny_models, offline_env, tmp_path):
    from conftest import TINY_MAX_LENGTH

    src = tmp_path / "article.txt"
    src.write_text("La révolution d’Octobre\n\nJean-Philippe Divès\n\n"
                   "La révolution commence le 7 novembre à Petrograd, dans la capitale.1 Elle continue dans les villes de province.2\n\n"
                   "Notes\n\n• 1.6 novembre dans l’ancien calendrier.\n\n• 2.Les textes du livre de Carr.\n\n[3] Voir Carr, tome 1.\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    proc = diptych("run", str(src), "--model", f"fr={tiny_models['fr']}", "--max-length", TINY_MAX_LENGTH,
                   "--compute-type", "float32", "--out", str(out), env=offline_env)
    assert proc.returncode == 0, proc.stderr
    for suffix, bullet in ((".en.txt", "• "), (".en.md", "• ")):
        paragraphs = (out / "article" / f"article{suffix}").read_text(encoding="utf-8").split("\n\n")
        notes = [p for p in paragraphs if p.startswith((bullet, "[3]"))]
        assert [p[: len(bullet) + 3] for p in notes[:2]] == [f"{bullet}1. ", f"{bullet}2. "] and notes[2].startswith("[3] "), notes
        assert all(len(p) > len(bullet) + 3 for p in notes)  # an English text after each label
        # the byline is a name: as written, and no heading
        assert "Jean-Philippe Divès" in paragraphs and not any(p.startswith("#") and "Divès" in p for p in paragraphs)
