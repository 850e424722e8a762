"""The word lexicon learned from a first alignment where no machine translation is given
(off with --no-lexicon): what it learns, how it enters the narrow pass, and where it is
not learned."""

import json
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.alignment import lexicon
from pipeline.alignment.aligner import align_sentences
from pipeline.alignment.beads import Bead, parse_beads, score_alignments
from pipeline.alignment.params import LEXICON_WEIGHT, VERSION, AlignParams
from conftest import SHARED_DATA, diptych

LITERARY = SHARED_DATA / "align" / "limsi_literary_fr-en" / "dev"
needs_data = pytest.mark.skipif(not LITERARY.is_dir(), reason="../shared/data/align is not beside this checkout")


def _word_for_word(seed: int, sentences: int = 120, vocabulary: int = 60):
    """Sentences of made-up words in two disjoint alphabets, each target sentence the
    source's words through a fixed dictionary, in another order: no trigram is shared,
    only the dictionary links them. Returns source, target and the dictionary."""
    rng = random.Random(seed)

    def word(letters: str) -> str:
        return "".join(rng.choice(letters) for _ in range(rng.randint(3, 8)))

    dictionary = {word("aeioulmnrst"): word("bcdfghkpqvwxyz") for _ in range(vocabulary)}
    words = list(dictionary)
    src, tgt = [], []
    for _ in range(sentences):
        chosen = rng.sample(words, rng.randint(4, 9))
        src.append(" ".join(chosen).capitalize() + ".")
        translated = [dictionary[w] for w in chosen]
        rng.shuffle(translated)
        tgt.append(" ".join(translated).capitalize() + ".")
    return src, tgt, dictionary


def test_the_lexicon_of_a_word_for_word_translation_is_its_dictionary():
    src, tgt, dictionary = _word_for_word(1)
    found = lexicon.learn(src, tgt, [Bead((i,), (i,), 1.0) for i in range(len(src))])
    learned = {s: t for s, t, _ in found.pairs()}
    assert found.training_beads == len(src) and len(learned) >= 0.9 * len(dictionary)
    assert all(dictionary[s] == t for s, t in learned.items())  # not one wrong entry
    assert all(d >= lexicon.MIN_DICE for _, _, d in found.pairs())


def test_too_few_one_to_one_beads_teach_nothing():
    src, tgt, _ = _word_for_word(2, sentences=lexicon.MIN_TRAINING_BEADS - 1)
    assert lexicon.learn(src, tgt, [Bead((i,), (i,), 1.0) for i in range(len(src))]) is None
    # merged beads are no training pairs
    src, tgt, _ = _word_for_word(2, sentences=120)
    assert lexicon.learn(src, tgt, [Bead((i, i + 1), (i, i + 1), 1.0) for i in range(0, 120, 2)]) is None


def test_a_sentence_and_its_translation_share_entries_and_unrelated_ones_do_not():
    src, tgt, _ = _word_for_word(3)
    found = lexicon.learn(src, tgt, [Bead((i,), (i,), 1.0) for i in range(len(src))])
    x, y = lexicon.lexicon_rows(found, 2048)
    dots = x.dense() @ y.dense().T
    # each sentence matches its own translation best (a few pairs share every word they hold by chance)
    assert (dots.argmax(axis=1) == np.arange(len(src))).mean() > 0.95
    assert np.all(np.diag(dots) > 0)


def test_the_second_pass_finds_what_lengths_alone_cannot():
    # the same word-for-word corpus, the translator leaving out every seventh sentence:
    # nothing but lengths and the dictionary link the two sides
    src, tgt, _ = _word_for_word(4, sentences=160)
    kept = [i for i in range(len(src)) if i % 7 != 3]
    tgt = [tgt[i] for i in kept]
    gold, j = [], 0
    for i in range(len(src)):
        if i % 7 == 3:
            gold.append(((i,), ()))
        else:
            gold.append(((i,), (j,)))
            j += 1
    plain = align_sentences(src, tgt, params=AlignParams(lexicon_weight=0.0))
    learned = align_sentences(src, tgt)  # the default: learned, no bridge being given
    f1 = [score_alignments([gold], [[(b.src, b.tgt) for b in beads]])["f1_strict"] for beads in (plain, learned)]
    assert f1[1] >= f1[0] + 0.3, f1  # measured: 0.23 -> 0.77


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60))
def test_with_a_lexicon_the_alignment_stays_complete_and_monotone(seed, drop_src, drop_tgt):
    src, tgt, _ = _word_for_word(seed, sentences=80)
    src, tgt = src[: 80 - drop_src], tgt[drop_tgt:]
    beads = align_sentences(src, tgt, params=AlignParams(lexicon_weight=LEXICON_WEIGHT))
    assert [i for b in beads for i in b.src] == list(range(len(src)))
    assert [j for b in beads for j in b.tgt] == list(range(len(tgt)))
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)


def test_no_lexicon_is_learned_beside_a_machine_translation():
    # the bridge (here an unhelpful one: the source itself) is the evidence; a lexicon
    # beside it only added noise (Text+Berg with its Google MT: 0.892 -> 0.878)
    src, tgt, _ = _word_for_word(5, sentences=160)
    tgt = tgt[:40] + tgt[41:]
    with_weight = align_sentences(src, tgt, src_mt=src, params=AlignParams(lexicon_weight=LEXICON_WEIGHT))
    without = align_sentences(src, tgt, src_mt=src, params=AlignParams(lexicon_weight=0.0))
    assert with_weight == without
    # ... while without the bridge the same pair is aligned with one
    assert align_sentences(src, tgt) != align_sentences(src, tgt, params=AlignParams(lexicon_weight=0.0))


@needs_data
def test_a_literary_book_without_mt_gains_from_its_lexicon():
    # LIMSI dev book 000 (Alice): 0.895 strict F1 without, 0.928 with (bench/align_cv.py --grid lexicon)
    d = LITERARY / "doc_000"
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    src, tgt = (d / "src.txt").read_text(encoding="utf-8").splitlines(), (d / "tgt.txt").read_text(encoding="utf-8").splitlines()
    paragraphs = {"src_paragraphs": [i.split(".")[0] for i in meta["src_ids"]], "tgt_paragraphs": [i.split(".")[0] for i in meta["tgt_ids"]]}
    gold = [parse_beads((d / "gold.txt").read_text(encoding="utf-8"))]
    plain = align_sentences(src, tgt, params=AlignParams(lexicon_weight=0.0), **paragraphs)
    learned = align_sentences(src, tgt, **paragraphs)
    f1 = [score_alignments(gold, [[(b.src, b.tgt) for b in beads]])["f1_strict"] for beads in (plain, learned)]
    assert f1[1] >= f1[0] + 0.02, f1


def test_cli_records_whether_a_lexicon_was_learned(tmp_path):
    src, tgt, _ = _word_for_word(6, sentences=60)
    (tmp_path / "a.txt").write_text("\n".join(src) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n".join(tgt) + "\n", encoding="utf-8")

    def run(name: str, *options: str) -> tuple[float, str]:
        out = tmp_path / name
        done = diptych("align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--pre-split", *options, "--out", str(out))
        assert done.returncode == 0, done.stderr
        header = json.loads(next(out.glob("*.jsonl")).read_text(encoding="utf-8").splitlines()[0])
        return header["provenance"]["align"]["params"]["lexicon_weight"], next(out.glob("*.tsv")).read_text(encoding="utf-8").splitlines()[0]

    aligner = VERSION.replace("/", ".")  # as the signature writes it
    weight, signature = run("default")
    assert weight == LEXICON_WEIGHT and f"|align:1-{aligner}-side.5+lexicon|" in signature, signature
    weight, signature = run("off", "--no-lexicon")
    assert weight == 0.0 and f"|align:1-{aligner}-side.5|" in signature, signature
    # beside a machine translation none is learned, and the record says so
    weight, signature = run("bridged", "--source-mt", str(tmp_path / "b.txt"))
    assert weight == 0.0 and "+lexicon" not in signature and "+mt" in signature, signature
