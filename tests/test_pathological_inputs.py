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
    from pipeline.frontend.line_kinds import PAGE_NUMBER

    assert PAGE_NUMBER.match(line)


@pytest.mark.parametrize("line", ["13 ans", "p. 13 suite", "— 13 — x", "page"])
def test_a_line_with_more_than_a_page_number_is_not_one(line):
    from pipeline.frontend.line_kinds import PAGE_NUMBER

    assert not PAGE_NUMBER.match(line)


@pytest.mark.parametrize("line", ["Notes", "## Notes :", "**Notes**", "# ** Références ** :", "  Примечания  ", "NOTES:"])
def test_a_notes_heading_is_still_one(line):
    from pipeline.frontend.line_kinds import NOTES_HEADING

    assert NOTES_HEADING.match(line)


@pytest.mark.parametrize("line", ["Notes de lecture", "** Notes ** suite", "Les notes"])
def test_a_line_that_says_more_is_not_a_notes_heading(line):
    from pipeline.frontend.line_kinds import NOTES_HEADING

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


def test_a_contents_entry_is_one_sentence_with_its_page_and_only_its_title_is_translated(tmp_path, tiny_models):
    from pipeline.bilingual import english_of, translation_input
    from pipeline.doc import Document

    page = tmp_path / "rapport.txt"
    page.write_text("SOMMAIRE\n\n1 INTRODUCTION .................................. 3\n"
                    "4.7 DISPOSITIF DE SECURITE ELECTRIQUE ....................23\n"
                    "Annexe B . . . . . . . . . . . xi\n\n"
                    "Le rapport décrit les dispositifs de sécurité du bâtiment. Il a été rédigé en mars.\n",
                    encoding="utf-8")
    listed = diptych("segment", "--lang", "fr", str(page), timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[1:4] == [
        "1 INTRODUCTION .................................. 3",
        "4.7 DISPOSITIF DE SECURITE ELECTRIQUE ....................23",
        "Annexe B . . . . . . . . . . . xi",
    ]
    out = tmp_path / "o"
    done = diptych("run", str(page), "--model", f"fr={tiny_models['fr']}", "--max-length", "24",
                   "--compute-type", "float32", "--out", str(out))
    assert done.returncode == 0, done.stderr
    doc = Document.load(out / "rapport" / "rapport.jsonl")
    entries = {s.text: s for s in doc.segments if s.text.startswith(("1 ", "4.7", "Annexe"))}
    assert len(entries) == 3
    pages = {"1 ": " 3", "4.7": "..23", "Annexe": ". xi"}
    for text, seg in entries.items():
        sent = translation_input(seg)  # what the model read: the title alone
        assert "..." not in sent and ". ." not in sent and not sent.endswith(("3", "xi")), sent
        suffix = seg.meta["layout_suffix"]
        assert text == sent + suffix or text.endswith(suffix) and text.startswith(sent)
        assert suffix.endswith(pages[next(p for p in pages if text.startswith(p))])
        assert english_of(seg).endswith(suffix)
    md = next(out.glob("rapport/*.md")).read_text(encoding="utf-8")
    assert "....................23" in md


@pytest.mark.parametrize("line, title", [
    ("4.7 DISPOSITIF DE SECURITE ELECTRIQUE ......... 23", "4.7 DISPOSITIF DE SECURITE ELECTRIQUE"),
    ("Préface . . . . . . 7", "Préface"), ("Chapitre I ………… xi", "Chapitre I"), ("Введение ·········· 5", "Введение"),
    ("Annexes_______12", "Annexes"), ("  2 Méthodes.......................1024  ", "  2 Méthodes"),
])
def test_a_contents_entry_is_found_by_its_leaders_and_page(line, title):
    from pipeline.frontend.line_kinds import contents_entry

    assert line[:contents_entry(line)] == title


@pytest.mark.parametrize("line", ["Il attendit.... 3", "Voir p. 23", "........ 23", "Le total ......... 12345",
                                  "Le mot ......... suite", "Chapitre ......... 3a", "Fin . . . 4"])
def test_prose_and_bare_leaders_are_no_contents_entry(line):
    from pipeline.frontend.line_kinds import contents_entry

    assert contents_entry(line) is None
