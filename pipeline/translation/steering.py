"""What a translator steers the engine with: a glossary and protected spans.

Both act inside the engine, not as per-segment hooks (:mod:`pipeline.segment_hooks`):
the glossary is enforced by choosing among the model's n best hypotheses, which only the
engine sees; protected spans must be verified and put back on the model's own output,
before the guard and the cache see it, so that a cached translation already holds them.

The glossary is enforced by n-best choice: for a sentence that holds glossary terms (and
only for such a sentence) the model is asked for its ``candidates`` best hypotheses, with
a beam at least as wide; the best-scored one that holds the English of every term found
in the sentence is kept; where none does, the best-scored of those holding the most terms
(the best one where none holds any), and the sentence is flagged ``term_missing`` with
the terms it lacks. The default of 8 candidates: a beam of 4 returns four hypotheses that
mostly differ in one word near the end, so a term the model ranks fifth is never seen;
8 (a beam of 8) doubles the choice for about 2.2 times the decoding time of the sentences
that hold a term, and of those alone (n = 4 costs about nothing: the same beam, scores
returned; ``bench/translate_bench.py``, CPU, random opus-mt-shaped weights).

A sentence's cache key takes its own terms (source and English), its protected spans
and the number of candidates, never the whole glossary's hash: editing a glossary
translates again only the sentences whose terms changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..glossary import Glossary, Term
from ..protected import protect, restore

DEFAULT_CANDIDATES = 8
STEERING_FLAGS = ("term_missing", "placeholder_lost")


@dataclass
class Prepared:
    """One source text as the model reads it, and what must be checked in its English."""

    model_text: str
    spans: list[dict] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    key_suffix: str = ""


@dataclass
class Steering:
    glossary: Glossary | None = None
    protect: bool = False
    candidates: int = DEFAULT_CANDIDATES

    def signature(self) -> dict[str, Any]:
        """What the translate stage's provenance records (not the engine's cache key)."""
        out: dict[str, Any] = {}
        if self.glossary is not None:
            out["glossary"] = {**self.glossary.summary(), "candidates": self.candidates}
        if self.protect:
            out["protected_spans"] = True
        return out

    def terms_in(self, text: str) -> list[Term]:
        return self.glossary.terms_in(text) if self.glossary is not None else []

    def prepare(self, text: str) -> Prepared:
        model_text, spans = protect(text) if self.protect else (text, [])
        terms = self.terms_in(model_text)
        suffix = ""
        if spans or terms:
            suffix = "\x00" + json.dumps({"spans": [s["span"] for s in spans], "terms": [[t.source, t.english] for t in terms],
                                          "n": self.candidates if terms else 0}, ensure_ascii=False)
        return Prepared(model_text, spans, terms, suffix)

    def choose(self, hypotheses: list[tuple[str, float]], terms: list[Term]) -> str:
        """The best-scored hypothesis that holds every term; where none does, the best-scored
        of those that hold the most (the best one where none holds any)."""
        if not hypotheses:
            return ""
        return max(hypotheses, key=lambda h: (sum(t.held_by(h[0]) for t in terms), h[1]))[0]

    def finish(self, translation: str, prepared: Prepared) -> tuple[str, list[str], dict[str, Any]]:
        """The translation with its spans back; the steering flags and what they are about."""
        flags: list[str] = []
        meta: dict[str, Any] = {}
        if prepared.spans:
            translation, lost = restore(translation, prepared.spans)
            meta["protected"] = [s["span"] for s in prepared.spans]
            if lost:
                flags.append("placeholder_lost")
                meta["placeholder_lost"] = lost
        if prepared.terms:
            status = [{"source": t.source, "english": t.english, "held": t.held_by(translation), **({"note": t.note} if t.note else {})}
                      for t in prepared.terms]
            meta["glossary"] = status
            missing = [s["source"] for s in status if not s["held"]]
            if missing:
                flags.insert(0, "term_missing")
                meta["term_missing"] = missing
        return translation, flags, meta
