"""Translation backends: the only modules that import torch, transformers or ctranslate2.

They are imported on demand by :func:`load_translator`, so the rest of Diptych starts
fast and runs where no model or deep-learning library exists.
"""

from __future__ import annotations

from ..models import ResolvedModel
from ..translate import DecodingSettings, Translator

BACKENDS = ("torch",)


def load_translator(model: ResolvedModel, backend: str = "torch", device: str = "auto", settings: DecodingSettings | None = None) -> Translator:
    settings = settings or DecodingSettings()
    if backend == "torch":
        from .torch_marian import MarianTorchTranslator

        return MarianTorchTranslator(model, device=device, settings=settings)
    raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
