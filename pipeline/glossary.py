"""A translator's glossary: source terms and the English each must be rendered by.

A glossary is a TSV or CSV file (source term, English term, optional note; a header row
is optional) or a TBX file. A term whose English is itself is a do-not-translate term.
Every line is checked when the file is read, before any work: a wrong column count, an
empty term, a source term given twice with two English terms, a file that is not UTF-8
or a TBX that is no XML is one :class:`~pipeline.errors.UsageError` naming the file and
the line.

How a term is found, without lemmas (:func:`source_pattern`): case-insensitive, ``ё`` as
``е``, typographic apostrophes as ``'``, whole words only (so an elided article — l', d',
qu', j', n', s', c' — before the term is no obstacle: the apostrophe ends a word);
in Latin script each word also takes a plural ``-s`` or ``-x`` (and a plural given in the
glossary also matches its singular); in Cyrillic each word is cut to its stem (the
longest of the common case endings removed, the stem kept at 3 letters or more) and
matches that stem followed by 0 to 3 Cyrillic letters (Москва: Москвы, Москве, Москвой;
Пушкин: Пушкина, Пушкиным). The English term is found case-insensitively, as whole words,
any run of spaces matching any other (:func:`english_pattern`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import UsageError

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# Russian case and number endings, longest first; what is left is the stem
_RU_ENDINGS = sorted(
    "ами ями ого его ому ему ыми ими иях ах ях ам ям ом ем ой ей ую юю ая яя ое ее ые ие ых их ым им ов ев ий ый "
    "а я о е ы и у ю ь й".split(), key=len, reverse=True)
_HEADER_WORDS = {"source", "term", "source term", "fr", "ru", "french", "russian", "english", "en", "target",
                 "english term", "translation", "note", "notes", "comment"}


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е").replace("’", "'").replace("ʼ", "'")


def russian_stem(word: str) -> str:
    """``word`` without its case ending, never shorter than 3 letters."""
    for ending in _RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _word_pattern(word: str) -> str:
    if _CYRILLIC.search(word):
        return re.escape(russian_stem(word)) + r"[а-я]{0,3}"
    if len(word) > 3 and word[-1] in "sx":
        return re.escape(word[:-1]) + r"[sx]?"
    return re.escape(word) + (r"[sx]?" if word[-1:].isalpha() else "")


@lru_cache(maxsize=4096)
def source_pattern(term: str) -> re.Pattern:
    """The rule stated in the module's docstring, for one source term."""
    words = _fold(term).split()
    body = r"[\s\u00a0\u202f-]+".join(_word_pattern(w) for w in words)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")


@lru_cache(maxsize=4096)
def english_pattern(term: str) -> re.Pattern:
    body = r"\s+".join(re.escape(w) for w in _fold(term).split())
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")


@dataclass(frozen=True)
class Term:
    source: str
    english: str
    note: str = ""
    line: int = 0

    @property
    def keep(self) -> bool:
        """A do-not-translate term: its English is itself."""
        return _fold(self.source) == _fold(self.english)

    def held_by(self, english: str) -> bool:
        return bool(english_pattern(self.english).search(_fold(english)))


@dataclass
class Glossary:
    path: str
    terms: list[Term]
    sha256: str
    _patterns: list[tuple[Term, re.Pattern]] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        # longest first, so that "Assemblée nationale" is found before "Assemblée"
        self._patterns = [(t, source_pattern(t.source)) for t in sorted(self.terms, key=lambda t: -len(t.source))]

    def terms_in(self, text: str) -> list[Term]:
        """The terms found in ``text``; a term inside a longer one found first is not counted."""
        folded = _fold(text)
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, Term]] = []
        for term, pattern in self._patterns:
            for m in pattern.finditer(folded):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                found.append((m.start(), term))
                break
        return [t for _, t in sorted(found, key=lambda x: x[0])]

    def summary(self) -> dict:
        return {"sha256": self.sha256, "terms": len(self.terms), "file": Path(self.path).name}


def _decode(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UsageError(f"glossary {origin}: line {line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8") from None


def _rows(text: str, origin: str, delimiter: str) -> list[tuple[int, list[str]]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = next(csv.reader(io.StringIO(line), delimiter=delimiter)) if delimiter == "," else line.split("\t")
        cells = [c.strip() for c in cells]
        while len(cells) > 3 and not cells[-1]:
            cells.pop()  # trailing empty cells a spreadsheet adds
        if len(cells) not in (2, 3):
            sep = "commas" if delimiter == "," else "tabs"
            raise UsageError(f"glossary {origin}: line {number}: {len(cells)} column(s) between {sep}, expected 2 or 3 "
                             "(source term, English term, optional note)")
        rows.append((number, cells))
    if rows and {c.casefold() for c in rows[0][1][:2]} <= _HEADER_WORDS:
        rows = rows[1:]
    return rows


def _tbx_rows(data: bytes, origin: str) -> list[tuple[int, list[str]]]:
    from .errors import InputError
    from .readers.xml import parse_xml

    try:
        root = parse_xml(data, f"glossary {origin}")
    except InputError as exc:
        raise UsageError(str(exc)) from None
    rows = []
    for entry in root.iter():
        if not isinstance(entry.tag, str) or entry.tag.rpartition("}")[2] not in ("termEntry", "conceptEntry"):
            continue
        by_lang: dict[str, str] = {}
        note = ""
        for el in entry.iter():
            if not isinstance(el.tag, str):
                continue
            tag = el.tag.rpartition("}")[2]
            if tag == "langSet":
                lang = (el.get("{http://www.w3.org/XML/1998/namespace}lang") or el.get("lang") or "").lower()[:2]
                term = next((t for t in el.iter() if isinstance(t.tag, str) and t.tag.rpartition("}")[2] == "term"), None)
                if lang and term is not None:
                    by_lang.setdefault(lang, "".join(term.itertext()).strip())
            elif tag in ("note", "descrip") and not note:
                note = "".join(el.itertext()).strip()
        source = by_lang.get("fr") or by_lang.get("ru")
        rows.append((entry.sourceline or 0, [source or "", by_lang.get("en", ""), note]))
    return rows


def load_glossary(path: str | Path) -> Glossary:
    """Read and check a glossary file (see the module's docstring)."""
    path = Path(path)
    origin = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"glossary {origin}: cannot be read ({exc.strerror})") from None
    if path.suffix.lower() == ".tbx":
        rows = _tbx_rows(data, origin)
    else:
        rows = _rows(_decode(data, origin), origin, "," if path.suffix.lower() == ".csv" else "\t")
    terms: list[Term] = []
    seen: dict[str, Term] = {}
    for number, cells in rows:
        source, english, note = (cells + [""])[:3]
        if not source:
            raise UsageError(f"glossary {origin}: line {number}: empty source term")
        if not english:
            raise UsageError(f"glossary {origin}: line {number}: empty English term for {source!r}")
        term = Term(source, english, note, number)
        earlier = seen.get(_fold(source))
        if earlier is not None:
            if _fold(earlier.english) != _fold(english):
                raise UsageError(f"glossary {origin}: line {number}: {source!r} is {english!r} here but "
                                 f"{earlier.english!r} on line {earlier.line}")
            continue
        seen[_fold(source)] = term
        terms.append(term)
    if not terms:
        raise UsageError(f"glossary {origin}: holds no terms")
    return Glossary(origin, terms, hashlib.sha256(data).hexdigest())
