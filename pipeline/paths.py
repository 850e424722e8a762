"""Names of the files Diptych writes: built from input names and record ids, which are
untrusted, so every one is checked to stay inside its folder and fit the file system."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

from .errors import InputError, UsageError

# A document id names a folder and files like <id>.en.txt.tmp; NAME_MAX is 255 bytes on
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
