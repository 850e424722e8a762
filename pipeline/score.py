"""Scoring translations with sacrebleu: line-aligned files, or an edition against a
reference that is not line-aligned (segmented and aligned first).

Every number comes from sacrebleu's own metric classes with their default settings, so
it equals sacrebleu's command line on the same files, and carries sacrebleu's signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .errors import DiptychError, UsageError

VERSION = "score/1"
METRICS = ("bleu", "chrf", "chrf++", "ter")
# Decimals of a score, as sacrebleu's command line gives them (its --width default): every
# figure Diptych shows or writes is that one, never a wider print of the rounded number.
WIDTH = 1


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
    raise UsageError(f"unknown metric {name!r}; choose from {', '.join(METRICS)}")


def read_lines(path: str | Path) -> list[str]:
    """Lines as sacrebleu reads them: characters as they are, trailing whitespace stripped."""
    from .readers.text import read_lines as read_text_lines

    return [line.rstrip() for line in read_text_lines(path, nfc=False)]


@dataclass
class MetricResult:
    name: str
    score: float
    signature: str
    ci: float | None = None  # half-width of the 95% bootstrap interval
    verbose: str = ""

    def as_dict(self) -> dict[str, Any]:
        # rounded as sacrebleu prints them, so the figures are the ones its CLI shows
        out = {"name": self.name, "score": round(self.score, WIDTH), "signature": self.signature}
        if self.ci is not None:
            out["ci95"] = round(self.ci, WIDTH)
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
        out.append(MetricResult(result.name, float(result.score), str(metric.get_signature()), ci, result.format(width=WIDTH)))
    return out


def sentence_scores(hyps: list[str], refs: list[list[str]], metric: str = "chrf") -> list[float]:
    m = make_metric(metric)
    return [float(m.sentence_score(h, [r[i] for r in refs]).score) for i, h in enumerate(hyps)]


def paired_test(baseline: list[str], system: list[str], refs: list[list[str]], metrics: Sequence[str] = METRICS, test: str = "bs", *, samples: int | None = None) -> dict[str, Any]:
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
            "baseline": round(float(base.score), WIDTH),
            "system": round(float(sys_.score), WIDTH),
            "p_value": None if sys_.p_value is None else float(sys_.p_value),
            "signature": str(sigs[name]),
        }
    return out


def parse_metrics(spec: str) -> list[str]:
    """``"bleu, chrF"`` -> ``["bleu", "chrf"]``; an unknown name is a usage error."""
    chosen = [m.strip().lower() for m in spec.split(",") if m.strip()]
    unknown = [m for m in chosen if m not in METRICS]
    if unknown or not chosen:
        raise UsageError(f"unknown metric(s) {', '.join(unknown) or repr(spec)}; choose from {', '.join(METRICS)}")
    return chosen


def score_files(
    hypothesis: str | Path,
    references: Sequence[str | Path],
    metrics: Sequence[str] = METRICS,
    sentences: bool = False,
    bootstrap: int = 0,
    *, baseline: str | Path | None = None,
) -> dict[str, Any]:
    """Line-aligned files scored as sacrebleu's command line scores them: corpus scores
    (with a bootstrap interval when asked), sentence scores, and paired tests against a
    baseline system."""
    hyps = read_lines(hypothesis)
    refs = [read_lines(r) for r in references]
    out: dict[str, Any] = {"scores": {r.name: r.as_dict() for r in corpus_scores(hyps, refs, metrics, bootstrap=bootstrap)}}
    if sentences:
        out["sentences"] = {name: sentence_scores(hyps, refs, name) for name in metrics}
    if baseline is not None:
        base = read_lines(baseline)
        out["paired"] = [paired_test(base, hyps, refs, metrics, "bs"), paired_test(base, hyps, refs, metrics, "ar")]
    return out
