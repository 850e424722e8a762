"""Scoring translations with sacrebleu: line-aligned files, or an edition against a
reference that is not line-aligned (segmented and aligned first).

Every number comes from sacrebleu's own metric classes with their default settings, so
it equals sacrebleu's command line on the same files, and carries sacrebleu's signature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .errors import DiptychError, InputError

VERSION = "score/1"
METRICS = ("bleu", "chrf", "chrf++", "ter")


def make_metric(name: str, references: Sequence[Sequence[str]] | None = None):
    from sacrebleu.metrics import BLEU, CHRF, TER

    if name == "bleu":
        return BLEU(references=references)
    if name == "chrf":
        return CHRF(references=references)
    if name == "chrf++":
        return CHRF(word_order=2, references=references)
    if name == "ter":
        return TER(references=references)
    raise DiptychError(f"unknown metric {name!r}; choose from {', '.join(METRICS)}")


def read_lines(path: str | Path) -> list[str]:
    """Lines as sacrebleu reads them (UTF-8, trailing whitespace stripped)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    try:
        return [line.rstrip() for line in p.read_text(encoding="utf-8").splitlines()]
    except UnicodeDecodeError:
        raise InputError(f"{p}: not UTF-8 text") from None


@dataclass
class MetricResult:
    name: str
    score: float
    signature: str
    ci: float | None = None  # half-width of the 95% bootstrap interval
    verbose: str = ""

    def as_dict(self) -> dict[str, Any]:
        # rounded as sacrebleu prints by default (--width 1), so the figures are the ones its CLI shows
        out = {"name": self.name, "score": round(self.score, 1), "signature": self.signature}
        if self.ci is not None:
            out["ci95"] = round(self.ci, 1)
        if self.verbose:
            out["verbose_score"] = self.verbose
        return out


def corpus_scores(hyps: list[str], refs: list[list[str]], metrics: Sequence[str] = METRICS, bootstrap: int = 0) -> list[MetricResult]:
    """Corpus-level scores; ``bootstrap`` > 0 adds a 95% confidence interval (sacrebleu's resampling)."""
    if any(len(r) != len(hyps) for r in refs):
        lengths = ", ".join(str(len(r)) for r in refs)
        raise DiptychError(f"the hypothesis has {len(hyps)} lines but the reference(s) have {lengths}; they must be line-aligned")
    out = []
    for name in metrics:
        metric = make_metric(name, refs)
        result = metric.corpus_score(hyps, None, n_bootstrap=bootstrap or 1)
        ci = float(result._ci) if bootstrap and getattr(result, "_ci", None) is not None else None
        out.append(MetricResult(result.name, float(result.score), str(metric.get_signature()), ci, result.format()))
    return out


def sentence_scores(hyps: list[str], refs: list[list[str]], metric: str = "chrf") -> list[float]:
    m = make_metric(metric)
    return [float(m.sentence_score(h, [r[i] for r in refs]).score) for i, h in enumerate(hyps)]


def paired_test(baseline: list[str], system: list[str], refs: list[list[str]], metrics: Sequence[str] = METRICS, test: str = "bs", samples: int | None = None) -> dict[str, Any]:
    """Paired significance of ``system`` against ``baseline`` (bootstrap 'bs' or approximate randomization 'ar')."""
    from sacrebleu.significance import PairedTest

    if len(baseline) != len(system):
        raise DiptychError(f"the baseline has {len(baseline)} lines and the system {len(system)}")
    named = [("baseline", baseline), ("system", system)]
    mets = {n: make_metric(n, refs) for n in metrics}
    samples = samples or (1000 if test == "bs" else 10000)
    sigs, scores = PairedTest(named, mets, references=None, test_type=test, n_samples=samples)()
    out: dict[str, Any] = {"test": "paired bootstrap" if test == "bs" else "approximate randomization", "samples": samples, "metrics": {}}
    for name in (k for k in scores if k != "System"):  # keyed by sacrebleu's score names (BLEU, chrF2, ...)
        base, sys_ = scores[name]
        out["metrics"][name] = {
            "baseline": round(float(base.score), 1),
            "system": round(float(sys_.score), 1),
            "p_value": None if sys_.p_value is None else float(sys_.p_value),
            "signature": str(sigs[name]),
        }
    return out


# -- an edition against a reference that is not line-aligned ------------------------------------
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

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
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
) -> tuple[list[EditionScore], list[str]]:
    """Score one edition against a reference file, or every edition under an outputs/
    folder against ``<reference folder>/<edition>.txt``. Returns the scores and one line
    for each edition left out for want of its reference."""
    target, reference = Path(target), Path(reference)
    if target.is_dir() and not list(target.glob("*.jsonl")):
        editions = sorted(p for p in target.iterdir() if p.is_dir() and list(p.glob("*.jsonl")))
    else:
        editions = [target]
    results, skipped = [], []
    for edition in editions:
        ref = reference if reference.is_file() else reference / f"{edition.name}.txt"
        if not ref.is_file():
            skipped.append(f"{edition}: no reference {ref}; skipped")
            continue
        results.append(score_edition(edition, ref, metrics, worst=worst, blocks=blocks))
    return results, skipped


def score_edition(
    edition: str | Path,
    reference: str | Path,
    metrics: Sequence[str] = METRICS,
    worst: int = 10,
    write: bool = True,
    blocks: Sequence[str] = (),
) -> EditionScore:
    """Segment the reference, align it with the edition's English side, score the aligned pairs."""
    from .aligner import align_sentences
    from .bilingual import english_of
    from .doc import Document
    from .run import prepare

    record = find_record(edition)
    doc = Document.load(record)
    # machine-translated sentences only: English that was passed through would match itself
    chosen = [b for b in doc.blocks if b.translatable and (not blocks or any(b.id == x or b.id.endswith(":" + x) for x in blocks))]
    if blocks and not chosen:
        raise DiptychError(f"no block {', '.join(blocks)} in {record}")
    segs = [s for b in chosen for s in b.segments if s.translation and english_of(s)]
    hyps = [english_of(s) or "" for s in segs]
    ref_doc = prepare(reference, lang="en")
    refs = [s.text for b in ref_doc.blocks if b.translatable for s in b.segments]
    if not hyps or not refs:
        raise DiptychError(f"nothing to score: {len(hyps)} English sentences in the edition, {len(refs)} in the reference")
    beads = align_sentences(hyps, refs)
    pairs = [(b, " ".join(hyps[i] for i in b.src), " ".join(refs[j] for j in b.tgt)) for b in beads if b.src and b.tgt]
    pair_hyps = [h for _, h, _ in pairs]
    pair_refs = [[r for _, _, r in pairs]]
    results = corpus_scores(pair_hyps, pair_refs, metrics)
    chrf = sentence_scores(pair_hyps, pair_refs, "chrf")
    ranked = []
    for (bead, h, r), c in zip(pairs, chrf):
        for i in bead.src:
            segs[i].meta["scores"] = {"chrf": round(c, 2), "reference": r}
        ranked.append({"ids": [segs[i].id for i in bead.src], "chrf": round(c, 2), "english": h, "reference": r})
    ranked.sort(key=lambda x: x["chrf"])
    doc.meta["reference_scores"] = {"reference": str(reference), "scores": [s.as_dict() for s in results]}
    doc.provenance["score"] = {"version": VERSION, "aligned_with": "aligner"}
    if write:
        from .render import render

        render(doc, record.parent, ["html"])
    return EditionScore(
        document=doc.id,
        scores=results,
        pairs=len(pairs),
        hyp_sentences=len(hyps),
        ref_sentences=len(refs),
        hyp_aligned=sum(len(b.src) for b, _, _ in pairs),
        ref_aligned=sum(len(b.tgt) for b, _, _ in pairs),
        worst=ranked[:worst],
    )
