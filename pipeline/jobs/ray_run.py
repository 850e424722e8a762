"""``diptych run --engine ray``: the same job as :mod:`.run`, on a Ray cluster.

The front end runs as a Ray Data map over the input files; translation runs as
``map_batches`` over the distinct pending sentences of all documents, one actor pool per
language (each actor loads its model once, by id or by a path present on every node); the
driver keeps the translation cache, puts each batch in it as it arrives, and checks,
aligns and renders each document as soon as its last sentence is done, with the same
functions as a local run, so the editions are the same. Ray is imported here only.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from ..doc import Document
from ..editions import render_index
from ..translation.loading import EngineOptions, open_cache
from ..errors import UsageError
from ..translation.catalog import resolve_all, specs_for
from ..paths import check_output_folder, child
from ..translation.cache import entry_key
from ..translation.stage import CorpusTranslation, TranslationResult, languages_needed, signature_key
from .run import DEFAULT_OUT, RunReport, admit, chosen_formats, gather, glossary_summary, publish

INSTALL_HINT = "pip install 'diptych[ray]'"
# Sentences per map_batches call: enough to fill the engine's token-budget batch inside an
# actor (64 sentences of ~30 tokens make one 2048-token CPU batch), few enough that the
# workers finish together (256 left one of two workers idle for the last third of a
# 600-sentence run) and that results stream back into the cache and into documents.
RAY_BATCH_SENTENCES = 64
# How long joining a cluster may take before the address is called unreachable.
CONNECT_TIMEOUT_S = 10
# Ray's C++ core worker in this process (the driver) writes its ERROR lines to our stderr
# whatever ray.init's log_to_driver and logging_level say (those are about the workers' output
# and Ray's Python loggers), and Ray Data's actor pools set one off on every run: "Actor ...
# has constructor arguments in the object store and max_restarts > 0" (ray-project/ray#57733),
# a false alarm here: the operator holds those arguments while its actors live, and a restarted
# actor gets them (test_a_worker_that_dies_is_replaced_by_ray_and_its_batch_run_again).
# RAY_BACKEND_LOG_LEVEL, read once as the core worker starts, is Ray's setting for that logger;
# at fatal it keeps only what ends the process. A user's own setting wins, and shows all it asks
# for (RAY_BACKEND_LOG_LEVEL=info brings the lines back). It does not touch what fails in a
# task: that comes back to the driver as an exception.
BACKEND_LOG_LEVEL = "fatal"
# A line of Ray's C++ logs below FATAL: "[2026-01-02 03:04:05,678 I 123 456] logging.cc:303: ..."
RAY_LOG_LINE = re.compile(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [IWE] \d+ \d+\] ")


def _import_ray():
    try:
        import ray
        import ray.data
    except ImportError:
        raise UsageError(f"--engine ray needs Ray: {INSTALL_HINT}") from None
    return ray


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _host(address: str) -> str:
    return address.removeprefix("ray://").rpartition(":")[0].strip("[]")


def _check_reachable(address: str) -> None:
    """An explicit host:port is tried with a plain TCP connection first: Ray itself would
    wait for minutes on an address where nothing answers."""
    host, port = _host(address), address.rpartition(":")[2]
    if not host or not port.isdigit():
        raise UsageError(f"--ray-address {address!r}: expected auto or HOST:PORT")
    try:
        with socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        raise UsageError(f"--ray-address {address}: no Ray cluster answers there ({exc.strerror or exc})") from None


def connect(address: str | None, workers: int | None):
    """Join the cluster at ``address`` (``auto``: the one running here, as ``RAY_ADDRESS``
    says), or start a local Ray when there is none; quiet, as the rest of Diptych is."""
    address = address or os.environ.get("RAY_ADDRESS") or None
    if address and address != "auto":
        _check_reachable(address)
    this_machine_only = address is None or _host(address) in LOOPBACK
    if this_machine_only:
        # its processes talk over the loopback interface: Ray would otherwise swap 127.0.0.1
        # for the address of the machine's network interface (a setting read at import)
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    ray = _import_ray()
    if not ray.is_initialized():
        try:
            kwargs = {"num_cpus": workers} if address is None and workers else {}
            if this_machine_only:
                kwargs["_node_ip_address"] = "127.0.0.1"
            with _quiet_core_worker():
                ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
                         configure_logging=True, **kwargs)
        except ConnectionError as exc:
            raise UsageError(f"--ray-address {address}: {str(exc).splitlines()[0]}") from None
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    logging.getLogger("ray").setLevel(logging.ERROR)
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    return ray


@contextmanager
def _quiet_core_worker():
    """ray.init with RAY_BACKEND_LOG_LEVEL at BACKEND_LOG_LEVEL, unless the user set it; the
    environment is as it was afterwards (a Ray that ray.init starts here inherits the setting:
    its processes' logs, in its session folder, keep their FATAL lines only). The core worker
    announces the setting with an INFO line on stderr before the level applies ("Set ray log
    level from environment variable ..."): Ray's log lines below FATAL that ray.init writes
    to stderr are left out of it."""
    if "RAY_BACKEND_LOG_LEVEL" in os.environ:
        yield
        return
    os.environ["RAY_BACKEND_LOG_LEVEL"] = BACKEND_LOG_LEVEL
    try:
        with _stderr_without_ray_log_lines():
            yield
    finally:
        os.environ.pop("RAY_BACKEND_LOG_LEVEL", None)


@contextmanager
def _stderr_without_ray_log_lines():
    """What is written to this process's stderr (file descriptor 2, where Ray's C++ code writes)
    goes to a file meanwhile, and to stderr after it, less Ray's log lines below FATAL."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile() as capture:
            os.dup2(capture.fileno(), 2)
            try:
                yield
            finally:
                sys.stderr.flush()
                os.dup2(saved, 2)
                capture.seek(0)
                kept = [line for line in capture.read().decode(errors="replace").splitlines(keepends=True) if not RAY_LOG_LINE.match(line)]
                if kept:
                    sys.stderr.write("".join(kept))
                    sys.stderr.flush()
    finally:
        os.close(saved)


def _prepare_row(row: dict) -> dict:
    """The front end on one input, on a worker: its record, or the one-line error."""
    from ..errors import InputError
    from ..frontend import prepare

    try:
        doc = prepare(row["path"], row["doc_id"])
    except InputError as exc:
        return {"index": row["index"], "record": "", "error": str(exc)}
    return {"index": row["index"], "record": "\n".join(json.dumps(r, ensure_ascii=False) for r in doc.iter_records()), "error": ""}


def _use_threads(threads: int) -> None:
    """A CPU worker's share of its node's cores, for the backend it loads (0: a GPU worker)."""
    if threads:
        os.environ["DIPTYCH_THREADS"] = str(threads)


def _translator_class(lang: str, options: EngineOptions, threads: int):
    """The class Ray Data instantiates once per actor. Its settings are class attributes
    rather than constructor arguments, so that a restarted actor needs nothing from the
    object store (Ray warns that such arguments can be lost)."""

    class Translator:
        settings = (lang, options, threads)

        def __init__(self) -> None:
            from ..translation.runtimes import load_backend
            from ..translation.stage import TranslationEngine

            lang_, opts, n = self.settings
            _use_threads(n)
            model = resolve_all(specs_for({lang_}, opts.overrides, opts.profile))[lang_]
            backend = load_backend(model, opts.backend, opts.device, opts.compute_type)
            self.engine = TranslationEngine(backend, opts.settings, cache=None, batch_tokens=opts.batch_tokens, guard=opts.guard,
                                            steering=opts.steering)

        def __call__(self, batch: dict) -> dict:
            texts = [str(t) for t in batch["text"]]
            results = self.engine.translate(texts)
            return {
                "text": texts,
                "translation": [r.translation for r in results],
                "flags": [json.dumps(r.flags) for r in results],
                "meta": [json.dumps(r.meta, ensure_ascii=False) for r in results],
                "signature": [json.dumps(self.engine.signature)] * len(texts),
            }

    Translator.__name__ = Translator.__qualname__ = f"Translate_{lang}"
    return Translator


def _describe_engine(lang: str, options: EngineOptions, threads: int) -> dict:
    """On a worker: the signature its translation engine will have (see describe_backend)."""
    from ..translation.runtimes import describe_backend
    from ..translation.stage import engine_signature

    _use_threads(threads)
    model = resolve_all(specs_for({lang}, options.overrides, options.profile))[lang]
    backend_signature, default_tokens = describe_backend(model, options.backend, options.device, options.compute_type)
    return engine_signature(backend_signature, options.settings, options.batch_tokens or default_tokens, options.guard)


def run_on_ray(
    inputs: list[str | Path] | None = None,
    out_dir: str | Path = DEFAULT_OUT,
    options: EngineOptions | None = None,
    address: str | None = None,
    workers: int | None = None,
    *, on_progress: Callable[[int, int, int, int], None] | None = None,
    formats: str | None = None,
    english_only: bool = False,
) -> RunReport:
    """The job of :func:`pipeline.jobs.run.run`, with the front end and translation on Ray."""
    started = time.perf_counter()
    options = options or EngineOptions()
    report = RunReport(formats=chosen_formats(formats, english_only), english_only=english_only)
    files = gather(inputs, report)
    if any(str(f.path) == "-" for f in files):
        raise UsageError("--engine ray reads files on its workers: give paths they can read, not - (standard input)")
    ray = connect(address, workers)

    # 1. the front end over the files, in parallel; documents come back as records
    rows = ray.data.from_items([{"index": i, "path": str(f.path), "doc_id": f.doc_id} for i, f in enumerate(files)]).map(_prepare_row).take_all()
    docs: list[tuple[int, Document]] = []
    used_ids: set[str] = set()
    for row in sorted(rows, key=lambda r: r["index"]):
        if row["error"]:
            report.errors.append(row["error"])
            continue
        doc = Document.from_records((json.loads(line) for line in row["record"].split("\n")), origin=str(files[row["index"]].path))
        admit(doc, used_ids, report)
        docs.append((row["index"], doc))

    # 2. everything that can stop the run, before any work: output, names, models, cache
    root = check_output_folder(out_dir)
    for _, doc in docs:
        child(root, doc.id)
    langs = languages_needed(doc for _, doc in docs)
    resolve_all(specs_for(langs, options.overrides, options.profile))
    cache = open_cache(options) if langs else None
    report.cache = str(cache.path) if cache is not None else None
    report.glossary = glossary_summary(options)

    index_of = {id(doc): i for i, doc in docs}

    def finish(doc: Document) -> None:
        publish(doc, root, report, index_of[id(doc)], time.perf_counter() - started)

    progress = (lambda done, total, docs_done: on_progress(done, total, docs_done, len(docs))) if on_progress else None
    corpus = CorpusTranslation([doc for _, doc in docs], on_document=finish, progress=progress)
    corpus.start()

    # 3. translation: per language, the distinct sentences not yet cached, on an actor pool
    resources = ray.cluster_resources()
    gpus = int(resources.get("GPU", 0))
    use_gpu = gpus > 0 and options.device != "cpu"
    pool = workers or (gpus if use_gpu else int(resources.get("CPU", 1)))
    # each CPU worker gets its share of the cores, so that the pool does not oversubscribe them
    threads = 0 if use_gpu else max(1, int(resources.get("CPU", 1)) // pool)
    resources_per_worker = {"num_gpus": 1, "num_cpus": 0} if use_gpu else {"num_cpus": threads}
    for lang in corpus.languages():
        translator = _translator_class(lang, options, threads)
        texts = corpus.texts(lang)
        # the engine's signature (which keys the cache) as a worker would have it, found
        # there without loading the model, before the cache is read
        describe = ray.remote(**resources_per_worker)(_describe_engine)
        signature = ray.get(describe.remote(lang, options, threads))
        corpus.signatures[lang] = signature
        key = signature_key(signature)
        model = str(signature.get("model"))
        # a glossary or protected spans key each sentence by its own terms and spans, as the engine does
        steering = options.steering
        suffix = {t: steering.prepare(t).key_suffix for t in texts} if steering is not None else {}
        if steering is not None:
            corpus.steering = steering.signature()
        if cache is not None:
            hits = cache.get_many(entry_key(key, t + suffix.get(t, "")) for t in texts)
            cached = {t: TranslationResult(h["translation"], h["flags"], h["meta"], from_cache=True)
                      for t in texts if (h := hits.get(entry_key(key, t + suffix.get(t, "")))) is not None}
            if cached:
                corpus.take(lang, cached)
        todo = sorted(corpus.texts(lang), key=len)  # similar lengths in one batch, as the local engine sorts them
        if not todo:
            continue
        dataset = ray.data.from_items([{"text": t} for t in todo]).map_batches(
            translator, batch_size=RAY_BATCH_SENTENCES, batch_format="numpy",
            # Ray Data restarts an actor that dies and runs its batch again (its actor pools'
            # defaults: max_restarts=-1, max_task_retries=-1); nothing of Diptych's own
            compute=ray.data.ActorPoolStrategy(size=max(1, min(pool, -(-len(todo) // RAY_BATCH_SENTENCES)))),
            **resources_per_worker)
        for batch in _batches_of(ray, dataset, corpus, lang):
            results = {str(t): TranslationResult(str(tr), json.loads(str(f)), json.loads(str(m)))
                       for t, tr, f, m in zip(batch["text"], batch["translation"], batch["flags"], batch["meta"])}
            actual = json.loads(str(batch["signature"][0]))
            if actual != signature:  # the workers fell back to another backend: theirs is the truth
                signature, key, model = actual, signature_key(actual), str(actual.get("model"))
                corpus.signatures[lang] = actual
            if cache is not None:  # each batch cached as it arrives: a killed run resumes from here
                cache.put_many((entry_key(key, t + suffix.get(t, "")), model, t, r.translation, r.flags, r.meta) for t, r in results.items())
            corpus.take(lang, results)

    report.models = {lang: str(sig.get("model")) for lang, sig in corpus.signatures.items()}
    report.backend = ", ".join(sorted({f"{s['backend']} on {s['device']} ({s['compute_type']})" for s in corpus.signatures.values()}))
    report.warnings += [s["fallback"] for s in corpus.signatures.values() if s.get("fallback")][:1]
    report.documents.sort(key=lambda d: d.index)
    if report.documents:
        render_index(root)
    report.seconds = time.perf_counter() - started
    return report


def _batches_of(ray, dataset, corpus: CorpusTranslation, lang: str):
    """The dataset's result batches as they come; a sentence too large for a worker's
    device is the same one-line error as in a local run."""
    from ..translation.stage import SentenceTooLarge, sentence_too_large

    try:
        yield from dataset.iter_batches(batch_size=None, batch_format="numpy")
    except ray.exceptions.RayTaskError as exc:
        cause = getattr(exc, "cause", None)
        if isinstance(cause, SentenceTooLarge):
            raise sentence_too_large(cause, corpus.segment_ids(lang, cause.text)) from None
        raise
