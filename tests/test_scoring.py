"""Scoring with sacrebleu (equal to its CLI), paired tests, quality flags, check, edition scoring."""

import json
import hashlib
import random
import shutil
import subprocess
import sys

import pytest

from pipeline import prepare
from pipeline.quality import numbers, quality_flags
from pipeline.editions import render
from conftest import SHARED_DATA, TINY_MAX_LENGTH, diptych, seed_path

PARALLEL = SHARED_DATA / "parallel"
needs_data = pytest.mark.skipif(not PARALLEL.is_dir(), reason="../shared/data/parallel is not beside this checkout")


def sacrebleu_cli(ref, hyp, *args):
    proc = subprocess.run([sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), "-f", "json", *args], capture_output=True, text=True, check=True)
    out = json.loads(proc.stdout)
    return out if isinstance(out, list) else [out]


@needs_data
def test_scores_equal_sacrebleus_own_cli(tmp_path):
    ref = PARALLEL / "flores_dev.fr-en.en"
    lines = ref.read_text(encoding="utf-8").splitlines()
    same = diptych("score", str(ref), str(ref), "--json")
    assert json.loads(same.stdout)["scores"]["BLEU"]["score"] == 100.0  # sacrebleu prints 100.0 too
    shuffled = lines[:]
    random.Random(1).shuffle(shuffled)
    # a "system": mostly the reference, some lines shuffled in
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("\n".join(l if i % 3 else shuffled[i] for i, l in enumerate(lines)) + "\n", encoding="utf-8")
    ours = json.loads(diptych("score", str(hyp), str(ref), "--json").stdout)["scores"]
    theirs = {r["name"]: r for r in sacrebleu_cli(ref, hyp, "-m", "bleu", "chrf", "ter")}
    theirs.update({r["name"]: r for r in sacrebleu_cli(ref, hyp, "-m", "chrf", "--chrf-word-order", "2")})
    assert set(ours) == {"BLEU", "chrF2", "chrF2++", "TER"}
    for name, r in ours.items():
        assert r["score"] == theirs[name]["score"], name
        assert r["signature"] == theirs[name]["signature"], name


@needs_data
def test_paired_tests_and_confidence_on_made_up_systems(tmp_path):
    ref = PARALLEL / "flores_dev.fr-en.en"
    lines = ref.read_text(encoding="utf-8").splitlines()[:300]
    ref300 = tmp_path / "ref.txt"
    ref300.write_text("\n".join(lines) + "\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("\n".join(l if i % 5 else " ".join(l.split()[:-2]) for i, l in enumerate(lines)) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(" ".join(l.split()[: len(l.split()) // 2]) for l in lines) + "\n", encoding="utf-8")
    proc = diptych("score", str(good), str(ref300), "--baseline", str(bad), "--metrics", "bleu,chrf", "--confidence", "200", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["scores"]["BLEU"]["ci95"] > 0
    tests = {t["test"]: t for t in out["paired"]}
    assert set(tests) == {"paired bootstrap", "approximate randomization"}
    for t in tests.values():
        assert t["metrics"]["BLEU"]["system"] > t["metrics"]["BLEU"]["baseline"]
        assert t["metrics"]["BLEU"]["p_value"] < 0.05
    # a worse system against a better baseline: no significance in its favour
    worse = json.loads(diptych("score", str(bad), str(ref300), "--baseline", str(good), "--metrics", "bleu", "--json").stdout)
    for t in worse["paired"]:
        assert t["metrics"]["BLEU"]["system"] < t["metrics"]["BLEU"]["baseline"]


def test_line_count_mismatch_is_a_clear_error(tmp_path):
    (tmp_path / "h.txt").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("a\n", encoding="utf-8")
    proc = diptych("score", str(tmp_path / "h.txt"), str(tmp_path / "r.txt"))
    assert proc.returncode == 1 and "line-aligned" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "source,english,lang,flag",
    [
        ("Le chat dort sur le canapé du salon.", "", "fr", "empty"),
        ("Le chat dort sur le canapé du salon.", "Le chat dort sur le canapé du salon.", "fr", "untranslated"),
        ("Le chat dort sur le canapé du salon depuis ce matin.", "Le chat dort sur le sofa du salon depuis ce matin, tranquille.", "fr", "untranslated"),
        ("Статья посвящена объединению левых партий.", "Статья посвящена объединению левых партий.", "ru", "untranslated"),
        ("Le chat dort sur le canapé du salon depuis ce matin.", "Cat.", "fr", "length_ratio"),
        ("Il y avait 70 000 manifestants et 3,3 millions de grévistes.", "There were 70,000 protesters and 3.4 million strikers.", "fr", "number_mismatch"),
        ("Il a dit « non » au gouvernement.", "He said “no to the government.", "fr", "unbalanced"),
        ("Je suis désolé.", "I'm sorry, I'm sorry, I'm sorry, I'm sorry", "fr", "repetition"),
    ],
)
def test_each_flag_fires_on_a_bad_translation(source, english, lang, flag):
    assert flag in quality_flags(source, english, lang)


def test_good_translations_raise_no_flag_and_numbers_match_across_conventions():
    assert quality_flags("Il y avait 70 000 manifestants et 3,3 millions de grévistes en 2016.", "There were 70,000 protesters and 3.3 million strikers in 2016.", "fr") == []
    assert numbers("70 000 et 3,3", "fr") == numbers("70,000 and 3.3", "en")
    assert quality_flags("Статья посвящена объединению партий в 2022 г.", "The article is devoted to the unification of parties in 2022.", "ru") == []


def test_one_number_reader_for_the_flags_and_the_aligner_s_anchors():
    from pipeline.alignment.features import number_token
    from pipeline.numbers import number_value

    # the flags: values, the thousands mark the language's ("1.500" is 1500 in French, 1.5 in English)
    assert numbers("1.500 et 007 et 2,50", "fr") == numbers("1,500 and 7 and 2.5", "en")
    assert numbers("1.500", "en") == numbers("1,5", "fr") != numbers("1.500", "fr")
    # the anchors: one reading in every language, zeros as written (see pipeline/numbers.py)
    assert number_token("1.500") == number_token("1,500") == number_token("1 500") == "#1500"
    assert number_token("07") == "#07" and number_token("2,50") == "#2.50"
    assert number_value("0,0", canonical=True) == "0" and number_value("10\u202f000,5", thousands=",") == "10000.5"


@needs_data
def test_false_alarm_rate_on_human_translations_is_low():
    rates = []
    for src, tgt, lang in (("flores_dev.fr-en.fr", "flores_dev.fr-en.en", "fr"), ("flores_dev.ru-en.ru", "flores_dev.ru-en.en", "ru")):
        pairs = list(zip((PARALLEL / src).read_text().splitlines(), (PARALLEL / tgt).read_text().splitlines()))
        rates.append(sum(bool(quality_flags(s, t, lang)) for s, t in pairs) / len(pairs))
    assert max(rates) < 0.08, rates  # measured: 4.9% on FLORES dev fr-en and ru-en


def _edition(tmp_path):
    doc = prepare(seed_path("003"))
    for b in doc.blocks:
        for s in b.segments:
            if b.kind != "junk" and s.lang == "fr":
                s.translation = f"English of {s.text[:30].strip()}."
    render(doc, tmp_path / doc.id, ["tsv"])
    return doc, tmp_path / doc.id


def test_check_recomputes_flags_after_a_translator_edits_the_tsv(tmp_path):
    doc, folder = _edition(tmp_path)
    record, tsv = folder / f"{doc.id}.jsonl", folder / f"{doc.id}.tsv"
    rows = tsv.read_text(encoding="utf-8").splitlines()
    target = next(i for i, r in enumerate(rows) if "Mais la suite sera beaucoup moins aisée." in r)
    cells = rows[target].split("\t")
    cells[4] = "Mais la suite sera beaucoup moins aisée."  # the translator pasted the source back by mistake
    rows[target] = "\t".join(cells)
    edited = tmp_path / "edited.tsv"
    edited.write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = diptych("check", str(record), "--translations", str(edited), "--json")
    assert proc.returncode == 0, proc.stderr
    flagged = {json.loads(l)["id"]: json.loads(l)["flags"] for l in proc.stdout.splitlines()}
    assert "untranslated" in flagged[cells[0]]
    from pipeline.doc import Document

    seg = next(s for s in Document.load(record).segments if s.id == cells[0])
    assert seg.translation == "Mais la suite sera beaucoup moins aisée." and seg.meta["edited"]


def test_score_an_edition_against_a_reference_that_is_not_line_aligned(tmp_path):
    doc, folder = _edition(tmp_path)
    english = [s.translation for b in doc.blocks if b.kind != "junk" for s in b.segments if s.translation]
    # a reference in one paragraph per five sentences, with one sentence reworded
    ref_sentences = [e if i != 7 else "Something else entirely, said differently." for i, e in enumerate(english)]
    reference = tmp_path / "ref.txt"
    reference.write_text("\n\n".join(" ".join(ref_sentences[i : i + 5]) for i in range(0, len(ref_sentences), 5)) + "\n", encoding="utf-8")
    proc = diptych("score", str(folder), "--reference", str(reference), "--json", "--worst", "3")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["coverage"]["reference"] > 0.9 and out["coverage"]["hypothesis"] > 0.9
    assert out["worst"][0]["chrf"] < 50 <= out["worst"][-1]["chrf"] or out["worst"][0]["chrf"] <= out["worst"][-1]["chrf"]
    assert any("Something else" in w["reference"] for w in out["worst"])
    assert not (folder / f"{doc.id}.html").exists()  # scoring reads the edition: only --write renders the page


def _one_line(proc) -> str:
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_a_reference_that_pairs_no_sentence_is_one_line_and_exit_1(tmp_path):
    _, folder = _edition(tmp_path)
    reference = tmp_path / "unrelated.txt"
    reference.write_text("The quick brown fox jumps over the lazy dog.\nQuantum chromodynamics describes how gluons bind quarks.\n", encoding="utf-8")
    proc = diptych("score", str(folder), "--reference", str(reference))
    assert proc.returncode == 1, proc.stderr
    assert "no sentence of the reference could be paired" in _one_line(proc)


def test_an_unrelated_reference_is_refused_not_scored_over_chance_pairs(tmp_path):
    # the aligner pairs almost every sentence of a long unrelated text by chance: a score
    # over those pairs would measure nothing
    _, folder = _edition(tmp_path)
    proc = diptych("score", str(folder), "--reference", str(seed_path("000")), "--json")
    assert proc.returncode == 1, proc.stdout
    assert "does not look like a translation of" in _one_line(proc) and not proc.stdout


def test_a_reference_of_part_of_the_edition_still_scores(tmp_path):
    doc, folder = _edition(tmp_path)
    english = [s.translation for b in doc.blocks if b.kind != "junk" for s in b.segments if s.translation]
    half = english[: len(english) // 2]
    reference = tmp_path / "half.txt"
    reference.write_text("\n\n".join(" ".join(half[i : i + 5]) for i in range(0, len(half), 5)) + "\n", encoding="utf-8")
    proc = diptych("score", str(folder), "--reference", str(reference), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert 0.4 < out["coverage"]["hypothesis"] < 0.6 and out["coverage"]["reference"] > 0.9
    assert out["scores"][0]["score"] > 90


def test_scoring_every_edition_skips_one_whose_reference_pairs_nothing(tmp_path):
    doc, folder = _edition(tmp_path / "outputs")
    shutil.copytree(folder, tmp_path / "outputs" / "copy")
    refs = tmp_path / "refs"
    refs.mkdir()
    (refs / f"{folder.name}.txt").write_text("The quick brown fox jumps over the lazy dog.\n", encoding="utf-8")
    english = [s.translation for b in doc.blocks if b.kind != "junk" for s in b.segments if s.translation]
    (refs / "copy.txt").write_text(" ".join(english) + "\n", encoding="utf-8")
    proc = diptych("score", str(tmp_path / "outputs"), "--reference", str(refs), "--json")
    assert proc.returncode == 0, proc.stderr
    assert f"{folder.name}.txt: no sentence of the reference could be paired" in _one_line(proc) and proc.stderr.strip().endswith("skipped")
    assert json.loads(proc.stdout)["scores"][0]["score"] > 90  # the other edition is scored


def _hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_readme_worked_example_scores_without_changing_the_edition(tiny_models, tmp_path):
    seed = seed_path("004")
    proc = diptych("run", str(seed), "--model", f"ru={tiny_models['ru']}", "--max-length", TINY_MAX_LENGTH,
                   "--compute-type", "float32", "--out", str(tmp_path / "outputs"))
    assert proc.returncode == 0, proc.stderr
    segments = diptych("segment", str(seed), "--jsonl")
    assert segments.returncode == 0, segments.stderr
    abstract = tmp_path / "abstract.en.txt"  # as the README builds it
    abstract.write_text(" ".join(o["text"] for o in map(json.loads, segments.stdout.splitlines()) if o["lang"] == "en") + "\n", encoding="utf-8")
    edition = tmp_path / "outputs" / seed.stem
    before = _hashes(edition)
    proc = diptych("score", str(edition), "--reference", str(abstract), "--block", "b0", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["pairs"] > 0
    assert _hashes(edition) == before  # scoring reads an edition; only --write changes it


def test_score_write_names_the_reference_in_the_record_and_on_the_page(tmp_path):
    from pipeline.doc import Document

    doc, folder = _edition(tmp_path)
    english = [s.translation for b in doc.blocks if b.kind != "junk" for s in b.segments if s.translation]
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(" ".join(english) + "\n", encoding="utf-8")
    second.write_text("\n\n".join(" ".join(english[i : i + 5]) for i in range(0, 40, 5)) + "\n", encoding="utf-8")
    record, page = folder / f"{doc.id}.jsonl", folder / f"{doc.id}.html"
    before = _hashes(folder)
    proc = diptych("score", str(folder), "--reference", str(first), "--write")
    assert proc.returncode == 0, proc.stderr
    after = _hashes(folder)
    assert {name for name in after if before.get(name) != after[name]} == {record.name, page.name}
    scored_first = [s for s in Document.load(record).segments if "scores" in s.meta]
    proc = diptych("score", str(folder), "--reference", str(second), "--write", "--json")
    assert proc.returncode == 0, proc.stderr
    sha = hashlib.sha256(second.read_bytes()).hexdigest()
    written = Document.load(record).meta["reference_scores"]
    assert written["reference"] == {"path": str(second), "sha256": sha}
    html = page.read_text(encoding="utf-8")
    assert str(second) in html and sha in html
    assert str(first) not in html and hashlib.sha256(first.read_bytes()).hexdigest() not in html
    # no sentence keeps a score against the first reference, which the second replaced
    coverage = json.loads(proc.stdout)["coverage"]
    scored = [s for s in Document.load(record).segments if "scores" in s.meta]
    assert len(scored) == round(coverage["hypothesis"] * coverage["hypothesis_sentences"]) < len(scored_first)


def test_write_without_an_edition_to_write_into_is_a_usage_error(tmp_path):
    (tmp_path / "h.txt").write_text("a\n", encoding="utf-8")
    proc = diptych("score", str(tmp_path / "h.txt"), str(tmp_path / "h.txt"), "--write")
    assert proc.returncode == 2 and "--write" in _one_line(proc) and not proc.stdout
