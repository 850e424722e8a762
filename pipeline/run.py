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

from .align import align
from .doc import Document
from .errors import DiptychError, InputError
from .footnotes import mark_footnotes
from .ingest import ingest
from .langid import identify
from .models import ResolvedModel, resolve, specs_for
from .quality import check
from .render import render, render_index
from .segment import segment
from .structure import structure
from .translate import DecodingSettings, TranslationEngine, languages_needed, needs_translation, translate

TEXT_SUFFIXES = (".txt", ".md", ".text")
DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = Path("outputs")


def prepare(path: str | Path, doc_id: str | None = None, lang: str | None = None) -> Document:
    """The front end, no model needed: ingest -> structure -> footnotes -> segment -> languages.

    Segmentation needs only the script of a block, so languages are identified once,
    sentence by sentence; ``lang`` skips detection."""
    doc = mark_footnotes(structure(ingest(path, doc_id)))
    if lang:
        identify(doc, force=lang)
    return identify(segment(doc), force=lang)


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

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class RunReport:
    documents: list[DocumentReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
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
            "models": self.models,
            "backend": self.backend,
            "cache": self.cache,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class EngineOptions:
    """How to translate: which models, backend, device, decoding, batching and cache."""

    overrides: list[str] | None = None
    backend: str = "auto"
    device: str = "auto"
    compute_type: str = "auto"
    settings: DecodingSettings = field(default_factory=DecodingSettings)
    batch_tokens: int | None = None
    cache_path: str | Path | None = "default"  # None: no cache
    guard: bool = True


def load_engines(langs: set[str], options: EngineOptions) -> dict[str, TranslationEngine]:
    """Resolve every needed model first (fail fast, exit 2), then load them."""
    resolved: dict[str, ResolvedModel] = {lang: resolve(spec) for lang, spec in specs_for(langs, options.overrides).items()}
    if not resolved:
        return {}
    from .backends import load_backend  # imports torch or ctranslate2: only when something needs translating

    cache = None
    if options.cache_path is not None:
        from .cache import TranslationCache, default_cache_path

        cache = TranslationCache(default_cache_path() if options.cache_path == "default" else options.cache_path)
    return {
        lang: TranslationEngine(
            load_backend(model, options.backend, options.device, options.compute_type),
            options.settings,
            cache=cache,
            batch_tokens=options.batch_tokens,
            guard=options.guard,
        )
        for lang, model in resolved.items()
    }


def _count(doc: Document) -> DocumentReport:
    sentences = translated = passed = 0
    langs: dict[str, int] = {}
    for block in doc.blocks:
        if not block.translatable:
            continue
        for seg in block.segments:
            sentences += 1
            langs[seg.lang] = langs.get(seg.lang, 0) + 1
            if seg.translation is not None:
                translated += 1
            else:
                passed += 1
    return DocumentReport(
        id=doc.id,
        source=str(doc.source.get("path", "")),
        lang=doc.lang,
        out_dir="",
        sentences=sentences,
        translated=translated,
        passed_through=passed,
        seconds=0.0,
        translation_needed=needs_translation(doc),
        languages=langs,
    )


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
        prepared.append((doc, time.perf_counter() - t0))

    engines = load_engines(languages_needed(d for d, _ in prepared), options)
    report.models = {lang: e.model for lang, e in engines.items()}
    report.backend = ", ".join(sorted({f"{e.signature['backend']} on {e.signature['device']} ({e.signature['compute_type']})" for e in engines.values()}))
    first = next(iter(engines.values()), None)
    report.cache = str(first.cache.path) if first is not None and first.cache is not None else None

    root = Path(out_dir)
    for doc, prep_seconds in prepared:
        t0 = time.perf_counter()
        progress = (lambda done, total, doc_id=doc.id: on_progress(doc_id, done, total)) if on_progress else None
        doc = translate(doc, engines, progress=progress)
        doc = check(doc)
        doc = align(doc)
        target = _safe_child(root, doc.id)
        render(doc, target)
        doc_report = _count(doc)
        doc_report.out_dir = str(target)
        doc_report.translated_now = doc.meta.get("translation", {}).get("translated_now", 0)
        doc_report.from_cache = doc.meta.get("translation", {}).get("from_cache", 0)
        doc_report.seconds = round(prep_seconds + time.perf_counter() - t0, 3)
        report.documents.append(doc_report)
        if on_document:
            on_document(doc_report)
    if report.documents:
        render_index(root)
    report.seconds = time.perf_counter() - started
    return report


def _safe_child(root: Path, name: str) -> Path:
    """``root/name``, refusing any name that would leave ``root``."""
    target = (root / name).resolve()
    if target.parent != root.resolve():
        raise DiptychError(f"refusing to write outside {root}: {name!r}")
    return target
