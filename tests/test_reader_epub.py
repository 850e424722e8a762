"""The EPUB reader: books built here from known sentences come back with the same sentences."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_DATA, diptych
from epub_books import build_epub, page, paragraphs
from pipeline import prepare
from pipeline.errors import InputError
from pipeline.frontend import prepare_text
from pipeline.readers import HEAD_BYTES, read, reader_for, reader_named
from pipeline.readers.epub_book import find_path
from pipeline.readers.xml import parse_xml

GOLD = ROOT / "tests" / "data" / "segmentation"


def gold(case: str) -> list[str]:
    return (GOLD / f"{case}.gold.txt").read_text(encoding="utf-8").splitlines()


def sentences(doc, *, nav: bool = False) -> list[str]:
    return [" ".join(s.text.split()) for b in doc.content_blocks() if bool(b.meta.get("location", {}).get("nav")) == nav
            for s in b.segments]


def chaptered(paras: list[str], per_chapter: int = 6) -> list[tuple[str, str]]:
    chapters = []
    for n in range(0, len(paras), per_chapter):
        body = "\n".join(f"<p>\n  {p.replace('&', '&amp;').replace('<', '&lt;')}\n</p>" for p in paras[n:n + per_chapter])
        chapters.append((f"ch{n // per_chapter + 1:02d}.xhtml", page(body)))
    return chapters


@pytest.mark.parametrize("case,lang,version", [("fr_003", "fr", 3), ("en_002", "en", 2), ("ru_004", "ru", 3)])
def test_a_book_of_known_sentences_gives_the_plain_texts_sentences(tmp_path, case, lang, version):
    paras = paragraphs(gold(case))
    path = tmp_path / "book.epub"
    chapters = chaptered(paras)
    path.write_bytes(build_epub(chapters, version=version, lang=lang))
    doc = prepare(path, lang=lang)
    assert sentences(doc) == sentences(prepare_text("\n\n".join(paras), lang=lang))
    assert doc.source["reader"] == "epub" and doc.provenance["ingest"]["version"] == "epub/1"
    # the contents are read too, each entry marked as the navigation's
    title = "Table des matières" if version == 3 else "Livre"
    assert sentences(doc, nav=True) == [title] + [f"Chapitre {n}" for n in range(1, len(chapters) + 1)]


@pytest.mark.skipif(not (SHARED_DATA / "align" / "limsi_literary_fr-en").is_dir(), reason="../shared/data is absent")
def test_a_novel_in_chapters_keeps_its_sentences_and_locations(tmp_path):
    src = (SHARED_DATA / "align" / "limsi_literary_fr-en" / "dev" / "doc_000" / "src.txt").read_text(encoding="utf-8")
    lines = [line for line in src.splitlines() if line.strip()][:120]
    path = tmp_path / "alice.epub"
    path.write_bytes(build_epub(chaptered(lines, per_chapter=40), version=2, lang="fr"))
    doc = prepare(path, lang="fr")
    assert sentences(doc) == sentences(prepare_text("\n\n".join(lines), lang="fr"))
    with zipfile.ZipFile(path) as z:
        for block in doc.content_blocks():
            loc = block.meta["location"]
            el = find_path(parse_xml(z.read(loc["item"]), loc["item"]), loc["path"])
            assert " ".join("".join(el.itertext()).split()) == " ".join(doc.text[slice(*block.span)].split())
            if not loc.get("nav"):
                assert loc["label"].split(": ")[1] == loc["item"].removeprefix("OEBPS/")


NOTES3 = """<h1>Le roi</h1>
<p>Il était une fois un roi<a epub:type="noteref" href="#n1"><sup>1</sup></a> qui régnait sur un pays lointain.
Sa fille aimait les livres<a epub:type="noteref" href="#n2">2</a>.</p>
<p>Le royaume&nbsp;était vaste &mdash; et la cour s&eacute;v&egrave;re.</p>
<aside epub:type="footnote" id="n1"><p>Un roi sans nom.</p></aside>
<aside epub:type="footnote" id="n2"><p><a href="#r2">2.</a> Surtout les romans.</p></aside>"""
NOTES2 = """<h2>Chapitre deux</h2>
<p>Le voyage dura longtemps<a href="notes.xhtml#fn3" id="r3"><sup>[3]</sup></a>. Ils arrivèrent enfin.</p>"""
ENDNOTES = '<h2>Notes</h2>\n<p id="fn3"><a href="ch2.xhtml#r3">3</a> Trois semaines de route.</p>'


def test_notes_come_linked_to_their_markers(tmp_path):
    path = tmp_path / "notes.epub"
    path.write_bytes(build_epub([("ch1.xhtml", page(NOTES3)), ("ch2.xhtml", page(NOTES2)), ("notes.xhtml", page(ENDNOTES))],
                                version=2, nonlinear=("notes.xhtml",)))
    doc = prepare(path, lang="fr")
    notes = {b.meta["footnote"]: b.text for b in doc.blocks if b.kind == "footnote"}
    assert notes == {1: "1 Un roi sans nom.", 2: "2. Surtout les romans.", 3: "3 Trois semaines de route."}
    first = next(b for b in doc.blocks if b.text.startswith("Il était"))
    assert first.text.startswith("Il était une fois un roi¹ qui") and "livres²." in first.text
    assert [(m["n"], m["marker"]) for m in first.meta["footnote_markers"]] == [(1, "¹"), (2, "²")]
    second = next(b for b in doc.blocks if b.text.startswith("Le voyage"))
    assert "longtemps³." in second.text and second.meta["footnote_markers"]
    # named HTML entities read as their characters; no marker left in the text sent to a model
    assert "Le royaume\u00a0était vaste — et la cour sévère." in doc.text
    assert doc.source["epub"]["html_entities"] == 4


def test_spine_order_non_linear_last_and_the_ncx_read_when_no_nav(tmp_path):
    chapters = [("a.xhtml", page("<p>Annexe lointaine.</p>")), ("b.xhtml", page("<h1>Début</h1><p>Premier texte.</p>")),
                ("c.xhtml", page("<p>Second texte.</p>"))]
    data = build_epub(chapters, version=2, nonlinear=("a.xhtml",), toc=[("Début", "b.xhtml")])
    doc = reader_named("epub").read_bytes(data, "t", "t.epub")
    order = [(e["location"]["label"], doc.text[slice(*e["span"])]) for e in doc.source["layout"]]
    assert order == [("toc: toc.ncx", "Livre"), ("toc: toc.ncx", "Début"), ("2: text/b.xhtml", "Début"),
                     ("2: text/b.xhtml", "Premier texte."), ("3: text/c.xhtml", "Second texte."),
                     ("1: text/a.xhtml", "Annexe lointaine.")]
    assert doc.source["epub"]["nonlinear"] == ["OEBPS/text/a.xhtml"]
    assert doc.source["layout"][2]["kind"] == "heading" and doc.source["layout"][2]["level"] == 1


def test_blocks_inside_blocks_runs_of_text_and_what_is_left_out():
    body = ("<div class='x'>Avant.<p>Dedans.</p>Après <em>tout</em>.</div><ol><li><p>Un point.</p></li></ol>"
            "<blockquote>Citée.</blockquote><figure><img src='../images/p.png'/><figcaption>Une image.</figcaption></figure>"
            "<script>var x = 1;</script><p class='diptych-en' lang='en'>Already English.</p><p>Fin<br/>de ligne.</p>")
    doc = reader_named("epub").read_bytes(build_epub([("a.xhtml", page(body))]), "t", "t.epub")
    got = [(e["kind"], e["location"]["path"], e["location"].get("run"), doc.text[slice(*e["span"])])
           for e in doc.source["layout"] if not e["location"].get("nav")]
    assert got == [(None, "/html/body/div", 0, "Avant."), ("paragraph", "/html/body/div/p", None, "Dedans."),
                   (None, "/html/body/div", 1, "Après tout."), ("list_item", "/html/body/ol/li/p", None, "Un point."),
                   ("quote", "/html/body/blockquote", None, "Citée."),
                   ("caption", "/html/body/figure/figcaption", None, "Une image."),
                   ("paragraph", "/html/body/p[2]", None, "Fin\nde ligne.")]
    assert doc.source["epub"]["english_left_out"] == 1


def test_an_epub_is_told_by_its_first_bytes_whatever_its_name():
    data = build_epub([("a.xhtml", page("<p>Texte.</p>"))])
    assert reader_for(Path("book.zip"), data[:HEAD_BYTES]).name == "epub"
    assert reader_for(Path("book.epub"), b"PK\x03\x04" + b"\0" * 40).name == "epub"  # by suffix
    assert not reader_named("epub").claims(b"PK\x03\x04" + b"\0" * 26 + b"mimetypeapplication/zip")


def _zip(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


BOMB = ('<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&c;</p></body></html>')
BAD = {
    "a zip that is no EPUB": (_zip({"readme.txt": "hello"}), "a ZIP archive but no EPUB"),
    "a text file named .epub": (b"Bonjour, ceci est un texte.\n", "is not an EPUB (an EPUB is a ZIP archive, and this file is none)"),
    "a spine that names a missing item": (build_epub([("a.xhtml", page("<p>x</p>"))], spine_extra='<itemref idref="gone"/>'),
                                          "its spine names item 'gone'"),
    "a spine item missing from the archive": (build_epub([("a.xhtml", page("<p>x</p>"))], spine_extra='<itemref idref="m"/>',
                                                         extra_manifest='<item id="m" href="text/m.xhtml" media-type="application/xhtml+xml"/>'),
                                              "text/m.xhtml is missing from the archive"),
    "an XHTML with an XML bomb": (build_epub([("a.xhtml", BOMB)]), "declares XML entities"),
    "a non-zip named .epub": (b"\x00\x01binary garbage" * 10, "is not an EPUB"),
    "an EPUB with no text": (build_epub([("a.xhtml", page("<p><img src='../images/p.png'/></p>"))], version=2, toc=[]),
                             "no text"),
    "a mimetype that is not EPUB's": (build_epub([("a.xhtml", page("<p>x</p>"))], mimetype=b"application/zip"),
                                      "mimetype says"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_line(tmp_path, case):
    data, says = BAD[case]
    path = tmp_path / "bad.epub"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read(path)
    message = str(err.value)
    assert says in message and "\n" not in message and message.startswith(str(path))


def test_a_web_page_named_epub_is_read_as_the_page_it_is_and_said_so(tmp_path):
    from pipeline.frontend import input_warnings, run_stages

    path = tmp_path / "page.epub"
    path.write_bytes(b"<!DOCTYPE html><html><body><p>Bonjour tout le monde.</p></body></html>")
    doc = run_stages(read(path))
    assert doc.source["reader"] == "html" and [s.text for s in doc.segments] == ["Bonjour tout le monde."]
    assert input_warnings(doc) == [f"{path}: read as html, which its first bytes say it is, not as its name (.epub) says"]


def test_the_command_line_says_it_in_one_line(tmp_path):
    bad = tmp_path / "bad.epub"
    bad.write_bytes(BAD["an XHTML with an XML bomb"][0])
    done = diptych("segment", str(bad), timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "declares XML entities" in done.stderr
    good = tmp_path / "good.epub"
    good.write_bytes(build_epub([("a.xhtml", page("<p>Le roi régnait. Il était sage.</p>"))]))
    done = diptych("segment", str(good), "--lang", "fr", timeout=120)
    assert done.returncode == 0 and done.stdout.splitlines()[-2:] == ["Le roi régnait.", "Il était sage."]


def test_a_p_is_a_paragraph_and_a_title_in_a_heading_group_a_heading():
    body = ('<section epub:type="chapter"><hgroup><h2 epub:type="ordinal">I</h2><p epub:type="title">Le départ</p></hgroup>'
            '<p>Il revint plus tard.</p></section>')
    doc = reader_named("epub").read_bytes(build_epub([("a.xhtml", page(body))]), "t", "t.epub")
    kinds = [(e["kind"], e.get("level")) for e in doc.source["layout"] if not e["location"].get("nav")]
    assert kinds == [("heading", 2), ("heading", None), ("paragraph", None)]


def test_page_breaks_and_ruby_are_no_text_and_a_file_not_well_formed_is_read_and_named():
    body = ('<p>Le roi<span epub:type="pagebreak" id="p12" title="12">12</span> régnait '
            '<ruby>longtemps<rt>lgt</rt></ruby>.</p><p>Une ligne<br>et une autre.</p>')
    doc = reader_named("epub").read_bytes(build_epub([("a.xhtml", page(body))]), "t", "t.epub")
    body_text = [doc.text[slice(*e["span"])] for e in doc.source["layout"] if not e["location"].get("nav")]
    assert body_text == ["Le roi régnait longtemps.", "Une ligne\net une autre."]
    assert doc.source["epub"]["recovered"] == ["OEBPS/text/a.xhtml"]


def test_a_block_holding_several_notes_anchors_is_no_note_itself():
    body = ('<p>Premier renvoi<a href="#a1"><sup>1</sup></a> et second<a href="#a2"><sup>2</sup></a>.</p>'
            '<div class="notes"><span id="a1">1 Note une.</span> <span id="a2">2 Note deux.</span></div>'
            '<p>Un carré de 3 m<sup>2</sup>.</p>')
    doc = reader_named("epub").read_bytes(build_epub([("a.xhtml", page(body))]), "t", "t.epub")
    kinds = [(e["kind"], doc.text[slice(*e["span"])]) for e in doc.source["layout"] if not e["location"].get("nav")]
    assert kinds == [("paragraph", "Premier renvoi¹ et second²."), (None, "1 Note une. 2 Note deux."),
                     ("paragraph", "Un carré de 3 m².")]


def test_a_member_that_would_inflate_past_the_limit_is_refused_before_it_is_inflated(tmp_path, monkeypatch):
    from pipeline.readers import epub_book

    monkeypatch.setattr(epub_book, "MAX_MEMBER_BYTES", 4000)
    path = tmp_path / "bomb.epub"
    path.write_bytes(build_epub([("a.xhtml", page("<p>" + "x" * 5000 + "</p>"))]))
    with pytest.raises(InputError, match=r"text/a.xhtml would inflate to 0 MB, more than"):
        read(path)
