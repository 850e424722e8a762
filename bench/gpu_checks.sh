#!/usr/bin/env bash
# The GPU checks of issue 15 in one run, for a machine with an NVIDIA GPU (a few minutes):
# the CUDA tests, then the GPU table of the translation benchmark (rows a, e, b, c, d, f;
# default_over_handwritten in its final JSON line). Run from the repository root after the
# README's setup (add `pip install -e '.[gpu]'` for CTranslate2's CUDA 12 cuBLAS).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
"$PY" -m pytest -q -p no:cacheprovider tests/test_translation_engine.py -k cuda
"$PY" bench/translate_bench.py --device cuda
