#!/usr/bin/env python3
"""diptych run on a corpus: the local engine against Ray with 1 and 2 workers.

The corpus is 200 documents made from the French seed (each a different run of its
paragraphs, numbered, so no two documents and few sentences are the same), translated by a
random-weight model with the real opus-mt-fr-en architecture (compute depends only on the
architecture), greedy, every output forced to the same length. Each configuration runs in
its own process, through the same code as the command line, without a cache. Ray's
start-up (starting a local Ray and its first actor) is timed on its own and left out of the
Ray rows' throughput, which is what adding machines would multiply.

    python bench/scale_bench.py            # 200 documents
    python bench/scale_bench.py --docs 40  # a quicker look
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

# forced output length: long enough that translation dominates, as it does with real text
OUT_TOKENS = 12


def make_corpus(folder: Path, docs: int) -> int:
    """``docs`` distinct French documents of 3 paragraphs each, every sentence made distinct
    by a number before its end (the engine translates a repeated sentence once, which would
    flatter both engines alike); returns the number of documents."""
    import re

    from pipeline.frontend import prepare

    seed = prepare(next((ROOT / "seeds").glob("003_*.txt")))
    paragraphs = [[s.text for s in b.segments] for b in seed.content_blocks() if b.lang == "fr" and b.kind == "paragraph" and len(b.segments) >= 2]
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(docs):
        body = []
        for k in range(3):
            sentences = paragraphs[(d * 3 + k) % len(paragraphs)]
            body.append(" ".join(re.sub(r"([.!?…»]*)$", f" (n° {d}-{k}-{i})\\1", s.strip(), count=1) for i, s in enumerate(sentences)))
        (folder / f"article{d:04d}.txt").write_text("\n\n".join(body) + "\n", encoding="utf-8")
    return docs


def worker(engine: str, workers: int, corpus: Path, out: Path, model: Path) -> dict:
    from pipeline.translation.loading import EngineOptions
    from pipeline.translation.stage import DecodingSettings

    options = EngineOptions(overrides=[f"fr={model}"], backend="ctranslate2", device="cpu", cache_path=None, guard=False,
                            settings=DecodingSettings(beam_size=1, min_length=OUT_TOKENS, max_length=OUT_TOKENS))
    startup = 0.0
    if engine == "ray":
        from pipeline.jobs.ray_run import connect, run_on_ray

        t0 = time.perf_counter()
        ray = connect(None, workers)

        @ray.remote(num_cpus=1)
        def ready() -> bool:
            return True

        ray.get(ready.remote())  # a worker process is up
        startup = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = run_on_ray([corpus], out_dir=out, options=options, workers=workers)
    else:
        from pipeline.jobs.run import run

        t0 = time.perf_counter()
        report = run([corpus], out_dir=out, options=options)
    seconds = time.perf_counter() - t0
    if report.errors:
        raise SystemExit(f"{engine}: {report.errors}")
    sentences = sum(d.translated for d in report.documents)
    return {"engine": engine, "workers": workers, "seconds": seconds, "startup_s": startup, "documents": len(report.documents),
            "sentences": sentences, "sent_per_s": sentences / seconds}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / ".work")
    ap.add_argument("--worker", nargs=2, metavar=("ENGINE", "WORKERS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("DIPTYCH_MODELS_DIR", str(args.work / "models"))
    os.environ.setdefault("DIPTYCH_CATALOG", str(ROOT / "models" / "catalog.toml"))
    corpus = args.work / f"scale-corpus-{args.docs}"
    from translate_bench import build_models

    model = build_models(args.work)["fr"]
    if args.worker:
        engine, workers = args.worker
        out = args.work / f"scale-out-{engine}-{workers}"
        print(json.dumps(worker(engine, int(workers), corpus, out, model)))
        return
    make_corpus(corpus, args.docs)
    rows = []
    for engine, workers in (("local", 0), ("ray", 1), ("ray", 2)):
        proc = subprocess.run([sys.executable, __file__, "--docs", str(args.docs), "--work", str(args.work), "--worker", engine, str(workers)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{engine} x{workers}: failed: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            continue
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        print(f"  {engine:5s} {workers or '':>2} workers {r['sent_per_s']:8.2f} sent/s", file=sys.stderr)
    local = next((r for r in rows if r["engine"] == "local"), None)
    print(f"\n{args.docs} documents, {local['sentences'] if local else '?'} sentences, {os.cpu_count()} CPUs")
    print(f"{'engine':8s} {'workers':>7} {'sent/s':>9} {'seconds':>8} {'start-up s':>10} {'vs local':>9}")
    for r in rows:
        ratio = r["sent_per_s"] / local["sent_per_s"] if local else float("nan")
        r["over_local"] = round(ratio, 3)
        print(f"{r['engine']:8s} {r['workers'] or '-':>7} {r['sent_per_s']:9.2f} {r['seconds']:8.1f} {r['startup_s']:10.1f} {ratio:9.3f}")
    print(json.dumps({"docs": args.docs, "rows": rows, "ray2_over_local": next((r["over_local"] for r in rows if r["engine"] == "ray" and r["workers"] == 2), None)}))


if __name__ == "__main__":
    main()
