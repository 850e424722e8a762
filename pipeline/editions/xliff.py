"""XLIFF exports of a reviewed document, for CAT tools: 2.0 (OASIS Standard, 2014) and 1.2
(the version most tools still read best). Both validate against their OASIS schemas
(``tests/data/xliff``).

One unit per content segment, its id in ``name`` (2.0) or ``resname`` (1.2), the review
status as the tool's own vocabulary says it, the reviewer's comments as notes, and the
edition's signature as a file-level note.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..doc import Document
from .common import cat_language, signature_line, target_lang
from .tmx import xml_text
from .review_state import review_of, segment_view

XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
GLOSSARY_NS = "urn:oasis:names:tc:xliff:glossary:2.0"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# XLIFF 1.2 has no "reviewed": its nearest state is "signed-off" (a reviewer accepted it),
# with approved="yes" (XLIFF 1.2, 2.3.1.4); "initial" is "new" and has no approval
STATE_12 = {"initial": "new", "translated": "translated", "reviewed": "signed-off", "final": "final"}


def _lang(code: str, fallback: str) -> str:
    """A segment's language, or its document's where the segment has none of its own."""
    return code if code not in ("und", "zxx", "") else fallback


def _languages(doc: Document) -> tuple[str, str]:
    return cat_language(doc, doc.lang, "source"), cat_language(doc, target_lang(doc), "translation")


def render_xliff2(doc: Document) -> str:
    src, tgt = _languages(doc)
    ET.register_namespace("", XLIFF2_NS)
    q = lambda tag: f"{{{XLIFF2_NS}}}{tag}"  # noqa: E731 - a local shorthand
    root = ET.Element(q("xliff"), {"version": "2.0", "srcLang": src, "trgLang": tgt})
    file = ET.SubElement(root, q("file"), {"id": "f1", "original": doc.id})
    notes = ET.SubElement(file, q("notes"))
    ET.SubElement(notes, q("note"), {"category": "x-diptych-signature"}).text = xml_text(signature_line(doc))
    for n, seg in enumerate(doc.content_segments(), 1):
        view = segment_view(doc, seg)
        unit = ET.SubElement(file, q("unit"), {"id": f"u{n}", "name": seg.id})
        _glossary2(unit, seg.meta.get("glossary"))
        if view["comments"] or view["flags"]:
            unit_notes = ET.SubElement(unit, q("notes"))
            for c in view["comments"]:
                ET.SubElement(unit_notes, q("note"), {"category": "comment"}).text = xml_text(f"{c['text']} ({c['time']})")
            if view["flags"]:
                ET.SubElement(unit_notes, q("note"), {"category": "x-diptych-flags"}).text = ", ".join(view["flags"])
        translation = view["translation"]
        # XLIFF 2.0 (4.2.2.4 of the standard): a segment without a target is "initial"
        state = view["status"] if translation is not None else "initial"
        segment = ET.SubElement(unit, q("segment"), {"id": f"s{n}", "state": state})
        ET.SubElement(segment, q("source")).text = xml_text(seg.text)
        if translation is not None:
            ET.SubElement(segment, q("target")).text = xml_text(translation)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _term_status(entry: dict) -> str:
    return f"{entry['source']} = {entry['english']}: {'held' if entry['held'] else 'missing'}"


def _glossary2(unit: ET.Element, entries: list[dict] | None) -> None:
    """The unit's glossary terms in XLIFF 2.0's glossary module (before the unit's notes,
    as its schema orders a module's elements); whether the English holds each is its
    definition's last words, which a CAT tool shows beside the term."""
    if not entries:
        return
    ET.register_namespace("gls", GLOSSARY_NS)
    g = lambda tag: f"{{{GLOSSARY_NS}}}{tag}"  # noqa: E731
    glossary = ET.SubElement(unit, g("glossary"))
    for entry in entries:
        item = ET.SubElement(glossary, g("glossEntry"))
        ET.SubElement(item, g("term"), {"source": "diptych-glossary"}).text = xml_text(entry["source"])
        ET.SubElement(item, g("translation"), {"source": "diptych-glossary"}).text = xml_text(entry["english"])
        status = "held in the translation" if entry["held"] else "missing from the translation"
        ET.SubElement(item, g("definition")).text = xml_text(f"{entry['note']}; {status}" if entry.get("note") else status)


def render_xliff12(doc: Document) -> str:
    src, tgt = _languages(doc)
    ET.register_namespace("", XLIFF12_NS)
    q = lambda tag: f"{{{XLIFF12_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("xliff"), {"version": "1.2"})
    file = ET.SubElement(root, q("file"), {"original": doc.id, "source-language": src, "target-language": tgt, "datatype": "plaintext",
                                            "tool-id": "diptych"})
    header = ET.SubElement(file, q("header"))
    ET.SubElement(header, q("tool"), {"tool-id": "diptych", "tool-name": "Diptych"})
    ET.SubElement(header, q("note"), {"from": "diptych", "annotates": "general"}).text = xml_text(signature_line(doc))
    body = ET.SubElement(file, q("body"))
    for n, seg in enumerate(doc.content_segments(), 1):
        view = segment_view(doc, seg)
        status = review_of(seg)["status"]
        attrs = {"id": f"u{n}", "resname": seg.id}
        if view["translation"] is not None and status in ("reviewed", "final"):
            attrs["approved"] = "yes"
        unit = ET.SubElement(body, q("trans-unit"), attrs)
        ET.SubElement(unit, q("source"), {_XML_LANG: _lang(seg.lang, src)}).text = xml_text(seg.text)
        if view["translation"] is not None:
            ET.SubElement(unit, q("target"), {_XML_LANG: tgt, "state": STATE_12[status]}).text = xml_text(view["translation"])
        for c in view["comments"]:
            ET.SubElement(unit, q("note"), {"from": "reviewer"}).text = xml_text(f"{c['text']} ({c['time']})")
        if view["flags"]:
            ET.SubElement(unit, q("note"), {"from": "diptych"}).text = "flags: " + ", ".join(view["flags"])
        for entry in seg.meta.get("glossary") or ():
            ET.SubElement(unit, q("note"), {"from": "diptych-glossary"}).text = xml_text(_term_status(entry))
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
