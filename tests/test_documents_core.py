"""What every document reader shares: blocks taken as the reader gives them, with their
place in the file; repairs inside them; the original kept for the formats that write it back."""

import hashlib

import pytest

from conftest import diptych
from pipeline.doc import Document
from pipeline.errors import InputError
from pipeline.frontend import prepare_text, run_stages
from pipeline.readers.layout import LayoutText


def _page(n: int) -> dict:
    return {"label": f"p. {n}", "page": n}


def _book() -> Document:
    lt = LayoutText()
    lt.add("Chapitre premier", kind="heading", location=_page(1), level=1)
    lt.add(["Le ﬁlm commença à l'heure où la ville s'endor-", "mait lentement. Il était une fois un hom\u00ad",
            "me qui rêvait¹ de partir"], location=_page(1), continues=True)
    lt.add("¹ Une note en bas de page.", kind="footnote", location=_page(1))
    lt.add("12", kind="meta", location=_page(1))
    lt.add("LE FILM", kind="junk", location=_page(2))
    lt.add("Vers la mer. Et voilà une surface de 3 m² seulement.", location=_page(2))
    return lt.document("book", data=b"%PDF-1.7 bytes", origin="book.pdf", reader="pdf", version="pdf/1", library="test-0")


def test_a_reader_s_blocks_are_taken_as_given_with_their_place_and_repairs():
    doc = run_stages(_book())
    doc.validate()
    kinds = [(b.kind, b.meta["location"]["label"]) for b in doc.blocks]
    assert kinds == [("heading", "p. 1"), ("paragraph", "p. 1"), ("footnote", "p. 1"), ("meta", "p. 1"), ("junk", "p. 2")]
    body = doc.blocks[1]
    # the paragraph ran on past the page: the notes, page number and running header between are no limit
    assert body.text == ("Le film commença à l'heure où la ville s'endormait lentement. Il était une fois un homme "
                         "qui rêvait¹ de partir Vers la mer. Et voilà une surface de 3 m² seulement.")
    assert {"ligature", "dehyphenate", "soft_hyphen", "interruption_join"} <= {e.rule for e in body.edits}
    assert body.meta["layout"] == 1 and body.meta["layout_end"] == 5
    # the raised marker is linked to its note; the unit's superscript is no marker
    markers = body.meta["footnote_markers"]
    assert [(m["marker"], m["note"]) for m in markers] == [("¹", doc.blocks[2].id)]
    assert doc.provenance["ingest"] == {"version": "pdf/1", "reader": "pdf", "library": "test-0"}


def test_a_text_is_read_as_before_and_its_ligatures_are_letters():
    doc = prepare_text("Une ﬁn heu\u00adreuse.\n", lang="fr")
    assert [s.text for s in doc.segments] == ["Une fin heureuse."]
    assert "location" not in doc.blocks[0].meta and doc.text == "Une ﬁn heu\u00adreuse.\n"  # the text itself is kept


def test_the_review_page_and_its_data_show_where_a_block_stands():
    from pipeline.editions.html import render_html
    from pipeline.review.edits import document_view

    doc = run_stages(_book())
    for seg in doc.segments:
        seg.translation = "English."
    page = render_html(doc)
    assert '<div class="loc" title="where it stands in the original file">p. 1</div>' in page
    view = document_view(doc)
    assert {s["location"] for s in view["segments"]} == {"p. 1"}


def test_the_signature_names_the_reader_and_its_library():
    from pipeline.signature import Signature

    assert Signature.of(run_stages(_book())).short().startswith("ingest:pdf.1-test-0|structure:7|")


def test_the_original_is_found_by_its_hash_and_refused_when_changed(tmp_path):
    from pipeline.editions import original_of, original_path

    data = b"the bytes of a book"
    source = tmp_path / "book.epub"
    source.write_bytes(data)
    doc = Document(id="book", text="x", source={"path": str(source), "sha256": hashlib.sha256(data).hexdigest(), "reader": "epub"})
    out = tmp_path / "out"
    out.mkdir()
    assert original_of(doc, out) == data
    original_path(doc, out).write_bytes(data)  # the copy beside the record
    source.write_bytes(b"changed since")
    assert original_of(doc, out) == data
    original_path(doc, out).unlink()
    with pytest.raises(InputError, match="gone or changed since it was read"):
        original_of(doc, out)
    assert original_path(doc, out).name == "book.original.epub"


def test_run_refuses_an_unknown_edition_format_before_any_work(tmp_path):
    proc = diptych("run", "seeds", "--formats", "tsv,pdfx", "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "unknown format(s) pdfx" in proc.stderr
    assert not (tmp_path / "out").exists()
