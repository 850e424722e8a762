"""Scoring an edition against a reference that is not line-aligned: the reference is
segmented and aligned with the edition's machine-translated English first, then the
aligned pairs are scored with sacrebleu (:mod:`pipeline.score`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..bilingual import english_of
from ..doc import Document
from ..errors import DiptychError, InputError
from ..frontend import prepare
from ..paths import child
from ..score import METRICS, VERSION, MetricResult, corpus_scores, sentence_scores


class NothingToScore(InputError):
    """A reference that cannot be scored against an edition: none of its sentences pairs
    with the edition's English, or the pairs match no better than unrelated text."""


@dataclass
class EditionScore:
    document: str
    scores: list[MetricResult]
    pairs: int
    hyp_sentences: int
    ref_sentences: int
    hyp_aligned: int
    ref_aligned: int
    worst: list[dict[str, Any]] = field(default_factory=list)
    reference: dict[str, str] = field(default_factory=dict)  # its path and sha256

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "reference": self.reference,
            "scores": [s.as_dict() for s in self.scores],
            "pairs": self.pairs,
            "coverage": {
                "hypothesis": round(self.hyp_aligned / max(1, self.hyp_sentences), 4),
                "reference": round(self.ref_aligned / max(1, self.ref_sentences), 4),
                "hypothesis_sentences": self.hyp_sentences,
                "reference_sentences": self.ref_sentences,
            },
            "worst": self.worst,
        }


def find_record(path: str | Path) -> Path:
    p = Path(path)
    if p.is_file():
        return p
    records = sorted(p.glob("*.jsonl")) if p.is_dir() else []
    if len(records) != 1:
        raise InputError(f"{p}: expected one edition folder with one <doc>.jsonl record")
    return records[0]


def score_editions(
    target: str | Path,
    reference: str | Path,
    metrics: Sequence[str] = METRICS,
    worst: int = 10,
    blocks: Sequence[str] = (),
    *, write: bool = False,
) -> tuple[list[EditionScore], list[str]]:
    """Score one edition against a reference file, or every edition under an outputs/
    folder against ``<reference folder>/<edition>.txt``. Returns the scores and one line
    for each edition left out: for want of its reference, or because its reference pairs
    with nothing in it."""
    target, reference = Path(target), Path(reference)
    many = target.is_dir() and not list(target.glob("*.jsonl"))
    editions = sorted(p for p in target.iterdir() if p.is_dir() and list(p.glob("*.jsonl"))) if many else [target]
    results, skipped = [], []
    for edition in editions:
        ref = reference if reference.is_file() else reference / f"{edition.name}.txt"
        if not ref.is_file():
            skipped.append(f"{edition}: no reference {ref}; skipped")
            continue
        try:
            results.append(score_edition(edition, ref, metrics, worst=worst, blocks=blocks, write=write))
        except NothingToScore as exc:
            if not many:
                raise
            skipped.append(f"{exc}; skipped")  # the other editions' scores still stand
    return results, skipped


def score_edition(
    edition: str | Path,
    reference: str | Path,
    metrics: Sequence[str] = METRICS,
    worst: int = 10,
    write: bool = False,
    *, blocks: Sequence[str] = (),
) -> EditionScore:
    """Segment the reference, align it with the edition's English side, score the aligned
    pairs. The edition is only read unless ``write``: then its record and review page keep
    the scores, naming the reference they were made against."""
    from ..alignment.aligner import align_sentences
    from ..alignment.confidence import texts_look_unrelated
    from ..alignment.params import AlignParams

    record = find_record(edition)
    doc = Document.load(record)
    if write:
        child(record.parent, f"{doc.id}.html")  # the review page it rewrites stays beside the record
    # machine-translated sentences only: English that was passed through would match itself
    chosen = [b for b in doc.content_blocks() if not blocks or any(b.id == x or b.id.endswith(":" + x) for x in blocks)]
    if blocks and not chosen:
        raise DiptychError(f"no block {', '.join(blocks)} in {record}")
    segs = [s for b in chosen for s in b.segments if s.translation and english_of(s)]
    hyps = [english_of(s) or "" for s in segs]
    ref_doc = prepare(reference, lang="en")
    refs = [s.text for s in ref_doc.content_segments()]
    if not hyps or not refs:
        raise DiptychError(f"nothing to score: {len(hyps)} English sentences in the edition, {len(refs)} in the reference")
    # English against English: the trigrams see every word the two share, a lexicon adds nothing
    beads = align_sentences(hyps, refs, params=AlignParams(lexicon_weight=0.0))
    pairs = [(b, " ".join(hyps[i] for i in b.src), " ".join(refs[j] for j in b.tgt)) for b in beads if b.src and b.tgt]
    if not pairs:
        raise NothingToScore(f"{reference}: no sentence of the reference could be paired with the English of {record} "
                             f"({len(refs)} reference and {len(hyps)} edition sentences)")
    if texts_look_unrelated(beads, hyps, refs):
        # the aligner pairs most sentences of any two texts; a score over chance pairs measures nothing
        raise NothingToScore(f"{reference}: does not look like a translation of {record}: its {len(pairs)} paired sentences "
                             "match no better than unrelated text")
    pair_hyps = [h for _, h, _ in pairs]
    pair_refs = [[r for _, _, r in pairs]]
    results = corpus_scores(pair_hyps, pair_refs, metrics)
    chrf = sentence_scores(pair_hyps, pair_refs, "chrf")
    named = {"path": ref_doc.source["path"], "sha256": ref_doc.source["sha256"]}
    ranked = sorted(({"ids": [segs[i].id for i in bead.src], "chrf": round(c, 2), "english": h, "reference": r}
                     for (bead, h, r), c in zip(pairs, chrf)), key=lambda x: x["chrf"])
    if write:
        _write_scores(doc, record, [([segs[i] for i in bead.src], r, c) for (bead, _, r), c in zip(pairs, chrf)],
                      {"reference": named, "blocks": list(blocks), "scores": [s.as_dict() for s in results]})
    return EditionScore(
        document=doc.id,
        scores=results,
        pairs=len(pairs),
        hyp_sentences=len(hyps),
        ref_sentences=len(refs),
        hyp_aligned=sum(len(b.src) for b, _, _ in pairs),
        ref_aligned=sum(len(b.tgt) for b, _, _ in pairs),
        worst=ranked[:worst],
        reference=named,
    )


def _write_scores(doc: Document, record: Path, scored: list[tuple[list, str, float]], summary: dict[str, Any]) -> None:
    """Keep one reference's scores in the record and re-render the review page from them.

    Every sentence's earlier score goes first: it was made against another reference (or
    other blocks), and the page's worst-first list must come from the one it names."""
    from ..editions import render
    from .records import writing

    for seg in doc.segments:
        seg.meta.pop("scores", None)
    for segs, ref_text, chrf in scored:
        for seg in segs:
            seg.meta["scores"] = {"chrf": round(chrf, 2), "reference": ref_text}
    doc.meta["reference_scores"] = summary
    doc.provenance["score"] = {"version": VERSION, "aligned_with": "aligner"}
    with writing():
        render(doc, record.parent, ["html"])
