"""Readers: one module per input format, behind one contract, found through one table.

A reader turns a file's bytes into a :class:`~pipeline.doc.Document`: its text (decoded and
normalised, every change recorded in ``document.source``) and, where the format itself
marks them, its blocks with their place in the original file. The front end
(:mod:`pipeline.frontend`) takes it from there. :data:`READERS` is the one place a reader
is named; a reader's module is imported only when a file needs it, so that a format's
library (a PDF or EPUB parser) loads only for that format.

A new format is one module and one line here::

    class PdfReader(Reader):            # pipeline/readers/pdf.py
        name, suffixes, magic = "pdf", (".pdf",), (b"%PDF-",)
        def read_bytes(self, data, doc_id, origin): ...

A reader of a format that marks its blocks (PDF, EPUB, DOCX, HTML) builds its document
with :class:`~pipeline.readers.layout.LayoutText`: each block's lines, its kind where the
markup says it, and its place in the original file (``location``, with a ``label`` such
as ``p. 12`` that the review page shows). The front end then takes the blocks as the
reader gives them and repairs inside them (line-end hyphens, ligatures, soft hyphens).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import ClassVar

from ..doc import Document
from ..errors import InputError
from ..paths import missing_reason, shorten

# name -> "module:class", in the order a file's suffix is looked up
READERS = {
    "text": "pipeline.readers.text:TextReader",
    "docx": "pipeline.readers.docx:DocxReader",
    "html": "pipeline.readers.html:HtmlReader",
    "epub": "pipeline.readers.epub:EpubReader",
    "pdf": "pipeline.readers.pdf:PdfReader",
}


# How much of a file's start a reader may look at to claim it: an EPUB says so at byte 30
# (the zip entry "mimetype" and its content), HTML after a byte-order mark, blank lines
# and comments.
HEAD_BYTES = 512


class Reader(ABC):
    """The whole contract of a reader: what it takes, and bytes -> document."""

    name: ClassVar[str]  # its key in READERS
    suffixes: ClassVar[tuple[str, ...]]  # lowercase, with the dot: what a folder is searched for
    magic: ClassVar[tuple[bytes, ...]] = ()  # first bytes that say the format whatever the file's name

    def claims(self, head: bytes) -> bool:
        """Whether a file's first :data:`HEAD_BYTES` bytes say it is this format, whatever
        its name (a format that no fixed prefix tells, such as an EPUB among zip files,
        says it here)."""
        return any(head.startswith(m) for m in self.magic)

    @abstractmethod
    def read_bytes(self, data: bytes, doc_id: str, origin: str) -> Document:
        """The document in ``data`` (read from ``origin``, a path or ``<stdin>``), with the
        reader's version in ``provenance``; :class:`~pipeline.errors.InputError` (one line)
        for bytes it cannot read."""


@lru_cache(maxsize=None)
def reader_named(name: str) -> Reader:
    module, _, cls = READERS[name].partition(":")
    return getattr(import_module(module), cls)()


def all_readers() -> list[Reader]:
    return [reader_named(name) for name in READERS]


def suffixes() -> tuple[str, ...]:
    """Every suffix some reader takes, in the table's order."""
    return tuple(s for r in all_readers() for s in r.suffixes)


def reader_for(path: Path, head: bytes = b"") -> Reader:
    """The reader for a file: by its first bytes where a reader claims them, else by its
    suffix, else plain text (which says in one line what a file it cannot read is)."""
    for r in all_readers():
        if head and r.claims(head):
            return r
    return reader_by_name(path) or reader_named("text")


def reader_by_name(path: Path) -> Reader | None:
    """The reader a file's suffix names, or None."""
    suffix = path.suffix.lower()
    return next((r for r in all_readers() if suffix in r.suffixes), None)


def read(path: str | Path, doc_id: str | None = None) -> Document:
    """Read one file (or ``-`` for standard input) with the reader its bytes or name call for."""
    if str(path) == "-":
        import sys

        return reader_named("text").read_bytes(sys.stdin.buffer.read(), doc_id or "stdin", "<stdin>")
    p = Path(path)
    data = read_file(p)
    reader = reader_for(p, data[:HEAD_BYTES])
    doc = reader.read_bytes(data, doc_id or doc_id_for(p), str(p))
    by_name = reader_by_name(p)
    if by_name is not None and by_name is not reader:  # "a.epub" holding a web page: its bytes win, and it is said
        doc.source["read_as"] = {"format": reader.name, "suffix": p.suffix}
    stem = _safe_stem(p)
    if doc_id is None and doc.id != stem:
        doc.source["id_shortened_from"] = stem  # the whole name stays on record
    return doc


def read_file(p: Path) -> bytes:
    """The bytes of an input file, or one line saying why they cannot be had."""
    if not p.exists():
        raise InputError(f"{p}: {missing_reason(p, 'file')}")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a text file")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror})") from None


_SAFE_STEM = re.compile(r"[^\w.\-]+", re.UNICODE)
# How a file found in a subfolder of an input folder is named: its relative path's parts,
# joined by this (a folder name cannot hold "/", and "_" alone already stands for the
# characters a name may not keep), so that a/x.txt and b/x.txt get different ids.
FOLDER_SEPARATOR = "__"


def _safe_stem(path: str | Path) -> str:
    stem = Path(str(path)).name
    for suffix in suffixes():
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return _SAFE_STEM.sub("_", stem).strip("._") or "document"


def doc_id_for(path: str | Path, folder: str | Path | None = None) -> str:
    """A document id that is also a safe folder name: no separators, no leading dots, and
    short enough for any file system (a long name is cut and ends with a hash of itself).

    With ``folder`` (an input folder that holds ``path``, at any depth), the path's parts
    below ``folder`` are in the id: ``a/x.txt`` reads ``a__x``; a file at the folder's top
    gets the id it gets alone."""
    stem = _safe_stem(path)
    if folder is not None:
        above = Path(path).relative_to(folder).parts[:-1]
        stem = FOLDER_SEPARATOR.join([_SAFE_STEM.sub("_", part).strip("._") or "folder" for part in above] + [stem])
    return shorten(stem)
