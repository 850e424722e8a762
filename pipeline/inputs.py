"""What a run reads: the files given, and the text files of the folders given, at any depth.

A folder is read in one stated order, the same on every machine: its entries sorted by
their path relative to the folder, compared folder by folder (``a/x.txt`` before ``b.txt``
before ``b/x.txt``). A file below the folder's top has its relative path in its document id
(:func:`pipeline.readers.doc_id_for`), so two files of one name in two subfolders are two
documents with two output folders. What is not read is said, never passed over in silence:
files not named as text, hidden files and folders (``.git``, ``.DS_Store``: a tool's, not the
author's), links that lead nowhere, and links back into a folder being read (which would
never end).
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from .readers import doc_id_for, suffixes
from .paths import missing_reason

# A skip line names this many paths of each kind, then says how many more: one line a
# terminal can show, whatever the size of the tree.
SHOWN_PER_REASON = 3

# every suffix a reader takes (pipeline.readers.READERS)
READ_SUFFIXES = suffixes()
NOT_TEXT = f"of no format Diptych reads (named other than {', '.join('*' + s for s in READ_SUFFIXES)})"
HIDDEN = "hidden (the name starts with a dot)"
LOOP = "symlink loop (leads back into a folder being read)"
SAME_FOLDER = "link to a folder read already"
BROKEN = "link to nothing"
NOT_FILE = "neither a file nor a folder"
REASONS = (NOT_TEXT, HIDDEN, LOOP, SAME_FOLDER, BROKEN, NOT_FILE)


@dataclass(frozen=True)
class InputFile:
    path: Path
    doc_id: str | None = None  # None: named by its file name alone, as ingest names it


@dataclass
class Inputs:
    files: list[InputFile] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, one of REASONS)

    def skipped_line(self) -> str | None:
        """One line for everything the folders held that was not read, or None."""
        if not self.skipped:
            return None
        parts = []
        for reason in REASONS:
            paths = [p for p, why in self.skipped if why == reason]
            if paths:
                more = f" and {len(paths) - SHOWN_PER_REASON} more" if len(paths) > SHOWN_PER_REASON else ""
                parts.append(f"{reason}: {', '.join(paths[:SHOWN_PER_REASON])}{more}")
        n = len(self.skipped)
        return f"skipped {n} entr{'ies' if n != 1 else 'y'} of the input folders, not read: {'; '.join(parts)}"


def discover(inputs: list[str | Path]) -> Inputs:
    """The files to read, in order: each file as given, each folder's text files at any depth."""
    found = Inputs()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            files, errors = len(found.files), len(found.errors)
            _walk(p, found)
            if len(found.files) == files and len(found.errors) == errors:  # else it said why
                found.errors.append(f"{p}: no text files ({', '.join(READ_SUFFIXES)}) in this folder or its subfolders")
        elif p.exists() or str(p) == "-":
            found.files.append(InputFile(p))
        else:
            found.errors.append(f"{p}: {missing_reason(p)}")
    return found


def _walk(top: Path, found: Inputs) -> None:
    """Depth first, each folder's entries sorted by name: the order of their relative paths
    (a folder's files and subfolders interleave by name). A folder reached twice (through
    a link) is read once; one that leads back to a folder above it, never."""
    seen: set[str] = set()
    # files, and folders with the real paths of the folders above them (a loop is a way
    # back up; a second way into a folder read elsewhere is no loop)
    stack: list[InputFile | tuple[Path, frozenset[str]]] = [(top, frozenset())]
    while stack:
        item = stack.pop()
        if isinstance(item, InputFile):
            found.files.append(item)
            continue
        folder, above = item
        real = os.path.realpath(folder)
        if real in above or real in seen:
            found.skipped.append((str(folder), LOOP if real in above else SAME_FOLDER))
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:  # as for a file that cannot be read: bad input, not a skip
            found.errors.append(f"{folder}: cannot be read ({exc.strerror})")
            continue
        queued: list[InputFile | tuple[Path, frozenset[str]]] = []
        for entry in entries:
            path = Path(entry.path)
            kind = HIDDEN if entry.name.startswith(".") else _kind(entry)
            if kind == "folder":
                queued.append((path, above | {real}))
            elif kind != "file":
                found.skipped.append((str(path), kind))
            elif path.suffix.lower() not in READ_SUFFIXES:
                found.skipped.append((str(path), NOT_TEXT))
            else:
                queued.append(InputFile(path, None if folder == top else doc_id_for(path, top)))
        stack.extend(reversed(queued))


def _kind(entry: os.DirEntry) -> str:
    """``file``, ``folder``, or why the entry is neither (following links, as a reader would)."""
    try:
        if entry.is_dir():
            return "folder"
        if entry.is_file():
            return "file"
    except OSError:
        pass
    if entry.is_symlink():
        try:
            os.stat(entry.path)
        except OSError as exc:
            return LOOP if exc.errno == errno.ELOOP else BROKEN
    return NOT_FILE
