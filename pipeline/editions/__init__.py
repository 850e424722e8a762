"""Stage 7: the document record -> the editions people open, and the exports CAT tools read.

:data:`FORMATS` is the one place an output format is named: ``run`` and ``render`` write
the :data:`EDITIONS`, ``export`` and the review server offer the :data:`EXPORTS`, the
index links each edition it finds, and the command line's help lists them from here.
Every renderer reads only the record, so ``diptych render`` can redo them at any time,
and every edition carries the signature of the settings that made it. Renderers are
imported when a format is rendered, so that this table costs nothing to read.

A new format is one module with a ``render_x(doc) -> str`` and one line here::

    "odt": Format("odt", ((".odt", "odt:render_odt"),), "application/vnd...", "OpenDocument, side by side"),

A document format (EPUB, DOCX, a web page) is written back into the file it was read from:
its renderer is ``render_x(doc, original) -> bytes``, where ``original`` is that file's
bytes when the document was read by the reader the format names (``original="epub"``),
and None otherwise (a PDF or a text made into an EPUB: built from the record's blocks).
A document read by one of a format's ``inputs`` gets that format by default, besides the
:data:`EDITIONS`. The original file is kept beside the record (``<id>.original.epub``),
so that ``render`` can write these editions again when the user's file is gone.
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
    # a document format: the reader whose files it writes back (its renderers take the
    # original's bytes, or None, and return bytes)
    original: str | None = None
    # the readers whose documents get this format by default
    inputs: tuple[str, ...] = ()

    def renderers(self) -> list[tuple[str, Callable[..., str | bytes]]]:
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
    "docx": Format("docx", ((".en.docx", "docx:render_docx"), (".bilingual.docx", "docx:render_bilingual_docx")),
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   "Word: translated in place, and side by side", original="docx", inputs=("docx", "pdf")),
    "webpage": Format("webpage", ((".en.html", "webpage:render_webpage"),), "text/html",
                      "the web page translated in place", original="html", inputs=("html", "pdf")),
    "epub": Format("epub", ((".bilingual.epub", "epub:render_bilingual_epub"),), "application/epub+zip",
                   "the book, each paragraph followed by its English", original="epub", inputs=("epub", "pdf")),
    "epub-en": Format("epub-en", ((".en.epub", "epub:render_english_epub"),), "application/epub+zip",
                      "the book in English", original="epub"),
}
# what run and render write, in this order
EDITIONS = ("tsv", "tmx", "md", "en", "html")
# what export and the review server offer, in this order
EXPORTS = ("xliff2", "xliff12", "tmx", "tsv", "beads")
# what a document's own format adds to the EDITIONS, or a user asks for
DOCUMENT_FORMATS = tuple(name for name, f in FORMATS.items() if f.original)
# the files an input is kept as beside its record, for the document formats to write back
ORIGINAL = ".original"


def formats_for(doc: "Document", english_only: bool = False) -> list[str]:
    """What ``run`` and ``render`` write for a document by default: the :data:`EDITIONS`,
    then the document formats of the reader that read it (``english_only``: the book in
    English instead of the bilingual one)."""
    reader = doc.source.get("reader")
    return english_only_formats(list(EDITIONS) + [name for name in DOCUMENT_FORMATS if reader in FORMATS[name].inputs],
                                english_only)


def english_only_formats(names: list[str], english_only: bool = True) -> list[str]:
    """``names`` with each bilingual book replaced by the book in English (``--english-only``)."""
    swap = {"epub": "epub-en"} if english_only else {}
    return list(dict.fromkeys(swap.get(name, name) for name in names))


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
    known = EDITIONS + DOCUMENT_FORMATS
    unknown = [f for f in chosen if f not in known]
    if unknown or not chosen:
        raise UsageError(f"unknown format(s) {', '.join(unknown) or repr(spec)}; choose from {', '.join(known)}")
    return chosen


def editions_of(doc: "Document", out: Path, formats: list[str]) -> list[tuple[Path, str | bytes]]:
    """Each chosen edition's path in ``out`` (kept inside it) and its text (bytes for a
    document format), rendered in memory."""
    from ..paths import child
    from .common import suffix_for

    rendered: list[tuple[Path, str | bytes]] = []
    # the input's bytes, read (and hash-checked) once for every format that writes it back
    original = original_of(doc, out) if any(writes_back(doc, name) for name in formats) else None
    for name in formats:
        fmt = FORMATS[name]
        if fmt.original:
            own = original if writes_back(doc, name) else None
            rendered += [(child(out, f"{doc.id}{suffix_for(doc, suffix)}"), fn(doc, own)) for suffix, fn in fmt.renderers()]
        else:
            rendered += [(child(out, f"{doc.id}{suffix_for(doc, suffix)}"), fn(doc)) for suffix, fn in fmt.renderers()]
    return rendered


def writes_back(doc: "Document", name: str) -> bool:
    """Whether format ``name`` writes its edition into the file ``doc`` was read from."""
    return FORMATS[name].original is not None and FORMATS[name].original == doc.source.get("reader")


def original_path(doc: "Document", out: Path) -> Path:
    """Where the input of a document read by a document reader is kept beside its record."""
    from ..paths import child

    suffix = Path(str(doc.source.get("path", ""))).suffix.lower()
    return child(out, f"{doc.id}{ORIGINAL}{suffix if suffix.isascii() and suffix[1:].isalnum() else ''}")


def original_of(doc: "Document", out: Path) -> bytes:
    """The bytes of the file a document was read from: the copy beside its record, else
    the file at its recorded path, each only if its hash is the one recorded (a file
    changed since it was read would put the English into other text)."""
    import hashlib

    from ..errors import InputError

    wanted = doc.source.get("sha256")
    for candidate in (original_path(doc, out), Path(str(doc.source.get("path", "")))):
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == wanted:
            return data
    raise InputError(f"{doc.source.get('path', doc.id)}: the original file is needed to write its "
                     f"{doc.source.get('reader')} edition again, and it is gone or changed since it was read "
                     f"(nor is a copy beside the record, {original_path(doc, out).name})")


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
    chosen = formats or formats_for(doc)
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
    if any(writes_back(doc, name) for name in chosen):
        kept = original_path(doc, out)
        if not kept.is_file():  # the input, for render to write these editions again without it
            written.append(write_atomic(kept, original_of(doc, out)))
    for path, text in rendered:
        written.append(write_atomic(path, text))
    return written


def render_index(root: str | Path) -> Path:
    """outputs/index.html: every document under ``root``, with a link to each edition."""
    from .html import render_index as render

    return render(root)


__all__ = ["DOCUMENT_FORMATS", "EDITIONS", "EXPORTS", "FORMATS", "Format", "VERSION", "editions_of", "export_text",
           "formats_for", "original_of", "parse_formats", "render", "render_index"]
