"""Stage 7: the document record -> the editions people open.

* ``<doc>.tsv``    one row per segment, for spreadsheets (:mod:`.tsv`)
* ``<doc>.tmx``    TMX 1.4b translation memory, for CAT tools (:mod:`.tmx`)
* ``<doc>.md``     side-by-side Markdown, paragraph by paragraph (:mod:`.markdown`)
* ``<doc>.en.md`` / ``<doc>.en.txt``   the English version (``<doc>.<lang>.*`` for a
  document aligned with an existing translation into another language)
* ``<doc>.html``   the review page (self-contained, works from file://) (:mod:`.html`)

Every renderer reads only the record, so ``diptych render`` can redo them at any time,
and every edition carries the signature of the settings that made it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..doc import Document, write_atomic
from ..errors import UsageError
from ..paths import child
from .common import has_translations, suffix_for
from .html import render_html, render_index
from .markdown import render_english_markdown, render_markdown
from .text import render_english_text
from .tmx import render_tmx
from .tsv import render_tsv

VERSION = "render/2"

FORMATS: dict[str, list[tuple[str, Callable[[Document], str]]]] = {
    "tsv": [(".tsv", render_tsv)],
    "tmx": [(".tmx", render_tmx)],
    "md": [(".md", render_markdown)],
    "en": [(".en.txt", render_english_text), (".en.md", render_english_markdown)],
    "html": [(".html", render_html)],
}


def parse_formats(spec: str) -> list[str]:
    """``"tsv, html"`` -> ``["tsv", "html"]``; an unknown name is a usage error."""
    chosen = [f.strip() for f in spec.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(f"unknown format(s) {', '.join(unknown) or repr(spec)}; choose from {', '.join(FORMATS)}")
    return chosen


def editions_of(doc: Document, out: Path, formats: list[str]) -> list[tuple[Path, str]]:
    """Each chosen edition's path in ``out`` (kept inside it) and its text, rendered in memory."""
    return [(child(out, f"{doc.id}{suffix_for(doc, suffix)}"), fn(doc)) for name in formats for suffix, fn in FORMATS[name]]


def render(doc: Document, out_dir: str | Path, formats: list[str] | None = None) -> list[Path]:
    """Write the record and the chosen editions into ``out_dir``; return the paths.

    Everything is rendered in memory first, so a failure leaves earlier files untouched."""
    out = Path(out_dir)
    record = child(out, f"{doc.id}.jsonl")  # a record's id is untrusted: its files stay in out_dir
    doc.provenance["render"] = {"version": VERSION}
    doc.seal()
    chosen = formats or list(FORMATS)
    if "tmx" in chosen and not has_translations(doc):
        # a translation memory with no unit is no use to a CAT tool: none is written (the
        # index says why), and one left by an earlier rendering goes
        chosen = [name for name in chosen if name != "tmx"]
        stale = child(out, f"{doc.id}.tmx")
        if stale.is_file():
            stale.unlink()
    rendered = editions_of(doc, out, chosen)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out}: cannot be created ({exc.strerror})") from None
    written = [doc.save(record)]
    for path, text in rendered:
        written.append(write_atomic(path, text))
    return written


__all__ = ["FORMATS", "VERSION", "editions_of", "parse_formats", "render", "render_index"]
