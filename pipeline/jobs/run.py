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
from ..editions import formats_for, render, render_index
from ..editions.common import counts, languages
from ..translation.loading import EngineOptions, load_engines
from ..errors import InputError, UsageError
from ..frontend import input_warnings, prepare
from ..inputs import InputFile, discover
from ..paths import check_output_folder, child
from ..quality import check
from ..translation.stage import languages_needed, needs_translation, pending_segments, translate_documents

DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = Path("outputs")


def admit(doc: Document, used_ids: set[str], report: "RunReport") -> None:
    """A prepared input joins the run, the same for every engine: a unique id (two inputs
    with one stem are both kept, the second as ``<stem>-2``) and its damage warning."""
    base, n = doc.id, 1
    while doc.id in used_ids:
        n += 1
        doc.renumber(f"{base}-{n}")
    used_ids.add(doc.id)
    report.warnings += input_warnings(doc)


def chosen_formats(spec: str | None, english_only: bool = False) -> list[str] | None:
    """The editions a run writes: those named (a usage error before any work for a name
    no format has), or None for each document's own (:func:`pipeline.editions.formats_for`);
    ``english_only``: the book in English instead of the bilingual one."""
    from ..editions import english_only_formats, parse_formats

    return None if spec is None else english_only_formats(parse_formats(spec), english_only)


def publish(doc: Document, root: Path, report: "RunReport", index: int, seconds: float) -> "DocumentReport | None":
    """A translated document's last steps, the same for every engine: quality flags, beads,
    editions in ``root/<id>/``, and its line in the report. A document whose files cannot
    be written is reported, and the others go on."""
    doc = align(check(doc))
    target = child(root, doc.id)
    try:
        render(doc, target, report.formats or formats_for(doc, report.english_only))
    except OSError as exc:
        report.errors.append(f"{doc.source.get('path', doc.id)}: its editions could not be written to {target} ({exc.strerror})")
        return None
    doc_report = DocumentReport.of(doc, target, seconds)
    doc_report.index = index
    report.documents.append(doc_report)
    return doc_report


ENGINES = ("local", "ray")


def check_engine(engine: str, ray_address: str | None, workers: int | None) -> None:
    """``--engine`` and the options that only make sense with Ray."""
    if engine not in ENGINES:
        raise UsageError(f"--engine must be {' or '.join(ENGINES)}, not {engine!r}")
    if engine == "local" and (ray_address or workers):
        raise UsageError("--ray-address and --workers go with --engine ray")


def given_inputs(inputs: list[str | Path] | None) -> list[str | Path]:
    """The inputs given, else seeds/; neither is a setup error, before anything is read."""
    if inputs:
        return list(inputs)
    if not DEFAULT_SEEDS.is_dir():
        raise UsageError(f"no inputs given, and no {DEFAULT_SEEDS}/ folder here to read by default: give text files or folders")
    return [DEFAULT_SEEDS]


def gather(inputs: list[str | Path] | None, report: "RunReport") -> list[InputFile]:
    """The files of a run (default: seeds/), the same for every engine: what cannot be read
    goes into the report's errors, what the folders held that is not read into one warning."""
    found = discover(given_inputs(inputs))
    report.errors += found.errors
    report.skipped = [{"path": path, "reason": reason} for path, reason in found.skipped]
    if line := found.skipped_line():
        report.warnings.append(line)
    return found.files


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
    index: int = 0  # the input's place on the command line, for the summary's order

    @classmethod
    def of(cls, doc: Document, out_dir: Path, seconds: float) -> "DocumentReport":
        counted = counts(doc)  # the numbers the editions' index shows
        translation = doc.meta.get("translation", {})
        return cls(
            id=doc.id,
            source=str(doc.source.get("path", "")),
            lang=doc.lang,
            out_dir=str(out_dir),
            sentences=counted["segments"],
            translated=counted["translated"],
            passed_through=counted["passed_through"],
            seconds=round(seconds, 3),
            translation_needed=needs_translation(doc),
            translated_now=translation.get("translated_now", 0),
            from_cache=translation.get("from_cache", 0),
            languages=languages(doc),
        )

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "index"}


@dataclass
class RunReport:
    documents: list[DocumentReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    formats: list[str] | None = None  # the editions asked for; None: each document's own
    english_only: bool = False  # the book in English instead of the bilingual one
    warnings: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # what the input folders held that was not read
    models: dict[str, str] = field(default_factory=dict)
    backend: str = ""
    cache: str | None = None
    seconds: float = 0.0
    glossary: str = ""  # the glossary the run held its English to, where one was given

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def as_dict(self) -> dict:
        return {
            "documents": [d.as_dict() for d in self.documents],
            "errors": self.errors,
            "warnings": self.warnings,
            "skipped": self.skipped,
            "models": self.models,
            "backend": self.backend,
            "cache": self.cache,
            "seconds": round(self.seconds, 3),
            **({"glossary": self.glossary} if self.glossary else {}),
        }


def glossary_summary(options: EngineOptions | None) -> str:
    """The glossary a run holds its English to, in one line ("" without one)."""
    steering = getattr(options, "steering", None)
    if steering is None or steering.glossary is None:
        return ""
    g = steering.glossary
    return f"{g.path} ({len(g.terms)} terms, sha256 {g.sha256[:12]}, {steering.candidates} candidates a sentence)"


# Documents are prepared and translated in windows of about this many segments, so that a
# corpus of any size holds one window in memory (a 20-sentence article's record takes
# ~30 kB, so ~60 MB a window), while batches still cross document boundaries within it.
WINDOW_SEGMENTS = 20_000


@dataclass
class _Input:
    """An input read by the first pass: its document, kept while the window has room."""

    index: int
    path: Path
    doc_id: str
    segments: int
    prep_seconds: float
    doc: Document | None


def _first_pass(files: list[InputFile], report: RunReport) -> tuple[list[_Input], set[str]]:
    """Prepare every input once (cheap, no model): bad inputs are reported, ids made unique,
    the languages to translate known before any model loads. Documents are kept up to one
    window's worth; the others are prepared again when their window comes."""
    inputs: list[_Input] = []
    used_ids: set[str] = set()
    langs: set[str] = set()
    kept = 0
    for item in files:
        path = item.path
        t0 = time.perf_counter()
        try:
            doc = prepare(path, item.doc_id)
        except InputError as exc:
            report.errors.append(str(exc))
            continue
        admit(doc, used_ids, report)
        langs |= languages_needed([doc])
        segments = len(doc.content_segments())
        keep = kept + segments <= WINDOW_SEGMENTS or str(path) == "-"  # standard input cannot be read twice
        kept += segments if keep else 0
        inputs.append(_Input(len(inputs), path, doc.id, segments, time.perf_counter() - t0, doc if keep else None))
    return inputs, langs


def _windows(inputs: list[_Input]):
    """The inputs in windows of about WINDOW_SEGMENTS segments, each document prepared."""
    window: list[tuple[_Input, Document]] = []
    size = 0
    for item in inputs:
        doc = item.doc
        if doc is None:  # dropped after the first pass: the same front end gives the same document
            doc = prepare(item.path)
            doc.renumber(item.doc_id)
        item.doc = None  # the window owns it now: released once rendered
        window.append((item, doc))
        size += item.segments
        if size >= WINDOW_SEGMENTS:
            yield window
            window, size = [], 0
    if window:
        yield window


def run(
    inputs: list[str | Path] | None = None,
    out_dir: str | Path = DEFAULT_OUT,
    options: EngineOptions | None = None,
    on_progress: Callable[[int, int, int, int], None] | None = None,
    on_document: Callable[[DocumentReport], None] | None = None,
    *, formats: str | None = None,
    english_only: bool = False,
) -> RunReport:
    """Process ``inputs`` (default: seeds/) into ``out_dir``/<doc-id>/.

    The pending sentences of all documents in a window go through the engine together;
    each document is checked, aligned and rendered as soon as its last sentence is done.
    ``on_progress(sentences_done, sentences_total, documents_done, documents_total)``;
    ``formats`` as ``"tsv,epub"`` (default: the editions, and the input's own format)."""
    started = time.perf_counter()
    options = options or EngineOptions()
    report = RunReport(formats=chosen_formats(formats, english_only), english_only=english_only)
    items, langs = _first_pass(gather(inputs, report), report)

    # everything that can stop the run is checked before any model is loaded: the output
    # folder, every document's folder name, then (in load_engines) the models and the cache
    root = check_output_folder(out_dir)
    for item in items:
        child(root, item.doc_id)
    engines = load_engines(langs, options)
    report.models = {lang: e.model for lang, e in engines.items()}
    report.glossary = glossary_summary(options)
    report.backend = ", ".join(sorted({f"{e.signature['backend']} on {e.signature['device']} ({e.signature['compute_type']})" for e in engines.values()}))
    report.warnings += [e.signature["fallback"] for e in engines.values() if e.signature.get("fallback")][:1]
    first = next(iter(engines.values()), None)
    report.cache = str(first.cache.path) if first is not None and first.cache is not None else None

    done_before = {"segments": 0, "documents": 0}
    total_docs = len(items)
    for window in _windows(items):
        by_doc = {id(doc): item for item, doc in window}
        window_started = time.perf_counter()

        def finish(doc: Document) -> None:
            item = by_doc[id(doc)]
            doc_report = publish(doc, root, report, item.index, item.prep_seconds + time.perf_counter() - window_started)
            if doc_report and on_document:
                on_document(doc_report)

        def progress(done: int, total: int, docs_done: int) -> None:
            if on_progress:
                on_progress(done_before["segments"] + done, done_before["segments"] + total, done_before["documents"] + docs_done, total_docs)

        window_pending = sum(len(pending_segments(doc)) for _, doc in window)
        translate_documents([doc for _, doc in window], engines, progress=progress, on_document=finish)
        done_before["segments"] += window_pending
        done_before["documents"] += len(window)
    report.documents.sort(key=lambda d: d.index)  # in the order of the inputs, however they finished
    if report.documents:
        render_index(root)
    report.seconds = time.perf_counter() - started
    return report
