#!/usr/bin/env python3
"""The document readers, every format in one report: each format's bench
(``bench/documents_<format>.py``, which builds its documents itself from text whose
sentences are known) measures read speed, memory and how much of the known text comes
back; this script runs them one after the other and prints their tables together.

    python bench/documents_bench.py [--only pdf,epub] [--json]

Each ``documents_<format>.py`` can also be run alone; its ``measure()`` returns the rows
(dicts, one per measurement) printed here.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMATS = ("pdf", "epub", "docx", "html")


def _bench(fmt: str):
    path = HERE / f"documents_{fmt}.py"
    spec = importlib.util.spec_from_file_location(f"documents_{fmt}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def table(rows: list[dict]) -> str:
    """Rows as a plain table, the columns in the order the first row that has them names them."""
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    cells = [[str(row.get(c, "")) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(FORMATS), help="formats to measure, comma-separated")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    args = parser.parse_args()
    results = {}
    for fmt in [f.strip() for f in args.only.split(",") if f.strip()]:
        if fmt not in FORMATS:
            parser.error(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        results[fmt] = _bench(fmt).measure()
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        for fmt, rows in results.items():
            print(f"\n## {fmt}\n")
            print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
