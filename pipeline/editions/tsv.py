"""``<doc>.tsv``: one row per segment, for spreadsheets, and its import after editing.

The first line is a comment holding the edition's signature (``# diptych-signature: …``);
then the header row ``id kind lang source english flags``. Tab, newline, carriage return
and backslash inside cells are escaped as ``\\t``, ``\\n``, ``\\r``, ``\\\\``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..bilingual import english_of
from ..doc import Document
from ..errors import DiptychError
from .common import demo_notice, signature_line

HEADER = ("id", "kind", "lang", "source", "english", "flags")
SIGNATURE_PREFIX = "# diptych-signature: "
_ESCAPED = re.compile(r"\\([\\tnr])")
_UNESCAPE = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def tsv_cell(text: str | None) -> str:
    """Escape so that every row is one line with a fixed number of cells."""
    if text is None:
        return ""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def tsv_unescape(cell: str) -> str:
    return _ESCAPED.sub(lambda m: _UNESCAPE[m.group(1)], cell)


def _english_cell(block, seg) -> str:
    """What the english column shows: empty for junk and for text awaiting a translation."""
    return tsv_cell(english_of(seg) if block.translatable else None)


def render_tsv(doc: Document) -> str:
    notice = demo_notice(doc)
    rows = [*([f"# {notice}"] if notice else []), SIGNATURE_PREFIX + signature_line(doc), "\t".join(HEADER)]
    for block in doc.blocks:
        for seg in block.segments:
            rows.append("\t".join((seg.id, block.kind, seg.lang, tsv_cell(seg.text), _english_cell(block, seg), ",".join(seg.flags))))
    return "\n".join(rows) + "\n"


def import_tsv_translations(doc: Document, path: str | Path) -> int:
    """Take the english column of an edited TSV edition back into the record, by segment id.

    Only cells whose text differs from what the edition showed are taken: every other
    segment stays exactly as it was (a junk row's empty cell is not an empty translation)."""
    by_id = {seg.id: (block, seg) for block in doc.blocks for seg in block.segments}
    changed = 0
    # comment lines (the signature) are skipped; line numbers stay the file's own
    lines = [(n, line) for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1) if not line.startswith("# ")]
    if not lines or lines[0][1].split("\t")[:5] != list(HEADER[:5]):
        raise DiptychError(f"{path}: not a Diptych TSV edition (header {', '.join(HEADER)})")
    for n, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) < 5:
            raise DiptychError(f"{path}: line {n} has {len(cells)} cells, expected {len(HEADER)}")
        if cells[0] not in by_id:
            raise DiptychError(f"{path}: line {n}: segment {cells[0]!r} is not in the record")
        block, seg = by_id[cells[0]]
        if cells[4] == _english_cell(block, seg):
            continue  # the cell as the edition wrote it: nothing to take
        english = tsv_unescape(cells[4])
        if english != english_of(seg):
            # the translator's English is final: markup and footnote markers as they wrote them
            seg.translation = english
            seg.meta["edited"] = True
            changed += 1
    doc.provenance["import"] = {"version": "import/1", "from": "tsv"}
    doc.meta["import"] = {"tsv": str(path), "changed": changed}
    return changed
