"""The options several commands share, declared once: the engine options every command
that translates takes (given to it as one :class:`~pipeline.translation.loading.EngineOptions`),
models, cache and JSON output."""

from __future__ import annotations

import functools
import inspect
from pathlib import Path
from typing import Annotated, Optional

import typer

ModelOpt = Annotated[
    Optional[list[str]],
    typer.Option("--model", "-m", metavar="LANG=ID_OR_PATH", help="Model for a language: a Hub id\\[@revision] or a local folder. Repeatable."),
]
ModelsOpt = Annotated[str, typer.Option("--models", metavar="SET", help="A profile of the catalog: base (catalog: the opus-mt base models) or big (opus-mt-tc-big: better, about half as fast with CTranslate2); or demo: untrained models built here, whose English is noise (to see the pipeline offline).")]
ProfileOpt = Annotated[str, typer.Option("--models", metavar="PROFILE", help="The catalog's profile: base or big.")]
CacheOpt = Annotated[Optional[Path], typer.Option("--cache", help="Translation cache file (default: ~/.cache/diptych/translations.sqlite).")]
JsonOpt = Annotated[bool, typer.Option("--json", metavar="", help="Print JSON.")]

# The engine options, declared once: every command that translates takes them all and
# receives one EngineOptions (see with_engine_options).
_ENGINE_OPTIONS = {
    "model": (ModelOpt, None),
    "models": (ModelsOpt, "catalog"),
    "device": (Annotated[str, typer.Option("--device", help="auto (CUDA if available), cpu, or cuda[:N].")], "auto"),
    "backend": (Annotated[str, typer.Option("--backend", help="auto (CTranslate2 where installed, else torch), ctranslate2 or torch.")], "auto"),
    "compute_type": (Annotated[str, typer.Option("--compute-type", help="auto, or: int8, int8_float16, float16 (ctranslate2); float32, float16, bfloat16 (torch).")], "auto"),
    "beam_size": (Annotated[int, typer.Option("--beam-size", min=1, help="Beam size (opus-mt default 4).")], 4),
    "length_penalty": (Annotated[float, typer.Option("--length-penalty", help="Length penalty (opus-mt default 1.0).")], 1.0),
    "max_length": (Annotated[int, typer.Option("--max-length", min=2, max=512, help="Maximum output length in tokens (opus-mt default 512).")], 512),
    "batch_tokens": (Annotated[Optional[int], typer.Option("--batch-tokens", min=16, help="Token budget per batch, padding included (default: 2048 on CPU, 16384 on CUDA).")], None),
    "cache": (CacheOpt, None),
    "no_cache": (Annotated[bool, typer.Option("--no-cache", metavar="", help="Neither read nor write the translation cache.")], False),
    "glossary": (Annotated[Optional[Path], typer.Option("--glossary", metavar="FILE", help="A glossary (TSV, CSV: source term, English term, optional note; or TBX) the English must follow; an English equal to its term: do not translate.")], None),
    "glossary_candidates": (Annotated[Optional[int], typer.Option("--glossary-candidates", metavar="N", min=1, help="Hypotheses weighed for a sentence holding glossary terms (default 8).")], None),
    "protect_spans": (Annotated[bool, typer.Option("--protect-spans/--no-protect-spans", help="Keep URLs, e-mails, `code` and numbers with units from the model, put back verbatim.")], True),
}


def _engine_options(model, models, device, backend, compute_type, *, beam_size, length_penalty, max_length, batch_tokens, cache, no_cache,
                    glossary=None, glossary_candidates=None, protect_spans=True):
    from .translation.loading import EngineOptions
    from .translation.stage import DecodingSettings

    return EngineOptions(
        overrides=model, backend=backend, device=device, compute_type=compute_type,
        settings=DecodingSettings(beam_size=beam_size, length_penalty=length_penalty, max_length=max_length),
        batch_tokens=batch_tokens, cache_path=None if no_cache else (cache or "default"), models=models,
        glossary=glossary, glossary_candidates=glossary_candidates, protect_spans=protect_spans,
    )


def with_engine_options(command):
    """Give ``command`` the engine options (as Typer sees parameters: in its signature) and
    call it with one ``options`` argument built from them."""
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "options"]
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
             for name, (annotation, default) in _ENGINE_OPTIONS.items()]

    @functools.wraps(command)
    def wrapper(**kwargs):
        engine = {name: kwargs.pop(name) for name in _ENGINE_OPTIONS}
        return command(options=_engine_options(**engine), **kwargs)

    wrapper.__signature__ = inspect.Signature(own + extra)
    # the annotations as objects: as strings they would be read in this module, not the command's
    wrapper.__annotations__ = {p.name: p.annotation for p in own + extra}
    del wrapper.__wrapped__  # Typer must read the new signature, not the command's own
    return wrapper
