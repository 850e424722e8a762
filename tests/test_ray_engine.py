"""``diptych run --engine ray``: the same editions as a local run, the same cache, the same
one-line errors. One local Ray head serves every test here (started once, stopped after)."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, TINY_MAX_LENGTH, diptych, seed_path
from edition_snapshot import editions

import importlib.util

# not imported here: Diptych sets Ray's loopback setting before it imports Ray in this process
if importlib.util.find_spec("ray") is None:
    pytest.skip("the ray extra is not installed (pip install 'diptych[ray]'); CI installs it", allow_module_level=True)

RAY = Path(sys.executable).parent / "ray"


@pytest.fixture(scope="module")
def ray_address(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # everything on the loopback interface (Ray would otherwise use the network interface's address)
    # a head for these tests only, on loopback: without token authentication, as drivers of Ray 2.60
    # connect to a cluster they did not start (a real cluster sets RAY_AUTH_MODE on every node and driver)
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0", RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0", RAY_AUTH_MODE="disabled")
    start = subprocess.run([str(RAY), "start", "--head", f"--port={port}", "--node-ip-address=127.0.0.1", "--num-cpus=2",
                            "--include-dashboard=false", "--disable-usage-stats"], capture_output=True, text=True, env=env, timeout=120)
    assert start.returncode == 0, start.stderr[-2000:]
    yield f"127.0.0.1:{port}"
    subprocess.run([str(RAY), "stop", "--force"], capture_output=True, timeout=120)


def _run(tiny_models, out, *extra, inputs=None):
    files = inputs or [str(seed_path("003")), str(seed_path("004")), str(seed_path("000"))]
    return diptych("run", *files, "--model", f"fr={tiny_models['fr']}", "--model", f"ru={tiny_models['ru']}",
                   "--max-length", TINY_MAX_LENGTH, "--out", str(out), "--json", *extra)


def _headers(out: Path) -> dict:
    found = {}
    for record in out.glob("*/*.jsonl"):
        head = json.loads(record.read_text(encoding="utf-8").splitlines()[0])
        for sig in head["provenance"].get("translate", {}).get("models", {}).values():
            sig.pop("threads")  # a Ray CPU worker has its share of the cores, a local run all of them
        found[record.name] = head
    return found


def test_ray_writes_the_same_editions_as_a_local_run_and_shares_its_cache(tmp_path, tiny_models, ray_address):
    from docx_build import build_docx

    cache = tmp_path / "cache.sqlite"
    missing = tmp_path / "missing.txt"
    word = tmp_path / "conseil.docx"  # a document format: read on the workers as a text is
    word.write_bytes(build_docx([("heading", "Le conseil", 1), ("p", "Le conseil a voté le budget hier soir. La séance a duré trois heures.")]))
    inputs = [str(seed_path("003")), str(missing), str(seed_path("004")), str(seed_path("000")), str(word)]
    on_ray = _run(tiny_models, tmp_path / "ray", "--engine", "ray", "--ray-address", ray_address, "--cache", str(cache), inputs=inputs)
    assert on_ray.returncode == 1  # the missing file, reported as a local run reports it
    assert [line for line in on_ray.stderr.splitlines() if "error" in line] == [f"diptych: error: {missing}: no such file or folder"]
    local = _run(tiny_models, tmp_path / "local", "--no-cache", inputs=[p for p in inputs if p != str(missing)])
    assert local.returncode == 0, local.stderr
    assert editions(tmp_path / "ray") == editions(tmp_path / "local")
    assert _headers(tmp_path / "ray") == _headers(tmp_path / "local")
    ray_report = json.loads(on_ray.stdout.strip().splitlines()[-1])
    assert [d["id"] for d in ray_report["documents"]] == [seed_path(p).stem for p in ("003", "004", "000")] + ["conseil"]
    assert (tmp_path / "ray" / "conseil" / "conseil.en.docx").is_file() and (tmp_path / "ray" / "conseil" / "conseil.original.docx").is_file()
    # the same SQLite cache, the same keys: a local run after the cluster run translates nothing
    again = _run(tiny_models, tmp_path / "again", "--cache", str(cache), inputs=[p for p in inputs if p != str(missing)])
    report = json.loads(again.stdout.strip().splitlines()[-1])
    assert sum(d["translated_now"] for d in report["documents"]) == 0
    assert sum(d["from_cache"] for d in report["documents"]) == sum(d["translated"] for d in report["documents"]) > 0


# What Ray prints on its own, never Diptych: a line of its C++ logs (their prefix
# "[2026-01-02 03:04:05,678 E 123 456] core_worker.cc:2465: ...", or a bare "file.cc:123:"),
# of its Python loggers ("2026-01-02 03:04:05,678\tINFO worker.py:1234 -- ..."), or one
# that a worker or the raylet streams to the driver ("(raylet) ...", "(MapWorker pid=123) ...")
RAY_OWN_LINE = re.compile(r"""
    ^\[\d{4}-\d\d-\d\d[ ]\d\d:\d\d:\d\d,\d+[ ][A-Z][ ]\d+[ ]\d+\]
  | \w\.cc:\d+:
  | ^\d{4}-\d\d-\d\d[ ]\d\d:\d\d:\d\d,\d+\s+[A-Z]+[ ]\S+:\d+[ ]--
  | ^\((raylet|gcs_server)\b | ^\(.*?\bpid=\d+""", re.VERBOSE)


def test_a_successful_ray_run_prints_only_diptychs_lines(tmp_path, tiny_models, ray_address):
    text = tmp_path / "court.txt"  # a short French text: one actor pool, one batch
    text.write_text("Le chat dort sur le lit de la chambre.\n\nIl fait beau aujourd'hui à Paris, et la mer est calme.\n", encoding="utf-8")
    proc = _run(tiny_models, tmp_path / "o", "--engine", "ray", "--ray-address", ray_address, "--no-cache", inputs=[str(text)])
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert sum(d["translated_now"] for d in report["documents"]) > 0  # the actors ran: the line came from their start
    assert [line for line in proc.stderr.splitlines() if RAY_OWN_LINE.search(line)] == []


def test_a_model_that_cannot_be_found_stops_the_ray_run_with_the_local_line(tmp_path, offline_env, ray_address):
    args = ("run", str(seed_path("003")), "--out", str(tmp_path / "o"))
    local = diptych(*args, env=offline_env)
    on_ray = diptych(*args, "--engine", "ray", "--ray-address", ray_address, env=offline_env)
    assert local.returncode == on_ray.returncode == 2
    first, *remedies = local.stderr.strip().splitlines()  # one line, then the remedies indented
    assert on_ray.stderr.strip() == local.stderr.strip() and first.startswith("diptych: error: ") and remedies
    assert all(line.startswith("  ") for line in remedies)
    assert not (tmp_path / "o").exists()


def test_an_unreachable_cluster_is_one_line_within_30_seconds(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    t0 = time.monotonic()
    proc = diptych("run", str(seed_path("000")), "--engine", "ray", "--ray-address", f"127.0.0.1:{port}", "--out", str(tmp_path / "o"))
    assert time.monotonic() - t0 < 30
    assert proc.returncode == 2 and "no Ray cluster answers there" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_without_ray_installed_the_engine_names_the_extra(tmp_path):
    code = ("import sys; sys.modules['ray'] = None; "  # as if the package were absent
            f"sys.argv = ['diptych', 'run', {str(seed_path('000'))!r}, '--engine', 'ray', '--out', {str(tmp_path / 'o')!r}]; "
            "from pipeline.cli import entry; entry()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "pip install 'diptych[ray]'" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_ray_options_without_the_ray_engine_are_usage_errors(tmp_path):
    proc = diptych("run", str(seed_path("000")), "--workers", "2", "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "go with --engine ray" in proc.stderr


def test_a_worker_that_dies_is_replaced_by_ray_and_its_batch_run_again(tmp_path, tiny_models, ray_address, seeds_run, monkeypatch):
    """The translation worker's process ends abruptly on its first batch (as an out-of-memory
    kill would end it); Ray restarts it and runs the batch again, and the run's editions are
    those of a local run. Run in this process, so the dying worker class travels by value."""
    import pipeline.jobs.ray_run as job
    from pipeline.translation.loading import EngineOptions
    from pipeline.translation.stage import DecodingSettings

    died = tmp_path / "a-worker-died"
    real = job._translator_class

    def dying_once(lang, options, threads):
        base = real(lang, options, threads)

        class DiesOnce(base):
            def __call__(self, batch):
                if not died.exists():
                    died.touch()
                    os._exit(1)  # no cleanup, no exception: the process is gone
                return super().__call__(batch)

        return DiesOnce

    monkeypatch.setattr(job, "_translator_class", dying_once)
    monkeypatch.chdir(ROOT)
    options = EngineOptions(overrides=[f"fr={tiny_models['fr']}", f"ru={tiny_models['ru']}"], settings=DecodingSettings(max_length=24),
                            cache_path=None, compute_type="float32")  # as seeds_run, the editions compared with
    try:
        report = job.run_on_ray([Path("seeds") / seed_path("003").name], out_dir=tmp_path / "o", options=options, address=ray_address)
    finally:
        import ray

        ray.shutdown()
    assert died.exists() and report.errors == []
    _, local = seeds_run
    name = seed_path("003").stem
    ours, theirs = editions(tmp_path / "o"), editions(local)
    assert ours and all(ours[k] == theirs[k] for k in ours if k.startswith(name))


def test_a_glossary_on_ray_writes_what_a_local_run_writes_and_shares_its_cache(tmp_path, tiny_models, ray_address):
    glossary = tmp_path / "g.tsv"
    glossary.write_text("peuple\tpeople\nсовет\tcouncil\n", encoding="utf-8")
    cache = tmp_path / "cache.sqlite"
    on_ray = _run(tiny_models, tmp_path / "ray", "--engine", "ray", "--ray-address", ray_address, "--cache", str(cache),
                  "--glossary", str(glossary))
    assert on_ray.returncode == 0, on_ray.stderr
    local = _run(tiny_models, tmp_path / "local", "--no-cache", "--glossary", str(glossary))
    assert editions(tmp_path / "ray") == editions(tmp_path / "local")
    assert _headers(tmp_path / "ray") == _headers(tmp_path / "local")
    assert json.loads(on_ray.stdout.strip().splitlines()[-1])["glossary"].startswith(str(glossary))
    again = _run(tiny_models, tmp_path / "again", "--cache", str(cache), "--glossary", str(glossary))
    assert sum(d["translated_now"] for d in json.loads(again.stdout.strip().splitlines()[-1])["documents"]) == 0
