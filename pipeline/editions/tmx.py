"""``<doc>.tmx``: TMX 1.4b translation memory, for CAT tools (valid against the TMX 1.4b DTD).

One ``<tu>`` per translated segment with its id, block kind and flags as ``<prop>``s; the
edition's signature is a ``<prop type="x-diptych-signature">`` of the ``<header>``.
"""

from __future__ import annotations

import datetime as _dt
import re
import xml.etree.ElementTree as ET

from ..bilingual import english_of
from ..doc import Document
from ..version import __version__
from .common import TOOL, cat_language, demo_notice, signature_line, target_lang

# XML 1.0 cannot carry these control characters at all; U+FFFD marks where one was.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def xml_text(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def render_tmx(doc: Document) -> str:
    srclang, tgtlang = cat_language(doc, doc.lang, "source"), cat_language(doc, target_lang(doc), "translation")
    tmx = ET.Element("tmx", version="1.4")
    header = ET.SubElement(
        tmx,
        "header",
        {
            "creationtool": TOOL,
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "diptych-jsonl",
            "adminlang": "en",
            "srclang": srclang,
            "datatype": "plaintext",
            "creationdate": _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
        },
    )
    if demo_notice(doc):  # the header's first child: what a CAT tool shows of the memory
        ET.SubElement(header, "note").text = demo_notice(doc)
    ET.SubElement(header, "prop", type="x-diptych-signature").text = signature_line(doc)
    body = ET.SubElement(tmx, "body")
    for block in doc.content_blocks():
        for seg in block.segments:
            if seg.translation is None:
                continue
            lang = cat_language(doc, seg.lang, "source")
            tu = ET.SubElement(body, "tu", tuid=seg.id, srclang=lang)
            for prop_type, value in (("x-segment-id", seg.id), ("x-block-kind", block.kind), ("x-flags", ",".join(seg.flags))):
                if value:
                    ET.SubElement(tu, "prop", type=prop_type).text = value
            for tuv_lang, text in ((lang, seg.text), (tgtlang, english_of(seg) or "")):
                tuv = ET.SubElement(tu, "tuv", {_XML_LANG: tuv_lang})
                ET.SubElement(tuv, "seg").text = xml_text(text)
    ET.indent(tmx, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + ET.tostring(tmx, encoding="unicode") + "\n"
