"""A Word document translated in place: the original package, each translated paragraph's
text replaced by its English, everything else as it was.

A paragraph keeps its properties (style, numbering, alignment), its bookmarks (what a
table of contents and cross-references point at), its comments' anchors, its images,
its links where their text stands as it is in the English (an address, a name), and its
note references (each put where its marker stands in the English, else at the
paragraph's end). Its text runs give way to runs of the English: the formatting of its
first text run (font, size, colour) without bold and italic, which the reader's spans put
back by :mod:`.docx_runs`' rule (a sentence still awaiting its translation stays in its
language rather than leave a hole); tracked changes were accepted when it was read, so its
English is the accepted text's, with no revision marks. Footnotes and endnotes are
translated so too, each keeping its number mark. Every part the writer does not change
(styles, numbering, images, headers and footers) is copied byte for byte; the text's
language (runs, the document's default, its core properties) becomes the English's.
"""

from __future__ import annotations

import copy
import io
import zipfile

from ..doc import Document
from ..errors import InputError
from ..readers.wordml import DRAWN, ENDNOTE_REF, FOOTNOTE_REF, P, R, T, TEXT_BOX, VAL, W, notes, package_parts, paragraphs, references
from .common import demo_notice, signature_line, target_lang
from .docx_runs import Run, english_runs, translated

NOTE_PARTS = ("footnotes", "endnotes")
XML_NS = "http://www.w3.org/XML/1998/namespace"
DC = "{http://purl.org/dc/elements/1.1/}"
# the children of a run's properties, in the order the schema wants them
RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
             "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
             "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
             "em", "lang", "eastAsianLayout", "specVanish", "oMath"]
# a run's properties that are the source's formatting of a stretch, not of the paragraph
_STRETCH_PROPS = {W + t for t in ("rStyle", "b", "bCs", "i", "iCs", "vertAlign")}


def translate_in_place(doc: Document, original: bytes) -> bytes:
    from ..readers.xml import parse_xml

    origin = str(doc.source.get("path", doc.id))
    try:
        src = zipfile.ZipFile(io.BytesIO(original))
        found_parts = package_parts(src, origin)
        main = found_parts["main"]
        note_names = {part: found_parts[part] for part in NOTE_PARTS if part in found_parts}
        parts = {name: src.read(name) for name in [main, *note_names.values(), "docProps/core.xml", "word/styles.xml"]
                 if name in src.namelist()}
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError(f"{origin}: the original DOCX cannot be read again ({exc})") from None
    trees = {name: parse_xml(data, f"{origin}: {name}") for name, data in parts.items()}
    lang = target_lang(doc)
    body = trees[main].find(W + "body")
    by_number = {number: p for p, number, _ in paragraphs(body)}
    found = {part: notes(trees[name], part) if name in trees else {} for part, name in
             ((part, note_names.get(part, "")) for part in NOTE_PARTS)}
    numbers = {ref: n for n, ref in enumerate((r for r in references(body) if r[1] in found[r[0]]), 1)}
    touched = {"docProps/core.xml"}  # the signature, always
    for block in doc.blocks:
        location = block.meta.get("location") or {}
        if not translated(block) or block.kind == "junk":
            continue
        if "note" in location:
            note = found.get(location.get("part"), {}).get(location.get("id"))
            if note is not None:
                _write_note(note, english_runs(doc, block, keep_source=True), block, lang)
                touched.add(note_names[location["part"]])
        elif location.get("paragraph") in by_number:
            p = by_number[location["paragraph"]]
            refs = [(r, numbers.get(_ref_key(r))) for r in _own(p) if r.tag == R and _ref_key(r) is not None and not _deleted(r)]
            _write(p, english_runs(doc, block, {n for _, n in refs if n}, keep_source=True), refs, lang)
            touched.add(main)
    notice = demo_notice(doc)
    if notice:
        first = body.find(P)
        body.insert(body.index(first) if first is not None else 0, _paragraph(notice))
        touched.add(main)
    english = len(touched) > 1  # some text is English now: so is the document's language
    if english and "word/styles.xml" in trees:
        for default in trees["word/styles.xml"].iter(W + "rPrDefault"):
            for el in default.iter(W + "lang"):
                el.set(VAL, lang)
        touched.add("word/styles.xml")
    if "docProps/core.xml" in trees:
        _core_properties(trees["docProps/core.xml"], lang if english else None, signature_line(doc))
    from lxml import etree

    changed = {name: etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
               for name, tree in trees.items() if name in touched}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, changed.get(info.filename) or src.read(info.filename), compress_type=info.compress_type)
    return out.getvalue()


def _ref_key(run) -> tuple[str, str] | None:
    for child in run:
        if child.tag in (FOOTNOTE_REF, ENDNOTE_REF) and child.get(W + "customMarkFollows") not in ("1", "true", "on"):
            return ("footnotes" if child.tag == FOOTNOTE_REF else "endnotes", child.get(W + "id", ""))
    return None


def _deleted(el) -> bool:
    return any(a.tag in (W + "del", W + "moveFrom") for a in el.iterancestors())


def _own(p):
    """The elements of the paragraph ``p`` itself, not those of a text box drawn in it
    (a text box is no part of the paragraph's text, and stays inside its drawing)."""
    return (el for el in p.iter() if not any(a.tag == TEXT_BOX for a in el.iterancestors() if a is not p))


def _base_properties(p):
    """The properties of the paragraph's first text run, less those of a stretch."""
    first = next((r for r in _own(p) if r.tag == R and r.find(T) is not None), None)
    rpr = first.find(W + "rPr") if first is not None else None
    rpr = copy.deepcopy(rpr) if rpr is not None else p.makeelement(W + "rPr", {})
    for child in list(rpr):
        if child.tag in _STRETCH_PROPS:
            rpr.remove(child)
    return rpr


def _set_prop(rpr, name: str, attrs: dict[str, str]) -> None:
    """Set ``w:name`` in ``rpr`` at its place in the schema's order."""
    el = rpr.find(W + name)
    if el is None:
        el = rpr.makeelement(W + name, {})
        rank = RPR_ORDER.index(name)
        after = [i for i, c in enumerate(rpr) if c.tag.startswith(W) and c.tag[len(W):] in RPR_ORDER
                 and RPR_ORDER.index(c.tag[len(W):]) < rank]
        rpr.insert(after[-1] + 1 if after else 0, el)
    for key, value in attrs.items():
        el.set(W + key, value)


def _text_run(text: str, rpr, fmt: str | None, lang: str):
    props = copy.deepcopy(rpr)
    if fmt and "b" in fmt:
        _set_prop(props, "b", {})
    if fmt and "i" in fmt:
        _set_prop(props, "i", {})
    _set_prop(props, "lang", {"val": lang})
    run = props.makeelement(R, {})
    run.append(props)
    t = run.makeelement(T, {})
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(f"{{{XML_NS}}}space", "preserve")
    run.append(t)
    return run


def _kept(p) -> tuple[list, list]:
    """What of a paragraph stays whatever its text: (what goes first, what goes last)."""
    first, last = [], []
    for el in _own(p):
        tag = el.tag
        if tag in (W + "bookmarkStart", W + "commentRangeStart"):
            first.append(el)
        elif tag in (W + "bookmarkEnd", W + "commentRangeEnd"):
            last.append(el)
        elif tag == R and (el.find(W + "commentReference") is not None or any(c.tag in DRAWN for c in el)):
            if not _deleted(el):
                last.append(el)
    return first, last


def _write(p, runs: list[Run], refs: list, lang: str) -> None:
    rpr = _base_properties(p)
    first, last = _kept(p)
    links = [(link, "".join(t.text or "" for t in link.iter(T)).strip()) for link in _own(p)
             if link.tag == W + "hyperlink" and not _deleted(link)]
    for el in first + last + [r for r, _ in refs]:
        el.getparent().remove(el)
    for child in list(p):
        if child.tag != W + "pPr":
            p.remove(child)
    p.extend(first)
    by_note = {n: r for r, n in refs if n}
    for run in runs:
        if run.note is not None and run.note in by_note:
            p.append(by_note.pop(run.note))
        else:
            p.append(_text_run(run.text, rpr, run.fmt, lang))
    p.extend(r for r, n in refs if n is None or n in by_note)  # references whose marker the English lost
    p.extend(last)
    for link, text in links:
        _relink(p, link, text, lang)


def _relink(p, link, text: str, lang: str) -> None:
    """A link of the source kept where its text stands as it is in the English (an
    address, a name); a link whose words were translated is lost with them."""
    if len(text) < 2:
        return
    for run in [r for r in p if r.tag == R]:
        t = run.find(T)
        at = (t.text or "").find(text) if t is not None else -1
        if at < 0:
            continue
        before, after = t.text[:at], t.text[at + len(text):]
        shell = link.makeelement(link.tag, dict(link.attrib))
        inner = next((r for r in link.iter(R) if r.find(T) is not None), None)
        rpr = inner.find(W + "rPr") if inner is not None else None
        rpr = rpr if rpr is not None else run.find(W + "rPr")
        middle = _text_run(text, rpr if rpr is not None else run.makeelement(W + "rPr", {}), None, lang)
        shell.append(middle)
        index = p.index(run)
        pieces = []
        if before:
            pieces.append(_retext(run, before))
        pieces.append(shell)
        if after:
            pieces.append(_retext(run, after))
        p.remove(run)
        for k, piece in enumerate(pieces):
            p.insert(index + k, piece)
        return


def _retext(run, text: str):
    new = copy.deepcopy(run)
    t = new.find(T)
    t.text = text
    t.set(f"{{{XML_NS}}}space", "preserve")
    return new


def _write_note(note, runs: list[Run], block, lang: str) -> None:
    """A note's English in its first paragraph, after its number mark; its other
    paragraphs go (the reader made one block of them)."""
    label = (block.meta.get("footnote_label") or {}).get("text", "")
    if runs and label and runs[0].text.startswith(label):
        runs[0] = Run(runs[0].text[len(label):].lstrip(), runs[0].fmt)
    paras = [p for p in note if p.tag == P]
    if not paras:
        return
    mark = next((r for r in paras[0].iter(R) if r.find(W + "footnoteRef") is not None or r.find(W + "endnoteRef") is not None), None)
    rpr = _base_properties(paras[0])
    for extra in paras[1:]:
        note.remove(extra)
    p = paras[0]
    for child in list(p):
        if child.tag != W + "pPr":
            p.remove(child)
    if mark is not None:
        p.append(mark)
        runs = [Run(" ")] + runs
    for run in runs:
        if run.text:
            p.append(_text_run(run.text, rpr, run.fmt, lang))


def _paragraph(text: str):
    from lxml import etree

    p = etree.Element(P)
    p.append(_text_run(text, etree.Element(W + "rPr"), "b", "en"))
    return p


def _core_properties(root, lang: str | None, signature: str) -> None:
    for el in root.iter(DC + "language") if lang else ():
        el.text = lang
    description = root.find(DC + "description")
    if description is None:
        description = root.makeelement(DC + "description", {})
        root.append(description)
    description.text = signature
