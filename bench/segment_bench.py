#!/usr/bin/env python3
"""Sentence segmentation on raw seed text: Diptych against pySBD, the Moses splitter
(sentence-splitter) and razdel, on the same raw input, in one run.

Scores are sentence-level precision, recall and F1 against the hand-checked gold in
tests/data/segmentation (a predicted sentence counts when its text, whitespace collapsed,
equals a gold sentence: a sentence cut in two, glued to the next, or left with a
line-end hyphen is wrong). Speed is MB/s of raw input (best of --repeat runs). The last
table times Diptych's whole front end on all five seeds: ingest -> structure -> footnotes
-> segment, then with language identification.

Then the UD dev sets of ../shared/data/segmentation (English-EWT, French-Sequoia,
Russian-Taiga: one paragraph per line with its gold sentences): exact-match F1 per
paragraph, micro-averaged, whitespace-normalised, for every tool, and a table of Diptych's
errors by kind (a boundary missed or spurious, with the characters on each side), so that
the next person sees where the remaining errors are.

Then the worst ratio of bench/pathological_inputs.py (runs of 10,000 dots, quotes, emoji…
against plain prose of the same length).

    python bench/segment_bench.py [--ud-only] [--errors 12]
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
    from pipeline.frontend.footnotes import mark_footnotes
    from pipeline.readers.text import ingest_bytes
    from pipeline.frontend.segment import segment
    from pipeline.frontend.structure import structure

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


UD = ROOT.parent / "shared" / "data" / "segmentation"
UD_TOOLS = {"en": ("diptych", "pysbd", "moses"), "fr": ("diptych", "pysbd", "moses"), "ru": ("diptych", "pysbd", "moses", "razdel")}


def char_class(ch: str) -> str:
    """What kind of character stands at a boundary: what a rule would look at."""
    if not ch:
        return "end"
    if ch in ".!?…":
        return ch
    if ch in ",;:":
        return "clause punct."
    if ch in "\"'»«“”„)]":
        return "quote/bracket"
    if ch.isdigit():
        return "digit"
    if ch.isalpha():
        return "Upper" if ch.isupper() else "lower"
    return "other (emoji, symbol)"


def boundaries(sentences: list[str]) -> set[int]:
    """Where sentences end, as offsets in the text with all whitespace removed."""
    out, pos = set(), 0
    for s in sentences:
        pos += len("".join(s.split()))
        out.add(pos)
    return out


def ud_scores(errors_shown: int) -> dict:
    """Exact-match F1 per paragraph (micro-averaged) on the UD dev sets, and Diptych's errors."""
    results: dict = {}
    for lang, tools in UD_TOOLS.items():
        path = UD / f"ud_{lang}_dev.jsonl"
        if not path.is_file():
            print(f"{path}: not found; the UD tables are left out", file=sys.stderr)
            return results
        paragraphs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for name in tools:
            fn = TOOLS[name](lang)
            hits = n_pred = n_gold = 0
            kinds: Counter = Counter()
            for par in paragraphs:
                pred, gold = norm(fn(par["text"])), norm(par["sentences"])
                hits += sum((Counter(pred) & Counter(gold)).values())
                n_pred, n_gold = n_pred + len(pred), n_gold + len(gold)
                if name == "diptych":
                    flat = "".join(par["text"].split())
                    for kind, cuts in (("missed", boundaries(gold) - boundaries(pred)), ("spurious", boundaries(pred) - boundaries(gold))):
                        for cut in cuts:
                            kinds[(kind, char_class(flat[cut - 1:cut]), char_class(flat[cut:cut + 1]))] += 1
            p, r = hits / max(1, n_pred), hits / max(1, n_gold)
            results.setdefault(lang, {})[name] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                                                  "sentences": n_pred, "gold": n_gold}
            if name == "diptych":
                results[lang]["errors"] = {"missed": sum(n for (k, _, _), n in kinds.items() if k == "missed"),
                                           "spurious": sum(n for (k, _, _), n in kinds.items() if k == "spurious"),
                                           "most_common": [[k, before, after, n] for (k, before, after), n in kinds.most_common(errors_shown)]}
    return results


def print_ud(results: dict) -> None:
    if not results:
        return
    print("\nUD dev sets, exact-match sentence F1 (paragraph by paragraph, micro-averaged):")
    print(f"{'set':6} {'tool':8} {'P':>6} {'R':>6} {'F1':>6} {'sents':>6} {'gold':>5}")
    for lang, tools in results.items():
        for name, r in tools.items():
            if name != "errors":
                print(f"ud_{lang:3} {name:8} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['sentences']:6d} {r['gold']:5d}")
    for lang, tools in results.items():
        e = tools["errors"]
        print(f"\nDiptych's boundaries on ud_{lang}: {e['missed']} missed, {e['spurious']} spurious; the commonest (the character before | the one after):")
        for kind, before, after, n in e["most_common"]:
            print(f"  {kind:8} {n:4d}  {before:>22} | {after}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--ud-only", action="store_true", help="only the UD dev tables")
    ap.add_argument("--errors", type=int, default=12, help="how many of Diptych's commonest errors to list per language")
    args = ap.parse_args()
    if args.ud_only:
        ud = ud_scores(args.errors)
        print_ud(ud)
        print(json.dumps({"ud": ud}))
        return
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
    from pipeline.frontend.footnotes import mark_footnotes
    from pipeline.readers.text import ingest
    from pipeline.frontend.langid import identify
    from pipeline.frontend.segment import segment
    from pipeline.frontend.structure import structure

    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    total = sum(p.stat().st_size for p in seeds)
    front = lambda files: [segment(mark_footnotes(structure(ingest(p)))) for p in files]  # noqa: E731
    with_langid = lambda files: [identify(d) for d in front(files)]  # noqa: E731
    with_langid(seeds)  # warm-up: loads the language models once
    speeds = {name: total / best_time(fn, seeds, args.repeat) / 1e6 for name, fn in (("ingest->segment", front), ("ingest->segment + langid", with_langid))}
    print(f"\nfront end on all seeds ({total / 1e3:.0f} kB, best of {args.repeat}):")
    for name, v in speeds.items():
        print(f"  {name:26s} {v:6.2f} MB/s")
    worst = worst_pathological(args.repeat)
    ud = ud_scores(args.errors)
    print_ud(ud)
    print(json.dumps({"rows": rows, "front_end_mb_per_s": speeds, "pathological_worst": worst, "ud": ud}))


def worst_pathological(repeat: int) -> dict:
    """The slowest of bench/pathological_inputs.py's cases, as a ratio to plain prose of the
    same length (tests/test_pathological_inputs.py holds it under 25)."""
    from pathological_inputs import ratios

    rows = sorted(ratios(10_000, repeat), key=lambda r: r["ratio"], reverse=True)
    print("\npathological inputs (10,000 characters; ratio to plain prose, same run; worst three):")
    for r in rows[:3]:
        print(f"  {r['case']:30s} {r['lang']:9s} {r['seconds'] * 1000:7.1f} ms  {r['ratio']:5.1f}x")
    return {k: rows[0][k] for k in ("case", "lang", "ratio")}


if __name__ == "__main__":
    main()
