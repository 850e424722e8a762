"""``diptych check --translations edited.tsv``: the edited English goes in as a reviewer's
edit does (a history entry for each segment), the editions are rendered again, and one
line says so; a TSV that does not match the record changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import diptych, seed_path, tsv_rows

NEW_ENGLISH = "My own English, checked by hand"


def _edition_copy(seeds_run, tmp_path: Path) -> tuple[Path, Path, str]:
    _, out = seeds_run
    stem = seed_path("003").stem
    folder = tmp_path / stem
    shutil.copytree(out / stem, folder)
    return folder, folder / f"{stem}.jsonl", stem


def _write_edited(tsv: Path, target: Path, row_id: str, new_cells: list[str] | None) -> None:
    """The TSV with row ``row_id`` replaced by ``new_cells`` (None: left as it is)."""
    lines = tsv.read_text(encoding="utf-8").splitlines()
    lines = ["\t".join(new_cells) if new_cells is not None and line.startswith(row_id + "\t") else line for line in lines]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_an_edited_tsv_is_a_reviewers_edit_and_the_editions_follow(seeds_run, tmp_path):
    folder, record, stem = _edition_copy(seeds_run, tmp_path)
    tsv = folder / f"{stem}.tsv"
    row = next(r for r in tsv_rows(tsv)[1:] if r[1] != "junk" and r[2] == "fr" and r[4])
    edited = tmp_path / "edited.tsv"
    _write_edited(tsv, edited, row[0], [*row[:4], NEW_ENGLISH, row[5]])
    editions = [folder / f"{stem}{suffix}" for suffix in (".en.txt", ".en.md", ".md", ".html", ".tmx", ".tsv")]
    assert all(p.is_file() and NEW_ENGLISH not in p.read_text(encoding="utf-8") for p in editions)

    proc = diptych("check", str(record), "--translations", str(edited), "--json")
    assert proc.returncode == 0, proc.stderr
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1, proc.stderr
    assert "1 segment changed" in line, line
    for p in editions:
        assert p.name in line, (p.name, line)
        assert NEW_ENGLISH in p.read_text(encoding="utf-8"), p.name
    for out_line in proc.stdout.splitlines():
        json.loads(out_line)  # stdout stays the --json the user asked for

    lines = record.read_text(encoding="utf-8").splitlines()
    seg = next(json.loads(l) for l in lines[1:] if json.loads(l).get("id") == row[0])
    assert seg["translation"] == NEW_ENGLISH and seg["meta"]["edited"]
    history = seg["meta"]["review"]["history"]
    assert len(history) == 1, history
    entry = history[0]
    assert entry["field"] == "translation" and entry["by"] == f"check --translations {edited}" and entry["time"]
    assert entry["before"] == row[4] and entry["after"] == NEW_ENGLISH
    assert seg["meta"]["review"]["version"] == 1

    # the same file again: nothing left to take, no second history entry
    proc = diptych("check", str(record), "--translations", str(edited))
    assert proc.returncode == 0 and "0 segments changed" in proc.stderr, proc.stderr
    lines = record.read_text(encoding="utf-8").splitlines()
    seg = next(json.loads(l) for l in lines[1:] if json.loads(l).get("id") == row[0])
    assert len(seg["meta"]["review"]["history"]) == 1


def test_a_tsv_that_does_not_match_the_record_changes_no_file(seeds_run, tmp_path):
    folder, record, stem = _edition_copy(seeds_run, tmp_path)
    tsv = folder / f"{stem}.tsv"
    rows = tsv_rows(tsv)[1:]
    first = next(r for r in rows if r[1] != "junk" and r[4])
    junk = next((r for r in rows if r[1] == "junk"), None)
    bad = {
        "unknown id": [f"{stem}:nowhere", *first[1:4], NEW_ENGLISH, first[5]],
        "a cell too many": [*first[:4], NEW_ENGLISH, "stray", first[5]],
        "a cell too few": first[:4],
    }
    if junk is not None:
        bad["English typed into a junk row"] = [*junk[:4], NEW_ENGLISH, junk[5]]
    before = _snapshot(folder)
    for case, cells in bad.items():
        edited = tmp_path / "edited.tsv"
        lines = tsv.read_text(encoding="utf-8").splitlines()
        # an edit that would be taken, ahead of the bad row: it must not be taken either
        good = next(r for r in rows if r[1] != "junk" and r[4] and r[0] != first[0] and (junk is None or r[0] != junk[0]))
        lines = ["\t".join([*good[:4], NEW_ENGLISH, good[5]]) if l.startswith(good[0] + "\t") else l for l in lines]
        target = junk[0] if case.startswith("English typed") else first[0]
        if case == "unknown id":
            lines.append("\t".join(cells))
        else:
            lines = ["\t".join(cells) if l.startswith(target + "\t") else l for l in lines]
        edited.write_text("\n".join(lines) + "\n", encoding="utf-8")
        proc = diptych("check", str(record), "--translations", str(edited))
        assert proc.returncode == 1, (case, proc.returncode, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr, (case, proc.stderr)
        assert "line " in proc.stderr, (case, proc.stderr)
        assert _snapshot(folder) == before, case
