"""What every edition shares: the target side's language, the English of a block, counts,
the provenance in words and the signature line."""

from __future__ import annotations

import datetime as _dt
import re

from ..bilingual import english_of
from ..doc import UNDETERMINED, Block, Document, Segment
from ..errors import UsageError
from ..signature import Signature

TOOL = "Diptych"

# TMX's xml:lang and XLIFF's srcLang/trgLang are BCP 47 tags (RFC 5646): a primary
# language subtag of two or three letters, then subtags (script, region, variant) of one
# to eight letters or digits, joined by hyphens
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# the option of ``diptych align`` that names each side's language
LANGUAGE_OPTION = {"source": "--src-lang", "translation": "--tgt-lang"}


def target_lang(doc: Document) -> str:
    """The language of the right-hand side: English, unless the document was aligned with
    an existing translation into another language (``diptych align`` works for any pair)."""
    return (doc.meta.get("translation") or {}).get("target_lang") or "en"


def check_language_option(code: str | None, side: str) -> str | None:
    """A language a user named for one side (``source`` or ``translation``) of an aligned
    pair: a language tag, and not "und", which is what naming it stands in for."""
    if code is not None and (not _LANGUAGE_TAG.fullmatch(code) or code.lower() == UNDETERMINED):
        raise UsageError(f"{LANGUAGE_OPTION[side]} must name the {side}'s language as a language tag (fr, en, de, pt-BR), not {code!r}")
    return code


def cat_language(doc: Document, code: str | None, side: str) -> str:
    """A language as a TMX or XLIFF carries it. A CAT tool files every unit under its
    language pair, so an undetermined one is refused, never written: a record aligned
    without the language found says "und"."""
    if not code or code.lower() == UNDETERMINED:
        raise UsageError(f"{doc.id}: the {side}'s language is undetermined (und), and a TMX or XLIFF must name it; "
                         f"align the texts again with {LANGUAGE_OPTION[side]}")
    return code


def suffix_for(doc: Document, suffix: str) -> str:
    """``.en.txt`` names the target version by its language: ``.fr.txt`` for a French one."""
    return suffix.replace(".en.", f".{target_lang(doc)}.", 1) if suffix.startswith(".en.") else suffix


def english_block(block: Block) -> str:
    """A block's English: translations joined, English kept verbatim, markup re-attached."""
    if not any(seg.translation is not None for seg in block.segments):
        return block.text
    return " ".join(e for e in (english_of(seg) for seg in block.segments) if e)


def is_original(doc: Document) -> bool:
    """An original in English (or another language Diptych does not translate): nothing
    was sent to a model, so there is no second side to show."""
    return (doc.meta.get("translation") or {}).get("needed") is False


def has_translations(doc: Document) -> bool:
    return any(s.translation is not None for s in doc.content_segments())


def flagged_segments(doc: Document) -> list[Segment]:
    return [s for s in doc.content_segments() if s.flags]


def counts(doc: Document) -> dict[str, int]:
    segs = doc.content_segments()
    return {
        "blocks": len(doc.content_blocks()),
        "junk_blocks": sum(1 for b in doc.blocks if not b.translatable),
        "segments": len(segs),
        "translated": sum(1 for s in segs if s.translation is not None),
        "passed_through": sum(1 for s in segs if s.translation is None),
        "flagged": sum(1 for s in segs if s.flags),
    }


def languages(doc: Document) -> dict[str, int]:
    """How many content segments each language has, in order of first appearance."""
    out: dict[str, int] = {}
    for s in doc.content_segments():
        out[s.lang] = out.get(s.lang, 0) + 1
    return out


def flag_counts(doc: Document) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in flagged_segments(doc):
        for f in s.flags:
            out[f] = out.get(f, 0) + 1
    return out


def demo_notice(doc: Document) -> str | None:
    """The warning every edition opens with when its English came from the untrained demo
    models (``--models demo``): noise that must never pass for a translation."""
    from ..translation.demo import NOTICE, is_demo_ref

    models = doc.provenance.get("translate", {}).get("models", {})
    return NOTICE if any(is_demo_ref(str(sig.get("model", ""))) for sig in models.values()) else None


def signature_line(doc: Document) -> str:
    """The one-line signature of the settings behind this edition (see :mod:`pipeline.signature`)."""
    return Signature.of(doc).short()


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
    out["signature"] = signature_line(doc)
    return out

