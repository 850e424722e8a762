"""``diptych eval``: translate a test set through ``run``'s translation path and score it
with sacrebleu, beside the figure the model's makers published for that set.

The source is read as a file of one sentence per line (each line one segment, as
``diptych align --pre-split`` reads one), translated by the same engines, hooks, cache and
guard as ``run``, and each line's English is what every edition shows (markers and layout
put back). The scores are sacrebleu's defaults (BLEU 13a, chrF2), the settings the
OPUS-MT leaderboard and model cards publish, so that a user with the real weights sees
whether the install reproduces the card.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import InputError, UsageError

# what eval scores by default: the two figures the catalog holds for each test set
EVAL_METRICS = ("bleu", "chrf")
# the published figures are sacrebleu's names lowercased
_PUBLISHED_KEY = {"BLEU": "bleu", "chrF2": "chrf"}


@dataclass
class EvalResult:
    source: str
    lang: str
    model: str
    test_set: str | None
    sentences: int
    scores: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "lang": self.lang, "model": self.model, "test_set": self.test_set,
                "sentences": self.sentences, "scores": self.scores}


def test_set_name(path: Path) -> str:
    """``newstest2014.fr-en.fr`` -> ``newstest2014``: the set's name, as the files are named."""
    return path.name.split(".", 1)[0]


def evaluate(source: Path, reference: Path, options, *, lang: str | None = None, test_set: str | None = None,
             hypotheses: Path | None = None, on_progress: Callable[[int, int, int, int], None] | None = None) -> EvalResult:
    """Translate ``source`` (one sentence per line) and score its English against
    ``reference`` (line-aligned); ``test_set`` names the set for the published figure
    (default: the source file's name up to its first dot)."""
    from ..doc import write_atomic
    from ..bilingual import english_of
    from ..frontend import prepare_lines
    from ..score import corpus_scores, read_lines
    from ..translation.catalog import specs_for
    from ..translation.loading import load_engines
    from ..translation.stage import translate

    refs = read_lines(reference)
    doc = prepare_lines(source, lang=lang)
    lang = lang or doc.lang
    if lang not in ("fr", "ru"):
        raise UsageError(f"{source}: reads as {lang!r}; Diptych translates fr and ru into English (name it with --src-lang)")
    segments = [seg for block in doc.blocks for seg in block.segments]
    if len(segments) != len(refs):
        raise InputError(f"{source} has {len(segments)} lines but {reference} has {len(refs)}; they must be line-aligned")
    for seg in segments:
        seg.lang = lang  # a test set is in one language: a short line is not routed elsewhere
    spec = specs_for({lang}, options.overrides, options.profile)[lang]
    engines = load_engines({lang}, options)
    progress = (lambda done, total: on_progress(done, total, int(done == total), 1)) if on_progress else None
    translate(doc, engines, progress=progress)
    hyps = [english_of(seg) or "" for seg in segments]
    if hypotheses is not None:
        try:
            write_atomic(hypotheses, "".join(h + "\n" for h in hyps))
        except OSError as exc:
            raise UsageError(f"--output {hypotheses}: cannot be written ({exc.strerror})") from None
    name = test_set or test_set_name(Path(source))
    published = published_figures(spec).get(name, {})
    result = EvalResult(str(source), lang, engines[lang].signature.get("model", spec.label()), name if published or test_set else None, len(hyps))
    for r in corpus_scores(hyps, [refs], EVAL_METRICS):
        row = r.as_dict()
        key = _PUBLISHED_KEY.get(r.name)
        if key in published:
            row["published"] = published[key]
            row["difference"] = round(row["score"] - published[key], 1)
        result.scores.append(row)
    return result


def published_figures(spec) -> dict[str, dict[str, float]]:
    """The published figures of a model: its catalog entry's, or, for a model named by
    ``--model`` with a Hub id, those of the catalog entry with that id."""
    if spec.published:
        return spec.published
    from ..translation.catalog import catalog_profiles

    for specs in catalog_profiles().values():
        for entry in specs.values():
            if entry.model_id == spec.model_id:
                return entry.published
    return {}
