"""Where the catalog, the models and the cache are: the variables first, then a checkout's
own folders, then the user's (an installed package has no checkout around it)."""

import sys
from pathlib import Path

import pytest

from conftest import ROOT
from pipeline import paths
from pipeline.errors import UsageError
from pipeline.translation.catalog import _remedies, load_catalog

VARIABLES = ("DIPTYCH_CATALOG", "DIPTYCH_MODELS_DIR", "DIPTYCH_CACHE_DIR")


@pytest.fixture()
def no_variables(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture()
def installed(no_variables, tmp_path):
    """The package as an installed copy sees it: no pyproject.toml, no models/ beside it."""
    no_variables.setattr(paths, "PACKAGE_DIR", tmp_path / "site-packages" / "pipeline")
    no_variables.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    no_variables.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def test_a_checkout_keeps_its_own_models_folder_and_catalog(no_variables):
    assert paths.checkout_root() == ROOT
    assert paths.models_dir() == ROOT / "models"
    assert paths.catalog_file() == ROOT / "models" / "catalog.toml"
    assert "bring models/ here" in _remedies(["fr"])


def test_the_variables_win_and_an_empty_one_counts_as_unset(no_variables, tmp_path):
    no_variables.setenv("DIPTYCH_CATALOG", str(tmp_path / "c.toml"))
    no_variables.setenv("DIPTYCH_MODELS_DIR", str(tmp_path / "m"))
    no_variables.setenv("DIPTYCH_CACHE_DIR", str(tmp_path / "k"))
    assert (paths.catalog_file(), paths.models_dir(), paths.cache_dir()) == (tmp_path / "c.toml", tmp_path / "m", tmp_path / "k")
    no_variables.setenv("DIPTYCH_MODELS_DIR", " ")
    assert paths.models_dir() == ROOT / "models"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG folders are Linux's")
def test_an_installed_package_uses_the_users_data_and_cache_folders(installed):
    assert paths.checkout_root() is None
    assert paths.models_dir() == installed / "data" / "diptych" / "models"
    assert paths.cache_dir() == installed / "cache" / "diptych"
    assert str(installed / "data" / "diptych" / "models") in _remedies(["fr"])


def test_the_cache_is_in_the_users_cache_folder_in_a_checkout_too(no_variables, tmp_path):
    no_variables.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert paths.cache_dir() == tmp_path / "diptych"
    from pipeline.translation.cache import default_cache_path

    assert default_cache_path() == paths.cache_dir() / "translations.sqlite"


def test_an_installed_package_reads_the_catalog_it_ships(installed, monkeypatch):
    """Outside a checkout the catalog is the package's resource, pipeline._catalog."""
    shipped = installed / "shipped"
    (shipped / "_catalog").mkdir(parents=True)
    (shipped / "_catalog" / "catalog.toml").write_text('[fr]\nid = "x/opus-mt-fr-en"\n', encoding="utf-8")
    import pipeline

    monkeypatch.setattr(pipeline, "__path__", [*pipeline.__path__, str(shipped)])
    monkeypatch.delitem(sys.modules, "pipeline._catalog", raising=False)
    assert Path(str(paths.catalog_file())) == shipped / "_catalog" / "catalog.toml"
    assert load_catalog()["fr"].model_id == "x/opus-mt-fr-en"


def test_a_missing_or_unreadable_catalog_is_one_line(installed, monkeypatch, tmp_path):
    monkeypatch.delitem(sys.modules, "pipeline._catalog", raising=False)
    with pytest.raises(UsageError, match=r"^model catalog not found: .*pipeline/_catalog/catalog\.toml.*DIPTYCH_CATALOG") as info:
        load_catalog()
    assert "\n" not in str(info.value)
    monkeypatch.setenv("DIPTYCH_CATALOG", str(tmp_path))  # a folder
    with pytest.raises(UsageError, match="cannot be read"):
        load_catalog()


def test_a_stored_model_stays_inside_the_models_folder(no_variables, tmp_path):
    from pipeline.translation.catalog import ModelSpec, stored_folder

    no_variables.setenv("DIPTYCH_MODELS_DIR", str(tmp_path))
    assert stored_folder(ModelSpec("fr", "Helsinki-NLP/opus-mt-fr-en")) == tmp_path / "Helsinki-NLP--opus-mt-fr-en"
    for bad in ("org\\..\\..\\x", "a" * 200, ".."):
        with pytest.raises(UsageError, match="cannot name a folder in"):
            stored_folder(ModelSpec("fr", bad))
