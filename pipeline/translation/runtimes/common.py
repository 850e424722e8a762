"""Pieces both runtimes share (no heavy imports here)."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version


class BackendUnavailable(RuntimeError):
    """A backend that loaded but cannot translate on the chosen device (its warm-up failed)."""


def cpu_threads() -> int:
    """The cores this process may use: ``DIPTYCH_THREADS`` where a scheduler gives a worker
    its share (Ray's CPU workers), else the CPU affinity."""
    if os.environ.get("DIPTYCH_THREADS", "").isdigit():
        return max(1, int(os.environ["DIPTYCH_THREADS"]))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def package_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


# The token budget of torch on a GPU, from its free memory: on an H200, opus-mt-fr-en in
# bfloat16 at beam 4 takes 1.2 GiB for a budget of 16,384 tokens (about 77 kB a token;
# CTranslate2's budget on CUDA); half the free memory goes to batches, the rest stays for
# the allocator's slack and the other language's model. Never below 16,384 tokens, and
# capped where batches stop paying (and where one failure would waste most). The
# out-of-memory back-off corrects an estimate that was too high.
CUDA_BYTES_PER_BUDGET_TOKEN = 1.2 * 2**30 / 16_384
CUDA_MEMORY_SHARE = 0.5
CUDA_MIN_BATCH_TOKENS, CUDA_MAX_BATCH_TOKENS = 16_384, 262_144


def cuda_batch_tokens(free_bytes: int) -> int:
    budget = int(free_bytes * CUDA_MEMORY_SHARE / CUDA_BYTES_PER_BUDGET_TOKEN)
    return max(CUDA_MIN_BATCH_TOKENS, min(CUDA_MAX_BATCH_TOKENS, budget))


def is_out_of_memory(exc: BaseException) -> bool:
    return "out of memory" in str(exc).lower()


def backend_signature(model, backend: str, device: str, compute_type: str, threads: int) -> dict:
    """What every edition records of the backend behind its translations (both backends
    must record the same keys, so that editions compare)."""
    return {
        "model": model.ref,
        "found_in": model.found_in,
        "backend": f"{backend}+transformers-{package_version('transformers')}",
        "device": device,
        "compute_type": compute_type,
        "threads": threads if device == "cpu" else None,
    }
