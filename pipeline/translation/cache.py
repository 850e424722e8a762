"""A persistent translation cache in SQLite (WAL mode).

Each entry is keyed by everything that determines a translation: model id and revision,
backend and compute type, decoding settings, and the source text. Entries are written
batch by batch in their own transaction, so a run killed at any moment (even SIGKILL)
loses at most the batches that were being computed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterable

from ..errors import UsageError
from ..paths import cache_dir

SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    flags TEXT NOT NULL,
    meta TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS translations_model ON translations(model);
"""


def default_cache_path() -> Path:
    """``translations.sqlite`` in :func:`pipeline.paths.cache_dir` (``$DIPTYCH_CACHE_DIR``,
    else the user's cache folder: ``$XDG_CACHE_HOME/diptych`` or ``~/.cache/diptych``)."""
    return cache_dir() / "translations.sqlite"


def entry_key(signature_key: str, source: str) -> str:
    return hashlib.sha256(f"{signature_key}\x00{source}".encode("utf-8")).hexdigest()


def _unwritable_reason(path: Path) -> str:
    """Why SQLite could not write ``path``, as far as the file system says."""
    if path.exists():
        return "the file is read-only" if not os.access(path, os.W_OK) else "its folder takes no new files (SQLite writes its journal beside it)"
    return "its folder takes no new files"


class TranslationCache:
    def __init__(self, path: str | Path, create: bool = True):
        """Open (or, with ``create``, create) the cache at ``path``. Anything that keeps it
        from serving as a cache is a :class:`~pipeline.errors.UsageError` naming the file,
        raised here, before any translation work."""
        self.path = Path(path).expanduser()
        if self.path.is_dir():
            raise UsageError(f"cache {self.path}: is a folder, not a cache file")
        if not create and not self.path.is_file():
            raise UsageError(f"cache {self.path}: no such file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit mode; every write below opens its own explicit transaction
            self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except OSError as exc:
            raise UsageError(f"cache {self.path}: cannot be created ({exc.strerror}); choose another with --cache, or --no-cache") from None
        except sqlite3.DatabaseError as exc:
            # SQLite's own words name neither the file nor the cause: "unable to open database file"
            if getattr(exc, "sqlite_errorname", "").split("_")[:2] in (["SQLITE", "CANTOPEN"], ["SQLITE", "READONLY"], ["SQLITE", "PERM"]):
                raise UsageError(f"cache {self.path}: cannot be written ({_unwritable_reason(self.path)}); choose another with --cache, or --no-cache") from None
            raise UsageError(f"cache {self.path}: not a Diptych translation cache ({exc}); choose another with --cache, or --no-cache") from None

    def get_many(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, translation, flags, meta in self.db.execute(
                f"SELECT key, translation, flags, meta FROM translations WHERE key IN ({marks})", chunk
            ):
                found[key] = {"translation": translation, "flags": json.loads(flags), "meta": json.loads(meta)}
        return found

    def put_many(self, rows: Iterable[tuple[str, str, str, str, list[str], dict[str, Any]]]) -> None:
        """rows: (key, model, source, translation, flags, meta), written in one transaction."""
        now = time.time()
        data = [(k, m, s, t, json.dumps(f), json.dumps(meta, ensure_ascii=False), now) for k, m, s, t, f, meta in rows]
        with self.db:  # BEGIN ... COMMIT
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?)", data)

    def stats(self) -> dict[str, Any]:
        per_model = {m: n for m, n in self.db.execute("SELECT model, COUNT(*) FROM translations GROUP BY model ORDER BY model")}
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return {"path": str(self.path), "entries": sum(per_model.values()), "models": per_model, "bytes": size}

    def clear(self, model: str | None = None) -> int:
        with self.db:
            self.db.execute("BEGIN")
            cur = self.db.execute("DELETE FROM translations" + (" WHERE model = ?" if model else ""), (model,) if model else ())
        self.db.execute("VACUUM")
        return cur.rowcount

    def close(self) -> None:
        self.db.close()


def cache_stats(path: str | Path | None = None) -> dict[str, Any]:
    """``diptych cache stats``: the cache at ``path`` (default: :func:`default_cache_path`)."""
    return TranslationCache(path or default_cache_path(), create=False).stats()


def clear_cache(path: str | Path | None = None, model: str | None = None) -> int:
    """``diptych cache clear``: delete all cached translations, or one model's; how many."""
    return TranslationCache(path or default_cache_path(), create=False).clear(model)
