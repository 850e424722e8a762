"""PDF reading: pypdfium2 (the reader's library) against pdfplumber, on PDFs Chromium lays out.

Speed and memory: generated PDFs of 10, 100 and 1,000 pages (FLORES dev sentences, A5,
running header, page numbers, notes), each read in a fresh subprocess that reports its
own peak RSS (the kernel's VmHWM). Both libraries feed the same layout analysis
(:mod:`pipeline.readers.pdf_layout`), so the figures compare the libraries, not two rule
sets. Recovery: on the test PDFs (the segmentation gold of en_002, fr_003 and ru_004 and
a FLORES fr document), the share of gold sentences found exactly among the body's
sentences, whether the body equals its plain text's sentences, and the furniture
(running header, page numbers) leaked into body sentences.

    python bench/documents_pdf.py            # the table
    python bench/documents_pdf.py --quick    # 10 and 100 pages only

Needs Chromium (Playwright) and pdfplumber (the bench extra). ``measure()`` returns the
rows for ``bench/documents_bench.py``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
FLORES = ROOT.parent / "shared" / "data" / "parallel" / "flores_dev.fr-en.fr"
CHROMIUM = "/usr/bin/chromium"
SIZES = (10, 100, 1000)
LIBRARIES = ("pypdfium2", "pdfplumber")
SUPERSCRIPTS = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]")


def _flores(n: int | None = None) -> list[str]:
    if FLORES.exists():
        lines = [s for s in FLORES.read_text(encoding="utf-8").splitlines() if s.strip()]
    else:  # without ../shared: the French gold, repeated
        from pdf_factory import gold_sentences

        lines = gold_sentences("fr_003") * 12
    return lines if n is None else lines[:n]


def _pages_of(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def generate(folder: Path, browser, sizes: tuple[int, ...] = SIZES) -> dict[int, Path]:
    """PDFs of about 10 and 100 pages laid out by Chromium (FLORES sentences), and of
    1,000 pages made of ten copies of the 100 pages' (Chromium takes minutes to print
    1,000 pages; the reader sees a PDF of 1,000 pages all the same)."""
    import pypdfium2 as pdfium

    from pdf_factory import build

    sentences = _flores()
    probe = build(browser, folder, "fr_probe", sentences=["Wikinews"] + sentences[:200]).path
    per_page = max(1, 200 // max(1, _pages_of(probe)))
    out = {}
    for pages in sorted({min(n, 100) for n in sizes}):
        want = pages * per_page
        text = (sentences * (want // len(sentences) + 1))[:want]
        out[pages] = build(browser, folder, f"fr_{pages}", sentences=["Wikinews"] + text).path
    if 1000 in sizes:
        big, part = pdfium.PdfDocument.new(), pdfium.PdfDocument(out[100])
        for _ in range(10):
            big.import_pages(part)
        out[1000] = folder / "fr_1000.pdf"
        big.save(out[1000])
        big.close()
        part.close()
    return {n: out[n] for n in sizes}


def pdfplumber_document(path: Path):
    """The PDF read with pdfplumber's characters and the reader's own layout rules."""
    import pdfplumber

    from pipeline.readers.pdf import document_of
    from pipeline.readers.pdf_layout import Char, Page, page_lines

    pages = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            chars = [Char(c["text"], c["x0"], c["y0"], c["x1"], c["y1"], c["matrix"][5], c["size"]) for c in page.chars]
            pages.append(Page(number, float(page.width), float(page.height), page_lines(chars)))
            page.close()
    data = path.read_bytes()
    return document_of(pages, doc_id=path.stem, data=data, origin=str(path), library=f"pdfplumber-{pdfplumber.__version__}",
                       info={"pages": len(pages)})


def read_with(library: str, path: Path):
    if library == "pdfplumber":
        return pdfplumber_document(path)
    from pipeline.readers import read

    return read(path)


def _child(library: str, path: str) -> None:
    import resource

    start = time.perf_counter()
    doc = read_with(library, Path(path))
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "pages": doc.source["pdf"]["pages"], "rss_mb": _peak_rss_mb(resource)}))


def _peak_rss_mb(resource) -> float:
    """This process's peak resident memory: the kernel's high-water mark, which a new
    program starts afresh (``ru_maxrss`` keeps the forking parent's, here the bench's
    browser driver's, at least)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed(library: str, path: Path, timeout: int = 900) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", library, str(path)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        return {"library": library, "error": proc.stderr.strip().splitlines()[-1:]}
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"library": library, "pages": got["pages"], "seconds": round(got["seconds"], 2),
            "pages_per_s": round(got["pages"] / got["seconds"], 1), "peak_rss_mb": round(got["rss_mb"], 1)}


def _norm(text: str) -> str:
    return " ".join(text.split())


def recovery(library: str, built, gold: list[str], lang: str) -> dict:
    from pipeline.frontend import prepare_text, run_stages

    doc = run_stages(read_with(library, built.path), lang)
    body = [b for b in doc.blocks if b.kind not in ("footnote", "junk", "meta")]
    sentences = [_norm(SUPERSCRIPTS.sub("", s.text)) for b in body for s in b.segments]
    plain = [_norm(s.text) for s in prepare_text(built.plain_text(), lang=lang).content_segments()]
    found = set(sentences)
    body_gold = [s for s in gold if s not in built.notes]
    leaked = sum(1 for s in sentences if built.header in s or re.fullmatch(r"\d{1,4}", s))
    return {"library": library, "document": built.path.stem, "gold_sentences": len(body_gold),
            "recovered_exact": round(sum(1 for s in body_gold if _norm(s) in found) / len(body_gold), 3),
            "same_as_plain_text": sentences == plain,
            "plain_text_sentences_matched": round(sum(1 for a, b in zip(sentences, plain) if a == b) / max(1, len(plain)), 3),
            "junk_leaked": leaked}


def measure(sizes: tuple[int, ...] = SIZES) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from pdf_factory import build, gold_sentences

    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="diptych-pdf-bench-") as tmp, sync_playwright() as p:
        folder = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            tests = [(build(browser, folder, case, columns=2 if case == "fr_003" else 1), gold_sentences(case), case[:2])
                     for case in ("en_002", "fr_003", "ru_004")]
            flores = ["Wikinews"] + _flores(300)
            tests.append((build(browser, folder, "fr_flores", sentences=flores), flores[1:], "fr"))
            start = time.perf_counter()
            generated = generate(folder, browser, sizes)
            made = time.perf_counter() - start
        finally:
            browser.close()
        for n, path in generated.items():
            for library in LIBRARIES:
                rows.append({"format": "pdf", "measure": "speed", "pdf": f"{n} pages ({path.stat().st_size // 1024} KiB)",
                             **speed(library, path)})
        for built, gold, lang in tests:
            for library in LIBRARIES:
                rows.append({"format": "pdf", "measure": "recovery", **recovery(library, built, gold, lang)})
        rows.append({"format": "pdf", "measure": "generation", "seconds": round(made, 1), "note": "Chromium, all sizes"})
    return rows


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        _child(argv[1], argv[2])
        return
    rows = measure((10, 100) if "--quick" in argv else SIZES)
    print("| library | PDF | pages | seconds | pages/s | peak RSS MB |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        if r["measure"] == "speed":
            print(f"| {r['library']} | {r['pdf']} | {r.get('pages', '-')} | {r.get('seconds', '-')} | "
                  f"{r.get('pages_per_s', r.get('error'))} | {r.get('peak_rss_mb', '-')} |")
    print()
    print("| library | document | gold sentences | recovered exactly | = plain text | plain sentences matched | junk leaked |")
    print("| --- | --- | ---: | ---: | --- | ---: | ---: |")
    for r in rows:
        if r["measure"] == "recovery":
            print(f"| {r['library']} | {r['document']} | {r['gold_sentences']} | {r['recovered_exact']:.1%} | "
                  f"{'yes' if r['same_as_plain_text'] else 'no'} | {r['plain_text_sentences_matched']:.1%} | {r['junk_leaked']} |")


if __name__ == "__main__":
    main(sys.argv[1:])
