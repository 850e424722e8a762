"""The front end in one call, no model needed: a file in, a segmented document out.

A reader (:mod:`pipeline.readers`) -> structure -> bylines -> footnotes -> segment ->
languages, for a whole text (:func:`prepare`) or for text that is already one sentence
per line (:func:`prepare_lines`). ``segment``, ``align``, ``score`` and ``run`` all start
here. :data:`STAGES` is the pipeline as data: :func:`prepare` runs it in one loop, and the
signature (:mod:`pipeline.signature`) lists the stages in its order, by their short names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple

from ..doc import Document
from ..readers import read
from .bylines import mark_bylines
from .footnotes import mark_footnotes
from .langid import identify
from .segment import segment, segment_lines
from .structure import one_block_per_line, structure


class Stage(NamedTuple):
    """One step of the front end: its name in the record's provenance, its short name in
    the one-line signature, and what it does to a document (given the language a user
    forced, or None)."""

    name: str
    short: str
    run: Callable[[Document, str | None], Document]


def _segment(doc: Document, lang: str | None) -> Document:
    # segmentation reads a block's script only, or the language forced on it
    if lang:
        identify(doc, force=lang)
    return segment(doc)


STAGES = (
    Stage("structure", "structure", lambda doc, lang: structure(doc)),
    Stage("bylines", "bylines", lambda doc, lang: mark_bylines(doc)),
    Stage("footnotes", "footnotes", lambda doc, lang: mark_footnotes(doc)),
    Stage("segment", "seg", _segment),
    # languages once, sentence by sentence, after segmentation
    Stage("langid", "langid", lambda doc, lang: identify(doc, force=lang)),
)


def prepare(path: str | Path, doc_id: str | None = None, lang: str | None = None) -> Document:
    """The front end for one file (``-``: standard input), read by the reader its bytes or
    name call for; ``lang`` skips language detection."""
    return run_stages(read(path, doc_id), lang)


def prepare_text(text: str, doc_id: str = "text", lang: str | None = None) -> Document:
    """The front end for a string (a notebook, a test, a benchmark): as :func:`prepare`."""
    from ..readers.text import ingest_bytes

    return run_stages(ingest_bytes(text.encode("utf-8"), doc_id), lang)


def run_stages(doc: Document, lang: str | None = None) -> Document:
    """Every stage of :data:`STAGES`, in order, on a document fresh from its reader."""
    for stage in STAGES:
        doc = stage.run(doc, lang)
    return doc


def prepare_lines(path: str | Path, lang: str | None = None) -> Document:
    """A file that holds one sentence per line: each line is a block and a segment, as is.
    Read as any input, so that the record's source and any repaired bytes are the file's."""
    return identify(segment_lines(one_block_per_line(read(path))), force=lang)


def input_warnings(doc: Document) -> list[str]:
    """The lines a user should see about how an input was read: a file read as another
    format than its name says, and damaged or NUL bytes."""
    out = []
    if read_as := doc.source.get("read_as"):
        out.append(f"{doc.source.get('path', doc.id)}: read as {read_as['format']}, which its first bytes say it is, "
                   f"not as its name ({read_as['suffix']}) says")
    if damage := damage_warning(doc):
        out.append(damage)
    return out


def damage_warning(doc: Document) -> str | None:
    """One line for a text that had damaged or NUL bytes, or None."""
    damaged, nuls = doc.source.get("damaged_bytes", []), doc.source.get("nul_bytes", [])
    if not damaged and not nuls:
        return None
    found, flags = [], []
    if damaged:
        # the front end leaves each byte out of its sentence (bad_bytes): by an edit of its
        # own, or inside a repair that replaces it; the U+FFFD that stands for it stays only
        # beside a repair that inserts text at its place
        kept = sum(1 for d in damaged if _kept_as_fffd(doc, d["char"]))
        fate = "left out of the sentences" + (f", but {kept} kept there as U+FFFD" if kept else "")
        found.append(f"{_count(len(damaged), 'damaged byte')} (not UTF-8) {fate}")
        flags.append("damaged_bytes")
    if nuls:
        found.append(f"{_count(len(nuls), 'NUL byte')} (U+0000) left out of the sentences")
        flags.append("nul_bytes")
    flagged = sum(1 for s in doc.segments if any(f in s.flags for f in flags))
    return (f"{doc.source.get('path', doc.id)}: {' and '.join(found)}; "
            f"each is recorded with its offset, and {_count(flagged, 'sentence')} flagged {' or '.join(flags)}")


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' if n != 1 else ''}"


def _kept_as_fffd(doc: Document, at: int) -> bool:
    """Whether the U+FFFD at ``at`` in the text reached its block's text (no edit covers it)."""
    block = next((b for b in reversed(doc.blocks) if b.span[0] <= at < b.span[1]), None)
    return block is not None and not any(e.span[0] <= at < e.span[1] for e in block.edits)


def sentence_rows(doc: Document, include_junk: bool = False) -> Iterator[dict[str, Any]]:
    """What ``diptych segment --jsonl`` prints, one object per sentence: the contract is
    ``id``, ``kind``, ``lang``, ``text``, ``footnote_refs``, ``span`` (junk only if asked)."""
    for block in doc.blocks:
        if block.kind == "junk" and not include_junk:
            continue
        for seg in block.segments:
            yield {"id": seg.id, "kind": block.kind, "lang": seg.lang, "text": seg.text, "footnote_refs": seg.footnote_refs, "span": list(seg.span)}


def sentence_lines(doc: Document, include_junk: bool = False) -> Iterator[str]:
    """What ``diptych segment`` prints: one sentence per line, junk as ``# junk: …``."""
    for row in sentence_rows(doc, include_junk):
        text = row["text"].replace("\n", " ")
        yield "# junk: " + text if row["kind"] == "junk" else text
