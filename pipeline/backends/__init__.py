"""Translation backends: the only modules that import torch, transformers or ctranslate2.

They are imported on demand, so the rest of Diptych starts fast and runs where no model
or deep-learning library exists.
"""

from __future__ import annotations

import importlib.util

from ..errors import UsageError
from ..models import ResolvedModel
from ..translate import Backend

BACKENDS = ("ctranslate2", "torch")


def installed(name: str) -> bool:
    module = {"torch": "torch", "ctranslate2": "ctranslate2"}[name]
    return importlib.util.find_spec(module) is not None


def choose_backend(requested: str = "auto") -> str:
    """``auto``: CTranslate2 where installed (int8, several times faster on CPU), else torch."""
    if requested == "auto":
        for name in BACKENDS:
            if installed(name):
                return name
        raise UsageError("no translation backend is installed: pip install ctranslate2 or torch==2.13.0")
    if requested not in BACKENDS:
        raise UsageError(f"--backend must be auto, {' or '.join(BACKENDS)}, not {requested!r}")
    if not installed(requested):
        raise UsageError(f"--backend {requested}: the {requested} package is not installed")
    return requested


def load_backend(model: ResolvedModel, backend: str = "auto", device: str = "auto", compute_type: str = "auto") -> Backend:
    name = choose_backend(backend)
    if name == "torch":
        from .torch_marian import MarianTorchBackend

        return MarianTorchBackend(model, device=device, compute_type=compute_type)
    from .ct2_marian import MarianCT2Backend

    return MarianCT2Backend(model, device=device, compute_type=compute_type)
