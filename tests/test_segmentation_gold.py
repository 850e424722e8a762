"""Diptych against the hand-checked gold (accuracy only; speed is measured in bench/)."""

from pathlib import Path

import pytest

from pipeline import prepare

GOLD = Path(__file__).parent / "data" / "segmentation"


def _prf(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    from collections import Counter

    hits = sum((Counter(pred) & Counter(gold)).values())
    p, r = hits / max(1, len(pred)), hits / max(1, len(gold))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@pytest.mark.parametrize("case", ["fr_003", "ru_004", "en_002"])
def test_sentences_match_the_gold(case):
    doc = prepare(GOLD / f"{case}.raw.txt")
    pred = [" ".join(s.text.split()) for b in doc.blocks if b.kind != "junk" for s in b.segments]
    gold = (GOLD / f"{case}.gold.txt").read_text(encoding="utf-8").splitlines()
    p, r, f = _prf(pred, gold)
    assert f >= 0.98, (p, r, sorted(set(pred) ^ set(gold))[:6])


def test_hyphenation_decisions_match_the_gold():
    rows = [line.split("\t") for line in (GOLD / "ru_004.hyphenation.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    text = " ".join(b.text for b in prepare(GOLD / "ru_004.raw.txt").blocks)
    assert {d for _, _, d, _ in rows} == {"join", "keep"}
    for left, right, decision, result in rows:
        expected = left[:-1] + right if decision == "join" else left + right
        assert expected == result and result in text, (left, right, decision)
