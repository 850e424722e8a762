"""``<doc>.en.txt``: the English version as plain text, one paragraph per block, junk left
out, English kept verbatim; a last line after a ``-- `` separator gives the signature."""

from __future__ import annotations

from ..doc import Document
from .common import demo_notice, english_block, signature_line


def render_english_text(doc: Document) -> str:
    notice = demo_notice(doc)
    body = (f"{notice}\n\n" if notice else "") + "\n\n".join(english_block(b) for b in doc.content_blocks()) + "\n"
    return body + f"\n-- \ndiptych-signature: {signature_line(doc)}\n"
