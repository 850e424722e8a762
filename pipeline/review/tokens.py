"""The review server's token, kept for the same folders from one start to the next.

A new token at every start would make every open tab fail after a restart (a reviewer's
work would stop with "unauthorised"). The token of a set of folders is kept in the user's
cache folder, readable by the user alone, until ``diptych review --new-token`` replaces it
(which is how a token that leaked is revoked)."""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import Path

from ..doc import write_atomic
from ..errors import UsageError

TOKEN_FILE = "review-tokens.json"
# 24 random bytes, 32 URL-safe characters
TOKEN_BYTES = 24


def _store_path() -> Path:
    from ..paths import cache_dir

    return cache_dir() / TOKEN_FILE


def _key(records: list[Path]) -> str:
    """The served records, not the folders as typed: `outputs` and `./outputs/` are one."""
    return hashlib.sha256("\n".join(sorted(str(p.resolve()) for p in records)).encode("utf-8")).hexdigest()


def token_for(records: list[Path], new: bool = False) -> str:
    """The kept token of these records, or a new one (kept from now on)."""
    path = _store_path()
    try:
        kept = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        kept = {}  # an unreadable store only costs a new token
    if not isinstance(kept, dict):
        kept = {}
    key = _key(records)
    token = kept.get(key)
    if new or not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        kept[key] = token
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps(kept), mode=0o600)  # the user's alone
        except OSError as exc:
            raise UsageError(f"{path}: the review token cannot be kept ({exc.strerror}); set DIPTYCH_CACHE_DIR to a folder you can write") from None
    return token
