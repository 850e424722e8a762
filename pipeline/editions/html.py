"""``<doc>.html``, the review page (self-contained, works from file://), and
``outputs/index.html``, which lists every edition under a folder."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..bilingual import TRANSLATED_LANGUAGES, english_of
from ..doc import NO_LINGUISTIC_CONTENT, UNDETERMINED, Document, write_atomic
from ..version import __version__
from .common import counts, demo_notice, flag_counts, has_translations, is_original, languages, provenance_summary, signature_line, suffix_for, target_lang

# how many segments the review page's "worst first" list shows
WORST_FIRST = 20
# The index's words for the two codes a reader of it does not know: ISO 639's for
# sentences with no words (numbers, addresses, symbols) and for a language not found.
LANGUAGE_LABELS = {NO_LINGUISTIC_CONTENT: "no language", UNDETERMINED: "language unknown"}


@lru_cache(maxsize=1)
def _jinja_env():
    """One environment per process: it compiles each template once (compiling the review
    page took 45 ms, which a corpus of short articles paid once per document)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("pipeline", "templates"), autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def location_label(block) -> str:
    """Where a block stands in the file a document reader read ("p. 12", a chapter's
    file, a paragraph's number), or "" for text read as text."""
    return str((block.meta.get("location") or {}).get("label", ""))


def render_html(doc: Document) -> str:
    if is_original(doc):
        return render_original_html(doc)
    rows = []
    for block in doc.content_blocks():
        segs = [
            {"id": s.id, "source": s.text, "english": english_of(s) or "", "flags": s.flags, "lang": s.lang,
             "passthrough": s.translation is None, "glossary": s.meta.get("glossary") or []}
            for s in block.segments
        ]
        rows.append({"id": block.id, "kind": block.kind, "lang": block.lang, "segments": segs, "flagged": any(s["flags"] for s in segs),
                     "location": location_label(block)})
    return _jinja_env().get_template("review.html.j2").render(
        doc=doc, rows=rows, counts=counts(doc), provenance=provenance_summary(doc), version=__version__, worst=worst_first(doc),
        target_lang=target_lang(doc), signature=signature_line(doc), demo=demo_notice(doc),
    )


def render_original_html(doc: Document) -> str:
    """The page of an original that needed no translation: one column, the structure as
    Diptych read it, and its passages in other languages marked (with their English where
    there is one) — not the same text twice, side by side."""
    from ..translation.catalog import LANGUAGE_NAMES

    rows, quotations = [], []
    for block in doc.content_blocks():
        segs = []
        for s in block.segments:
            foreign = s.lang in TRANSLATED_LANGUAGES and doc.lang not in TRANSLATED_LANGUAGES
            english = s.translation if foreign else None
            segs.append({"id": s.id, "source": s.text, "lang": s.lang, "foreign": foreign, "english": english})
            if foreign:
                quotations.append({"id": s.id, "lang": s.lang, "source": s.text, "english": english})
        rows.append({"id": block.id, "kind": block.kind, "lang": block.lang, "segments": segs, "location": location_label(block)})
    return _jinja_env().get_template("original.html.j2").render(
        doc=doc, rows=rows, counts=counts(doc), quotations=quotations, version=__version__, provenance=provenance_summary(doc),
        signature=signature_line(doc), language_name=LANGUAGE_NAMES.get(doc.lang, doc.lang),
        headings=sum(1 for b in doc.content_blocks() if b.kind == "heading"),
    )


def worst_first(doc: Document, limit: int = WORST_FIRST) -> dict:
    """Segments to look at first: by sentence chrF against a reference, else by number of flags."""
    segs = doc.content_segments()
    scored = [s for s in segs if "chrf" in s.meta.get("scores", {})]
    if scored:
        ranked = sorted(scored, key=lambda s: s.meta["scores"]["chrf"])[:limit]
        # which reference the scores were made against: a page scored twice must not pass one off as the other
        reference = doc.meta.get("reference_scores", {}).get("reference")
        named = reference if isinstance(reference, dict) else {"path": reference} if reference else {}
        return {"by": "sentence chrF against the reference", "reference": named,
                "items": [{"id": s.id, "label": f"chrF {s.meta['scores']['chrf']:.1f}", "text": english_of(s) or ""} for s in ranked]}
    ranked = sorted((s for s in segs if s.flags), key=lambda s: -len(s.flags))[:limit]
    return {"by": "number of flags", "items": [{"id": s.id, "label": ", ".join(s.flags), "text": english_of(s) or ""} for s in ranked]}


def _index_links(doc: Document) -> list[tuple[str, str]]:
    """(label, file suffix) of each edition the index links, the review page first: one
    file per format (its first), the English named by its language."""
    from . import EDITIONS
    from . import FORMATS

    names = sorted(EDITIONS, key=lambda name: name != "html")
    labels = {"html": "review", "en": target_lang(doc)}
    return [(labels.get(name, name), suffix_for(doc, FORMATS[name].files[0][0])) for name in names]


def render_index(root: str | Path) -> Path:
    """outputs/index.html: every document under ``root`` with languages, counts and flags."""
    root = Path(root)
    entries = []
    for record in sorted(root.glob("*/*.jsonl")):
        try:
            doc = Document.load(record)
        except Exception:  # noqa: BLE001 - a broken record is listed as such, whatever broke it
            entries.append({"id": record.parent.name, "broken": True})
            continue
        files = {name: f"{record.parent.name}/{doc.id}{suffix}" for name, suffix in _index_links(doc)
                 if (record.parent / f"{doc.id}{suffix}").exists()}
        note = "" if has_translations(doc) else ("no translation needed: no TMX" if is_original(doc) else "nothing translated: no TMX")
        entries.append({"id": doc.id, "lang": doc.lang, "langs": languages(doc), "counts": counts(doc), "flags": flag_counts(doc), "files": files,
                        "signature": signature_line(doc), "note": note, "broken": False})
    return write_atomic(root / "index.html", _jinja_env().get_template("index.html.j2").render(entries=entries, labels=LANGUAGE_LABELS, version=__version__))
