"""A translation model through Hugging Face transformers and torch, on CPU or CUDA."""

from __future__ import annotations

import torch
from transformers.utils import logging as hf_logging

from ...errors import UsageError
from ..catalog import ResolvedModel
from ..engine import BatchTooLarge, DecodingSettings
from .common import backend_signature, cpu_threads, cuda_batch_tokens, is_out_of_memory
from ..families import family_for

# Diptych reports progress itself; the library's weight-loading bars would only clutter it.
hf_logging.disable_progress_bar()
hf_logging.set_verbosity_error()

_DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


def pick_device(device: str) -> str:
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise UsageError("--device cuda: no CUDA device is visible to torch on this machine")
    if device != "cpu" and not device.startswith("cuda"):
        raise UsageError(f"--device must be auto, cpu or cuda[:N], not {device!r}")
    return device


def pick_dtype(device: str, compute_type: str) -> str:
    if compute_type == "auto":
        if device == "cpu":
            return "float32"
        return "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
    if compute_type not in _DTYPES:
        raise UsageError(f"--compute-type for the torch backend must be auto, {', '.join(_DTYPES)}, not {compute_type!r}")
    if device == "cpu" and compute_type != "float32":
        raise UsageError("the torch backend computes in float32 on CPU; use --backend ctranslate2 for int8")
    return compute_type


def describe(model: ResolvedModel, device: str = "auto", compute_type: str = "auto") -> tuple[dict, int]:
    """The signature and default token budget this backend would have here, without loading
    the weights."""
    device = pick_device(device)
    dtype = pick_dtype(device, compute_type)
    signature = backend_signature(model, f"torch-{torch.__version__}", device, dtype, cpu_threads())
    budget = TorchBackend.default_batch_tokens if device == "cpu" else cuda_batch_tokens(torch.cuda.mem_get_info(torch.device(device))[0])
    return signature, budget


class TorchBackend:
    """One checkpoint folder in torch, loaded by its family."""

    default_batch_tokens = 2048
    overlap_tokenization = False

    def __init__(self, model: ResolvedModel, device: str = "auto", compute_type: str = "auto"):
        self.device = pick_device(device)
        self.dtype = pick_dtype(self.device, compute_type)
        threads = cpu_threads()
        if self.device == "cpu":
            torch.set_num_threads(threads)
        else:
            self.default_batch_tokens = cuda_batch_tokens(torch.cuda.mem_get_info(torch.device(self.device))[0])
            self.overlap_tokenization = True
        self.family = family_for(model.path)
        self.tokenizer = self.family.tokenizer(model.path)
        self.model = self.family.torch_model(model.path, _DTYPES[self.dtype]).to(self.device).eval()
        self.max_input_tokens = int(getattr(self.model.config, "max_position_embeddings", 512))
        self.signature = backend_signature(model, f"torch-{torch.__version__}", self.device, self.dtype, threads)

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.family.count_tokens(self.tokenizer, texts)

    def release_memory(self) -> None:
        """Give the blocks the caching allocator holds back to the device (after an
        out-of-memory error, once the failed call's tensors are gone)."""
        if self.device.startswith("cuda"):
            torch.cuda.empty_cache()

    def encode(self, texts: list[str]):
        """The batch's input tensors, made on the CPU (the engine may do it in a helper thread)."""
        return self.tokenizer(texts, return_tensors="pt", padding=True, truncation=False)

    def generate(self, texts: list[str], settings: DecodingSettings, encoded=None) -> list[str]:
        return self.decode(self.generate_raw(texts, settings, encoded))

    def generate_nbest(self, texts: list[str], settings: DecodingSettings, n: int) -> list[list[tuple[str, float]]]:
        """Each input's ``n`` best hypotheses (``num_return_sequences``), with their scores."""
        enc = {k: v.to(self.device) for k, v in self.encode(texts).items()}
        out = self._generate(enc, settings, num_beams=max(settings.beam_size, n), num_return_sequences=n, output_scores=True,
                             return_dict_in_generate=True)
        decoded = self.decode(out.sequences)
        scores = out.sequences_scores.tolist()
        return [list(zip(decoded[i * n:(i + 1) * n], scores[i * n:(i + 1) * n])) for i in range(len(texts))]

    def generate_raw(self, texts: list[str], settings: DecodingSettings, encoded=None):
        """The generated token ids, still on the device: the engine may turn them into text
        in a helper thread while the device generates the next batch."""
        enc = encoded if encoded is not None else self.encode(texts)
        enc = {k: v.to(self.device, non_blocking=True) for k, v in enc.items()}
        return self._generate(enc, settings, num_beams=settings.beam_size)

    def _generate(self, enc: dict, settings: DecodingSettings, **search):
        """``model.generate`` with the decoding settings, and ``search`` (beams, hypotheses);
        a batch that runs out of memory is :class:`BatchTooLarge`."""
        try:
            with torch.inference_mode():
                return self.model.generate(
                    **enc,
                    **search,
                    length_penalty=settings.length_penalty,
                    max_new_tokens=settings.max_length,
                    # opus-mt's config forces </s> as the last of max_new_tokens, which made a
                    # cut-off output one token shorter than CTranslate2's for the same max_length
                    forced_eos_token_id=None,
                    min_new_tokens=settings.min_length or None,
                    no_repeat_ngram_size=settings.no_repeat_ngram_size or None,
                    repetition_penalty=settings.repetition_penalty if settings.repetition_penalty != 1.0 else None,
                )
        except torch.cuda.OutOfMemoryError as exc:
            raise BatchTooLarge(str(exc)) from None
        except RuntimeError as exc:
            if is_out_of_memory(exc):
                raise BatchTooLarge(str(exc)) from None
            raise

    def decode(self, generated) -> list[str]:
        return self.tokenizer.batch_decode(generated, skip_special_tokens=True)
