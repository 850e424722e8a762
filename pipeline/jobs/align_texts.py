"""Aligning a text with an existing translation: files in, aligned document (or beads) out.

The I/O around :func:`pipeline.alignment.stage.align_documents`: both texts go through the
front end (or are taken one sentence per line), bridges are read from files or made by
Diptych's own models, and bead files are read and scored against gold.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..alignment.beads import Bead, parse_beads, score_alignments
from ..alignment.params import MAX_SIDE, AlignParams
from ..alignment.stage import align_documents, paragraph_ids, recorded_beads
from ..bilingual import TRANSLATED_LANGUAGES, translation_input
from ..doc import UNDETERMINED, Document
from ..editions.common import LANGUAGE_OPTION, check_language_option
from ..errors import DiptychError, UsageError
from ..frontend import prepare, prepare_lines
from ..readers import doc_id_for
from ..readers.text import read_lines
from ..paths import shorten


class AlignResult:
    def __init__(self, document: Document, beads: list[Bead]):
        self.document = document
        self.beads = beads
        self.warning = document.meta.get("alignment", {}).get("warning")


def _own_mt(doc: Document, overrides) -> tuple[list[str], dict]:
    """The source translated into English by Diptych's models, one call per language (the
    engine batches by tokens and caches, as in ``diptych run``); sentences in no translated
    language (English already) bridge as they are. Returns the lines and their provenance."""
    from ..translation.loading import EngineOptions, load_engines

    segs = doc.content_segments()
    engines = load_engines({s.lang for s in segs if s.lang in TRANSLATED_LANGUAGES}, EngineOptions(overrides=overrides))
    mt = [s.text for s in segs]
    for lang, engine in engines.items():
        idx = [n for n, s in enumerate(segs) if s.lang == lang]
        for n, result in zip(idx, engine.translate([translation_input(segs[n]) for n in idx]), strict=True):
            mt[n] = result.translation
    return mt, {lang: engine.signature for lang, engine in engines.items()}


def _check_found(lang: str, path, side: str) -> None:
    """The editions of a pair name both its languages (a TMX or XLIFF that says "und"
    breaks the CAT tool that imports it): one the front end could not find must be named."""
    if lang == UNDETERMINED:
        raise UsageError(f"{path}: cannot tell which language the {side} is in; name it with {LANGUAGE_OPTION[side]} "
                         "(the TMX and XLIFF editions must say it)")


def align_pair(source_path: str | Path, target_path: str | Path, *, pre_split: bool = False, src_lang: str | None = None,
               tgt_lang: str | None = None, source_mt: str | Path | None = None, use_mt: bool = False, overrides: list[str] | None = None,
               max_side: int | None = None, target_mt: str | Path | None = None, no_lexicon: bool = False, fmt: str = "record") -> AlignResult:
    """Files in, aligned document out. Both texts' languages are found as for ``diptych
    run`` where not given; with ``fmt`` ``record`` (editions that name them) a side
    whose language cannot be found is refused before any alignment."""
    if max_side is not None and not 3 <= max_side <= MAX_SIDE:
        raise UsageError(f"--max-side must be between 3 and {MAX_SIDE}, not {max_side}")
    check_language_option(src_lang, "source")
    check_language_option(tgt_lang, "translation")
    target_paragraphs = None  # one sentence per line says nothing of paragraphs
    if pre_split:
        doc = prepare_lines(source_path, lang=src_lang)
        target = read_lines(target_path)  # the lines as they are: damaged bytes refused, not replaced
        tgt_lang = tgt_lang or prepare_lines(target_path).lang
    else:
        doc = prepare(source_path, lang=src_lang)
        target_doc = prepare(target_path, lang=tgt_lang)
        target = [s.text for s in target_doc.content_segments()]
        target_paragraphs = paragraph_ids(target_doc)
        tgt_lang = tgt_lang or target_doc.lang
    if fmt == "record":
        _check_found(doc.lang, source_path, "source")
        _check_found(tgt_lang, target_path, "translation")
    mt = None
    bridge: dict = {}  # where each machine translation came from, for the provenance
    if source_mt is not None:
        bridge["source_mt"] = str(source_mt)
        mt = read_lines(source_mt)
        n = len(doc.content_segments())
        if len(mt) != n:
            raise UsageError(f"--source-mt {source_mt} has {len(mt)} lines but the source has {n} sentences; line i must translate source sentence i")
    elif use_mt:
        if tgt_lang != "en":
            raise UsageError("--mt translates the source into English; the translation is not in English (use --source-mt)")
        mt, bridge["source_mt"] = _own_mt(doc, overrides)
    back = None
    if target_mt is not None:
        bridge["target_mt"] = str(target_mt)
        back = read_lines(target_mt)
        if len(back) != len(target):
            raise UsageError(f"--target-mt {target_mt} has {len(back)} lines but the translation has {len(target)} sentences; line j must translate sentence j of the translation")
    # (beside a machine translation none is learned, and the record says so: AlignParams.used)
    params = AlignParams(lexicon_weight=0.0) if no_lexicon else AlignParams()
    if max_side is not None:
        params = replace(params, max_side=max_side)
    try:
        doc, beads = align_documents(doc, target, tgt_lang, mt, params, target_mt=back, target_paragraphs=target_paragraphs)
        if bridge:
            doc.provenance["align"]["mt_bridge"] = bridge
    except ValueError as exc:
        raise DiptychError(str(exc)) from None
    return AlignResult(doc.renumber(shorten(f"{doc.id}--{doc_id_for(target_path)}")), beads)


def _read_beads(path, what: str) -> list:
    """Beads from a vecalign bead file, or from an aligned record (``.jsonl``, as a
    reviewer left it)."""
    if Path(path).suffix == ".jsonl":
        from ..doc import RecordError

        try:
            doc = Document.load(path)
        except (OSError, RecordError) as exc:
            raise DiptychError(f"{what}{exc}") from None
        beads = recorded_beads(doc)
        if beads is None:
            raise DiptychError(f"{what}{path} holds no beads (it is not the record of an aligned pair, or was aligned by an earlier Diptych: align it again)")
        return [(b.src, b.tgt) for b in beads]
    try:
        return parse_beads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DiptychError(f"{what}{exc}") from None


def score_bead_files(paths: list) -> dict[str, float]:
    """Strict and lax P/R/F1 of predicted bead files against gold ones: GOLD PRED [GOLD PRED ...]."""
    if len(paths) < 2 or len(paths) % 2:
        raise UsageError("align-eval takes GOLD PRED (or several GOLD PRED pairs)")
    beads = [_read_beads(p, "cannot read the beads: ") for p in paths]
    try:
        return score_alignments(beads[::2], beads[1::2])
    except ValueError as exc:
        raise DiptychError(str(exc)) from None


def score_against_gold(result: AlignResult, gold, pre_split: bool) -> dict[str, float]:
    """The beads of ``result`` scored against a gold bead file (``diptych align --gold``)."""
    gold_beads = _read_beads(gold, f"--gold {gold}: ")
    try:
        return score_alignments([gold_beads], [[(b.src, b.tgt) for b in result.beads]])
    except ValueError as exc:
        hint = "" if pre_split else " (the texts were segmented by Diptych; --pre-split takes one sentence per line)"
        raise DiptychError(f"--gold {gold}: {exc}{hint}") from None


def write_alignment(result: AlignResult, fmt: str, out: Path | None) -> list[str]:
    """Write an aligned pair as a record with its editions (``record``: into ``out`` or
    outputs/<document>) or as vecalign bead lines (``vecalign``: into ``out`` or standard
    output). Returns the paths written, one per line for the user."""
    import sys

    from ..alignment.beads import format_beads
    from ..doc import write_atomic
    from .records import writing

    if fmt == "vecalign":
        text = format_beads(result.beads)
        if not out:
            sys.stdout.write(text)
            return []
        with writing():
            write_atomic(out, text)
        return []
    from ..editions import render

    with writing():
        return [str(p) for p in render(result.document, out or Path("outputs") / result.document.id)]


ALIGN_FORMATS = ("record", "vecalign")


def check_align_format(fmt: str) -> None:
    if fmt not in ALIGN_FORMATS:
        raise UsageError(f"--format must be {' or '.join(ALIGN_FORMATS)}, not {fmt!r}")
