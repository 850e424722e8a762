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


class SentenceTooLarge(RuntimeError):
    """One input that does not fit in device memory even alone."""

    def __init__(self, text: str, tokens: int):
        super().__init__(f"a sentence of {tokens} tokens does not fit in the device's memory even alone")
        self.text = text
        self.tokens = tokens


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
def engine_signature(backend_signature: dict[str, Any], settings: DecodingSettings, batch_tokens: int, guard: bool) -> dict[str, Any]:
    """What an engine records of itself in every edition: its backend's signature and the
    settings it decodes and batches with."""
    return {**backend_signature, "decoding": settings.as_dict(), "batch_tokens": batch_tokens, "guard": guard}


def signature_key(signature: dict[str, Any]) -> str:
    """What a cached translation is keyed by: the settings that change a translation (the
    model, backend, device, precision, decoding), not how fast it was made nor where the
    model was found."""
    keyed = {k: v for k, v in signature.items() if k not in ("batch_tokens", "found_in", "threads", "fallback")}
    return hashlib.sha256(json.dumps(keyed, sort_keys=True).encode()).hexdigest()


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
        self.out_of_memory = 0  # batches that did not fit and were halved
        self.signature = engine_signature(backend.signature, self.settings, self.batch_tokens, guard)
        self.signature_key = signature_key(self.signature)

    @property
    def model(self) -> str:
        return str(self.backend.signature.get("model"))

    def translate(
        self,
        texts: list[str],
        progress: Callable[[int], None] | None = None,
        on_results: Callable[[dict[str, "TranslationResult"]], None] | None = None,
    ) -> list[TranslationResult]:
        """Results in the order of ``texts``; each distinct text is translated at most once.

        ``progress(finished)`` counts finished inputs; ``on_results({text: result})`` gets
        the cached results first, then each batch's as soon as it is done (and cached),
        so that a caller can finish whatever waited only on those texts."""
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
        if on_results and done:
            on_results(dict(done))

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
            if on_results and results:
                on_results(results)
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

    def _generate(self, pieces: list[_Piece], settings: DecodingSettings) -> list[str]:
        """Outputs for ``pieces``; a batch that runs out of memory is halved and retried.

        The retry comes only after the failed call's state is gone: nothing is retried
        inside an ``except`` block (its exception and traceback keep the failed call's
        frames, and with them its tensors, alive), then cycles are collected and the
        backend gives its cached memory back. The token budget shrinks to what was tried
        last, so the batches that follow are not sent to fail again."""
        outputs: list[str | None] = [None] * len(pieces)
        todo = [(0, len(pieces))]
        while todo:
            start, end = todo.pop()
            chunk = pieces[start:end]
            out_of_memory = False
            try:
                outputs[start:end] = self.backend.generate([p.text for p in chunk], settings)
            except BatchTooLarge:
                out_of_memory = True  # handled below, once the exception is gone
            if not out_of_memory:
                continue
            self._release_memory()
            longest = max(p.tokens for p in chunk)
            if len(chunk) == 1:
                raise SentenceTooLarge(chunk[0].text, chunk[0].tokens)
            half = len(chunk) // 2
            # what this chunk took, padded, did not fit: the budget of later batches stays below it
            self.batch_tokens = max(longest, min(self.batch_tokens, longest * half))
            self.out_of_memory += 1
            todo += [(start + half, end), (start, start + half)]  # the first half next
        return outputs  # type: ignore[return-value]

    def _release_memory(self) -> None:
        import gc

        gc.collect()
        release = getattr(self.backend, "release_memory", None)
        if release is not None:
            release()

    def _run(self, batch: list[_Piece], settings: DecodingSettings) -> None:
        outputs = self._generate(batch, settings)
        for p, out in zip(batch, outputs, strict=True):
            p.output = out
            p.flags = guard_flags(p.text, out) if self.guard else []

    def _retry(self, suspect: list[_Piece]) -> None:
        outputs = self._generate(suspect, self.settings.safer())
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
    translate_documents([doc], engines, progress=(lambda done, total, _docs: progress(done, total)) if progress else None)
    return doc


class CorpusTranslation:
    """The pending segments of many documents, and where each translation goes: the
    results of any engine (here, or on a cluster's workers) are taken back per sentence,
    and a document is finished (``on_document``) as soon as its last sentence is done.

    A sentence repeated anywhere is translated once; its other occurrences count as
    coming from the cache, as they do within one document."""

    def __init__(self, docs: Iterable[Document], on_document: Callable[[Document], None] | None = None,
                 progress: Callable[[int, int, int], None] | None = None):
        self.docs = list(docs)
        self.on_document = on_document
        self.progress = progress
        self.signatures: dict[str, dict[str, Any]] = {}  # per language, the engine behind it
        self._pending = {id(d): pending_segments(d) for d in self.docs}
        self._left = {id(d): len(self._pending[id(d)]) for d in self.docs}
        self._stats = {id(d): {"needed": True, "translated_now": 0, "from_cache": 0} for d in self.docs}
        self._waiting: dict[str, dict[str, list[tuple[Document, Segment]]]] = {}
        for doc in self.docs:
            for seg in self._pending[id(doc)]:
                self._waiting.setdefault(seg.lang, {}).setdefault(translation_input(seg), []).append((doc, seg))
        self.total = sum(self._left.values())
        self.done = {"segments": 0, "documents": 0}

    def languages(self) -> list[str]:
        return sorted(self._waiting)

    def texts(self, lang: str) -> list[str]:
        """The distinct model inputs still waiting in ``lang``."""
        return list(self._waiting.get(lang, {}))

    def segment_ids(self, lang: str, text: str) -> list[str]:
        return [seg.id for _, seg in self._waiting.get(lang, {}).get(text, ())]

    def start(self) -> None:
        """Finish at once the documents that have nothing to translate."""
        for doc in self.docs:
            if not self._left[id(doc)]:
                self._finish(doc)
        if self.progress and self.done["documents"]:
            self.progress(0, self.total, self.done["documents"])

    def take(self, lang: str, results: dict[str, TranslationResult]) -> None:
        model = str(self.signatures[lang].get("model"))
        finished = []
        for text, res in results.items():
            for n, (doc, seg) in enumerate(self._waiting[lang].pop(text, ())):
                seg.translation = res.translation
                seg.flags = [f for f in seg.flags if f not in GUARD_FLAGS] + res.flags
                seg.meta.update(res.meta)
                seg.meta["translated_by"] = model
                self._stats[id(doc)]["from_cache" if res.from_cache or n else "translated_now"] += 1
                self._left[id(doc)] -= 1
                self.done["segments"] += 1
                if not self._left[id(doc)]:
                    finished.append(doc)
        for doc in finished:
            self._finish(doc)
        if self.progress:
            self.progress(self.done["segments"], self.total, self.done["documents"])

    def _finish(self, doc: Document) -> None:
        if not needs_translation(doc):
            doc.meta["translation"] = {"needed": False, "reason": f"written in {doc.lang}: no translation needed"}
        else:
            doc.meta["translation"] = self._stats[id(doc)]
            for lang in sorted({s.lang for s in self._pending[id(doc)]}):
                doc.provenance.setdefault("translate", {"version": VERSION, "models": {}})["models"][lang] = self.signatures[lang]
        self.done["documents"] += 1
        if self.on_document:
            self.on_document(doc)


def sentence_too_large(exc: "SentenceTooLarge", segment_ids: list[str]) -> Exception:
    """The one-line error for a sentence that does not fit in the device's memory alone."""
    from .errors import UsageError

    return UsageError(f"sentence {', '.join(segment_ids) or '?'} ({exc.tokens} tokens) does not fit in the device's memory even alone; "
                      "translate on the CPU (--device cpu) or with a smaller model")


def translate_documents(
    docs: Iterable[Document],
    engines: Mapping[str, TranslationEngine],
    progress: Callable[[int, int, int], None] | None = None,
    on_document: Callable[[Document], None] | None = None,
) -> None:
    """Translate the pending segments of many documents together: per language, one engine
    call over all of them, so that batches cross document boundaries (200 short articles
    cost what one long document costs). Results, cache entries and resume stay per segment.

    ``on_document(doc)`` is called as soon as all of a document's segments are done (at
    once for a document with nothing to translate); ``progress(done, total, documents_done)``
    counts segments and documents."""
    corpus = CorpusTranslation(docs, on_document, progress)
    corpus.start()
    for lang in corpus.languages():
        engine = engines[lang]
        corpus.signatures[lang] = engine.signature
        try:
            engine.translate(corpus.texts(lang), on_results=lambda results, lang=lang: corpus.take(lang, results))
        except SentenceTooLarge as exc:
            raise sentence_too_large(exc, corpus.segment_ids(lang, exc.text)) from None
