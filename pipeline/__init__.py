"""Diptych: sentence-aligned bilingual editions of French and Russian texts with English.

The stages are plain functions over one document model, usable from a notebook::

    from pipeline import ingest, structure, mark_footnotes, segment, identify, prepare
    doc = identify(segment(mark_footnotes(structure(ingest("seeds/003_....txt")))))

or all at once with :func:`run`. Names are loaded on first use (PEP 562), so importing
one module loads that module only; translation runtimes (torch, transformers,
CTranslate2) are imported only when a model is loaded.
"""

from __future__ import annotations

import importlib

from .version import __version__

# public name -> the module that defines it
_EXPORTS = {
    "Block": ".doc", "Document": ".doc", "Edit": ".doc", "RecordError": ".doc", "Segment": ".doc",
    "read": ".readers", "ingest": ".readers.text", "structure": ".frontend.structure",
    "mark_footnotes": ".frontend.footnotes", "segment": ".frontend.segment", "identify": ".frontend.langid",
    "prepare": ".frontend", "DecodingSettings": ".translation.stage", "translate": ".translation.stage",
    "check": ".quality", "align": ".alignment.stage", "render": ".editions", "run": ".jobs.run",
    "EngineOptions": ".translation.loading", "Signature": ".signature",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
