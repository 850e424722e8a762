"""Stage 5: source segments -> English, through a translation backend.

This module only decides *what* is translated and writes results into the document;
backends (``pipeline.backends``) do the computing and are the only code that imports
torch or transformers. A backend is any object with ``signature`` and
``translate_batch(list[str]) -> list[str]``: translation stays a pure function over a
batch of strings, with no global state.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable, Mapping, Protocol

from .doc import Document, Segment

VERSION = "translate/1"
TRANSLATED_LANGUAGES = ("fr", "ru")


@dataclass(frozen=True)
class DecodingSettings:
    """Decoding settings, the opus-mt defaults unless the user says otherwise."""

    beam_size: int = 4
    length_penalty: float = 1.0
    max_length: int = 512
    batch_size: int = 16

    def as_dict(self) -> dict:
        return asdict(self)


class Translator(Protocol):
    signature: dict

    def translate_batch(self, texts: list[str]) -> list[str]: ...


def needs_translation(doc: Document) -> bool:
    """English originals are never sent to a model, whatever they quote."""
    return doc.lang in TRANSLATED_LANGUAGES


def translation_input(seg: Segment) -> str:
    """The text a model sees: the segment without layout markup (heading hashes, bullets)."""
    prefix = seg.meta.get("markup_prefix", "")
    return seg.text[len(prefix):] if prefix and seg.text.startswith(prefix) else seg.text


def pending_segments(doc: Document) -> list[Segment]:
    if not needs_translation(doc):
        return []
    return [
        seg
        for block in doc.blocks
        if block.translatable
        for seg in block.segments
        if seg.lang in TRANSLATED_LANGUAGES and seg.translation is None
    ]


def languages_needed(docs: Iterable[Document]) -> set[str]:
    return {seg.lang for doc in docs for seg in pending_segments(doc)}


def translate(doc: Document, translators: Mapping[str, Translator]) -> Document:
    """Translate every pending fr/ru segment of ``doc`` with the translator for its language."""
    by_lang: dict[str, list[Segment]] = {}
    for seg in pending_segments(doc):
        by_lang.setdefault(seg.lang, []).append(seg)
    if not needs_translation(doc):
        doc.meta["translation"] = {"needed": False, "reason": f"written in {doc.lang}: no translation needed"}
        return doc
    used = {}
    for lang, segs in by_lang.items():
        translator = translators[lang]
        outputs = translator.translate_batch([translation_input(s) for s in segs])
        for seg, out in zip(segs, outputs, strict=True):
            seg.translation = out
            seg.meta["translated_by"] = translator.signature.get("model")
        used[lang] = translator.signature
    doc.meta["translation"] = {"needed": True}
    if used:
        doc.provenance["translate"] = {"version": VERSION, "models": used}
    return doc


def english_of(seg: Segment) -> str | None:
    """The English side of a segment: its translation, or itself when it needs none."""
    if seg.translation is not None:
        prefix = seg.meta.get("markup_prefix", "")
        return prefix + seg.translation
    if seg.lang in TRANSLATED_LANGUAGES:
        return None
    return seg.text
