"""The catalog's profiles (base and big), each model pinned and with its published
figures, and the big shape through both runtimes."""

import json
import os
import re
from pathlib import Path

import pytest

from conftest import TINY_MAX_LENGTH, _lines, diptych
from marian_factory import TC_BIG_ARCH, TINY_BIG_ARCH, build_marian

COMMIT = re.compile(r"[0-9a-f]{40}")


def test_every_model_of_every_profile_is_pinned_and_has_published_figures():
    from pipeline.translation.catalog import catalog_profiles

    profiles = catalog_profiles()
    assert list(profiles) == ["base", "big"]
    for profile, specs in profiles.items():
        assert sorted(specs) == ["fr", "ru"], profile
        for spec in specs.values():
            assert COMMIT.fullmatch(spec.revision), (profile, spec)
            assert spec.published and all({"bleu", "chrf"} <= set(f) for f in spec.published.values()), spec
    assert profiles["big"]["fr"].model_id == "Helsinki-NLP/opus-mt-tc-big-fr-en"
    assert profiles["big"]["ru"].published["newstest2019"] == {"bleu": 41.6, "chrf": 65.5}


def test_models_list_shows_each_profile_with_its_figures():
    proc = diptych("models", "list")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "base (--models base)" in out and "big (--models big)" in out
    assert "opus-mt-tc-big-zle-en@09a40f722d6d8b76aaad6fe51a06c914622a13d1" in out
    assert "flores200-devtest BLEU 46.0 / chrF 69.4" in out
    assert "diptych models download --models big fr" in out


def test_the_big_shape_keeps_the_real_options():
    assert TC_BIG_ARCH == {"d_model": 1024, "layers": 6, "heads": 16, "ffn": 4096, "activation": "relu"}
    assert {k: TINY_BIG_ARCH[k] for k in ("layers", "heads", "activation")} == {"layers": 6, "heads": 16, "activation": "relu"}


@pytest.fixture(scope="module")
def big_catalog(tmp_path_factory):
    """A catalog whose big profile is a tiny model of the big shape (and base the usual tiny one)."""
    root = tmp_path_factory.mktemp("big")
    english = _lines("000", "001", "002")
    big = build_marian(root / "tiny-big-fr-en", _lines("003"), english, source_lang="fr", **TINY_BIG_ARCH)
    catalog = root / "catalog.toml"
    catalog.write_text(f'[fr]\nid = "Helsinki-NLP/opus-mt-fr-en"\nrevision = "main"\n\n[big.fr]\nid = "{big}"\n'
                       f'[big.fr.published]\nnewstest2014 = {{ bleu = 39.4, chrf = 64.5 }}\n', encoding="utf-8")
    return catalog, big


@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_models_big_translates_through_both_runtimes(big_catalog, tmp_path, backend):
    catalog, big = big_catalog
    config = json.loads((big / "config.json").read_text(encoding="utf-8"))
    assert (config["encoder_attention_heads"], config["decoder_layers"], config["activation_function"]) == (16, 6, "relu")
    text = tmp_path / "lettre.txt"
    text.write_text("Le conseil municipal a voté le budget hier soir. La séance a duré trois heures.\n", encoding="utf-8")
    env = {**os.environ, "DIPTYCH_CATALOG": str(catalog)}
    proc = diptych("run", str(text), "--models", "big", "--backend", backend, "--compute-type", "float32", "--beam-size", "1",
                   "--max-length", TINY_MAX_LENGTH, "--no-cache", "--out", str(tmp_path / "out"), env=env)
    assert proc.returncode == 0, proc.stderr
    record = [json.loads(line) for line in (tmp_path / "out" / "lettre" / "lettre.jsonl").read_text(encoding="utf-8").splitlines()]
    model = record[0]["provenance"]["translate"]["models"]["fr"]
    assert model["model"].startswith("local:tiny-big-fr-en@") and model["backend"].startswith(backend)
    assert all(r["translation"] for r in record if r["type"] == "segment")
