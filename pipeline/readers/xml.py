"""XML and XHTML parsed safely, for every reader and writer of a document format.

Entities are never expanded (an XML bomb stays a few bytes; an external entity never
reads a file or the network), DTDs are neither loaded nor validated, and lxml's limits on
a tree's depth and a text's size stay on (``huge_tree`` off). A file that does not parse
is one line naming it, never a traceback.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError


def xml_parser(**options: Any):
    """An lxml parser with entities, DTDs and the network off (``options`` add to them)."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, **options)


def parse_xml(data: bytes, origin: str, **options: Any):
    """The root element of ``data``, or :class:`InputError` saying in one line why not.
    A document that declares entities is refused: a book's markup has no need of them,
    and a bomb is made of them."""
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=xml_parser(**options))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{origin}: not well-formed XML ({exc.msg})") from None
    if root is None:
        raise InputError(f"{origin}: holds no XML element")
    doctype = root.getroottree().docinfo.internalDTD
    if doctype is not None and any(True for _ in doctype.iterentities()):
        raise InputError(f"{origin}: declares XML entities, which Diptych never expands (an entity bomb is made of them)")
    return root
