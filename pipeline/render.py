"""Stage 7: the document record -> editions people open (TSV, plain English, ...)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .doc import Document
from .translate import english_of

VERSION = "render/1"


def _tsv_cell(text: str | None) -> str:
    """Escape so that every row is one line with a fixed number of cells."""
    if text is None:
        return ""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def render_tsv(doc: Document) -> str:
    rows = ["\t".join(("id", "kind", "lang", "source", "english", "flags"))]
    for block in doc.blocks:
        for seg in block.segments:
            rows.append(
                "\t".join(
                    (
                        seg.id,
                        block.kind,
                        seg.lang,
                        _tsv_cell(seg.text),
                        _tsv_cell(english_of(seg) if block.translatable else None),
                        ",".join(seg.flags),
                    )
                )
            )
    return "\n".join(rows) + "\n"


def render_english_text(doc: Document) -> str:
    """The English version: one paragraph per block, junk left out, English kept verbatim."""
    paragraphs = []
    for block in doc.blocks:
        if not block.translatable:
            continue
        if not any(seg.translation is not None for seg in block.segments):
            paragraphs.append(block.text)  # nothing translated: the block as it stands
            continue
        parts = [english_of(seg) or "" for seg in block.segments]
        paragraphs.append(" ".join(p for p in parts if p))
    return "\n\n".join(paragraphs) + "\n"


FORMATS: dict[str, tuple[str, Callable[[Document], str]]] = {
    "tsv": (".tsv", render_tsv),
    "en": (".en.txt", render_english_text),
}


def render(doc: Document, out_dir: str | Path, formats: list[str] | None = None) -> list[Path]:
    """Write the record and the chosen editions into ``out_dir``; return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    doc.provenance["render"] = {"version": VERSION}
    doc.seal()
    written = [doc.save(out / f"{doc.id}.jsonl")]
    for name in formats or list(FORMATS):
        suffix, fn = FORMATS[name]
        path = out / f"{doc.id}{suffix}"
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(fn(doc), encoding="utf-8", newline="\n")
        tmp.replace(path)
        written.append(path)
    return written
