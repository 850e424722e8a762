"""``diptych eval``: a test set translated as run translates, scored by sacrebleu, beside
the model's published figure."""

import json
import os

import pytest

from conftest import SHARED_DATA, TINY_MAX_LENGTH, diptych

PARALLEL = SHARED_DATA / "parallel"
needs_flores = pytest.mark.skipif(not (PARALLEL / "flores_dev.fr-en.fr").is_file(),
                                  reason="../shared/data/parallel (FLORES dev) is not beside this checkout")


@pytest.fixture
def catalog_with_figures(tiny_models, tmp_path):
    """A catalog whose French model is the tiny one, with a published figure for FLORES dev."""
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(f'[fr]\nid = "{tiny_models["fr"]}"\n[fr.published]\nflores_dev = {{ bleu = 40.0, chrf = 60.0 }}\n'
                       f'[ru]\nid = "{tiny_models["ru"]}"\n', encoding="utf-8")
    return {**os.environ, "DIPTYCH_CATALOG": str(catalog)}


@needs_flores
def test_eval_scores_flores_dev_as_sacrebleu_does_and_shows_the_published_figure(catalog_with_figures, tmp_path):
    import sacrebleu

    src, ref = PARALLEL / "flores_dev.fr-en.fr", PARALLEL / "flores_dev.fr-en.en"
    hyp = tmp_path / "hyp.en"
    proc = diptych("eval", str(src), str(ref), "--max-length", TINY_MAX_LENGTH, "--compute-type", "float32", "--no-cache",
                   "--output", str(hyp), "--json", env=catalog_with_figures)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    hyps = hyp.read_text(encoding="utf-8").splitlines()
    refs = ref.read_text(encoding="utf-8").splitlines()
    assert result["sentences"] == len(hyps) == len(refs) == 997 and result["lang"] == "fr" and result["test_set"] == "flores_dev"
    bleu, chrf = result["scores"]
    assert bleu["score"] == round(sacrebleu.corpus_bleu(hyps, [refs]).score, 1)
    assert chrf["score"] == round(sacrebleu.corpus_chrf(hyps, [refs]).score, 1)
    assert bleu["published"] == 40.0 and bleu["difference"] == round(bleu["score"] - 40.0, 1)
    assert chrf["signature"].startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0")
    # the English is run's: the same engine and hooks, so a cached run gives the same lines
    again = diptych("eval", str(src), str(ref), "--max-length", TINY_MAX_LENGTH, "--compute-type", "float32", env=catalog_with_figures)
    assert again.returncode == 0 and "published 40.0 (flores_dev)" in again.stdout, again.stderr


def test_eval_refuses_files_that_are_not_line_aligned_and_languages_it_does_not_translate(catalog_with_figures, tmp_path):
    src, ref = tmp_path / "set.fr", tmp_path / "set.en"
    src.write_text("Le chat dort sur le canapé du salon.\nIl pleut depuis ce matin sur la ville.\n", encoding="utf-8")
    ref.write_text("The cat sleeps.\n", encoding="utf-8")
    proc = diptych("eval", str(src), str(ref), env=catalog_with_figures)
    assert proc.returncode == 1 and "has 2 lines but" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    en = tmp_path / "set.de"
    en.write_text("The cat sleeps on the sofa in the living room.\n", encoding="utf-8")
    proc = diptych("eval", str(en), str(ref), env=catalog_with_figures)
    assert proc.returncode == 2 and "translates fr and ru" in proc.stderr, proc.stderr
