"""Stage 6: pair each source sentence with its counterpart, and record the beads.

For a translated document the pairing comes from translation itself (:func:`align`):
every segment is translated on its own, so each bead is one segment and its translation
(or, for text already in English, the segment itself); no numpy is needed. For a text and
an existing translation, :func:`align_documents` runs the aligner and records each bead
on the source segments. Either way renderers and scorers read one alignment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..bilingual import english_of
from ..doc import Document

if TYPE_CHECKING:
    from .params import AlignParams

VERSION = "align/1"
# the flags this stage sets, cleared before it sets them again
ALIGNMENT_FLAGS = ("unaligned", "low_confidence", "target_only")


def align(doc: Document) -> Document:
    """Record one bead per content segment that has an English side."""
    beads = 0
    for seg in doc.content_segments():
        english = english_of(seg)
        if english is None:
            seg.meta.pop("bead", None)
            continue
        method = "translation" if seg.translation is not None else "passthrough"
        seg.meta["bead"] = {"index": beads, "method": method, "confidence": 1.0}
        beads += 1
    doc.provenance["align"] = {"version": VERSION, "method": "segment-translation"}
    doc.meta["alignment"] = {"beads": beads}
    return doc


def align_documents(
    source: Document,
    target_sentences: list[str],
    target_lang: str,
    source_mt: list[str] | None = None,
    params: "AlignParams | None" = None,
    *,
    target_mt: list[str] | None = None,
    target_paragraphs: list[int] | None = None,
) -> tuple[Document, list]:
    """Align ``source`` with the sentences of its translation; record each bead on the
    source (see :func:`apply_beads`). ``target_paragraphs``: the paragraph of each target
    sentence, where the translation is a document; with the source's own paragraphs, the
    aligner then prefers beads that end where both texts start a paragraph."""
    from .aligner import align_sentences
    from .confidence import UNRELATED_CONFIDENCE, texts_look_unrelated
    from .params import VERSION as ALIGNER_VERSION
    from .params import AlignParams

    params = (params or AlignParams()).used(bridged=source_mt is not None or target_mt is not None)
    segs = source.content_segments()
    source_paragraphs = paragraph_ids(source) if target_paragraphs is not None else None
    beads = align_sentences([s.text for s in segs], target_sentences, source_mt, params, target_mt,
                            src_paragraphs=source_paragraphs, tgt_paragraphs=target_paragraphs)
    source.meta["alignment"] = {}
    apply_beads(source, target_sentences, [{"src": list(b.src), "tgt": list(b.tgt), "confidence": b.confidence, "method": "aligner"} for b in beads],
                params.low_confidence)
    source.meta["translation"] = {"needed": True, "target_lang": target_lang, "source": "existing translation"}
    if texts_look_unrelated(beads, [s.text for s in segs], target_sentences, source_mt, target_mt):
        source.meta["alignment"]["warning"] = (
            "the two texts do not look like translations of each other (their best sentence pairs match no better "
            "than unrelated text); every bead's confidence is capped at "
            f"{UNRELATED_CONFIDENCE}")
    source.provenance["align"] = {
        "version": VERSION,
        "aligner": ALIGNER_VERSION,
        "method": "length + anchors" + "".join(f" + {name}" for name, mt in (("MT bridge", source_mt), ("target MT bridge", target_mt)) if mt is not None),
        "params": params.settings(),
        "paragraphs": target_paragraphs is not None,
    }
    return source, beads


def paragraph_ids(doc: Document) -> list[int]:
    """The block of each content segment (in :meth:`Document.content_segments` order):
    the paragraphs the front end found."""
    return [n for n, block in enumerate(doc.blocks) if block.translatable for _ in block.segments]


def apply_beads(source: Document, target_sentences: list[str], pairs: list[dict], low_confidence: float) -> Document:
    """Write ``pairs`` (beads: ``src`` and ``tgt`` sentence indices, ``confidence``,
    ``method``) onto the source segments, and keep them with the target sentences in
    ``meta.alignment`` so that a reviewer's change of beads (merge, split, move) can be
    applied again from the record alone.

    The target text of a bead goes in the ``translation`` of its first source segment (the
    others of the bead get an empty one), so editions render the pair as for a machine
    translation. Nothing is dropped: a target sentence with no source counterpart (0-1) is
    appended to the previous bead and flagged ``target_only``; a source sentence with no
    counterpart (1-0) gets an empty translation and the flag ``unaligned``. Every source
    segment lies in one bead, so every translation and alignment flag is rewritten."""
    segs = source.content_segments()
    for seg in segs:
        seg.translation = None
        seg.flags = [f for f in seg.flags if f not in ALIGNMENT_FLAGS]
    pending_target: list[str] = []
    last = None
    for index, bead in enumerate(pairs):
        target = " ".join(target_sentences[j] for j in bead["tgt"])
        if not bead["src"]:
            if last is not None:
                last.translation = (last.translation + " " if last.translation else "") + target
                if "target_only" not in last.flags:
                    last.flags.append("target_only")
            else:
                pending_target.append(target)
            continue
        for n, i in enumerate(bead["src"]):
            seg = segs[i]
            seg.translation = target if n == 0 else ""
            seg.meta["bead"] = {"index": index, "src": list(bead["src"]), "tgt": list(bead["tgt"]), "confidence": bead["confidence"],
                                "method": bead.get("method", "aligner")}
            if not bead["tgt"]:
                seg.flags.append("unaligned")
            elif bead["confidence"] < low_confidence and n == 0:
                seg.flags.append("low_confidence")
        last = segs[bead["src"][0]]
        if pending_target and bead["tgt"]:
            last.translation = " ".join(pending_target + [last.translation])
            last.flags.append("target_only")
            pending_target = []
    alignment = source.meta.setdefault("alignment", {})
    alignment.update(beads=len(pairs), target_sentences=len(target_sentences), target=list(target_sentences), pairs=pairs)
    return source


def recorded_beads(doc: Document) -> list | None:
    """The beads an aligned pair's record keeps (as a reviewer left them), or None for a
    record that is not an aligned pair."""
    from .beads import Bead

    pairs = doc.meta.get("alignment", {}).get("pairs")
    if pairs is None:
        return None
    return [Bead(tuple(p["src"]), tuple(p["tgt"]), p["confidence"]) for p in pairs]
