#!/usr/bin/env python3
"""The DOCX reader and writers: read speed and recovery, on Word documents built here.

Each case is a text whose sentences are known (the segmentation gold of three seeds, and
a French novel's first 400 lines from ../shared when present) made into a DOCX with
python-docx: paragraphs of up to three sentences, every few words bold, italic or both,
and, for the recovery of notes and revisions, one tracked insertion and deletion every
fifth paragraph, and there a footnote too where the text has no note markers of its own
(the novel, ru_004). Figures:

* ``paragraphs_per_s``: the reader alone (bytes -> blocks), best of ``--repeat``;
* ``sentences_same``: the share of the plain text's sentences (the same paragraphs as a
  .txt, through ``pipeline.frontend.prepare``) that the DOCX gives exactly, in order;
* ``notes_linked``: the share of footnote references that the front end links to their note;
* ``tracked_right``: whether every insertion is in the text and no deletion is;
* ``in_place_same`` / ``bilingual_same``: the share of blocks whose English (a hand-made
  translation: each sentence marked) reads back from ``.en.docx`` / the table's English
  column exactly.

    python bench/documents_docx.py [--repeat 3] [--json]
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
GOLD = ROOT / "tests" / "data" / "segmentation"
NOVEL = ROOT.parent / "shared" / "data" / "align" / "limsi_literary_fr-en" / "dev" / "doc_000" / "src.txt"
NOTE_EVERY = 5
# texts whose words hold note markers of their own, whose notes the excerpt lacks (fr_003:
# numbers glued to words, en_002: [1]): they would take the numbers before the notes added
# here, so these get the revisions and no notes
OWN_MARKERS = {"fr_003", "en_002"}


def cases() -> dict[str, list[str]]:
    out = {case: (GOLD / f"{case}.gold.txt").read_text(encoding="utf-8").splitlines() for case in ("fr_003", "en_002", "ru_004")}
    if NOVEL.is_file():
        out["novel_fr"] = NOVEL.read_text(encoding="utf-8").splitlines()[:400]
    return out


def blocks_of(paras: list[str], revisions: bool = True, notes_too: bool = True) -> tuple[list, int, int]:
    """The builder's blocks: formatted runs, a note and a revision every few paragraphs."""
    blocks, notes, changes = [], 0, 0
    kinds = ["b", "i", "bi", None]
    for n, para in enumerate(paras):
        words = para.split(" ")
        runs: list = []
        for k in range(0, len(words), 4):
            chunk = " ".join(words[k:k + 4]) + (" " if k + 4 < len(words) else "")
            kind = kinds[(k // 4 + n) % 4]
            runs.append(chunk if kind is None else (kind, chunk))
        if revisions and n % NOTE_EVERY == NOTE_EVERY - 1 and para.rstrip()[-1:] == ".":
            runs[-1] = runs[-1] if isinstance(runs[-1], str) else runs[-1][1]
            runs[-1] = runs[-1].rstrip()[:-1]
            runs += [("note", f"Note {notes + 1} du document.")] if notes_too else []
            runs += [".", " ", ("ins", "Ajout."), ("del", " Retrait.")]
            notes, changes = notes + notes_too, changes + 1
        blocks.append(("p", runs))
    return blocks, notes, changes


def _sentences(doc) -> list[str]:
    return [" ".join(s.text.split()) for s in doc.content_segments()]


def _share(a: list[str], b: list[str]) -> float:
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return sum(m.size for m in matcher.get_matching_blocks()) / max(len(a), 1)


def measure(repeat: int = 3) -> list[dict]:
    from docx_build import build_docx, paragraphs
    from pipeline import prepare
    from pipeline.bilingual import translation_input
    from pipeline.editions import render
    from pipeline.editions.common import english_block
    from pipeline.readers import reader_named

    rows = []
    reader = reader_named("docx")
    for case, sentences in cases().items():
        paras = paragraphs(sentences)
        formatted_blocks, _, _ = blocks_of(paras, revisions=False)
        blocks, notes, changes = blocks_of(paras, notes_too=case not in OWN_MARKERS)
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            txt = tmp_path / f"{case}.txt"
            txt.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
            rich = tmp_path / f"{case}_rich.docx"
            data = build_docx(blocks)
            rich.write_bytes(data)
            best = min(_timed(lambda: reader.read_bytes(data, case, str(rich))) for _ in range(repeat))
            from_text = _sentences(prepare(txt))
            formatted = tmp_path / f"{case}_formatted.docx"
            formatted.write_bytes(build_docx(formatted_blocks))
            doc = prepare(rich)
            markers = sum(len(b.meta.get("footnote_markers", [])) for b in doc.blocks)
            linked = sum(1 for b in doc.blocks for m in b.meta.get("footnote_markers", []) if m.get("note"))
            tracked_right = doc.text.count("Ajout.") == changes and "Retrait." not in doc.text
            same = _share(from_text, _sentences(prepare(formatted)))
            for seg in doc.content_segments():
                seg.translation = f"EN {translation_input(seg)}"
            doc.meta["translation"] = {"needed": True}
            render(doc, tmp_path / "out", ["docx"])
            expected = [" ".join(english_block(b).split()) for b in doc.blocks]
            back = [" ".join(b.text.split()) for b in prepare(tmp_path / "out" / f"{case}_rich.en.docx").blocks]
            table = [" ".join(b.text.split()) for b in prepare(tmp_path / "out" / f"{case}_rich.bilingual.docx").blocks][3::2]
            content = [" ".join(english_block(b).split()) for b in doc.content_blocks()]
        rows.append({
            "case": case,
            "paragraphs": len(paras),
            "bytes": len(data),
            "paragraphs_per_s": round(len(paras) / best),
            "sentences_same": round(same, 4),
            "notes": notes,
            "notes_linked": round(linked / notes, 4) if notes else None,
            "markers_found": markers,
            "tracked_right": tracked_right,
            "in_place_same": round(_share(expected, back), 4),
            "bilingual_same": round(_share(content, table), 4),
        })
    rows.append(_large(reader, repeat))
    return rows


def _large(reader, repeat: int) -> dict:
    """Read speed on one long document: every case's paragraphs, ten times over."""
    from docx_build import build_docx, paragraphs

    paras = [p for sentences in cases().values() for p in paragraphs(sentences)] * 10
    blocks, _, _ = blocks_of(paras)
    data = build_docx(blocks)
    best = min(_timed(lambda: reader.read_bytes(data, "large", "large.docx")) for _ in range(repeat))
    return {"case": "all x10", "paragraphs": len(paras), "bytes": len(data), "paragraphs_per_s": round(len(paras) / best)}


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = measure(args.repeat)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    keys = list(rows[0])
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(str(row.get(k, "")) for k in keys))


if __name__ == "__main__":
    main()
