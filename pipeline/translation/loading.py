"""From what a user asked for (models, backend, device, decoding, cache) to one loaded
translation engine per language. Models are resolved first, all of them, so that a
missing one stops the work before anything is loaded or written."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import UsageError
from .catalog import load_catalog, resolve_all, specs_for
from .engine import DecodingSettings, TranslationEngine

# --models: which set of models the languages without a --model take: a profile of the
# catalog (its names are the catalog's: base, big), "catalog" (base, its name before there
# were profiles), or demo
MODEL_SETS = ("catalog", "demo")


@dataclass
class EngineOptions:
    """How to translate: which models, backend, device, decoding, batching and cache."""

    overrides: list[str] | None = None
    backend: str = "auto"
    device: str = "auto"
    compute_type: str = "auto"
    settings: DecodingSettings = field(default_factory=DecodingSettings)
    batch_tokens: int | None = None
    cache_path: str | Path | None = "default"  # None: no cache
    guard: bool = True
    models: str = "catalog"
    glossary: str | Path | None = None  # a TSV, CSV or TBX glossary (pipeline.glossary)
    glossary_candidates: int | None = None  # hypotheses asked for a sentence with terms
    protect_spans: bool = True  # URLs, e-mails, code, numbers with units kept from the model (issue 32)
    steering: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        """The glossary read and checked at once (a bad one stops everything, before any
        work); ``demo``: the untrained demo models (built here where missing) for every language
        without its own --model, decoding no longer than they can usefully write."""
        if self.steering is None and (self.glossary is not None or self.protect_spans):
            from ..glossary import load_glossary
            from .steering import DEFAULT_CANDIDATES, Steering

            if self.glossary_candidates is not None and self.glossary_candidates < 1:
                raise UsageError("--glossary-candidates must be 1 or more")
            self.steering = Steering(load_glossary(self.glossary) if self.glossary is not None else None, protect=self.protect_spans,
                                     candidates=self.glossary_candidates or DEFAULT_CANDIDATES)
        if self.models not in MODEL_SETS:
            load_catalog(self.models)  # a profile of the catalog, or one line naming them
        if self.models != "demo":
            return
        from .demo import DEMO_MAX_LENGTH, ensure_demo_models

        own = {text.partition("=")[0] for text in self.overrides or []}
        demo = [f"{lang}={folder}" for lang, folder in ensure_demo_models().items() if lang not in own]
        self.overrides = [*(self.overrides or []), *demo]
        self.settings = replace(self.settings, max_length=min(self.settings.max_length, DEMO_MAX_LENGTH))
        self.models = "catalog"  # resolved: the overrides now name every demo folder

    @property
    def profile(self) -> str:
        """The catalog profile the languages without a --model take."""
        return "base" if self.models in ("catalog", "demo") else self.models


def load_engines(langs: set[str], options: EngineOptions) -> dict[str, TranslationEngine]:
    """Resolve every needed model first (fail fast, exit 2), then load them."""
    resolved = resolve_all(specs_for(langs, options.overrides, options.profile))
    if not resolved:
        return {}
    cache = open_cache(options)  # a cache that cannot be opened stops the run before any model loads
    from .runtimes import load_backend  # imports torch or ctranslate2: only when something needs translating

    return {
        lang: TranslationEngine(
            load_backend(model, options.backend, options.device, options.compute_type),
            options.settings,
            cache=cache,
            batch_tokens=options.batch_tokens,
            guard=options.guard,
            steering=options.steering,
        )
        for lang, model in resolved.items()
    }


def open_cache(options: EngineOptions):
    """The translation cache the options name (None: no cache); a file that cannot serve as
    one is a setup error, with its path."""
    if options.cache_path is None:
        return None
    from .cache import TranslationCache, default_cache_path

    return TranslationCache(default_cache_path() if options.cache_path == "default" else options.cache_path)


def convert_all(langs: list[str] | None, overrides: list[str] | None = None, force: bool = False,
                *, profile: str = "base") -> list[str]:
    """``diptych models convert``: every model found first (fail fast), then each converted
    to CTranslate2 under models/ct2/; one line each."""
    resolved = resolve_all(specs_for(langs, overrides, profile))
    from .runtimes.ct2 import convert  # imports ctranslate2: only once the models are found

    return [f"{lang}: {model.ref} -> {convert(model, force=force)}" for lang, model in resolved.items()]
