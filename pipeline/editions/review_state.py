"""A segment's review state as editions and exports show it (XLIFF's states and notes,
the review page's view): read from ``segment.meta["review"]``, which
:mod:`pipeline.review.edits` writes."""

from __future__ import annotations

from typing import Any

from ..bilingual import english_of
from ..doc import Document, Segment


def review_of(seg: Segment) -> dict[str, Any]:
    """The segment's review state (not stored until something changes)."""
    review = seg.meta.get("review")
    if review is None:
        status = "translated" if english_of(seg) is not None else "initial"
        return {"status": status, "comments": [], "history": [], "version": 0}
    return review


def is_aligned(doc: Document) -> bool:
    """A text aligned with an existing translation (whose beads a reviewer may change)."""
    return "pairs" in doc.meta.get("alignment", {})


def segment_view(doc: Document, seg: Segment) -> dict[str, Any]:
    review = review_of(seg)
    bead = seg.meta.get("bead") or {}
    return {
        "id": seg.id,
        "block": seg.block,
        "lang": seg.lang,
        "text": seg.text,
        "translation": english_of(seg),
        "status": review["status"],
        "flags": list(seg.flags),
        "comments": list(review["comments"]),
        "version": review["version"],
        "edited": bool(seg.meta.get("edited")),
        "history": list(review["history"]),
        "bead": bead.get("index") if is_aligned(doc) else None,
        "confidence": bead.get("confidence"),
        # the glossary's terms in this sentence, each held by the English or not
        "glossary": list(seg.meta.get("glossary") or []),
    }
