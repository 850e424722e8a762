"""What a user can do wrong, done through the real console script the README's setup
installs (beside this Python, not found on PATH): every mistake gets one line and an exit
code (2 usage and setup, 1 bad input), never "unexpected" nor a traceback, and nothing is
written where it should not be."""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT, TINY_MAX_LENGTH, diptych, seed_path, tsv_rows

SCRIPT = Path(sys.executable).parent / "diptych"


def cli(*args: str, env: dict | None = None, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, env=env, cwd=cwd or ROOT, input=stdin, timeout=300)


def one_line(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode("utf-8")
    assert "unexpected" not in err and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("args, expected", [
    (["run", "--bogus"], "diptych run: no such option --bogus"),
    (["run", "--jsn"], "diptych run: no such option --jsn (did you mean --json?)"),
    (["bogus"], "diptych: no such command 'bogus'"),
    (["run", "--beam-size", "0"], "diptych run: invalid value for '--beam-size'"),
    (["segment"], "diptych segment: missing argument 'FILE|-'"),
    (["cache", "clear", "--model", "x"], "diptych cache clear: no such option --model (did you mean --model-id?)"),
    (["segment", "-", "--lang", "de"], "--lang must be one of fr, ru, en"),
])
def test_usage_errors_are_one_line_with_exit_code_2(args, expected):
    proc = cli(*args, stdin=b"Bonjour.")
    assert proc.returncode == 2
    assert one_line(proc).startswith(expected) or expected in one_line(proc)


def test_plain_diptych_prints_the_help_and_exits_0():
    proc = cli()
    assert proc.returncode == 0 and b"Usage: diptych" in proc.stdout and proc.stderr == b""


def test_flags_take_no_value_and_say_so_in_the_help():
    help_text = cli("run", "--help", env=dict(os.environ, COLUMNS="200")).stdout.decode()
    # Typer's own --help line aside, no flag shows a value to give
    assert [line for line in help_text.splitlines() if "<bool>" in line and "Show this message" not in line] == []
    assert "--json " in help_text
    assert "check" not in cli("models", "--help").stdout.decode().split("Commands")[0]
    assert "--model-id" in cli("cache", "clear", "--help", env=dict(os.environ, COLUMNS="200")).stdout.decode()


def test_a_very_long_file_name_is_shortened_and_the_run_goes_on(tmp_path, tiny_models):
    long = tmp_path / ("Un_titre_" + "tres_long_" * 24 + ".txt")
    assert len(long.name) > 250
    long.write_bytes(seed_path("003").read_bytes()[:3000])
    proc = cli("run", str(long), str(seed_path("001")), "--model", f"fr={tiny_models['fr']}", "--max-length", TINY_MAX_LENGTH,
               "--out", str(tmp_path / "o"), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    assert len(report["documents"]) == 2
    doc_id = report["documents"][0]["id"]
    assert len(doc_id.encode()) <= 150 and doc_id.startswith("Un_titre_")
    record = json.loads((tmp_path / "o" / doc_id / f"{doc_id}.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record["source"]["id_shortened_from"] == long.name[:-4].strip("_")
    assert (tmp_path / "o" / "index.html").is_file()


def _hostile_record(tmp_path: Path, doc_id: str) -> Path:
    from pipeline.frontend import prepare

    doc = prepare(seed_path("002"))
    doc.renumber(doc.id)
    doc.id = doc_id  # as a tampered record would have it
    doc.seal()
    record = tmp_path / "hostile.jsonl"
    doc.save(record)
    return record


def _files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("doc_id", ["../../etc/x", "..", "/abs/path", ".hidden"])
def test_render_keeps_every_file_inside_its_folder(tmp_path, doc_id):
    record = _hostile_record(tmp_path, doc_id)
    before = _files_under(tmp_path)
    proc = cli("render", str(record), "-o", str(tmp_path / "trav" / "a" / "b" / "out"))
    assert proc.returncode == 1
    assert "refusing to write it" in one_line(proc)
    assert _files_under(tmp_path) == before


def test_score_and_check_keep_every_file_inside_its_folder(tmp_path):
    record = _hostile_record(tmp_path, "../escaped")
    ref = tmp_path / "ref.txt"
    ref.write_text("Some English text. Another sentence.\n", encoding="utf-8")
    before = _files_under(tmp_path)
    proc = cli("score", str(record), "--reference", str(ref), "--write")
    assert proc.returncode == 1 and "refusing to write it" in one_line(proc)
    assert _files_under(tmp_path) == before
    proc = cli("check", str(record), "-o", str(tmp_path / "checked.jsonl"))
    assert proc.returncode == 0, proc.stderr.decode()
    assert _files_under(tmp_path) == before | {tmp_path / "checked.jsonl"}  # the path the user named, nothing else
    assert not (tmp_path.parent / "escaped.jsonl").exists()


def test_run_and_align_name_files_from_inputs_inside_the_output_folder(tmp_path, offline_env):
    odd = tmp_path / "in" / "..odd name;rm -rf ~.txt"
    odd.parent.mkdir()
    odd.write_bytes(seed_path("000").read_bytes()[:2000])
    proc = cli("run", str(odd), "--out", str(tmp_path / "o"), env=offline_env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert all((tmp_path / "o") in p.parents for p in _files_under(tmp_path) - _files_under(tmp_path / "in"))
    proc = cli("align", str(odd), str(odd), "-o", str(tmp_path / "al"), env=offline_env)
    assert proc.returncode == 0, proc.stderr.decode()
    written = {p for p in _files_under(tmp_path) if (tmp_path / "al") in p.parents}
    assert written and all(p.parent == tmp_path / "al" for p in written)


def test_output_problems_stop_the_run_before_any_model_loads(tmp_path, offline_env):
    a_file = tmp_path / "a_file"
    a_file.write_text("x", encoding="utf-8")
    for out in (a_file, a_file / "sub"):
        proc = cli("run", str(seed_path("003")), "--out", str(out), env=offline_env)
        assert proc.returncode == 2
        line = one_line(proc)
        assert f"--out {out}" in line and "not a folder" in line  # before the missing model is even looked for


def test_cache_problems_stop_the_run_before_any_translation(tmp_path, tiny_models):
    not_sqlite = tmp_path / "cache.sqlite"
    not_sqlite.write_text("not a database, just text\n" * 100, encoding="utf-8")
    under_a_file = tmp_path / "a_file" / "cache.sqlite"
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    for cache, why in ((not_sqlite, "not a Diptych translation cache"), (under_a_file, "cannot be created")):
        proc = cli("run", str(seed_path("003")), "--model", f"fr={tiny_models['fr']}", "--cache", str(cache), "--out", str(tmp_path / "o"))
        assert proc.returncode == 2
        line = one_line(proc)
        assert str(cache) in line and why in line
        assert not (tmp_path / "o").exists()
    assert not_sqlite.read_text(encoding="utf-8").startswith("not a database")  # left as it was


def test_records_and_caches_that_do_not_exist(tmp_path):
    proc = cli("render", str(tmp_path / "missing.jsonl"))
    assert proc.returncode == 1 and "no such record" in one_line(proc)
    proc = cli("cache", "stats", "--cache", str(tmp_path / "nonexist.sqlite"))
    assert proc.returncode == 2 and "no such file" in one_line(proc)
    assert not (tmp_path / "nonexist.sqlite").exists()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="no /proc on this system")
@pytest.mark.parametrize("args", [["render", "{record}", "-o", "/proc"], ["check", "{record}", "-o", "/proc/checked.jsonl"],
                                  ["segment", str(seed_path("003")), "--record", "/proc/seg.jsonl"],
                                  ["align", "{fr}", "{en}", "--pre-split", "--src-lang", "fr", "--tgt-lang", "en", "-o", "/proc"],
                                  ["align", "{fr}", "{en}", "--pre-split", "--format", "vecalign", "-o", "/proc/x.beads"]])
def test_a_folder_that_takes_no_new_file_is_one_line(tmp_path, args):
    # /proc takes no new file, whoever runs the test (root writes through permissions)
    record = _hostile_record(tmp_path, "doc")
    (tmp_path / "fr.txt").write_text("Le chat dort.\nIl pleut.\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("The cat sleeps.\nIt rains.\n", encoding="utf-8")
    proc = cli(*(a.format(record=record, fr=tmp_path / "fr.txt", en=tmp_path / "en.txt") for a in args))
    assert proc.returncode == 2
    line = one_line(proc)
    assert line.startswith("diptych: error: /proc/") and line.endswith(": cannot be written (its folder takes no new files)"), line


def _rendered(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_full_disk_leaves_the_earlier_editions_whole_and_no_temporary_file(tmp_path):
    resource = pytest.importorskip("resource")
    record = _hostile_record(tmp_path, "doc")
    out = tmp_path / "out"
    assert cli("render", str(record), "-o", str(out)).returncode == 0
    before = _rendered(out)
    size = len(before["doc.jsonl"])

    def limit_file_size():  # files stop growing past half the record, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (size // 2, size // 2))

    from pipeline.doc import Document

    doc = Document.load(record)
    next(doc.segments).translation = "A reviewer's new English."  # a rendering that differs
    doc.save(record)
    proc = subprocess.run([str(SCRIPT), "render", str(record), "-o", str(out)], capture_output=True, timeout=300, preexec_fn=limit_file_size)
    assert proc.returncode == 2
    assert one_line(proc) == f"diptych: error: {out / 'doc.jsonl'}: cannot be written (File too large)"
    assert _rendered(out) == before


def test_a_read_only_output_folder_is_one_line_and_keeps_its_editions(tmp_path):
    record = _hostile_record(tmp_path, "doc")
    out = tmp_path / "out"
    assert cli("render", str(record), "-o", str(out)).returncode == 0
    before = _rendered(out)
    out.chmod(0o555)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("this user writes into read-only folders (the /proc test above covers it)")
        proc = cli("render", str(record), "-o", str(out))
        assert proc.returncode == 2
        assert one_line(proc) == f"diptych: error: {out / 'doc.jsonl'}: cannot be written (Permission denied)"
        assert _rendered(out) == before
    finally:
        out.chmod(0o755)


@pytest.mark.parametrize("prefix, bad", [("003", 1), ("003", 6), ("004", 1000)])
def test_damaged_bytes_are_replaced_recorded_and_flagged(tmp_path, prefix, bad):
    import random

    data = bytearray(seed_path(prefix).read_bytes())
    rng = random.Random(bad)
    # between characters (never inside a multi-byte one), so each is exactly one bad byte
    starts = [i for i, b in enumerate(data) if b < 0x80 or b >= 0xC0]
    for at in sorted(rng.sample(starts, bad), reverse=True):
        data[at:at] = b"\xff"
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(bytes(data))
    record = tmp_path / "r.jsonl"
    proc = cli("segment", str(damaged), "--record", str(record))
    assert proc.returncode == 0
    warning = one_line(proc)
    assert f"{bad} damaged byte" in warning and "flagged damaged_bytes" in warning
    from pipeline.doc import Document

    doc = Document.load(record)
    offsets = [d["offset"] for d in doc.source["damaged_bytes"]]
    assert len(offsets) == bad and all(bytes(data)[o] == 0xFF for o in offsets)
    assert all(doc.text[d["char"]] == "\ufffd" for d in doc.source["damaged_bytes"])
    edits = [e for b in doc.blocks for e in b.edits if e.rule == "damaged_byte"]
    assert edits and all("0xff" in e.note for e in edits)
    assert "\ufffd" not in "".join(s.text for s in doc.segments)  # the model never reads them
    assert any("damaged_bytes" in s.flags for s in doc.segments)


NUL_TEXT = ("Le rapport annuel\n\nLe comité s'est réuni hier soir.\x00 Il a décidé de publier le rapport.\n\n\x00\x00\n\n"
            "La séance a duré deux\x00 heures. Les membres ont voté à l'unanimité.\x00\n")


def test_nul_bytes_are_left_out_of_every_edition_recorded_and_flagged(tmp_path, tiny_models):
    data = NUL_TEXT.encode("utf-8")
    source = tmp_path / "nul.txt"
    source.write_bytes(data)
    out = tmp_path / "o"
    proc = diptych("run", str(source), "--model", f"fr={tiny_models['fr']}", "--max-length", TINY_MAX_LENGTH,
                   "--compute-type", "float32", "--out", str(out), "--json")
    err = proc.stderr
    assert proc.returncode == 0, err
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "5 NUL bytes" in warnings[0] and "flagged nul_bytes" in warnings[0], err
    editions = [p for p in (out / "nul").iterdir() if p.suffix != ".jsonl"]
    assert {p.name for p in editions} >= {"nul.tsv", "nul.md", "nul.html", "nul.en.txt", "nul.tmx"}
    for edition in editions + [out / "index.html"]:
        written = edition.read_bytes()
        for nul in (b"\x00", b"\\u0000", b"&#0;", b"&#x0;", b"\xef\xbf\xbd"):
            assert nul not in written, (edition.name, nul)
    from pipeline.doc import Document

    doc = Document.load(out / "nul" / "nul.jsonl")
    recorded = doc.source["nul_bytes"]
    assert [d["offset"] for d in recorded] == [i for i, b in enumerate(data) if b == 0]
    assert all(doc.text[d["char"]] == "\x00" for d in recorded)  # the record's text is the file's
    edits = [e for b in doc.blocks for e in b.edits if e.rule == "nul_byte"]
    assert len(edits) == 5 and all(e.replacement == "" for e in edits)
    assert [b.kind for b in doc.blocks if not b.text] == ["junk"]  # a paragraph of NULs alone is no empty row
    assert "|  |  |" not in (out / "nul" / "nul.md").read_text(encoding="utf-8")
    assert not any("\x00" in s.text or "\x00" in (s.translation or "") for s in doc.segments)
    flagged = [s.text for s in doc.segments if "nul_bytes" in s.flags]
    assert flagged == ["Le comité s'est réuni hier soir.", "La séance a duré deux heures.", "Les membres ont voté à l'unanimité."]


@pytest.mark.parametrize("content, kind", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + os.urandom(2048), "PDF file"),
    (None, "executable"),
    (os.urandom(4096), "binary"),
])
def test_real_binaries_are_refused_as_binary(tmp_path, content, kind):
    path = tmp_path / "file.txt"
    path.write_bytes(content if content is not None else Path(sys.executable).resolve().read_bytes()[:65536])
    proc = cli("segment", str(path))
    assert proc.returncode == 1
    line = one_line(proc)
    assert kind in line or ("looks like" in line and kind == "binary"), line


def test_tsv_import_changes_only_the_cell_that_was_edited(tmp_path, seeds_run):
    _, out = seeds_run
    stem = seed_path("003").stem
    folder = tmp_path / stem
    import shutil

    shutil.copytree(out / stem, folder)
    record, tsv = folder / f"{stem}.jsonl", folder / f"{stem}.tsv"
    lines = tsv.read_text(encoding="utf-8").splitlines()
    rows = tsv_rows(tsv)
    target = next(r for r in rows[1:] if r[1] != "junk" and r[4])
    lines = [line if not line.startswith(target[0] + "\t") else line.replace("\t" + target[4] + "\t", "\tMy own English.\t") for line in lines]
    edited = tmp_path / "edited.tsv"
    edited.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = record.read_text(encoding="utf-8").splitlines()
    proc = cli("check", str(record), "--translations", str(edited))
    assert proc.returncode == 0, proc.stderr.decode()
    after = record.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before[1:], after[1:], strict=True) if a != b]
    assert len(changed) == 1 and json.loads(changed[0][1])["id"] == target[0]
    assert json.loads(changed[0][1])["translation"] == "My own English." and json.loads(changed[0][1])["meta"]["edited"]
    assert json.loads(after[0])["meta"]["import"]["changed"] == 1


def test_offline_names_every_missing_model_at_once_and_refuses_unknown_languages(tmp_path, offline_env):
    proc = cli("run", str(seed_path("003")), str(seed_path("004")), "--out", str(tmp_path / "o"), env=offline_env)
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err and "unexpected" not in err, err
    first, *remedies = err.strip().splitlines()
    assert "French" in first and "Russian" in first and all(line.startswith("  ") for line in remedies), err
    assert "diptych models download fr ru" in err and "--model fr=FOLDER --model ru=FOLDER" in err
    proc = cli("run", str(seed_path("003")), "--model", "de=Helsinki-NLP/opus-mt-de-en", env=offline_env)
    assert proc.returncode == 2 and "translates fr, ru into English, not 'de'" in one_line(proc)


def test_english_originals_get_one_page_and_no_empty_tmx(seeds_run):
    _, out = seeds_run
    stem = seed_path("002").stem
    page = (out / stem / f"{stem}.html").read_text(encoding="utf-8")
    assert "no translation was needed" in page and 'class="tgt"' not in page
    assert not (out / stem / f"{stem}.tmx").exists()
    assert "no translation needed: no TMX" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / seed_path("003").stem / f"{seed_path('003').stem}.tmx").exists()


def test_the_scorer_is_a_core_dependency_and_bounds_are_set():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {d.split(">")[0].split("<")[0].split("=")[0].strip(): d for d in project["dependencies"]}
    assert "sacrebleu" in core
    for name in ("typer", "transformers", "ctranslate2", "sacrebleu"):
        assert "<" in core[name] and ">=" in core[name], core[name]


@pytest.mark.parametrize("byte, key, entry, found, refused", [
    (b"\xff", "damaged_bytes", {"byte": "0xff"}, "1 damaged byte", "not valid UTF-8, the first on line 2"),
    (b"\x00", "nul_bytes", {}, "1 NUL byte", "1 byte NUL (U+0000), the first on line 2"),
])
def test_damaged_and_nul_bytes_in_line_files_are_recorded_for_sources_and_refused_elsewhere(tmp_path, byte, key, entry,
                                                                                             found, refused):
    before = "Une idée.\nDeux "
    source = tmp_path / "src.txt"
    source.write_bytes(before.encode() + byte + "phrases déjà.\n".encode())
    english = tmp_path / "en.txt"
    english.write_text("One idea.\nTwo sentences already.\n", encoding="utf-8")
    proc = cli("align", str(source), str(english), "--pre-split", "-o", str(tmp_path / "ed"))
    assert proc.returncode == 0 and found in one_line(proc)
    head = json.loads(next((tmp_path / "ed").glob("*.jsonl")).read_text(encoding="utf-8").splitlines()[0])
    assert head["source"][key] == [{"offset": len(before.encode()), **entry, "char": len(before)}]
    # a translation, machine translation, hypothesis or reference has no record to note a repair in
    for args in (("align", str(english), str(source), "--pre-split"), ("score", str(source), str(english))):
        proc = cli(*args)
        assert proc.returncode == 1 and refused in one_line(proc)
