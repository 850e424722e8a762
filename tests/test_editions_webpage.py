"""The web page edition: the original page translated in place (its markup, furniture and
note links kept), or a plain page built from the record; either reads back through the
HTML reader with the English as its text."""


import pytest

from html_pages import seed_page
from pipeline.bilingual import translation_input
from pipeline.editions import FORMATS, formats_for, render
from pipeline.editions.common import english_block, signature_line
from pipeline.editions.webpage import render_webpage
from pipeline.frontend import prepare, prepare_text
from pipeline.readers.xml import parse_xml
from test_reader_html import NOTES_PAGE, page_file


def by_hand(doc):
    """Every segment that needs it translated, as a translator would: the model's input
    (no note marker, no note label) in capitals, so that English is told from French."""
    for seg in doc.content_segments():
        if seg.lang in ("fr", "ru"):
            seg.translation = translation_input(seg).upper()
    doc.meta["translation"] = {"needed": True}
    return doc


def flat(text: str) -> str:
    return " ".join(text.split())


def english_blocks(doc) -> list[str]:
    return [flat(english_block(b)) for b in doc.content_blocks()]


def test_the_seed_page_is_translated_in_place_and_reads_back(tmp_path):
    page, _, _ = seed_page()
    doc = by_hand(prepare(page_file(tmp_path, page, "seed.html")))
    assert "webpage" in formats_for(doc)
    written = render(doc, tmp_path / "out", ["webpage"])
    out = tmp_path / "out" / "seed.en.html"
    assert out in written and (tmp_path / "out" / "seed.original.html") in written
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and '<meta charset="utf-8">' in html
    assert "<title>1917-1924 : APOGÉE ET DÉCLIN DE LA RÉVOLUTION | Tendance CLAIRE</title>" in flat(html)
    assert f'<meta name="generator" content="Diptych: {signature_line(doc)}">' in html
    assert 'window.analytics = {"page": "article"};' in html and '<link rel="stylesheet" href="/css/site.css">' in html
    # the furniture is untouched, French; the note markers keep their links
    assert "Ce site utilise des cookies" in html and ">Accueil</a>" in html and ">Newsletter</h3>" in html
    assert 'NOVEMBRE 2017<sup><a href="#nb1">1</a></sup>.' in flat(html)
    back = prepare(out)
    assert [flat(b.text) for b in back.content_blocks()] == english_blocks(doc)
    assert [b.text for b in back.blocks if b.kind == "junk"] == [b.text for b in doc.blocks if b.kind == "junk"]


def test_notes_and_text_between_blocks_and_paragraphs_of_br_go_back_to_their_place(tmp_path):
    page = NOTES_PAGE.replace("<main>", "<main><div>Un texte avant le titre.<br><br>Et un second paragraphe.")
    page = page.replace('<h2 id="t">', '</div><h2 id="t">')
    doc = by_hand(prepare(page_file(tmp_path, page)))
    render(doc, tmp_path, ["webpage"])
    html = (tmp_path / "page.en.html").read_text(encoding="utf-8")
    assert "<div>UN TEXTE AVANT LE TITRE.<br><br>ET UN SECOND PARAGRAPHE.</div>" in html
    assert '<li id="fn2">SELON SES PROPRES MOTS.</li>' in html  # the list shows the number: not written twice
    assert 'EN MARS<sup><a href="#fn1" id="r1">1</a></sup>.' in html
    assert '<a role="doc-noteref" href="#fn2">[2]</a>' in html
    back = prepare(tmp_path / "page.en.html")
    assert [flat(b.text) for b in back.content_blocks()] == english_blocks(doc)
    markers = [m["note"] for b in back.blocks for m in b.meta.get("footnote_markers", [])]
    assert markers == [b.id for b in back.blocks if b.kind == "footnote"]


def test_a_document_read_from_no_page_gets_a_page_of_its_blocks(tmp_path):
    text = ("# Le traité de paix\n\nLe traité fut signé en mars. Il fut ratifié ensuite.\n\n"
            "- Un premier point.\n- Un second point.\n\n« Une citation sur la paix. »\n")
    doc = by_hand(prepare_text(text, "plain"))
    page = render_webpage(doc, None)
    assert page.startswith(b"<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<h2>LE TRAITÉ DE PAIX</h2>".encode() in page and b"<ul>\n<li>UN PREMIER POINT.</li>" in page
    back = prepare(page_file(tmp_path, page, "plain.en.html"))
    bare = [e.removeprefix("# ").removeprefix("- ") for e in english_blocks(doc)]
    assert [flat(b.text) for b in back.content_blocks()] == bare
    assert [b.kind for b in back.content_blocks()][:4] == ["heading", "paragraph", "list_item", "list_item"]
    doc.source["reader"] = "pdf"  # what a PDF gets by default
    assert "webpage" in formats_for(doc) and FORMATS["webpage"].original == "html"


def test_render_writes_the_page_again_without_the_users_file(tmp_path):
    source = page_file(tmp_path, NOTES_PAGE, "notes.html")
    doc = by_hand(prepare(source))
    render(doc, tmp_path / "out", ["webpage"])
    first = (tmp_path / "out" / "notes.en.html").read_bytes()
    source.unlink()
    (tmp_path / "out" / "notes.en.html").unlink()
    render(doc, tmp_path / "out", ["webpage"])  # from the copy kept beside the record
    assert (tmp_path / "out" / "notes.en.html").read_bytes() == first


def test_an_xhtml_page_stays_xml_and_a_cp1252_page_becomes_utf8(tmp_path):
    xhtml = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr" lang="fr">'
             '<head><title>T</title></head><body><h1>Un titre</h1><p>Une phrase<sup>1</sup> bien formée.</p>'
             '<ol class="footnotes"><li id="fn1">Une note.</li></ol></body></html>')
    doc = by_hand(prepare(page_file(tmp_path, xhtml, "x.xhtml")))
    page = render_webpage(doc, xhtml.encode("utf-8"))
    root = parse_xml(page, "x.en.xhtml")  # still well-formed XML
    assert root.get("lang") == "en" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    back = prepare(page_file(tmp_path, page, "x.en.xhtml"))
    assert [flat(b.text) for b in back.content_blocks()] == english_blocks(doc)
    cp1252 = ('<!DOCTYPE html><html><head><meta charset="windows-1252"><title>T</title></head>'
              "<body><p>Le cœur a ses raisons.</p></body></html>").encode("cp1252")
    doc = by_hand(prepare(page_file(tmp_path, cp1252, "c.html")))
    page = render_webpage(doc, cp1252)
    assert b'<meta charset="utf-8">' in page and "LE CŒUR A SES RAISONS.".encode("utf-8") in page


@pytest.mark.parametrize("untranslated", [True, False])
def test_an_element_nobody_translated_keeps_its_markup(tmp_path, untranslated):
    page = '<!DOCTYPE html><html><body><p>Un <b>mot</b> en gras et <a href="/x">un lien</a>.</p></body></html>'
    doc = prepare(page_file(tmp_path, page))
    if not untranslated:
        by_hand(doc)
    out = render_webpage(doc, page.encode("utf-8")).decode("utf-8")
    if untranslated:
        assert '<p>Un <b>mot</b> en gras et <a href="/x">un lien</a>.</p>' in out
    else:  # a translated element's inline markup is flattened into its English
        assert "<p>UN MOT EN GRAS ET UN LIEN.</p>" in out


def test_a_sentence_the_front_end_joined_across_an_ad_goes_into_its_first_element(tmp_path):
    page = ("<!DOCTYPE html><html><body><article><p>Le texte de la page, qui parle longuement de la révolution et de "
            "ses suites dans les villes, est coupé par</p><aside class=\"pub\">Publicité.</aside>"
            "<p>une annonce, puis il reprend ici.</p><p>Une autre phrase.</p></article></body></html>")
    doc = by_hand(prepare(page_file(tmp_path, page)))
    joined = doc.content_blocks()[0]
    assert joined.meta["layout_end"] == 2 and len(joined.segments) == 1
    out = render_webpage(doc, page.encode("utf-8")).decode("utf-8")
    assert "EST COUPÉ PAR UNE ANNONCE, PUIS IL REPREND ICI.</p><aside class=\"pub\">Publicité.</aside><p></p>" in out
    back = prepare(page_file(tmp_path, out, "page.en.html"))
    assert [flat(b.text) for b in back.content_blocks()] == english_blocks(doc)
