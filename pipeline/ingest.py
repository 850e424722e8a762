"""Stage 1: bytes on disk -> a :class:`Document` holding normalized text.

Normalization is limited to what never changes meaning: the encoding is decoded (and
recorded), line endings become ``\\n`` and the text is put in Unicode NFC. The source's
hash, encoding and what normalization changed are recorded in ``document.source``.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from pathlib import Path

from .doc import Document
from .errors import InputError

VERSION = "ingest/1"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab, newline, form feed and carriage return: text files do not have them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SAFE_STEM = re.compile(r"[^\w.\-]+", re.UNICODE)
# what a folder of inputs is searched for, and what a document id leaves out of a file name
TEXT_SUFFIXES = (".txt", ".md", ".text")


def doc_id_for(path: str | Path) -> str:
    """A document id that is also a safe folder name: no separators, no leading dots."""
    stem = Path(str(path)).name
    for suffix in TEXT_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = _SAFE_STEM.sub("_", stem).strip("._")
    return stem or "document"


_OUR_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ"
)


_ODD_IN_WORD = re.compile(r"(?<=[^\W\d_])(?:[^\w\s'’.,;:!?»”)\-]|(?<=[^\W\d_A-ZА-ЯЁÀ-Þ])[A-ZА-ЯЁÀ-Þ])")


def _alphabet_share(text: str) -> float:
    """How plausible a decoding is: letters of our alphabets, few oddities inside words."""
    letters = [ch for ch in text.lower() if ch.isalpha()]
    if not letters:
        return 0.0
    share = sum(ch in _OUR_LETTERS for ch in letters) / len(letters)
    return share - 2 * len(_ODD_IN_WORD.findall(text)) / len(letters)


def decode(data: bytes, origin: str) -> tuple[str, str]:
    """Return (text, encoding name). Raise :class:`InputError` for binary or undecodable bytes."""
    if not data:
        raise InputError(f"{origin}: the file is empty")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise InputError(f"{origin}: starts with a {name} byte-order mark but is not valid {name}") from None
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    import charset_normalizer  # imported here: only non-UTF-8 input pays for it

    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise InputError(f"{origin}: looks like a binary file, not text (no text encoding fits)")
    # Several single-byte code pages often decode the same bytes equally "cleanly"; our
    # inputs are French, Russian and English, so prefer the reading in their alphabets.
    best = max(matches[:8], key=lambda m: _alphabet_share(str(m)))
    text = str(best)
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 1000):
        raise InputError(f"{origin}: looks like a binary file, not text ({controls} control characters)")
    return text, best.encoding


def normalize(text: str) -> tuple[str, dict]:
    notes: dict = {}
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    if crlf or cr:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes["line_endings"] = {"crlf": crlf, "cr": cr}
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        notes["nfc"] = True
    return nfc, notes


def ingest_bytes(data: bytes, doc_id: str, origin: str = "<bytes>") -> Document:
    text, encoding = decode(data, origin)
    text, notes = normalize(text)
    if not text.strip():
        raise InputError(f"{origin}: the file holds only whitespace")
    source = {
        "path": origin,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "encoding": encoding,
        "normalized": notes,
    }
    doc = Document(id=doc_id, text=text, source=source)
    doc.provenance["ingest"] = {"version": VERSION}
    return doc


def ingest(path: str | Path, doc_id: str | None = None) -> Document:
    """Read one file (or ``-`` for standard input) into a :class:`Document`."""
    if str(path) == "-":
        import sys

        return ingest_bytes(sys.stdin.buffer.read(), doc_id or "stdin", "<stdin>")
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a text file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror})") from None
    return ingest_bytes(data, doc_id or doc_id_for(p), str(p))


def read_lines(path: str | Path, nfc: bool = True) -> list[str]:
    """A file of one sentence per line (``--pre-split`` texts, machine translations,
    hypotheses and references), decoded like any input; line ends become ``\\n``.
    ``nfc=False`` keeps the characters as they are (scores must equal sacrebleu's own)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror})") from None
    text = decode(data, str(p))[0] if data else ""
    text = normalize(text)[0] if nfc else text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
