#!/usr/bin/env python3
"""The front end on inputs built to make a pattern backtrack: runs of 10,000 dots,
dashes, spaces, digits, quotes, emoji, dot-space and their kin, a contents page with dotted
leaders, a line of nothing but spaces before a page number. Each is timed against plain
prose of the same length, in the same process, and reported as a ratio: a pattern that
reads a run once per character of it (quadratic) shows as a ratio in the hundreds at this
length, one that tries every way to split a run (exponential) never finishes.

Plain prose is the French seed with its line breaks, cut to the same length, and also run
together as one paragraph; each case is compared with the faster of the two. Times are the
best of --repeat runs after one unmeasured run (lingua loads its models on first use).

    python bench/pathological_inputs.py [--chars 10000] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FRENCH_SEED = next((ROOT / "seeds").glob("003_*.txt"))


def cases(chars: int) -> dict[str, str]:
    """Name -> text of ``chars`` characters or so, each a run inside a sentence of prose."""
    def run(unit: str) -> str:
        # glued to a word on each side, as dotted leaders are to their page number: a run
        # followed by a space lets most patterns succeed at once, one glued makes them fail
        return "Le rapport commence ici" + unit * (chars // len(unit)) + "23 et le rapport continue ici."

    leaders = [f"{n // 9 + 1}.{n % 9 + 1} DISPOSITIF DE SECURITE ELECTRIQUE " + "." * (20 + n % 60) + sep + str(n + 3)
               for n, sep in zip(range(chars // 90), [" ", ""] * chars)]
    units = {
        "dots": ".", "dashes": "-", "spaces": " ", "digits": "1", "straight quotes": '"', "guillemets": "«",
        "emoji": "😀", "dot-space": ". ", "ellipses": "…", "omission marks": "[…] ", "em dashes": "—",
        "underscores": "_", "apostrophes": "'", "closing brackets": ")", "dotted numbers": "1.",
        "initials": "A. ", "Russian abbreviations": "г. ", "etc.": "etc. ", "asterisks": "*", "at signs": "a@",
    }
    built = {name: run(unit) for name, unit in units.items()}
    built["one long word"] = "Le mot " + "a" * chars + "- suit."
    built["contents page"] = "SOMMAIRE\n\n" + "\n".join(leaders) + "\n"
    built["spaces after a page number"] = "Le rapport.\n\n12" + " " * chars + "x\n"
    built["spaces inside a notes heading"] = "Le rapport.\n\n# **" + " " * chars + "Notes" + " " * chars + "x\n"
    built["hyphenated line ends"] = "Le rapport com-\n" * (chars // 16)
    return built


def plain_texts(chars: int) -> list[str]:
    text = FRENCH_SEED.read_text(encoding="utf-8")
    while len(text) < chars:
        text += "\n\n" + text
    text = text[:chars]
    return [text, " ".join(text.split())]


def best_time(text: str, lang: str | None, repeat: int) -> float:
    from pipeline.frontend import prepare_text

    prepare_text(text, lang=lang)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        prepare_text(text, lang=lang)
        best = min(best, time.perf_counter() - start)
    return best


def ratios(chars: int = 10_000, repeat: int = 3) -> list[dict]:
    """One row per case and language setting: seconds, and the ratio to plain prose."""
    rows = []
    for lang in ("fr", None):  # forced, and detected (language identification runs too)
        plain = min(best_time(text, lang, repeat) for text in plain_texts(chars))
        for name, text in cases(chars).items():
            seconds = best_time(text, lang, repeat)
            rows.append({"case": name, "lang": lang or "detected", "chars": len(text),
                         "seconds": seconds, "plain_seconds": plain, "ratio": seconds / plain})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="one JSON list of rows instead of the table")
    args = parser.parse_args()
    rows = ratios(args.chars, args.repeat)
    if args.json:
        print(json.dumps(rows))
        return
    print(f"{'case':32} {'lang':9} {'chars':>6} {'ms':>8} {'plain ms':>9} {'ratio':>6}")
    for r in rows:
        print(f"{r['case']:32} {r['lang']:9} {r['chars']:6d} {r['seconds'] * 1000:8.1f} {r['plain_seconds'] * 1000:9.1f} {r['ratio']:6.1f}")
    worst = max(rows, key=lambda r: r["ratio"])
    print(f"worst ratio {worst['ratio']:.1f}: {worst['case']} ({worst['lang']})")


if __name__ == "__main__":
    main()
