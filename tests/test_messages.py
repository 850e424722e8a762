"""What the help and the one-line messages say, through the real console script: each
says what is true in words a user reads, and names what to do or where to look."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, diptych, seed_path

WIDE = dict(os.environ, COLUMNS="200")
COMMANDS = (["run"], ["segment"], ["translate"], ["align"], ["align-eval"], ["render"], ["review"], ["export"], ["score"], ["check"],
            ["models", "list"], ["models", "download"], ["models", "convert"], ["cache", "stats"], ["cache", "clear"], [])


def test_the_help_shows_text_that_looks_like_markup_as_written():
    help_text = diptych("run", "--help", env=WIDE).stdout
    assert "pip install 'diptych[ray]'" in help_text


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "diptych")
def test_the_help_names_values_as_a_user_gives_them(args):
    help_text = diptych(*args, "--help", env=WIDE).stdout
    assert "Usage: " in help_text
    # no flag shows a value to give (--help included), no Python type stands for a value
    assert "<bool>" not in help_text and "<list[" not in help_text, help_text
    # an argument's usage is bracketed once: [FOLDER]..., not [[OUTPUTS_DIR ...]]...
    assert "[[" not in help_text.split("\n\n")[1]


def test_a_repeated_argument_reads_as_such():
    usage = diptych("run", "--help", env=WIDE).stdout
    assert "[FILE|FOLDER]..." in usage and re.search(r"│\s+FILE\|FOLDER\s+Text files or folders", usage)
    assert "[LANG]..." in diptych("models", "download", "--help", env=WIDE).stdout


@pytest.mark.parametrize("args", [["score", "a"], ["score", "a", "b", "--reference", "c"], ["align", "a", "b", "c"]])
def test_a_missing_or_extra_argument_is_a_usage_error(args):
    proc = diptych(*args)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [["run", "-o"], ["cache", "stats", "--cache"], ["run", "--out"]])
def test_an_option_without_its_value_names_the_command_and_its_help(args):
    proc = diptych(*args)
    command = " ".join(args[:-1])
    assert proc.returncode == 2
    line = proc.stderr.strip()
    assert f"pipeline {command}: option '{args[-1]}' requires an argument (see " in line and line.endswith(f"pipeline {command} --help)"), line


def test_no_inputs_and_no_seeds_folder_is_one_setup_line_and_nothing_after(tmp_path):
    proc = diptych("run", cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 2
    assert proc.stdout == "" and len(proc.stderr.strip().splitlines()) == 1, proc.stdout + proc.stderr
    assert "no inputs given" in proc.stderr and "seeds/" in proc.stderr
    assert not (tmp_path / "outputs").exists()


def test_a_run_that_writes_no_document_prints_its_errors_and_no_empty_table(tmp_path):
    proc = diptych("run", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o"))
    assert proc.returncode == 1
    assert proc.stdout == "", proc.stdout
    assert proc.stderr.strip() == f"diptych: error: {tmp_path / 'missing.txt'}: no such file or folder"


@pytest.mark.parametrize("command", ["run", "segment"])
def test_a_symlink_loop_is_named_as_such(tmp_path, command):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "gone.txt")
    proc = diptych(command, str(loop), *(["--out", str(tmp_path / "o")] if command == "run" else []))
    assert proc.returncode == 1 and "symbolic link loop" in proc.stderr and "no such" not in proc.stderr, proc.stderr
    proc = diptych(command, str(dangling), *(["--out", str(tmp_path / "o")] if command == "run" else []))
    assert proc.returncode == 1 and f"a symbolic link to {tmp_path / 'gone.txt'}, which does not exist" in proc.stderr, proc.stderr


def test_the_damaged_byte_warning_says_what_became_of_the_byte(tmp_path):
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes("Une idée simple.\nDeux ".encode() + b"\xff" + "phrases déjà écrites.\n".encode())
    proc = diptych("segment", str(damaged))
    assert proc.returncode == 0
    assert "Deux phrases déjà écrites." in proc.stdout.splitlines() and "\ufffd" not in proc.stdout
    assert "1 damaged byte (not UTF-8) left out of the sentences;" in proc.stderr and "replaced" not in proc.stderr, proc.stderr


def test_a_cache_that_cannot_be_written_says_so(tmp_path, tiny_models):
    # /proc takes no new file, whoever runs the test (root writes through permissions)
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc on this system")
    proc = diptych("run", str(seed_path("003")), "--model", f"fr={tiny_models['fr']}", "--cache", "/proc/diptych.sqlite",
                   "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("diptych: error: cache /proc/diptych.sqlite: cannot be written (its folder takes no new files); "
                                   "choose another with --cache, or --no-cache"), proc.stderr
    assert not (tmp_path / "o").exists()


def test_scores_are_printed_at_sacrebleus_own_precision(tmp_path):
    ref = tmp_path / "ref.txt"
    hyp = tmp_path / "hyp.txt"
    ref.write_text("The cat sat on the mat by the door.\nA dog barked at the moon all night long.\nWe left early in the morning.\n", encoding="utf-8")
    hyp.write_text("The cat sat on a mat by the door.\nA dog barked at the moon all the night.\nWe left early this morning.\n", encoding="utf-8")
    theirs = json.loads(subprocess.run([sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "ter"],
                                       capture_output=True, text=True, check=True).stdout)
    figures = {r["name"]: r["score"] for r in theirs}
    ours = json.loads(diptych("score", str(hyp), str(ref), "--json").stdout)["scores"]
    lines = diptych("score", str(hyp), str(ref)).stdout.splitlines()
    for name in ("BLEU", "chrF2", "TER"):
        printed = next(line.split()[1] for line in lines if line.split()[0] == name)
        assert printed == f"{figures[name]:.1f}" and ours[name]["score"] == figures[name], (name, printed, figures[name])
        # the JSON's long form too: "BLEU = 58.8 88.5/...", not "BLEU = 58.80 88.5/..."
        assert (ours[name]["verbose_score"] + " ").startswith(f"{name} = {figures[name]:.1f} "), ours[name]["verbose_score"]
    assert ours["BLEU"]["verbose_score"].endswith(" " + theirs[0]["verbose_score"])


def test_the_index_names_no_language_in_words(tmp_path):
    out = tmp_path / "o"
    proc = diptych("run", str(seed_path("001")), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    shown = re.sub(r"<[^>]*>", " ", index.split("<body>")[1])  # what a reader sees: no tags, no attributes
    assert "+no language 1" in " ".join(shown.split())
    assert "zxx" not in shown and "und" not in shown.split()
