"""What an HTML element is, by its markup alone: a block or inline, text or a page's
furniture, a notes section, a note, a note's marker or its back link (see
:mod:`pipeline.readers.html`, which reads a page with these)."""

from __future__ import annotations

import re
from typing import Any

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre section summary table tbody thead tfoot "
    "tr td th caption ul legend search".split()
)
DROPPED = frozenset("script style noscript template svg math iframe object embed canvas video audio select button "
                    "textarea input head title".split())
JUNK_TAGS = frozenset("nav aside form menu dialog footer search".split())
JUNK_ROLES = frozenset("banner navigation complementary contentinfo search menu menubar dialog alertdialog".split())
# class and id words of a site's furniture, each a whole word of the attribute
# (``share-buttons``, ``cookie_banner``, ``site-nav``): never a word an article's own
# container is named with
JUNK_WORDS = frozenset(
    "nav navbar navigation menu breadcrumb breadcrumbs cookie cookies consent share sharing social comments comment "
    "related sidebar advert advertisement ads newsletter subscribe pagination pager toolbar skip banner footer "
    "masthead promo sponsored".split()
)
_WORD_SPLIT = re.compile(r"[\s_-]+")
NOTES_WORDS = frozenset({"footnotes", "endnotes"})
NOTES_ROLES = frozenset({"doc-endnotes", "doc-footnotes"})
NOTE_ROLES = frozenset({"doc-footnote", "doc-endnote"})
# a note's id and a marker's link: fn1, footnote-2, _ftn3 (Word), cite_note-4 (MediaWiki)
_NOTE_ID = re.compile(r"^(?:cite_)?(?:fn|footnote|note|endnote|ftn|_ftn|en)[-_:.]?(\d{1,3})$", re.I)
_NOTE_HREF = re.compile(r"^#(?:cite_)?(?:fn|footnote|note|endnote|ftn|_ftn|en)[-_:.]?\d{1,3}$", re.I)
_BACK_HREF = re.compile(r"^#(?:fnref|ref|footnote-ref|_ftnref|noteref|enref|cite_ref)", re.I)
_MARKER_TEXT = re.compile(r"^\s*\[?\s*(\d{1,3})\s*\]?\s*$")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_BACK_TEXT = frozenset("↩ ↑ ^ ⤴ ↩︎".split())


def local(el: Any) -> str:
    """An element's tag without its namespace, in lower case ('' for a comment)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].lower()


def _words(el: Any) -> set[str]:
    return {w.lower() for attr in ("class", "id") for w in _WORD_SPLIT.split(el.get(attr) or "") if w}


def attribute(el: Any, name: str) -> str:
    """An attribute whatever its namespace (``epub:type``, ``role``), lower case."""
    for key, value in el.attrib.items():
        if key.rpartition("}")[2] == name or key.endswith(":" + name):
            return value.lower()
    return ""


def junk_reason(el: Any, *, in_article: bool) -> str | None:
    """Why an element is a page's furniture, not its text (None when it is not)."""
    tag = local(el)
    role = attribute(el, "role")
    if tag in JUNK_TAGS and not (tag == "aside" and note_number(el) is not None):
        return None if tag == "form" and holds_the_text(el) else tag
    if tag == "header" and not in_article:
        return "header"
    if role in JUNK_ROLES:
        return f"role={role}"
    style = (el.get("style") or "").replace(" ", "").lower()
    if el.get("hidden") is not None or attribute(el, "aria-hidden") == "true" or "display:none" in style \
            or "visibility:hidden" in style:
        return "hidden"
    words = _words(el) & JUNK_WORDS
    return f"class={sorted(words)[0]}" if words and not holds_the_text(el) else None


def holds_the_text(el: Any) -> bool:
    """Whether an element holds the page's article (a form or a wrapper named
    ``content-sidebar-wrap`` around the whole page is no furniture)."""
    return next(el.iter("{*}article", "{*}main", "{*}h1"), None) is not None


_SEPARATORS = re.compile(r"[\W_]+")


def links_only(el: Any) -> int:
    """How many links an element's text is made of, where it is nothing but links and
    separators between them (0 where it holds text of its own). Two or more are a row of
    links (``Accueil | Actualités | Contact``): a menu, whatever its markup; one alone (a
    source's address, a rubric) is text, unless its siblings are links alone too."""
    links = [a for a in el.iter("{*}a") if "".join(a.itertext()).strip()]
    if not links or any(local(up) == "a" for a in links for up in a.iterancestors()):
        return 0
    outside = [el.text or ""]
    for node in el.iterdescendants():
        if node in links:
            outside.append(node.tail or "")
        elif not any(up in links for up in node.iterancestors()):
            outside += [node.text or "", node.tail or ""]
    return 0 if _SEPARATORS.sub("", "".join(outside)) else len(links)


def is_notes_section(el: Any) -> bool:
    return (attribute(el, "role") in NOTES_ROLES or bool(_words(el) & NOTES_WORDS)
            or any(t in ("footnotes", "endnotes", "rearnotes") for t in attribute(el, "type").split()))


def note_number(el: Any) -> int | None:
    """The number of a note element (``id="fn3"``), None for no note; 0 for a note whose
    markup says it is one but not its number."""
    m = _NOTE_ID.match(el.get("id") or "")
    if m:
        return int(m.group(1))
    if attribute(el, "role") in NOTE_ROLES or any(t in ("footnote", "endnote", "rearnote") for t in attribute(el, "type").split()):
        return 0
    return None


def marker(el: Any) -> str | None:
    """A note marker's number in superscript digits, or None for no marker."""
    tag = local(el)
    linked = tag == "a" and (attribute(el, "role") == "doc-noteref" or _NOTE_HREF.match(el.get("href") or "")
                             or "noteref" in attribute(el, "type").split())
    if tag != "sup" and not linked:
        return None
    m = _MARKER_TEXT.match("".join(el.itertext()))
    return m.group(1).translate(_SUPERSCRIPT) if m else None


def is_back_link(el: Any) -> bool:
    return local(el) == "a" and (attribute(el, "role") == "doc-backlink" or bool(_BACK_HREF.match(el.get("href") or ""))
                                 or "".join(el.itertext()).strip() in _BACK_TEXT)
