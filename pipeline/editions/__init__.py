"""Stage 7: the document record -> the editions people open, and the exports CAT tools read.

:data:`FORMATS` is the one place an output format is named: ``run`` and ``render`` write
the :data:`EDITIONS`, ``export`` and the review server offer the :data:`EXPORTS`, the
index links each edition it finds, and the command line's help lists them from here.
Every renderer reads only the record, so ``diptych render`` can redo them at any time,
and every edition carries the signature of the settings that made it. Renderers are
imported when a format is rendered, so that this table costs nothing to read.

A new format is one module with a ``render_x(doc) -> str`` and one line here::

    "docx": Format("docx", ((".docx", "docx:render_docx"),), "application/vnd...", "Word, side by side"),
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple

if TYPE_CHECKING:
    from ..doc import Document

VERSION = "render/2"


class Format(NamedTuple):
    """An output format: the files it writes (suffix, and ``module:function`` of its
    renderer inside this package), its media type (what the review server answers
    with), and what the help says of it."""

    name: str
    files: tuple[tuple[str, str], ...]
    media_type: str
    help: str

    def renderers(self) -> list[tuple[str, Callable[["Document"], str]]]:
        out = []
        for suffix, spec in self.files:
            module, _, function = spec.partition(":")
            out.append((suffix, getattr(import_module(f"{__name__}.{module}"), function)))
        return out


FORMATS = {
    "tsv": Format("tsv", ((".tsv", "tsv:render_tsv"),), "text/tab-separated-values", "one row per segment, for spreadsheets"),
    "tmx": Format("tmx", ((".tmx", "tmx:render_tmx"),), "application/x-tmx+xml", "TMX 1.4b translation memory"),
    "md": Format("md", ((".md", "markdown:render_markdown"),), "text/markdown", "side-by-side Markdown"),
    "en": Format("en", ((".en.txt", "text:render_english_text"), (".en.md", "markdown:render_english_markdown")),
                 "text/plain", "the English version"),
    "html": Format("html", ((".html", "html:render_html"),), "text/html", "the review page, self-contained"),
    "xliff2": Format("xliff2", ((".xlf", "xliff:render_xliff2"),), "application/xliff+xml", "XLIFF 2.0 with review states"),
    "xliff12": Format("xliff12", ((".v12.xlf", "xliff:render_xliff12"),), "application/x-xliff+xml", "XLIFF 1.2"),
    "beads": Format("beads", ((".beads.txt", "beads:render_beads"),), "text/plain",
                    "an aligned pair's beads, vecalign format"),
}
# what run and render write, in this order
EDITIONS = ("tsv", "tmx", "md", "en", "html")
# what export and the review server offer, in this order
EXPORTS = ("xliff2", "xliff12", "tmx", "tsv", "beads")


def formats_help(names: tuple[str, ...]) -> str:
    """``tsv, tmx, md, en (en.txt and en.md), html``: the names, and the files of a name
    that writes more than one."""
    def one(name: str) -> str:
        files = FORMATS[name].files
        return name + (f" ({' and '.join(s[1:] for s, _ in files)})" if len(files) > 1 else "")
    return ", ".join(one(name) for name in names)


def parse_formats(spec: str) -> list[str]:
    """``"tsv, html"`` -> ``["tsv", "html"]``; an unknown name is a usage error."""
    from ..errors import UsageError

    chosen = [f.strip() for f in spec.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in EDITIONS]
    if unknown or not chosen:
        raise UsageError(f"unknown format(s) {', '.join(unknown) or repr(spec)}; choose from {', '.join(EDITIONS)}")
    return chosen


def editions_of(doc: "Document", out: Path, formats: list[str]) -> list[tuple[Path, str]]:
    """Each chosen edition's path in ``out`` (kept inside it) and its text, rendered in memory."""
    from ..paths import child
    from .common import suffix_for

    return [(child(out, f"{doc.id}{suffix_for(doc, suffix)}"), fn(doc))
            for name in formats for suffix, fn in FORMATS[name].renderers()]


def export_text(doc: "Document", fmt: str) -> str:
    """The document in one of the :data:`EXPORTS`."""
    from ..errors import UsageError

    if fmt not in EXPORTS:
        raise UsageError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORTS)}")
    (_, render_one), = FORMATS[fmt].renderers()
    return render_one(doc)


def render(doc: "Document", out_dir: str | Path, formats: list[str] | None = None) -> list[Path]:
    """Write the record and the chosen editions into ``out_dir``; return the paths.

    Everything is rendered in memory first, so a failure leaves earlier files untouched."""
    from ..errors import UsageError
    from ..paths import child
    from ..doc import write_atomic
    from .common import has_translations

    out = Path(out_dir)
    record = child(out, f"{doc.id}.jsonl")  # a record's id is untrusted: its files stay in out_dir
    doc.provenance["render"] = {"version": VERSION}
    doc.seal()
    chosen = formats or list(EDITIONS)
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


def render_index(root: str | Path) -> Path:
    """outputs/index.html: every document under ``root``, with a link to each edition."""
    from .html import render_index as render

    return render(root)


__all__ = ["EDITIONS", "EXPORTS", "FORMATS", "Format", "VERSION", "editions_of", "export_text", "parse_formats",
           "render", "render_index"]
