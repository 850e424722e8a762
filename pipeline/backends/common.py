"""Pieces both Marian backends share (no heavy imports here)."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version


def cpu_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def package_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def is_out_of_memory(exc: BaseException) -> bool:
    return "out of memory" in str(exc).lower()
