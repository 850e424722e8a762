"""The torch backend on the tiny models; CUDA paths run where a GPU exists."""

import pytest

from pipeline.models import ModelSpec, resolve
from pipeline.translate import DecodingSettings


def _translator(path, device="cpu", **kw):
    from pipeline.backends import load_translator

    return load_translator(resolve(ModelSpec("fr", str(path), "local", "override")), device=device, settings=DecodingSettings(max_length=16, **kw))


def test_batches_keep_input_order(tiny_models):
    tr = _translator(tiny_models["fr"], batch_size=3)
    texts = ["Bonjour.", "Le peuple tout entier prend le pouvoir et confie tout à ses soviets.", "Oui.", "Tel était bien le programme."] * 2
    together = tr.translate_batch(texts)
    one_by_one = [tr.translate_batch([t])[0] for t in texts]
    assert together == one_by_one
    assert tr.signature["decoding"]["beam_size"] == 4 and tr.signature["device"] == "cpu"


def test_library_imports_stay_out_of_the_front_end():
    import subprocess
    import sys

    code = "import sys, pipeline, pipeline.cli, pipeline.run; print(sorted(m for m in ('torch','transformers','ctranslate2') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def _cuda_available() -> bool:
    try:
        import torch

        return torch.cuda.is_available()
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.skipif(not _cuda_available(), reason="no CUDA device visible to torch on this machine (CPU-only CI)")
def test_cuda_translation_matches_cpu_greedy(tiny_models):
    cpu = _translator(tiny_models["fr"], beam_size=1)
    gpu = _translator(tiny_models["fr"], device="cuda", beam_size=1)
    texts = ["Bonjour tout le monde.", "La révolution apporte aux masses des acquis considérables."]
    assert gpu.signature["device"].startswith("cuda")
    assert gpu.translate_batch(texts) == cpu.translate_batch(texts)
