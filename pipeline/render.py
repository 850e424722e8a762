"""Stage 7: the document record -> the editions people open.

* ``<doc>.tsv``    one row per segment, for spreadsheets
* ``<doc>.tmx``    TMX 1.4b translation memory, for CAT tools
* ``<doc>.md``     side-by-side Markdown, paragraph by paragraph
* ``<doc>.en.md`` / ``<doc>.en.txt``   the English version (``<doc>.<lang>.*`` for a
  document aligned with an existing translation into another language)
* ``<doc>.html``   the review page (self-contained, works from file://)

Every renderer reads only the record, so ``diptych render`` can redo them at any time.
"""

from __future__ import annotations

import datetime as _dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable, Iterator

from .doc import Block, Document, Segment
from .bilingual import english_of

VERSION = "render/2"
TOOL = "Diptych"


def _tool_version() -> str:
    from . import __version__

    return __version__


# -- helpers ---------------------------------------------------------------------------------
def target_lang(doc: Document) -> str:
    """The language of the right-hand side: English, unless the document was aligned with
    an existing translation into another language (``diptych align`` works for any pair)."""
    return (doc.meta.get("translation") or {}).get("target_lang") or "en"


def _suffix_for(doc: Document, suffix: str) -> str:
    """``.en.txt`` names the target version by its language: ``.fr.txt`` for a French one."""
    return suffix.replace(".en.", f".{target_lang(doc)}.", 1) if suffix.startswith(".en.") else suffix


def english_block(block: Block) -> str:
    """A block's English: translations joined, English kept verbatim, markup re-attached."""
    if not any(seg.translation is not None for seg in block.segments):
        return block.text
    return " ".join(e for e in (english_of(seg) for seg in block.segments) if e)


def _content_blocks(doc: Document) -> Iterator[Block]:
    return (b for b in doc.blocks if b.translatable)


def flagged_segments(doc: Document) -> list[Segment]:
    return [s for b in _content_blocks(doc) for s in b.segments if s.flags]


def counts(doc: Document) -> dict[str, int]:
    segs = [s for b in _content_blocks(doc) for s in b.segments]
    return {
        "blocks": sum(1 for _ in _content_blocks(doc)),
        "junk_blocks": sum(1 for b in doc.blocks if not b.translatable),
        "segments": len(segs),
        "translated": sum(1 for s in segs if s.translation is not None),
        "passed_through": sum(1 for s in segs if s.translation is None),
        "flagged": sum(1 for s in segs if s.flags),
    }


def provenance_summary(doc: Document) -> dict[str, str]:
    """The settings behind an edition, in words (shown on the review page and in headers)."""
    out = {"document": doc.id, "source": str(doc.source.get("path", "")), "encoding": str(doc.source.get("encoding", ""))}
    for stage in ("structure", "segment", "langid"):
        if stage in doc.provenance:
            out[stage] = str(doc.provenance[stage].get("version", ""))
    models = doc.provenance.get("translate", {}).get("models", {})
    for lang, sig in sorted(models.items()):
        decoding = sig.get("decoding", {})
        out[f"model {lang}"] = str(sig.get("model", ""))
        out[f"backend {lang}"] = f"{sig.get('backend', '')} on {sig.get('device', '')} ({sig.get('compute_type', '')})"
        out[f"decoding {lang}"] = ", ".join(f"{k}={v}" for k, v in decoding.items())
    if not models:
        out["translation"] = str(doc.meta.get("translation", {}).get("reason", "not translated"))
    out["rendered"] = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return out


# -- TSV -------------------------------------------------------------------------------------------
def _tsv_cell(text: str | None) -> str:
    """Escape so that every row is one line with a fixed number of cells."""
    if text is None:
        return ""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def render_tsv(doc: Document) -> str:
    rows = ["\t".join(("id", "kind", "lang", "source", "english", "flags"))]
    for block in doc.blocks:
        for seg in block.segments:
            english = english_of(seg) if block.translatable else None
            rows.append("\t".join((seg.id, block.kind, seg.lang, _tsv_cell(seg.text), _tsv_cell(english), ",".join(seg.flags))))
    return "\n".join(rows) + "\n"


def import_tsv_translations(doc: Document, path: str | Path) -> int:
    """Take the english column of an edited TSV edition back into the record, by segment id."""
    from .errors import DiptychError

    by_id = {seg.id: seg for seg in doc.segments}
    changed = 0
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t")[:5] != ["id", "kind", "lang", "source", "english"]:
        raise DiptychError(f"{path}: not a Diptych TSV edition (header id, kind, lang, source, english, flags)")
    for n, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if len(cells) < 5:
            raise DiptychError(f"{path}: line {n} has {len(cells)} cells, expected 6")
        seg = by_id.get(cells[0])
        if seg is None:
            raise DiptychError(f"{path}: line {n}: segment {cells[0]!r} is not in the record")
        english = _tsv_unescape(cells[4])
        if seg.translation is None and english == seg.text:
            continue  # passed-through text, unchanged
        if english != english_of(seg):
            # the translator's English is final: markup and footnote markers as they wrote them
            seg.translation = english
            seg.meta["edited"] = True
            changed += 1
    doc.provenance["import"] = {"tsv": str(path), "changed": changed}
    return changed


def _tsv_unescape(cell: str) -> str:
    return re.sub(r"\\([\\tnr])", lambda m: {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}[m.group(1)], cell)


# -- TMX --------------------------------------------------------------------------------------------
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _xml_text(text: str) -> str:
    # XML 1.0 cannot carry these control characters at all; U+FFFD marks where one was.
    return _XML_ILLEGAL.sub("\ufffd", text)


def render_tmx(doc: Document) -> str:
    """TMX 1.4b: one <tu> per translated segment, with id, block kind and flags as <prop>s."""
    srclang = doc.lang if doc.lang not in ("und", "zxx") else "fr"
    tmx = ET.Element("tmx", version="1.4")
    ET.SubElement(
        tmx,
        "header",
        {
            "creationtool": TOOL,
            "creationtoolversion": _tool_version(),
            "segtype": "sentence",
            "o-tmf": "diptych-jsonl",
            "adminlang": "en",
            "srclang": srclang,
            "datatype": "plaintext",
            "creationdate": _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
        },
    )
    body = ET.SubElement(tmx, "body")
    for block in _content_blocks(doc):
        for seg in block.segments:
            if seg.translation is None:
                continue
            tu = ET.SubElement(body, "tu", tuid=seg.id, srclang=seg.lang)
            for prop_type, value in (("x-segment-id", seg.id), ("x-block-kind", block.kind), ("x-flags", ",".join(seg.flags))):
                if value:
                    ET.SubElement(tu, "prop", type=prop_type).text = value
            for lang, text in ((seg.lang, seg.text), (target_lang(doc), english_of(seg) or "")):
                tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
                ET.SubElement(tuv, "seg").text = _xml_text(text)
    ET.indent(tmx, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + ET.tostring(tmx, encoding="unicode") + "\n"


# -- Markdown --------------------------------------------------------------------------------------
def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", "<br>")


def _strip_heading_marks(text: str) -> str:
    return re.sub(r"^#{1,6}\s+", "", text).strip("* ")


def render_markdown(doc: Document) -> str:
    """Side by side: a two-column table per section, headings as headings."""
    tgt = target_lang(doc)
    lines = [f"# {doc.id}", "", f"*{doc.lang} → {tgt} · Diptych {_tool_version()}*", ""]
    table_open = False
    for block in _content_blocks(doc):
        english = english_block(block)
        if block.kind == "heading":
            table_open = False
            lines += ["", f"## {_strip_heading_marks(english)}", "", f"*{_md_cell(_strip_heading_marks(block.text))}*", ""]
            continue
        if not table_open:
            lines += [f"| {doc.lang} | {tgt} |", "| --- | --- |"]
            table_open = True
        flags = sorted({f for s in block.segments for f in s.flags})
        mark = f" ⚑ *{', '.join(flags)}*" if flags else ""
        lines.append(f"| {_md_cell(block.text)} | {_md_cell(english)}{mark} |")
    return "\n".join(lines) + "\n"


def render_english_markdown(doc: Document) -> str:
    out = []
    for block in _content_blocks(doc):
        english = english_block(block)
        if block.kind == "heading":
            out.append("## " + _strip_heading_marks(english))
        elif block.kind == "list_item":
            out.append(re.sub(r"^[•·▪◦‣●*+-]\s*", "- ", english))
        else:
            out.append(english)
    return "\n\n".join(out) + "\n"


def render_english_text(doc: Document) -> str:
    """The English version: one paragraph per block, junk left out, English kept verbatim."""
    return "\n\n".join(english_block(b) for b in _content_blocks(doc)) + "\n"


# -- HTML review page ---------------------------------------------------------------------------
def _jinja_env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("pipeline", "templates"), autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def render_html(doc: Document) -> str:
    rows = []
    for block in _content_blocks(doc):
        segs = [
            {"id": s.id, "source": s.text, "english": english_of(s) or "", "flags": s.flags, "lang": s.lang,
             "passthrough": s.translation is None}
            for s in block.segments
        ]
        rows.append({"id": block.id, "kind": block.kind, "lang": block.lang, "segments": segs, "flagged": any(s["flags"] for s in segs)})
    return _jinja_env().get_template("review.html.j2").render(
        doc=doc, rows=rows, counts=counts(doc), provenance=provenance_summary(doc), version=_tool_version(), worst=worst_first(doc),
        target_lang=target_lang(doc)
    )


def worst_first(doc: Document, limit: int = 20) -> dict:
    """Segments to look at first: by sentence chrF against a reference, else by number of flags."""
    segs = [s for b in _content_blocks(doc) for s in b.segments]
    scored = [s for s in segs if "chrf" in s.meta.get("scores", {})]
    if scored:
        ranked = sorted(scored, key=lambda s: s.meta["scores"]["chrf"])[:limit]
        return {"by": "sentence chrF against the reference", "items": [{"id": s.id, "label": f"chrF {s.meta['scores']['chrf']:.1f}", "text": english_of(s) or ""} for s in ranked]}
    ranked = sorted((s for s in segs if s.flags), key=lambda s: -len(s.flags))[:limit]
    return {"by": "number of flags", "items": [{"id": s.id, "label": ", ".join(s.flags), "text": english_of(s) or ""} for s in ranked]}


def render_index(root: str | Path) -> Path:
    """outputs/index.html: every document under ``root`` with languages, counts and flags."""
    root = Path(root)
    entries = []
    for record in sorted(root.glob("*/*.jsonl")):
        try:
            doc = Document.load(record)
        except Exception:  # noqa: BLE001 - a broken record is listed as such, not fatal
            entries.append({"id": record.parent.name, "broken": True})
            continue
        langs: dict[str, int] = {}
        for s in (s for b in _content_blocks(doc) for s in b.segments):
            langs[s.lang] = langs.get(s.lang, 0) + 1
        flags: dict[str, int] = {}
        for s in flagged_segments(doc):
            for f in s.flags:
                flags[f] = flags.get(f, 0) + 1
        files = {name: f"{record.parent.name}/{doc.id}{suffix}" for name, suffix in (("review", ".html"), ("tsv", ".tsv"), ("tmx", ".tmx"), ("md", ".md"), (target_lang(doc), _suffix_for(doc, ".en.txt")))
                 if (record.parent / f"{doc.id}{suffix}").exists()}
        entries.append({"id": doc.id, "lang": doc.lang, "langs": langs, "counts": counts(doc), "flags": flags, "files": files, "broken": False})
    path = root / "index.html"
    html = _jinja_env().get_template("index.html.j2").render(entries=entries, version=_tool_version())
    _write(path, html)
    return path


# -- writing ---------------------------------------------------------------------------------------
FORMATS: dict[str, list[tuple[str, Callable[[Document], str]]]] = {
    "tsv": [(".tsv", render_tsv)],
    "tmx": [(".tmx", render_tmx)],
    "md": [(".md", render_markdown)],
    "en": [(".en.txt", render_english_text), (".en.md", render_english_markdown)],
    "html": [(".html", render_html)],
}


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)


def render(doc: Document, out_dir: str | Path, formats: list[str] | None = None) -> list[Path]:
    """Write the record and the chosen editions into ``out_dir``; return the paths.

    Everything is rendered in memory first, so a failure leaves earlier files untouched."""
    out = Path(out_dir)
    doc.provenance["render"] = {"version": VERSION}
    doc.seal()
    rendered = [(out / f"{doc.id}{_suffix_for(doc, suffix)}", fn(doc)) for name in (formats or list(FORMATS)) for suffix, fn in FORMATS[name]]
    out.mkdir(parents=True, exist_ok=True)
    written = [doc.save(out / f"{doc.id}.jsonl")]
    for path, text in rendered:
        _write(path, text)
        written.append(path)
    return written
