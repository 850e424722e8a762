"""Diptych as a package, not a checkout: the wheel built from this checkout ships the model
catalog and no model files, and once installed outside the checkout it runs end to end,
with its models and cache in the user's folders (here: a home made for the test).

Built without network: pip's ``wheel`` command with this environment's setuptools (no
build isolation, no dependencies), which the ``test`` extra brings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from conftest import ROOT, TINY_MAX_LENGTH


def _setuptools_builds_wheels() -> str | None:
    """Why this environment cannot build the wheel here, or None when it can."""
    try:
        found = version("setuptools")
    except PackageNotFoundError:
        return "setuptools is not installed (the test extra brings it: pip install -e '.[test]')"
    major, minor = (int(part) for part in found.split(".")[:2])
    if (major, minor) < (70, 1):
        try:
            version("wheel")
        except PackageNotFoundError:
            return f"setuptools {found} needs the wheel package to build wheels (the test extra brings setuptools>=70.1)"
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode != 0:
        return "pip is not installed in this environment"
    return None


pytestmark = pytest.mark.skipif((why := _setuptools_builds_wheels()) is not None, reason=why or "")

FRENCH = (
    "La Commune de Paris\n\n"
    "La Commune dura soixante-douze jours. Les ouvriers prirent le pouvoir dans la ville.\n\n"
    "Elle fut écrasée en mai 1871.\n"
)
CATALOG = "pipeline/_catalog/catalog.toml"


def _source_copy(dest: Path) -> Path:
    """The files a build reads, copied from the checkout, with model files beside the
    catalog as a user's models/ holds them (a download, a stray file): none may be shipped."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "pipeline", dest / "pipeline", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (dest / "models").mkdir()
    for name in ("catalog.toml", "README.md"):
        shutil.copy2(ROOT / "models" / name, dest / "models" / name)
    weights = dest / "models" / "Helsinki-NLP--opus-mt-fr-en"
    weights.mkdir()
    with open(weights / "model.safetensors", "wb") as fh:
        fh.truncate(8 << 20)  # 8 MiB of weights, as far as a build can tell
    (weights / "config.json").write_text("{}", encoding="utf-8")
    (weights / "source.spm").write_bytes(b"\0" * 1024)
    (dest / "models" / "stray-weights.bin").write_bytes(b"\0" * 4096)
    return dest


def _installed_env(home: Path, target: Path) -> dict[str, str]:
    """The environment of a user who installed the wheel into ``target``: none of the test
    suite's Diptych folders, a home of their own, no network for models. Entries of the
    caller's PYTHONPATH other than the checkout stay (dependencies kept outside the venv)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPTYCH_", "XDG_"))}
    kept = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and Path(p).resolve() != ROOT]
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / "xdg-cache"),
        HF_HOME=str(home / "hf-home"),
        HF_HUB_OFFLINE="1",
        PYTHONPATH=os.pathsep.join([str(target), *kept]),
        PIP_NO_CACHE_DIR="1",
    )
    return env


def _python(*args: str, env: dict[str, str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = _source_copy(tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("wheels")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "--no-cache-dir", "-q", "-w", str(out)],
        capture_output=True, text=True, cwd=out, timeout=300, env=dict(os.environ, PIP_NO_INDEX="1"),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (found,) = out.glob("diptych-*.whl")
    return found


def test_the_wheel_ships_the_catalog_and_no_model_file(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert zf.read(CATALOG) == (ROOT / "models" / "catalog.toml").read_bytes()
    assert [n for n in names if n.startswith("pipeline/_catalog/")] == [CATALOG]
    assert not [n for n in names if n.endswith((".safetensors", ".bin", ".spm")) or "opus-mt" in n]
    assert {n.split("/")[0] for n in names} == {"pipeline", next(n.split("/")[0] for n in names if ".dist-info/" in n)}


def test_the_installed_wheel_runs_from_outside_the_checkout(wheel, tiny_models, tmp_path):
    target, home, work = tmp_path / "site", tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "--no-cache-dir", "-q", "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300, env=dict(os.environ, PIP_NO_INDEX="1"),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    env = _installed_env(home, target)

    # the package imported is the installed one, which knows it is not in a checkout
    probe = ("import json, pipeline, pipeline.paths as p; print(json.dumps({'file': pipeline.__file__, "
             "'checkout': str(p.checkout_root()), 'catalog': str(p.catalog_file()), 'models': str(p.models_dir()), 'cache': str(p.cache_dir())}))")
    proc = _python("-c", probe, env=env, cwd=work)
    assert proc.returncode == 0, proc.stderr
    where = json.loads(proc.stdout)
    assert Path(where["file"]).resolve().is_relative_to(target.resolve()), where
    assert where["checkout"] == "None" and Path(where["catalog"]).resolve() == (target / CATALOG).resolve(), where
    assert Path(where["models"]).is_relative_to(home) and Path(where["cache"]).is_relative_to(home), where

    # the catalog is read from the package's data
    proc = _python("-m", "pipeline", "models", "list", env=env, cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert "Helsinki-NLP/opus-mt-fr-en@b4a9a384c2ec68a224bbd2ee3fd5df0c71ca5b1b" in proc.stdout, proc.stdout

    # no inputs and no seeds/ where it runs: one line, a usage error
    proc = _python("-m", "pipeline", "run", env=env, cwd=work)
    assert proc.returncode == 2 and proc.stdout == "", proc.stdout + proc.stderr
    assert proc.stderr.strip().splitlines() == ["diptych: error: no inputs given, and no seeds/ folder here to read by default: give text files or folders"]

    text, out = work / "commune.txt", work / "editions"
    text.write_text(FRENCH, encoding="utf-8")
    proc = _python("-m", "pipeline", "run", str(text), "--model", f"fr={tiny_models['fr']}", "--out", str(out),
                   "--max-length", TINY_MAX_LENGTH, "--compute-type", "float32", "--json", env=env, cwd=work)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    (doc,) = summary["documents"]
    assert doc["lang"] == "fr" and doc["translated"] > 0, doc
    for suffix in (".jsonl", ".tsv", ".en.txt", ".md", ".html", ".tmx"):
        assert (out / "commune" / f"commune{suffix}").is_file(), suffix
    assert (out / "index.html").is_file()
    # what it kept went to the user's folders: the cache, and any model conversion
    assert summary["cache"] and Path(summary["cache"]).is_file() and Path(summary["cache"]).is_relative_to(Path(where["cache"]))
    if summary["backend"].startswith("ctranslate2"):  # converted from the folder, into the user's models
        assert [p.name for p in (Path(where["models"]) / "ct2").iterdir()], summary["backend"]
    assert not (work / "models").exists() and not (target / "models").exists()
    assert sorted(p.name for p in work.iterdir()) == ["commune.txt", "editions"]
