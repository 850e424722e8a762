#!/usr/bin/env python3
"""Sentence alignment against gold: FLORES dev fr-en and ru-en (no MT), the five LIMSI
literary fr-en dev books (no MT), the Text+Berg
dev document without and with each given machine translation of its source (and, where
the target's translation into the source language exists too, with both directions, as
``diptych align --target-mt``), and the time to align two synthetic 10,000-sentence documents
(and how many of their sentences come out right: as they are, with a preface in one, with a
passage the other leaves out; ``--long``: 40,000).
Per set it also prints how well the beads' confidence sorts right beads from wrong ones
(ROC AUC) and how many beads fall below the low-confidence flag, and how many of those are wrong.

    python bench/align_bench.py [--data ../shared/data/align]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from pipeline.alignment.aligner import align_sentences  # noqa: E402
from pipeline.alignment.beads import parse_beads, score_alignments  # noqa: E402
from pipeline.alignment.params import AlignParams  # noqa: E402
from align_cv import paragraphs  # noqa: E402  (the folds' reading of the LIMSI paragraphs)


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def roc_auc(scores: list[float], right: list[bool]) -> float:
    """The chance that a right bead has a higher confidence than a wrong one (ties: half)."""
    s, y = np.array(scores), np.array(right, dtype=bool)
    pos, neg = s[y], s[~y]
    if not len(pos) or not len(neg):
        return float("nan")
    return float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (len(pos) * len(neg)))


def run_set(docs: list[Path], mt: str | None = None, params: AlignParams | None = None, back: str | None = None, use_paragraphs: bool = False) -> dict:
    golds, preds, confidence, right = [], [], [], []
    t0 = time.perf_counter()
    for d in docs:
        src_par, tgt_par = paragraphs(d) if use_paragraphs else (None, None)
        beads = align_sentences(lines(d / "src.txt"), lines(d / "tgt.txt"), lines(d / mt) if mt else None, params, lines(d / back) if back else None,
                                src_paragraphs=src_par, tgt_paragraphs=tgt_par)
        gold = parse_beads((d / "gold.txt").read_text(encoding="utf-8"))
        golds.append(gold)
        preds.append([(b.src, b.tgt) for b in beads])
        confidence += [b.confidence for b in beads if b.src and b.tgt]
        right += [(b.src, b.tgt) in set(gold) for b in beads if b.src and b.tgt]
    scores = score_alignments(golds, preds)
    scores["seconds"] = time.perf_counter() - t0
    scores["docs"] = len(docs)
    threshold = (params or AlignParams()).low_confidence
    scores["confidence_auc"] = roc_auc(confidence, right)
    scores["flagged"] = sum(c < threshold for c in confidence)
    scores["flagged_wrong"] = sum(c < threshold and not r for c, r in zip(confidence, right))
    scores["wrong"] = sum(not r for r in right)
    return scores


def synthetic_pair(src: list[str], tgt: list[str], size: int, case: str, unrelated: list[str]) -> tuple[list[str], list[str], dict[int, int]]:
    """Two long documents from parallel lines (FLORES dev and a WMT test set, 4,000 lines
    or more, repeated as needed), with every 50th target sentence dropped and every 70th
    source sentence merged with the one before, so that beads other than 1-1 occur; and
    the gold position of each source sentence that keeps its counterpart. ``case``
    "preface": 150 unrelated English sentences before the target (a translator's preface);
    "gap": 150 source sentences in the middle that the translation leaves out."""
    copies = size // len(src) + 1
    src_n = (src * copies)[:size]
    kept = [i for i in range(size) if i % 50 != 49 and not (case == "gap" and size // 2 <= i < size // 2 + 150)]
    tgt_n = [(tgt * copies)[i] for i in kept]
    src_n = [s if i % 70 else s + " " + src_n[i - 1] for i, s in enumerate(src_n)]
    offset = 150 if case == "preface" else 0
    if offset:
        tgt_n = unrelated[:offset] + tgt_n
    return src_n, tgt_n, {i: j + offset for j, i in enumerate(kept)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--long", action="store_true", help="also align two 40,000-sentence documents (about 20 s): is the cost linear?")
    args = ap.parse_args()
    align = args.data / "align"
    if not align.is_dir():
        raise SystemExit(f"{align}: not found (the shared data set sits beside the checkout)")
    sets = [
        ("FLORES dev fr-en", sorted((align / "flores_dev_fr-en").glob("doc_*")), None),
        ("FLORES dev ru-en", sorted((align / "flores_dev_ru-en").glob("doc_*")), None),
        ("Text+Berg dev, no MT", [align / "textberg" / "dev" / "doc_000"], None),
        ("LIMSI literary fr-en dev (5 books), no MT", sorted((align / "limsi_literary_fr-en" / "dev").glob("doc_*")), None),
    ]
    # the two LIMSI books that record their paragraphs, with and without them
    with_paragraphs = [align / "limsi_literary_fr-en" / "dev" / d for d in ("doc_000", "doc_010")]
    tb = align / "textberg" / "dev" / "doc_000"
    for mt in sorted(tb.glob("src.mt_*.fr")):
        sets.append((f"Text+Berg dev, MT {mt.name.split('.')[1][3:]}", [tb], mt.name))
    # the default allows 1-4, 4-1, 1-5 and 5-1 beads; the same case within 3-3 shows their worth
    capped = [(f"{name}, max side 3", docs, mt, AlignParams(max_side=3)) for name, docs, mt in sets if mt and "google" in mt]
    # Bleualign's two directions: the target's own translation into the source language too
    both = [(f"{name}, both ways", docs, mt, None, f"tgt.{mt.split('.')[1]}.de") for name, docs, mt in sets if mt and (tb / f"tgt.{mt.split('.')[1]}.de").exists()]
    sets = [(name, docs, mt, None, None, False) for name, docs, mt in sets] + [row + (None, False) for row in capped] + [row + (False,) for row in both]
    # the sets as one sentence per line (as `diptych align --pre-split` reads them) above;
    # below, with the structure the set records (+): the LIMSI books' paragraphs, FLORES's
    # articles (align_cv.paragraphs), as `diptych align` finds paragraphs in documents
    sets += [("LIMSI books 000+010, without paragraphs", with_paragraphs, None, None, None, False),
             ("LIMSI books 000+010 (+ paragraphs)", with_paragraphs, None, None, None, True),
             ("LIMSI dev, 5 books (+ paragraphs of 000, 010)", sets[3][1], None, None, None, True),
             ("FLORES dev fr-en (+ articles as paragraphs)", sets[0][1], None, None, None, True),
             ("FLORES dev ru-en (+ articles as paragraphs)", sets[1][1], None, None, None, True)]
    rows = []
    print("(parameters chosen by cross-validation across these documents: bench/align_cv.py)")
    print(f"{'set':46} {'strict P':>8} {'R':>6} {'F1':>6} {'lax F1':>7} {'sec':>6}  {'conf AUC':>8} {'flagged':>7} {'wrong':>5} {'all wrong':>9}")
    for name, docs, mt, params, back, structure in sets:
        r = run_set(docs, mt, params, back, use_paragraphs=structure)
        rows.append({"set": name, **r})
        print(f"{name:46} {r['precision_strict']:8.3f} {r['recall_strict']:6.3f} {r['f1_strict']:6.3f} {r['f1_lax']:7.3f} {r['seconds']:6.2f}"
              f"  {r['confidence_auc']:8.3f} {r['flagged']:7d} {r['flagged_wrong']:5d} {r['wrong']:9d}")

    # the five LIMSI books as one long document (more than coarse_from sentences: the long
    # documents' search), in eight orders: real translators' omissions and merges where the
    # path must not lose its way between books
    books = sorted((align / "limsi_literary_fr-en" / "dev").glob("doc_*"))
    shuffle = random.Random(0)
    orders = [books] + [shuffle.sample(books, len(books)) for _ in range(7)]
    joined_f1 = []
    for order in orders:
        src_all, tgt_all, gold_all = [], [], []
        for d in order:
            gold_all += [(tuple(i + len(src_all) for i in s), tuple(j + len(tgt_all) for j in t)) for s, t in parse_beads((d / "gold.txt").read_text(encoding="utf-8"))]
            src_all += lines(d / "src.txt")
            tgt_all += lines(d / "tgt.txt")
        beads = align_sentences(src_all, tgt_all)
        joined_f1.append(score_alignments([gold_all], [[(b.src, b.tgt) for b in beads]])["f1_strict"])
    print(f"LIMSI dev books as one document ({len(src_all):,} x {len(tgt_all):,}), {len(orders)} orders: strict F1 mean {np.mean(joined_f1):.3f}, "
          f"worst {min(joined_f1):.3f}")

    par = args.data / "parallel"
    timings, synthetic = {}, {}
    sizes = (10_000, 40_000) if args.long else (10_000,)
    for pair, sources in (("fr-en", (("flores_dev", "fr-en"), ("newstest2014", "fr-en"))), ("ru-en", (("flores_dev", "ru-en"), ("newstest2019", "ru-en")))):
        src_lines = [s for name, p in sources for s in lines(par / f"{name}.{p}.{pair[:2]}")]
        tgt_lines = [t for name, p in sources for t in lines(par / f"{name}.{p}.en")]
        for size in sizes if pair == "fr-en" else sizes[:1]:
            for case in ("plain", "preface", "gap") if (pair, size) == ("fr-en", 10_000) else ("plain",):
                src_n, tgt_n, gold = synthetic_pair(src_lines, tgt_lines, size, case, lines(par / "newstest2019.ru-en.en"))
                t0 = time.perf_counter()
                beads = align_sentences(src_n, tgt_n)
                key = f"{pair} {size}" + ("" if case == "plain" else f" {case}")
                timings[key] = time.perf_counter() - t0
                synthetic[key] = right = sum(1 for b in beads if len(b.src) == 1 and len(b.tgt) == 1 and gold.get(b.src[0]) == b.tgt[0]) / len(gold)
                print(f"synthetic {size:,} x {len(tgt_n):,} {pair} {case:8}: {timings[key]:.2f} s, {right:.3f} of the source sentences with a "
                      f"counterpart matched to it alone")
                if key == "fr-en 10000":
                    # the same pair without the lexicon learned from the first pass (--no-lexicon)
                    t0 = time.perf_counter()
                    align_sentences(src_n, tgt_n, params=AlignParams(lexicon_weight=0.0))
                    timings[f"{key} no lexicon"] = time.perf_counter() - t0
                    print(f"synthetic {size:,} x {len(tgt_n):,} {pair}, no lexicon: {timings[f'{key} no lexicon']:.2f} s")
    if args.long:
        ratio = timings["fr-en 40000"] / timings["fr-en 10000"]
        print(f"40,000 / 10,000 time ratio (fr-en): {ratio:.2f} (4.00 is linear)")
    print(json.dumps({"sets": rows, "limsi_joined_f1": joined_f1, "synthetic_seconds": timings, "synthetic_right": synthetic}))


if __name__ == "__main__":
    main()
