"""A translation model through CTranslate2 (int8 on CPU, int8_float16 or float16 on CUDA).

The CTranslate2 model is converted from the same Hugging Face checkpoint and stored under
models/ct2/. Conversion runs in a child process, so the translating process never loads
torch and stays small.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import ctranslate2
from transformers.utils import logging as hf_logging

from ...errors import DiptychError, UsageError
from ..catalog import ResolvedModel, models_dir
from ..engine import BatchTooLarge, DecodingSettings
from .common import BackendUnavailable, backend_signature, cpu_threads, is_out_of_memory
from ..families import family_for

hf_logging.disable_progress_bar()
hf_logging.set_verbosity_error()

QUANTIZATION = "int8"  # stored weights; the compute type is chosen at load time


def converted_folder(model: ResolvedModel) -> Path:
    safe = model.model_id.replace("/", "--").replace(":", "-")
    return models_dir() / "ct2" / f"{safe}@{model.revision[:16]}-{QUANTIZATION}"


def convert(model: ResolvedModel, force: bool = False) -> Path:
    """Convert ``model`` to CTranslate2 once; return the folder."""
    out = converted_folder(model)
    if (out / "model.bin").is_file() and not force:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    # a folder of this process's own: several workers (Ray's actors, parallel runs) may
    # convert the same model at once, and the first to finish wins
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    cmd = [
        sys.executable, "-m", "ctranslate2.converters.transformers",
        "--model", str(model.path), "--output_dir", str(tmp), "--quantization", QUANTIZATION, "--force",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise DiptychError(f"CTranslate2 conversion of {model.ref} failed: {last}")
    (tmp / "diptych-source.json").write_text(json.dumps({"model": model.ref, "quantization": QUANTIZATION}) + "\n", encoding="utf-8")
    import shutil

    if out.exists() and (force or not (out / "model.bin").is_file()):
        shutil.rmtree(out, ignore_errors=True)
    try:
        tmp.replace(out)
    except OSError:  # another process put its conversion there first: the same model, the same files
        if not (out / "model.bin").is_file():
            raise
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def pick_device(device: str) -> tuple[str, int]:
    cuda = ctranslate2.get_cuda_device_count()
    if device == "auto":
        return ("cuda", 0) if cuda else ("cpu", 0)
    if device.startswith("cuda"):
        if not cuda:
            raise UsageError("--device cuda: CTranslate2 sees no CUDA device on this machine")
        index = int(device.partition(":")[2] or 0)
        return "cuda", index
    if device != "cpu":
        raise UsageError(f"--device must be auto, cpu or cuda[:N], not {device!r}")
    return "cpu", 0


def pick_compute_type(device: str, compute_type: str) -> str:
    if compute_type == "auto":
        return "int8" if device == "cpu" else "int8_float16"
    supported = ctranslate2.get_supported_compute_types(device)
    if compute_type not in supported:
        raise UsageError(f"--compute-type {compute_type} is not supported on {device} here ({', '.join(sorted(supported))})")
    return compute_type


# CTranslate2's PyPI wheels (4.x) are built against CUDA 12 and load libcublas.so.12 when
# the first batch runs; the nvidia-cublas-cu12 package ('diptych[gpu]') ships it.
_CUBLAS_12 = ("libcublasLt.so.12", "libcublas.so.12")
WARM_UP_TEXT = "Bonjour."


def preload_cuda12_libraries() -> list[str]:
    """Load CUDA 12's cuBLAS from the nvidia-cublas-cu12 package, where it is installed,
    so that CTranslate2 finds it on a machine whose CUDA is another version. Returns the
    libraries loaded (none where the package is absent)."""
    import ctypes
    import importlib.util

    spec = importlib.util.find_spec("nvidia.cublas")
    if spec is None or not spec.submodule_search_locations:
        return []
    loaded = []
    for folder in spec.submodule_search_locations:
        for name in _CUBLAS_12:
            path = Path(folder) / "lib" / name
            if path.is_file():
                ctypes.CDLL(str(path), mode=ctypes.RTLD_GLOBAL)
                loaded.append(str(path))
    return loaded


def describe(model: ResolvedModel, device: str = "auto", compute_type: str = "auto") -> tuple[dict, int]:
    """The signature and default token budget this backend would have here, without loading
    the weights (what a cluster's driver asks a worker before reading the cache)."""
    device, _ = pick_device(device)
    compute_type = pick_compute_type(device, compute_type)
    signature = backend_signature(model, f"ctranslate2-{ctranslate2.__version__}", device, compute_type, cpu_threads())
    return signature, (16384 if device == "cuda" else CT2Backend.default_batch_tokens)


class CT2Backend:
    """One checkpoint, converted to CTranslate2, with its family's tokenizer."""

    default_batch_tokens = 2048
    overlap_tokenization = False

    def __init__(self, model: ResolvedModel, device: str = "auto", compute_type: str = "auto"):
        self.family = family_for(model.path)  # before converting: a checkpoint no family reads is refused first
        self.device, index = pick_device(device)
        self.compute_type = pick_compute_type(self.device, compute_type)
        folder = convert(model)
        threads = cpu_threads()
        if self.device == "cuda":
            preload_cuda12_libraries()
            self.default_batch_tokens = 16384
            self.overlap_tokenization = True
        self.tokenizer = self.family.tokenizer(model.path)
        try:
            self.translator = ctranslate2.Translator(
                str(folder),
                device=self.device,
                device_index=index,
                compute_type=self.compute_type,
                intra_threads=threads if self.device == "cpu" else 0,
                inter_threads=1,
            )
            self.warm_up()
        except (RuntimeError, OSError, ValueError) as exc:
            message = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise BackendUnavailable(f"{self.device} ({self.compute_type}): {message}") from None
        self.max_input_tokens = int(self.tokenizer.model_max_length) if self.tokenizer.model_max_length < 100_000 else 512
        self.signature = backend_signature(model, f"ctranslate2-{ctranslate2.__version__}", self.device, self.compute_type, threads)

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.family.count_tokens(self.tokenizer, texts)

    def warm_up(self) -> None:
        """Translate one short sentence: a backend that loads is not yet one that runs (the
        first batch is where CUDA libraries are loaded and kernels chosen)."""
        self.translator.translate_batch(self.tokenize([WARM_UP_TEXT]), beam_size=1, max_decoding_length=4)

    def tokenize(self, texts: list[str]) -> list[list[str]]:
        return [self.tokenizer.convert_ids_to_tokens(ids) for ids in self.tokenizer(texts, add_special_tokens=True)["input_ids"]]

    def encode(self, texts: list[str]) -> list[list[str]]:
        """The batch's input, prepared on the CPU (the engine may do it in a helper thread)."""
        return self.tokenize(texts)

    def generate(self, texts: list[str], settings: DecodingSettings, encoded: list[list[str]] | None = None) -> list[str]:
        return self.decode(self.generate_raw(texts, settings, encoded))

    def generate_raw(self, texts: list[str], settings: DecodingSettings, encoded: list[list[str]] | None = None):
        """CTranslate2's results, tokens not yet joined into text (see ``decode``)."""
        return self._translate(encoded if encoded is not None else self.tokenize(texts), settings,
                               beam_size=settings.beam_size, return_scores=False)

    def generate_nbest(self, texts: list[str], settings: DecodingSettings, n: int) -> list[list[tuple[str, float]]]:
        """Each input's ``n`` best hypotheses (``num_hypotheses``), with their scores."""
        results = self._translate(self.tokenize(texts), settings, beam_size=max(settings.beam_size, n), num_hypotheses=n,
                                  return_scores=True)
        return [[(self.tokenizer.convert_tokens_to_string(h), float(score)) for h, score in zip(r.hypotheses, r.scores)]
                for r in results]

    def _translate(self, tokens: list[list[str]], settings: DecodingSettings, **search):
        """``translate_batch`` with the decoding settings, and ``search`` (beam, hypotheses,
        scores); a batch that runs out of memory is :class:`BatchTooLarge`."""
        try:
            return self.translator.translate_batch(
                tokens,
                **search,
                length_penalty=settings.length_penalty,
                max_decoding_length=settings.max_length,
                min_decoding_length=settings.min_length,
                no_repeat_ngram_size=settings.no_repeat_ngram_size,
                repetition_penalty=settings.repetition_penalty,
            )
        except RuntimeError as exc:
            if is_out_of_memory(exc):
                raise BatchTooLarge(str(exc)) from None
            raise

    def decode(self, results) -> list[str]:
        return [self.tokenizer.convert_tokens_to_string(r.hypotheses[0]) for r in results]
