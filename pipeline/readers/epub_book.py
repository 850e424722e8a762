"""An EPUB's package, as its reader and its writers both need it: the archive, the
container, the package document (OPF) with its manifest and spine, the navigation
document (EPUB 3) or NCX (EPUB 2), and each XHTML item parsed safely.

Everything here is shared by :mod:`pipeline.readers.epub` and
:mod:`pipeline.editions.epub`, so that an element path the reader records is found again
by the writer in the very same tree. Every failure a user's file can cause is one line.
"""

from __future__ import annotations

import html.entities
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ..errors import InputError
from .xml import parse_xml

MIMETYPE = b"application/epub+zip"
CONTAINER = "META-INF/container.xml"
NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
# the most one member of a book may hold once inflated: a chapter of a long novel is a few
# MB; more is a zip bomb (a few KB that inflate to gigabytes), refused before it is inflated
MAX_MEMBER_BYTES = 64 * 2**20
XHTML_TYPES = ("application/xhtml+xml", "text/html")
NCX_TYPE = "application/x-dtbncx+xml"
# the five entities XML defines itself; every other HTML named entity (&nbsp; &eacute;
# &mdash;) is undefined in an XHTML file without a DTD, and is read as its character
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")


def claims_epub(head: bytes) -> bool:
    """A ZIP archive whose first entry is ``mimetype`` holding ``application/epub+zip``
    (what the OCF standard asks of every EPUB, so that its first bytes tell it)."""
    if len(head) < 30 or not head.startswith(b"PK\x03\x04"):
        return False
    name_len = int.from_bytes(head[26:28], "little")
    extra_len = int.from_bytes(head[28:30], "little")
    start = 30 + name_len + extra_len
    return head[30:30 + name_len] == b"mimetype" and head[start:start + len(MIMETYPE)] == MIMETYPE


def resolve_href(base: str, href: str) -> str:
    """A zip member's name from an href relative to the file ``base`` (fragment left out)."""
    href = unquote(href.split("#", 1)[0])
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), href))
    return joined.lstrip("/")


def replace_html_entities(data: bytes) -> tuple[bytes, int]:
    """``&nbsp;`` and the other HTML named entities as their UTF-8 characters (an EPUB's
    XHTML is UTF-8 or UTF-16; a UTF-16 file is left as it is), the XML five kept.
    Returns the bytes and how many were replaced."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data, 0
    count = 0

    def one(m: re.Match) -> bytes:
        nonlocal count
        name = m.group(1).decode("ascii")
        if name in _XML_ENTITIES:
            return m.group(0)
        char = html.entities.html5.get(name + ";")
        if char is None:
            return m.group(0)
        count += 1
        return char.encode("utf-8")

    return _NAMED_ENTITY.sub(one, data), count


def parse_xhtml(data: bytes, origin: str) -> tuple[Any, dict[str, int]]:
    """An XHTML item's root, parsed with :func:`parse_xml`: HTML named entities read as
    their characters first; a file that is not well-formed XML is read again in lxml's
    recovering mode (reading systems show such files, so a book is not refused for one),
    and that is recorded. A file that declares entities is still refused."""
    data, entities = replace_html_entities(data)
    notes = {"html_entities": entities}
    try:
        return parse_xml(data, origin), notes
    except InputError as exc:
        if "declares XML entities" in str(exc):
            raise
        root = parse_xml(data, origin, recover=True)
        notes["recovered"] = 1
        return root, notes


@dataclass
class Item:
    id: str
    href: str  # as the manifest writes it
    path: str  # the zip member
    media_type: str
    properties: tuple[str, ...] = ()


@dataclass
class Book:
    """An EPUB opened: its archive, package document and what the reader walks."""

    zf: zipfile.ZipFile
    origin: str
    opf_path: str
    opf: Any
    version: str
    manifest: dict[str, Item]
    spine: list[tuple[Item, bool]]  # (item, linear)
    nav: Item | None
    ncx: Item | None
    names: set[str] = field(default_factory=set)

    def member(self, path: str) -> bytes:
        try:
            size = self.zf.getinfo(path).file_size
            if size > MAX_MEMBER_BYTES:
                raise InputError(f"{self.origin}: {path} would inflate to {size / 2**20:.0f} MB, more than the "
                                 f"{MAX_MEMBER_BYTES // 2**20} MB a book's file may hold (a zip bomb?)")
            return self.zf.read(path)
        except KeyError:
            raise InputError(f"{self.origin}: {path} is named by the package but missing from the archive") from None
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise InputError(f"{self.origin}: {path} cannot be read from the archive ({exc})") from None

    def xml(self, path: str):
        return parse_xml(self.member(path), f"{self.origin}: {path}")

    def reading_order(self) -> list[tuple[Item, bool]]:
        """The spine's linear items in order, then its non-linear ones (notes, covers a
        book keeps out of the reading order: their text is still the book's)."""
        return [s for s in self.spine if s[1]] + [s for s in self.spine if not s[1]]


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head


def open_book(data: bytes, origin: str) -> Book:
    """The EPUB in ``data``, or one line saying why it is none."""
    if not data.startswith(b"PK"):
        if _looks_like_html(data):
            raise InputError(f"{origin}: is an HTML or XML file, not an EPUB (an EPUB is a ZIP archive); rename it .html")
        raise InputError(f"{origin}: is not an EPUB (an EPUB is a ZIP archive, and this file is none)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"{origin}: is a damaged ZIP archive, so no EPUB can be read ({exc})") from None
    if "mimetype" in names:
        mimetype = zf.read("mimetype").strip() if zf.getinfo("mimetype").file_size < 256 else b"(too long)"
        if mimetype != MIMETYPE:
            raise InputError(f"{origin}: is a ZIP archive whose mimetype says {mimetype[:60].decode('latin-1')!r}, "
                             f"not an EPUB ({MIMETYPE.decode()})")
    if CONTAINER not in names:
        what = "a ZIP archive but no EPUB" if "mimetype" not in names else "an EPUB without its container"
        raise InputError(f"{origin}: is {what} (it has no {CONTAINER})")
    book = Book(zf, origin, "", None, "", {}, [], None, None, names)
    container = book.xml(CONTAINER)
    rootfile = next((r.get("full-path") for r in container.iterfind(".//c:rootfile", NS)
                     if r.get("media-type", "application/oebps-package+xml") == "application/oebps-package+xml"
                     and r.get("full-path")), None)
    if rootfile is None:
        raise InputError(f"{origin}: its {CONTAINER} names no package document (OPF)")
    book.opf_path = unquote(rootfile).lstrip("/")
    book.opf = opf = book.xml(book.opf_path)
    book.version = opf.get("version", "2.0")
    for el in opf.iterfind("opf:manifest/opf:item", NS):
        if el.get("id") and el.get("href"):
            book.manifest[el.get("id")] = Item(el.get("id"), el.get("href"), resolve_href(book.opf_path, el.get("href")),
                                               el.get("media-type", ""), tuple((el.get("properties") or "").split()))
    spine = opf.find("opf:spine", NS)
    if spine is None:
        raise InputError(f"{origin}: its package document ({book.opf_path}) has no spine")
    for ref in spine.iterfind("opf:itemref", NS):
        idref = ref.get("idref")
        item = book.manifest.get(idref or "")
        if item is None:
            raise InputError(f"{origin}: its spine names item {idref!r}, which the manifest lacks")
        if item.path not in names:
            raise InputError(f"{origin}: its spine item {item.href} is missing from the archive")
        book.spine.append((item, ref.get("linear", "yes") != "no"))
    book.nav = next((i for i in book.manifest.values() if "nav" in i.properties and i.path in names), None)
    toc = book.manifest.get(spine.get("toc") or "")
    book.ncx = toc or next((i for i in book.manifest.values() if i.media_type == NCX_TYPE), None)
    if book.ncx is not None and book.ncx.path not in names:
        book.ncx = None
    return book


def local(el) -> str:
    """An element's name without its namespace ("" for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def element_path(el, cache: dict | None = None) -> str:
    """``/html/body/div[2]/p[3]``: each step an element's local name, with its place among
    its siblings of that name where it has any. ``cache`` (a dict the caller keeps for one
    tree) holds each parent's steps, so that a tree's paths cost its size, not its square."""
    cache = {} if cache is None else cache
    steps = []
    while el is not None:
        parent = el.getparent()
        if parent is None:
            steps.append(local(el))
        else:
            if parent not in cache:
                cache[parent] = _child_steps(parent)
            steps.append(cache[parent][el])
        el = parent
    return "/" + "/".join(reversed(steps))


def _child_steps(parent) -> dict:
    names = [local(c) for c in parent]
    total: dict[str, int] = {}
    for name in names:
        total[name] = total.get(name, 0) + 1
    seen: dict[str, int] = {}
    steps = {}
    for child, name in zip(parent, names):
        seen[name] = seen.get(name, 0) + 1
        steps[child] = name if total[name] == 1 else f"{name}[{seen[name]}]"
    return steps


_STEP = re.compile(r"([^\[\]/]+)(?:\[(\d+)\])?$")


def find_path(root, path: str):
    """The element at a path :func:`element_path` wrote, or None."""
    steps = path.strip("/").split("/")
    m = _STEP.match(steps[0])
    if not m or m.group(1) != local(root):
        return None
    el = root
    for step in steps[1:]:
        m = _STEP.match(step)
        if not m:
            return None
        same = [s for s in el if local(s) == m.group(1)]
        k = int(m.group(2) or 1) - 1
        if not 0 <= k < len(same):
            return None
        el = same[k]
    return el
