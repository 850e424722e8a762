"""Model families: what is particular to one architecture of translation model, apart
from the runtime that runs it (:mod:`pipeline.translation.runtimes`): its tokenizer, its
torch model class, how it counts tokens. Marian is the only family today (:mod:`.marian`;
:mod:`.marian_factory` builds tiny Marian models for tests and the demo through the real
code path). Another family (NLLB, M2M100) is one module here, with a ``FAMILY`` object
like Marian's, and one line in :data:`FAMILIES`."""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path
from typing import Any

from ...errors import UsageError

FAMILIES = {"marian": "pipeline.translation.families.marian"}
# a checkpoint whose config.json names no model_type is read as one of these
DEFAULT_FAMILY = "marian"


def family_named(name: str) -> Any:
    return import_module(FAMILIES[name]).FAMILY


def family_for(folder: Path) -> Any:
    """The family of the checkpoint in ``folder``, by its config.json's ``model_type``;
    one line where Diptych has no family for it."""
    try:
        model_type = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8")).get("model_type")
    except (OSError, ValueError, AttributeError):
        model_type = None
    if model_type is None:
        return family_named(DEFAULT_FAMILY)
    for name in FAMILIES:
        family = family_named(name)
        if model_type in family.model_types:
            return family
    raise UsageError(f"{folder}: a {model_type!r} checkpoint, and Diptych translates with {', '.join(FAMILIES)} models only")
