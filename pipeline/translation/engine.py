"""The translation engine: a pure function over lists of strings, one backend behind it.

It reuses cached translations, splits inputs longer than the model accepts at clause
boundaries, batches by a token budget, checks every output for hallucinations and retries
those with safer decoding, halves a batch that runs out of device memory (after the failed
call is released), and writes each finished batch to the cache. Backends
(``pipeline.translation.runtimes``) are the only code importing torch, transformers or CTranslate2;
the stage that decides which segments of which documents are sent is :mod:`.translate`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Callable, Iterable, Protocol

from ..quality import GUARD_FLAGS, guard_flags

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
    terms: list[Any] = field(default_factory=list)  # glossary terms its English must hold


class TranslationEngine:
    """Translate lists of strings with one backend: cached, batched by tokens, guarded."""

    def __init__(
        self,
        backend: Backend,
        settings: DecodingSettings | None = None,
        cache: Any | None = None,
        batch_tokens: int | None = None,
        guard: bool = True,
        *, overlap: bool | None = None,
        steering: Any | None = None,
    ):
        self.backend = backend
        # tokenize the next batch on the CPU while the device generates this one: on by
        # default where the backend says it pays (a GPU, whose CPU waits otherwise; on a
        # CPU the two would only share the same cores)
        self.overlap = getattr(backend, "overlap_tokenization", False) if overlap is None else overlap
        self.settings = settings or DecodingSettings()
        self.cache = cache
        self.batch_tokens = batch_tokens or backend.default_batch_tokens
        self.guard = guard
        self.steering = steering  # a glossary, protected spans (.steering.Steering); None: neither
        self.model_calls = 0  # backend calls made (tests count them)
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
        prepared = {t: self.steering.prepare(t) for t in unique} if self.steering is not None else {}
        keys = {t: entry_key(self.signature_key, t + (prepared[t].key_suffix if prepared else "")) for t in unique}
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

        pieces = self._pieces(todo, {t: prepared[t].model_text for t in todo} if prepared else None)
        remaining = {t: sum(1 for p in pieces if p.owner == t) for t in todo}
        by_owner: dict[str, list[_Piece]] = {t: [] for t in todo}
        for p in pieces:
            by_owner[p.owner].append(p)
        counts = Counter(texts)

        def finish(batch: list[_Piece]) -> None:
            """Guard, cache and report one generated batch."""
            nonlocal finished
            if self.guard:
                suspect = [p for p in batch if p.flags]
                if suspect:
                    self._retry(suspect)
            completed = []
            for p in batch:
                remaining[p.owner] -= 1
                if remaining[p.owner] == 0:
                    completed.append(p.owner)
            results = {t: self._assemble(by_owner[t], prepared.get(t)) for t in completed}
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

        steered = [p for p in pieces if p.terms]
        batches = self._batches(sorted((p for p in pieces if not p.terms), key=lambda p: p.tokens))
        overlapped = self.overlap and hasattr(self.backend, "encode")
        source = self._prefetched(batches) if overlapped else ((b, None) for b in batches)
        if overlapped and hasattr(self.backend, "decode") and hasattr(self.backend, "generate_raw"):
            self._translate_overlapped(source, finish)
        else:
            for batch, encoded in source:
                self._run(batch, self.settings, encoded)
                finish(batch)
        if steered:  # n hypotheses a sentence: the budget holds as many fewer sentences
            n = max(self.steering.candidates, 1)
            budget = max(1, self.batch_tokens * self.settings.beam_size // max(n, self.settings.beam_size))
            for batch in self._batches(sorted(steered, key=lambda p: p.tokens), budget):
                self._run_nbest(batch, n)
                finish(batch)
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
    def _pieces(self, texts: list[str], inputs: dict[str, str] | None = None) -> list[_Piece]:
        """The model's inputs for ``texts`` (``inputs``: what the model reads of each, where
        steering changed it), split where longer than the model accepts."""
        if not texts:
            return []
        inputs = inputs or {}
        limit = self.backend.max_input_tokens
        model_texts = [inputs.get(t, t) for t in texts]
        counts = self.backend.count_tokens(model_texts)
        pieces: list[_Piece] = []
        for owner, text, n in zip(texts, model_texts, counts):
            if n <= limit:
                pieces.append(_Piece(owner, 0, text, n))
                continue
            parts = split_for_model(text, lambda s: self.backend.count_tokens([s])[0], limit)
            for i, (part, m) in enumerate(zip(parts, self.backend.count_tokens(parts))):
                pieces.append(_Piece(owner, i, part, m))
        if self.steering is not None:
            for p in pieces:
                p.terms = self.steering.terms_in(p.text)
        return pieces

    def _batches(self, pieces: list[_Piece], budget: int | None = None) -> Iterable[list[_Piece]]:
        """Length-sorted batches whose padded size stays within the token budget."""
        budget = budget or self.batch_tokens
        batch: list[_Piece] = []
        for p in pieces:
            longest = max([q.tokens for q in batch] + [p.tokens])
            if batch and longest * (len(batch) + 1) > budget:
                yield batch
                batch = []
            batch.append(p)
        if batch:
            yield batch

    def _prefetched(self, batches: Iterable[list[_Piece]]):
        """The batches, each with its input already tokenized by a helper thread while the
        batch before it was generating."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="diptych-tokenize") as pool:
            it = iter(batches)
            current = next(it, None)
            future = pool.submit(self.backend.encode, [p.text for p in current]) if current else None
            while current is not None:
                following = next(it, None)
                next_future = pool.submit(self.backend.encode, [p.text for p in following]) if following else None
                yield current, future.result()
                current, future = following, next_future

    def _translate_overlapped(self, source: Iterable[tuple[list[_Piece], Any]], finish: Callable[[list[_Piece]], None]) -> None:
        """Generate batch n+1 on the device while a helper thread turns batch n's tokens into
        text: the device's work is queued before the CPU's, so that neither waits on the
        other. Batch n is guarded, cached and reported once its text is ready, in order."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="diptych-decode") as pool:
            pending = None
            for batch, encoded in source:
                chunks = self._generate(batch, self.settings, encoded, decode=False)
                future = pool.submit(lambda cs: [text for c in cs for text in self.backend.decode(c)], chunks)
                if pending is not None:
                    self._take(*pending)
                    finish(pending[0])
                pending = (batch, future)
            if pending is not None:
                self._take(*pending)
                finish(pending[0])

    def _take(self, batch: list[_Piece], future: Any) -> None:
        self._set_outputs(batch, future.result())

    def _set_outputs(self, batch: list[_Piece], outputs: list[str]) -> None:
        for p, out in zip(batch, outputs, strict=True):
            p.output = out
            p.flags = guard_flags(p.text, out) if self.guard else []

    def _generate(self, pieces: list[_Piece], settings: DecodingSettings, encoded: Any = None, decode: bool = True,
                  nbest: int = 0) -> list[Any]:
        """Outputs for ``pieces``; a batch that runs out of memory is halved and retried.
        With ``decode=False``, the backend's raw outputs instead, one per call that
        succeeded, in the order of ``pieces`` (for ``backend.decode``).

        The retry comes only after the failed call's state is gone: nothing is retried
        inside an ``except`` block (its exception and traceback keep the failed call's
        frames, and with them its tensors, alive), then cycles are collected and the
        backend gives its cached memory back. The token budget shrinks to what was tried
        last, so the batches that follow are not sent to fail again."""
        outputs: list[Any] = [None] * len(pieces)
        raw: list[tuple[int, Any]] = []
        call = self.backend.generate if decode else self.backend.generate_raw
        if nbest:
            call = functools.partial(self._nbest_call, n=nbest)
        todo = [(0, len(pieces))]
        while todo:
            start, end = todo.pop()
            chunk = pieces[start:end]
            out_of_memory = False
            self.model_calls += 1
            try:
                if encoded is not None and (start, end) == (0, len(pieces)):
                    result = call([p.text for p in chunk], settings, encoded=encoded)
                else:
                    result = call([p.text for p in chunk], settings)
                if decode:
                    outputs[start:end] = result
                else:
                    raw.append((start, result))
                del result
            except BatchTooLarge:
                out_of_memory = True  # handled below, once the exception is gone
            if not out_of_memory:
                continue
            encoded = None  # the whole batch's tensors: let them go with the failed call
            self._release_memory()
            longest = max(p.tokens for p in chunk)
            if len(chunk) == 1:
                raise SentenceTooLarge(chunk[0].text, chunk[0].tokens)
            half = len(chunk) // 2
            # what this chunk took, padded, did not fit: the budget of later batches stays below it
            self.batch_tokens = max(longest, min(self.batch_tokens, longest * half))
            self.out_of_memory += 1
            todo += [(start + half, end), (start, start + half)]  # the first half next
        return outputs if decode else [r for _, r in sorted(raw, key=lambda r: r[0])]

    def _nbest_call(self, texts: list[str], settings: DecodingSettings, n: int) -> list[list[tuple[str, float]]]:
        """Each input's ``n`` best hypotheses with their scores (one, for a backend that gives no more)."""
        nbest = getattr(self.backend, "generate_nbest", None)
        if nbest is None:
            return [[(out, 0.0)] for out in self.backend.generate(texts, settings)]
        return nbest(texts, replace(settings, beam_size=max(settings.beam_size, n)), n)

    def _run_nbest(self, batch: list[_Piece], n: int) -> None:
        hypotheses = self._generate(batch, self.settings, nbest=n)
        self._set_outputs(batch, [self.steering.choose(h, p.terms) for p, h in zip(batch, hypotheses, strict=True)])

    def _release_memory(self) -> None:
        import gc

        gc.collect()
        release = getattr(self.backend, "release_memory", None)
        if release is not None:
            release()

    def _run(self, batch: list[_Piece], settings: DecodingSettings, encoded: Any = None) -> None:
        self._set_outputs(batch, self._generate(batch, settings, encoded))

    def _retry(self, suspect: list[_Piece]) -> None:
        """Suspect outputs again with safer decoding; a sentence with glossary terms chooses
        among the safer n best too, and never trades a term it holds for fewer flags."""
        plain = [p for p in suspect if not p.terms]
        steered = [p for p in suspect if p.terms]
        outputs = dict(zip(map(id, plain), self._generate(plain, self.settings.safer()) if plain else []))
        if steered:
            hyps = self._generate(steered, self.settings.safer(), nbest=self.steering.candidates)
            outputs.update((id(p), self.steering.choose(h, p.terms)) for p, h in zip(steered, hyps, strict=True))
        for p in suspect:
            out = outputs[id(p)]
            flags = guard_flags(p.text, out)
            p.retried = True
            held = lambda text: sum(t.held_by(text) for t in p.terms)  # noqa: E731
            if len(flags) < len(p.flags) and held(out) >= held(p.output or ""):
                p.output, p.flags = out, flags

    def _assemble(self, parts: list[_Piece], prepared: Any = None) -> TranslationResult:
        parts = sorted(parts, key=lambda p: p.index)
        flags = sorted({f for p in parts for f in p.flags}, key=GUARD_FLAGS.index)
        meta: dict[str, Any] = {}
        if len(parts) > 1:
            meta["pieces"] = len(parts)
        if any(p.retried for p in parts):
            meta["retried"] = "safer decoding"
        translation = " ".join((p.output or "").strip() for p in parts)
        if prepared is not None and self.steering is not None:
            translation, more, steered = self.steering.finish(translation, prepared)
            flags += more
            meta.update(steered)
        return TranslationResult(translation, flags, meta)
