"""Translation where users run it: a default backend that proves it can translate before
any work (and gives way to torch where CTranslate2 cannot), out-of-memory halving that
releases the failed call before retrying, and batches that cross document boundaries."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import weakref

import pytest

from pipeline.translation.runtimes import load_backend
from pipeline.translation.runtimes.ct2 import CT2Backend
from pipeline.errors import UsageError
from pipeline.translation.catalog import ModelSpec, resolve
from pipeline.translation.stage import BatchTooLarge, DecodingSettings, SentenceTooLarge, TranslationEngine, translate, translate_documents
from conftest import ROOT, seed_path


def _model(path):
    return resolve(ModelSpec("fr", str(path), "local", "override"))


class CT2WithoutCuBLAS(CT2Backend):
    """The real CTranslate2 backend whose warm-up meets what a CUDA 13 machine gives it."""

    def warm_up(self) -> None:
        raise RuntimeError("Library libcublas.so.12 is not found or cannot be loaded")


def test_auto_falls_back_to_torch_with_the_reason_when_ctranslate2_cannot_translate(tiny_models):
    backend = load_backend(_model(tiny_models["fr"]), "auto", "cpu", factories={"ctranslate2": CT2WithoutCuBLAS})
    assert backend.signature["backend"].startswith("torch-")
    assert "libcublas.so.12" in backend.signature["fallback"] and "diptych[gpu]" in backend.signature["fallback"]
    engine = TranslationEngine(backend, DecodingSettings(max_length=8))
    assert engine.translate(["Bonjour."])[0].translation  # it translates
    assert "fallback" in engine.signature  # recorded in every edition's provenance


def test_forced_ctranslate2_that_cannot_translate_is_a_setup_error(tiny_models):
    with pytest.raises(UsageError, match="--backend ctranslate2 cannot translate here: .*libcublas.so.12"):
        load_backend(_model(tiny_models["fr"]), "ctranslate2", "cpu", factories={"ctranslate2": CT2WithoutCuBLAS})


def test_a_run_prints_the_fallback_once_and_goes_on(tmp_path, tiny_models):
    """The same through diptych run: the CUDA 13 failure is played by a sitecustomize that
    swaps in the backend double above (no mock of CTranslate2 itself)."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import pipeline.translation.runtimes as b\n"
        "from pipeline.translation.runtimes.ct2 import CT2Backend\n"
        "class D(CT2Backend):\n"
        "    def warm_up(self):\n"
        "        raise RuntimeError('Library libcublas.so.12 is not found or cannot be loaded')\n"
        "b.FACTORIES['ctranslate2'] = lambda m, d, c: D(m, device=d, compute_type=c)\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=f"{hook}{os.pathsep}{ROOT}")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(seed_path("003")), "--model", f"fr={tiny_models['fr']}",
                           "--max-length", "8", "--no-cache", "--out", str(tmp_path / "o"), "--json"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "libcublas.so.12" in warnings[0] and "torch translates instead" in warnings[0]
    assert json.loads(proc.stdout.strip().splitlines()[-1])["backend"].startswith("torch-")


class FlakyMemory:
    """A backend whose device holds at most ``capacity`` sentences per call: a bigger batch
    allocates, then fails as a GPU would, with the allocation still alive in its frame."""

    max_input_tokens = 512
    default_batch_tokens = 10_000
    signature = {"model": "test:flaky@1", "backend": "test", "device": "cpu", "compute_type": "float32"}

    def __init__(self, capacity):
        self.capacity = capacity
        self.failed_allocations: list[weakref.ref] = []
        self.calls: list[int] = []
        self.alive_at_retry: list[int] = []
        self.released = 0

    def count_tokens(self, texts):
        return [len(t.split()) + 1 for t in texts]

    def release_memory(self):
        self.released += 1

    def generate(self, texts, settings):
        # what is still alive of earlier failed calls when this one starts
        self.alive_at_retry.append(sum(ref() is not None for ref in self.failed_allocations))
        self.calls.append(len(texts))
        activations = bytearray(1 << 20)  # stands for the tensors of a forward pass
        holder = _Tensor(activations)
        if len(texts) > self.capacity:
            self.failed_allocations.append(weakref.ref(holder))
            raise BatchTooLarge("CUDA out of memory")
        return [t.upper() for t in texts]


class _Tensor:
    def __init__(self, data):
        self.data = data


def test_out_of_memory_halving_releases_the_failed_call_before_retrying():
    backend = FlakyMemory(capacity=4)
    engine = TranslationEngine(backend, DecodingSettings(), guard=False)
    texts = [f"phrase numéro {i}" for i in range(32)]
    results = engine.translate(texts)
    assert [r.translation for r in results] == [t.upper() for t in texts]
    assert backend.failed_allocations, "the test did make the device run out of memory"
    assert all(n == 0 for n in backend.alive_at_retry), backend.alive_at_retry
    assert backend.released == engine.out_of_memory > 0


def test_the_budget_that_fitted_is_kept_for_the_batches_that_follow():
    backend = FlakyMemory(capacity=4)
    engine = TranslationEngine(backend, DecodingSettings(), guard=False, batch_tokens=10_000)
    engine.translate([f"phrase {i}" for i in range(64)])
    failures = engine.out_of_memory
    engine.translate([f"autre phrase {i}" for i in range(64)])
    # the second call starts from the learned budget: no new failure, batches of at most 4
    assert engine.out_of_memory == failures and max(backend.calls[-16:]) <= 4


def test_a_sentence_that_does_not_fit_alone_is_one_error_naming_the_segment():
    from pipeline.frontend import prepare

    doc = prepare(seed_path("003"))
    engine = TranslationEngine(FlakyMemory(capacity=0), DecodingSettings(), guard=False)
    with pytest.raises(SentenceTooLarge):
        engine.translate(["une phrase"])
    with pytest.raises(UsageError, match=r"sentence 003_6982ad09599d0178:b\d+:s\d+ .*does not fit"):
        translate(doc, {"fr": TranslationEngine(FlakyMemory(capacity=0), DecodingSettings(), guard=False)})


class Counting:
    """A real backend wrapped to count its generate calls and their sizes."""

    def __init__(self, inner):
        self.inner = inner
        self.calls: list[int] = []
        for name in ("signature", "max_input_tokens", "default_batch_tokens"):
            setattr(self, name, getattr(inner, name))

    def count_tokens(self, texts):
        return self.inner.count_tokens(texts)

    def generate(self, texts, settings):
        self.calls.append(len(texts))
        return self.inner.generate(texts, settings)


def _articles(n: int):
    """``n`` short distinct French documents cut from seed 003."""
    from pipeline.frontend import prepare

    whole = prepare(seed_path("003"))
    blocks = [b for b in whole.content_blocks() if b.lang == "fr" and len(b.segments) >= 2]
    docs = []
    for i in range(n):
        text = "\n\n".join(f"{blocks[(i + k) % len(blocks)].text} ({i})" for k in range(3)) + "\n"
        path = whole.source["path"]  # not read again: the text is given
        from pipeline.readers.text import ingest_bytes
        from pipeline.frontend.footnotes import mark_footnotes
        from pipeline.frontend.langid import identify
        from pipeline.frontend.segment import segment
        from pipeline.frontend.structure import structure

        docs.append(identify(segment(mark_footnotes(structure(ingest_bytes(text.encode(), f"art{i}", f"{path}#{i}"))))))
    return docs


def test_batches_cross_document_boundaries_with_the_same_results(tiny_models):
    inner = load_backend(_model(tiny_models["fr"]), "ctranslate2", "cpu")
    settings = DecodingSettings(max_length=12)
    per_doc_backend, corpus_backend = Counting(inner), Counting(inner)
    per_doc = _articles(12)
    for doc in per_doc:
        translate(doc, {"fr": TranslationEngine(per_doc_backend, settings, batch_tokens=4096)})
    corpus = _articles(12)
    finished = []
    translate_documents(corpus, {"fr": TranslationEngine(corpus_backend, settings, batch_tokens=4096)}, on_document=finished.append)
    assert len(corpus_backend.calls) < len(per_doc_backend.calls) / 3  # segments of many documents share batches
    assert sorted(d.id for d in finished) == sorted(d.id for d in corpus)
    for a, b in zip(per_doc, corpus, strict=True):
        assert [s.translation for s in a.segments] == [s.translation for s in b.segments]
        assert a.provenance["translate"] == b.provenance["translate"]
    # a sentence that several articles share is translated once for the whole corpus
    distinct = {s.text for d in corpus for s in d.content_segments() if s.translation is not None}
    assert sum(d.meta["translation"]["translated_now"] for d in corpus) == len(distinct)


def test_a_corpus_run_killed_mid_translation_resumes_without_translating_again(tmp_path, tiny_models):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc in _articles(40):
        (corpus / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    cache = tmp_path / "cache.sqlite"
    args = ["run", str(corpus), "--model", f"fr={tiny_models['fr']}", "--max-length", "24", "--batch-tokens", "48",
            "--cache", str(cache), "--json"]
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args, "--out", str(tmp_path / "killed")], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cached = 0
    while proc.poll() is None and cached < 30:  # a count of finished batches decides, not a clock
        if cache.exists():
            try:
                with sqlite3.connect(cache, timeout=1) as db:
                    cached = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
            except sqlite3.OperationalError:
                pass
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(cache) as db:
        before = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    resumed = subprocess.run([sys.executable, "-m", "pipeline", *args, "--out", str(tmp_path / "resumed")], cwd=ROOT,
                             capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout.strip().splitlines()[-1])
    assert len(report["documents"]) == 40
    assert sum(d["from_cache"] for d in report["documents"]) >= before >= 30
    with sqlite3.connect(cache) as db:
        distinct = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    assert sum(d["translated_now"] for d in report["documents"]) == distinct - before  # nothing finished is done again


class ThreadRecorder(Counting):
    """A real backend whose input preparation notes the thread it runs in."""

    def __init__(self, inner):
        super().__init__(inner)
        self.encoded_in: list[str] = []

    def encode(self, texts):
        import threading

        self.encoded_in.append(threading.current_thread().name)
        return self.inner.encode(texts)

    def generate(self, texts, settings, encoded=None):
        self.calls.append(len(texts))
        return self.inner.generate(texts, settings, encoded=encoded)


def test_the_next_batch_is_tokenized_while_this_one_generates_with_the_same_results(tiny_models):
    inner = load_backend(_model(tiny_models["fr"]), "ctranslate2", "cpu")
    texts = [s.text for d in _articles(6) for s in d.content_segments()]
    settings = DecodingSettings(max_length=10)
    plain = TranslationEngine(inner, settings, batch_tokens=128, guard=False).translate(texts)
    recorder = ThreadRecorder(inner)
    overlapped = TranslationEngine(recorder, settings, batch_tokens=128, guard=False, overlap=True).translate(texts)
    assert [r.translation for r in overlapped] == [r.translation for r in plain]
    assert len(recorder.calls) > 3 and len(recorder.encoded_in) == len(recorder.calls)
    assert all(name.startswith("diptych-tokenize") for name in recorder.encoded_in)
    # on a CPU it stays off by default: tokenizing beside CTranslate2's threads only shares the cores
    assert TranslationEngine(inner, settings).overlap is False


class DecodeRecorder(ThreadRecorder):
    """A real backend whose generation and decoding note the threads they run in."""

    def __init__(self, inner):
        import threading

        super().__init__(inner)
        self.events: list[tuple[str, str]] = []
        self.second_batch_sent = threading.Event()
        self.overlapped_first: bool | None = None

    def generate_raw(self, texts, settings, encoded=None):
        import threading

        self.calls.append(len(texts))
        self.events.append(("generate", threading.current_thread().name))
        if len(self.calls) == 2:
            self.second_batch_sent.set()
        return self.inner.generate_raw(texts, settings, encoded=encoded)

    def decode(self, raw):
        import threading

        if self.overlapped_first is None:
            # a serial engine would ask for this text before sending batch 2: wait for it in vain
            self.overlapped_first = self.second_batch_sent.wait(timeout=10)
        self.events.append(("decode", threading.current_thread().name))
        return self.inner.decode(raw)


@pytest.mark.parametrize("backend", ["ctranslate2", "torch"])
def test_the_previous_batch_is_decoded_while_the_next_one_generates_with_the_same_results(tiny_models, backend):
    inner = load_backend(_model(tiny_models["fr"]), backend, "cpu")
    texts = [s.text for d in _articles(6) for s in d.content_segments()]
    settings = DecodingSettings(max_length=10)
    plain = TranslationEngine(inner, settings, batch_tokens=128).translate(texts)
    recorder = DecodeRecorder(inner)
    reported: list[int] = []
    overlapped = TranslationEngine(recorder, settings, batch_tokens=128, overlap=True).translate(texts, progress=reported.append)
    assert [(r.translation, r.flags) for r in overlapped] == [(r.translation, r.flags) for r in plain]
    assert reported == sorted(reported) and reported[-1] == len(texts)
    generated = [name for kind, name in recorder.events if kind == "generate"]
    decoded = [name for kind, name in recorder.events if kind == "decode"]
    assert len(generated) == len(decoded) > 3
    assert all(name.startswith("diptych-decode") for name in decoded)
    assert not any(name.startswith("diptych-decode") for name in generated)
    # batch 2 was sent to the device while batch 1 was being decoded
    assert recorder.overlapped_first is True


def test_the_gpu_token_budget_follows_free_memory_within_bounds():
    from pipeline.translation.runtimes.common import cuda_batch_tokens

    gib = 2**30
    assert cuda_batch_tokens(int(0.5 * gib)) == 16_384  # a nearly full card: never below the old budget
    assert cuda_batch_tokens(8 * gib) == 54_613  # half of 8 GiB at ~77 kB a token
    assert cuda_batch_tokens(130 * gib) == 262_144  # an H200: capped


def test_documents_beyond_one_window_are_prepared_again_and_come_out_the_same(tmp_path, tiny_models, seeds_run, monkeypatch):
    """A corpus larger than the memory window (shrunk here to a few dozen sentences): the
    documents dropped after the first pass are prepared again in their window, and every
    edition is the one a single window gives."""
    import pipeline.jobs.run as job
    from edition_snapshot import editions
    from pipeline.translation.loading import EngineOptions

    monkeypatch.setattr(job, "WINDOW_SEGMENTS", 40)
    prepared = []
    real_prepare = job.prepare
    monkeypatch.setattr(job, "prepare", lambda path, *rest: prepared.append(path) or real_prepare(path, *rest))
    # float32, as seeds_run, the editions compared with
    options = EngineOptions(overrides=[f"fr={tiny_models['fr']}", f"ru={tiny_models['ru']}"], settings=DecodingSettings(max_length=24),
                            compute_type="float32")
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    monkeypatch.chdir(ROOT)  # seeds/ by default, as the command line's run found them (their paths are in the editions)
    report = job.run(None, out_dir=tmp_path / "o", options=options)
    assert report.errors == [] and [d.id for d in report.documents] == [p.stem for p in seeds]
    assert len(prepared) > len(seeds)  # some were dropped after the first pass and prepared again
    _, single_window = seeds_run
    assert editions(tmp_path / "o") == editions(single_window)
