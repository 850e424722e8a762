"""Bytes a text should not hold, found by ingest: damaged UTF-8 (``source["damaged_bytes"]``,
each a U+FFFD in the document text) and NUL bytes (``source["nul_bytes"]``, each a U+0000).

The document text keeps them where they were, so that the record shows the file as it
is; each block leaves them out of its text by an edit that says which byte it was, so
that no model, edition or review page reads them; and each sentence that held one is
flagged with the source's key (``damaged_bytes``, ``nul_bytes``).
"""

from __future__ import annotations

from ..doc import Document, Edit, apply_edits

_TEXT_ENCODING = "UTF-8"  # the only encoding Diptych decodes with damaged bytes
KINDS = ("damaged_bytes", "nul_bytes")  # the source's keys, which are also the sentences' flags


def _edit(kind: str, found: dict) -> Edit:
    at = found["char"]
    if kind == "damaged_bytes":
        note = f"byte {found['byte']} at byte offset {found['offset']} is not {_TEXT_ENCODING} (shown as U+FFFD in the text)"
        return Edit((at, at + 1), "", "damaged_byte", note)
    return Edit((at, at + 1), "", "nul_byte", f"NUL byte (U+0000) at byte offset {found['offset']}, left out of the text")


def leave_out_bad_bytes(doc: Document, keep_empty: bool = False) -> Document:
    """Each bad byte inside a block is left out of the block's text by an edit. A block
    that held nothing else is junk (kept in the record, shown in no edition, never an
    empty row), unless ``keep_empty``: a line of a pre-split file is a sentence whose
    place counts, empty or not."""
    for kind in KINDS:
        for found in doc.source.get(kind, []):
            at = found["char"]
            block = next((b for b in reversed(doc.blocks) if b.span[0] <= at < b.span[1]), None)
            if block is None or any(e.span[0] <= at < e.span[1] or e.span == (at, at) for e in block.edits):
                continue  # between blocks, or inside another repair: it stays, recorded in the source
            block.edits = sorted(block.edits + [_edit(kind, found)], key=lambda e: e.span)
            block.text = apply_edits(doc.text[block.span[0] : block.span[1]], block.span[0], block.edits)
            if not block.text.strip() and not keep_empty:
                block.kind = "junk"
                block.meta["note"] = "nothing but bytes that are no text"
    return doc


def flag_bad_bytes(doc: Document) -> None:
    """Flag the sentence that held each bad byte with its kind; a byte between two sentences
    of a block (after a full stop, at a paragraph's end) flags the sentence before it (the
    first, if it comes before all of them): the reader is shown where something was lost."""
    for kind in KINDS:
        for found in doc.source.get(kind, []):
            seg = _sentence_at(doc, found["char"])
            if seg is not None and kind not in seg.flags:
                seg.flags.append(kind)


def _sentence_at(doc: Document, at: int):
    block = next((b for b in reversed(doc.blocks) if b.span[0] <= at < b.span[1] and b.segments), None)
    if block is None:
        return None
    before = [seg for seg in block.segments if seg.span[0] <= at]
    return before[-1] if before else block.segments[0]
