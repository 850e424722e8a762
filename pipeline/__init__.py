"""Diptych: sentence-aligned bilingual editions of French and Russian texts with English.

The stages are plain functions over one document model, usable from a notebook::

    from pipeline import ingest, structure, identify, segment, translate, align, render
    doc = identify(segment(mark_footnotes(structure(ingest("seeds/003_....txt")))))

or all at once with :func:`run`. Translation backends (torch, transformers) are imported
only when a model is loaded.
"""

__version__ = "0.1.0"

from .align import align
from .doc import Block, Document, Edit, RecordError, Segment
from .footnotes import mark_footnotes
from .ingest import ingest
from .langid import identify
from .render import render
from .run import prepare, run
from .segment import segment
from .structure import structure
from .quality import check
from .translate import DecodingSettings, translate

__all__ = [
    "Block",
    "DecodingSettings",
    "Document",
    "Edit",
    "RecordError",
    "Segment",
    "__version__",
    "align",
    "check",
    "identify",
    "mark_footnotes",
    "ingest",
    "prepare",
    "render",
    "run",
    "segment",
    "structure",
    "translate",
]
