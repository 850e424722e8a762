"""Which model translates which language, and where its files are.

Resolution order for a language: an explicit local folder (``--model fr=PATH``), a copy
stored under ``models/`` by ``diptych models download`` (``models/`` is
:func:`pipeline.paths.models_dir`: a checkout's own, else the user's data folder), the
Hugging Face cache, and finally the Hub itself. The catalog is found by
:func:`pipeline.paths.catalog_file`. Nothing here imports torch or transformers:
resolving a model must be cheap, and must fail fast (exit code 2) before any work starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from ..errors import ModelUnavailable, UsageError
from ..paths import CATALOG_NAME, CATALOG_PACKAGE, catalog_file, checkout_root, models_dir, unsafe_name_reason

LANGUAGE_NAMES = {"fr": "French", "ru": "Russian", "en": "English"}
# What a MarianMT checkpoint needs to be loaded by transformers.
REQUIRED_FILES = ("config.json", "vocab.json", "source.spm", "target.spm")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
DOWNLOAD_PATTERNS = ["*.json", "*.spm", "model.safetensors", "pytorch_model.bin"]
METADATA_FILE = "diptych-model.json"


@dataclass(frozen=True)
class ModelSpec:
    """What the user asked for: a Hub id at a revision, or a local folder."""

    lang: str
    model_id: str
    revision: str = "main"
    origin: str = "catalog"
    # the figures the model's makers published, by test set: {"newstest2014": {"bleu": 37.8, "chrf": 63.3}}
    published: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_path(self) -> bool:
        return self.model_id.startswith((".", "/", "~")) or Path(self.model_id).expanduser().is_dir()

    def label(self) -> str:
        return self.model_id if self.is_path else f"{self.model_id}@{self.revision}"


@dataclass(frozen=True)
class ResolvedModel:
    """A model whose files are on this machine."""

    spec: ModelSpec
    path: Path
    model_id: str
    revision: str
    found_in: str  # "folder", "models/", "hf-cache", "hub"

    @property
    def ref(self) -> str:
        return f"{self.model_id}@{self.revision}"


# The catalog's profiles: its top-level language tables are "base"; a table of language
# tables ([big.fr], [big.ru]) is a profile of that name.
BASE_PROFILE = "base"


def load_catalog(profile: str = BASE_PROFILE) -> dict[str, ModelSpec]:
    """The catalog's models of one profile; an unknown profile is a usage error."""
    profiles = catalog_profiles()
    if profile not in profiles:
        raise UsageError(f"--models {profile}: the catalog has no such profile; choose from {', '.join(profiles)}, or demo")
    return profiles[profile]


def catalog_profiles() -> dict[str, dict[str, ModelSpec]]:
    """Every profile of the catalog, ``base`` first: profile -> language -> model."""
    data = _catalog_data()
    profiles: dict[str, dict[str, ModelSpec]] = {BASE_PROFILE: {}}
    for key, entry in data.items():
        if not isinstance(entry, dict):
            raise UsageError(f"model catalog {catalog_file()}: {key!r} is not a table")
        if "id" in entry:
            profiles[BASE_PROFILE][key] = _spec(key, entry, BASE_PROFILE)
        else:
            profiles[key] = {lang: _spec(lang, sub, key) for lang, sub in entry.items() if isinstance(sub, dict)}
    return profiles


def _spec(lang: str, entry: dict, profile: str) -> ModelSpec:
    if "id" not in entry:
        raise UsageError(f"model catalog {catalog_file()}: [{profile}.{lang}] has no id")
    origin = "catalog" if profile == BASE_PROFILE else f"catalog, {profile}"
    return ModelSpec(lang, entry["id"], entry.get("revision", "main"), origin, dict(entry.get("published", {})))


def _catalog_data() -> dict:
    path = catalog_file()
    if path is None:
        raise UsageError(
            f"model catalog not found: this installation of Diptych lacks {CATALOG_PACKAGE.replace('.', '/')}/{CATALOG_NAME}; "
            "reinstall it, or set DIPTYCH_CATALOG to a catalog file"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"model catalog {path} not found; set DIPTYCH_CATALOG to a catalog file") from None
    except OSError as exc:
        raise UsageError(f"model catalog {path} cannot be read ({exc.strerror or exc}); set DIPTYCH_CATALOG to a catalog file") from None
    except UnicodeDecodeError:
        raise UsageError(f"model catalog {path} is not UTF-8 text; set DIPTYCH_CATALOG to a catalog file") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"model catalog {path} is not valid TOML: {exc}") from None
    return data


def parse_override(text: str) -> ModelSpec:
    """``fr=ID_OR_PATH`` or ``fr=ID@REVISION``."""
    lang, sep, ref = text.partition("=")
    lang = lang.strip().lower()
    if not sep or not lang or not ref.strip():
        raise UsageError(f"--model expects LANG=ID_OR_PATH (e.g. fr=Helsinki-NLP/opus-mt-fr-en), got {text!r}")
    ref = ref.strip()
    if Path(ref).expanduser().is_dir():
        return ModelSpec(lang, str(Path(ref).expanduser().resolve()), "local", "override")
    if ref.startswith((".", "/", "~")):
        raise UsageError(f"--model {lang}={ref}: no such folder")
    model_id, _, revision = ref.partition("@")
    return ModelSpec(lang, model_id, revision or "main", "override")


def model_specs(overrides: list[str] | None = None, profile: str = BASE_PROFILE) -> dict[str, ModelSpec]:
    """The catalog's models (of ``profile``), with ``--model`` overrides; an override for a
    language Diptych does not translate is an error (it would otherwise be silently ignored)."""
    specs = load_catalog(profile)
    for text in overrides or []:
        spec = parse_override(text)
        if spec.lang not in specs:
            raise UsageError(
                f"--model {text}: Diptych translates {', '.join(sorted(specs))} into English, not {spec.lang!r}"
            )
        specs[spec.lang] = spec
    return specs


def specs_for(langs: list[str] | set[str] | None, overrides: list[str] | None = None,
              profile: str = BASE_PROFILE) -> dict[str, ModelSpec]:
    """The spec of each language asked for (None: every configured one); an unknown language is an error."""
    specs = model_specs(overrides, profile)
    langs = specs.keys() if langs is None else langs
    unknown = [lang for lang in sorted(langs) if lang not in specs]
    if unknown:
        raise UsageError(
            f"no model is configured for {', '.join(unknown)}; known: {', '.join(sorted(specs))}; "
            f"pass --model {unknown[0]}=ID_OR_PATH"
        )
    return {lang: specs[lang] for lang in sorted(langs)}


def _has_model_files(path: Path) -> bool:
    return all((path / f).is_file() for f in REQUIRED_FILES) and any((path / f).is_file() for f in WEIGHT_FILES)


def _missing_files(path: Path) -> list[str]:
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    if not any((path / f).is_file() for f in WEIGHT_FILES):
        missing.append(" or ".join(WEIGHT_FILES))
    return missing


def _folder_revision(path: Path) -> tuple[str, str]:
    """(model id, revision) of a local folder: from our metadata, else a content hash."""
    meta = path / METADATA_FILE
    if meta.is_file():
        data = json.loads(meta.read_text(encoding="utf-8"))
        return data["model_id"], data["revision"]
    return f"local:{path.name}", content_revision(path)


# Fields a writer records about itself, not about the model: transformers writes its own
# version into config.json, so the same weights saved by 5.24 and 5.25 hashed apart and
# every edition's model identity changed with a minor release.
_WRITER_FIELDS = ("transformers_version",)


def _identity_bytes(path: Path) -> bytes:
    """config.json as canonical JSON without the writer's fields: what determines the model."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        for name in _WRITER_FIELDS:
            data.pop(name, None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_revision(path: Path) -> str:
    """A local folder's revision: a hash of the files that determine its translations."""
    digest = hashlib.sha256()
    for name in sorted(REQUIRED_FILES + WEIGHT_FILES):
        f = path / name
        if not f.is_file():
            continue
        digest.update(name.encode())
        if name == "config.json":
            digest.update(_identity_bytes(f))
            continue
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return "sha256-" + digest.hexdigest()[:12]


def stored_folder(spec: ModelSpec) -> Path:
    """Where ``diptych models download`` puts a model: a folder of its own in models/,
    whatever the id (``org/name`` becomes ``org--name``; an id that would leave models/
    or that no file system can hold is refused)."""
    name = spec.model_id.replace("/", "--")
    if (why := unsafe_name_reason(name)) is not None:
        raise UsageError(f"model id {spec.model_id!r} cannot name a folder in {models_dir()} ({why})")
    return models_dir() / name


def hub_reachable(timeout: float = 3.0) -> bool:
    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "") or os.environ.get("TRANSFORMERS_OFFLINE", "0") not in ("0", ""):
        return False
    endpoint = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    host, port = endpoint.hostname or "huggingface.co", endpoint.port or (443 if endpoint.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def resolve_all(specs: dict[str, ModelSpec]) -> dict[str, ResolvedModel]:
    """Resolve every model; if any is missing, one error that names them all (a user fixes
    them in one go, not one language per run)."""
    resolved: dict[str, ResolvedModel] = {}
    missing: list[tuple[ModelSpec, ModelUnavailable]] = []
    for lang, spec in specs.items():
        try:
            resolved[lang] = resolve(spec)
        except ModelUnavailable as exc:
            missing.append((spec, exc))
    if len(missing) == 1:
        raise missing[0][1]
    if missing:
        names = " and ".join(f"{LANGUAGE_NAMES.get(s.lang, s.lang)} ({s.label()})" for s, _ in missing)
        whys = "; ".join(sorted({exc.why.removeprefix("is ") for _, exc in missing}))
        raise ModelUnavailable(f"no {names} model: {whys}" + _remedies([s.lang for s, _ in missing]))
    return resolved


def _remedies(langs: list[str]) -> str:
    """The ways out of a missing model, one indented line each under the error's first line."""
    flags = " ".join(f"--model {lang}=FOLDER" for lang in langs)
    root, store = checkout_root(), models_dir()
    # a checkout's own models/ is "models/"; anywhere else the folder is named in full
    here = "models/ here" if root is not None and store == root / "models" else f"what it stores into {store}"
    return ("\n  remedies:"
            f"\n  1. on a machine with network: `diptych models download {' '.join(langs)}`, then bring {here}"
            f"\n  2. a MarianMT model folder you have: {flags}"
            "\n  3. to see the pipeline without real models: `diptych run --models demo` (untrained models: the English is noise)")


def _unavailable(spec: ModelSpec, why: str) -> ModelUnavailable:
    name = LANGUAGE_NAMES.get(spec.lang, spec.lang)
    exc = ModelUnavailable(f"no {name} model ({spec.lang}→en): {spec.label()} {why}" + _remedies([spec.lang]))
    exc.why = why
    return exc


def resolve(spec: ModelSpec, allow_download: bool = True) -> ResolvedModel:
    """Find the files of ``spec`` on this machine, downloading them only if allowed and online."""
    if spec.is_path:
        path = Path(spec.model_id).expanduser()
        if not _has_model_files(path):
            raise UsageError(f"--model {spec.lang}={path}: not a MarianMT model folder (missing {', '.join(_missing_files(path))})")
        model_id, revision = _folder_revision(path)
        return ResolvedModel(spec, path, model_id, revision, "folder")

    stored = stored_folder(spec)
    if _has_model_files(stored):
        model_id, revision = _folder_revision(stored)
        if model_id == spec.model_id and (spec.revision in ("main", revision)):
            return ResolvedModel(spec, stored, model_id, revision, "models/")

    from huggingface_hub import snapshot_download  # only here: resolution of Hub ids

    try:
        path = Path(
            snapshot_download(spec.model_id, revision=spec.revision, local_files_only=True, allow_patterns=DOWNLOAD_PATTERNS)
        )
        if _has_model_files(path):
            return ResolvedModel(spec, path, spec.model_id, _snapshot_revision(path, spec.revision), "hf-cache")
    except Exception:  # noqa: BLE001 - any cache miss means: look further
        pass

    if not allow_download:
        raise _unavailable(spec, "is not in models/ nor in the Hugging Face cache, and downloads are off")
    if not hub_reachable():
        raise _unavailable(spec, "is not in models/ nor in the Hugging Face cache, and the Hugging Face Hub is unreachable")
    try:
        path = Path(snapshot_download(spec.model_id, revision=spec.revision, allow_patterns=DOWNLOAD_PATTERNS))
    except Exception as exc:  # noqa: BLE001 - report the Hub's reason in one line
        raise _unavailable(spec, f"could not be fetched from the Hub ({type(exc).__name__}: {str(exc).splitlines()[0][:160]})") from None
    return ResolvedModel(spec, path, spec.model_id, _snapshot_revision(path, spec.revision), "hub")


def _snapshot_revision(path: Path, asked: str) -> str:
    """The HF cache keeps each revision in snapshots/<commit sha>/."""
    if path.parent.name == "snapshots" and len(path.name) == 40:
        return path.name
    return asked


def download(spec: ModelSpec) -> Path:
    """Store ``spec`` under models/ for offline use; return the folder."""
    if spec.is_path:
        raise UsageError(f"{spec.lang}: {spec.model_id} is a local folder already; nothing to download")
    if not hub_reachable():
        raise _unavailable(spec, "cannot be downloaded: the Hugging Face Hub is unreachable from here")
    from huggingface_hub import HfApi, snapshot_download

    target = stored_folder(spec)
    try:
        info = HfApi().model_info(spec.model_id, revision=spec.revision)
        snapshot_download(spec.model_id, revision=info.sha, allow_patterns=DOWNLOAD_PATTERNS, local_dir=target)
    except Exception as exc:  # noqa: BLE001
        raise _unavailable(spec, f"could not be downloaded ({type(exc).__name__}: {str(exc).splitlines()[0][:160]})") from None
    (target / METADATA_FILE).write_text(
        json.dumps({"model_id": spec.model_id, "revision": info.sha, "requested_revision": spec.revision}, indent=2) + "\n",
        encoding="utf-8",
    )
    return target


def status(specs: dict[str, ModelSpec]) -> list[dict[str, str]]:
    """What is configured and what is available locally, without touching the network."""
    rows = []
    for lang, spec in sorted(specs.items()):
        row = {"lang": lang, "model": spec.label(), "origin": spec.origin}
        try:
            resolved = resolve(spec, allow_download=False)
            row.update(available="yes", where=resolved.found_in, path=str(resolved.path), revision=resolved.revision)
        except (ModelUnavailable, UsageError) as exc:
            row.update(available="no", where="-", path="-", revision="-", why=str(exc))
        rows.append(row)
    return rows


def profile_status(overrides: list[str] | None = None) -> list[dict[str, str]]:
    """:func:`status` of every profile's models (``--model`` overrides shown in the base
    profile), each row with its profile and the figures its makers published."""
    rows = []
    for profile, specs in catalog_profiles().items():
        if profile == BASE_PROFILE:
            specs = model_specs(overrides)
        for row, spec in zip(status(specs), (specs[lang] for lang in sorted(specs))):
            row["profile"] = profile
            row["published"] = ", ".join(f"{name} BLEU {f['bleu']} / chrF {f['chrf']}" for name, f in sorted(spec.published.items()))
            rows.append(row)
    return rows


def download_all(langs: list[str] | None, overrides: list[str] | None = None, profile: str = BASE_PROFILE) -> list[str]:
    """``diptych models download``: store each language's model under models/; one line each."""
    return [f"{lang}: {spec.label()} -> {download(spec)}" for lang, spec in specs_for(langs, overrides, profile).items()]

