"""Where Diptych's own files are, and the names of the files it writes.

The folders it keeps things in are decided here, one function each (the first that
applies wins):

* the model catalog (:func:`catalog_file`): ``$DIPTYCH_CATALOG``; in a source checkout,
  its ``models/catalog.toml``; else the copy the package ships (``pipeline._catalog``,
  which the build maps to ``models/``, read with :mod:`importlib.resources`);
* downloaded and converted models (:func:`models_dir`): ``$DIPTYCH_MODELS_DIR``; in a
  checkout, its ``models/``; else ``models`` in the user's data folder;
* the translation cache and the review tokens (:func:`cache_dir`): ``$DIPTYCH_CACHE_DIR``,
  else the user's cache folder (``$XDG_CACHE_HOME/diptych`` or ``~/.cache/diptych`` on
  Linux).

The user's folders are platformdirs' (``~/Library/...`` on macOS, ``%LOCALAPPDATA%`` on
Windows). File names built from input names and record ids are untrusted, so every one
is checked to stay inside its folder and fit the file system."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

from .errors import InputError, UsageError

APP_NAME = "diptych"
PACKAGE_DIR = Path(__file__).resolve().parent
# the package that holds the catalog in a wheel; pyproject.toml maps it to models/
CATALOG_PACKAGE = f"{__package__}._catalog"
CATALOG_NAME = "catalog.toml"


def checkout_root() -> Path | None:
    """The source checkout this package runs from (its ``pyproject.toml`` and
    ``models/catalog.toml`` beside ``pipeline/``), or None for an installed package."""
    root = PACKAGE_DIR.parent
    if (root / "pyproject.toml").is_file() and (root / "models" / CATALOG_NAME).is_file():
        return root
    return None


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def catalog_file():
    """The model catalog to read (a path, or the package's resource), or None where an
    installed package lacks its copy. A checkout reads its file directly: the package
    data is that same file, and an editable install's import hooks do not reach a
    package without ``__init__.py`` nested in another (as ``pipeline._catalog`` is)."""
    if (given := _env_path("DIPTYCH_CATALOG")) is not None:
        return given
    if (root := checkout_root()) is not None:
        return root / "models" / CATALOG_NAME
    from importlib.resources import files

    try:
        shipped = files(CATALOG_PACKAGE) / CATALOG_NAME
    except ModuleNotFoundError:
        return None
    return shipped if shipped.is_file() else None


def models_dir() -> Path:
    """Where ``diptych models download`` stores models (and the demo and CTranslate2 ones go)."""
    if (given := _env_path("DIPTYCH_MODELS_DIR")) is not None:
        return given
    if (root := checkout_root()) is not None:
        return root / "models"
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "models"


def cache_dir() -> Path:
    """The folder of the translation cache and of the review server's tokens."""
    if (given := _env_path("DIPTYCH_CACHE_DIR")) is not None:
        return given
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


# A document id names a folder and files like <id>.en.txt (and, while they are written,
# .<name>.<random>.tmp, the name cut to 100 bytes); NAME_MAX is 255 bytes on
# ext4, XFS, Btrfs and APFS, so ids keep well under it. Longer ones are cut and end with
# a hash of the whole name, so two long names that share a beginning stay apart.
MAX_ID_BYTES = 150
_HASH_CHARS = 10


def shorten(name: str) -> str:
    """``name`` itself if short enough, else its beginning, ``-`` and a hash of all of it."""
    raw = name.encode("utf-8")
    if len(raw) <= MAX_ID_BYTES:
        return name
    keep = raw[: MAX_ID_BYTES - _HASH_CHARS - 1].decode("utf-8", errors="ignore").rstrip("._-")
    return f"{keep}-{hashlib.sha256(raw).hexdigest()[:_HASH_CHARS]}"


def missing_reason(path: str | Path, what: str = "file or folder") -> str:
    """Why ``path``, which :meth:`Path.exists` does not find, cannot be read: a symbolic link
    that loops or leads nowhere is named as such, not as a missing name."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"a symbolic link loop (it leads back to itself), not a {what}"
        if os.path.islink(path):
            return f"a symbolic link to {os.readlink(path)}, which does not exist"
        if exc.errno != errno.ENOENT:
            return f"cannot be reached ({exc.strerror})"
    return f"no such {what}"


def unsafe_name_reason(name: str) -> str | None:
    """Why ``name`` cannot be a file name inside a folder, or None when it can."""
    if not name or name in (".", ".."):
        return "empty or a dot name"
    if any(ch in name for ch in "/\\\x00"):
        return "it holds a path separator"
    if name.startswith("."):
        return "it starts with a dot"
    if len(name.encode("utf-8")) > MAX_ID_BYTES + 20:
        return f"it is longer than {MAX_ID_BYTES} bytes"
    return None


def child(root: str | Path, name: str) -> Path:
    """``root/name``, refusing any name from a record or an input that would leave
    ``root`` or that the file system cannot hold (bad input: exit 1)."""
    why = unsafe_name_reason(name)
    root = Path(root)
    target = root / name
    if why is None and target.resolve().parent != root.resolve():
        why = "it leads out of the folder"
    if why:
        raise InputError(f"document id {name!r} cannot name files in {root} ({why}); refusing to write it")
    return target


def check_output_folder(folder: str | Path, option: str = "--out") -> Path:
    """Before any work: ``folder`` is a folder or can be made one, and can be written to."""
    folder = Path(folder)
    existing = folder
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        where = "is a file" if existing == folder else f"lies inside {existing}, which is a file"
        raise UsageError(f"{option} {folder}: {where}, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {folder}: {existing} cannot be written to")
    return folder
