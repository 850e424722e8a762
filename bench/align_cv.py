#!/usr/bin/env python3
"""The aligner's parameters chosen by cross-validation, not on one document.

Folds (../shared/data/align): the Text+Berg dev document with its Google MT, each of the
five LIMSI literary fr-en dev books, FLORES dev fr-en and FLORES dev ru-en (each pair's
documents together, micro-averaged). For every candidate setting in a small grid the
strict F1 of every fold is computed once; then, leaving each fold out in turn, the setting
with the best mean over the other folds is chosen and scored on the fold left out. The
mean and the worst of those held-out scores are what a change must improve (the mean)
without hurting (the worst, and no fold by more than 0.01).

It also prints recall by bead type (1-1, merges, 1-0, 0-1) over all folds, with the
defaults, so that omissions are watched apart.

    python bench/align_cv.py [--data ../shared/data] [--grid small|paragraphs|lexicon|none]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.alignment.aligner import align_sentences  # noqa: E402
from pipeline.alignment.beads import parse_beads, score_alignments  # noqa: E402
from pipeline.alignment.params import AlignParams  # noqa: E402

# the settings tried: the costs of leaving sentences out (the omission model) and of a
# weak member of a merged bead, each over a few values around the defaults; the rest
# stays as it is
GRIDS = {
    "small": {
        "skip": (0.4, 0.5, 0.6),
        "skip_run": (0.1, 0.2, 0.3),
        "support": (0.5, 0.75, 1.0),
    },
    # what a bead gains by ending at a paragraph break of both texts (the LIMSI books 000
    # and 010 record their paragraphs, FLORES its articles; Text+Berg and the other books
    # score the same for every value)
    "paragraphs": {"paragraph_bonus": (0.0, 0.1, 0.25, 0.5, 1.0)},
    # the weight of the lexicon learned from a first pass (0: --no-lexicon), which stands
    # in for a machine translation: measured on the folds without one (Text+Berg without
    # its MT in place of Text+Berg with it)
    "lexicon": {"lexicon_weight": (0.0, 0.2, 0.3, 0.4)},
    # how much of the learned lexicon's hub correction (AlignParams.hub_weight) applies
    "hubs": {"hub_weight": (0.0, 0.5, 1.0, 2.0, 4.0)},
    # what a kept token (a number; a word in the other text's script) missing from a bead's other side costs
    "verbatim": {"verbatim_weight": (0.0, 0.025, 0.05, 0.1, 0.2)},
}
# what a grid's settings are measured against: a setting may not lower any fold (of those
# it is chosen on) by more than MAX_DROP below it. None: the current defaults.
REFERENCE = {"small": None, "paragraphs": {"paragraph_bonus": 0.0}, "lexicon": {"lexicon_weight": 0.0}, "hubs": {"hub_weight": 0.0}, "verbatim": {"verbatim_weight": 0.0}}
MAX_DROP = 0.01  # the bound on what a change may cost one fold


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def folds(data: Path, without_mt: bool = False) -> list[tuple[str, list[Path], str | None]]:
    """The folds; ``without_mt``: Text+Berg without its machine translation."""
    align = data / "align"
    textberg = [align / "textberg" / "dev" / "doc_000"]
    out: list[tuple[str, list[Path], str | None]] = [("textberg, no MT", textberg, None) if without_mt else ("textberg+google", textberg, "src.mt_google.fr")]
    for book in sorted((align / "limsi_literary_fr-en" / "dev").glob("doc_*")):
        out.append((f"limsi {book.name}", [book], None))
    for pair in ("fr-en", "ru-en"):
        out.append((f"flores {pair}", sorted((align / f"flores_dev_{pair}").glob("doc_*")), None))
    return out


def _flores_articles(data: Path) -> dict[int, str]:
    """FLORES dev line number (1-based) -> its article (parallel/flores_dev.articles.tsv)."""
    table = data / "parallel" / "flores_dev.articles.tsv"
    if not table.exists():
        return {}
    rows = [line.split("\t") for line in table.read_text(encoding="utf-8").splitlines()]
    head = rows[0]
    return {int(r[head.index("line")]): r[head.index("article_id")] for r in rows[1:]}


_ARTICLES: dict[int, str] | None = None


def paragraphs(doc: Path) -> tuple[list[str] | None, list[str] | None]:
    """Each line's paragraph, where the set records its structure: the LIMSI books'
    sentence ids are "paragraph.sentence" (meta.json; a book without paragraphs has them
    all in one, which the aligner reads as unknown); a FLORES case is consecutive
    articles, each line's article named by the FLORES lines it comes from (a line the
    case merged from two articles takes its first's). Text+Berg records none."""
    global _ARTICLES
    meta = doc / "meta.json"
    if not meta.exists():
        return None, None
    ids = json.loads(meta.read_text(encoding="utf-8"))
    if "src_ids" in ids and "tgt_ids" in ids:
        return [i.split(".")[0] for i in ids["src_ids"]], [i.split(".")[0] for i in ids["tgt_ids"]]
    if "src_line_origin" in ids and "tgt_line_origin" in ids:
        if _ARTICLES is None:
            _ARTICLES = _flores_articles(doc.parent.parent.parent)
        if _ARTICLES:
            return [_ARTICLES[o[0]] for o in ids["src_line_origin"]], [_ARTICLES[o[0]] for o in ids["tgt_line_origin"]]
    return None, None


def run_fold(docs: list[Path], mt: str | None, params: AlignParams, by_type: Counter | None = None) -> float:
    golds, preds = [], []
    for d in docs:
        src_par, tgt_par = paragraphs(d)
        beads = align_sentences(lines(d / "src.txt"), lines(d / "tgt.txt"), lines(d / mt) if mt else None, params,
                                src_paragraphs=src_par, tgt_paragraphs=tgt_par)
        gold = parse_beads((d / "gold.txt").read_text(encoding="utf-8"))
        pred = [(b.src, b.tgt) for b in beads]
        golds.append(gold)
        preds.append(pred)
        if by_type is not None:
            found = set(pred)
            for s, t in gold:
                kind = "1-1" if (len(s), len(t)) == (1, 1) else "1-0" if not t else "0-1" if not s else "merged"
                by_type[(kind, "gold")] += 1
                by_type[(kind, "found")] += (tuple(s), tuple(t)) in found
    return score_alignments(golds, preds)["f1_strict"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--grid", choices=(*GRIDS, "none"), default="small",
                    help="small: the omission costs and the support penalty; paragraphs: the paragraph bonus; "
                         "lexicon: the learned lexicon's weight, on folds without MT; hubs: the lexicon's hub correction; none: only the defaults (fast)")
    args = ap.parse_args()
    if not (args.data / "align").is_dir():
        raise SystemExit(f"{args.data / 'align'}: not found (the shared data set sits beside the checkout)")
    fs = folds(args.data, without_mt=args.grid == "lexicon")
    default = AlignParams()
    chosen_grid = GRIDS.get(args.grid, {})
    names = list(chosen_grid)
    grid = [dict(zip(names, values)) for values in itertools.product(*chosen_grid.values())] if chosen_grid else []
    started = time.perf_counter()
    by_type: Counter = Counter()
    base = [run_fold(docs, mt, default, by_type) for _, docs, mt in fs]
    reference_setting = REFERENCE.get(args.grid)
    reference = [run_fold(docs, mt, replace(default, **reference_setting)) for _, docs, mt in fs] if reference_setting else base
    table = [[run_fold(docs, mt, replace(default, **g)) for _, docs, mt in fs] for g in grid]

    print(f"{'fold':20} {'defaults':>8}" + (f"  {'chosen on the others':>22} {'held-out':>8}" if grid else ""))
    held_out, chosen = [], []
    for f, (name, _, _) in enumerate(fs):
        if grid:
            means = [sum(row[:f] + row[f + 1:]) / (len(fs) - 1) for row in table]
            # the best mean on the other folds among the settings that cost none of them
            # more than MAX_DROP (the reference itself always qualifies)
            allowed = [g for g, row in enumerate(table) if all(row[o] >= reference[o] - MAX_DROP for o in range(len(fs)) if o != f)]
            best = max(allowed or range(len(grid)), key=lambda g: means[g])
            held_out.append(table[best][f])
            chosen.append(grid[best])
            print(f"{name:20} {base[f]:8.3f}  {json.dumps(grid[best]):>22} {table[best][f]:8.3f}")
        else:
            print(f"{name:20} {base[f]:8.3f}")
    mean_base, worst_base = sum(base) / len(base), min(base)
    print(f"{'mean / worst':20} {mean_base:8.3f} / {worst_base:.3f}", end="")
    if grid:
        print(f"   held-out mean {sum(held_out) / len(held_out):.3f} / worst {min(held_out):.3f}")
    else:
        print()
    print("recall by bead type (defaults, all folds): " + ", ".join(
        f"{kind} {by_type[(kind, 'found')]}/{by_type[(kind, 'gold')]}" for kind in ("1-1", "merged", "1-0", "0-1")))
    print(json.dumps({"folds": [name for name, _, _ in fs], "defaults": base, "defaults_mean": mean_base, "defaults_worst": worst_base,
                      "held_out": held_out, "chosen": chosen, "held_out_mean": (sum(held_out) / len(held_out)) if grid else None,
                      "recall_by_type": {kind: [by_type[(kind, "found")], by_type[(kind, "gold")]] for kind in ("1-1", "merged", "1-0", "0-1")},
                      "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
