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
from ..errors import InputError
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


def read_tsv_translations(doc: Document, path: str | Path) -> list[tuple[int, str, str]]:
    """The english cells of an edited TSV edition that differ from what the edition showed,
    as (line, segment id, English), every row checked against the record first.

    Only cells whose text differs from what the edition showed are taken: every other
    segment stays exactly as it was (a junk row's empty cell is not an empty translation).
    A row that does not match the record (a cell too many or too few, an id the record does
    not have or has twice, English typed into a row left out of the editions) is an
    :class:`InputError` naming its line, raised before anything is taken."""
    by_id = {seg.id: (block, seg) for block in doc.blocks for seg in block.segments}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as a UTF-8 TSV edition ({getattr(exc, 'strerror', None) or exc})") from None
    # comment lines (the signature) are skipped; line numbers stay the file's own
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if not line.startswith("# ")]
    header = lines[0][1].split("\t") if lines else []
    # the flags column is written for the reader and never read back: a spreadsheet may drop it
    if tuple(header) not in (HEADER, HEADER[:5]):
        raise InputError(f"{path}: not a Diptych TSV edition (header {', '.join(HEADER)})")
    seen: dict[str, int] = {}
    edits = []
    for n, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) != len(header):
            raise InputError(f"{path}: line {n} has {len(cells)} cells, expected {len(header)} (a tab typed into a cell is written \\t)")
        if cells[0] not in by_id:
            raise InputError(f"{path}: line {n}: segment {cells[0]!r} is not in the record {doc.id}")
        if cells[0] in seen:
            raise InputError(f"{path}: line {n}: segment {cells[0]!r} is also on line {seen[cells[0]]}")
        seen[cells[0]] = n
        block, seg = by_id[cells[0]]
        if cells[4] == _english_cell(block, seg):
            continue  # the cell as the edition wrote it: nothing to take
        if not block.translatable:
            raise InputError(f"{path}: line {n}: segment {cells[0]!r} is left out of the editions ({block.kind}); its english cell stays empty")
        english = tsv_unescape(cells[4])
        if english != english_of(seg):
            edits.append((n, seg.id, english))
    return edits
