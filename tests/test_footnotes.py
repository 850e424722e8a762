"""Footnote markers: glued numbers count only where the document has notes and the number
is the next one expected; explicit markup always counts; markers stay in the text."""

import pytest

from pipeline.footnotes import mark_footnotes, note_number
from pipeline.frontend import prepare
from pipeline.ingest import ingest_bytes
from pipeline.structure import structure


def _marked(text: str):
    return mark_footnotes(structure(ingest_bytes(text.encode("utf-8"), "t")))


def _markers(doc) -> list[tuple[str, int]]:
    return [(m["marker"], m["n"]) for b in doc.blocks for m in b.meta.get("footnote_markers", [])]


@pytest.mark.parametrize("text, expected, n", [
    ("• 9See the appendix.", None, 9),
    ("• 1.6 novembre 2017, Moscou.", None, 1),
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
    from pipeline.footnotes import mark_footnotes as mark
    from pipeline.langid import identify
    from pipeline.segment import segment

    return identify(segment(mark(structure(ingest_bytes(text.encode("utf-8"), "t")))))


def test_the_french_seed_links_all_its_markers(tmp_path):
    from conftest import seed_path

    doc = prepare(seed_path("003"))
    assert doc.meta["footnotes"] == {"notes": 6, "markers": 6}
    refs = [r for s in doc.segments for r in s.footnote_refs]
    assert [r["n"] for r in refs] == [1, 2, 3, 4, 5, 6] and all(r["note"] for r in refs)
