"""The seeds' editions with the tiny models, kept as a snapshot to compare every run with.

What changes from run to run (dates) and the signature lines are taken out on both sides,
so the comparison says: same editions, byte for byte, apart from those. A change to what
Diptych writes must come with a new snapshot, made on purpose and committed with the
reason::

    python tests/edition_snapshot.py OUTPUTS_DIR   # after `diptych run` with the tiny models
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "data" / "editions" / "seeds.json.gz"
SUFFIXES = (".tsv", ".tmx", ".md", ".en.md", ".en.txt", ".html", ".jsonl")

_VOLATILE = (
    (re.compile(r'creationdate="\d{8}T\d{6}Z"'), 'creationdate=""'),
    (re.compile(r"<tr><td>rendered</td><td>[^<]*</td></tr>"), ""),
    (re.compile(r"<tr><td>signature</td><td>[^<]*</td></tr>"), ""),
    # the signature's own places: TMX header prop, Markdown front matter and footers, TSV comment, HTML meta
    (re.compile(r'(<header [^>]*)>\n\s*<prop type="x-diptych-signature">[^<]*</prop>\n\s*</header>'), r"\1 />"),
    (re.compile(r'\A---\ndiptych-signature: "[^"\n]*"\n---\n'), ""),
    (re.compile(r"\n---\n\n\*diptych-signature: `[^`\n]*`\*\n\Z"), ""),
    (re.compile(r"\n-- \ndiptych-signature: [^\n]*\n\Z"), ""),
    (re.compile(r"^.*diptych-signature.*\n", re.M), ""),
    # the installed packages' versions in the provenance table: the dependency bounds let
    # them change (transformers 5.24 -> 5.25 gave the same translations), and the snapshot
    # holds what the code writes, not which release happened to be installed
    (re.compile(r"(ctranslate2|torch)-[0-9][^+<\s]*\+transformers-[0-9][^<\s]*"), r"\1-*+transformers-*"),
)


def normalized(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":  # the document line holds provenance and counts; the rest is the text's
        return text.split("\n", 1)[1]
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def editions(out: Path) -> dict[str, str]:
    return {f"{p.parent.name}/{p.name}": normalized(p) for p in sorted(out.glob("*/*")) if p.name.endswith(SUFFIXES)}


def load() -> dict[str, str]:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as fh:
        return json.load(fh)


if __name__ == "__main__":
    found = editions(Path(sys.argv[1]))
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(SNAPSHOT, "wb", mtime=0) as fh:
        fh.write(json.dumps(found, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8"))
    print(f"{SNAPSHOT}: {len(found)} editions")
