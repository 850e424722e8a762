"""The records a review serves: found in the folders given, loaded, changed under a lock,
written back atomically at once, and their editions rendered again from them.

The record on disk is the truth: a change is applied to the record as it is on disk now
(re-read if anything else wrote it), saved with an atomic rename — so that a server
killed at any moment leaves the last saved state, valid — and then the editions that
were there are rendered again from it.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..doc import Document, RecordError, write_atomic
from ..errors import InputError, UsageError
from ..paths import missing_reason


@dataclass
class Served:
    """One record under review."""

    path: Path
    doc: Document
    mtime_ns: int
    formats: list[str]  # the editions found beside it, rendered again after each change
    lock: threading.Lock = field(default_factory=threading.Lock)


def find_records(paths: list[Path]) -> list[Path]:
    """Records under the given folders (an outputs folder: ``*/<doc>.jsonl``; an edition
    folder: ``<doc>.jsonl``) or given themselves."""
    found: list[Path] = []
    for p in paths:
        if p.is_file():
            if p.suffix != ".jsonl":
                raise UsageError(f"{p}: not a record (a <document>.jsonl file) nor a folder of editions")
            found.append(p)
        elif p.is_dir():
            here = sorted(p.glob("*.jsonl")) or sorted(p.glob("*/*.jsonl"))
            if not here:
                raise UsageError(f"{p}: no record (<document>.jsonl) in it nor in its folders; run `diptych run` or `diptych align` first")
            found += here
        else:
            raise UsageError(f"{p}: {missing_reason(p)}")
    return list(dict.fromkeys(f.resolve() for f in found))


def editions_beside(record: Path, doc: Document) -> list[str]:
    """The formats of the document's editions found beside its record."""
    from ..editions import DOCUMENT_FORMATS, EDITIONS, FORMATS
    from ..editions.common import suffix_for

    return [name for name in EDITIONS + DOCUMENT_FORMATS
            if any((record.parent / f"{doc.id}{suffix_for(doc, suffix)}").exists() for suffix, _ in FORMATS[name].files)]


class ReviewStore:
    """The served records by document id."""

    def __init__(self, paths: list[Path]):
        self.documents: dict[str, Served] = {}
        for record in find_records(paths):
            try:
                doc = Document.load(record)
            except RecordError as exc:
                raise InputError(str(exc)) from None
            if doc.id in self.documents:
                raise UsageError(f"two records of the document {doc.id}: {self.documents[doc.id].path} and {record}; review one folder at a time")
            self.documents[doc.id] = Served(record, doc, record.stat().st_mtime_ns, editions_beside(record, doc))

    def get(self, doc_id: str) -> Served:
        """KeyError for an id that is not served: ids are looked up, never made into paths."""
        return self.documents[doc_id]

    def current(self, served: Served) -> Document:
        """The record as it is on disk now (another program may have rendered it again)."""
        try:
            mtime = served.path.stat().st_mtime_ns
        except OSError:
            return served.doc
        if mtime != served.mtime_ns:
            try:
                served.doc, served.mtime_ns = Document.load(served.path), mtime
            except RecordError:
                pass  # half-written by someone else: keep what was last read whole
        return served.doc

    def read(self, doc_id: str) -> Document:
        served = self.get(doc_id)
        with served.lock:
            return self.current(served)

    def change(self, doc_id: str, operation: Callable[[Document], Any]) -> Any:
        """Apply ``operation`` to the current record, save it at once, render its editions."""
        served = self.get(doc_id)
        with served.lock:
            doc = self.current(served)
            # work on a copy: an operation that fails half-way leaves the served record as it was
            work = copy.deepcopy(doc)
            result = operation(work)
            save_and_render(work, served.path, served.formats)
            served.doc, served.mtime_ns = work, served.path.stat().st_mtime_ns
            return result


def save_and_render(doc: Document, record: Path, formats: list[str]) -> list[Path]:
    """Seal and save a changed record, then render its ``formats`` beside it again; return
    the editions written. Every edition is rendered in memory before the record is saved,
    so a rendering that fails leaves the record and its editions as they were."""
    from ..editions import editions_of

    doc.seal()
    rendered = editions_of(doc, record.parent, formats)
    doc.save(record)
    return [write_atomic(path, text) for path, text in rendered]
