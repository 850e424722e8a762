"""``<doc>.md`` (side by side, paragraph by paragraph) and ``<doc>.en.md`` (the English version).

The side-by-side edition opens with YAML front matter holding the signature; the English
version ends with it, below a rule.
"""

from __future__ import annotations

import re

from ..doc import Document
from ..scripts import BULLETS
from ..version import __version__
from .common import demo_notice, english_block, is_original, signature_line, target_lang

BULLET = re.compile(rf"^[{BULLETS}*+-]\s*")
_HEADING_MARKS = re.compile(r"^#{1,6}\s+")


def md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", "<br>")


def strip_heading_marks(text: str) -> str:
    return _HEADING_MARKS.sub("", text).strip("* ")


def render_markdown(doc: Document) -> str:
    """Side by side: a two-column table per section, headings as headings."""
    tgt = target_lang(doc)
    notice = demo_notice(doc)
    # front matter must open the file (else it is no front matter): the notice is its first
    # key, and the first line of the text a reader sees
    front = ["---", *([f"diptych-warning: \"{notice}\""] if notice else []), f"diptych-signature: \"{signature_line(doc)}\"", "---",
             *([f"> **{notice}**", ""] if notice else [])]
    if is_original(doc):
        # nothing to set side by side: the text once, as Diptych read it
        lines = front + [f"# {doc.id}", "", f"*{doc.lang} original, no translation needed · Diptych {__version__}*", ""]
        for block in doc.content_blocks():
            text = strip_heading_marks(block.text) if block.kind == "heading" else block.text
            lines += [f"## {text}" if block.kind == "heading" else text, ""]
        return "\n".join(lines)
    lines = front + [f"# {doc.id}", "", f"*{doc.lang} → {tgt} · Diptych {__version__}*", ""]
    table_open = False
    for block in doc.content_blocks():
        english = english_block(block)
        if block.kind == "heading":
            table_open = False
            lines += ["", f"## {strip_heading_marks(english)}", "", f"*{md_cell(strip_heading_marks(block.text))}*", ""]
            continue
        if not table_open:
            lines += [f"| {doc.lang} | {tgt} |", "| --- | --- |"]
            table_open = True
        flags = sorted({f for s in block.segments for f in s.flags})
        mark = f" ⚑ *{', '.join(flags)}*" if flags else ""
        lines.append(f"| {md_cell(block.text)} | {md_cell(english)}{mark} |")
    return "\n".join(lines) + "\n"


def render_english_markdown(doc: Document) -> str:
    notice = demo_notice(doc)
    out = [f"> **{notice}**"] if notice else []
    for block in doc.content_blocks():
        english = english_block(block)
        if block.kind == "heading":
            out.append("## " + strip_heading_marks(english))
        elif block.kind == "list_item":
            out.append(BULLET.sub("- ", english))
        else:
            out.append(english)
    return "\n\n".join(out) + "\n" + f"\n---\n\n*diptych-signature: `{signature_line(doc)}`*\n"
