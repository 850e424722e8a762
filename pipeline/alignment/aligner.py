"""Sentences in, beads out: the aligner over length, anchors and machine-translation bridges.

Monotone beads of every shape up to three sentences a side (1-1, 1-2, 2-1, 2-2, 1-3, 3-1,
2-3, 3-2, 3-3, 1-0, 0-1) and one sentence against four or five (1-4, 4-1, 1-5, 5-1: a long
sentence rendered as a list, as real translations do; ``max_side=3`` leaves them out),
found by dynamic programming over these kinds of evidence:

* length: the Gale-Church model, with the document's own length ratio;
* anchors and shared surface (:mod:`.features`): names, numbers and cognates line up;
* paragraphs, when both texts' are known: a bead that ends where both start one gains
  a little (:func:`.paragraphs.paragraph_bonus`);
* a bridge, when a machine translation of each source sentence exists: the same
  similarity between that translation and the target, a cheap stand-in for chrF; and,
  when a translation of each target sentence into the source language exists too
  (Bleualign's two directions), the similarity between the source and that translation;
* where no bridge exists (and ``lexicon_weight`` is not 0): a word lexicon learned from
  the first path's 1-1 beads (:mod:`.lexicon`), used in the narrow pass around that path.

The search (:mod:`.search`) runs twice: in a wide band around the length diagonal, then in a
narrow band around every point of the first path, so cost grows linearly with document
length. The texts are also read a passage at a time; where that path strays from the
diagonal (a passage one text lacks), the first search is made around it too. Each bead's confidence (:mod:`.confidence`) weighs how much worse the alignment
gets if its boundaries move, the least share of the match any member of a merged bead
carries, and the bead's size. No I/O here: :mod:`pipeline.jobs.align_texts` reads files.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from .beads import Bead
from .confidence import UNRELATED_CONFIDENCE, bead_confidence, boundary_margins, texts_look_unrelated
from .band import KeptCounts, Side, Table, fold_dims
from .features import fold_each, idf_weighted, script_of, vectors, word_ids
from .lexicon import learn, lexicon_rows
from .paragraphs import ParagraphBreaks
from .params import BEADS, COARSE_BEADS, LONG_BEADS, AlignParams
from .rows import SentenceRows
from .scoring import Evidence, LengthModel, chance_baseline
from .search import BeadPath, best_path, centers_from_lengths, reach_of_path
from .verbatim import kept_and_held, kept_columns


def _evidence(params: AlignParams, a: SentenceRows, b: SentenceRows, mt: SentenceRows | None, back: SentenceRows | None) -> list[Evidence]:
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


def _verbatim_evidence(src: Sequence[str], tgt: Sequence[str], words: tuple, params: AlignParams) -> list[Evidence]:
    """The tokens each side must keep that the other side of a bead lacks
    (:mod:`.verbatim`), counted both ways; ``words``: both sides through :func:`.features.word_ids`."""
    x, y = kept_and_held(src, tgt, words, (script_of(src), script_of(tgt)))
    return [Evidence(params.verbatim_weight, x, KeptCounts(x, kept_columns(x, "src")), KeptCounts(y, kept_columns(y, "tgt")), y, {}, miss=True)]


def _coarse(evidence: list[Evidence]) -> list[Evidence]:
    """The same evidence over folded vectors (a quarter of the dimensions): cheaper, and
    enough to find the neighbourhood of the path."""
    return [ev.over(fold_dims(ev.src), fold_dims(ev.tgt)) for ev in evidence if not ev.miss]


# The first pass is searched in a band of at most 48 sentences around the length diagonal;
# a passage one text has and the other lacks (a translator's preface, a chapter left
# untranslated) moves the true path further off that diagonal than the band reaches, and
# the path found inside it is then wrong for as long as it stays out. So the texts are also
# read a passage at a time (the path of passages: a missing passage is a passage left out)
# and, where that path strays from the diagonal, searched around it too: a document of up
# to ``coarse_from`` sentences keeps the better-scoring of the two paths; a longer one
# takes the passages' path where it stays beyond the band for long (STRAY_SHARE) or where
# the first path runs along the band's edge (EDGE_SHARE). Synthetic pairs (bench/align_bench.py;
# share of the source sentences matched to their own translation): 10,000 sentences with a
# 150-sentence preface 0.43 -> 0.95, with 150 left out in the middle 0.65 -> 0.93; 40,000
# 0.45 / 0.62 -> 0.95 / 0.95; 800 0.37 / 0.67 -> 0.97 / 0.94; FLORES+WMT ru-en without MT,
# 3,000 0.49 -> 0.96; pairs without such a passage, and the cross-validation folds, are
# aligned as before. A passage is a 500th of the longer text (so that a programme over
# pairs of passages stays a fraction of the sentences'), but at most PASSAGE_MAX sentences:
# 80 summed sentences share so much by chance with any others that two 40,000-sentence
# texts' passages no longer found each other. Passages are compared within PASSAGE_BAND
# passages of their length diagonal (5,000 sentences).
PASSAGES = 500
PASSAGE_MAX = 20
PASSAGE_BAND = 250


def _passage_guide(lengths: LengthModel, coarse: list[Evidence], params: AlignParams) -> tuple[list[tuple[int, int, int, int]], int]:
    """The path of passages, in sentences (each passage bead as the diagonal of its
    sentences, a passage left out as its sentences left out), and the passage size."""
    n, m = len(lengths.cs) - 1, len(lengths.ct) - 1
    size = min(-(-max(n, m) // PASSAGES), PASSAGE_MAX)
    rng = np.random.default_rng(0)
    passages = [ev.over(ev.src.grouped(size), ev.tgt.grouped(size), rng) for ev in coarse if not ev.miss]
    src_cuts, tgt_cuts = np.append(np.arange(0, n, size), n), np.append(np.arange(0, m, size), m)
    passage_lengths = LengthModel.of(np.diff(lengths.cs[src_cuts]), np.diff(lengths.ct[tgt_cuts]))
    # A passage bead's evidence is one cosine, as a sentence bead's is, so a passage left
    # out costs what leaving out its sentences costs, shared among them (their whole cost,
    # twenty times what pairing two passages gains, made the passages' path merge passages
    # instead of leaving one out: 0.94 rather than 0.95 of the gap case right, and a
    # sentence's single price made passages dropped on both sides cheaper than pairing)
    passage_params = replace(params, skip=(params.skip + params.skip_run * (size - 1)) / size)
    path = _widening(passage_lengths, centers_from_lengths(passage_lengths), PASSAGE_BAND, passages, passage_params, shapes=COARSE_BEADS)[0]
    guide = []
    for p0, p1, q0, q1 in path:
        i0, i1, j0, j1 = (int(x) for x in (src_cuts[p0], src_cuts[p1], tgt_cuts[q0], tgt_cuts[q1]))
        if i0 == i1:
            guide += [(i0, i0, j, j + 1) for j in range(j0, j1)]
        else:
            along = [j0 + round((i - i0) * (j1 - j0) / (i1 - i0)) for i in range(i0, i1 + 1)]
            guide += [(i, i + 1, along[i - i0], along[i + 1 - i0]) for i in range(i0, i1)]
    return guide, size


# A long document's first path that ends more than this share of its beads within two
# cells of its band's edge probably left the band: on synthetic 3,000- and 10,000-sentence
# pairs the paths of texts without a passage the other lacks did so for 0 and 0.5% of
# their beads, those with one (150 sentences, at the start or in the middle) for 3-14%.
# (A shorter document's path rather spreads such a passage over merged beads inside the
# band: 1,500 sentences with the preface, 11 beads near the edge; there both paths are
# searched and scored.)
EDGE_SHARE = 0.02


def _along_the_edge(path: BeadPath, table: Table, m: int) -> bool:
    """Does the path end more than EDGE_SHARE of its beads within two cells of its band's
    edge (where the edge is not the document's)?"""
    lo = table.lo
    hi = [int(start) + len(row) - 1 for start, row in zip(lo, table.score)]
    near = sum(1 for _, i, _, j in path if (j - lo[i] <= 2 and lo[i] > 0) or (hi[i] - j <= 2 and hi[i] < m))
    return near > EDGE_SHARE * len(path)


def _guide_reach(guide: list[tuple[int, int, int, int]], n: int, half: int) -> tuple[np.ndarray, np.ndarray]:
    """Per source prefix, the target prefixes a first pass's band must cover around a
    guiding path: a row whose span the band covers from its middle is banded around the
    middle (a passage's few omitted lines would otherwise widen every row), a wider one
    around its whole span."""
    first, last = reach_of_path(guide, n)
    middle, fits = (first + last) // 2, last - first <= 2 * half
    return np.where(fits, middle, first), np.where(fits, middle, last)


# The passages' path of a long document strays from the length diagonal for a few passages
# where it catches up with a drift (the synthetic pairs with every 50th target sentence
# dropped: beyond the band for 65 of 10,000 source sentences and 219 of 40,000, 0.55-0.65%),
# and a passage one text lacks holds it off for a stretch that grows with the document, as
# the diagonal spreads the passage over its length (150 sentences left out: 424 of 2,400,
# 438 of 10,000, 1,796 of 40,000; a preface, 3,053 of 10,000). Beyond the band for more than
# this share of the source sentences at a stretch, the passages' path is believed.
STRAY_SHARE = 0.025


def _longest_run(flags: np.ndarray) -> int:
    """The longest run of True."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(np.int8), [0]])))
    return int((edges[1::2] - edges[::2]).max()) if len(edges) else 0


def _widening(lengths: LengthModel, centers: np.ndarray | tuple[np.ndarray, np.ndarray], half: int, evidence: list[Evidence],
              params: AlignParams, *, shapes: tuple[tuple[int, int], ...], breaks: ParagraphBreaks | None = None) -> tuple[BeadPath, list[float], Table, int]:
    """:func:`.search.best_path`, its band doubled wherever it missed the corner (until it is
    the whole text), and the half-width it took."""
    widest = max(len(lengths.cs), len(lengths.ct)) - 1
    while True:
        try:
            return (*best_path(lengths, centers, half, evidence, params, beads=shapes, breaks=breaks), half)
        except RuntimeError:
            if half >= widest:
                raise
            half *= 2


def _best_score(table: Table, n: int, m: int) -> float:
    return float(table.score[n][m - table.lo[n]])


def _long_target_runs(path: list[tuple[int, int, int, int]], keep: int) -> list[tuple[int, int, int]]:
    """The runs of target lines the path leaves out that are longer than three times
    ``keep``, as (source prefix, first and last target prefix of the run's interior), the
    ``keep`` lines at each end left out of the interior."""
    runs = []
    start = None
    for k, (i0, i1, _, _) in enumerate(path + [(0, 1, 0, 0)]):  # a sentinel ends the last run
        if i0 == i1 and start is None:
            start = k
        elif i0 != i1 and start is not None:
            i, first, last = path[start][0], path[start][2], path[k - 1][3]
            if last - first > 3 * keep:
                runs.append((i, first + keep, last - keep))
            start = None
    return runs


def _piece(lengths: LengthModel, evidence: list[Evidence], breaks: ParagraphBreaks | None, *,
           i0: int, i1: int, j0: int, j1: int) -> tuple[LengthModel, list[Evidence], ParagraphBreaks | None]:
    """The sentences i0..i1-1 and j0..j1-1 as a document of their own: the whole
    document's length ratio and chance baselines, paragraph breaks but at its two ends."""
    piece_lengths = LengthModel(lengths.cs[i0:i1 + 1] - lengths.cs[i0], lengths.ct[j0:j1 + 1] - lengths.ct[j0], lengths.ratio, lengths.var)
    piece_evidence = [ev.rows(i0, i1, j0, j1) for ev in evidence]
    piece_breaks = None
    if breaks is not None:
        src, tgt = breaks.src[i0:i1 + 1].copy(), breaks.tgt[j0:j1 + 1].copy()
        src[[0, -1]] = tgt[[0, -1]] = False
        piece_breaks = ParagraphBreaks(src, tgt, breaks.reversed)
    return piece_lengths, piece_evidence, piece_breaks


def _search_around(guide: BeadPath, guide_quals: list[float], lengths: LengthModel, evidence: list[Evidence], params: AlignParams, *,
                   half: int, keep: int, shapes: tuple[tuple[int, int], ...], breaks: ParagraphBreaks | None,
                   with_margins: bool) -> tuple[BeadPath, list[float], list[float]]:
    """The best path in a band of ``half`` around every point of a guide path, with each
    bead's quality and, where asked, its boundary margin (else 0); ``keep``: how far the
    ends of a long run of omissions may move (below).

    A band holds every row as wide as its widest, and a run of target lines the guide
    leaves out at one source position (a passage the source lacks) makes its row as wide
    as the run: 200 lines widened a whole narrow pass twentyfold. So a run longer than
    three times ``keep`` is kept as the guide has it, less ``keep`` lines at each end
    (where the search may still move the run's ends), and the search runs on the pieces
    between; a kept line's margin is full (moving a boundary there takes a sentence from
    a passage the other text lacks). Where no path fits a piece's band, a first pass
    widens it; a narrow pass keeps the guide's path."""
    n, m = len(lengths.cs) - 1, len(lengths.ct) - 1
    corners = [(0, 0)] + [c for i, first, last in _long_target_runs(guide, keep) for c in ((i, first), (i, last))] + [(n, m)]
    out_path: list[tuple[int, int, int, int]] = []
    out_quals: list[float] = []
    out_margins: list[float] = []
    for p, ((i0, j0), (i1, j1)) in enumerate(zip(corners[::2], corners[1::2])):
        kept = [(i0, i0, j, j + 1) for j in range(corners[2 * p - 1][1], j0)] if p else []  # the run before this piece
        if i0 == i1 or j0 == j1:  # a run at the document's end: nothing to align in its last lines
            kept += [(i0, i0, j, j + 1) for j in range(j0, j1)] + [(i, i + 1, j0, j0) for i in range(i0, i1)]
        out_path += kept
        out_quals += [0.0] * len(kept)
        out_margins += [1.0] * len(kept)
        if i0 == i1 or j0 == j1:
            continue
        whole = (i0, i1, j0, j1) == (0, n, 0, m)
        piece_lengths, piece_evidence, piece_breaks = (lengths, evidence, breaks) if whole else _piece(lengths, evidence, breaks, i0=i0, i1=i1, j0=j0, j1=j1)
        inside = [k for k, (a0, a1, b0, b1) in enumerate(guide) if i0 <= a0 and a1 <= i1 and j0 <= b0 and b1 <= j1]
        inside_guide = [(guide[k][0] - i0, guide[k][1] - i0, guide[k][2] - j0, guide[k][3] - j0) for k in inside]
        # a first pass is banded around the passages' path; a narrow pass around every cell of the first path
        reach = _guide_reach(inside_guide, i1 - i0, half) if not with_margins else reach_of_path(inside_guide, i1 - i0)
        if not with_margins:  # a first pass widens its band where it misses the corner
            path, quals, table, _ = _widening(piece_lengths, reach, half, piece_evidence, params, shapes=shapes, breaks=piece_breaks)
        else:
            try:
                path, quals, table = best_path(piece_lengths, reach, half, piece_evidence, params, beads=shapes, breaks=piece_breaks)
            except RuntimeError:  # a narrow pass keeps the guide's path
                path, quals, table = inside_guide, [guide_quals[k] for k in inside], None
        out_margins += (boundary_margins(path, table, piece_lengths, piece_evidence, params, shapes=shapes, breaks=piece_breaks) if with_margins
                        else [0.0] * len(path))
        out_path += [(a0 + i0, a1 + i0, b0 + j0, b1 + j0) for a0, a1, b0, b1 in path]
        out_quals += quals
    return out_path, out_quals, out_margins


def _first_path(lengths: LengthModel, evidence: list[Evidence], params: AlignParams, *, half: int, shapes: tuple[tuple[int, int], ...],
                breaks: ParagraphBreaks | None, long_document: bool) -> tuple[BeadPath, list[float], Table | None, int]:
    """The first pass's path, its beads' qualities, its table (None for a long document,
    whose coarse scores say nothing about the final beads) and the band's final half-width."""
    n, m = len(lengths.cs) - 1, len(lengths.ct) - 1
    centers = centers_from_lengths(lengths)
    guide = None
    if long_document and 2 * half < max(n, m):
        # a long document's passages' path is read first: where it stays beyond the band
        # for long, the search is made around it alone, and the band around the diagonal,
        # whose path would be dropped, is not searched (0.7 s of two 10,000-sentence
        # Russian-English texts, whose passages' path strays; the same beads)
        guide, passage = _passage_guide(lengths, evidence, params)
        off = np.abs(_guide_reach(guide, n, half)[0] - centers)
        if _longest_run(off > half) > STRAY_SHARE * n:
            return _around_passages(guide, lengths, evidence, params, passage=passage, half=half, breaks=breaks)
    path, quals, table, half = _widening(lengths, centers, half, evidence, params, shapes=shapes, breaks=breaks)
    # where the band around the length diagonal may have missed the path (a passage one
    # text lacks moves it further off the diagonal than the band reaches), the texts are
    # read a passage at a time, and where the passages' path strays from the diagonal the
    # band around it is searched too (not where the band reaches half the longer text, up
    # to 96 sentences: there the passages' path adds little a band that wide does not
    # reach, and it took FLORES's 31 cases of 21-38 sentences from 1.9 to 3.1 s)
    if 2 * half < max(n, m):
        if not long_document:
            guide, passage = _passage_guide(lengths, evidence, params)
            reach = _guide_reach(guide, n, half)
            if np.abs(reach[0] - centers).max() > half // 2:
                # a first pass costs little here: the better-scoring of the two paths is kept
                try:
                    other = best_path(lengths, reach, half, evidence, params, beads=shapes, breaks=breaks)
                    if _best_score(other[2], n, m) > _best_score(table, n, m):
                        path, quals, table = other
                except RuntimeError:  # the corner is outside that band: the first path stands
                    pass
        elif guide is not None and _along_the_edge(path, table, m):
            # the first path runs along its band's edge: the search is made again around the
            # passages' path, in pieces
            return _around_passages(guide, lengths, evidence, params, passage=passage, half=half, breaks=breaks)
    if long_document:
        table = None  # coarse scores say nothing about the final beads
    return path, quals, table, half


def _around_passages(guide: BeadPath, lengths: LengthModel, evidence: list[Evidence], params: AlignParams, *, passage: int, half: int,
                     breaks: ParagraphBreaks | None) -> tuple[BeadPath, list[float], None, int]:
    """A long document's first path searched around its passages' path, in pieces (see
    :func:`_first_path`), with no table, and the half-width it took."""
    half = max(half, 3 * passage)  # where the passages' path catches up with a drift it is a passage or two off
    path, quals, _ = _search_around(guide, [0.0] * len(guide), lengths, evidence, params, half=half, keep=passage, shapes=COARSE_BEADS,
                                    breaks=breaks, with_margins=False)
    return path, quals, None, half


def _lexicon_evidence(src: Sequence[str], tgt: Sequence[str], path: BeadPath, params: AlignParams, *,
                      folded: tuple[list[str], list[str]], words: tuple | None) -> Evidence | None:
    """A lexicon learned from the first path's 1-1 beads (:mod:`.lexicon`) as one more kind
    of evidence for the narrow pass around that path; None where there are too few 1-1
    beads to learn from. Learned from the first pass, not the narrow one, so that the
    narrow pass runs once (a third pass cost a third of the time of two 10,000-sentence
    documents)."""
    found = learn(src, tgt, [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), 0.0) for i0, i1, j0, j1 in path], folded, words)
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
    *,
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
    # both sides' words, for the kept tokens and the lexicon
    words = (word_ids(src, folded[0]), word_ids(tgt, folded[1])) if params.verbatim_weight or params.lexicon_weight else None
    if params.verbatim_weight:
        evidence += _verbatim_evidence(src, tgt, words, params)

    merged = tuple(kl for kl in BEADS + LONG_BEADS if kl[0] and kl[1] and max(kl) <= params.max_side)
    shapes = merged + ((1, 0), (0, 1))  # skips last: a run of skips starts from a finished row
    lengths = LengthModel.of(src_len, tgt_len)
    half = min(max(params.band_min, int(params.band_frac * max(n, m))), params.band_max)
    breaks = ParagraphBreaks.of(src_paragraphs, tgt_paragraphs)
    long_document = max(n, m) > params.coarse_from
    # long documents: a coarse first pass (folded vectors, the common bead shapes)
    first_evidence, first_shapes = (_coarse(evidence), COARSE_BEADS) if long_document else (evidence, shapes)
    path, quals, table, half = _first_path(lengths, first_evidence, params, half=half, shapes=first_shapes, breaks=breaks,
                                            long_document=long_document)
    lexicon = _lexicon_evidence(src, tgt, path, params, folded=folded, words=words) if params.lexicon_weight > 0 else None
    if lexicon is not None:
        evidence = evidence + [lexicon]
    if half > params.refine_band or lexicon is not None or table is None:
        path, quals, margins = _search_around(path, quals, lengths, evidence, params, half=params.refine_band, keep=params.refine_band, shapes=shapes,
                                              breaks=breaks, with_margins=True)
    else:
        margins = boundary_margins(path, table, lengths, evidence, params, shapes=shapes, breaks=breaks)
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
