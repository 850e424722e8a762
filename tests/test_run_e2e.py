"""`diptych run` through the real CLI, with tiny MarianMT models loaded like real ones."""

import json
import subprocess
import sys
from pathlib import Path

from pipeline.doc import Document
from conftest import SEED_LANGS, TINY_MAX_LENGTH, diptych, seed_path, tsv_rows
from test_frontend import coverage_errors


def test_run_writes_complete_editions_for_all_seeds(seeds_run):
    proc, out = seeds_run
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    by_id = {d["id"]: d for d in summary["documents"]}
    assert len(by_id) == 5
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'data-doc="{d}"' in index for d in by_id)
    for prefix, lang in SEED_LANGS.items():
        stem = seed_path(prefix).stem
        report = by_id[stem]
        assert report["lang"] == lang
        folder = out / stem
        for suffix in (".jsonl", ".tsv", ".en.txt", ".en.md", ".md", ".html"):
            assert (folder / f"{stem}{suffix}").is_file(), suffix
        assert (folder / f"{stem}.tmx").is_file() == (lang != "en")  # no empty translation memory
        doc = Document.load(folder / f"{stem}.jsonl")  # parses and validates spans
        assert doc.text == seed_path(prefix).read_text(encoding="utf-8")
        assert coverage_errors(doc) == []
        rows = tsv_rows(folder / f"{stem}.tsv")
        assert rows[0] == ["id", "kind", "lang", "source", "english", "flags"]
        assert all(len(r) == 6 for r in rows)
        assert len(rows) - 1 == sum(1 for _ in doc.segments)
        translated = [s for s in doc.segments if s.translation is not None]
        assert report["translated"] == len(translated)
        if lang == "en":
            assert not report["translation_needed"] and translated == []
            assert "no translation needed" in doc.meta["translation"]["reason"]
            assert "translate" not in doc.provenance
        else:
            assert report["translation_needed"] and translated
            for block in doc.blocks:
                for seg in block.segments:
                    if seg.meta.get("verbatim"):  # a byline's name, as written: no model reads it
                        assert block.kind == "byline" and seg.translation is None, seg.id
                    elif block.kind != "junk" and seg.lang in ("fr", "ru"):
                        assert seg.translation, seg.id
                    if seg.lang == "en":
                        assert seg.translation is None, seg.id
            assert doc.provenance["translate"]["models"][lang]["model"].startswith("local:")


def test_english_passages_pass_through_untouched(seeds_run):
    _, out = seeds_run
    stem = seed_path("004").stem
    doc = Document.load(out / stem / f"{stem}.jsonl")
    english = (out / stem / f"{stem}.en.txt").read_text(encoding="utf-8")
    abstract = next(b for b in doc.blocks if b.text.startswith("Abstract."))
    assert abstract.text in english
    rows = {r[0]: r for r in tsv_rows(out / stem / f"{stem}.tsv")}
    for seg in abstract.segments:
        assert rows[seg.id][3] == rows[seg.id][4] == seg.text


def test_english_originals_are_kept_verbatim(seeds_run):
    _, out = seeds_run
    stem = seed_path("002").stem
    english = (out / stem / f"{stem}.en.txt").read_text(encoding="utf-8")
    assert "One hundred and forty years ago the suppression of the Paris Commune was reaching its climax." in english


def test_no_network_and_no_model_fails_fast_with_exit_code_2(tmp_path, offline_env):
    out = tmp_path / "out"
    proc = diptych("run", "--out", str(out), env=offline_env, timeout=60)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    # a short first line, then the remedies indented under it
    assert lines[0].startswith("diptych: error: no French") and len(lines[0]) < 300, proc.stderr
    assert all(line.startswith("  ") for line in lines[1:]) and len(lines) == 5, proc.stderr
    assert "diptych models download" in lines[2] and "--model fr=" in lines[3] and "diptych run --models demo" in lines[4]
    assert "Traceback" not in proc.stderr
    assert not out.exists()  # before any work


def test_english_only_input_needs_no_model(tmp_path, offline_env):
    proc = diptych("run", str(seed_path("000")), "--out", str(tmp_path / "o"), "--json", env=offline_env)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["models"] == {} and report["documents"][0]["translation_needed"] is False


def test_bad_inputs_get_one_line_each_and_the_rest_is_processed(tmp_path, offline_env):
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 50)
    good = seed_path("001")
    proc = diptych(
        "run", str(tmp_path / "missing.txt"), str(empty_dir), str(tmp_path / "empty.txt"), str(tmp_path / "image.txt"), str(good),
        "--out", str(tmp_path / "o"), "--json", env=offline_env,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert [d["id"] for d in report["documents"]] == [good.stem]
    errors = report["errors"]
    assert len(errors) == 4
    for needle in ("missing.txt: no such file", "no text files", "empty", "binary"):
        assert any(needle in e for e in errors), needle
    assert (tmp_path / "o" / good.stem / f"{good.stem}.jsonl").is_file()


def test_stages_run_alone_through_the_record(tmp_path, tiny_models):
    record = tmp_path / "doc.jsonl"
    proc = diptych("segment", str(seed_path("003")), "--record", str(record))
    assert proc.returncode == 0, proc.stderr
    sentences = proc.stdout.splitlines()
    assert "Newsletter" not in sentences and len(sentences) > 100
    translated = tmp_path / "translated.jsonl"
    proc = diptych("translate", str(record), "--model", f"fr={tiny_models['fr']}", "--max-length", TINY_MAX_LENGTH, "--out", str(translated))
    assert proc.returncode == 0, proc.stderr
    aligned = tmp_path / "aligned.jsonl"
    assert diptych("align", str(translated), "--out", str(aligned)).returncode == 0
    proc = diptych("render", str(aligned), "--out", str(tmp_path / "ed"))
    assert proc.returncode == 0, proc.stderr
    stem = seed_path("003").stem
    doc = Document.load(tmp_path / "ed" / f"{stem}.jsonl")
    assert all(s.translation for b in doc.blocks if b.kind not in ("junk", "byline") for s in b.segments if s.lang == "fr")
    assert (tmp_path / "ed" / f"{stem}.tsv").is_file() and (tmp_path / "ed" / f"{stem}.en.txt").is_file()


def test_segment_jsonl_contract():
    proc = diptych("segment", str(seed_path("004")), "--jsonl")
    assert proc.returncode == 0, proc.stderr
    objs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {"id", "kind", "lang", "text", "footnote_refs", "span"} <= objs[0].keys()
    text = seed_path("004").read_text(encoding="utf-8")
    assert all(text[o["span"][0]] == o["text"][0] for o in objs)


def test_help_reads_well_for_every_command():
    # the console script the README's setup installs, found beside this Python (a venv's
    # bin/ need not be on PATH: the README never activates it)
    script = Path(sys.executable).parent / "diptych"
    assert script.is_file(), f"the console script is installed at {script}"
    assert subprocess.run([str(script), "--version"], capture_output=True, text=True).stdout.startswith("diptych ")
    for args in ([], ["run"], ["segment"], ["translate"], ["align"], ["render"], ["models"], ["models", "list"], ["models", "download"]):
        proc = diptych(*args, "--help")
        assert proc.returncode == 0, (args, proc.stderr)
        assert "Usage: " in proc.stdout and "Traceback" not in proc.stdout


def test_record_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "document", "schema_version": 99, "id": "x", "text": ""}\n', encoding="utf-8")
    proc = diptych("render", str(bad), "--out", str(tmp_path / "o"))
    assert proc.returncode == 1 and "newer" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


FRENCH = "Le comité s'est réuni hier soir à Paris. Il a décidé de publier le rapport la semaine prochaine.\n"
ENGLISH = "The committee met last night in London. It decided to publish the report next week.\n"


def test_a_folder_tree_is_read_in_order_with_relative_paths_in_the_ids(tmp_path, tiny_models):
    corpus = tmp_path / "corpus"
    texts = {"x.txt": ENGLISH, "a/x.txt": ENGLISH, "b/x.txt": FRENCH, "b/deep/c/y.md": ENGLISH,
             ".git/HEAD.txt": ENGLISH, "a/.hidden.txt": ENGLISH}
    for rel, text in texts.items():
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_text(text, encoding="utf-8")
    (corpus / "notes.odt").write_bytes(b"PK\x03\x04")  # a format Diptych does not read
    (corpus / "a" / "image.png").write_bytes(b"\x89PNG\r\n")
    (corpus / "a" / "loop").symlink_to(corpus, target_is_directory=True)  # leads back up the tree
    out = tmp_path / "o"
    proc = diptych("run", str(corpus), "--model", f"fr={tiny_models['fr']}", "--max-length", TINY_MAX_LENGTH,
                   "--compute-type", "float32", "--out", str(out), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    # sorted by relative path, folder by folder; a file at the top keeps its plain id
    expected = {"a__x": "a/x.txt", "b__deep__c__y": "b/deep/c/y.md", "b__x": "b/x.txt", "x": "x.txt"}
    assert [d["id"] for d in report["documents"]] == list(expected)
    for doc_id, rel in expected.items():
        folder = out / doc_id
        assert folder.resolve().parent == out.resolve()
        doc = Document.load(folder / f"{doc_id}.jsonl")
        assert doc.id == doc_id and Path(doc.source["path"]) == corpus / rel
    assert all(s.translation for s in Document.load(out / "b__x" / "b__x.jsonl").segments)
    skipped = [line for line in proc.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 1, proc.stderr
    for name in ("notes.odt", "image.png", ".git", ".hidden.txt", "loop"):
        assert name in skipped[0], name
    assert "symlink loop" in skipped[0] and "hidden" in skipped[0] and "of no format Diptych reads" in skipped[0]
    assert "Traceback" not in proc.stderr
