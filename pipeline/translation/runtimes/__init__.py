"""Translation runtimes: the only modules that import torch, transformers or ctranslate2.

They are imported on demand, so the rest of Diptych starts fast and runs where no model
or deep-learning library exists.
"""

from __future__ import annotations

import importlib.util

from ...errors import UsageError
from ..catalog import ResolvedModel
from ..engine import Backend
from .common import BackendUnavailable

BACKENDS = ("ctranslate2", "torch")
# each runtime's module in this package: its backend class and its describe()
RUNTIME_MODULES = {"ctranslate2": "ct2", "torch": "pytorch"}


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


GPU_EXTRA_HINT = "for the faster backend on CUDA: pip install 'diptych[gpu]' (CUDA 12's cuBLAS for CTranslate2)"


def _ctranslate2(model: ResolvedModel, device: str, compute_type: str) -> Backend:
    from .ct2 import CT2Backend

    return CT2Backend(model, device=device, compute_type=compute_type)


def _torch(model: ResolvedModel, device: str, compute_type: str) -> Backend:
    from .pytorch import TorchBackend

    return TorchBackend(model, device=device, compute_type=compute_type)


FACTORIES = {"ctranslate2": _ctranslate2, "torch": _torch}
# compute types only CTranslate2 has: the torch fallback chooses its own
_CT2_ONLY = ("int8", "int8_float16", "int8_bfloat16", "int8_float32")


def load_backend(model: ResolvedModel, backend: str = "auto", device: str = "auto", compute_type: str = "auto",
                 factories: dict | None = None) -> Backend:
    """Load the backend asked for, proven able to translate on its device.

    With ``auto``, a CTranslate2 that cannot translate there (on a CUDA 13 machine its
    PyPI wheel finds no CUDA 12 cuBLAS) gives way to torch on the same device, and the
    backend's signature says why (the run prints it as one warning line); forced with
    ``--backend ctranslate2``, it is one setup error before any work."""
    factories = {**FACTORIES, **(factories or {})}
    name = choose_backend(backend)
    if name == "torch":
        return factories["torch"](model, device, compute_type)
    try:
        return factories["ctranslate2"](model, device, compute_type)
    except BackendUnavailable as exc:
        if backend == "ctranslate2":
            raise UsageError(f"--backend ctranslate2 cannot translate here: {exc}; {GPU_EXTRA_HINT}, or use --backend torch") from None
        if factories["torch"] is _torch and not installed("torch"):
            raise UsageError(f"CTranslate2 cannot translate here ({exc}) and torch is not installed; {GPU_EXTRA_HINT}") from None
        reason = str(exc)
    fallback = factories["torch"](model, device, "auto" if compute_type in _CT2_ONLY else compute_type)
    fallback.signature["fallback"] = f"CTranslate2 cannot translate here ({reason}), so torch translates instead; {GPU_EXTRA_HINT}"
    return fallback


def describe_backend(model: ResolvedModel, backend: str = "auto", device: str = "auto", compute_type: str = "auto") -> tuple[dict, int]:
    """The signature (and default token budget) the backend :func:`load_backend` would load
    here would have, found without loading any weights. A fallback is only known once a
    backend warms up: the engine that loads records it, and its signature wins."""
    from importlib import import_module

    runtime = import_module(f"{__name__}.{RUNTIME_MODULES[choose_backend(backend)]}")
    return runtime.describe(model, device, compute_type)
