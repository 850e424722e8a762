"""The translation engine and both backends, on the tiny test models."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from pipeline.translation.cache import TranslationCache
from pipeline.translation.catalog import ModelSpec, resolve
from pipeline.translation.stage import DecodingSettings, TranslationEngine, guard_flags, split_for_model
from conftest import ROOT, diptych, seed_path

SENTENCES = [
    "Bonjour.",
    "Le peuple tout entier prend le pouvoir et confie tout à ses soviets.",
    "Oui.",
    "Tel était bien le « programme de gouvernement » des bolcheviks.",
    "La révolution apporte aux masses des acquis considérables, malgré des conditions effroyables.",
] * 3


def _backend(path, name, **kw):
    from pipeline.translation.runtimes import load_backend

    return load_backend(resolve(ModelSpec("fr", str(path), "local", "override")), name, "cpu", **kw)


@pytest.fixture(scope="module", params=["torch", "ctranslate2"])
def backend(request, tiny_models):
    return _backend(tiny_models["fr"], request.param)


def test_backend_signature_names_what_produced_a_translation(backend):
    sig = backend.signature
    assert sig["model"].startswith("local:tiny-fr-en@sha256-")
    assert sig["device"] == "cpu" and sig["backend"].split("-")[0] in ("torch", "ctranslate2")
    assert sig["compute_type"] == ("int8" if sig["backend"].startswith("ctranslate2") else "float32")


def test_token_budget_batches_keep_input_order(backend):
    settings = DecodingSettings(max_length=12, beam_size=2)
    small = TranslationEngine(backend, settings, batch_tokens=40, guard=False)
    one_at_a_time = [TranslationEngine(backend, settings, batch_tokens=10_000, guard=False).translate([s])[0].translation for s in SENTENCES]
    assert [r.translation for r in small.translate(SENTENCES)] == one_at_a_time
    batches = list(small._batches(sorted(small._pieces(list(dict.fromkeys(SENTENCES))), key=lambda p: p.tokens)))
    assert len(batches) > 1
    assert all(max(p.tokens for p in b) * len(b) <= 40 or len(b) == 1 for b in batches)


def test_a_2000_token_segment_is_split_translated_and_rejoined(backend):
    words = seed_path("003").read_text(encoding="utf-8").split()
    long_text = " ".join(words[:1400])
    count = lambda s: backend.count_tokens([s])[0]  # noqa: E731
    assert count(long_text) >= 2000
    pieces = split_for_model(long_text, count, backend.max_input_tokens)
    assert len(pieces) >= 4 and all(count(p) <= backend.max_input_tokens for p in pieces)
    assert " ".join(pieces).split() == long_text.split()  # nothing lost, nothing added
    engine = TranslationEngine(backend, DecodingSettings(max_length=8, beam_size=1), guard=False)
    result = engine.translate([long_text])[0]
    assert result.meta["pieces"] == len(pieces)
    piecewise = [engine.translate([p])[0].translation for p in pieces]
    assert result.translation == " ".join(piecewise)


def test_guard_flags():
    assert guard_flags("Je suis désolé.", "I'm sorry, I'm sorry, I'm sorry, I'm sorry") == ["repetition"]
    assert "repetition" in guard_flags("Le chat dort.", "the the the the cat")
    assert guard_flags("Une phrase assez longue pour juger.", "") == ["empty"]
    assert "length_ratio" in guard_flags("Une phrase assez longue pour juger de la longueur.", "Yes.")
    assert "untranslated" in guard_flags("Статья посвящена объединению партий.", "Статья посвящена объединению партий.")
    assert guard_flags("Le chat dort sur le canapé.", "The cat is sleeping on the sofa.") == []


@pytest.fixture(scope="module")
def looping_model(tmp_path_factory):
    """A tiny fr-en model that favours one piece at every step, so that it loops on it
    whatever it is given: a forced repetition (random weights alone loop only by chance)."""
    from marian_factory import build_marian
    from conftest import _lines

    return build_marian(
        tmp_path_factory.mktemp("looping") / "tiny-fr-en", _lines("003"), _lines("000", "001", "002"),
        source_lang="fr", piece_logit_biases={"▁the": 4.0},
    )


def test_guard_retries_a_forced_repetition_with_safer_decoding(looping_model):
    backend = _backend(looping_model, "torch")
    plain = backend.generate([SENTENCES[1]], DecodingSettings(max_length=24))[0]
    assert "repetition" in guard_flags(SENTENCES[1], plain)
    result = TranslationEngine(backend, DecodingSettings(max_length=24)).translate([SENTENCES[1]])[0]
    assert result.meta["retried"] == "safer decoding"
    safer = backend.generate([SENTENCES[1]], DecodingSettings(max_length=24).safer())[0]
    assert "repetition" not in guard_flags(SENTENCES[1], safer)  # what the retry is for
    assert result.translation == safer
    assert set(result.flags) <= set(guard_flags(SENTENCES[1], plain))


def test_cache_translates_each_sentence_once(tmp_path, tiny_models):
    backend = _backend(tiny_models["fr"], "ctranslate2")
    cache = TranslationCache(tmp_path / "c.sqlite")
    engine = TranslationEngine(backend, DecodingSettings(max_length=12), cache=cache)
    first = engine.translate(SENTENCES)
    assert sum(not r.from_cache for r in first) == len(set(SENTENCES))  # repeats translated once
    assert cache.stats()["entries"] == len(set(SENTENCES))
    again = TranslationEngine(backend, DecodingSettings(max_length=12), cache=cache).translate(SENTENCES)
    assert all(r.from_cache for r in again) and [r.translation for r in again] == [r.translation for r in first]
    other = TranslationEngine(backend, DecodingSettings(max_length=12, beam_size=2), cache=cache).translate(SENTENCES[:1])
    assert not other[0].from_cache  # other decoding settings, other key


def test_backends_agree_with_greedy_float_decoding(tiny_models):
    torch_b = _backend(tiny_models["fr"], "torch")
    ct2_b = _backend(tiny_models["fr"], "ctranslate2", compute_type="float32")
    settings = DecodingSettings(max_length=10, beam_size=1)
    assert torch_b.count_tokens(SENTENCES) == ct2_b.count_tokens(SENTENCES)
    assert torch_b.generate(SENTENCES[:5], settings) == ct2_b.generate(SENTENCES[:5], settings)


def test_library_imports_stay_out_of_the_front_end():
    code = "import sys, pipeline, pipeline.cli, pipeline.jobs.run; print(sorted(m for m in ('torch','transformers','ctranslate2') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def _cuda_available() -> bool:
    try:
        import torch

        return torch.cuda.is_available()
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.skipif(not _cuda_available(), reason="no CUDA device visible to torch on this machine (CPU-only CI)")
@pytest.mark.parametrize("name", ["torch", "ctranslate2"])
def test_cuda_backends_translate(tiny_models, name):
    from pipeline.translation.runtimes import load_backend

    b = load_backend(resolve(ModelSpec("fr", str(tiny_models["fr"]), "local", "override")), name, "cuda")
    assert b.signature["device"].startswith("cuda") and b.signature["compute_type"] in ("bfloat16", "float16", "int8_float16")
    out = TranslationEngine(b, DecodingSettings(max_length=12)).translate(SENTENCES)
    assert len(out) == len(SENTENCES) and all(r.translation for r in out)


def test_a_run_killed_mid_translation_resumes_from_the_cache(tmp_path, tiny_models):
    seed = seed_path("003")
    cache = tmp_path / "cache.sqlite"
    # small batches, so that the run is killed after a count of finished batches (what the
    # cache holds), however fast or loaded the machine is; no clock decides anything here
    args = ["run", str(seed), "--model", f"fr={tiny_models['fr']}", "--max-length", "24",
            "--batch-tokens", "64", "--cache", str(cache), "--json"]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args, "--out", str(tmp_path / "killed")],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cached_at_kill = 0
    while proc.poll() is None:
        if cache.exists():
            try:
                with sqlite3.connect(cache, timeout=1) as db:
                    cached_at_kill = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
            except sqlite3.OperationalError:
                cached_at_kill = 0
            if cached_at_kill >= 20:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed; make it slower"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(cache) as db:
        before = dict(db.execute("SELECT source, translation FROM translations"))
    assert 20 <= len(before) < 157

    resumed = diptych(*args, "--out", str(tmp_path / "resumed"))
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout.strip().splitlines()[-1])["documents"][0]
    total = report["translated"]
    distinct = len(set(json.loads(line)["text"] for line in open(tmp_path / "resumed" / seed.stem / f"{seed.stem}.jsonl", encoding="utf-8")
                       if json.loads(line)["type"] == "segment" and json.loads(line)["translation"] is not None))
    # only what was not yet cached (the batches in flight and those never started) is translated again
    assert report["translated_now"] == distinct - len(before)
    assert report["translated_now"] + report["from_cache"] == total

    clean = diptych(*[a if a != str(cache) else str(tmp_path / "other.sqlite") for a in args], "--out", str(tmp_path / "clean"))
    assert clean.returncode == 0, clean.stderr
    from pipeline.doc import Document

    clean_doc = Document.load(tmp_path / "clean" / seed.stem / f"{seed.stem}.jsonl")
    resumed_doc = Document.load(tmp_path / "resumed" / seed.stem / f"{seed.stem}.jsonl")
    for a, b in zip(clean_doc.segments, resumed_doc.segments, strict=True):
        assert b.translation is not None or a.translation is None
        if a.text in before:
            assert a.translation == b.translation == before[a.text]


@pytest.mark.parametrize("backend", ["ctranslate2", "torch"])
def test_a_checkpoint_of_a_family_diptych_lacks_is_one_line_before_any_work(tmp_path, tiny_models, backend):
    import json
    import shutil

    from conftest import diptych

    other = tmp_path / "m2m"
    shutil.copytree(tiny_models["fr"], other)
    config = json.loads((other / "config.json").read_text(encoding="utf-8"))
    (other / "config.json").write_text(json.dumps({**config, "model_type": "m2m_100"}), encoding="utf-8")
    text = tmp_path / "t.txt"
    text.write_text("Le conseil a voté la mesure. Elle entre en vigueur demain.\n", encoding="utf-8")
    out = tmp_path / "o"
    proc = diptych("run", str(text), "--model", f"fr={other}", "--backend", backend, "--max-length", "24", "--out", str(out))
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and "m2m_100" in lines[0] and "marian models only" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()
