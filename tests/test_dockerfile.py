"""The image's contract, read from the Dockerfile's own instructions (no Docker daemon runs
on CI): it does not run as root, and every folder Diptych writes to is a volume, the
translation cache included, so that a run resumed in another container finds its work."""

import json
import re
import shlex
from pathlib import Path

DOCKERFILE = Path(__file__).resolve().parent.parent / "Dockerfile"


def _instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def _env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in _instructions():
        if word == "ENV":
            env.update(part.split("=", 1) for part in shlex.split(rest))
    return env


def _volumes() -> list[str]:
    return [v for word, rest in _instructions() if word == "VOLUME" for v in json.loads(rest)]


def test_the_image_runs_as_an_ordinary_user():
    users = [rest for word, rest in _instructions() if word == "USER"]
    assert users and users[-1] not in ("root", "0"), "the image must not run as root"
    last_user = max(i for i, (word, _) in enumerate(_instructions()) if word == "USER")
    assert all(word != "RUN" for word, _ in _instructions()[last_user:]), "nothing installs after dropping root"


def test_every_folder_diptych_writes_is_a_volume():
    env, volumes = _env(), _volumes()
    written = {
        "translation cache": env.get("DIPTYCH_CACHE_DIR", "/home/diptych/.cache/diptych"),
        "Hugging Face cache": env.get("HF_HOME", "/home/diptych/.cache/huggingface"),
        "models": env.get("DIPTYCH_MODELS_DIR", "/app/models"),
        "editions": "/app/outputs",
    }
    for what, folder in written.items():
        assert any(folder == v or folder.startswith(v.rstrip("/") + "/") for v in volumes), f"the {what} ({folder}) is in no volume"


def test_the_readme_runs_the_image_with_its_volumes():
    readme = (DOCKERFILE.parent / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.startswith("docker run"))
    command += next(line for line in readme.split(command, 1)[1].splitlines()[1:] if line.strip())
    for volume in _volumes():
        assert f":{volume}" in command, f"the README's docker run mounts no {volume}"
