"""The whole job: files in, one edition folder per document out.

``run`` composes the stages; each stage is a plain ``Document -> Document`` function and
can be called alone (see :mod:`pipeline`). Inputs are prepared first (cheap, no model),
so that a missing model is reported before any work is written, and one bad file never
stops the others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..alignment.stage import align
from ..doc import Document
from ..editions import render, render_index
from ..editions.common import languages
from ..engines import EngineOptions, load_engines
from ..errors import InputError
from ..frontend import damage_warning, prepare
from ..ingest import TEXT_SUFFIXES
from ..paths import check_output_folder, child
from ..quality import check
from ..translate import languages_needed, needs_translation, translate

DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = Path("outputs")


def discover(inputs: list[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand folders into their text files. Returns (files, one-line errors)."""
    files: list[Path] = []
    errors: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES and not f.name.startswith("."))
            if not found:
                errors.append(f"{p}: no text files ({', '.join(TEXT_SUFFIXES)}) in this folder")
            files.extend(found)
        elif p.exists() or str(p) == "-":
            files.append(p)
        else:
            errors.append(f"{p}: no such file or folder")
    return files, errors


@dataclass
class DocumentReport:
    id: str
    source: str
    lang: str
    out_dir: str
    sentences: int
    translated: int
    passed_through: int
    seconds: float
    translation_needed: bool
    translated_now: int = 0
    from_cache: int = 0
    languages: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Document, out_dir: Path, seconds: float) -> "DocumentReport":
        segs = doc.content_segments()
        translation = doc.meta.get("translation", {})
        return cls(
            id=doc.id,
            source=str(doc.source.get("path", "")),
            lang=doc.lang,
            out_dir=str(out_dir),
            sentences=len(segs),
            translated=sum(1 for s in segs if s.translation is not None),
            passed_through=sum(1 for s in segs if s.translation is None),
            seconds=round(seconds, 3),
            translation_needed=needs_translation(doc),
            translated_now=translation.get("translated_now", 0),
            from_cache=translation.get("from_cache", 0),
            languages=languages(doc),
        )

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class RunReport:
    documents: list[DocumentReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    models: dict[str, str] = field(default_factory=dict)
    backend: str = ""
    cache: str | None = None
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def as_dict(self) -> dict:
        return {
            "documents": [d.as_dict() for d in self.documents],
            "errors": self.errors,
            "warnings": self.warnings,
            "models": self.models,
            "backend": self.backend,
            "cache": self.cache,
            "seconds": round(self.seconds, 3),
        }


def run(
    inputs: list[str | Path] | None = None,
    out_dir: str | Path = DEFAULT_OUT,
    options: EngineOptions | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
    on_document: Callable[[DocumentReport], None] | None = None,
) -> RunReport:
    """Process ``inputs`` (default: seeds/) into ``out_dir``/<doc-id>/.

    ``on_progress(doc_id, done, total)`` reports translation progress per document."""
    started = time.perf_counter()
    options = options or EngineOptions()
    report = RunReport()
    files, report.errors = discover(list(inputs) if inputs else [DEFAULT_SEEDS])

    prepared: list[tuple[Document, float]] = []
    used_ids: set[str] = set()
    for path in files:
        t0 = time.perf_counter()
        try:
            doc = prepare(path)
        except InputError as exc:
            report.errors.append(str(exc))
            continue
        base, n = doc.id, 1
        while doc.id in used_ids:  # two inputs with one stem: keep both
            n += 1
            doc.renumber(f"{base}-{n}")
        used_ids.add(doc.id)
        if warning := damage_warning(doc):
            report.warnings.append(warning)
        prepared.append((doc, time.perf_counter() - t0))

    # everything that can stop the run is checked before any model is loaded: the output
    # folder, every document's folder name, then (in load_engines) the models and the cache
    root = check_output_folder(out_dir)
    for doc, _ in prepared:
        child(root, doc.id)
    engines = load_engines(languages_needed(d for d, _ in prepared), options)
    report.models = {lang: e.model for lang, e in engines.items()}
    report.backend = ", ".join(sorted({f"{e.signature['backend']} on {e.signature['device']} ({e.signature['compute_type']})" for e in engines.values()}))
    first = next(iter(engines.values()), None)
    report.cache = str(first.cache.path) if first is not None and first.cache is not None else None

    for doc, prep_seconds in prepared:
        t0 = time.perf_counter()
        progress = (lambda done, total, doc_id=doc.id: on_progress(doc_id, done, total)) if on_progress else None
        doc = align(check(translate(doc, engines, progress=progress)))
        target = child(root, doc.id)
        try:
            render(doc, target)
        except OSError as exc:  # this document's files only: the others are still written
            report.errors.append(f"{doc.source.get('path', doc.id)}: its editions could not be written to {target} ({exc.strerror})")
            continue
        doc_report = DocumentReport.of(doc, target, prep_seconds + time.perf_counter() - t0)
        report.documents.append(doc_report)
        if on_document:
            on_document(doc_report)
    if report.documents:
        render_index(root)
    report.seconds = time.perf_counter() - started
    return report

