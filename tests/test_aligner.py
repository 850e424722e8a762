"""The sentence aligner: metric definitions, gold cases, bad input, the CLI."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.alignment.aligner import align_sentences
from pipeline.alignment.beads import parse_beads, score_alignments
from pipeline.alignment.confidence import texts_look_unrelated
from pipeline.alignment.params import AlignParams
from conftest import SHARED_DATA, diptych, seed_path

ALIGN = SHARED_DATA / "align"
needs_data = pytest.mark.skipif(not ALIGN.is_dir(), reason="../shared/data/align is not beside this checkout")


def test_scores_follow_vecalign_definitions():
    gold = parse_beads("[0]:[0]\n[1, 2]:[1]\n[3]:[]\n[]:[2]\n[4]:[3, 4]\n")
    assert score_alignments([gold], [gold])["f1_strict"] == 1.0
    pred = parse_beads("[0]:[0]\n[1]:[1]\n[2]:[]\n[3]:[2]\n[4]:[3, 4]\n")
    s = score_alignments([gold], [pred])
    # precision over 5 predicted beads: strict hits [0]:[0], [4]:[3,4]; lax adds [1]:[1]
    assert s["precision_strict"] == pytest.approx(2 / 5) and s["precision_lax"] == pytest.approx(3 / 5)
    # recall over the 3 gold beads with both sides: [0]:[0] and [4]:[3,4] found, [1,2]:[1] lax only
    assert s["recall_strict"] == pytest.approx(2 / 3) and s["recall_lax"] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        parse_beads("0:0")


def test_beads_of_differently_split_texts_are_refused_not_scored(tmp_path):
    gold = parse_beads("[0]:[0]\n[1]:[1, 2]\n")
    with pytest.raises(ValueError, match="2 source and 3 target sentences, the predicted ones 3 and 3"):
        score_alignments([gold], [parse_beads("[0]:[0]\n[1]:[1]\n[2]:[2]\n")])
    (tmp_path / "gold.txt").write_text("[0]:[0]\n[1]:[1, 2]\n", encoding="utf-8")
    (tmp_path / "pred.txt").write_text("[0]:[0]\n[1]:[1]\n[2]:[2]\n", encoding="utf-8")
    proc = diptych("align-eval", str(tmp_path / "gold.txt"), str(tmp_path / "pred.txt"))
    assert proc.returncode != 0 and "do not align the same texts" in proc.stderr and "Traceback" not in proc.stderr
    # the running text of two sentences a line is segmented into more sentences than the gold's lines
    (tmp_path / "a.txt").write_text("Le chat dort. Il fait beau.\nMerci !\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The cat sleeps. The weather is nice.\nThank you!\n", encoding="utf-8")
    (tmp_path / "lines.txt").write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    proc = diptych("align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--format", "vecalign", "--gold", str(tmp_path / "lines.txt"))
    assert proc.returncode != 0 and "--pre-split" in proc.stderr and "Traceback" not in proc.stderr
    proc = diptych("align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--pre-split", "--format", "vecalign", "--gold", str(tmp_path / "lines.txt"))
    assert proc.returncode == 0 and proc.stdout == "[0]:[0]\n[1]:[1]\n", proc.stderr


def test_dates_and_urls_are_anchors_in_any_language():
    from pipeline.alignment.features import anchors as _anchors

    may = [_anchors(t) for t in ("Le 3 mai 2022, à Paris.", "On May 3, 2022 in Paris.", "3 мая 2022 г. в Париже.", "Am 3. Mai 2022.")]
    assert all("%m5" in a and "#2022" in a for a in may)
    assert "%m1" in _anchors("в январе 1917 года") and "%m7" in _anchors("du 3 au 11 juillet 1956")
    assert not any(a.startswith("%m") for a in _anchors("It may be 3 days; they march on."))  # no number beside
    assert "~https://npa2009.org/a-b" in _anchors("Voir https://npa2009.org/a-b.")


def test_one_to_one_and_merges_are_found():
    src = ["Le chat dort sur le canapé depuis 1998.", "Il fait beau.", "Paris compte 2 100 000 habitants.", "Merci !"]
    tgt = ["The cat has slept on the sofa since 1998.", "The weather is nice. Paris has 2,100,000 inhabitants.", "Thank you!"]
    beads = align_sentences(src, tgt)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)


@pytest.mark.parametrize(
    "src,tgt",
    [([], []), (["Une phrase."], []), ([], ["One sentence."]), (["Une phrase."], ["One sentence."]),
     (["Un."] * 40, ["One."] * 3), (["Same text."] * 5, ["Same text."] * 5)],
)
def test_degenerate_inputs_give_a_complete_monotone_alignment(src, tgt):
    beads = align_sentences(src, tgt)
    assert [i for b in beads for i in b.src] == list(range(len(src)))
    assert [j for b in beads for j in b.tgt] == list(range(len(tgt)))


SENTENCE = st.text(alphabet="abc déf XYZ жзи 0123456789.,!?«»-\u00a0", min_size=0, max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(SENTENCE, max_size=40), st.lists(SENTENCE, max_size=40), st.booleans(), st.booleans(), st.sampled_from([3, 5]),
       st.none() | st.integers(min_value=1, max_value=6))
def test_any_input_gives_a_complete_monotone_alignment_with_confidences(src, tgt, with_mt, with_back, max_side, paragraph_every):
    # empty lines, punctuation only, one side empty, very unequal lengths, paragraphs or
    # none (a new one every few sentences, at different places on the two sides): never a crash
    src_par = [i // paragraph_every for i in range(len(src))] if paragraph_every else None
    tgt_par = [(i + 1) // paragraph_every for i in range(len(tgt))] if paragraph_every else None
    beads = align_sentences(src, tgt, list(reversed(src)) if with_mt else None, AlignParams(max_side=max_side),
                            list(tgt) if with_back else None, src_paragraphs=src_par, tgt_paragraphs=tgt_par)
    assert [i for b in beads for i in b.src] == list(range(len(src)))
    assert [j for b in beads for j in b.tgt] == list(range(len(tgt)))
    assert all(0.0 <= b.confidence <= 1.0 and max(len(b.src), len(b.tgt)) <= max_side for b in beads)


def test_mt_with_the_wrong_line_count_is_refused():
    with pytest.raises(ValueError, match="2 lines for 3"):
        align_sentences(["a", "b", "c"], ["x"], ["1", "2"])


def test_a_translation_of_the_target_bridges_what_nothing_else_can():
    # two "languages" with no letters in common and sentences of equal length: without a
    # bridge the alignment is the diagonal; the target's translation into the source
    # language finds the source sentence the translation left out and the one it added
    import random

    rng = random.Random(0)

    def sentence(letters: str) -> str:
        return " ".join("".join(rng.choice(letters) for _ in range(6)) for _ in range(7)).capitalize() + "."

    src = [sentence("abcdefghij") for _ in range(12)]
    tgt_of = [sentence("klmnopqrst") for _ in range(12)]
    kept = [i for i in range(12) if i != 4]
    tgt = [tgt_of[i] for i in kept[:7]] + [sentence("klmnopqrst")] + [tgt_of[i] for i in kept[7:]]
    back = [src[i] for i in kept[:7]] + [sentence("abcdefghij")] + [src[i] for i in kept[7:]]
    expected = [((i,), (i,)) for i in range(4)] + [((4,), ())] + [((i,), (i - 1,)) for i in range(5, 8)] + [((), (7,))] + [((i,), (i,)) for i in range(8, 12)]
    assert [(b.src, b.tgt) for b in align_sentences(src, tgt, tgt_mt=back)] == expected
    assert [(b.src, b.tgt) for b in align_sentences(src, tgt)] != expected
    with pytest.raises(ValueError, match="11 lines for 12 target"):
        align_sentences(src, tgt, tgt_mt=back[:-1])


def test_a_run_of_captions_in_the_translation_is_skipped_not_absorbed():
    # a PDF's figure captions land between two paragraphs of the translation only: they
    # must come out as one run of 0-1 beads at one source position, and the text on either
    # side still pairs 1-1. Twelve captions: longer than the refining pass's band, which
    # (before aligner/4) followed one point per source sentence, cut such runs off and
    # pushed captions into the neighbouring beads; and a run costs less per line than a
    # lone skip, so absorbing its first or last caption into a sentence's bead saves little
    src = [f"Le sommet numéro {i} mesure {8000 + 37 * i} mètres selon la mesure de {1900 + i}." for i in range(16)]
    tgt = [f"Summit number {i} is {8000 + 37 * i} metres high according to the {1900 + i} survey." for i in range(16)]
    captions = [f"Photo {n} - Archives du Club alpin" for n in range(12)]
    beads = [(b.src, b.tgt) for b in align_sentences(src, tgt[:8] + captions + tgt[8:])]
    assert [b for b in beads if not b[0]] == [((), (j,)) for j in range(8, 20)]
    assert all(((i,), (i,)) in beads for i in range(8)) and all(((i,), (i + 12,)) in beads for i in range(8, 16))


def test_a_passage_the_translator_left_out_is_a_run_of_omissions_on_the_source_side():
    # the mirror of the captions: six source sentences with no counterpart (a passage
    # the translation leaves out) come out as one run of 1-0 beads, the rest 1-1; before
    # aligner/9 only the target side had runs, and 1-0 beads were each a full skip
    src = [f"Le sommet numéro {i} mesure {8000 + 37 * i} mètres selon la mesure de {1900 + i}." for i in range(16)]
    tgt = [f"Summit number {i} is {8000 + 37 * i} metres high according to the {1900 + i} survey." for i in range(16)]
    passage = [f"Note {n} de l'éditeur sur les archives du Club alpin et leur classement." for n in range(6)]
    beads = [(b.src, b.tgt) for b in align_sentences(src[:8] + passage + src[8:], tgt)]
    assert [b for b in beads if not b[1]] == [((i,), ()) for i in range(8, 14)]
    assert all(((i,), (i,)) in beads for i in range(8)) and all(((i + 6,), (i,)) in beads for i in range(8, 16))


def test_two_three_beads_are_found():
    src = ["Alpha 11 Bravo.", "Les membres étaient Charlie 22, Delta 33 et Echo 44, avec Foxtrot 55.",
           "Golf 66 Hotel 77.", "India 88 Juliett 99 Kilo 12 Lima 13.", "Mike 14 November 15."]
    tgt = ["Alpha 11 Bravo.", "The members were Charlie 22, Delta 33.", "And Echo 44.", "With Foxtrot 55.",
           "Golf 66 Hotel 77.", "India 88 Juliett 99.", "Kilo 12 Lima 13.", "Mike 14 November 15."]
    beads = [(b.src, b.tgt) for b in align_sentences(src, tgt)]
    assert ((1,), (1, 2, 3)) in beads and ((3,), (5, 6)) in beads


def test_one_sentence_rendered_as_four_is_one_bead_unless_max_side_is_three():
    src = ["Alpha 11 Bravo.",
           "Pik Lenin 7134 m im Transalai, erstiegen 1928 von Allwein 21, Schneider 22 und Wien 23, seither oft besucht, nach Merzbacher im Pamir ohne Schwierigkeiten 24.",
           "Golf 66 Hotel 77.", "Mike 14 November 15."]
    tgt = ["Alpha 11 Bravo.", "Pik Lenin 7134 m dans le Transalai.", "Première ascension en 1928 par Allwein 21, Schneider 22 et Wien 23.",
           "Souvent visité depuis.", "Selon Merzbacher, pas de difficultés au Pamir 24.", "Golf 66 Hotel 77.", "Mike 14 November 15."]
    beads = [(b.src, b.tgt) for b in align_sentences(src, tgt)]
    assert ((1,), (1, 2, 3, 4)) in beads and ((2,), (5,)) in beads
    capped = [(b.src, b.tgt) for b in align_sentences(src, tgt, params=AlignParams(max_side=3))]
    assert max(max(len(s), len(t)) for s, t in capped) <= 3
    assert ((2,), (5,)) in capped and ((3,), (6,)) in capped
    with pytest.raises(ValueError, match="max_side"):
        AlignParams(max_side=6)  # no 1-6 shape exists: refused, not silently capped at 5


@needs_data
def test_textberg_with_google_mt_stays_above_its_measured_floor():
    # the real, messy case (captions, tokenised text, 2-2 and 1-4 beads): measured 0.896
    # strict F1 with the given Google MT (bench/align_bench.py); aligner/3 had 0.889, so
    # 0.89 fails on a return of its refining band or its flat skip costs
    d = ALIGN / "textberg" / "dev" / "doc_000"
    beads = align_sentences((d / "src.txt").read_text().splitlines(), (d / "tgt.txt").read_text().splitlines(),
                            (d / "src.mt_google.fr").read_text().splitlines())
    scores = score_alignments([parse_beads((d / "gold.txt").read_text())], [[(b.src, b.tgt) for b in beads]])
    assert scores["f1_strict"] >= 0.89 and scores["f1_lax"] >= 0.985


@needs_data
@pytest.mark.parametrize("case,mt,floor", [("flores_dev_fr-en", None, 0.85), ("textberg/dev", "src.mt_google.fr", 0.7)])
def test_confidence_ranks_wrong_beads_below_right_ones(case, mt, floor):
    # measured 0.93 (FLORES fr-en) and 0.75 (Text+Berg, Google MT) ROC AUC; the confidence
    # of aligner/4 and before, a squashed bead similarity, had 0.72 and 0.37
    confidence, right = [], []
    for d in sorted((ALIGN / case).glob("doc_*")):
        gold = set(parse_beads((d / "gold.txt").read_text()))
        beads = align_sentences((d / "src.txt").read_text().splitlines(), (d / "tgt.txt").read_text().splitlines(),
                                (d / mt).read_text().splitlines() if mt else None)
        confidence += [b.confidence for b in beads if b.src and b.tgt]
        right += [(b.src, b.tgt) in gold for b in beads if b.src and b.tgt]
        assert not texts_look_unrelated(beads, (d / "src.txt").read_text().splitlines(), (d / "tgt.txt").read_text().splitlines(), mt)
    right_c = [c for c, r in zip(confidence, right) if r]
    wrong_c = [c for c, r in zip(confidence, right) if not r]
    auc = sum((x > y) + 0.5 * (x == y) for x in right_c for y in wrong_c) / (len(right_c) * len(wrong_c))
    assert auc >= floor
    assert all(0.0 <= c <= 1.0 for c in confidence)


def test_unrelated_texts_are_called_so_and_no_bead_is_trusted(tmp_path):
    # a French web article against an English one (seeds 003 and 002): beads can always be
    # found, but none deserves trust, and the user is told once
    from pipeline.frontend import prepare

    fr = [s.text for s in prepare(seed_path("003")).content_segments()][:60]
    en = [s.text for s in prepare(seed_path("002")).content_segments()][:60]
    beads = align_sentences(fr, en)
    assert texts_look_unrelated(beads, fr, en) and all(b.confidence <= 0.5 for b in beads)
    proc = diptych("align", str(seed_path("003")), str(seed_path("002")), "--format", "vecalign")
    assert proc.returncode == 0 and "do not look like translations of each other" in proc.stderr
    proc = diptych("align", str(seed_path("003")), str(seed_path("002")), "--out", str(tmp_path / "ed"))
    assert proc.returncode == 0, proc.stderr
    html = next((tmp_path / "ed").glob("*.html")).read_text(encoding="utf-8")
    assert 'class="warning"' in html and "do not look like translations" in html


@needs_data
@pytest.mark.parametrize("pair", ["fr-en", "ru-en"])
def test_flores_cases_without_mt(pair):
    docs = sorted((ALIGN / f"flores_dev_{pair}").glob("doc_*"))[:10]
    golds, preds = [], []
    for d in docs:
        beads = align_sentences((d / "src.txt").read_text().splitlines(), (d / "tgt.txt").read_text().splitlines())
        golds.append(parse_beads((d / "gold.txt").read_text()))
        preds.append([(b.src, b.tgt) for b in beads])
    assert score_alignments(golds, preds)["f1_strict"] >= 0.95


PARALLEL = SHARED_DATA / "parallel"


@pytest.mark.skipif(not PARALLEL.is_dir(), reason="../shared/data/parallel is not beside this checkout")
@pytest.mark.parametrize("case", ["preface", "gap"])
@pytest.mark.parametrize("size", [800, 2400])
def test_a_document_with_a_passage_the_other_lacks_stays_aligned(case, size):
    # FLORES and WMT sentences (at 2,400 a long document: its first pass is coarse), the
    # translation with a 150-sentence preface the original lacks, or lacking a 150-sentence
    # passage of the original: more than the first pass's band reaches from the length
    # diagonal. Before the passages' second look, of 2,400 source sentences 60% (preface)
    # and 85% (gap) found their own translation, 98% and 99% since; of 800, 40% and 72%
    # before, 99% and 100% since
    src = (PARALLEL / "flores_dev.fr-en.fr").read_text().splitlines() + (PARALLEL / "newstest2014.fr-en.fr").read_text().splitlines()
    tgt = (PARALLEL / "flores_dev.fr-en.en").read_text().splitlines() + (PARALLEL / "newstest2014.fr-en.en").read_text().splitlines()
    preface = (PARALLEL / "newstest2019.ru-en.en").read_text().splitlines()[:150] if case == "preface" else []
    kept = [i for i in range(size) if not (case == "gap" and size // 2 <= i < size // 2 + 150)]
    beads = align_sentences(src[:size], preface + [tgt[i] for i in kept])
    # every sentence once, in order
    assert [i for b in beads for i in b.src] == list(range(size))
    assert [j for b in beads for j in b.tgt] == list(range(len(preface) + len(kept)))
    gold = {i: j + len(preface) for j, i in enumerate(kept)}
    right = sum(1 for b in beads if len(b.src) == 1 and len(b.tgt) == 1 and gold.get(b.src[0]) == b.tgt[0])
    assert right >= 0.95 * len(kept)
    left_out = [b for b in beads if not b.src] if case == "preface" else [b for b in beads if not b.tgt]
    assert len(left_out) >= 140


@needs_data
def test_cli_align_vecalign_format_with_gold_and_align_eval(tmp_path):
    d = ALIGN / "flores_dev_fr-en" / "doc_001"
    out = tmp_path / "pred.txt"
    proc = diptych("align", str(d / "src.txt"), str(d / "tgt.txt"), "--pre-split", "--format", "vecalign", "--out", str(out), "--gold", str(d / "gold.txt"))
    assert proc.returncode == 0, proc.stderr
    assert "strict" in proc.stderr and parse_beads(out.read_text())
    proc = diptych("align-eval", str(d / "gold.txt"), str(out), "--json")
    scores = json.loads(proc.stdout)
    assert scores["f1_strict"] >= 0.9 and set(scores) >= {"precision_lax", "recall_lax", "f1_lax"}
    bad = diptych("align", str(d / "src.txt"), str(d / "tgt.txt"), "--pre-split", "--source-mt", str(d / "gold.txt"))
    assert bad.returncode == 2 and "line i must translate" in bad.stderr and "Traceback" not in bad.stderr
    bad = diptych("align", str(d / "src.txt"), str(d / "tgt.txt"), "--pre-split", "--target-mt", str(d / "src.txt"))
    assert bad.returncode == 2 and "line j must translate" in bad.stderr and "Traceback" not in bad.stderr


@needs_data
def test_cli_target_mt_is_used_and_recorded(tmp_path):
    # FLORES gives the source-language sentence behind every target line: a perfect
    # translation of the target, which must leave the alignment at least as good as without
    d = ALIGN / "flores_dev_ru-en" / "doc_027"  # the hardest ru-en case without MT (0.82 strict F1)
    origin = json.loads((d / "meta.json").read_text())["tgt_line_origin"]  # 1-based FLORES lines
    flores = (SHARED_DATA / "parallel" / "flores_dev.ru-en.ru").read_text(encoding="utf-8").splitlines()
    back = tmp_path / "tgt.ru"
    back.write_text("".join(" ".join(flores[k - 1] for k in lines) + "\n" for lines in origin), encoding="utf-8")

    def strict_f1(*extra: str) -> float:
        pred = tmp_path / "pred.txt"
        proc = diptych("align", str(d / "src.txt"), str(d / "tgt.txt"), "--pre-split", "--format", "vecalign", "--out", str(pred), *extra)
        assert proc.returncode == 0, proc.stderr
        return json.loads(diptych("align-eval", str(d / "gold.txt"), str(pred), "--json").stdout)["f1_strict"]

    assert strict_f1("--target-mt", str(back)) == 1.0 > strict_f1()
    ok = diptych("align", str(d / "src.txt"), str(d / "tgt.txt"), "--pre-split", "--target-mt", str(back), "--out", str(tmp_path / "ed"))
    assert ok.returncode == 0, ok.stderr
    header = json.loads(next((tmp_path / "ed").glob("*.jsonl")).read_text(encoding="utf-8").splitlines()[0])
    assert "target MT bridge" in header["provenance"]["align"]["method"]
    assert header["provenance"]["align"]["params"]["w_mt_back"] == AlignParams().w_mt_back


def test_cli_align_two_texts_writes_an_edition(tmp_path):
    src = tmp_path / "src.txt"
    tgt = tmp_path / "tgt.txt"
    src.write_text("Статья посвящена выборам 2022 г. во Франции. Союз левых партий возник быстро. Э. Макрон победил.\n", encoding="utf-8")
    tgt.write_text("The article is about the 2022 elections in France. The union of left parties arose quickly. E. Macron won.\n", encoding="utf-8")
    proc = diptych("align", str(src), str(tgt), "--out", str(tmp_path / "ed"))
    assert proc.returncode == 0, proc.stderr
    from pipeline.doc import Document

    doc = Document.load(tmp_path / "ed" / "src--tgt.jsonl")
    segs = list(doc.segments)
    assert [s.translation for s in segs] == [
        "The article is about the 2022 elections in France.", "The union of left parties arose quickly.", "E. Macron won."]
    assert all(s.meta["bead"]["confidence"] > 0 for s in segs)
    assert (tmp_path / "ed" / "src--tgt.html").is_file()


def test_editions_of_a_pair_into_another_language_say_which_language(tmp_path):
    # any pair aligns; the editions must not call a French translation English (a TMX
    # with xml:lang="en" on French text poisons a translation memory)
    (tmp_path / "de.txt").write_text("Der Lhotse misst 8501 m.\nDie Expedition kam 1956 zurück.\n", encoding="utf-8")
    (tmp_path / "fr.txt").write_text("Le Lhotsé mesure 8501 m.\nL'expédition revint en 1956.\n", encoding="utf-8")
    proc = diptych("align", str(tmp_path / "de.txt"), str(tmp_path / "fr.txt"), "--pre-split", "--src-lang", "de", "--tgt-lang", "fr", "--out", str(tmp_path / "ed"))
    assert proc.returncode == 0, proc.stderr
    ed = tmp_path / "ed"
    import xml.etree.ElementTree as ET

    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in ET.parse(ed / "de--fr.tmx").iter("tuv")}
    assert langs == {"de", "fr"}
    assert (ed / "de--fr.fr.txt").read_text(encoding="utf-8").startswith("Le Lhotsé mesure 8501 m.")
    assert not (ed / "de--fr.en.txt").exists()
    assert "*de → fr" in (ed / "de--fr.md").read_text(encoding="utf-8")
    assert 'class="tgt" lang="fr"' in (ed / "de--fr.html").read_text(encoding="utf-8")


def test_cli_align_uses_diptych_s_own_translation_as_the_bridge(tmp_path, tiny_models):
    # the tiny model translates badly; what is checked is the path: the source goes through
    # the same engine as `diptych run`, the bridge is recorded, and nothing is lost
    (tmp_path / "fr.txt").write_text("Le chat dort sur le canapé depuis 1998. Il fait beau à Paris.\nMerci beaucoup !\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("The cat has slept on the sofa since 1998. The weather is nice in Paris.\nThank you very much!\n", encoding="utf-8")
    proc = diptych("align", str(tmp_path / "fr.txt"), str(tmp_path / "en.txt"), "--mt", "--model", f"fr={tiny_models['fr']}", "--out", str(tmp_path / "ed"))
    assert proc.returncode == 0, proc.stderr
    header = json.loads(next((tmp_path / "ed").glob("*.jsonl")).read_text(encoding="utf-8").splitlines()[0])
    assert "MT bridge" in header["provenance"]["align"]["method"]
    assert header["provenance"]["align"]["mt_bridge"]["source_mt"]["fr"]["model"].startswith("local:tiny-fr-en@")
    beads = diptych("align", str(tmp_path / "fr.txt"), str(tmp_path / "en.txt"), "--mt", "--model", f"fr={tiny_models['fr']}", "--format", "vecalign")
    assert beads.returncode == 0, beads.stderr
    pairs = parse_beads(beads.stdout)
    assert [i for s, _ in pairs for i in s] == [0, 1, 2] and [j for _, t in pairs for j in t] == [0, 1, 2]
    # the model translates into English: a French "translation" is refused in one line
    bad = diptych("align", str(tmp_path / "fr.txt"), str(tmp_path / "fr.txt"), "--mt", "--tgt-lang", "fr", "--model", f"fr={tiny_models['fr']}")
    assert bad.returncode != 0 and "--mt" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_align_empty_side_is_a_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    (tmp_path / "b.txt").write_text("One.\n", encoding="utf-8")
    proc = diptych("align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert proc.returncode != 0 and "empty" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_max_side_is_checked_and_recorded(tmp_path):
    (tmp_path / "a.txt").write_text("Alpha 11 Bravo.\nCharlie 22 Delta.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Alpha 11 Bravo.\nCharlie 22 Delta.\n", encoding="utf-8")
    bad = diptych("align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--pre-split", "--max-side", "7")
    assert bad.returncode != 0 and "--max-side" in bad.stderr and "Traceback" not in bad.stderr
    # (two lines too short to tell their language: the editions need it named)
    ok = diptych("align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--pre-split", "--max-side", "3", "--src-lang", "en", "--tgt-lang", "en",
                 "--out", str(tmp_path / "ed"))
    assert ok.returncode == 0, ok.stderr
    record = next((tmp_path / "ed").glob("*.jsonl"))
    header = json.loads(record.read_text(encoding="utf-8").splitlines()[0])
    assert header["provenance"]["align"]["params"]["max_side"] == 3


def _paragraphed_pair(seed: int):
    """Six paragraphs a side of made-up words in two disjoint alphabets, so that no
    trigram is shared and lengths are all the aligner has; now and then the translator
    merges two sentences. Returns source, target, their paragraph ids and the gold."""
    import random

    rng = random.Random(seed)

    def sentence(n: int, letters: str) -> str:
        return " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 8))) for _ in range(n)).capitalize() + "."

    src, tgt, src_par, tgt_par, gold = [], [], [], [], []
    for paragraph in range(6):
        for _ in range(rng.randint(2, 4)):
            n = rng.randint(4, 14)
            if rng.random() < 0.15:
                gold.append(((len(src), len(src) + 1), (len(tgt),)))
                src += [sentence(n, "aeioulmnrst"), sentence(rng.randint(4, 10), "aeioulmnrst")]
                src_par += [paragraph, paragraph]
                tgt.append(sentence(n + rng.randint(3, 9), "bcdfghkpqvwxyz"))
            else:
                gold.append(((len(src),), (len(tgt),)))
                src.append(sentence(n, "aeioulmnrst"))
                src_par.append(paragraph)
                tgt.append(sentence(max(2, n + rng.randint(-3, 3)), "bcdfghkpqvwxyz"))
            tgt_par.append(paragraph)
    return src, tgt, src_par, tgt_par, gold


def test_paragraph_breaks_met_together_recover_beads_lengths_alone_miss():
    # measured over these twenty pairs: strict F1 0.81 from lengths alone, 0.88 with the
    # paragraphs (the LIMSI books that record theirs: 0.867 -> 0.909)
    golds, plain, with_paragraphs = [], [], []
    for seed in range(20):
        src, tgt, src_par, tgt_par, gold = _paragraphed_pair(seed)
        golds.append(gold)
        plain.append([(b.src, b.tgt) for b in align_sentences(src, tgt)])
        with_paragraphs.append([(b.src, b.tgt) for b in align_sentences(src, tgt, src_paragraphs=src_par, tgt_paragraphs=tgt_par)])
    before = score_alignments(golds, plain)["f1_strict"]
    after = score_alignments(golds, with_paragraphs)["f1_strict"]
    assert after >= 0.86 and after - before >= 0.05, (before, after)


def test_paragraphs_must_match_the_sentences_and_one_paragraph_says_nothing():
    src, tgt, src_par, tgt_par, _ = _paragraphed_pair(0)
    with pytest.raises(ValueError, match="paragraph ids"):
        align_sentences(src, tgt, src_paragraphs=src_par[:-1], tgt_paragraphs=tgt_par)
    plain = [(b.src, b.tgt, b.confidence) for b in align_sentences(src, tgt)]
    assert [(b.src, b.tgt, b.confidence) for b in align_sentences(src, tgt, src_paragraphs=[0] * len(src), tgt_paragraphs=tgt_par)] == plain
    # one side's paragraphs alone are not used either: a break is evidence only when met on both sides
    assert [(b.src, b.tgt, b.confidence) for b in align_sentences(src, tgt, src_paragraphs=src_par)] == plain


@needs_data
def test_a_literary_book_s_paragraphs_lift_its_alignment():
    # LIMSI dev book 010 (Verne), whose sentence ids record paragraphs: 0.892 strict F1
    # without them, 0.923 with (bench/align_cv.py)
    d = ALIGN / "limsi_literary_fr-en" / "dev" / "doc_010"
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    src, tgt = (d / "src.txt").read_text(encoding="utf-8").splitlines(), (d / "tgt.txt").read_text(encoding="utf-8").splitlines()
    gold = [parse_beads((d / "gold.txt").read_text(encoding="utf-8"))]
    beads = align_sentences(src, tgt, src_paragraphs=[i.split(".")[0] for i in meta["src_ids"]], tgt_paragraphs=[i.split(".")[0] for i in meta["tgt_ids"]])
    assert score_alignments(gold, [[(b.src, b.tgt) for b in beads]])["f1_strict"] >= 0.91


def test_cli_align_of_two_documents_uses_their_paragraphs(tmp_path):
    from pipeline.alignment.stage import recorded_beads
    from pipeline.doc import Document

    src, tgt, src_par, tgt_par, gold = _paragraphed_pair(0)

    def document(sentences, paragraphs):
        return "\n\n".join(" ".join(s for s, p in zip(sentences, paragraphs) if p == n) for n in sorted(set(paragraphs))) + "\n"

    (tmp_path / "book.fr.txt").write_text(document(src, src_par), encoding="utf-8")
    (tmp_path / "book.en.txt").write_text(document(tgt, tgt_par), encoding="utf-8")
    proc = diptych("align", str(tmp_path / "book.fr.txt"), str(tmp_path / "book.en.txt"), "--src-lang", "fr", "--tgt-lang", "en", "--out", str(tmp_path / "ed"))
    assert proc.returncode == 0, proc.stderr
    doc = Document.load(next((tmp_path / "ed").glob("*.jsonl")))
    assert [s.text for s in doc.content_segments()] == src  # the front end found the same sentences
    assert doc.provenance["align"]["paragraphs"] is True
    assert [(b.src, b.tgt) for b in recorded_beads(doc)] == gold


@pytest.mark.parametrize("seed", range(6))
def test_paragraph_bonuses_are_the_same_read_forwards_and_backwards(seed):
    # the confidence adds the best score up to a cell (forwards) to the best score from it
    # (the texts reversed): both passes must value every path alike, or the margins go
    # wrong (a bonus on the cells a path visits, or on bead ends in both directions, gave
    # totals that differed by up to 3 and margins below zero)
    import numpy as np

    from pipeline.alignment.aligner import _evidence
    from pipeline.alignment.band import Side
    from pipeline.alignment.paragraphs import ParagraphBreaks
    from pipeline.alignment.params import BEADS
    from pipeline.alignment.scoring import Evidence, LengthModel
    from pipeline.alignment.search import best_path, centers_from_lengths
    from pipeline.alignment.features import idf_weighted, vectors

    src, tgt, src_par, tgt_par, _ = _paragraphed_pair(seed)
    # a paragraph the source has and the translation leaves out, and one the other way round
    src = src + ["Lorem ipsum solum."] * 2
    src_par = src_par + [99, 99]
    tgt = ["Wxyz bcdf ghkp."] + tgt
    tgt_par = [-1] + tgt_par
    params = AlignParams(paragraph_bonus=1.0)
    a, b, _, _ = idf_weighted([vectors(src, params), vectors(tgt, params), None, None], params.idf)
    evidence = _evidence(params, a, b, None, None)
    src_len = np.array([len(s) for s in src], dtype=np.float64)
    tgt_len = np.array([len(t) for t in tgt], dtype=np.float64)
    breaks = ParagraphBreaks.of(src_par, tgt_par)
    lengths = LengthModel.of(src_len, tgt_len)
    _, _, forward = best_path(lengths, centers_from_lengths(lengths), 60, evidence, params, beads=BEADS, breaks=breaks)
    backward_evidence = []
    for ev in evidence:
        s, t = ev.src.reversed(), ev.tgt.reversed()
        backward_evidence.append(Evidence(ev.weight, s, Side(s), Side(t), t, ev.baseline))
    back_lengths = LengthModel.of(src_len[::-1], tgt_len[::-1])
    _, _, backward = best_path(back_lengths, centers_from_lengths(back_lengths), 60, backward_evidence, params, beads=BEADS, breaks=breaks.backwards())
    n, m = len(src), len(tgt)
    assert forward.score[n][m - forward.lo[n]] == pytest.approx(backward.score[n][m - backward.lo[n]], abs=1e-6)


def test_a_sentence_like_every_other_is_found_a_hub():
    """The lexicon's hub correction: a source row that shares a feature with every target
    row has the highest mean cosine with them; the excesses are measured from their mean,
    so they add up to nothing."""
    import numpy as np

    from pipeline.alignment.band import Side
    from pipeline.alignment.scoring import _excess_chance
    from pipeline.alignment.rows import SentenceRows

    def rows(features: list[list[int]]) -> SentenceRows:
        cells = np.array([r * 8 + f for r, fs in enumerate(features) for f in fs], dtype=np.int64)
        return SentenceRows.from_cells(len(features), 8, cells, np.ones(len(cells), dtype=np.float32))

    src = rows([[0], [1], [0, 1, 2, 3], [5]])  # row 2 holds every target row's feature
    tgt = rows([[0], [1], [2], [3]])
    prefix = _excess_chance(src, Side(src).self_dot, tgt, Side(tgt).self_dot)
    excess = np.diff(prefix)
    assert int(np.argmax(excess)) == 2 and excess[3] < 0  # the hub first, the stranger last
    assert abs(prefix[-1]) < 1e-9


def test_kept_tokens_a_bead_s_other_side_lacks_are_counted():
    """Numbers and, between scripts, the words one text writes in the other's script are
    kept tokens; the dot of the two matrices counts those the other side holds (a spelled
    number holds the digits), so kept less dot is what a bead loses."""
    import numpy as np
    from pipeline.alignment.features import fold_each, word_ids
    from pipeline.alignment.verbatim import kept_and_held, kept_columns

    src = ["Шоу Reading Rainbow показали 100 раз.", "Некоторые считают иначе."]
    tgt = ["The show aired a hundred times.", "Reading Rainbow was shown 100 times."]
    words = word_ids(src, fold_each(src)), word_ids(tgt, fold_each(tgt))
    x, y = kept_and_held(src, tgt, words, ("cyrillic", "latin"))
    dots = x.dense() @ y.dense().T
    lo, hi = kept_columns(x, "src")
    src_kept = x.dense()[:, lo:hi].sum(axis=1)
    lo, hi = kept_columns(y, "tgt")
    tgt_kept = y.dense()[:, lo:hi].sum(axis=1)
    assert src_kept.tolist() == [3, 0] and tgt_kept.tolist() == [0, 1]  # "reading", "rainbow", #100; a spelled number is not kept
    missing = src_kept[:, None] + tgt_kept[None, :] - dots
    # the first Russian line with the second English one loses nothing; with the first,
    # the Latin title ("a hundred" holds 100); the second Russian line lacks the second English line's 100
    assert missing.tolist() == [[2, 0], [0, 1]]
    assert np.all(missing >= 0)


@needs_data
def test_of_two_neighbours_the_one_whose_latin_names_the_translation_lacks_is_left_out():
    # FLORES dev ru-en doc_001: "Джон Грант с канала WNED Buffalo (где показывают Reading
    # Rainbow) сказал ..." is the sentence the translation leaves out; its neighbour "...
    # включая Джона Гранта ..." is "It is believed by some, including John Grant, ...".
    # By length and trigrams the first looked the likelier partner (aligner/13 paired it);
    # its Latin words, which an English translation would keep, are not in that sentence
    d = ALIGN / "flores_dev_ru-en" / "doc_001"
    src, tgt = (d / "src.txt").read_text().splitlines(), (d / "tgt.txt").read_text().splitlines()
    assert "WNED Buffalo" in src[17] and "John Grant" in tgt[15]
    beads = {(b.src, b.tgt) for b in align_sentences(src, tgt)}
    assert ((17,), ()) in beads and ((18,), (15,)) in beads
    without = {(b.src, b.tgt) for b in align_sentences(src, tgt, params=AlignParams(verbatim_weight=0.0))}
    assert ((17,), (15,)) in without


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 40), st.integers(0, 39), st.integers(1, 40), st.integers(0, 10**6))
def test_a_side_sliced_or_reversed_is_the_side_built_from_those_rows(n, start, length, seed):
    """Pieces and the backward pass reuse a side's dot products instead of computing them
    again: every norm of a span inside the rows, every row's dot and kept-token count, bit for bit."""
    import numpy as np
    from pipeline.alignment.band import KeptCounts, Side
    from pipeline.alignment.rows import SentenceRows

    rng = np.random.default_rng(seed)
    cells = np.unique(rng.integers(0, n * 64, size=n * 6))
    rows = SentenceRows.from_cells(n, 64, cells, rng.random(len(cells)).astype(np.float32) * 3)
    start = min(start, n - 1)
    stop = min(n, start + length)
    side = Side(rows)
    for built, derived in ((Side(rows.reversed()), side.reversed()), (Side(rows.rows(start, stop)), side.rows(start, stop))):
        size = len(built.mat)
        assert np.array_equal(built.mat.dense(), derived.mat.dense())
        assert np.array_equal(built.self_dot, derived.self_dot)
        for k in range(1, 6):
            inside = np.arange(size + 1) + k <= size
            assert np.array_equal(built.norms[k][inside], derived.norms[k][inside])
    counted = KeptCounts(rows, (0, 32))
    for built, derived in ((KeptCounts(rows.reversed(), (0, 32)), counted.reversed()), (KeptCounts(rows.rows(start, stop), (0, 32)), counted.rows(start, stop))):
        assert np.array_equal(built.counts, derived.counts)
        assert np.array_equal(built.between(0, len(built.mat)), derived.between(0, len(derived.mat)))


def test_a_bead_that_loses_a_number_is_trusted_less():
    # the same pair with one target sentence's height changed: that bead is still found,
    # and its confidence drops by what the lost token costs (LOST_TOKEN_COST), its
    # neighbours' does not
    from pipeline.alignment.confidence import LOST_TOKEN_COST

    src = [f"Le sommet numéro {i} mesure {8000 + 37 * i} mètres selon la mesure de {1900 + i}." for i in range(16)]
    tgt = [f"Summit number {i} is {8000 + 37 * i} metres high according to the {1900 + i} survey." for i in range(16)]
    changed = tgt[:5] + ["Summit number 5 is 9999 metres high according to the 1905 survey."] + tgt[6:]
    before = {(b.src, b.tgt): b.confidence for b in align_sentences(src, tgt)}
    after = {(b.src, b.tgt): b.confidence for b in align_sentences(src, changed)}
    assert LOST_TOKEN_COST > 0 and ((5,), (5,)) in after
    assert after[((5,), (5,))] < before[((5,), (5,))]
    assert after[((4,), (4,))] == before[((4,), (4,))]


def test_a_roman_numeral_in_a_russian_text_is_not_a_word_to_keep():
    # "XIX век" is "the 19th century": the numeral is not a Latin word English keeps,
    # while an acronym (here "DVD", which no numeral spells) still is
    from pipeline.alignment.features import fold_each, word_ids
    from pipeline.alignment.verbatim import kept_and_held, kept_columns

    src = ["Это было в XIX веке.", "Фильм вышел на DVD."]
    tgt = ["It was in the 19th century.", "The film came out on DVD."]
    x, _ = kept_and_held(src, tgt, (word_ids(src, fold_each(src)), word_ids(tgt, fold_each(tgt))), ("cyrillic", "latin"))
    lo, hi = kept_columns(x, "src")
    assert x.dense()[:, lo:hi].sum(axis=1).tolist() == [0, 1]
