"""The Word editions: a DOCX translated in place reads back, through the DOCX reader, as
its English with the original's styles, places, notes and formatting; the bilingual
edition reads back as both columns; a document that came as text gets a DOCX of its own."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from docx_build import SAMPLE, build_docx
from pipeline import prepare
from pipeline.bilingual import translation_input
from pipeline.doc import Document
from pipeline.editions import FORMATS, formats_for, render
from pipeline.editions.common import english_block
from pipeline.errors import InputError
from pipeline.frontend import prepare_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def translated(doc: Document) -> Document:
    """Every fr/ru sentence given an English side by hand: what a model reads, marked."""
    for seg in doc.content_segments():
        if seg.lang in ("fr", "ru"):
            seg.translation = f"EN {translation_input(seg)}"
    doc.meta["translation"] = {"needed": True}
    return doc


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture()
def edition(tmp_path):
    src = tmp_path / "rapport.docx"
    src.write_bytes(build_docx(SAMPLE))
    doc = translated(prepare(src, lang="fr"))
    out = tmp_path / "out"
    written = render(doc, out, ["docx"])
    return doc, out, written, src


def test_a_docx_gets_both_word_editions_and_its_original_is_kept(edition):
    doc, out, written, src = edition
    assert "docx" in formats_for(doc) and FORMATS["docx"].original == "docx"
    assert sorted(p.name for p in written) == ["rapport.bilingual.docx", "rapport.en.docx", "rapport.jsonl",
                                              "rapport.original.docx"]
    assert (out / "rapport.original.docx").read_bytes() == src.read_bytes()


def test_translated_in_place_it_reads_back_as_its_english_in_the_same_places(edition):
    doc, out, _, _ = edition
    back = prepare(out / "rapport.en.docx", lang="en")
    before = [(b.kind, b.meta["location"]["label"], b.meta["location"].get("style"), _normal(english_block(b))) for b in doc.blocks]
    after = [(b.kind, b.meta["location"]["label"], b.meta["location"].get("style"), _normal(b.text)) for b in back.blocks]
    assert after == before
    assert after[2][3] == "EN Alice était assise auprès de sa sœur sur le gazon¹. EN Elle s'ennuyait."
    assert after[-3][3] == "¹ EN Une note de bas de page."
    assert back.meta["footnotes"] == {"notes": 3, "markers": 3}  # each reference back at its marker
    assert back.source["tracked"] == {"insertions": 0, "deletions": 0}


def test_in_place_the_rest_of_the_package_stays_as_it_was(edition):
    _, out, _, src = edition
    old, new = zipfile.ZipFile(src), zipfile.ZipFile(out / "rapport.en.docx")
    assert new.namelist() == old.namelist()
    for name in ("[Content_Types].xml", "word/comments.xml", "word/numbering.xml", "word/_rels/document.xml.rels"):
        assert new.read(name) == old.read(name), name
    xml = new.read("word/document.xml")
    assert b"<w:ins " not in xml and b"<w:del " not in xml and b"commentReference" in xml
    assert b'<w:lang w:val="en"/>' in xml and b"fr-FR" not in new.read("docProps/core.xml")
    assert b"<dc:language>en</dc:language>" in new.read("docProps/core.xml")


def test_bold_and_italic_come_back_where_the_rule_says(tmp_path):
    src = tmp_path / "styles.docx"
    src.write_bytes(build_docx([
        ("p", [("b", "Une phrase toute en gras."), " Une phrase ordinaire qui cite ", ("i", "Le Monde"), " et un ", ("i", "mot"),
               " ", ("i", "en"), " italique."]),
        ("p", [("i", "Tout le paragraphe est en italique. Deux phrases.")]),
    ]))
    doc = prepare(src, lang="fr")
    english = iter(["A sentence all in bold.", "An ordinary sentence that quotes Le Monde and a word mentioned in italics.",
                    "The whole paragraph is in italics.", "Two sentences."])
    for seg in doc.content_segments():
        seg.translation = next(english)
    render(doc, tmp_path / "out", ["docx"])
    back = prepare(tmp_path / "out" / "styles.en.docx", lang="en")
    layout = back.source["layout"]
    spans = [[back.text[e["span"][0] + a:e["span"][0] + b] for a, b, _ in e.get("spans", [])] for e in layout]
    formats = [[f for _, _, f in e.get("spans", [])] for e in layout]
    # the whole bold sentence stays bold, the name found as it is stays italic, "mot" is
    # lost, and "en" is no part of "mentioned"
    assert spans[0] == ["A sentence all in bold.", "Le Monde"] and formats[0] == ["b", "i"]
    assert spans[1] == ["The whole paragraph is in italics. Two sentences."] and formats[1] == ["i"]


def test_the_bilingual_edition_reads_back_as_both_columns(edition):
    doc, out, _, _ = edition
    back = prepare(out / "rapport.bilingual.docx", lang="fr")
    cells = [_normal(b.text) for b in back.blocks]
    expected = ["fr", "en"]
    for block in doc.content_blocks():
        expected += [_normal(block.text), _normal(english_block(block))]
    assert cells == expected
    labels = [b.meta["location"]["label"] for b in back.blocks]
    assert labels[:4] == ["table 1, row 1, cell 1", "table 1, row 1, cell 2", "table 1, row 2, cell 1", "table 1, row 2, cell 2"]
    styles = [b.meta["location"]["style"] for b in back.blocks]
    assert styles[2:6] == ["Title", "Title", "Heading 1", "Heading 1"]


def test_a_text_document_gets_a_new_docx_in_builtin_styles(tmp_path):
    doc = translated(prepare_text("# Le titre\n\nUne première phrase. Une seconde phrase.\n\n- Un élément de liste.\n", "notes", lang="fr"))
    assert "docx" not in formats_for(doc)
    render(doc, tmp_path, ["docx"])
    back = prepare(tmp_path / "notes.en.docx", lang="en")
    got = [(b.meta["location"]["style"], b.text) for b in back.blocks]
    assert got == [("Heading 1", f"EN {translation_input(doc.blocks[0].segments[0])}"),
                   ("Normal", "EN Une première phrase. EN Une seconde phrase."),
                   ("List Bullet", f"EN {translation_input(doc.blocks[2].segments[0])}")]


def test_render_writes_it_again_without_the_users_file_but_never_from_a_changed_one(edition, tmp_path):
    doc, out, _, src = edition
    first = (out / "rapport.en.docx").read_bytes()
    src.unlink()
    render(doc, out, ["docx"])
    assert (out / "rapport.en.docx").read_bytes() == first
    (out / "rapport.original.docx").write_bytes(build_docx([("p", "Un autre texte.")]))
    with pytest.raises(InputError, match="gone or changed"):
        render(doc, tmp_path / "elsewhere", ["docx"])
    shutil.rmtree(tmp_path / "elsewhere", ignore_errors=True)


def test_an_english_original_is_written_back_unchanged_in_its_words(tmp_path):
    src = tmp_path / "report.docx"
    src.write_bytes(build_docx([("heading", "A report", 1), ("p", ["It says ", ("b", "one thing"), "."])], language="en-US"))
    doc = prepare(src)
    render(doc, tmp_path / "out", ["docx"])
    xml = zipfile.ZipFile(io.BytesIO((tmp_path / "out" / "report.en.docx").read_bytes())).read("word/document.xml")
    assert xml == zipfile.ZipFile(src).read("word/document.xml")
    assert prepare(tmp_path / "out" / "report.en.docx").text == doc.text


def test_a_link_whose_text_the_english_keeps_stays_a_link(tmp_path):
    from docx_build import rewrite

    data = build_docx([("p", "LIEN")])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    link = '<w:hyperlink w:anchor="fin"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>www.npa2009.org</w:t></w:r></w:hyperlink>'
    xml = xml.replace("<w:r><w:t>LIEN</w:t></w:r>", f'<w:r><w:t xml:space="preserve">Lire sur </w:t></w:r>{link}<w:r><w:t>, le site du parti.</w:t></w:r>')
    src = tmp_path / "lien.docx"
    src.write_bytes(rewrite(data, {"word/document.xml": xml.encode()}))
    doc = prepare(src, lang="fr")
    doc.content_segments()[0].translation = "Read on www.npa2009.org, the party's site."
    render(doc, tmp_path / "out", ["docx"])
    new = zipfile.ZipFile(tmp_path / "out" / "lien.en.docx").read("word/document.xml").decode()
    assert '<w:hyperlink w:anchor="fin"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/>' in new
    assert prepare(tmp_path / "out" / "lien.en.docx").text == "Read on www.npa2009.org, the party's site."


def test_a_pdf_document_gets_a_new_docx_with_its_page_cut_paragraph_whole(tmp_path):
    from pipeline.frontend import run_stages
    from pipeline.readers.layout import LayoutText

    lt = LayoutText()
    lt.add(["Un titre"], kind="heading", location={"label": "p. 1"}, level=2)
    lt.add(["Une phrase qui com-", "mence ici¹ et"], kind="paragraph", location={"label": "p. 1"}, continues=True)
    lt.add(["1. Une note en bas de page."], kind="footnote", location={"label": "p. 1"})
    lt.add(["continue sur la page suivante. Puis une autre."], kind="paragraph", location={"label": "p. 2"})
    doc = translated(run_stages(lt.document("article", data=b"%PDF-", origin="article.pdf", reader="pdf", version="pdf/1",
                                            library="test"), "fr"))
    assert "docx" in formats_for(doc)
    render(doc, tmp_path, ["docx"])
    back = prepare(tmp_path / "article.en.docx", lang="en")
    assert [(b.meta["location"]["style"], b.text) for b in back.blocks] == [
        ("Heading 2", "EN Un titre"),
        ("Normal", "EN Une phrase qui commence ici¹ et continue sur la page suivante. EN Puis une autre."),
        ("Normal", "1. EN Une note en bas de page."),
    ]


def test_in_place_a_sentence_awaiting_its_translation_stays_as_it_was(tmp_path):
    src = tmp_path / "partiel.docx"
    src.write_bytes(build_docx([("p", "Une première phrase. Une seconde phrase.")]))
    doc = prepare(src, lang="fr")
    doc.content_segments()[0].translation = "A first sentence."
    render(doc, tmp_path / "out", ["docx"])
    assert prepare(tmp_path / "out" / "partiel.en.docx").text == "A first sentence. Une seconde phrase."


def test_a_package_whose_main_part_has_another_name_is_read_and_written(tmp_path):
    data = build_docx([("p", ["Une phrase", ("note", "Une note."), "."])])
    src_zip = zipfile.ZipFile(io.BytesIO(data))
    renamed = {"word/document.xml": "word/texte.xml", "word/_rels/document.xml.rels": "word/_rels/texte.xml.rels"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src_zip.infolist():
            body = src_zip.read(info.filename).replace(b"/word/document.xml", b"/word/texte.xml")
            if info.filename == "_rels/.rels":
                body = body.replace(b'Target="word/document.xml"', b'Target="word/texte.xml"')
            z.writestr(renamed.get(info.filename, info.filename), body)
    src = tmp_path / "autre.docx"
    src.write_bytes(out.getvalue())
    doc = translated(prepare(src, lang="fr"))
    assert [b.text for b in doc.blocks] == ["Une phrase¹.", "¹ Une note."]
    render(doc, tmp_path / "out", ["docx"])
    back = prepare(tmp_path / "out" / "autre.en.docx", lang="en")
    assert [b.text for b in back.blocks] == ["EN Une phrase¹.", "¹ EN Une note."]


def test_a_text_box_is_no_part_of_the_text_and_stays_in_its_drawing(tmp_path):
    from docx_build import rewrite

    data = build_docx([("p", "BOITE")])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    box = ('<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p><w:r>'
           '<w:t>Texte encadré.</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
    xml = xml.replace("<w:r><w:t>BOITE</w:t></w:r>", f'<w:r><w:t xml:space="preserve">Une phrase avec une boîte. </w:t></w:r>{box}')
    src = tmp_path / "boite.docx"
    src.write_bytes(rewrite(data, {"word/document.xml": xml.encode()}))
    doc = prepare(src, lang="fr")
    assert doc.text == "Une phrase avec une boîte." and doc.source["left_out"]["text_boxes"] == 1
    doc.content_segments()[0].translation = "A sentence with a box."
    render(doc, tmp_path / "out", ["docx"])
    new = zipfile.ZipFile(tmp_path / "out" / "boite.en.docx").read("word/document.xml").decode()
    assert "<w:txbxContent><w:p><w:r><w:t>Texte encadré.</w:t>" in new and "A sentence with a box." in new


def test_a_superscript_of_the_english_itself_is_not_taken_for_the_note_marker(tmp_path):
    src = tmp_path / "surface.docx"
    src.write_bytes(build_docx([("p", ["Une phrase", ("note", "Une note."), ". La salle mesure vingt mètres carrés",
                                       ("note", "Selon le plan."), "."])]))
    doc = prepare(src, lang="fr")
    first, second = doc.content_segments()[:2]
    first.translation, second.translation = "A sentence.", "The room measures 20 m²."  # a unit, and note 2
    render(doc, tmp_path / "out", ["docx"])
    xml = zipfile.ZipFile(tmp_path / "out" / "surface.en.docx").read("word/document.xml").decode()
    unit, ref2, stop = xml.index("20 m²"), xml.index('w:footnoteReference w:id="3"'), xml.rindex(">.</w:t>")
    assert unit < ref2 < stop  # the reference after the unit, before the full stop, as the hook placed it
    assert prepare(tmp_path / "out" / "surface.en.docx").blocks[0].text == "A sentence¹. The room measures 20 m²²."
