"""EPUB reading: speed (items/s, MB/s) and recovery of known sentences, and the writers' round trip.

Each case is an EPUB built here with zipfile from text whose sentences are known (the
seeds' gold in tests/data/segmentation, and with ../shared/data a novel's first chapters
from the LIMSI literary set); recovery is the share of the plain text's sentences that
come back from the EPUB exactly (whitespace-normalised, in order: difflib matching
blocks), notes the share of note blocks linked, round trip whether the bilingual book
reads back with the original body text (its NCX labels read "source / English") and
the English one with the English, block for block.

    PYTHONPATH=. python bench/documents_epub.py [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from epub_books import build_epub, page, paragraphs  # noqa: E402

GOLD = ROOT / "tests" / "data" / "segmentation"
LITERARY = ROOT.parent / "shared" / "data" / "align" / "limsi_literary_fr-en" / "dev"
NOTE_BODY = ('<p>Il était une fois un roi<a epub:type="noteref" href="#n{n}"><sup>{n}</sup></a> qui régnait.</p>'
             '<aside epub:type="footnote" id="n{n}"><p>Une note numéro {n}.</p></aside>')


def _chapters(paras: list[str], per: int, notes: bool) -> list[tuple[str, str]]:
    out = []
    for k in range(0, len(paras), per):
        body = "\n".join(f"<p>{p.replace('&', '&amp;').replace('<', '&lt;')}</p>" for p in paras[k:k + per])
        if notes:
            body += "\n" + NOTE_BODY.format(n=k // per + 1)
        out.append((f"ch{k // per + 1:03d}.xhtml", page(body)))
    return out


def cases() -> list[dict]:
    found = []
    for case, lang in (("fr_003", "fr"), ("en_002", "en"), ("ru_004", "ru")):
        paras = paragraphs((GOLD / f"{case}.gold.txt").read_text(encoding="utf-8").splitlines())
        found.append({"case": f"{case} (EPUB 3, notes)", "lang": lang, "paras": paras, "version": 3, "notes": True})
    if LITERARY.is_dir():
        for doc in sorted(LITERARY.iterdir())[:3]:
            lines = [x for x in (doc / "src.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
            found.append({"case": f"literary {doc.name} (EPUB 2)", "lang": "fr", "paras": lines, "version": 2, "notes": False})
        lines = [x for x in (LITERARY / "doc_000" / "src.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
        # a long chapter: what a book with no chapter files looks like (paths must not cost their square)
        found.append({"case": "literary doc_000 ×5, one chapter", "lang": "fr", "paras": lines * 5, "version": 3,
                      "notes": False, "per": 10**6})
    return found


def _sentences(doc, nav: bool = False) -> list[str]:
    return [" ".join(s.text.split()) for b in doc.content_blocks() if bool(b.meta.get("location", {}).get("nav")) == nav
            and not (b.kind == "footnote" and b.text.startswith(tuple("0123456789")) and "Une note" in b.text)
            and "régnait." not in b.text for s in b.segments]


def _body(doc) -> list[str]:
    return [doc.text[slice(*e["span"])] for e in doc.source["layout"] if not e["location"].get("nav")]


def measure(repeat: int = 3) -> list[dict]:
    from pipeline import prepare
    from pipeline.bilingual import translation_input
    from pipeline.editions.common import english_block
    from pipeline.editions.epub import render_bilingual_epub, render_english_epub
    from pipeline.frontend import prepare_text
    from pipeline.readers import reader_named

    reader = reader_named("epub")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for c in cases():
            chapters = _chapters(c["paras"], c.get("per", 20), c["notes"])
            data = build_epub(chapters, version=c["version"], lang=c["lang"])
            best = float("inf")
            for _ in range(repeat):
                t = time.perf_counter()
                reader.read_bytes(data, "b", "b.epub")
                best = min(best, time.perf_counter() - t)
            path = Path(tmp) / "b.epub"
            path.write_bytes(data)
            doc = prepare(path, lang=c["lang"])
            got, want = _sentences(doc), _sentences(prepare_text("\n\n".join(c["paras"]), lang=c["lang"]))
            same = sum(m.size for m in difflib.SequenceMatcher(a=want, b=got, autojunk=False).get_matching_blocks())
            notes = [b for b in doc.blocks if b.kind == "footnote"]
            linked = {m["n"] for b in doc.blocks for m in b.meta.get("footnote_markers", [])}
            for b in doc.content_blocks():
                for s in b.segments:
                    s.translation = f"EN[{translation_input(s)}]"
            doc.meta["translation"] = {"needed": True}
            bilingual = reader.read_bytes(render_bilingual_epub(doc, data), "b", "b.epub")
            english = reader.read_bytes(render_english_epub(doc, data), "e", "e.epub")
            english_ok = [" ".join(english.text[slice(*e["span"])].split()) for e in english.source["layout"]] == \
                [" ".join(english_block(b).split()) for b in doc.content_blocks()]
            rows.append({
                "case": c["case"], "items": len(chapters), "MB": round(len(data) / 1e6, 3),
                "blocks/s": round(len(doc.source["layout"]) / best),
                "items/s": round(len(chapters) / best), "MB/s": round(len(data) / 1e6 / best, 2),
                "sentences": len(want), "recovered": round(same / max(len(want), 1), 4),
                "notes_linked": f"{sum(1 for b in notes if b.meta.get('footnote') in linked)}/{len(notes)}",
                # the body's text untouched (an NCX's labels read "source / English": no markup to tell them)
                "bilingual_same_text": _body(bilingual) == _body(doc), "english_reads_back": english_ok,
            })
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = measure(args.repeat)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
