"""The document model every stage reads and writes.

A :class:`Document` owns the normalized text of one input. Its :class:`Block`s and
:class:`Segment`s point into that text with character spans, the way spaCy's ``Span``
points into a ``Doc``. Text repairs (joining wrapped lines, removing line-end
hyphenation) are never applied to the document text itself: each block records them
as :class:`Edit`s, so the repaired text can always be recomputed and checked against
the original, and every decision stays visible in the record.

This module depends on nothing else in the package, on purpose: the record format is
the contract between stages and with users, and it must be loadable anywhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

# The record format's version: a newer one is refused, older ones read as before (what
# each version changed: docs/versions.md).
SCHEMA_VERSION = 3
INTERRUPTION = "interruption_join"

BLOCK_KINDS = (
    "heading",
    "byline",
    "paragraph",
    "quote",
    "caption",
    "list_item",
    "footnote",
    "meta",
    "junk",
)

# ISO 639 codes we emit besides the working languages: "und" when a language cannot be
# determined, "zxx" for text with no linguistic content (numbers, URLs, symbols).
UNDETERMINED = "und"
NO_LINGUISTIC_CONTENT = "zxx"


class RecordError(ValueError):
    """A record that cannot be loaded as it is: newer schema, truncated, inconsistent."""


@dataclass
class Edit:
    """One repair of the original text: ``text[span]`` reads as ``replacement``."""

    span: tuple[int, int]
    replacement: str
    rule: str
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"span": list(self.span), "replacement": self.replacement, "rule": self.rule}
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> "Edit":
        return cls(tuple(obj["span"]), obj["replacement"], obj["rule"], obj.get("note", ""))


def apply_edits(original: str, offset: int, edits: Iterable[Edit]) -> str:
    """Repair ``original`` (which starts at document offset ``offset``) with ``edits``."""
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.span):
        start, end = e.span[0] - offset, e.span[1] - offset
        if start < pos or end > len(original):
            raise RecordError(f"edit {e.span} overlaps another or leaves its block")
        out.append(original[pos:start])
        out.append(e.replacement)
        pos = end
    out.append(original[pos:])
    return "".join(out)


@dataclass
class Segment:
    """A sentence (or a sentence-like unit) of a block."""

    id: str
    block: str
    span: tuple[int, int]
    text: str
    lang: str
    translation: str | None = None
    flags: list[str] = field(default_factory=list)
    footnote_refs: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "segment",
            "id": self.id,
            "block": self.block,
            "lang": self.lang,
            "span": list(self.span),
            "text": self.text,
            "translation": self.translation,
            "flags": list(self.flags),
            "footnote_refs": list(self.footnote_refs),
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> "Segment":
        return cls(
            id=obj["id"],
            block=obj["block"],
            span=tuple(obj["span"]),
            text=obj["text"],
            lang=obj["lang"],
            translation=obj.get("translation"),
            flags=list(obj.get("flags", [])),
            footnote_refs=list(obj.get("footnote_refs", [])),
            meta=dict(obj.get("meta", {})),
        )


@dataclass
class Block:
    """A structural unit: heading, paragraph, footnote, junk line, ..."""

    id: str
    kind: str
    span: tuple[int, int]
    text: str
    lang: str = UNDETERMINED
    edits: list[Edit] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def source_offset(self, repaired_offset: int) -> int:
        """Map an offset in the repaired ``text`` back to an offset in the document text."""
        return self.source_offsets([repaired_offset])[0]

    def source_offsets(self, repaired_offsets: list[int]) -> list[int]:
        """:meth:`source_offset` of each offset, the edits put in order once."""
        if not self.edits:  # most blocks: nothing repaired
            return [self.span[0] + offset for offset in repaired_offsets]
        edits = sorted(self.edits, key=lambda e: e.span)
        return [self._source_offset(offset, edits) for offset in repaired_offsets]

    def _source_offset(self, repaired_offset: int, edits: list[Edit]) -> int:
        consumed = 0  # characters of repaired text before the current edit
        last_original = self.span[0]
        for e in edits:
            before = e.span[0] - last_original
            if repaired_offset <= consumed + before:
                return last_original + (repaired_offset - consumed)
            consumed += before
            if repaired_offset < consumed + len(e.replacement):
                # inside a replacement: clamp to the edited original stretch
                return min(e.span[0] + (repaired_offset - consumed), e.span[1])
            consumed += len(e.replacement)
            last_original = e.span[1]
        return last_original + (repaired_offset - consumed)

    @property
    def translatable(self) -> bool:
        return self.kind != "junk"

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "block",
            "id": self.id,
            "kind": self.kind,
            "lang": self.lang,
            "span": list(self.span),
            "text": self.text,
            "edits": [e.to_json() for e in self.edits],
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> "Block":
        kind = obj["kind"]
        if kind not in BLOCK_KINDS:
            raise RecordError(f"block {obj.get('id')!r} has unknown kind {kind!r}")
        return cls(
            id=obj["id"],
            kind=kind,
            span=tuple(obj["span"]),
            text=obj["text"],
            lang=obj.get("lang", UNDETERMINED),
            edits=[Edit.from_json(e) for e in obj.get("edits", [])],
            meta=dict(obj.get("meta", {})),
        )


@dataclass
class Document:
    """One input text and everything the stages learned about it."""

    id: str
    text: str
    source: dict[str, Any] = field(default_factory=dict)
    lang: str = UNDETERMINED
    blocks: list[Block] = field(default_factory=list)
    # One signature per stage that touched the document: name, version, settings.
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    # -- navigation ---------------------------------------------------------------
    @property
    def segments(self) -> Iterator[Segment]:
        for block in self.blocks:
            yield from block.segments

    def content_blocks(self) -> list[Block]:
        """The blocks that count: everything but junk (navigation, share buttons), which
        stays in the record but is never translated, aligned, scored nor shown."""
        return [b for b in self.blocks if b.translatable]

    def content_segments(self) -> list[Segment]:
        """The segments that count, in order: those of :meth:`content_blocks`. The one
        definition every stage, edition and report uses."""
        return [s for b in self.blocks if b.translatable for s in b.segments]

    def block_id(self, n: int) -> str:
        return f"{self.id}:b{n}"

    @staticmethod
    def segment_id(block_id: str, m: int) -> str:
        return f"{block_id}:s{m}"

    def renumber(self, doc_id: str) -> "Document":
        """Give the document a new id, and its blocks and segments ids under it."""
        self.id = doc_id
        for n, block in enumerate(self.blocks):
            block.id = self.block_id(n)
            for m, seg in enumerate(block.segments):
                seg.block = block.id
                seg.id = self.segment_id(block.id, m)
        return self

    # -- consistency ----------------------------------------------------------------
    def validate(self) -> None:
        """Raise :class:`RecordError` unless every span and repaired text agrees with ``text``."""
        n = len(self.text)
        seen_ids: set[str] = set()
        prev_end = 0
        nests: list[tuple[int, int]] = []  # stretches an earlier block reads past: others may lie there
        for block in self.blocks:
            s, e = block.span
            if not (0 <= s <= e <= n):
                raise RecordError(f"block {block.id} span {block.span} lies outside the text ({n} chars)")
            if s < prev_end and not any(a <= s and e <= b for a, b in nests):
                raise RecordError(f"block {block.id} overlaps the block before it")
            prev_end = max(prev_end, e)
            nests += [edit.span for edit in block.edits if edit.rule == INTERRUPTION]
            for edit in block.edits:
                if not (s <= edit.span[0] <= edit.span[1] <= e):
                    raise RecordError(f"block {block.id}: edit {edit.span} lies outside the block")
            if apply_edits(self.text[s:e], s, block.edits) != block.text:
                raise RecordError(f"block {block.id}: its text does not match the document text at {block.span}")
            seg_prev = s
            for seg in block.segments:
                if seg.id in seen_ids:
                    raise RecordError(f"duplicate segment id {seg.id}")
                seen_ids.add(seg.id)
                ss, se = seg.span
                if not (seg_prev <= ss <= se <= e):
                    raise RecordError(f"segment {seg.id} span {seg.span} is outside its block or out of order")
                seg_prev = se
                inner = [ed for ed in block.edits if ss <= ed.span[0] and ed.span[1] <= se]
                if apply_edits(self.text[ss:se], ss, inner) != seg.text:
                    raise RecordError(f"segment {seg.id}: its text does not match the document text at {seg.span}")

    # -- serialization -----------------------------------------------------------------
    def header_json(self) -> dict[str, Any]:
        return {
            "type": "document",
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "lang": self.lang,
            "source": self.source,
            "provenance": self.provenance,
            "meta": self.meta,
            "text": self.text,
        }

    def iter_records(self) -> Iterator[dict[str, Any]]:
        yield self.header_json()
        for block in self.blocks:
            yield block.to_json()
            for seg in block.segments:
                yield seg.to_json()

    def dump_jsonl(self, fh: IO[str]) -> None:
        for rec in self.iter_records():
            fh.write(json.dumps(rec, ensure_ascii=False))
            fh.write("\n")

    def save(self, path: str | Path) -> Path:
        """Write the record atomically (see :func:`write_atomic`): a reader never sees half a file."""
        return write_atomic(path, self.dump_jsonl)

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]], origin: str = "record") -> "Document":
        it = iter(records)
        try:
            head = next(it)
        except StopIteration:
            raise RecordError(f"{origin}: empty record") from None
        if head.get("type") != "document":
            raise RecordError(f"{origin}: the first line must be the document line")
        version = head.get("schema_version")
        if not isinstance(version, int):
            raise RecordError(f"{origin}: no schema_version on the document line")
        if version > SCHEMA_VERSION:
            raise RecordError(
                f"{origin}: schema version {version} is newer than this Diptych reads ({SCHEMA_VERSION}); upgrade Diptych"
            )
        doc = cls(
            id=head["id"],
            text=head["text"],
            source=dict(head.get("source", {})),
            lang=head.get("lang", UNDETERMINED),
            provenance=dict(head.get("provenance", {})),
            meta=dict(head.get("meta", {})),
        )
        blocks: dict[str, Block] = {}
        for rec in it:
            kind = rec.get("type")
            if kind == "block":
                block = Block.from_json(rec)
                blocks[block.id] = block
                doc.blocks.append(block)
            elif kind == "segment":
                seg = Segment.from_json(rec)
                if seg.block not in blocks:
                    raise RecordError(f"{origin}: segment {seg.id} comes before its block {seg.block}")
                blocks[seg.block].segments.append(seg)
            else:
                raise RecordError(f"{origin}: unknown line type {kind!r}")
        expected = doc.meta.get("counts")
        if expected:
            got = {"blocks": len(doc.blocks), "segments": sum(len(b.segments) for b in doc.blocks)}
            if {k: expected.get(k) for k in got} != got:
                raise RecordError(f"{origin}: truncated record (expected {expected}, found {got})")
        doc.validate()
        return doc

    @classmethod
    def load(cls, path: str | Path) -> "Document":
        path = Path(path)
        records = []
        try:
            with open(path, encoding="utf-8") as fh:
                for lineno, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise RecordError(f"{path}: line {lineno} is not valid JSON ({exc.msg}); is the record truncated?") from None
        except FileNotFoundError:
            raise RecordError(f"{path}: no such record") from None
        except IsADirectoryError:
            raise RecordError(f"{path}: is a folder, not a record (a <document>.jsonl file)") from None
        except UnicodeDecodeError:
            raise RecordError(f"{path}: not a Diptych record (not UTF-8 text)") from None
        except OSError as exc:
            raise RecordError(f"{path}: cannot be read ({exc.strerror})") from None
        try:
            return cls.from_records(records, origin=str(path))
        except KeyError as exc:
            raise RecordError(f"{path}: a line lacks the field {exc}") from None

    def seal(self) -> None:
        """Record counts so that a truncated record is detected on load."""
        self.meta["counts"] = {"blocks": len(self.blocks), "segments": sum(len(b.segments) for b in self.blocks)}



def write_atomic(path: str | Path, content: str | bytes | Callable[[IO[str]], None], mode: int | None = None) -> Path:
    """Write ``content`` (text, bytes, or a function that writes text to the file it is given) to
    ``path`` so that a reader sees the old file or the new one whole, never part of one.
    (Here because records are written with it and this module imports nothing of ours.)

    The text goes to a temporary file of its own in the same folder (two writers of one
    file never share one: the last to finish wins, whole), synced to the disk and renamed
    over ``path``; then the folder is synced where the system allows. The file keeps the
    permission bits of the one it replaces, or ``mode``. On any failure the temporary file
    is removed and ``path`` left as it was; an :class:`OSError` names ``path``."""
    path = Path(path)
    name = path.name.encode("utf-8")[:100].decode("utf-8", errors="ignore")  # NAME_MAX is 255 bytes
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".tmp")
        binary = isinstance(content, bytes)
        with (open(fd, "wb") if binary else open(fd, "w", encoding="utf-8", newline="\n")) as fh:
            if isinstance(content, (str, bytes)):
                fh.write(content)
            else:
                content(fh)
            fh.flush()
            os.chmod(tmp, _mode_for(path) if mode is None else mode)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    with contextlib.suppress(OSError):  # Windows opens no folder; some file systems sync none
        folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return path


def _mode_for(path: Path) -> int:
    """The permission bits of the file ``path`` names, or those ``open`` gives a new one."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        pass
    try:  # Linux tells the umask without changing it; elsewhere it is read by setting it
        with open("/proc/self/status", encoding="ascii") as fh:
            umask = next(int(line.split()[1], 8) for line in fh if line.startswith("Umask:"))
    except (OSError, ValueError, StopIteration):
        umask = os.umask(0o077)
        os.umask(umask)
    return 0o666 & ~umask
