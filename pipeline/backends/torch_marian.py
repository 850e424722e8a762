"""MarianMT through Hugging Face transformers and torch, on CPU or CUDA."""

from __future__ import annotations

import os

import torch
from transformers import MarianMTModel, MarianTokenizer
from transformers.utils import logging as hf_logging

from ..errors import UsageError
from ..models import ResolvedModel
from ..translate import DecodingSettings


# Diptych reports progress itself; the library's weight-loading bars would only clutter it.
hf_logging.disable_progress_bar()
hf_logging.set_verbosity_error()


def pick_device(device: str) -> str:
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise UsageError("--device cuda: no CUDA device is visible to torch on this machine")
    if device not in ("cpu",) and not device.startswith("cuda"):
        raise UsageError(f"--device must be auto, cpu or cuda[:N], not {device!r}")
    return device


class MarianTorchTranslator:
    """Loads one MarianMT checkpoint folder and translates batches of sentences."""

    def __init__(self, model: ResolvedModel, device: str = "auto", settings: DecodingSettings | None = None):
        self.settings = settings or DecodingSettings()
        self.device = pick_device(device)
        if self.device == "cpu":
            torch.set_num_threads(max(1, len(os.sched_getaffinity(0))))
        self.tokenizer = MarianTokenizer.from_pretrained(str(model.path))
        self.model = MarianMTModel.from_pretrained(str(model.path)).to(self.device).eval()
        self.max_positions = int(getattr(self.model.config, "max_position_embeddings", 512))
        self.signature = {
            "model": model.ref,
            "found_in": model.found_in,
            "backend": f"transformers-{_version('transformers')}+torch-{torch.__version__}",
            "device": self.device,
            "decoding": self.settings.as_dict(),
        }

    def translate_batch(self, texts: list[str]) -> list[str]:
        """Translate ``texts``; the result is in the same order."""
        if not texts:
            return []
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list[str | None] = [None] * len(texts)
        step = self.settings.batch_size
        for start in range(0, len(order), step):
            idx = order[start : start + step]
            out_batch = self._generate([texts[i] for i in idx])
            for i, text in zip(idx, out_batch, strict=True):
                out[i] = text
        return [t if t is not None else "" for t in out]

    def _generate(self, batch: list[str]) -> list[str]:
        enc = self.tokenizer(batch, return_tensors="pt", padding=True, truncation=False)
        if enc["input_ids"].shape[1] > self.max_positions:
            raise UsageError(
                f"a segment of {enc['input_ids'].shape[1]} tokens exceeds the model's {self.max_positions}-token limit"
            )
        enc = {k: v.to(self.device) for k, v in enc.items()}
        with torch.inference_mode():
            generated = self.model.generate(
                **enc,
                num_beams=self.settings.beam_size,
                length_penalty=self.settings.length_penalty,
                max_length=min(self.settings.max_length, self.max_positions),
            )
        return self.tokenizer.batch_decode(generated, skip_special_tokens=True)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)
