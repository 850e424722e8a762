"""The plain-text reader: bytes on disk -> a :class:`Document` holding normalized text.

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

from ..doc import Document
from ..errors import InputError
from . import Reader, read_file

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
# what a folder of inputs is searched for, and what a document id leaves out of a file name
TEXT_SUFFIXES = (".txt", ".md", ".text")


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


# What a file that is no text starts with, and what to tell its owner.
_BINARY_MAGIC = (
    (b"%PDF-", "a PDF file: extract its text first (e.g. pdftotext)"),
    (b"PK\x03\x04", "a ZIP archive that is no DOCX or EPUB (an .odt or .xlsx is one: save it as .docx or plain text first)"),
    (b"\x7fELF", "an executable program"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)
# A file that is UTF-8 but for a few bytes is damaged text, not text in another encoding:
# at most this share of its bytes may be invalid...
MAX_DAMAGED_SHARE = 0.05
# ...and it must hold at least one valid multi-byte character per this many invalid bytes
# (text in a single-byte code page such as latin-1 or cp1251 almost never forms a valid
# UTF-8 sequence by chance, while French or Russian in UTF-8 is full of them).
DAMAGED_PER_VALID = 4
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
DAMAGED_UTF8 = "utf-8 (damaged)"
_NUL = re.compile("\x00")


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        return "a Windows executable"
    return None


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a few damaged bytes, decoded with each bad byte kept as a lone surrogate
    (U+DC80 + byte, Python's surrogateescape) so that it can be found and recorded; None
    when the bytes do not look like damaged UTF-8."""
    text = data.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED_BYTE.findall(text))
    valid_multibyte = sum(1 for ch in text if ch > "\x7f") - bad
    if bad <= MAX_DAMAGED_SHARE * len(data) and valid_multibyte * DAMAGED_PER_VALID >= bad:
        return text
    return None


def _utf8(data: bytes) -> tuple[str, str] | None:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        damaged = _damaged_utf8(data)
        return (damaged, DAMAGED_UTF8) if damaged is not None else None


def _utf8_with_few_nuls(data: bytes) -> tuple[str, str] | None:
    """UTF-8 that holds a few NUL bytes (a stray U+0000 from a conversion), or None.
    UTF-16 or UTF-32 without a byte-order mark is full of NULs, or, in Cyrillic, of other
    control bytes that are also valid UTF-8: neither is taken for UTF-8 here."""
    if data.count(0) > MAX_DAMAGED_SHARE * len(data):
        return None
    decoded = _utf8(data)
    if decoded is None or len(_CONTROL.findall(decoded[0].replace("\x00", ""))) > _max_controls(decoded[0]):
        return None
    return decoded


def _max_controls(text: str) -> int:
    """How many control characters a text may hold and still be taken for text (a stray
    one in a long text, not the many of a binary file read as if it were text)."""
    return max(2, len(text) // 1000)


def decode(data: bytes, origin: str) -> tuple[str, str]:
    """Return (text, encoding name). Raise :class:`InputError` for binary or undecodable bytes.

    Damaged UTF-8 (a stray byte in scraped or converted text) is decoded all the same: each
    bad byte stays in the text as a lone surrogate for :func:`ingest_bytes` to record and
    replace; the encoding then reads ``utf-8 (damaged)``. A few NUL bytes (U+0000) do not
    make a text binary either: they stay in the text, for :func:`ingest_bytes` to record."""
    if not data:
        raise InputError(f"{origin}: the file is empty")
    kind = _binary_kind(data)
    if kind:
        raise InputError(f"{origin}: looks like a binary file ({kind}), not text")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise InputError(f"{origin}: starts with a {name} byte-order mark but is not valid {name}") from None
    utf8 = _utf8_with_few_nuls(data) if b"\x00" in data else _utf8(data)
    if utf8 is not None:
        return utf8
    found = _detected(data)
    if found is None and 0 < data.count(0) <= MAX_DAMAGED_SHARE * len(data):
        # a few NULs keep the detector from any reading of a code page (cp1251, latin-1):
        # it reads the bytes without them, and the whole file is decoded as it says
        around = _detected(data.replace(b"\x00", b""))
        try:
            found = (data.decode(around[1]), around[1]) if around else None
        except (UnicodeDecodeError, LookupError):
            found = None
    if found is None:
        raise InputError(f"{origin}: looks like a binary file, not text (no text encoding fits)")
    text, encoding = found
    controls = len(_CONTROL.findall(text.replace("\x00", "")))  # NULs are recorded and left out, as in UTF-8
    if controls > _max_controls(text) or text.count("\x00") > MAX_DAMAGED_SHARE * len(text):
        raise InputError(f"{origin}: looks like a binary file, not text ({controls + text.count(chr(0))} control characters)")
    return text, encoding


def _detected(data: bytes) -> tuple[str, str] | None:
    """The likeliest reading of bytes in another encoding than UTF-8, or None."""
    import charset_normalizer  # imported here: only non-UTF-8 input pays for it

    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None
    # Several single-byte code pages often decode the same bytes equally "cleanly"; our
    # inputs are French, Russian and English, so prefer the reading in their alphabets.
    best = max(matches[:8], key=lambda m: _alphabet_share(str(m)))
    return str(best), best.encoding


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


def _replace_damaged(text: str, raw: str) -> tuple[str, list[dict]]:
    """Each escaped bad byte of ``text`` (normalized) becomes U+FFFD; returns the text and,
    per byte, its offset in the file, its value and its character offset in the text.
    ``raw`` is the text as decoded, before normalization, for the byte offsets."""
    if not _ESCAPED_BYTE.search(text):
        return text, []
    byte_offsets, pos = [], 0
    for piece, m in zip(_ESCAPED_BYTE.split(raw), list(_ESCAPED_BYTE.finditer(raw)) + [None]):
        pos += len(piece.encode("utf-8"))
        if m is not None:
            byte_offsets.append(pos)
            pos += 1
    found = [{"offset": off, "byte": f"0x{ord(m.group()) - 0xDC00:02x}", "char": m.start()}
             for off, m in zip(byte_offsets, _ESCAPED_BYTE.finditer(text))]
    return _ESCAPED_BYTE.sub("\ufffd", text), found


def _nul_bytes(text: str, raw: str, encoding: str) -> list[dict]:
    """Per NUL character of ``text`` (normalized): its offset in the file and in the text.
    ``raw`` is the text as decoded, before normalization (which never moves a NUL past
    another), for the byte offsets: each stretch before a NUL is encoded again, one
    encoder for the whole file, so that a byte-order mark counts once."""
    encoder = codecs.getincrementalencoder("utf-8" if encoding == DAMAGED_UTF8 else encoding)("surrogateescape")
    byte_offsets, pos = [], 0
    for piece in raw.split("\x00")[:-1]:
        pos += len(encoder.encode(piece))
        byte_offsets.append(pos)
        pos += len(encoder.encode("\x00"))
    chars = [m.start() for m in _NUL.finditer(text)]
    return [{"offset": off, "char": at} for off, at in zip(byte_offsets, chars, strict=True)]


def ingest_bytes(data: bytes, doc_id: str, origin: str = "<bytes>") -> Document:
    raw, encoding = decode(data, origin)
    text, notes = normalize(raw)
    # text decoded as strict UTF-8 holds no escaped byte (a lone surrogate never decodes):
    # it is not searched for one
    text, damaged = _replace_damaged(text, raw) if encoding != "utf-8" else (text, [])
    nuls = _nul_bytes(text, raw, encoding) if "\x00" in text else []
    if not text.replace("\x00", "").strip():
        raise InputError(f"{origin}: the file holds only whitespace" + (" and NUL bytes" if nuls else ""))
    source = {
        "path": origin,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "encoding": encoding,
        "normalized": notes,
    }
    if damaged:  # every replaced byte, where it was: repaired only where recorded
        source["damaged_bytes"] = damaged
    if nuls:  # the text keeps them; the blocks leave them out (see pipeline.frontend.bad_bytes)
        source["nul_bytes"] = nuls
    doc = Document(id=doc_id, text=text, source=source)
    doc.provenance["ingest"] = {"version": VERSION}
    return doc


def ingest(path: str | Path, doc_id: str | None = None) -> Document:
    """Read one text file (or ``-`` for standard input) into a :class:`Document`."""
    from . import read

    return read(path, doc_id)


class TextReader(Reader):
    """Plain text and Markdown, in any encoding :func:`decode` recognises."""

    name = "text"
    suffixes = TEXT_SUFFIXES

    def read_bytes(self, data: bytes, doc_id: str, origin: str) -> Document:
        return ingest_bytes(data, doc_id, origin)


def read_lines(path: str | Path, nfc: bool = True) -> list[str]:
    """A file of one line per sentence (machine translations, a translation's lines,
    hypotheses and references), decoded like any input; line ends become ``\\n``.
    ``nfc=False`` keeps the characters as they are (scores must equal sacrebleu's own).

    A line file has no record to note a repair in, so damaged and NUL bytes are refused
    here, with the line of the first one, rather than silently replaced or left out."""
    p = Path(path)
    data = read_file(p)
    text = decode(data, str(p))[0] if data else ""
    for pattern, what in ((_ESCAPED_BYTE, "not valid UTF-8"), (_NUL, "NUL (U+0000)")):
        if bad := pattern.search(text):
            count = len(pattern.findall(text))
            line = text.count("\n", 0, bad.start()) + 1
            raise InputError(f"{p}: {count} byte{'s' if count != 1 else ''} {what}, the first on line {line}; "
                             "repair the file (a line file keeps no record of repairs)")
    text = normalize(text)[0] if nfc else text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
