#!/usr/bin/env python3
"""Translation throughput and memory: Diptych's backends against naive and raw baselines.

Models are random-weight MarianMT models with the real opus-mt-fr-en / opus-mt-ru-en
architecture (d_model 512, 6+6 layers, 8 heads, FFN 2048, vocab 59,514 / 62,518):
compute depends only on the architecture, so the timings are honest. Random weights
never end a sentence sensibly, so every method does the same work: sources are cut from
the seed texts at fixed token lengths and every output is forced to exactly 1.2x that
length through the minimum and maximum decoding lengths.

Methods, each measured in its own process (peak RSS is that process's):
  a  naive: transformers ``model.generate`` one sentence at a time (torch, float32)
  b  Diptych's torch backend (TranslationEngine: token-budget batches)
  c  Diptych's CTranslate2 backend (TranslationEngine, int8)
  d  raw ``ctranslate2.Translator.translate_batch`` on pre-tokenized input, same batch size

    python bench/translate_bench.py            # lengths 16, 32, 64; greedy and beam 4
    python bench/translate_bench.py --quick    # under 4 minutes on a 2-core machine

then the catalog's big profile (opus-mt-tc-big: 1024 dimensions, 16 heads, 6 + 6 layers,
ReLU) as a random-weight model of the same vocabulary, through Diptych's two backends at
beam 4, against the base shape in the same run (``big_over_base``: what the better model
costs on this machine); glossary decoding (CTranslate2, beam 4; every sentence holds a
term its English never holds, so each asks for its n best: n = 4, then 8 with a beam of 8)
against plain decoding (``--glossary-only``: that table alone);
and one more pair of rows through ``diptych run``'s code path: 200 documents of 20
sentences against one document of the same 4,000 sentences (``corpus_over_single``).
With ``--device cuda`` (where torch sees a GPU) the table is the GPU's, 4,095 sentences of
32 tokens, with two more rows: (e) a hand-written transformers loop in bfloat16 with fixed
batches, tokenizing and decoding included, and (f) Diptych's default backend; a row that
fails says why in one line, and ``default_over_handwritten`` compares (f) with (e) at beam 4.
Without a GPU it says so and runs the CPU table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

ARCH = {"fr": 59_514, "ru": 62_518}
METHODS = ("a", "b", "c", "d")
# on CUDA also (e) a hand-written transformers loop in bfloat16 with fixed batches, and (f)
# Diptych's default backend (--backend auto: CTranslate2 where it can translate on the GPU,
# else torch)
CUDA_METHODS = ("a", "e", "b", "c", "d", "f")
METHOD_NAMES = {"a": "naive transformers", "b": "diptych torch", "c": "diptych ctranslate2", "d": "raw ctranslate2",
                "e": "hand-written bf16", "f": "diptych default"}
# the hand-written loop's batches (sentences), as issue 15 measured it: 512 greedy, 256 at beam 4
HANDWRITTEN_BATCH = {1: 512, 4: 256}
# the naive baseline on a GPU translates this many of the sentences (at ~200 tokens/s all
# 4,095 would take most of a machine's lease)
NAIVE_ON_GPU = 256
BATCH_TOKENS = 2048
# the corpus rows: sentences of 16 source tokens, 8 forced output tokens, greedy (the row
# measures what document boundaries cost, not decoding)
CORPUS_LENGTH, CORPUS_OUT = 16, 8


def build_models(work: Path) -> dict[str, Path]:
    """Random-weight opus-mt-sized models (built once, kept in the work folder)."""
    from marian_factory import OPUS_MT_ARCH, build_marian

    seeds = ROOT / "seeds"
    english = [line for p in sorted(seeds.glob("00[012]_*.txt")) for line in p.read_text(encoding="utf-8").splitlines()]
    sources = {"fr": next(seeds.glob("003_*.txt")), "ru": next(seeds.glob("004_*.txt"))}
    out = {}
    for lang, vocab in ARCH.items():
        folder = work / f"opus-mt-{lang}-en-random"
        if not (folder / "config.json").is_file():
            print(f"building {folder.name} (vocab {vocab}) ...", file=sys.stderr)
            build_marian(
                folder,
                sources[lang].read_text(encoding="utf-8").splitlines(),
                english,
                source_lang=lang,
                spm_vocab=4000,
                vocab_size=vocab,
                eos_logit_bias=None,
                d_model=OPUS_MT_ARCH["d_model"],
                layers=OPUS_MT_ARCH["layers"],
                heads=OPUS_MT_ARCH["heads"],
                ffn=OPUS_MT_ARCH["ffn"],
            )
        out[lang] = folder
    return out


def build_big_model(work: Path) -> Path:
    """A random-weight model of the tc-big shape, with opus-mt-fr-en's vocabulary size."""
    from marian_factory import TC_BIG_ARCH, build_marian

    folder = work / "opus-mt-tc-big-fr-en-random"
    if not (folder / "config.json").is_file():
        print(f"building {folder.name} ...", file=sys.stderr)
        seeds = ROOT / "seeds"
        english = [line for p in sorted(seeds.glob("00[012]_*.txt")) for line in p.read_text(encoding="utf-8").splitlines()]
        build_marian(folder, next(seeds.glob("003_*.txt")).read_text(encoding="utf-8").splitlines(), english, source_lang="fr",
                     spm_vocab=4000, vocab_size=ARCH["fr"], eos_logit_bias=None, **TC_BIG_ARCH)
    return folder


def big_rows(models: dict[str, Path], work: Path, length: int, device: str) -> list[dict]:
    """Diptych's torch and CTranslate2 backends on the base and the big shape, beam 4."""
    from pipeline.translation.catalog import ModelSpec, resolve
    from pipeline.translation.runtimes.ct2 import convert

    big = build_big_model(work)
    convert(resolve(ModelSpec("fr", str(big), "local", "override")))  # conversion is not timed
    inputs = work / f"inputs-{length}.json"
    rows = []
    for shape, model in (("base", models["fr"]), ("big", big)):
        for method in ("b", "c"):
            r = run_child(["--worker", method, str(model), str(inputs), "4", str(round(1.2 * length)), device], allow_failure=True)
            row = {"shape": shape, "length": length, "beam": 4, "method": method, "name": METHOD_NAMES[method]}
            row.update({"error": r["error"]} if "error" in r else
                       {"sent_per_s": r["sentences"] / r["seconds"], "tok_per_s": r["tokens"] / r["seconds"], "rss_mb": r["rss_mb"]})
            rows.append(row)
            print(f"  {shape:4s} len {length:3d} beam 4 {METHOD_NAMES[method]:20s} {row.get('sent_per_s', 0):8.2f} sent/s", file=sys.stderr)
    return rows


def cut_sentences(model: Path, lang: str, length: int, count: int) -> list[str]:
    """Strings of exactly ``length`` source tokens (</s> included), cut from the seed text."""
    from transformers import MarianTokenizer

    tok = MarianTokenizer.from_pretrained(str(model))
    seed = next((ROOT / "seeds").glob("003_*.txt" if lang == "fr" else "004_*.txt"))
    words = seed.read_text(encoding="utf-8").split()
    out: list[str] = []
    start = 0
    while len(out) < count and start < len(words):
        end = start + 1
        while end <= len(words):
            text = " ".join(words[start:end])
            n = len(tok(text)["input_ids"])
            if n == length:
                out.append(text)
                break
            if n > length:
                break
            end += 1
        start = end
    if len(out) < count:
        raise SystemExit(f"could not cut {count} sentences of {length} tokens from the seed")
    return out


def _rss_mb() -> float:
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(method: str, model: Path, sentences: list[str], beam: int, out_len: int, device: str = "cpu") -> dict:
    """Runs in its own process; returns seconds (translation only) and peak RSS."""
    from pipeline.translation.catalog import ModelSpec, resolve
    from pipeline.translation.stage import DecodingSettings, TranslationEngine

    resolved = resolve(ModelSpec("fr", str(model), "local", "override"))
    settings = DecodingSettings(beam_size=beam, min_length=out_len, max_length=out_len)
    produced: list[int] = []
    if method == "a":
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        torch.set_num_threads(len(os.sched_getaffinity(0)))
        if device != "cpu":
            sentences = sentences[:NAIVE_ON_GPU]  # one at a time: its rate shows after a few hundred
        tok = MarianTokenizer.from_pretrained(str(model))
        m = MarianMTModel.from_pretrained(str(model)).to(device).eval()
        with torch.inference_mode():  # warm-up, untimed, as for every method
            m.generate(**tok([sentences[0]], return_tensors="pt").to(device), num_beams=beam, min_new_tokens=2, max_new_tokens=2)
        t0 = time.perf_counter()
        for s in sentences:
            enc = tok([s], return_tensors="pt").to(device)
            with torch.inference_mode():
                g = m.generate(**enc, num_beams=beam, min_new_tokens=out_len, max_new_tokens=out_len)
            produced.append(g.shape[1] - 1)
        if device != "cpu":
            torch.cuda.synchronize()
        seconds = time.perf_counter() - t0
    elif method == "e":
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        tok = MarianTokenizer.from_pretrained(str(model))
        m = MarianMTModel.from_pretrained(str(model), dtype=torch.bfloat16).to(device).eval()
        size = HANDWRITTEN_BATCH[beam]
        with torch.inference_mode():
            m.generate(**tok(sentences[:2], return_tensors="pt", padding=True).to(device), num_beams=beam, max_new_tokens=2)
        t0 = time.perf_counter()
        outputs = []
        for i in range(0, len(sentences), size):  # tokenizing and decoding included, as Diptych does them
            enc = tok(sentences[i:i + size], return_tensors="pt", padding=True).to(device)
            with torch.inference_mode():
                g = m.generate(**enc, num_beams=beam, min_new_tokens=out_len, max_new_tokens=out_len)
            outputs += tok.batch_decode(g, skip_special_tokens=True)
            produced += [out_len] * len(g)
        seconds = time.perf_counter() - t0
    elif method in ("b", "c", "f"):
        from pipeline.translation.runtimes import load_backend

        backend = load_backend(resolved, {"b": "torch", "c": "ctranslate2", "f": "auto"}[method], device)
        # on CPU the table's fixed budget; on CUDA each backend's own default (what a user gets)
        engine = TranslationEngine(backend, settings, cache=None, batch_tokens=BATCH_TOKENS if device == "cpu" else None, guard=False)
        backend.generate([sentences[0]], DecodingSettings(beam_size=beam, min_length=2, max_length=2))  # warm-up
        t0 = time.perf_counter()
        results = engine.translate(sentences)
        seconds = time.perf_counter() - t0
        produced = [out_len] * len(results)  # forced by min_length == max_length
    else:
        import ctranslate2
        from transformers import MarianTokenizer

        from pipeline.translation.runtimes.ct2 import convert

        folder = convert(resolved)
        tok = MarianTokenizer.from_pretrained(str(model))
        tokens = [tok.convert_ids_to_tokens(ids) for ids in tok(sentences)["input_ids"]]
        if device == "cpu":
            translator = ctranslate2.Translator(str(folder), device="cpu", compute_type="int8",
                                                intra_threads=len(os.sched_getaffinity(0)), inter_threads=1)
            batch_size = max(1, BATCH_TOKENS // max(len(t) for t in tokens))
        else:
            from pipeline.translation.runtimes.ct2 import preload_cuda12_libraries

            preload_cuda12_libraries()
            translator = ctranslate2.Translator(str(folder), device="cuda", compute_type="int8_float16")
            batch_size = max(1, 16384 // max(len(t) for t in tokens))
        translator.translate_batch(tokens[:1], beam_size=beam, min_decoding_length=2, max_decoding_length=2)  # warm-up
        t0 = time.perf_counter()
        res = translator.translate_batch(tokens, max_batch_size=batch_size, beam_size=beam,
                                         min_decoding_length=out_len, max_decoding_length=out_len)
        seconds = time.perf_counter() - t0
        produced = [len(r.hypotheses[0]) for r in res]
    return {"seconds": seconds, "tokens": sum(produced), "sentences": len(sentences), "rss_mb": _rss_mb(),
            "backend": (getattr(engine, "signature", {}) or {}).get("backend", "") if method in ("b", "c", "f") else ""}


def glossary_worker(model: Path, sentences: list[str], out_len: int, n: int, work: Path) -> dict:
    """Seconds to translate ``sentences`` at beam 4, each asking for n hypotheses (0: no glossary)."""
    from pipeline.glossary import load_glossary
    from pipeline.translation.catalog import ModelSpec, resolve
    from pipeline.translation.runtimes import load_backend
    from pipeline.translation.stage import DecodingSettings, TranslationEngine
    from pipeline.translation.steering import Steering

    backend = load_backend(resolve(ModelSpec("fr", str(model), "local", "override")), "ctranslate2", "cpu")
    settings = DecodingSettings(beam_size=4, min_length=out_len, max_length=out_len)
    path, steering = work / "bench-glossary.tsv", None
    if n:
        path.write_text("".join(f"{w}\tzzzqx\n" for w in dict.fromkeys(s.split()[0].strip(".,;:«»()") for s in sentences) if w))
        steering = Steering(load_glossary(path), candidates=n)
    engine = TranslationEngine(backend, settings, cache=None, batch_tokens=BATCH_TOKENS, guard=False, steering=steering)
    backend.generate([sentences[0]], DecodingSettings(beam_size=4, min_length=2, max_length=2))  # warm-up
    t0 = time.perf_counter()
    results = engine.translate(sentences)
    return {"seconds": time.perf_counter() - t0, "sentences": len(sentences), "rss_mb": _rss_mb(),
            "steered": sum(bool(r.meta.get("glossary")) for r in results)}


def glossary_table(models: dict[str, Path], work: Path, lengths: list[int], n: int) -> list[dict]:
    rows = []
    for length in lengths:
        sentences = cut_sentences(models["fr"], "fr", length, n)
        (inputs := work / f"glossary-inputs-{length}.json").write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
        for cand in (0, 4, 8):
            r = run_child(["--glossary-worker", str(models["fr"]), str(inputs), str(round(1.2 * length)), str(cand)])
            rows.append({"length": length, "candidates": cand, "sent_per_s": r["sentences"] / r["seconds"], "rss_mb": r["rss_mb"]})
            print(f"  len {length:3d} glossary n={cand}: {rows[-1]['sent_per_s']:8.2f} sent/s", file=sys.stderr)
    print(f"\nglossary decoding (ctranslate2 int8, beam 4, every sentence holding a term), {n} sentences:\n"
          f"{'len':>4}  {'decoding':24s} {'sent/s':>9} {'x plain':>8} {'peak RSS MB':>12}")
    for r in rows:
        plain = next(p["sent_per_s"] for p in rows if p["length"] == r["length"] and p["candidates"] == 0)
        name = f"glossary, n = {r['candidates']}" if r["candidates"] else "plain (no glossary)"
        print(f"{r['length']:4d}  {name:24s} {r['sent_per_s']:9.2f} {r['sent_per_s'] / plain:8.2f} {r['rss_mb']:12.0f}")
    return rows


def memory_worker(models: dict[str, Path], sentences: list[str]) -> dict:
    """Peak RSS of Diptych's default backend with the fr and ru models both loaded and used."""
    from pipeline.translation.runtimes import choose_backend, load_backend
    from pipeline.translation.catalog import ModelSpec, resolve
    from pipeline.translation.stage import DecodingSettings, TranslationEngine

    engines = {
        lang: TranslationEngine(load_backend(resolve(ModelSpec(lang, str(p), "local", "override")), "auto", "cpu"),
                                DecodingSettings(min_length=20, max_length=20), guard=False)
        for lang, p in models.items()
    }
    for engine in engines.values():
        engine.translate(sentences)
    return {"backend": choose_backend("auto"), "rss_mb": _rss_mb()}


def corpus_worker(model: Path, work: Path, docs: int, per_doc: int, layout: str) -> dict:
    """``diptych run``'s code path (pipeline.jobs.run.run) over the same sentences laid out as
    ``docs`` documents of ``per_doc`` sentences (``corpus``) or as one document (``single``):
    the ratio says what cutting a text into many small documents costs."""
    from pipeline.translation.loading import EngineOptions
    from pipeline.jobs.run import run
    from pipeline.translation.stage import DecodingSettings

    base = cut_sentences(model, "fr", CORPUS_LENGTH, 100)
    # distinct sentences (the engine translates a repeated one once): a number in words
    # is a different ending for each, of similar length
    sentences = [f"{base[i % len(base)].capitalize()} ({i})." for i in range(docs * per_doc)]
    folder = work / f"corpus-{layout}-{docs}x{per_doc}"
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    (folder / "in").mkdir(parents=True)
    if layout == "corpus":
        for d in range(docs):
            (folder / "in" / f"article{d:05d}.txt").write_text(" ".join(sentences[d * per_doc:(d + 1) * per_doc]) + "\n", encoding="utf-8")
    else:
        paragraphs = [" ".join(sentences[d * per_doc:(d + 1) * per_doc]) for d in range(docs)]
        (folder / "in" / "book.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    options = EngineOptions(overrides=[f"fr={model}"], backend="ctranslate2", device="cpu", cache_path=None, guard=False,
                            settings=DecodingSettings(beam_size=1, min_length=CORPUS_OUT, max_length=CORPUS_OUT))
    t0 = time.perf_counter()
    report = run([folder / "in"], out_dir=folder / "out", options=options)
    seconds = time.perf_counter() - t0
    translated = sum(d.translated for d in report.documents)
    if report.errors or not translated:
        raise SystemExit(f"corpus run failed: {report.errors}")
    return {"seconds": seconds, "sentences": translated, "documents": len(report.documents), "rss_mb": _rss_mb()}


def run_child(args: list[str], allow_failure: bool = False) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        if allow_failure:  # a row that fails says why, in one line, and the table goes on
            return {"error": last[:200]}
        raise SystemExit(f"worker {args[:2]} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cuda_available() -> bool:
    proc = subprocess.run([sys.executable, "-c", "import torch; print(torch.cuda.is_available())"], capture_output=True, text=True)
    return proc.stdout.strip() == "True"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer sentences and configurations (under 3 minutes)")
    ap.add_argument("--lengths", default=None, help="source lengths in tokens, comma-separated (default 16,32,64)")
    ap.add_argument("--sentences", type=int, default=None, help="sentences per run (default 24, quick 8)")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / ".work", help="where the random models are kept")
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu", help="cuda: the GPU table (rows a, e, b, c, d, f) where CUDA exists")
    ap.add_argument("--worker", nargs=6, metavar=("METHOD", "MODEL", "INPUTS", "BEAM", "OUTLEN", "DEVICE"), help=argparse.SUPPRESS)
    ap.add_argument("--memory-worker", nargs=3, metavar=("FR", "RU", "INPUTS"), help=argparse.SUPPRESS)
    ap.add_argument("--glossary-only", action="store_true", help="only the table of glossary decoding against plain decoding")
    ap.add_argument("--glossary-worker", nargs=4, metavar=("MODEL", "INPUTS", "OUTLEN", "N"), help=argparse.SUPPRESS)
    ap.add_argument("--corpus-worker", nargs=4, metavar=("MODEL", "DOCS", "PER_DOC", "LAYOUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.corpus_worker:
        model, docs, per_doc, layout = args.corpus_worker
        os.environ.setdefault("DIPTYCH_MODELS_DIR", str(args.work / "models"))
        os.environ.setdefault("DIPTYCH_CATALOG", str(ROOT / "models" / "catalog.toml"))
        print(json.dumps(corpus_worker(Path(model), args.work, int(docs), int(per_doc), layout)))
        return
    if args.glossary_worker:
        model, inputs, out_len, cand = args.glossary_worker
        os.environ.setdefault("DIPTYCH_MODELS_DIR", str(args.work / "models"))
        print(json.dumps(glossary_worker(Path(model), json.loads(Path(inputs).read_text(encoding="utf-8")), int(out_len), int(cand), args.work)))
        return
    if args.worker:
        method, model, inputs, beam, out_len, device = args.worker
        sentences = json.loads(Path(inputs).read_text(encoding="utf-8"))
        print(json.dumps(worker(method, Path(model), sentences, int(beam), int(out_len), device)))
        return
    if args.memory_worker:
        fr, ru, inputs = args.memory_worker
        print(json.dumps(memory_worker({"fr": Path(fr), "ru": Path(ru)}, json.loads(Path(inputs).read_text(encoding="utf-8")))))
        return

    device = args.device
    if device == "cuda" and not cuda_available():
        print("no CUDA device is visible to torch here: the CPU table follows", file=sys.stderr)
        device = "cpu"
    lengths = [int(x) for x in (args.lengths or ("32" if device == "cuda" else "16,32,64")).split(",")]
    # a GPU needs thousands of sentences to fill its batches (issue 15: 4,095 of 32 tokens)
    n = args.sentences or (4095 if device == "cuda" else (6 if args.quick else 24))
    beams = [1, 4]
    methods = CUDA_METHODS if device == "cuda" else METHODS
    args.work.mkdir(parents=True, exist_ok=True)
    models = build_models(args.work)
    from pipeline.translation.runtimes.ct2 import convert
    from pipeline.translation.catalog import ModelSpec, resolve

    os.environ.setdefault("DIPTYCH_MODELS_DIR", str(args.work / "models"))
    for lang, p in models.items():
        convert(resolve(ModelSpec(lang, str(p), "local", "override")))  # conversion is not timed

    if args.glossary_only:
        return print(json.dumps({"glossary": glossary_table(models, args.work, lengths, min(n, 120))}))
    rows = []
    for length in lengths:
        sentences = cut_sentences(models["fr"], "fr", length, min(n, 120))
        sentences = [f"{sentences[i % len(sentences)]} {i}" for i in range(n)] if n > len(sentences) else sentences  # distinct
        inputs = args.work / f"inputs-{length}.json"
        inputs.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
        out_len = round(1.2 * length)
        for beam in beams:
            for method in methods:
                if args.quick and method == "a" and beam == 4 and length != min(lengths):
                    continue  # the naive baseline at beam 4 would take most of the quick budget
                r = run_child(["--worker", method, str(models["fr"]), str(inputs), str(beam), str(out_len), device], allow_failure=device == "cuda")
                if "error" in r:
                    rows.append({"length": length, "beam": beam, "method": method, "name": METHOD_NAMES[method], "error": r["error"]})
                    print(f"  len {length:3d} beam {beam} {METHOD_NAMES[method]:20s} failed: {r['error']}", file=sys.stderr)
                    continue
                row = {"length": length, "beam": beam, "method": method, "name": METHOD_NAMES[method], "backend": r.get("backend", ""),
                       "sent_per_s": r["sentences"] / r["seconds"], "tok_per_s": r["tokens"] / r["seconds"],
                       "rss_mb": r["rss_mb"], "seconds": r["seconds"], "sentences": r["sentences"]}
                rows.append(row)
                print(f"  len {length:3d} beam {beam} {METHOD_NAMES[method]:20s} {row['sent_per_s']:8.2f} sent/s", file=sys.stderr)

    # 200 documents of 20 sentences against one document of the same 4,000 (quick: 50 x 20)
    docs, per_doc = (50, 20) if args.quick else (200, 20)
    corpus_rows = {}
    for layout in ("single", "corpus"):
        r = run_child(["--corpus-worker", str(models["fr"]), str(docs), str(per_doc), layout])
        corpus_rows[layout] = {**r, "sent_per_s": r["sentences"] / r["seconds"]}
        print(f"  diptych run, {r['documents']:4d} document(s), {r['sentences']} sentences: {corpus_rows[layout]['sent_per_s']:8.2f} sent/s", file=sys.stderr)

    big = big_rows(models, args.work, 32 if 32 in lengths else lengths[0], device)
    glossary_rows = glossary_table(models, args.work, lengths, min(n, 120)) if device == "cpu" else []

    mem_inputs = args.work / f"inputs-{lengths[0]}.json"
    memory = run_child(["--memory-worker", str(models["fr"]), str(models["ru"]), str(mem_inputs)])

    print()
    print(f"{'len':>4} {'beam':>4}  {'method':22s} {'sent/s':>9} {'gen tok/s':>10} {'peak RSS MB':>12}")
    if device == "cuda":
        import torch

        print(f"device: {torch.cuda.get_device_name(0)}")
    for r in rows:
        if "error" in r:
            print(f"{r['length']:4d} {r['beam']:4d}  {r['method']} {r['name']:20s} failed: {r['error']}")
            continue
        print(f"{r['length']:4d} {r['beam']:4d}  {r['method']} {r['name']:20s} {r['sent_per_s']:9.2f} {r['tok_per_s']:10.1f} {r['rss_mb']:12.0f}")
    print(f"\nfr + ru models loaded together with the default backend ({memory['backend']}): peak RSS {memory['rss_mb']:.0f} MB")
    print(f"\ndiptych run (ctranslate2, greedy, {CORPUS_LENGTH} -> {CORPUS_OUT} tokens), the same {docs * per_doc} sentences:")
    for layout, r in corpus_rows.items():
        print(f"  {layout:6s} {r['documents']:4d} document(s)  {r['sent_per_s']:9.2f} sent/s  {r['seconds']:7.1f} s  peak RSS {r['rss_mb']:.0f} MB")

    print(f"\nthe big profile's shape against the base one (beam 4, {big[0]['length']} tokens):")
    for r in big:
        shown = f"failed: {r['error']}" if "error" in r else f"{r['sent_per_s']:9.2f} sent/s {r['tok_per_s']:10.1f} tok/s  peak RSS {r['rss_mb']:.0f} MB"
        print(f"  {r['shape']:4s} {r['method']} {r['name']:20s} {shown}")

    ratios = {}
    for name, num, den in (("c_over_a", "c", "a"), ("b_over_a", "b", "a"), ("c_over_d", "c", "d")):
        per = []
        for length in lengths:
            for beam in beams:
                get = {r["method"]: r["sent_per_s"] for r in rows if r["length"] == length and r["beam"] == beam and "error" not in r}
                if num in get and den in get:
                    per.append({"length": length, "beam": beam, "ratio": round(get[num] / get[den], 3)})
        geo = 1.0
        for p in per:
            geo *= p["ratio"]
        ratios[name] = {"geomean": round(geo ** (1 / len(per)), 3) if per else None, "per_config": per}
    if device == "cuda":
        beam4 = {r["method"]: r for r in rows if r["beam"] == 4 and "error" not in r}
        if "f" in beam4 and "e" in beam4:
            ratios["default_over_handwritten"] = round(beam4["f"]["tok_per_s"] / beam4["e"]["tok_per_s"], 3)
    speed = {(r["shape"], r["method"]): r["sent_per_s"] for r in big if "error" not in r}
    for method in ("b", "c"):
        if ("big", method) in speed and ("base", method) in speed:
            ratios[f"big_over_base_{method}"] = round(speed[("big", method)] / speed[("base", method)], 3)
    ratios["corpus_over_single"] = round(corpus_rows["corpus"]["sent_per_s"] / corpus_rows["single"]["sent_per_s"], 3)
    print("ratios (sentences/s, geometric mean over configurations): "
          + ", ".join(f"{k} {v['geomean'] if isinstance(v, dict) else v}" for k, v in ratios.items()))
    print(json.dumps({"device": device, "rows": rows, "big": big, "glossary": glossary_rows, "memory": memory, "corpus": corpus_rows,
                      "ratios": ratios, "quick": args.quick,
                      "cpus": len(os.sched_getaffinity(0))}))


if __name__ == "__main__":
    main()
