"""The one atomic writer (pipeline.doc.write_atomic) that records, editions, the review
store and the token store go through: a reader and a second writer of the same file see
the old file or a new one whole, and a failure leaves the old file and no temporary one."""

import errno
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT
from pipeline.doc import write_atomic

SIZE = 200_000  # large enough that a write takes several system calls


def _leftovers(folder: Path, target: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != target)


def _whole(text: str) -> bool:
    return len(text) == SIZE and len(set(text)) == 1


def test_writers_in_threads_never_mix_and_leave_no_temporary_file(tmp_path):
    target = tmp_path / "same.txt"
    write_atomic(target, "0" * SIZE)
    seen: list[str] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def write(letter: str) -> None:
        try:
            for _ in range(30):
                write_atomic(target, lambda fh: [fh.write(letter * 1000) for _ in range(SIZE // 1000)])
        except BaseException as exc:  # a thread's error would otherwise pass unseen
            errors.append(exc)

    def read() -> None:
        while not stop.is_set():
            seen.append(target.read_text(encoding="utf-8"))

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write, args=(letter,)) for letter in "abcd"]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    stop.set()
    reader.join()
    assert errors == []
    assert seen and all(_whole(text) for text in seen)
    assert _whole(target.read_text(encoding="utf-8")) and target.read_text(encoding="utf-8")[0] in "abcd"
    assert _leftovers(tmp_path, target) == []


def test_writers_in_processes_never_mix_and_leave_no_temporary_file(tmp_path):
    target = tmp_path / "same.jsonl"
    code = ("import sys; from pipeline.doc import write_atomic\n"
            "for _ in range(40): write_atomic(sys.argv[1], sys.argv[2] * %d)" % SIZE)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(target), letter], env=env) for letter in "wxyz"]
    seen = []
    while any(p.poll() is None for p in procs):
        if target.exists():
            seen.append(target.read_text(encoding="utf-8"))
    assert [p.wait() for p in procs] == [0, 0, 0, 0]
    assert all(_whole(text) for text in seen)
    assert _whole(target.read_text(encoding="utf-8"))
    assert _leftovers(tmp_path, target) == []


def test_a_failing_content_function_leaves_the_old_file_and_no_temporary_one(tmp_path):
    target = tmp_path / "doc.jsonl"
    target.write_text("the old record\n", encoding="utf-8")

    def half_then_fail(fh):
        fh.write("half of a new record")
        raise ValueError("a renderer's bug")

    with pytest.raises(ValueError, match="a renderer's bug"):
        write_atomic(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "the old record\n"
    assert _leftovers(tmp_path, target) == []


def test_a_full_disk_leaves_the_old_file_and_no_temporary_one_and_names_the_file(tmp_path, monkeypatch):
    target = tmp_path / "doc.html"
    target.write_text("the old page", encoding="utf-8")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as caught:
        write_atomic(target, "a new page")
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
    assert target.read_text(encoding="utf-8") == "the old page"
    assert _leftovers(tmp_path, target) == []


def test_a_folder_that_takes_no_new_file_leaves_the_old_one(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "doc.tsv"
    target.write_text("old", encoding="utf-8")
    folder.chmod(0o555)
    try:
        probe = folder / "probe"
        try:
            probe.write_text("x")
        except PermissionError:
            pass
        else:  # root writes through the permissions: /proc below says the same for everyone
            probe.unlink()
            pytest.skip("this user writes into read-only folders")
        with pytest.raises(PermissionError) as caught:
            write_atomic(target, "new")
        assert caught.value.filename == str(target)
        assert target.read_text(encoding="utf-8") == "old" and _leftovers(folder, target) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="no /proc on this system")
def test_a_system_folder_that_takes_no_file_raises_an_error_naming_the_target():
    with pytest.raises(OSError) as caught:
        write_atomic("/proc/diptych-test.txt", "x")
    assert caught.value.filename == "/proc/diptych-test.txt"


def test_the_new_file_keeps_the_old_ones_permissions_or_gets_opens_defaults(tmp_path):
    kept = tmp_path / "kept.txt"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    write_atomic(kept, "new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    old_umask = os.umask(0o027)
    try:
        fresh = write_atomic(tmp_path / "fresh.txt", "new")
        opened = tmp_path / "opened.txt"
        opened.write_text("new", encoding="utf-8")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == stat.S_IMODE(opened.stat().st_mode) == 0o640
    private = write_atomic(kept, "secret", mode=0o600)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600


def test_a_name_as_long_as_the_file_system_allows_is_written(tmp_path):
    target = tmp_path / ("é" * 125 + ".tsv")  # 254 bytes: the temporary name must be shorter
    write_atomic(target, "text")
    assert target.read_text(encoding="utf-8") == "text" and _leftovers(tmp_path, target) == []
