"""Stage 5: source segments -> English.

Three layers, each replaceable:

* a **backend** (``pipeline.backends``) turns one batch of strings into English with one
  set of decoding settings; backends are the only code importing torch, transformers
  or ctranslate2;
* the **engine** (:class:`TranslationEngine`) is a pure function over a list of strings:
  it reuses cached translations, splits inputs longer than the model accepts at clause
  boundaries, batches by a token budget, checks every output for hallucinations and
  retries those with safer decoding, and writes each finished batch to the cache;
* the **stage** (:func:`translate`) decides which segments of a document are sent
  (fr/ru, not junk, not in an English original) and records results and provenance.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping, Protocol

from .bilingual import TRANSLATED_LANGUAGES, translation_input
from .doc import Document, Segment
from .quality import GUARD_FLAGS, guard_flags  # noqa: F401 - guard_flags is part of the engine's API

VERSION = "translate/2"


@dataclass(frozen=True)
class DecodingSettings:
    """Decoding settings, the same for every backend; defaults are opus-mt's."""

    beam_size: int = 4
    length_penalty: float = 1.0
    max_length: int = 512  # output tokens
    min_length: int = 0  # output tokens
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def safer(self) -> "DecodingSettings":
        """What the hallucination guard retries with."""
        return replace(
            self,
            beam_size=max(self.beam_size, 5),
            no_repeat_ngram_size=self.no_repeat_ngram_size or 3,
            repetition_penalty=max(self.repetition_penalty, 1.2),
        )


class BatchTooLarge(RuntimeError):
    """Raised by a backend when a batch does not fit in device memory."""


class Backend(Protocol):
    """What the engine needs from a backend."""

    signature: dict[str, Any]  # model (id@revision), backend, device, compute type
    max_input_tokens: int
    default_batch_tokens: int

    def count_tokens(self, texts: list[str]) -> list[int]: ...

    def generate(self, texts: list[str], settings: DecodingSettings) -> list[str]: ...


# -- long inputs ---------------------------------------------------------------------
_CLAUSE_BREAKS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"\s+(?=[—–]\s)|(?<=\s[—–])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+"),
)


def split_for_model(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` tokens at the strongest clause break
    nearest the middle; only whitespace between pieces is dropped."""
    if count(text) <= limit:
        return [text]
    middle = len(text) / 2
    for pattern in _CLAUSE_BREAKS:
        cuts = [m for m in pattern.finditer(text) if 0 < m.start() and m.end() < len(text)]
        if cuts:
            cut = min(cuts, key=lambda m: abs(m.start() - middle))
            return split_for_model(text[: cut.start()], count, limit) + split_for_model(text[cut.end() :], count, limit)
    half = len(text) // 2  # one unbroken "word" longer than the model's limit
    return split_for_model(text[:half], count, limit) + split_for_model(text[half:], count, limit)


# -- the engine ---------------------------------------------------------------------------
@dataclass
class TranslationResult:
    translation: str
    flags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    from_cache: bool = False


@dataclass
class _Piece:
    owner: str  # the unique source text it belongs to
    index: int
    text: str
    tokens: int
    output: str | None = None
    flags: list[str] = field(default_factory=list)
    retried: bool = False


class TranslationEngine:
    """Translate lists of strings with one backend: cached, batched by tokens, guarded."""

    def __init__(
        self,
        backend: Backend,
        settings: DecodingSettings | None = None,
        cache: Any | None = None,
        batch_tokens: int | None = None,
        guard: bool = True,
    ):
        self.backend = backend
        self.settings = settings or DecodingSettings()
        self.cache = cache
        self.batch_tokens = batch_tokens or backend.default_batch_tokens
        self.guard = guard
        self.signature = {**backend.signature, "decoding": self.settings.as_dict(), "batch_tokens": self.batch_tokens, "guard": guard}
        keyed = {k: v for k, v in self.signature.items() if k not in ("batch_tokens", "found_in", "threads")}
        self.signature_key = hashlib.sha256(json.dumps(keyed, sort_keys=True).encode()).hexdigest()

    @property
    def model(self) -> str:
        return str(self.backend.signature.get("model"))

    def translate(self, texts: list[str], progress: Callable[[int], None] | None = None) -> list[TranslationResult]:
        """Results in the order of ``texts``; each distinct text is translated at most once."""
        from .cache import entry_key

        unique = list(dict.fromkeys(texts))
        keys = {t: entry_key(self.signature_key, t) for t in unique}
        done: dict[str, TranslationResult] = {}
        if self.cache is not None:
            hits = self.cache.get_many(keys.values())
            for text in unique:
                hit = hits.get(keys[text])
                if hit is not None:
                    done[text] = TranslationResult(hit["translation"], hit["flags"], hit["meta"], from_cache=True)
        todo = [t for t in unique if t not in done]
        finished = sum(1 for t in texts if t in done)
        if progress and finished:
            progress(finished)

        pieces = self._pieces(todo)
        remaining = {t: sum(1 for p in pieces if p.owner == t) for t in todo}
        by_owner: dict[str, list[_Piece]] = {t: [] for t in todo}
        for p in pieces:
            by_owner[p.owner].append(p)
        counts = Counter(texts)
        for batch in self._batches(sorted(pieces, key=lambda p: p.tokens)):
            self._run(batch, self.settings)
            if self.guard:
                suspect = [p for p in batch if p.flags]
                if suspect:
                    self._retry(suspect)
            completed = []
            for p in batch:
                remaining[p.owner] -= 1
                if remaining[p.owner] == 0:
                    completed.append(p.owner)
            results = {t: self._assemble(by_owner[t]) for t in completed}
            if self.cache is not None and results:
                self.cache.put_many(
                    (keys[t], self.model, t, r.translation, r.flags, r.meta) for t, r in results.items()
                )
            done.update(results)
            if progress and completed:
                finished += sum(counts[t] for t in completed)
                progress(finished)
        out = []
        seen: set[str] = set()
        for t in texts:
            r = done[t]
            if t in seen and not r.from_cache:
                r = TranslationResult(r.translation, list(r.flags), dict(r.meta), from_cache=True)
            seen.add(t)
            out.append(r)
        return out

    # -- internals -----------------------------------------------------------------------
    def _pieces(self, texts: list[str]) -> list[_Piece]:
        if not texts:
            return []
        limit = self.backend.max_input_tokens
        counts = self.backend.count_tokens(texts)
        pieces: list[_Piece] = []
        for text, n in zip(texts, counts):
            if n <= limit:
                pieces.append(_Piece(text, 0, text, n))
                continue
            parts = split_for_model(text, lambda s: self.backend.count_tokens([s])[0], limit)
            for i, (part, m) in enumerate(zip(parts, self.backend.count_tokens(parts))):
                pieces.append(_Piece(text, i, part, m))
        return pieces

    def _batches(self, pieces: list[_Piece]) -> Iterable[list[_Piece]]:
        """Length-sorted batches whose padded size stays within the token budget."""
        batch: list[_Piece] = []
        for p in pieces:
            longest = max([q.tokens for q in batch] + [p.tokens])
            if batch and longest * (len(batch) + 1) > self.batch_tokens:
                yield batch
                batch = []
            batch.append(p)
        if batch:
            yield batch

    def _generate(self, texts: list[str], settings: DecodingSettings) -> list[str]:
        try:
            return self.backend.generate(texts, settings)
        except BatchTooLarge:
            if len(texts) == 1:
                raise
            half = len(texts) // 2
            return self._generate(texts[:half], settings) + self._generate(texts[half:], settings)

    def _run(self, batch: list[_Piece], settings: DecodingSettings) -> None:
        outputs = self._generate([p.text for p in batch], settings)
        for p, out in zip(batch, outputs, strict=True):
            p.output = out
            p.flags = guard_flags(p.text, out) if self.guard else []

    def _retry(self, suspect: list[_Piece]) -> None:
        outputs = self._generate([p.text for p in suspect], self.settings.safer())
        for p, out in zip(suspect, outputs, strict=True):
            flags = guard_flags(p.text, out)
            p.retried = True
            if len(flags) < len(p.flags):
                p.output, p.flags = out, flags

    @staticmethod
    def _assemble(parts: list[_Piece]) -> TranslationResult:
        parts = sorted(parts, key=lambda p: p.index)
        flags = sorted({f for p in parts for f in p.flags}, key=GUARD_FLAGS.index)
        meta: dict[str, Any] = {}
        if len(parts) > 1:
            meta["pieces"] = len(parts)
        if any(p.retried for p in parts):
            meta["retried"] = "safer decoding"
        return TranslationResult(" ".join((p.output or "").strip() for p in parts), flags, meta)


# -- the stage ------------------------------------------------------------------------------
def needs_translation(doc: Document) -> bool:
    """English originals are never sent to a model, whatever they quote."""
    return doc.lang in TRANSLATED_LANGUAGES


def pending_segments(doc: Document) -> list[Segment]:
    if not needs_translation(doc):
        return []
    return [seg for seg in doc.content_segments() if seg.lang in TRANSLATED_LANGUAGES and seg.translation is None]


def languages_needed(docs: Iterable[Document]) -> set[str]:
    return {seg.lang for doc in docs for seg in pending_segments(doc)}


def translate(
    doc: Document,
    engines: Mapping[str, TranslationEngine],
    progress: Callable[[int, int], None] | None = None,
) -> Document:
    """Translate every pending fr/ru segment of ``doc`` with the engine for its language.

    ``progress(done, total)`` is called as segments are finished."""
    if not needs_translation(doc):
        doc.meta["translation"] = {"needed": False, "reason": f"written in {doc.lang}: no translation needed"}
        return doc
    pending = pending_segments(doc)
    by_lang: dict[str, list[Segment]] = {}
    for seg in pending:
        by_lang.setdefault(seg.lang, []).append(seg)
    stats = {"needed": True, "translated_now": 0, "from_cache": 0}
    finished_before = 0
    for lang, segs in sorted(by_lang.items()):
        engine = engines[lang]
        base = finished_before
        callback = (lambda n, base=base: progress(base + n, len(pending))) if progress else None
        results = engine.translate([translation_input(s) for s in segs], progress=callback)
        for seg, res in zip(segs, results, strict=True):
            seg.translation = res.translation
            seg.flags = [f for f in seg.flags if f not in GUARD_FLAGS] + res.flags
            seg.meta.update(res.meta)
            seg.meta["translated_by"] = engine.model
            stats["from_cache" if res.from_cache else "translated_now"] += 1
        finished_before += len(segs)
        doc.provenance.setdefault("translate", {"version": VERSION, "models": {}})["models"][lang] = engine.signature
    doc.meta["translation"] = stats
    return doc
