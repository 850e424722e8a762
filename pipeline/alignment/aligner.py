"""Sentences in, beads out: the aligner over length, anchors and machine-translation bridges.

Monotone beads of every shape up to three sentences a side (1-1, 1-2, 2-1, 2-2, 1-3, 3-1,
2-3, 3-2, 3-3, 1-0, 0-1) and one sentence against four or five (1-4, 4-1, 1-5, 5-1: a long
sentence rendered as a list, as real translations do; ``max_side=3`` leaves them out),
found by dynamic programming over these kinds of evidence:

* length: the Gale-Church model, with the document's own length ratio;
* anchors and shared surface (:mod:`.features`): names, numbers and cognates line up;
* paragraphs, when both texts' are known: a bead that ends where both start one gains
  a little (:func:`.dp.paragraph_bonus`);
* a bridge, when a machine translation of each source sentence exists: the same
  similarity between that translation and the target, a cheap stand-in for chrF; and,
  when a translation of each target sentence into the source language exists too
  (Bleualign's two directions), the similarity between the source and that translation;
* where no bridge exists (and ``lexicon_weight`` is not 0): a word lexicon learned from
  the first path's 1-1 beads (:mod:`.lexicon`), used in the narrow pass around that path.

The search (:mod:`.dp`) runs twice: in a wide band around the length diagonal, then in a
narrow band around every point of the first path, so cost grows linearly with document
length. Each bead's confidence (:mod:`.confidence`) weighs how much worse the alignment
gets if its boundaries move, the least share of the match any member of a merged bead
carries, and the bead's size. No I/O here: :mod:`pipeline.jobs.align_texts` reads files.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .beads import Bead
from .confidence import UNRELATED_CONFIDENCE, bead_confidence, boundary_margins, texts_look_unrelated
from .dp import Evidence, LengthModel, ParagraphBreaks, Side, best_path, centers_from_lengths, chance_baseline, fold_dims, reach_of_path
from .features import fold_each, idf_weighted, vectors
from .lexicon import learn, lexicon_rows
from .params import BEADS, COARSE_BEADS, LONG_BEADS, AlignParams


def _evidence(params: AlignParams, a: np.ndarray, b: np.ndarray, mt: np.ndarray | None, back: np.ndarray | None) -> list[Evidence]:
    """The kinds of evidence that exist for this pair: source-target, and each bridge given."""
    rng = np.random.default_rng(0)  # the chance baselines sample spans: the same every time
    sa, sb = Side(a), Side(b)
    evidence = [Evidence(params.w_lex, a, sa, sb, b, chance_baseline(a, b, sa, sb, rng))]
    if mt is not None:
        smt = Side(mt)
        evidence.append(Evidence(params.w_mt, mt, smt, sb, b, chance_baseline(mt, b, smt, sb, rng)))
    if back is not None:
        sback = Side(back)
        evidence.append(Evidence(params.w_mt_back, a, sa, sback, back, chance_baseline(a, back, sa, sback, rng)))
    return evidence


def _coarse(evidence: list[Evidence]) -> list[Evidence]:
    """The same evidence over folded vectors (a quarter of the dimensions): cheaper, and
    enough to find the neighbourhood of the path."""
    out = []
    for ev in evidence:
        src, tgt = fold_dims(ev.src), fold_dims(ev.tgt)
        out.append(Evidence(ev.weight, src, Side(src), Side(tgt), tgt, ev.baseline, ev.learned))
    return out


def _lexicon_evidence(src, tgt, path, params: AlignParams, folded) -> Evidence | None:
    """A lexicon learned from the first path's 1-1 beads (:mod:`.lexicon`) as one more kind
    of evidence for the narrow pass around that path; None where there are too few 1-1
    beads to learn from. Learned from the first pass, not the narrow one, so that the
    narrow pass runs once (a third pass cost a third of the time of two 10,000-sentence
    documents)."""
    found = learn(src, tgt, [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), 0.0) for i0, i1, j0, j1 in path], folded)
    if found is None or not len(found):
        return None
    x, y = idf_weighted(list(lexicon_rows(found, params.dims)), params.idf)
    sx, sy = Side(x), Side(y)
    return Evidence(params.lexicon_weight, x, sx, sy, y, chance_baseline(x, y, sx, sy, np.random.default_rng(0)), learned=True)


def align_sentences(
    src: Sequence[str],
    tgt: Sequence[str],
    src_mt: Sequence[str] | None = None,
    params: AlignParams | None = None,
    tgt_mt: Sequence[str] | None = None,
    src_paragraphs: Sequence | None = None,
    tgt_paragraphs: Sequence | None = None,
) -> list[Bead]:
    """Align two lists of sentences; ``src_mt[i]`` translates ``src[i]`` into the target
    language, ``tgt_mt[j]`` translates ``tgt[j]`` into the source language;
    ``src_paragraphs[i]`` names the paragraph of ``src[i]`` (any id: consecutive sentences
    with the same id share a paragraph), and so ``tgt_paragraphs`` (both are needed for
    either to count)."""
    params = (params or AlignParams()).used(bridged=src_mt is not None or tgt_mt is not None)
    n, m = len(src), len(tgt)
    if src_mt is not None and len(src_mt) != n:
        raise ValueError(f"the machine translation has {len(src_mt)} lines for {n} source sentences")
    if tgt_mt is not None and len(tgt_mt) != m:
        raise ValueError(f"the machine translation of the target has {len(tgt_mt)} lines for {m} target sentences")
    for name, ids, count in (("source", src_paragraphs, n), ("target", tgt_paragraphs, m)):
        if ids is not None and len(ids) != count:
            raise ValueError(f"{len(ids)} {name} paragraph ids for {count} {name} sentences")
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    src_len = np.array([max(len(s), 1) for s in src], dtype=np.float64)
    tgt_len = np.array([max(len(s), 1) for s in tgt], dtype=np.float64)
    folded = fold_each(src), fold_each(tgt)  # for the vectors and, where asked, the lexicon
    a, b, mt, back = idf_weighted([
        vectors(src, params, folded[0]),
        vectors(tgt, params, folded[1]),
        vectors(src_mt, params) if src_mt is not None else None,
        vectors(tgt_mt, params) if tgt_mt is not None else None,
    ], params.idf)
    evidence = _evidence(params, a, b, mt, back)

    merged = tuple(kl for kl in BEADS + LONG_BEADS if kl[0] and kl[1] and max(kl) <= params.max_side)
    shapes = merged + ((1, 0), (0, 1))  # skips last: a run of skips starts from a finished row
    lengths = LengthModel.of(src_len, tgt_len)
    half = min(max(params.band_min, int(params.band_frac * max(n, m))), params.band_max)
    centers = centers_from_lengths(lengths)
    coarse = _coarse(evidence) if max(n, m) > params.coarse_from else None
    breaks = ParagraphBreaks.of(src_paragraphs, tgt_paragraphs)
    while True:
        try:
            if half > params.refine_band and coarse is not None:
                # long documents: a coarse first pass (folded vectors, the common bead shapes)
                path, quals, table = best_path(lengths, centers, half, coarse, params, COARSE_BEADS, breaks)
                table = None  # coarse scores say nothing about the final beads
            else:
                path, quals, table = best_path(lengths, centers, half, evidence, params, shapes, breaks)
            break
        except RuntimeError:  # the band missed the corner: widen it
            if half >= max(n, m):
                raise
            half *= 2
    lexicon = _lexicon_evidence(src, tgt, path, params, folded) if params.lexicon_weight > 0 else None
    if lexicon is not None:
        evidence = evidence + [lexicon]
    if half > params.refine_band or lexicon is not None:
        try:
            path, quals, table = best_path(lengths, reach_of_path(path, n), params.refine_band, evidence, params, shapes, breaks)
        except RuntimeError:
            pass  # keep the first pass's path
    margins = boundary_margins(path, table, src_len, tgt_len, evidence, params, shapes, breaks)
    beads = []
    for (i0, i1, j0, j1), margin, q in zip(path, margins, quals):
        bead = Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), 0.0, round(q, 3))
        bead.confidence = bead_confidence(bead, margin, evidence)
        beads.append(bead)
    if texts_look_unrelated(beads, src, tgt, src_mt, tgt_mt):
        # every bead is a guess between texts that are not translations of each other
        for bead in beads:
            bead.confidence = min(bead.confidence, UNRELATED_CONFIDENCE)
    return beads
