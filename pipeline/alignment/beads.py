"""Beads: which source sentences go with which target sentences; their vecalign file
format; and their scores against gold (the definitions of vecalign's and bertalign's
scoring scripts: strict counts exact beads, lax any bead that links a gold pair)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Bead:
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float
    quality: float = 0.0  # the bead's match beyond chance (0: what unrelated text scores)

    def vecalign(self) -> str:
        return f"[{', '.join(map(str, self.src))}]:[{', '.join(map(str, self.tgt))}]"



def format_beads(beads: list[Bead]) -> str:
    """Beads as vecalign writes them, one per line: ``[0]:[0]``, ``[1, 2]:[3]``, ``[4]:[]``."""
    return "".join(b.vecalign() + "\n" for b in beads)


def parse_beads(text: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        left, sep, right = line.strip().partition(":")
        if not sep:
            raise ValueError(f"not a bead line: {line!r}")

        def ids(part: str) -> tuple[int, ...]:
            part = part.strip()
            if not (part.startswith("[") and part.endswith("]")):
                raise ValueError(f"not a bead side: {part!r}")
            inner = part[1:-1].strip()
            return tuple(int(x) for x in inner.split(",")) if inner else ()

        out.append((ids(left), ids(right)))
    return out


def _hits(gold, test) -> np.ndarray:
    """(strict hits, strict misses, lax hits, lax misses) of ``test`` beads against ``gold``."""
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    links: dict[int, set[int]] = {}
    for s, t in gold_set:
        for x in s:
            links.setdefault(x, set()).update(t)
    tp_s = fp_s = tp_l = fp_l = 0
    for s, t in {(tuple(s), tuple(t)) for s, t in test if s or t}:
        if (s, t) in gold_set:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        reachable = set().union(*(links.get(x, set()) for x in s)) if s else set()
        if reachable & set(t):
            tp_l += 1
        else:
            fp_l += 1
    return np.array([tp_s, fp_s, tp_l, fp_l])


def _extent(beads) -> tuple[int, int]:
    """Sentences a side, as far as the beads tell: one past the highest index."""
    return max((i + 1 for s, _ in beads for i in s), default=0), max((j + 1 for _, t in beads for j in t), default=0)


def score_alignments(golds: list, tests: list) -> dict[str, float]:
    """Strict and lax precision/recall/F1, micro-averaged over documents.

    Gold and prediction must reach the same last sentence on each side: beads of
    differently segmented texts would otherwise be scored as misses without a word of
    warning. (A gold file may leave out a line or two inside a gap, as Text+Berg's does.)"""
    p = np.zeros(4)
    r = np.zeros(4)
    for n, (gold, test) in enumerate(zip(golds, tests, strict=True), 1):
        (gs, gt), (ts, tt) = _extent(gold), _extent(test)
        if (gs, gt) != (ts, tt):
            raise ValueError(
                f"document {n}: the gold beads cover {gs} source and {gt} target sentences, the predicted ones "
                f"{ts} and {tt}: they do not align the same texts"
            )
        p += _hits(gold, test)
        r += _hits([b for b in test if b[0] and b[1]], [b for b in gold if b[0] and b[1]])

    def ratio(a: float, b: float) -> float:
        return a / (a + b) if a + b else 0.0

    def f1(x: float, y: float) -> float:
        return 2 * x * y / (x + y) if x + y else 0.0

    ps, pl, rs, rl = ratio(p[0], p[1]), ratio(p[2], p[3]), ratio(r[0], r[1]), ratio(r[2], r[3])
    return {"precision_strict": ps, "recall_strict": rs, "f1_strict": f1(ps, rs), "precision_lax": pl, "recall_lax": rl, "f1_lax": f1(pl, rl)}
