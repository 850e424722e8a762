"""``diptych models demo`` and ``run --models demo``: the whole pipeline offline, with
untrained models built here, and every edition saying that its English is noise."""

import json

from conftest import diptych, seed_path


def test_a_demo_run_writes_every_edition_each_saying_its_english_is_noise(tmp_path, offline_env):
    built = diptych("models", "demo", env=offline_env, timeout=120)
    assert built.returncode == 0, built.stderr
    assert "diptych-demo/untrained-fr-en" in built.stdout and "noise" in built.stdout
    out = tmp_path / "out"
    proc = diptych("run", str(seed_path("003")), "--models", "demo", "--out", str(out), env=offline_env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    folder = next(out.glob("003_*"))
    name = folder.name
    first_line = lambda suffix: (folder / f"{name}{suffix}").read_text(encoding="utf-8").splitlines()[0]  # noqa: E731
    assert "DEMO" in first_line(".tsv") and "noise" in first_line(".tsv")
    assert first_line(".en.txt").startswith("DEMO:")
    assert first_line(".en.md").startswith("> **DEMO:")
    md = (folder / f"{name}.md").read_text(encoding="utf-8").splitlines()
    assert md[0] == "---" and md[1].startswith("diptych-warning: \"DEMO:")  # front matter must open the file
    tmx = (folder / f"{name}.tmx").read_text(encoding="utf-8")
    assert "<note>DEMO:" in tmx.split("<body>")[0]
    html = (folder / f"{name}.html").read_text(encoding="utf-8")
    assert 'class="demo"' in html.split("<header>")[0]
    record = json.loads((folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert "diptych-demo/untrained-fr-en@" in json.dumps(record)
    signature = (folder / f"{name}.en.txt").read_text(encoding="utf-8").splitlines()[-1]
    assert "mt.fr:diptych-demo/untrained-fr-en@sha256-" in signature and "maxlen:24" in signature


def test_editions_of_real_models_carry_no_demo_notice(seeds_run):
    proc, out = seeds_run
    assert proc.returncode == 0, proc.stderr
    for path in out.glob("00[34]_*/*"):
        if path.suffix in (".tsv", ".md", ".txt", ".tmx", ".html"):
            assert "DEMO:" not in path.read_text(encoding="utf-8"), path


def test_an_unknown_model_set_is_one_usage_line(offline_env):
    proc = diptych("run", str(seed_path("003")), "--models", "huge", env=offline_env, timeout=60)
    assert proc.returncode == 2 and proc.stderr.strip().splitlines() == ["diptych: error: --models huge: the catalog has no such profile; choose from base, big, or demo"], proc.stderr
