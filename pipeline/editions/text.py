"""``<doc>.en.txt``: the English version as plain text, one paragraph per block, junk left
out, English kept verbatim; a last line after a ``-- `` separator gives the signature."""

from __future__ import annotations

from ..doc import Document
from .common import english_block, signature_line


def render_english_text(doc: Document) -> str:
    body = "\n\n".join(english_block(b) for b in doc.content_blocks()) + "\n"
    return body + f"\n-- \ndiptych-signature: {signature_line(doc)}\n"
