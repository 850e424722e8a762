"""The DOCX reader: Word documents built here from text whose sentences are known come back
with the same sentences as the plain text, their styles' kinds, their notes linked, their
tracked changes accepted, their bold and italic kept as spans; bad files are one line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from conftest import SHARED_DATA, diptych
from docx_build import SAMPLE, add_notes, build_docx, paragraphs, rewrite
from pipeline import prepare
from pipeline.errors import InputError
from pipeline.readers import HEAD_BYTES, read, reader_for

GOLD = Path(__file__).parent / "data" / "segmentation"
LITERARY = SHARED_DATA / "align" / "limsi_literary_fr-en" / "dev" / "doc_000" / "src.txt"


def _formatted(paragraph: str, n: int) -> list:
    """A paragraph's words in runs, every few words bold, italic or both, the spaces
    between them in either run: how a writer's formatting cuts a sentence."""
    words = paragraph.split(" ")
    runs, kinds = [], ["b", "i", "bi", None]
    for k in range(0, len(words), 4):
        chunk = " ".join(words[k:k + 4]) + (" " if k + 4 < len(words) else "")
        kind = kinds[(k // 4 + n) % 4]
        runs.append(chunk if kind is None else (kind, chunk))
    return runs


def _sentences(doc) -> list[str]:
    return [" ".join(s.text.split()) for s in doc.content_segments()]


def _same_as_text(tmp_path: Path, paragraphs: list[str], name: str):
    text = tmp_path / f"{name}.txt"
    text.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    word = tmp_path / f"{name}.docx"
    word.write_bytes(build_docx([("p", _formatted(p, n)) for n, p in enumerate(paragraphs)]))
    from_text, from_word = prepare(text), prepare(word)
    assert from_word.source["reader"] == "docx"
    return _sentences(from_text), _sentences(from_word), from_word


@pytest.mark.parametrize("case", ["fr_003", "en_002", "ru_004"])
def test_the_gold_sentences_come_back_as_the_plain_text_gives_them(tmp_path, case):
    gold = (GOLD / f"{case}.gold.txt").read_text(encoding="utf-8").splitlines()
    plain, word, doc = _same_as_text(tmp_path, paragraphs(gold), case)
    assert word == plain
    assert len(word) >= 0.9 * len(gold)  # nothing lost: the gold sentences, a few of them joined
    assert any(e.get("spans") for e in doc.source["layout"])


def test_a_novel_comes_back_as_the_plain_text_gives_it(tmp_path):
    if not LITERARY.is_file():
        pytest.skip(f"{LITERARY} is absent (the shared data lives beside the checkout)")
    lines = LITERARY.read_text(encoding="utf-8").splitlines()[4:64]
    plain, word, _ = _same_as_text(tmp_path, paragraphs(lines, 2), "alice")
    assert word == plain and len(word) >= 60


def _sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.docx"
    path.write_bytes(build_docx(SAMPLE))
    return path


def test_styles_make_the_kinds_and_every_block_has_its_place(tmp_path):
    doc = prepare(_sample(tmp_path))
    got = [(b.kind, b.meta["location"]["label"], b.text) for b in doc.blocks]
    assert got == [
        ("heading", "¶ 1", "Le rapport annuel"),
        ("heading", "¶ 2", "Première partie"),
        ("paragraph", "¶ 3", "Alice était assise auprès de sa sœur sur le gazon¹. Elle s'ennuyait."),
        ("heading", "¶ 4", "Détails"),
        ("paragraph", "¶ 5", "Le texte inséré reste."),
        ("list_item", "¶ 6", "Un premier élément."),
        ("list_item", "¶ 7", "Un élément numéroté."),
        ("quote", "¶ 8", "Une citation célèbre."),
        ("caption", "¶ 9", "Figure 1. Une légende."),
        ("paragraph", "table 1, row 1, cell 1", "Cellule un."),
        ("paragraph", "table 1, row 1, cell 2", "Cellule deux."),
        ("paragraph", "table 1, row 2, cell 1", "Trois."),
        ("paragraph", "table 1, row 2, cell 2", "La quatrième cellule²"),
        ("paragraph", "¶ 14", "Une phrase avec une note de fin³."),
        ("footnote", "footnote 1", "¹ Une note de bas de page."),
        ("footnote", "footnote 2", "² Note de tableau. Suite de la note."),
        ("footnote", "endnote 3", "³ La note de fin."),
    ]
    layout = doc.source["layout"]
    assert [e.get("level") for e in layout[:4]] == [1, 1, None, 2]
    assert layout[0]["location"]["style"] == "Title" and layout[3]["location"]["style"] == "Heading 2"
    cell = layout[12]["location"]
    assert (cell["table"], cell["row"], cell["cell"], cell["paragraph"]) == (1, 2, 2, 13)
    assert doc.source["notes"] == {"footnotes": 2, "endnotes": 1}


def test_every_note_marker_is_linked_to_its_note(tmp_path):
    doc = prepare(_sample(tmp_path))
    notes = {b.meta["footnote"]: b.id for b in doc.blocks if b.kind == "footnote"}
    markers = [m for b in doc.blocks for m in b.meta.get("footnote_markers", [])]
    assert [(m["n"], m["note"]) for m in markers] == [(n, notes[n]) for n in (1, 2, 3)]
    assert doc.meta["footnotes"] == {"notes": 3, "markers": 3}


def test_tracked_changes_are_accepted_and_comments_left_out(tmp_path):
    doc = read(_sample(tmp_path))
    assert "inséré" in doc.text and "supprimé" not in doc.text and "secret" not in doc.text
    assert doc.source["tracked"] == {"insertions": 1, "deletions": 1}
    assert doc.source["left_out"] == {"comments": 1, "text_boxes": 0, "headers_footers": 0}
    entry = next(e for e in doc.source["layout"] if e["location"]["paragraph"] == 5)
    text = doc.text[entry["span"][0]:entry["span"][1]]
    assert [text[a:b] for a, b in entry["inserted"]] == ["inséré"] and entry["deleted"] == ["supprimé "]


def test_bold_and_italic_are_spans_of_the_block_text(tmp_path):
    doc = read(_sample(tmp_path))
    for entry in doc.source["layout"]:
        text = doc.text[entry["span"][0]:entry["span"][1]]
        entry["_spans"] = [(text[a:b], f) for a, b, f in entry.get("spans", [])]
    by_label = {e["location"]["label"]: e["_spans"] for e in doc.source["layout"]}
    assert by_label["¶ 3"] == [("auprès de sa sœur", "b"), ("sur le gazon", "i")]
    assert by_label["table 1, row 2, cell 2"] == [("quatrième", "b")]
    assert by_label["¶ 1"] == []


def _with_document_xml(data: bytes, change) -> bytes:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    return rewrite(data, {"word/document.xml": change(xml).encode()})


def test_line_breaks_tabs_soft_hyphens_and_custom_heading_styles(tmp_path):
    data = build_docx([("p", "Un vers"), ("p", "Une phrase")])
    data = _with_document_xml(data, lambda x: x.replace(">Un vers<", ">Premier vers<").replace(
        "<w:t>Premier vers</w:t>", "<w:t>Premier vers,</w:t><w:br/><w:t>second vers.</w:t>").replace(
        "<w:t>Une phrase</w:t>", "<w:t>Une\tphrase ad</w:t><w:softHyphen/><w:t>mirable.</w:t>"))
    path = tmp_path / "breaks.docx"
    path.write_bytes(data)
    raw = read(path)
    assert raw.text == "Premier vers,\nsecond vers.\n\nUne phrase ad\u00admirable."
    doc = prepare(path)
    assert [b.text for b in doc.blocks] == ["Premier vers, second vers.", "Une phrase admirable."]
    assert any(e.rule == "soft_hyphen" for e in doc.blocks[1].edits)


def test_a_style_based_on_a_heading_style_and_direct_numbering(tmp_path):
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    document = docx.Document()
    mine = document.styles.add_style("Chapitre", WD_STYLE_TYPE.PARAGRAPH)
    mine.base_style = document.styles["Heading 1"]
    document.add_paragraph("Le premier chapitre", style="Chapitre")
    p = document.add_paragraph("Un élément numéroté à la main.")
    p._p.get_or_add_pPr().append(parse_xml('<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                                           '<w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'))
    document.add_paragraph("Un paragraphe ordinaire.")
    path = tmp_path / "styles.docx"
    document.save(path)
    layout = read(path).source["layout"]
    assert [(e["kind"], e.get("level")) for e in layout] == [("heading", 1), ("list_item", None), (None, None)]


def test_a_docx_is_claimed_whatever_its_name_and_an_epub_is_not(tmp_path):
    data = _sample(tmp_path).read_bytes()
    assert reader_for(Path("x.txt"), data[:HEAD_BYTES]).name == "docx"
    epub = io.BytesIO()
    with zipfile.ZipFile(epub, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
    assert reader_for(Path("x.txt"), epub.getvalue()[:HEAD_BYTES]).name != "docx"
    renamed = tmp_path / "report.txt"
    renamed.write_bytes(data)
    assert read(renamed).source["reader"] == "docx"


def _damaged_entry(data: bytes) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 20
    return data[:start] + bytes(b ^ 0x5A for b in data[start:start + 8]) + data[start + 8:]


def _bad_files(tmp_path: Path) -> dict[str, tuple[bytes, str]]:
    good = build_docx([("p", "Une phrase.")])
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return {
        "text.docx": (b"Just some text, named .docx.\n", "not a DOCX file (a DOCX is a zip archive, and this is none)"),
        "cut.docx": (good[: len(good) // 2], "a damaged zip archive"),
        "crc.docx": (_damaged_entry(good), "a damaged zip archive"),
        "sheet.docx": (sheet.getvalue(), "an Excel workbook with no word/document.xml, not a Word document"),
        "empty.docx": (build_docx([("p", ""), ("heading", " ", 1)]), "a Word document with no text"),
        "ole.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "an OLE file, not a DOCX"),
        "bomb.docx": (_entity_notes(good), "declares XML entities"),
    }


def _entity_notes(good: bytes) -> bytes:
    data = add_notes(good, "footnotes", ["Une note."])
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b'<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b'<w:footnote w:id="2"><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:footnote></w:footnotes>')
    return rewrite(data, {"word/footnotes.xml": bomb})


def test_bad_files_are_one_line_each(tmp_path):
    for name, (data, message) in _bad_files(tmp_path).items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError) as caught:
            read(path)
        line = str(caught.value)
        assert line.startswith(f"{path}: ") and message in line and "\n" not in line, (name, line)


def test_the_run_goes_on_past_bad_files_and_exits_1(tmp_path):
    good = tmp_path / "good.docx"
    good.write_bytes(build_docx([("heading", "A short report", 1), ("p", ["It has one sentence. ", ("b", "And a bold one.")])],
                                language="en-US"))
    inputs = [str(good)]
    for name, (data, _) in _bad_files(tmp_path).items():
        (tmp_path / name).write_bytes(data)
        inputs.append(str(tmp_path / name))
    proc = diptych("run", *inputs, "--out", str(tmp_path / "out"))
    assert proc.returncode == 1, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("diptych: error:")]
    assert len(errors) == len(inputs) - 1 and "Traceback" not in proc.stderr
    written = sorted(p.name for p in (tmp_path / "out" / "good").iterdir())
    assert "good.en.docx" in written and "good.bilingual.docx" in written and "good.original.docx" in written


def test_headers_and_footers_are_left_out_and_counted(tmp_path):
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Rapport annuel — en-tête"
    document.sections[0].footer.paragraphs[0].text = "Page de pied"
    document.add_paragraph("Le corps du texte.")
    path = tmp_path / "furniture.docx"
    document.save(path)
    doc = read(path)
    assert doc.text == "Le corps du texte." and doc.source["left_out"]["headers_footers"] == 2


def test_links_fields_and_content_controls_give_their_text_and_field_codes_none(tmp_path):
    data = build_docx([("p", "LIEN"), ("p", "CHAMP"), ("p", "CONTROLE")])
    link = ('<w:hyperlink w:anchor="x"><w:r><w:t>le site du journal</w:t></w:r></w:hyperlink>')
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE \\* MERGEFORMAT </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>12</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    control = '<w:sdt><w:sdtContent><w:smartTag><w:r><w:t>Paris</w:t></w:r></w:smartTag></w:sdtContent></w:sdt>'
    data = _with_document_xml(data, lambda x: x.replace("<w:r><w:t>LIEN</w:t></w:r>", f"<w:r><w:t xml:space=\"preserve\">Voir </w:t></w:r>{link}<w:r><w:t>.</w:t></w:r>")
                              .replace("<w:r><w:t>CHAMP</w:t></w:r>", f"<w:r><w:t xml:space=\"preserve\">Page </w:t></w:r>{field}<w:r><w:t>.</w:t></w:r>")
                              .replace("<w:r><w:t>CONTROLE</w:t></w:r>", f"<w:r><w:t xml:space=\"preserve\">Ville : </w:t></w:r>{control}"))
    path = tmp_path / "fields.docx"
    path.write_bytes(data)
    assert read(path).text == "Voir le site du journal.\n\nPage 12.\n\nVille : Paris"


def test_a_documents_only_note_is_linked_too(tmp_path):
    path = tmp_path / "one.docx"
    path.write_bytes(build_docx([("p", ["Une seule phrase annotée", ("note", "La seule note."), "."])]))
    doc = prepare(path)
    assert [b.text for b in doc.blocks] == ["Une seule phrase annotée¹.", "¹ La seule note."]
    assert doc.meta["footnotes"] == {"notes": 1, "markers": 1}
    assert doc.blocks[0].meta["footnote_markers"][0]["note"] == doc.blocks[1].id


def test_a_docx_whose_zip_opens_otherwise_is_read_by_its_suffix(tmp_path):
    data = build_docx([("p", "Une phrase.")])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in sorted(src.infolist(), key=lambda i: i.filename != "_rels/.rels"):
            z.writestr(info, src.read(info.filename))
    head = out.getvalue()[:HEAD_BYTES]
    assert reader_for(Path("x.txt"), head).name == "text"
    assert reader_for(Path("x.docx"), head).name == "docx"
    path = tmp_path / "libre.docx"
    path.write_bytes(out.getvalue())
    assert read(path).text == "Une phrase."
