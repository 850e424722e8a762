"""Word documents built for the tests and the bench, with python-docx, and with the parts it
cannot write (footnotes, endnotes, tracked changes) added as WordprocessingML.

A document is a list of blocks::

    ("heading", "Title text", 1)          # Heading 1 (0: Title)
    ("p", ["plain ", ("b", "bold"), " and ", ("i", "italic"), ("note", "A footnote."), "."])
    ("p", ["kept ", ("ins", "inserted "), ("del", "deleted "), "text", ("comment", "A remark.")])
    ("list", "An item.")  ("number", "A numbered item.")  ("quote", "A quotation.")  ("caption", "Fig. 1.")
    ("table", [["cell", "cell"], ["cell", "cell"]])
    ("endnote-p", [...])                  # a paragraph whose ("note", ...) are endnotes
"""

from __future__ import annotations

import io
import re
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NOTES_PART = {
    "footnotes": ("footnote", "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"),
    "endnotes": ("endnote", "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"),
}
STYLES = {"list": "List Bullet", "number": "List Number", "quote": "Quote", "caption": "Caption"}

# a document with one of each: title, headings, bold and italic, a footnote, tracked
# changes and a comment, lists, a quotation, a caption, a table with a note, an endnote
SAMPLE = [
    ("heading", "Le rapport annuel", 0),
    ("heading", "Première partie", 1),
    ("p", ["Alice était assise ", ("b", "auprès de sa sœur"), " ", ("i", "sur le gazon"), ("note", "Une note de bas de page."),
           ". Elle s'ennuyait."]),
    ("heading", "Détails", 2),
    ("p", ["Le texte ", ("ins", "inséré "), ("del", "supprimé "), "reste.", ("comment", "Un commentaire secret.")]),
    ("list", "Un premier élément."),
    ("number", "Un élément numéroté."),
    ("quote", "Une citation célèbre."),
    ("caption", "Figure 1. Une légende."),
    ("table", [["Cellule un.", "Cellule deux."], ["Trois.", ["La ", ("b", "quatrième"), " cellule", ("note", "Note de tableau.\n\nSuite de la note.")]]]),
    ("endnote-p", ["Une phrase avec une note de fin", ("note", "La note de fin."), "."]),
]


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run_xml(text: str, bold: bool = False, italic: bool = False) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r>'


class _Builder:
    def __init__(self, language: str | None) -> None:
        import docx

        self.doc = docx.Document()
        if language:
            self.doc.core_properties.language = language
        self.notes: dict[str, list[str]] = {"footnotes": [], "endnotes": []}
        self.changes = 0

    def paragraph(self, runs, style: str | None = None, existing=None, part: str = "footnotes"):
        from docx.oxml import parse_xml

        p = existing if existing is not None else self.doc.add_paragraph(style=style)
        for run in [runs] if isinstance(runs, str) else runs:
            if isinstance(run, str):
                p.add_run(run)
                continue
            kind, text = run
            if kind in ("b", "i", "bi"):
                r = p.add_run(text)
                r.bold, r.italic = "b" in kind or None, "i" in kind or None
            elif kind == "note":
                self.notes[part].append(text)
                n = len(self.notes[part]) + 1  # ids 0 and 1 are the separators
                tag, _ = NOTES_PART[part]
                ref = "FootnoteReference" if part == "footnotes" else "EndnoteReference"
                p._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="{ref}"/>'
                                      f'<w:vertAlign w:val="superscript"/></w:rPr><w:{tag}Reference w:id="{n}"/></w:r>'))
            elif kind in ("ins", "del"):
                self.changes += 1
                inner = _run_xml(text).replace("<w:t ", "<w:delText ").replace("</w:t>", "</w:delText>") if kind == "del" else _run_xml(text)
                p._p.append(parse_xml(f'<w:{kind} xmlns:w="{W_NS}" w:id="{900 + self.changes}" w:author="Reviewer" '
                                      f'w:date="2026-01-01T00:00:00Z">{inner}</w:{kind}>'))
            elif kind == "comment":
                self.doc.add_comment(p.runs[-1] if p.runs else p.add_run(""), text=text, author="Reviewer")
            else:
                raise ValueError(kind)
        return p

    def add(self, block) -> None:
        kind = block[0]
        if kind == "heading":
            _, text, level = block
            self.paragraph(text, style="Title" if level == 0 else f"Heading {level}")
        elif kind in ("p", "endnote-p"):
            self.paragraph(block[1], part="endnotes" if kind == "endnote-p" else "footnotes")
        elif kind in STYLES:
            self.paragraph(block[1], style=STYLES[kind])
        elif kind == "table":
            rows = block[1]
            table = self.doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    cell = table.cell(r, c)
                    cell.paragraphs[0].add_run(text) if isinstance(text, str) else self.paragraph(text, existing=cell.paragraphs[0])
        else:
            raise ValueError(kind)

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        data = buf.getvalue()
        for part, texts in self.notes.items():
            if texts:
                data = add_notes(data, part, texts)
        return data


def build_docx(blocks, language: str | None = "fr-FR") -> bytes:
    builder = _Builder(language)
    for block in blocks:
        builder.add(block)
    return builder.bytes()


def add_notes(data: bytes, part: str, texts: list[str]) -> bytes:
    """``data`` with a footnotes (or endnotes) part holding ``texts`` as notes 2, 3, ...
    after Word's two separator notes, as Word writes them."""
    tag, content_type = NOTES_PART[part]
    ref = "footnoteRef" if part == "footnotes" else "endnoteRef"
    style = "FootnoteReference" if part == "footnotes" else "EndnoteReference"
    notes = [f'<w:{tag} w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>',
             f'<w:{tag} w:type="continuationSeparator" w:id="1"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>']
    for n, text in enumerate(texts, 2):
        paras = text.split("\n\n")
        first = (f'<w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr>'
                 f'<w:{ref}/></w:r>{_run_xml(" " + paras[0])}</w:p>')
        notes.append(f'<w:{tag} w:id="{n}">{first}{"".join(f"<w:p>{_run_xml(t)}</w:p>" for t in paras[1:])}</w:{tag}>')
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{part} xmlns:w="{W_NS}">{"".join(notes)}</w:{part}>'
    return rewrite(data, {f"word/{part}.xml": xml.encode()}, content_type=(f"/word/{part}.xml", content_type),
                   rel=(f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{part}", f"{part}.xml"))


def rewrite(data: bytes, parts: dict[str, bytes], content_type=None, rel=None) -> bytes:
    """A copy of the package ``data`` with ``parts`` added or replaced (and a content type
    override and a relationship of the main document added)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in parts:
                continue
            body = src.read(info.filename)
            if content_type and info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", f'<Override PartName="{content_type[0]}" ContentType="{content_type[1]}"/></Types>'.encode())
            if rel and info.filename == "word/_rels/document.xml.rels":
                ids = [int(i) for i in re.findall(rb'Id="rId(\d+)"', body)]
                body = body.replace(b"</Relationships>", f'<Relationship Id="rId{max(ids, default=0) + 1}" Type="{rel[0]}" '
                                    f'Target="{rel[1]}"/></Relationships>'.encode())
            dst.writestr(info, body)
        for name, body in parts.items():
            dst.writestr(name, body)
    return out.getvalue()


def paragraphs(sentences: list[str], size: int = 3) -> list[str]:
    """Sentences in paragraphs of ``size``; a unit that ends in no full stop (a heading, a
    date, an address) a paragraph of its own, as it stood in its text."""
    out: list[list[str]] = [[]]
    for s in sentences:
        alone = s.rstrip()[-1:] not in ".!?…»”\")"
        if alone or len(out[-1]) == size:
            out.append([])
        out[-1].append(s)
        if alone:
            out.append([])
    return [" ".join(p) for p in out if p]
