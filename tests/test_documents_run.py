"""Documents of every format through the whole pipeline as text goes: one corpus of mixed
formats, each with its own editions and its original kept, editions rebuilt without the
user's file, a document aligned with a translation in another format, and the review page
showing where each sentence stands."""

import json

from conftest import TINY_MAX_LENGTH, diptych
from docx_build import build_docx

FRENCH = [
    ("heading", "Le conseil municipal", 1),
    ("p", "Le conseil municipal a voté le budget hier soir. La séance a duré trois heures."),
    ("p", "Les habitants attendent depuis longtemps la rénovation de la piscine."),
]
ENGLISH = [
    ("heading", "The town council", 1),
    ("p", "The town council passed the budget last night. The meeting lasted three hours."),
    ("p", "Residents have long awaited the renovation of the swimming pool."),
]
PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>La ville</title></head>
<body><nav><a href="/">Accueil</a> <a href="/actus">Actualités</a> <a href="/contact">Contact</a></nav>
<main><article><h1>La ville au printemps</h1>
<p>Les arbres du parc ont fleuri plus tôt que prévu cette année. Les jardiniers s'en réjouissent.</p>
</article></main>
<footer>© 2026 La Gazette. Tous droits réservés.</footer></body></html>
"""


def _run(corpus, out, tiny_models, *extra):
    return diptych("run", str(corpus), "--model", f"fr={tiny_models['fr']}", "--max-length", TINY_MAX_LENGTH,
                   "--compute-type", "float32", "--out", str(out), "--json", *extra)


def test_a_folder_of_mixed_formats_is_one_corpus_with_each_document_s_own_editions(tmp_path, tiny_models):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "rapport.docx").write_bytes(build_docx(FRENCH))
    (corpus / "page.html").write_text(PAGE, encoding="utf-8")
    (corpus / "note.txt").write_text("La réunion reprendra lundi prochain à neuf heures.\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = _run(corpus, out, tiny_models)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert sorted(d["id"] for d in report["documents"]) == ["note", "page", "rapport"]
    files = {d: sorted(p.name for p in (out / d).iterdir()) for d in ("note", "page", "rapport")}
    for name in ("rapport.en.docx", "rapport.bilingual.docx", "rapport.original.docx", "rapport.tsv", "rapport.html"):
        assert name in files["rapport"], files["rapport"]
    assert {"page.en.html", "page.original.html", "page.html"} <= set(files["page"])
    assert not any(n.endswith((".docx", ".epub")) or ".original" in n for n in files["note"])
    # the page's furniture is in the record, not in what was translated
    record = [json.loads(line) for line in (out / "page" / "page.jsonl").read_text(encoding="utf-8").splitlines()]
    translated = " ".join(r["text"] for r in record if r["type"] == "segment" and r["translation"])
    assert "parc" in translated and "Accueil" not in translated and "droits" not in translated
    # every block of a document read by a document reader knows where it stands
    blocks = [r for r in record if r["type"] == "block"]
    assert all(b["meta"]["location"]["label"] for b in blocks)
    assert "article/p" in (out / "page" / "page.html").read_text(encoding="utf-8")

    # the user's file gone, render writes its editions again from the copy kept beside the record
    (corpus / "rapport.docx").unlink()
    before = (out / "rapport" / "rapport.en.docx").read_bytes()
    (out / "rapport" / "rapport.en.docx").unlink()
    proc = diptych("render", str(out / "rapport" / "rapport.jsonl"))
    assert proc.returncode == 0, proc.stderr
    assert (out / "rapport" / "rapport.en.docx").read_bytes()[:2] == before[:2] == b"PK"



def test_a_word_original_is_aligned_with_its_translation_as_a_web_page(tmp_path):
    from docx_build import build_docx as build

    original, translation = tmp_path / "rapport.docx", tmp_path / "report.html"
    original.write_bytes(build(FRENCH))
    paragraphs = "".join(f"<h1>{t}</h1>" if k == "heading" else f"<p>{t}</p>" for k, t, *_ in ENGLISH)
    translation.write_text(f"<!DOCTYPE html><html lang='en'><body><main>{paragraphs}</main></body></html>", encoding="utf-8")
    out = tmp_path / "aligned"
    proc = diptych("align", str(original), str(translation), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    record = [json.loads(line) for line in (out / "rapport--report.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = {r["text"]: r["translation"] for r in record if r["type"] == "segment"}
    assert pairs["Le conseil municipal a voté le budget hier soir."] == "The town council passed the budget last night."
    assert pairs["Les habitants attendent depuis longtemps la rénovation de la piscine."] == \
        "Residents have long awaited the renovation of the swimming pool."
    # the aligned English goes back into the Word document too
    assert (out / "rapport--report.en.docx").is_file() and (out / "rapport--report.bilingual.docx").is_file()


def test_english_only_writes_the_book_in_english_instead_of_the_bilingual_one(tmp_path, tiny_models):
    from epub_books import build_epub, page

    book = tmp_path / "livre.epub"
    book.write_bytes(build_epub([("ch1.xhtml", page("<h1>Chapitre un</h1><p>Le conseil a voté le budget hier soir.</p>"))]))
    out = tmp_path / "out"
    proc = _run(book, out, tiny_models, "--english-only")
    assert proc.returncode == 0, proc.stderr
    names = {p.name for p in (out / "livre").iterdir()}
    assert "livre.en.epub" in names and "livre.bilingual.epub" not in names
    proc = diptych("render", str(out / "livre" / "livre.jsonl"), "--formats", "epub")
    assert proc.returncode == 0 and (out / "livre" / "livre.bilingual.epub").is_file(), proc.stderr
