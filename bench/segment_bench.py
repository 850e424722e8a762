#!/usr/bin/env python3
"""Sentence segmentation on raw seed text: Diptych against pySBD, the Moses splitter
(sentence-splitter) and razdel, on the same raw input, in one run.

Scores are sentence-level precision, recall and F1 against the hand-checked gold in
tests/data/segmentation (a predicted sentence counts when its text, whitespace collapsed,
equals a gold sentence: a sentence cut in two, glued to the next, or left with a
line-end hyphen is wrong). Speed is MB/s of raw input (best of --repeat runs). The last
table times Diptych's whole front end on all five seeds: ingest -> structure -> footnotes
-> segment, then with language identification.

    python bench/segment_bench.py
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOLD = ROOT / "tests" / "data" / "segmentation"
CASES = {"fr_003": "fr", "ru_004": "ru", "en_002": "en"}


def diptych(lang: str):
    from pipeline.footnotes import mark_footnotes
    from pipeline.ingest import ingest_bytes
    from pipeline.segment import segment
    from pipeline.structure import structure

    def run(raw: str) -> list[str]:
        doc = segment(mark_footnotes(structure(ingest_bytes(raw.encode("utf-8"), "bench"))))
        return [s.text for b in doc.blocks if b.kind != "junk" for s in b.segments]

    return run


def pysbd_splitter(lang: str):
    import pysbd

    seg = pysbd.Segmenter(language=lang, clean=False)
    return lambda raw: seg.segment(raw)


def moses_splitter(lang: str):
    from sentence_splitter import SentenceSplitter

    splitter = SentenceSplitter(language=lang)
    return lambda raw: splitter.split(raw)


def razdel_splitter(lang: str):
    from razdel import sentenize

    return lambda raw: [s.text for s in sentenize(raw)]


TOOLS = {"diptych": diptych, "pysbd": pysbd_splitter, "moses": moses_splitter, "razdel": razdel_splitter}


def norm(sentences: list[str]) -> list[str]:
    return [" ".join(s.split()) for s in sentences if s.strip()]


def prf(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    hits = sum((Counter(pred) & Counter(gold)).values())
    p, r = hits / max(1, len(pred)), hits / max(1, len(gold))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_time(fn, arg, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(arg)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows = []
    for case, lang in CASES.items():
        raw = (GOLD / f"{case}.raw.txt").read_text(encoding="utf-8")
        gold = (GOLD / f"{case}.gold.txt").read_text(encoding="utf-8").splitlines()
        size = len(raw.encode("utf-8"))
        for name, make in TOOLS.items():
            fn = make(lang)
            pred = norm(fn(raw))  # also warms up
            p, r, f = prf(pred, gold)
            seconds = best_time(fn, raw, args.repeat)
            rows.append({"case": case, "tool": name, "precision": p, "recall": r, "f1": f, "mb_per_s": size / seconds / 1e6, "sentences": len(pred), "gold": len(gold)})
    print(f"{'case':8} {'tool':8} {'P':>6} {'R':>6} {'F1':>6} {'MB/s':>7} {'sents':>6} {'gold':>5}")
    for r in rows:
        print(f"{r['case']:8} {r['tool']:8} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['mb_per_s']:7.2f} {r['sentences']:6d} {r['gold']:5d}")

    # Diptych's whole front end on all seeds
    from pipeline.footnotes import mark_footnotes
    from pipeline.ingest import ingest
    from pipeline.langid import identify
    from pipeline.segment import segment
    from pipeline.structure import structure

    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    total = sum(p.stat().st_size for p in seeds)
    front = lambda files: [segment(mark_footnotes(structure(ingest(p)))) for p in files]  # noqa: E731
    with_langid = lambda files: [identify(d) for d in front(files)]  # noqa: E731
    with_langid(seeds)  # warm-up: loads the language models once
    speeds = {name: total / best_time(fn, seeds, args.repeat) / 1e6 for name, fn in (("ingest->segment", front), ("ingest->segment + langid", with_langid))}
    print(f"\nfront end on all seeds ({total / 1e3:.0f} kB, best of {args.repeat}):")
    for name, v in speeds.items():
        print(f"  {name:26s} {v:6.2f} MB/s")
    print(json.dumps({"rows": rows, "front_end_mb_per_s": speeds}))


if __name__ == "__main__":
    main()
