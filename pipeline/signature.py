"""The signature of an edition: every setting (not result) of every stage that made it.

As sacrebleu's signatures do for a score, it says in one line what another run needs to
reproduce an edition, e.g.::

    ingest:1|structure:7|bylines:1|footnotes:3|seg:5|langid:5|mt.fr:Helsinki-NLP/opus-mt-fr-en@<rev>|ct2-4.8.5-int8-cpu|beam:4|lp:1.0|maxlen:512|protect:1|check:1|align:1|render:2|v:0.1.0

The whole signature is the record's ``provenance`` (one dict of settings per stage);
what the stages found (counts, joined interruptions) lives in the document's ``meta``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# the stages in pipeline order, with the short name each has in the one-line form: the
# reader, the front end's own list, then what follows it
def _stages() -> tuple[tuple[str, str], ...]:
    from .frontend import STAGES as FRONT_END

    return (("ingest", "ingest"), *((s.name, s.short) for s in FRONT_END), ("translate", "mt"), ("check", "check"),
            ("align", "align"), ("import", "import"), ("score", "score"), ("render", "render"))


_BACKEND_SHORT = {"ctranslate2": "ct2", "torch": "torch"}


def _number(version: Any) -> str:
    """``"structure/2"`` -> ``"2"``."""
    return str(version or "?").rpartition("/")[2]


def _backend(sig: dict[str, Any]) -> str:
    """``ctranslate2-4.8.5+transformers-5.24.0`` on cpu in int8 -> ``ct2-4.8.5-int8-cpu``."""
    name, _, lib_version = str(sig.get("backend", "?")).partition("+")[0].partition("-")
    return f"{_BACKEND_SHORT.get(name, name)}-{lib_version or '?'}-{sig.get('compute_type', '?')}-{sig.get('device', '?')}"


def _decoding(sig: dict[str, Any]) -> list[str]:
    d = sig.get("decoding", {})
    parts = [f"beam:{d.get('beam_size')}", f"lp:{d.get('length_penalty')}", f"maxlen:{d.get('max_length')}"]
    extra = {"min_length": 0, "no_repeat_ngram_size": 0, "repetition_penalty": 1.0}
    parts += [f"{k}:{d[k]}" for k, default in extra.items() if k in d and d[k] != default]
    if sig.get("guard") is False:
        parts.append("guard:off")
    return parts


def _stage_parts(stage: str, short: str, settings: dict[str, Any]) -> list[str]:
    if stage == "translate":
        parts: list[str] = []
        for lang, sig in sorted(settings.get("models", {}).items()):
            parts += [f"mt.{lang}:{sig.get('model')}", _backend(sig), *_decoding(sig)]
        parts += [f"hook.{name}" for name in sorted(settings.get("hooks", {}))]
        if settings.get("glossary"):
            g = settings["glossary"]
            parts.append(f"glossary:{str(g.get('sha256', '?'))[:12]}-n.{g.get('candidates', '?')}")
        if settings.get("protected_spans"):
            parts.append("protect:1")
        return list(dict.fromkeys(parts))  # one model's settings once, when languages share them
    part = f"{short}:{_number(settings.get('version'))}"
    if stage == "ingest" and settings.get("reader"):  # a document format's reader and its library
        part = f"{short}:{settings['reader']}.{_number(settings.get('version'))}-{settings.get('library', '?')}"
    if settings.get("pre_split"):
        part += "-lines"
    if settings.get("forced"):
        part += f"-forced.{settings['forced']}"
    if stage == "align" and settings.get("aligner"):
        part += f"-aligner.{_number(settings['aligner'])}"
        params = settings.get("params", {})
        if "max_side" in params:
            part += f"-side.{params['max_side']}"
        method = str(settings.get("method", ""))
        part += "+mt" if " + MT bridge" in method else ""
        part += "+mt.back" if "target MT bridge" in method else ""
        part += "+lexicon" if params.get("lexicon_weight") else ""  # learned: no bridge, no --no-lexicon
    return [part]


@dataclass(frozen=True)
class Signature:
    """The settings behind an edition and the Diptych version that rendered it."""

    stages: dict[str, dict[str, Any]]
    version: str

    @classmethod
    def of(cls, doc) -> "Signature":
        from .version import __version__

        return cls(dict(doc.provenance), __version__)

    def short(self) -> str:
        """The one-line form, stages in pipeline order, then any stage Diptych does not know."""
        stages = _stages()
        known = dict(stages)
        parts: list[str] = []
        for stage, short in stages:
            if stage in self.stages:
                parts += _stage_parts(stage, short, self.stages[stage])
        parts += [f"{stage}:{_number(s.get('version'))}" for stage, s in self.stages.items() if stage not in known]
        return "|".join(parts + [f"v:{self.version}"])

    def __str__(self) -> str:
        return self.short()

    def as_dict(self) -> dict[str, Any]:
        return {"short": self.short(), "version": self.version, "stages": self.stages}
