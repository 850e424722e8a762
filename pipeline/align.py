"""Stage 6: pair each source sentence with its English counterpart.

For a translated document the pairing comes from translation itself: every segment is
translated on its own, so each bead is one segment and its translation (or, for text
already in English, the segment itself). The beads are recorded so that renderers and
scorers read one alignment whatever produced it.
"""

from __future__ import annotations

from pathlib import Path

from .bilingual import english_of
from .doc import Document

VERSION = "align/1"


def align(doc: Document) -> Document:
    """Record one bead per non-junk segment that has an English side."""
    beads = []
    for block in doc.blocks:
        if not block.translatable:
            continue
        for seg in block.segments:
            english = english_of(seg)
            if english is None:
                seg.meta.pop("bead", None)
                continue
            method = "translation" if seg.translation is not None else "passthrough"
            seg.meta["bead"] = {"index": len(beads), "method": method, "confidence": 1.0}
            beads.append(seg.id)
    doc.provenance["align"] = {"version": VERSION, "method": "segment-translation", "beads": len(beads)}
    return doc


# -- aligning a text with an existing translation ------------------------------------------------
def sentences_of(doc: Document) -> list:
    """The segments an aligner works on: every non-junk segment, in order."""
    return [seg for block in doc.blocks if block.translatable for seg in block.segments]


def align_documents(
    source: Document,
    target_sentences: list[str],
    target_lang: str,
    source_mt: list[str] | None = None,
    params=None,
    target_mt: list[str] | None = None,
) -> tuple[Document, list]:
    """Align ``source`` with the sentences of its translation; record each bead on the source.

    The target text of a bead goes in the ``translation`` of its first source segment (the
    others of the bead get an empty one), so editions render the pair as for a machine
    translation. Nothing is dropped: a target sentence with no source counterpart (0-1) is
    appended to the previous bead and flagged ``target_only``; a source sentence with no
    counterpart (1-0) gets an empty translation and the flag ``unaligned``."""
    from .aligner import VERSION as ALIGNER_VERSION
    from .aligner import UNRELATED_CONFIDENCE, AlignParams, align_sentences, texts_look_unrelated

    params = params or AlignParams()
    segs = sentences_of(source)
    beads = align_sentences([s.text for s in segs], target_sentences, source_mt, params, target_mt)
    pending_target: list[str] = []
    last = None
    for index, bead in enumerate(beads):
        target = " ".join(target_sentences[j] for j in bead.tgt)
        if not bead.src:
            if last is not None:
                last.translation = (last.translation + " " if last.translation else "") + target
                if "target_only" not in last.flags:
                    last.flags.append("target_only")
            else:
                pending_target.append(target)
            continue
        for n, i in enumerate(bead.src):
            seg = segs[i]
            seg.translation = target if n == 0 else ""
            seg.flags = [f for f in seg.flags if f not in ("unaligned", "low_confidence", "target_only")]
            seg.meta["bead"] = {"index": index, "src": list(bead.src), "tgt": list(bead.tgt), "confidence": bead.confidence, "method": "aligner"}
            if not bead.tgt:
                seg.flags.append("unaligned")
            elif bead.confidence < params.low_confidence and n == 0:
                seg.flags.append("low_confidence")
        last = segs[bead.src[0]]
        if pending_target and bead.tgt:
            last.translation = " ".join(pending_target + [last.translation])
            last.flags.append("target_only")
            pending_target = []
    source.meta["translation"] = {"needed": True, "target_lang": target_lang, "source": "existing translation"}
    source.meta["alignment"] = {"beads": len(beads), "target_sentences": len(target_sentences)}
    if texts_look_unrelated(beads, [s.text for s in segs], target_sentences, source_mt, target_mt):
        source.meta["alignment"]["warning"] = (
            "the two texts do not look like translations of each other (their best sentence pairs match no better "
            "than unrelated text); every bead's confidence is capped at "
            f"{UNRELATED_CONFIDENCE}")
    source.provenance["align"] = {
        "version": VERSION,
        "aligner": ALIGNER_VERSION,
        "method": "length + anchors" + "".join(f" + {name}" for name, mt in (("MT bridge", source_mt), ("target MT bridge", target_mt)) if mt is not None),
        "params": {"w_lex": params.w_lex, "w_mt": params.w_mt, "w_mt_back": params.w_mt_back, "w_len": params.w_len, "skip": params.skip,
                   "skip_run": params.skip_run, "max_side": params.max_side, "low_confidence": params.low_confidence},
    }
    return source, beads


class AlignResult:
    def __init__(self, document: Document, beads: list):
        self.document = document
        self.beads = beads
        self.warning = document.meta.get("alignment", {}).get("warning")


def _read_lines(path) -> list[str]:
    from .errors import InputError
    from .ingest import decode, normalize

    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    text, _ = normalize(decode(p.read_bytes(), str(p))[0])
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def align_pair(source_path, target_path, pre_split=False, src_lang=None, tgt_lang=None, source_mt=None, use_mt=False, overrides=None, max_side=None, target_mt=None) -> AlignResult:
    """Files in, aligned document out: the I/O around :func:`align_documents`."""
    from .errors import DiptychError, UsageError
    from .ingest import ingest_bytes
    from .run import prepare

    if pre_split:
        src_lines = _read_lines(source_path)
        from .ingest import doc_id_for
        from .langid import identify
        from .segment import segment_lines
        from .structure import one_block_per_line

        if not any(line.strip() for line in src_lines):
            raise DiptychError(f"{source_path}: no sentences")
        doc = ingest_bytes(("\n".join(src_lines) + "\n").encode("utf-8"), doc_id_for(source_path), str(source_path))
        doc = identify(segment_lines(one_block_per_line(doc)), force=src_lang)
        target = _read_lines(target_path)
    else:
        doc = prepare(source_path, lang=src_lang)
        target_doc = prepare(target_path, lang=tgt_lang)
        target = [s.text for s in sentences_of(target_doc)]
        tgt_lang = tgt_lang or target_doc.lang
    tgt_lang = tgt_lang or "und"
    mt = None
    bridge: dict = {}  # where each machine translation came from, for the provenance
    if source_mt is not None:
        bridge["source_mt"] = str(source_mt)
        mt = _read_lines(source_mt)
        n = len(sentences_of(doc))
        if len(mt) != n:
            raise UsageError(f"--source-mt {source_mt} has {len(mt)} lines but the source has {n} sentences; line i must translate source sentence i")
    elif use_mt:
        if tgt_lang != "en":
            raise UsageError("--mt translates the source into English; the translation is not in English (use --source-mt)")
        from .bilingual import translation_input
        from .run import EngineOptions, load_engines

        segs = sentences_of(doc)
        langs = {s.lang for s in segs if s.lang in ("fr", "ru")}
        engines = load_engines(langs, EngineOptions(overrides=overrides))
        # one call per language: the engine batches by tokens and caches, as in `diptych run`;
        # sentences in no translated language (English already) bridge as they are
        mt = [s.text for s in segs]
        for lang, engine in engines.items():
            idx = [n for n, s in enumerate(segs) if s.lang == lang]
            for n, result in zip(idx, engine.translate([translation_input(segs[n]) for n in idx]), strict=True):
                mt[n] = result.translation
        bridge["source_mt"] = {lang: engine.signature for lang, engine in engines.items()}
    back = None
    if target_mt is not None:
        bridge["target_mt"] = str(target_mt)
        back = _read_lines(target_mt)
        if len(back) != len(target):
            raise UsageError(f"--target-mt {target_mt} has {len(back)} lines but the translation has {len(target)} sentences; line j must translate sentence j of the translation")
    params = None
    if max_side is not None:
        from .aligner import MAX_SIDE, AlignParams

        if not 3 <= max_side <= MAX_SIDE:
            raise UsageError(f"--max-side must be between 3 and {MAX_SIDE}, not {max_side}")
        params = AlignParams(max_side=max_side)
    try:
        doc, beads = align_documents(doc, target, tgt_lang, mt, params, back)
        if bridge:
            doc.provenance["align"]["mt_bridge"] = bridge
    except ValueError as exc:
        raise DiptychError(str(exc)) from None
    return AlignResult(doc.renumber(f"{doc.id}--{Path(str(target_path)).stem}"), beads)


def score_bead_files(paths: list) -> dict[str, float]:
    """Strict and lax P/R/F1 of predicted bead files against gold ones: GOLD PRED [GOLD PRED ...]."""
    from .aligner import parse_beads, score_alignments
    from .errors import DiptychError

    if len(paths) < 2 or len(paths) % 2:
        raise DiptychError("align-eval takes GOLD PRED (or several GOLD PRED pairs)")
    try:
        beads = [parse_beads(Path(p).read_text(encoding="utf-8")) for p in paths]
    except (OSError, ValueError) as exc:
        raise DiptychError(f"cannot read the beads: {exc}") from None
    try:
        return score_alignments(beads[::2], beads[1::2])
    except ValueError as exc:
        raise DiptychError(str(exc)) from None


def score_against_gold(result: AlignResult, gold, pre_split: bool) -> dict[str, float]:
    """The beads of ``result`` scored against a gold bead file (``diptych align --gold``)."""
    from .aligner import parse_beads, score_alignments
    from .errors import DiptychError

    try:
        gold_beads = parse_beads(Path(gold).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DiptychError(f"--gold {gold}: {exc}") from None
    try:
        return score_alignments([gold_beads], [[(b.src, b.tgt) for b in result.beads]])
    except ValueError as exc:
        hint = "" if pre_split else " (the texts were segmented by Diptych; --pre-split takes one sentence per line)"
        raise DiptychError(f"--gold {gold}: {exc}{hint}") from None

