"""One stage over a saved record: translate, check (after an edited TSV), align, render.

What ``diptych translate``, ``check``, ``align RECORD`` and ``render`` do, so that the
command line only parses and prints.
"""

from __future__ import annotations

import errno
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..doc import Document, Segment, write_atomic
from ..translation.loading import EngineOptions
from ..errors import UsageError


@contextmanager
def writing() -> Iterator[None]:
    """A file that cannot be written (a folder that takes no new files, a full disk) as one
    line naming it: the atomic writes have left every file as it was."""
    try:
        yield
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else None
        why = exc.strerror or str(exc)
        if exc.errno == errno.ENOENT and where is not None and where.parent.is_dir():
            why = "its folder takes no new files"  # /proc and the like refuse a new name so
        raise UsageError(f"{where}: cannot be written ({why})") from None


def write_record(doc: Document, out: Path | None) -> None:
    """Seal and save ``doc`` to ``out``, or write it to standard output."""
    doc.seal()
    if out:
        with writing():
            doc.save(out)
    else:
        doc.dump_jsonl(sys.stdout)


def translate_record(record: Path, options: EngineOptions, on_progress: Callable[[int, int, int, int], None] | None = None) -> Document:
    """Translate the fr/ru segments of a record that have no translation yet."""
    from ..translation.loading import load_engines
    from ..translation.stage import languages_needed, translate

    doc = Document.load(record)
    engines = load_engines(languages_needed([doc]), options)
    progress = (lambda done, total: on_progress(done, total, int(done == total), 1)) if on_progress else None
    return translate(doc, engines, progress=progress)


def align_record(record: Path) -> Document:
    """Record the beads of a translated record (one per translated segment)."""
    from ..alignment.stage import align

    return align(Document.load(record))


@dataclass
class Checked:
    """What ``diptych check`` did: the record saved, its flagged segments and, after an
    edited TSV, how many segments took its English and the editions rendered again."""

    doc: Document
    flagged: list[Segment]
    changed: int | None = None  # None: no TSV was given
    editions: list[Path] = field(default_factory=list)


def check_record(record: Path, translations: Path | None = None, out: Path | None = None) -> Checked:
    """Import an edited TSV (if given) as a reviewer's edits, recompute the quality flags,
    save the record (in place unless ``out``) and, after a TSV, render again the editions
    of the document found beside it."""
    from ..editions.common import flagged_segments
    from ..quality import check
    from ..review.store import editions_beside, save_and_render

    doc = Document.load(record)
    target = out or record
    if translations is None:
        doc = check(doc)
        doc.seal()
        with writing():
            doc.save(target)
        return Checked(doc, flagged_segments(doc))
    formats = editions_beside(target, doc)  # looked at before the record is written
    changed = import_translations(doc, translations)
    doc = check(doc)
    with writing():
        editions = save_and_render(doc, target, formats)
    return Checked(doc, flagged_segments(doc), changed, editions)


def import_translations(doc: Document, translations: Path) -> int:
    """Take the edited english cells of a TSV edition into ``doc`` as a reviewer's edits
    (history entries by ``check --translations FILE``); return how many segments changed.
    Every row is checked before the first is taken, and ``doc`` is only changed in memory,
    so a bad row leaves every file as it was."""
    from ..editions.tsv import read_tsv_translations
    from ..errors import InputError
    from ..review.edits import ReviewError, find_segment, review_of, update_segment

    edits = read_tsv_translations(doc, translations)
    by = f"check --translations {translations}"
    changed = 0
    for line, seg_id, english in edits:
        seg = find_segment(doc, seg_id)
        before = len(review_of(seg)["history"])
        try:
            update_segment(doc, seg_id, {"translation": english, "version": review_of(seg)["version"]}, by=by)
        except ReviewError as exc:
            raise InputError(f"{translations}: line {line}: {exc}") from None
        changed += len(review_of(seg)["history"]) > before
    doc.provenance["import"] = {"version": "import/1", "from": "tsv"}
    doc.meta["import"] = {"tsv": str(translations), "changed": changed}
    return changed


def render_record(record: Path, out: Path | None, formats: str | None, *, english_only: bool = False) -> list[Path]:
    """The editions of a record again, without translating: ``formats`` as ``tsv,html``
    (None: the editions, and the document's own format; ``english_only``: a book's EPUB in English only)."""
    from ..editions import english_only_formats, formats_for, parse_formats, render

    chosen = None if formats is None else english_only_formats(parse_formats(formats), english_only)
    doc = Document.load(record)
    chosen = chosen or formats_for(doc, english_only)
    with writing():
        return render(doc, out or record.parent, chosen)


def export_record(record: Path, fmt: str, out: Path | None) -> Path:
    """A record exported for CAT tools (``xliff2``, ``xliff12``, ``tmx``, ``tsv``, or
    ``beads`` for an aligned pair), written to ``out`` or beside the record."""
    from ..paths import child
    from ..editions import EXPORTS, FORMATS, export_text

    if fmt not in EXPORTS:
        raise UsageError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORTS)}")
    doc = Document.load(record)
    text = export_text(doc, fmt)
    target = out if out is not None else child(record.parent, f"{doc.id}{FORMATS[fmt].files[0][0]}")
    if target.is_dir():
        raise UsageError(f"--out {target}: is a folder; give a file name")
    try:
        return write_atomic(target, text)
    except OSError as exc:
        raise UsageError(f"--out {target}: cannot be written ({exc.strerror})") from None


def review_folders(paths: list[Path], host: str, port: int, open_browser: bool, announce: Callable[[str], None],
                   *, warn: Callable[[str], None], new_token: bool = False) -> None:
    """Serve the records under ``paths`` for review (``diptych review``) until Ctrl-C."""
    from ..review.server import serve

    serve(paths, host=host, port=port, open_browser=open_browser, announce=announce, warn=warn, new_token=new_token)
