"""Shared fixtures: the seed texts and tiny MarianMT models built once per test run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# The property tests draw the same examples on every run, so that CI passes or fails on
# the code alone; HYPOTHESIS_PROFILE=explore draws new ones (what a developer runs to look
# for new counter-examples, which then go into the tests as @example).
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(Path(__file__).parent))

# Everything the tests write (CTranslate2 conversions, the translation cache) goes to a
# scratch folder, never into the checkout or the user's cache; subprocesses inherit this.
_SCRATCH = Path(tempfile.mkdtemp(prefix="diptych-tests-"))
os.environ["DIPTYCH_MODELS_DIR"] = str(_SCRATCH / "models")
os.environ["DIPTYCH_CATALOG"] = str(ROOT / "models" / "catalog.toml")
os.environ["DIPTYCH_CACHE_DIR"] = str(_SCRATCH / "cache")

SEED_LANGS = {"000": "en", "001": "en", "002": "en", "003": "fr", "004": "ru"}
# Decoding length for the tiny models: random weights never stop on their own.
TINY_MAX_LENGTH = "24"


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def _lines(*prefixes: str) -> list[str]:
    return [line for p in prefixes for line in seed_path(p).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    """A tiny fr-en and ru-en model: SentencePiece trained on the seeds, random weights."""
    from marian_factory import build_marian

    root = tmp_path_factory.mktemp("models")
    english = _lines("000", "001", "002")
    return {
        "fr": build_marian(root / "tiny-fr-en", _lines("003"), english, source_lang="fr"),
        "ru": build_marian(root / "tiny-ru-en", _lines("004"), english, source_lang="ru"),
    }


@pytest.fixture()
def offline_env(tmp_path) -> dict[str, str]:
    """An environment with no network for models, an empty HF cache and an empty models/."""
    env = dict(os.environ)
    env.update(
        HF_HUB_OFFLINE="1",
        HF_HOME=str(tmp_path / "hf-home"),
        DIPTYCH_MODELS_DIR=str(tmp_path / "models"),
        DIPTYCH_CACHE_DIR=str(tmp_path / "cache"),
        DIPTYCH_CATALOG=str(ROOT / "models" / "catalog.toml"),
    )
    return env


def diptych(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def seeds_run(tiny_models, tmp_path_factory):
    """``diptych run`` over seeds/ with the tiny models, once for every test that reads it.

    In float32: CTranslate2's int8 kernels round differently on different processors (the
    same tiny models translated the seeds otherwise on an AVX2 machine without VNNI than
    on an AVX-512 one), and a random model's near-even scores turn that into other words;
    float32 gave the same editions with every instruction set CTranslate2 can be forced
    to (CT2_FORCE_CPU_ISA=GENERIC, AVX, AVX2) and without MKL. The int8 default is tested
    on its own (tests/test_translation_engine.py)."""
    out = tmp_path_factory.mktemp("outputs")
    proc = diptych(
        "run", "--model", f"fr={tiny_models['fr']}", "--model", f"ru={tiny_models['ru']}",
        "--max-length", TINY_MAX_LENGTH, "--compute-type", "float32", "--out", str(out), "--json",
    )
    return proc, out


def tsv_rows(path: Path) -> list[list[str]]:
    """A TSV edition's rows, header first, without its signature comment."""
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("# ")]


# -- a real browser (Debian's Chromium driven by Playwright) -------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield b
        b.close()
