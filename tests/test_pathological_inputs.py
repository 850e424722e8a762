"""The front end runs in linear time on inputs built to make a pattern backtrack.

Runs of 10,000 dots, dashes, spaces, digits, quotes, emoji, dot-space and their kin, a
contents page with dotted leaders: each must cost a small multiple of plain prose of the
same length, both timed in one process (bench/pathological_inputs.py, best of 3), so that a
busy machine slows both alike. A quadratic pattern shows in the hundreds at this length
(a smiley's brackets read every way: 2,480), an exponential one never finishes; today's
worst is about 10 (dot-space, omission marks, hyphenated line ends: thousands of boundaries
that are looked at and refused).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, diptych

# the worst measured is about 10 (see above); 25 leaves room for a loaded machine and is
# still a tenth of what the mildest quadratic pattern cost at this length
MAX_RATIO = 25
BENCH = ROOT / "bench" / "pathological_inputs.py"


def test_every_pathological_input_costs_a_small_multiple_of_plain_prose():
    try:
        done = subprocess.run([sys.executable, str(BENCH), "--json", "--chars", "10000", "--repeat", "3"],
                              capture_output=True, text=True, timeout=240, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail("the front end did not finish the pathological inputs in 240 s: a pattern backtracks")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {r["case"] for r in rows} >= {"dots", "dashes", "spaces", "digits", "straight quotes", "guillemets",
                                         "emoji", "dot-space", "contents page"}
    slow = [f"{r['case']} ({r['lang']}): {r['ratio']:.0f}x plain prose" for r in rows if r["ratio"] > MAX_RATIO]
    assert not slow, slow


@pytest.mark.parametrize("line", ["13", "— 13 —", "- 13 -", "[13]", "(13)", "p. 13", "page 13 |", "стр. 13", "  13  "])
def test_a_page_number_line_is_still_one(line):
    from pipeline.structure import _PAGE_NUMBER

    assert _PAGE_NUMBER.match(line)


@pytest.mark.parametrize("line", ["13 ans", "p. 13 suite", "— 13 — x", "page"])
def test_a_line_with_more_than_a_page_number_is_not_one(line):
    from pipeline.structure import _PAGE_NUMBER

    assert not _PAGE_NUMBER.match(line)


@pytest.mark.parametrize("line", ["Notes", "## Notes :", "**Notes**", "# ** Références ** :", "  Примечания  ", "NOTES:"])
def test_a_notes_heading_is_still_one(line):
    from pipeline.structure import NOTES_HEADING

    assert NOTES_HEADING.match(line)


@pytest.mark.parametrize("line", ["Notes de lecture", "** Notes ** suite", "Les notes"])
def test_a_line_that_says_more_is_not_a_notes_heading(line):
    from pipeline.structure import NOTES_HEADING

    assert not NOTES_HEADING.match(line)


def test_segment_reads_a_contents_page_with_glued_leaders_at_once(tmp_path):
    """The page that kept ``diptych segment`` busy for minutes: leaders glued to their page
    number make the boundary pattern fail, after trying every way to read the dots."""
    titles = ["INTRODUCTION", "OBJET DU DOCUMENT", "DESCRIPTION GENERALE", "DISPOSITIF DE SECURITE ELECTRIQUE",
              "ECLAIRAGE DE SECURITE", "ANNEXES", "PLANS DES NIVEAUX", "GLOSSAIRE",
              "MAINTENANCE", "ACCES AUX LOCAUX"]
    lines = ["SOMMAIRE", ""] + [f"{i // 3 + 1}.{i % 3 + 1} {t} " + "." * (100 - len(t)) + str(3 + 4 * i)
                                for i, t in enumerate(titles)]
    page = tmp_path / "sommaire.txt"
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert 1000 < page.stat().st_size < 1200
    done = diptych("segment", "--lang", "fr", str(page), timeout=60)
    assert done.returncode == 0, done.stderr
    assert "DISPOSITIF DE SECURITE ELECTRIQUE" in done.stdout
