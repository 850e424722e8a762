"""Stage 5: source segments -> English.

The stage decides which segments of a document (or of many: :func:`translate_documents`)
are sent — fr/ru, not junk, not in an English original — hands their text to one
:class:`~pipeline.translation.engine.TranslationEngine` per language, and records results
and provenance. The engine and its backends are :mod:`pipeline.translation.engine` and
:mod:`pipeline.translation.runtimes`.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

from ..bilingual import TRANSLATED_LANGUAGES, translation_input
from ..doc import Document, Segment
from ..quality import GUARD_FLAGS
from ..segment_hooks import hook_settings
from .steering import STEERING_FLAGS
from .engine import (  # noqa: F401 - the engine's names, as the stage's callers know them
    Backend,
    BatchTooLarge,
    DecodingSettings,
    SentenceTooLarge,
    TranslationEngine,
    TranslationResult,
    engine_signature,
    guard_flags,
    signature_key,
    split_for_model,
)

VERSION = "translate/2"


# -- the stage ------------------------------------------------------------------------------
def needs_translation(doc: Document) -> bool:
    """English originals are never sent to a model, whatever they quote."""
    return doc.lang in TRANSLATED_LANGUAGES


def pending_segments(doc: Document) -> list[Segment]:
    if not needs_translation(doc):
        return []
    return [seg for seg in doc.content_segments()
            if seg.lang in TRANSLATED_LANGUAGES and seg.translation is None and not seg.meta.get("verbatim")]


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
        self.steering: dict[str, Any] = {}  # the glossary and protected spans, where any
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
                seg.flags = [f for f in seg.flags if f not in GUARD_FLAGS and f not in STEERING_FLAGS] + res.flags
                for key in ("glossary", "term_missing", "protected", "placeholder_lost"):
                    seg.meta.pop(key, None)
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
            if "translate" in doc.provenance and self.steering:
                doc.provenance["translate"].update(self.steering)
            if "translate" in doc.provenance and (hooks := hook_settings()):
                doc.provenance["translate"]["hooks"] = hooks  # what the per-segment hooks were set to
        self.done["documents"] += 1
        if self.on_document:
            self.on_document(doc)


def sentence_too_large(exc: "SentenceTooLarge", segment_ids: list[str]) -> Exception:
    """The one-line error for a sentence that does not fit in the device's memory alone."""
    from ..errors import UsageError

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
        if getattr(engine, "steering", None) is not None:
            corpus.steering = engine.steering.signature()
        try:
            engine.translate(corpus.texts(lang), on_results=lambda results, lang=lang: corpus.take(lang, results))
        except SentenceTooLarge as exc:
            raise sentence_too_large(exc, corpus.segment_ids(lang, exc.text)) from None
