"""The EPUB editions: written back into the book (bilingual, English) or built afresh, and read back."""

from __future__ import annotations

import io
import re
import posixpath
import zipfile
from urllib.parse import unquote

import pytest

from epub_books import build_epub, page, paragraphs
from pipeline import prepare
from pipeline.bilingual import translation_input
from pipeline.editions import formats_for, render
from pipeline.errors import InputError
from pipeline.editions.common import english_block
from pipeline.frontend import prepare_text
from pipeline.readers import reader_named
from pipeline.readers.epub_book import NS, find_path
from pipeline.readers.xml import parse_xml
from test_reader_epub import NOTES3, chaptered, gold


def translated(doc):
    for block in doc.content_blocks():
        for seg in block.segments:
            if seg.lang in ("fr", "ru"):
                # a note's number, as a model leaves it, before the English
                label, rest = re.match(r"(\d+\.? )?(.*)", translation_input(seg)).groups()
                seg.translation = f"{label or ''}EN[{rest}]"
    doc.meta["translation"] = {"needed": True}
    return doc


def check_structure(data: bytes) -> dict[str, bytes]:
    """What epubcheck checks of an archive's structure, here by hand."""
    z = zipfile.ZipFile(io.BytesIO(data))
    first = z.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED and not first.extra
    assert z.read("mimetype") == b"application/epub+zip"
    members = {i.filename: z.read(i.filename) for i in z.infolist()}
    container = parse_xml(members["META-INF/container.xml"], "container")
    opf_path = container.find(".//c:rootfile", NS).get("full-path")
    opf = parse_xml(members[opf_path], opf_path)
    manifest = {}
    for item in opf.iterfind("opf:manifest/opf:item", NS):
        path = posixpath.normpath(posixpath.join(posixpath.dirname(opf_path), unquote(item.get("href"))))
        assert path in members, f"manifest names {path}, missing"
        manifest[item.get("id")] = (path, item.get("media-type"))
    spine = [ref.get("idref") for ref in opf.iterfind("opf:spine/opf:itemref", NS)]
    assert spine and all(idref in manifest for idref in spine)
    for path, media in manifest.values():
        if media in ("application/xhtml+xml", "application/x-dtbncx+xml"):
            parse_xml(members[path], path)  # well-formed, no entity
    members["opf"] = members[opf_path]
    return members


def languages(members) -> list[str]:
    return [x.text for x in parse_xml(members["opf"], "opf").iterfind("opf:metadata/dc:language", NS)]


def read_back(data: bytes):
    return reader_named("epub").read_bytes(data, "back", "back.epub")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("epub")
    chapters = chaptered(paragraphs(gold("fr_003")))
    chapters.append(("notes.xhtml", page(NOTES3)))
    path = tmp / "livre.epub"
    path.write_bytes(build_epub(chapters, version=3, lang="fr"))
    doc = translated(prepare(path, lang="fr"))
    out = tmp / "out"
    written = render(doc, out, ["epub", "epub-en"])
    return doc, path, out, written


def test_render_writes_both_books_and_keeps_the_original_beside_the_record(book):
    doc, path, out, written = book
    names = sorted(p.name for p in written)
    assert names == ["livre.bilingual.epub", "livre.en.epub", "livre.jsonl", "livre.original.epub"]
    assert (out / "livre.original.epub").read_bytes() == path.read_bytes()
    assert "epub" in formats_for(doc) and "epub-en" not in formats_for(doc)


def test_the_bilingual_book_is_the_original_with_each_translated_block_followed_by_its_english(book):
    doc, path, out, _ = book
    data = (out / "livre.bilingual.epub").read_bytes()
    members = check_structure(data)
    assert languages(members) == ["fr", "en"]
    back = read_back(data)
    assert back.text == doc.text and back.source["epub"]["english_left_out"] > 0  # the source, untouched
    original = zipfile.ZipFile(path)
    assert members["OEBPS/styles/book.css"] == original.read("OEBPS/styles/book.css")
    assert members["OEBPS/images/p.png"] == original.read("OEBPS/images/p.png")
    layout = doc.source["layout"]
    for block in doc.content_blocks():
        loc = layout[block.meta["layout"]]["location"]
        if loc.get("nav") or "run" in loc or not any(s.translation for s in block.segments):
            continue
        root = parse_xml(members[loc["item"]], loc["item"])
        twins = {}
        for twin in [e for e in root.iter() if "diptych-en" in (e.get("class") or "")]:
            twins[twin.getprevious()] = twin
            twin.getparent().remove(twin)  # the original's paths, found again without the English
        el = find_path(root, loc["path"])
        twin = twins[el]
        assert twin.tag == el.tag and "diptych-en" in twin.get("class") and twin.get("lang") == "en" and twin.get("id") is None
        english = " ".join("".join(twin.itertext()).split())
        expected = english_block(block)
        if layout[block.meta["layout"]].get("number_added"):
            expected = expected.split(" ", 1)[1]  # the number the reader wrote before the note's text
        assert english == " ".join(expected.replace("¹", "1").replace("²", "2").split()), block.text
    nav = members["OEBPS/nav.xhtml"].decode()
    assert "Chapitre 1<span" in nav and "/ EN[Chapitre 1]</span></a>" in nav
    assert b"Chapitre 1 / EN[Chapitre 1]" in members["OEBPS/toc.ncx"]


def test_the_english_book_reads_back_as_the_english(book):
    doc, _, out, _ = book
    data = (out / "livre.en.epub").read_bytes()
    members = check_structure(data)
    assert languages(members) == ["en"]
    back = read_back(data)
    got = [" ".join(back.text[slice(*e["span"])].split()) for e in back.source["layout"]]
    want = [" ".join(english_block(b).split()) for b in doc.content_blocks()]
    assert got == want
    assert b'lang="en"' in members["OEBPS/text/ch01.xhtml"]
    # note references are links again, at the English's markers
    notes = members["OEBPS/text/notes.xhtml"].decode()
    assert 'EN[Il était une fois un roi<a epub:type="noteref" href="#n1"><sup>1</sup></a> qui' in notes
    assert b"EN[Chapitre 1]" in members["OEBPS/toc.ncx"] and b"<text>Chapitre 1</text>" not in members["OEBPS/toc.ncx"]


JOINED = ("<p>Le roi partit pour la guerre contre les voisins du nord, avec toute son armée et ses chevaux<a epub:type='noteref' href='#n1'><sup>1</sup></a> et</p>"
          "<aside epub:type='footnote' id='n1'><p>En 1914.</p></aside>"
          "<p>revint trois ans plus tard.</p><p>Fin.</p>")


def test_a_paragraph_joined_across_a_note_puts_its_english_in_the_first_element(tmp_path):
    data = build_epub([("a.xhtml", page(JOINED))])
    path = tmp_path / "j.epub"
    path.write_bytes(data)
    doc = translated(prepare(path, lang="fr"))
    joined = next(b for b in doc.blocks if b.text.startswith("Le roi"))
    assert "layout_end" in joined.meta and joined.text.endswith("revint trois ans plus tard.")
    english = reader_named("epub").read_bytes(
        render_english(doc, data), "e", "e.epub")
    texts = [english.text[slice(*e["span"])] for e in english.source["layout"] if not e["location"].get("nav")]
    assert texts[0] == english_block(joined) and texts[1] == "1 EN[En 1914.]" and texts[2] == "EN[Fin.]"
    assert len(texts) == 3  # the element that continued the paragraph is left empty
    bilingual = render_bilingual(doc, data)
    root = parse_xml(zipfile.ZipFile(io.BytesIO(bilingual)).read("OEBPS/text/a.xhtml"), "a")
    body = root.find("xhtml:body", NS)
    tags = [(c.tag.rsplit("}")[1], c.get("class")) for c in body]
    assert tags == [("p", None), ("aside", None), ("aside", "diptych-en"), ("p", None), ("p", "diptych-en"),
                    ("p", None), ("p", "diptych-en")]


def render_english(doc, data):
    from pipeline.editions.epub import render_english_epub

    return render_english_epub(doc, data)


def render_bilingual(doc, data):
    from pipeline.editions.epub import render_bilingual_epub

    return render_bilingual_epub(doc, data)


def test_a_text_made_into_an_epub_is_a_new_book_of_its_blocks(tmp_path):
    paras = paragraphs(gold("fr_003"))
    text = "Chapitre un\n\n" + "\n\n".join(paras[:5]) + "\n\nChapitre deux\n\n" + "\n\n".join(paras[5:10])
    doc = translated(prepare_text(text, "texte", lang="fr"))
    for name, bilingual in (("epub", True), ("epub-en", False)):
        written = render(doc, tmp_path / name, [name])
        epub = next(p for p in written if p.suffix == ".epub")
        members = check_structure(epub.read_bytes())
        back = read_back(epub.read_bytes())
        body = [" ".join(back.text[slice(*e["span"])].split()) for e in back.source["layout"] if not e["location"].get("nav")]
        want = [" ".join((b.text if bilingual else english_block(b)).split()) for b in doc.content_blocks()]
        assert body == want
        assert languages(members) == (["fr", "en"] if bilingual else ["en"])
        headings = [back.text[slice(*e["span"])] for e in back.source["layout"] if e["location"].get("nav")]
        assert len([m for m in members if m.startswith("OEBPS/chapter")]) == sum(b.kind == "heading" for b in doc.content_blocks())
        assert headings[0] == "Contents" and len(headings) == 1 + sum(b.kind == "heading" for b in doc.content_blocks())
        assert not list((tmp_path / name).glob("*.original*"))


def test_render_writes_the_books_again_from_the_record_when_the_input_is_gone(tmp_path):
    from pipeline.doc import Document

    path = tmp_path / "conte.epub"
    path.write_bytes(build_epub([("a.xhtml", page("<h1>Le conte</h1><p>Le roi régnait. Il était sage.</p>"))]))
    doc = translated(prepare(path, lang="fr"))
    out = tmp_path / "out"
    first = {p.name: p.read_bytes() for p in render(doc, out, ["epub", "epub-en"])}
    path.unlink()
    again = {p.name: p.read_bytes() for p in render(Document.load(out / "conte.jsonl"), out, ["epub", "epub-en"])}
    assert again["conte.en.epub"] == first["conte.en.epub"] and again["conte.bilingual.epub"] == first["conte.bilingual.epub"]
    (out / "conte.original.epub").write_bytes(b"changed")
    with pytest.raises(InputError, match="gone or changed"):
        render(Document.load(out / "conte.jsonl"), out, ["epub"])


def test_a_located_document_from_another_reader_gets_a_chapter_per_top_level_heading():
    from pipeline.frontend import run_stages
    from pipeline.readers.layout import LayoutText

    lt = LayoutText()
    paras = paragraphs(gold("fr_003"))
    for n, (level, title) in enumerate([(1, "Première partie"), (2, "Un détail"), (1, "Seconde partie")]):
        lt.add(title, kind="heading", location={"label": f"p. {n + 1}"}, level=level)
        lt.add(paras[n], kind="paragraph", location={"label": f"p. {n + 1}"})
    doc = translated(run_stages(lt.document("rapport", data=b"%PDF-", origin="r.pdf", reader="pdf", version="pdf/1",
                                            library="test"), "fr"))
    from pipeline.editions.epub import render_english_epub

    members = check_structure(render_english_epub(doc, None))
    pages = [members[m].decode() for m in sorted(members) if m.startswith("OEBPS/chapter")]
    assert len(pages) == 2
    assert "<h1>EN[Première partie]</h1>" in pages[0] and "<h2>EN[Un détail]</h2>" in pages[0]
    assert "<h1>EN[Seconde partie]</h1>" in pages[1]
    assert 'href="chapter002.xhtml">EN[Seconde partie]' in members["OEBPS/nav.xhtml"].decode()
