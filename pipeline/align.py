"""Stage 6: pair each source sentence with its English counterpart.

For a translated document the pairing comes from translation itself: every segment is
translated on its own, so each bead is one segment and its translation (or, for text
already in English, the segment itself). The beads are recorded so that renderers and
scorers read one alignment whatever produced it.
"""

from __future__ import annotations

from .doc import Document
from .bilingual import english_of

VERSION = "align/1"


def align(doc: Document) -> Document:
    """Record one bead per non-junk segment that has an English side."""
    beads = []
    for block in doc.blocks:
        if not block.translatable:
            continue
        for seg in block.segments:
            english = english_of(seg)
            if english is None:
                seg.meta.pop("bead", None)
                continue
            method = "translation" if seg.translation is not None else "passthrough"
            seg.meta["bead"] = {"index": len(beads), "method": method, "confidence": 1.0}
            beads.append(seg.id)
    doc.provenance["align"] = {"version": VERSION, "method": "segment-translation", "beads": len(beads)}
    return doc
