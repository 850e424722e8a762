import pytest

from pipeline.errors import ModelUnavailable, UsageError
from pipeline.translation.catalog import ModelSpec, load_catalog, parse_override, resolve
from conftest import diptych


def test_catalog_pins_opus_mt_models():
    cat = load_catalog()
    assert cat["fr"].model_id == "Helsinki-NLP/opus-mt-fr-en" and len(cat["fr"].revision) == 40
    assert cat["ru"].model_id == "Helsinki-NLP/opus-mt-ru-en"


def test_overrides(tmp_path):
    assert parse_override("fr=Helsinki-NLP/opus-mt-fr-en@abc") == ModelSpec("fr", "Helsinki-NLP/opus-mt-fr-en", "abc", "override")
    assert parse_override(f"ru={tmp_path}").is_path
    for bad in ("fr", "=x", "fr=", "fr=./no/such/folder"):
        with pytest.raises(UsageError):
            parse_override(bad)


def test_local_folder_resolves_with_a_content_revision(tiny_models):
    resolved = resolve(ModelSpec("fr", str(tiny_models["fr"]), "local", "override"))
    assert resolved.found_in == "folder" and resolved.revision.startswith("sha256-")


def test_a_folder_that_is_not_a_model_is_named(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(UsageError, match="missing vocab.json"):
        resolve(ModelSpec("fr", str(tmp_path), "local", "override"))


def test_offline_hub_id_fails_with_both_remedies(offline_env, monkeypatch):
    for key in ("HF_HUB_OFFLINE", "HF_HOME", "DIPTYCH_MODELS_DIR"):
        monkeypatch.setenv(key, offline_env[key])
    with pytest.raises(ModelUnavailable) as info:
        resolve(ModelSpec("ru", "Helsinki-NLP/opus-mt-ru-en", "main"))
    assert "diptych models download ru" in str(info.value) and "--model ru=" in str(info.value)
    assert info.value.exit_code == 2


def test_models_list_shows_configured_and_local(offline_env, tiny_models):
    proc = diptych("models", "list", "--model", f"fr={tiny_models['fr']}", env=offline_env)
    assert proc.returncode == 0, proc.stderr
    assert "opus-mt-ru-en@fbd6dc73284f95536648512cc21d57f19191961a" in proc.stdout and "available offline: yes" in proc.stdout and "available offline: no" in proc.stdout


def test_models_download_offline_is_one_clear_line(offline_env):
    proc = diptych("models", "download", "fr", env=offline_env)
    assert proc.returncode == 2 and "unreachable" in proc.stderr and "Traceback" not in proc.stderr


def test_a_folders_revision_ignores_the_writers_transformers_version(tiny_models, tmp_path):
    """transformers writes its own version into config.json; the same weights saved by
    another minor release must keep their identity (else every edition's model changes)."""
    import json
    import shutil

    from pipeline.translation.catalog import content_revision

    copy = tmp_path / "copy"
    shutil.copytree(tiny_models["fr"], copy)
    before = content_revision(copy)
    config = json.loads((copy / "config.json").read_text(encoding="utf-8"))
    assert "transformers_version" in config  # else this test proves nothing
    config["transformers_version"] = "9.99.0"
    (copy / "config.json").write_text(json.dumps(config, indent=7), encoding="utf-8")
    assert content_revision(copy) == before
    config["d_model"] = config["d_model"] * 2  # a field that determines the model does count
    (copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    assert content_revision(copy) != before
    (copy / "config.json").write_text(json.dumps(dict(config, d_model=config["d_model"] // 2)), encoding="utf-8")
    assert content_revision(copy) == before
    with open(copy / "model.safetensors", "r+b") as fh:  # and so does every byte of the weights
        fh.seek(-1, 2)
        last = fh.read(1)
        fh.seek(-1, 2)
        fh.write(bytes([last[0] ^ 1]))
    assert content_revision(copy) != before
