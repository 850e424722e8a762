"""The PDF reader on PDFs that Chromium lays out from text whose sentences are known.

Each PDF has a running header (a fixed text and the document's title), a page number in
its footer, notes in small type below the text with raised calls in the body, soft
hyphens that break long words at line ends; one is set in two columns. The body must
come back sentence for sentence as its plain text does, the furniture out of the body,
every call linked to its note, every block with its page."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import diptych, needs_chromium
from pdf_factory import BLANK_PDF, EMPTY_PDF, broken_xref, build, encrypted, png, print_pdf

from pipeline.errors import InputError
from pipeline.frontend import prepare, prepare_text
from pipeline.readers import read

pytestmark = needs_chromium
SUPERSCRIPTS = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]")
FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
CASES = {"en_002": 1, "fr_003": 2, "ru_004": 1}  # case -> columns


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pdfs(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    return {case: build(browser, folder, case, columns=cols) for case, cols in CASES.items()}


@pytest.fixture(scope="module")
def prepared(pdfs):
    return {case: prepare(b.path, lang=case[:2]) for case, b in pdfs.items()}


def _body_sentences(doc) -> list[str]:
    return [_norm(SUPERSCRIPTS.sub("", s.text)) for b in doc.blocks if b.kind not in ("footnote", "junk", "meta")
            for s in b.segments]


@pytest.mark.parametrize("case", CASES)
def test_the_body_has_the_sentences_of_its_plain_text(pdfs, prepared, case):
    doc, built = prepared[case], pdfs[case]
    plain = prepare_text(built.plain_text(), lang=case[:2])
    assert doc.source["pdf"]["pages"] >= 4  # the test means page ends, furniture on every page
    assert _body_sentences(doc) == [_norm(s.text) for s in plain.content_segments()]
    assert doc.provenance["ingest"]["reader"] == "pdf" and doc.provenance["ingest"]["library"].startswith("pypdfium2-")


@pytest.mark.parametrize("case", CASES)
def test_headers_footers_and_page_numbers_stay_out_of_the_body(pdfs, prepared, case):
    doc, built = prepared[case], pdfs[case]
    pages = doc.source["pdf"]["pages"]
    numbers = [b for b in doc.blocks if b.kind == "meta"]
    assert [b.text for b in numbers] == [str(n) for n in range(1, pages + 1)]
    assert [b.meta["location"]["page"] for b in numbers] == list(range(1, pages + 1))
    junk = [b.text for b in doc.blocks if b.kind == "junk"]
    assert junk.count(built.header) == pages
    for b in doc.blocks:
        if b.kind in ("junk", "meta"):
            continue
        assert built.header not in b.text
        for s in b.segments:
            assert not re.fullmatch(r"\d{1,3}", s.text.strip()), s.text
    # the running title is junk on every page, and the title itself a heading
    assert [b.kind for b in doc.blocks if _norm(b.text) == built.title and b.kind != "junk"] == ["heading"]
    assert sum(1 for b in doc.blocks if b.kind == "junk" and built.title.startswith(_norm(b.text))) == pages


@pytest.mark.parametrize("case", CASES)
def test_every_note_call_is_linked_to_its_note(pdfs, prepared, case):
    doc, built = prepared[case], pdfs[case]
    notes = {b.id: b for b in doc.blocks if b.kind == "footnote"}
    assert [_norm(SUPERSCRIPTS.sub("", b.text)) for b in notes.values()] == built.notes
    markers = [m for b in doc.blocks for m in b.meta.get("footnote_markers", [])]
    assert [m["n"] for m in markers] == [1, 2, 3]
    assert all(m["note"] in notes and notes[m["note"]].meta["footnote"] == m["n"] for m in markers)


@pytest.mark.parametrize("case", CASES)
def test_blocks_know_their_page_and_box(pdfs, prepared, case):
    import pypdfium2 as pdfium

    doc = prepared[case]
    pdf = pdfium.PdfDocument(pdfs[case].path)
    try:
        texts = []
        for page in pdf:
            texts.append(_norm(page.get_textpage().get_text_range().replace("\ufffe", "-")))
            width, height = page.get_size()
    finally:
        pdf.close()
    pages = [b.meta["location"]["page"] for b in doc.blocks if b.kind not in ("junk", "meta", "footnote")]
    assert pages == sorted(pages) and pages[0] == 1
    assert max(b.meta["location"]["page"] for b in doc.blocks) == len(texts)
    for b in doc.blocks:
        loc = b.meta["location"]
        assert loc["label"] == f"p. {loc['page']}"
        x0, y0, x1, y1 = loc["box"]
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
        start = doc.text[b.span[0]:b.span[1]].split()[0].rstrip("\u00ad-").translate(FROM_SUPERSCRIPT)
        assert start in texts[loc["page"] - 1], (start, loc)


def test_two_columns_are_read_column_by_column(pdfs):
    doc = read(pdfs["fr_003"].path)
    boxes = [e["location"]["box"] for e in doc.source["layout"] if e["kind"] is None and e["location"]["page"] == 2]
    # on a full page of two columns, the left column's blocks come before the right's
    lefts = [x0 for x0, _, _, _ in boxes]
    assert min(lefts) < 100 < max(lefts)
    assert lefts == sorted(lefts, key=lambda x: x > 100)


def test_a_paragraph_cut_by_a_page_end_runs_on(prepared):
    doc = prepared["ru_004"]
    entries = doc.source["layout"]
    assert sum(1 for e in entries if e.get("continues")) >= 3
    joined = [b for b in doc.blocks if "layout_end" in b.meta]
    assert joined and all(entries[b.meta["layout_end"]]["location"]["page"] == b.meta["location"]["page"] + 1 for b in joined)


def test_line_end_hyphens_are_given_as_printed(browser, tmp_path):
    # a soft hyphen that breaks a word (Chromium sets U+2010) is joined, always; a hard
    # hyphen at a line end (PDFium reports U+0002) is given as "-": the front end decides
    words = "Un arc-boutant extraordinairement anticonstitutionnellement solide tient très bien la voûte."
    soft = words.replace("extraordinairement", "extra\u00adordinairement").replace(
        "anticonstitutionnellement", "anti\u00adconstitution\u00adnellement")
    html = f'<html lang="fr"><body style="width:70px;font-size:14px"><p>{soft}</p></body></html>'
    path = print_pdf(browser, html, tmp_path / "hyphens.pdf")
    doc = prepare(path, lang="fr")
    assert [_norm(s.text) for s in doc.segments] == [words]
    lines = doc.text.split("\n")
    assert any(line.endswith("\u00ad") for line in lines)
    assert "Un arc-" in lines
    rules = {e.rule for b in doc.blocks for e in b.edits}
    assert "soft_hyphen" in rules and "hyphen_kept" in rules


# -- bad input: one line each ---------------------------------------------------------------
@pytest.fixture(scope="module")
def good_bytes(pdfs):
    return pdfs["en_002"].path.read_bytes()


def _refused(path) -> str:
    with pytest.raises(InputError) as err:
        read(path)
    message = str(err.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def test_a_scan_needs_ocr_first(browser, tmp_path):
    import base64

    img = base64.b64encode(png()).decode()
    path = print_pdf(browser, f'<html><body><img src="data:image/png;base64,{img}"></body></html>', tmp_path / "scan.pdf")
    assert "has no text layer (a scanned PDF?)" in _refused(path) and "ocrmypdf" in _refused(path)


def test_encrypted_damaged_truncated_and_empty_pdfs_are_refused(tmp_path, good_bytes):
    cases = {
        "locked.pdf": (encrypted(good_bytes), "encrypted"),
        "damaged.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n", "damaged PDF file"),
        "cut.pdf": (good_bytes[: len(good_bytes) * 2 // 3], "truncated"),
        "none.pdf": (EMPTY_PDF, "no pages"),
        "zero.pdf": (b"", "empty"),
        "blank.pdf": (BLANK_PDF, "blank"),
    }
    for name, (data, said) in cases.items():
        (tmp_path / name).write_bytes(data)
        assert said in _refused(tmp_path / name), name


def test_a_broken_cross_reference_table_is_repaired_and_read(tmp_path, good_bytes, prepared):
    path = tmp_path / "xref.pdf"
    path.write_bytes(broken_xref(good_bytes))
    assert path.read_bytes() != good_bytes
    assert _body_sentences(prepare(path, lang="en")) == _body_sentences(prepared["en_002"])


def test_a_pdf_named_txt_is_read_as_a_pdf(tmp_path, pdfs, prepared):
    path = tmp_path / "named.txt"
    shutil.copy(pdfs["en_002"].path, path)
    doc = prepare(path, lang="en")
    assert doc.source["reader"] == "pdf" and _body_sentences(doc) == _body_sentences(prepared["en_002"])


def test_the_cli_says_one_line_for_a_bad_pdf_and_goes_on(tmp_path, pdfs, offline_env, good_bytes):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(encrypted(good_bytes))
    good = tmp_path / "good.txt"
    good.write_text("The committee met last night. The meeting lasted two hours.\n", encoding="utf-8")
    proc = diptych("segment", str(pdfs["en_002"].path), "--lang", "en", env=offline_env)
    assert proc.returncode == 0, proc.stderr
    assert pdfs["en_002"].title in proc.stdout.splitlines()
    proc = diptych("segment", str(bad), env=offline_env)
    assert proc.returncode == 1 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "encrypted" in proc.stderr
    out = tmp_path / "out"
    proc = diptych("run", str(bad), str(good), "--out", str(out), env=offline_env)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and str(bad) in errors[0] and "encrypted" in errors[0]
    assert (out / "good" / "good.jsonl").exists()


# -- the geometry rules on characters placed by hand (no browser needed) --------------------
def _chars(text: str, x0: float, base: float, size: float = 10.0, raised: str = ""):
    from pipeline.readers.pdf_layout import Char

    out, x = [], x0
    for ch in text:
        out.append(Char(ch, x, base - 0.2 * size, x + 0.5 * size, base + 0.9 * size, base, size))
        x += 0.5 * size
    for ch in raised:  # a note call: smaller, its baseline raised
        out.append(Char(ch, x, base + 0.2 * size, x + 0.35 * size, base + 0.9 * size, base + 0.4 * size, 0.65 * size))
        x += 0.35 * size
    return out


def _page(number: int, rows: list[tuple[str, float, float]]):
    from pipeline.readers.pdf_layout import Page, page_lines

    chars = [c for text, x0, base in rows for c in _chars(text, x0, base) + [_space()]]
    return Page(number, 420.0, 600.0, page_lines(chars))


def _space():
    from pipeline.readers.pdf_layout import Char

    return Char(" ", 0, 0, 0, 0, 0, 0)


def test_furniture_is_found_by_its_place_and_repetition_not_its_words():
    from pipeline.readers.pdf_blocks import blocks

    pages = []
    for n in range(1, 4):
        body = [(f"Body line {k} of page {n} in the text block here", 40, 500 - 14 * k) for k in range(20)]
        if n == 2:
            body[5] = ("Chapter One", 40, 500 - 14 * 5)  # the header's words, in the body
        pages.append(_page(n, [("Chapter One", 40, 570)] + body + [(str(n + 10), 200, 30)]))
    found = blocks(pages)
    got = [(b.kind, b.lines[0].text, b.page) for b in found]
    assert [g for g in got if g[0] == "junk"] == [("junk", "Chapter One", n) for n in (1, 2, 3)]
    assert [g for g in got if g[0] == "meta"] == [("meta", str(n + 10), n) for n in (1, 2, 3)]
    assert any(b.kind is None and b.page == 2 and "Chapter One" in [ln.text for ln in b.lines] for b in found)


def test_a_raised_small_digit_is_a_superscript_note_call():
    from pipeline.readers.pdf_layout import page_lines

    lines = page_lines(_chars("a word", 40, 300, raised="12") + [_space()] + _chars("more", 40 + 3 * 10 + 8, 300))
    assert [ln.text for ln in lines] == ["a word¹² more"]
    # a digit on the baseline, or raised but of the line's size, stays a digit
    assert [ln.text for ln in page_lines(_chars("page 12", 40, 300))] == ["page 12"]


@pytest.mark.parametrize("indent_next_page, continues", [(False, True), (True, False)])
def test_an_indented_document_runs_a_paragraph_on_past_a_sentence_that_ends_a_page(indent_next_page, continues):
    from pipeline.readers.pdf_blocks import blocks

    def paragraph(words: str, top: float, lines: int, indent: bool = True, end: str = ".") -> list:
        rows = [(f"{words} line {k} goes on and on here", 40 + (15 if k == 0 and indent else 0), top - 14 * k)
                for k in range(lines)]
        rows[-1] = (rows[-1][0] + end, rows[-1][1], rows[-1][2])
        return rows

    first = paragraph("One", 500, 8) + paragraph("Two", 500 - 14 * 8, 8) + paragraph("Three", 500 - 14 * 16, 20)
    second = paragraph("Four", 500, 6, indent=indent_next_page) + paragraph("Five", 500 - 14 * 6, 6)
    found = blocks([_page(1, first), _page(2, second)])
    body = [b for b in found if b.kind is None]
    assert [b.lines[0].text.split()[0] for b in body] == ["One", "Two", "Three", "Four", "Five"]
    assert [b.continues for b in body] == [False, False, continues, False, False]


def test_a_header_row_with_a_chapter_number_gives_the_page_number_and_small_listings_are_no_notes():
    from pipeline.readers.pdf_blocks import blocks
    from pipeline.readers.pdf_layout import Page, page_lines

    pages = []
    for n in range(1, 5):
        rows = [(f"Chapter 2: Structures {n * 0}", 40, 570)]  # "Chapter 2: Structures 0" on every page
        body = [(f"Body line {k} of page {n} in the text block", 40, 520 - 14 * k) for k in range(20)]
        chars = [c for text, x0, base in rows + body for c in _chars(text, x0, base) + [_space()]]
        chars += _chars(str(n + 4), 360, 570) + [_space()]  # the page number, right of the header
        # a listing in small type at the bottom, opening with no number
        for k, text in enumerate(["Header:", "2 CARD16 MAJOR", "2 CARD16 MINOR"]):
            chars += _chars(text, 40, 200 - 10 * k, size=7.0) + [_space()]
        pages.append(Page(n, 420.0, 600.0, page_lines(chars)))
    found = blocks(pages)
    assert [(b.page, b.lines[0].text) for b in found if b.kind == "meta"] == [(n, str(n + 4)) for n in range(1, 5)]
    assert {b.lines[0].text for b in found if b.kind == "junk"} == {"Chapter 2: Structures 0"}
    assert not [b for b in found if b.kind == "footnote"]
