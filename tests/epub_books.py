"""EPUBs built with zipfile from known text, for the EPUB reader's and writers' tests and bench."""

from __future__ import annotations

import io
import zipfile
from html import escape

XHTML = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
         '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">\n'
         '<head><title>{title}</title><link rel="stylesheet" href="../styles/book.css" type="text/css"/></head>\n'
         '<body>\n{body}\n</body>\n</html>\n')


def page(body: str, title: str = "Chapitre", lang: str = "fr") -> str:
    return XHTML.format(body=body, title=escape(title), lang=lang)


def paragraphs(sentences: list[str], per: int = 3) -> list[str]:
    """Sentences grouped into paragraphs of ``per``, each a paragraph's text."""
    return [" ".join(sentences[i:i + per]) for i in range(0, len(sentences), per)]


def build_epub(chapters: list[tuple[str, str]], *, version: int = 3, lang: str = "fr", title: str = "Livre",
               toc: list[tuple[str, str]] | None = None, nonlinear: tuple[str, ...] = (),
               extra_manifest: str = "", spine_extra: str = "", mimetype: bytes | None = b"application/epub+zip") -> bytes:
    """An EPUB of ``chapters`` (file name under OEBPS/text/, its XHTML): EPUB 3 with a nav
    document (not in the spine), or EPUB 2 with an NCX; ``toc`` = (label, file) entries."""
    toc = toc if toc is not None else [(f"Chapitre {n}", name) for n, (name, _) in enumerate(chapters, 1)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        if mimetype is not None:
            z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml",
                   '<?xml version="1.0"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                   '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                   '</rootfiles></container>', compress_type=zipfile.ZIP_DEFLATED)
        items = "".join(f'<item id="c{n}" href="text/{name}" media-type="application/xhtml+xml"/>' for n, (name, _) in enumerate(chapters))
        no = ' linear="no"'
        spine = "".join(f'<itemref idref="c{n}"{no if name in nonlinear else ""}/>' for n, (name, _) in enumerate(chapters))
        items += '<item id="css" href="styles/book.css" media-type="text/css"/><item id="img" href="images/p.png" media-type="image/png"/>'
        if version == 3:
            items += '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
            entries = "".join(f'<li><a href="text/{f}">{escape(label)}</a></li>' for label, f in toc)
            z.writestr("OEBPS/nav.xhtml", XHTML.format(lang=lang, title="Table", body=(
                f'<nav epub:type="toc" id="toc"><h1>Table des matières</h1><ol>{entries}</ol></nav>'
                '<nav epub:type="page-list" hidden=""><ol><li><a href="text/x#p1">1</a></li></ol></nav>')))
        items += '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
        points = "".join(f'<navPoint id="p{n}" playOrder="{n + 1}"><navLabel><text>{escape(label)}</text></navLabel>'
                         f'<content src="text/{f}"/></navPoint>' for n, (label, f) in enumerate(toc))
        z.writestr("OEBPS/toc.ncx", '<?xml version="1.0" encoding="utf-8"?>\n<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" '
                   f'version="2005-1"><head/><docTitle><text>{escape(title)}</text></docTitle><navMap>{points}</navMap></ncx>')
        z.writestr("OEBPS/content.opf", f'<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" '
                   f'version="{version}.0" unique-identifier="uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
                   f'<dc:identifier id="uid">urn:test:{title}</dc:identifier><dc:title>{escape(title)}</dc:title>'
                   f'<dc:language>{lang}</dc:language></metadata><manifest>{items}{extra_manifest}</manifest>'
                   f'<spine toc="ncx">{spine}{spine_extra}</spine></package>')
        z.writestr("OEBPS/styles/book.css", "p { text-indent: 1em }\n")
        z.writestr("OEBPS/images/p.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
        for name, xhtml in chapters:
            z.writestr(f"OEBPS/text/{name}", xhtml, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
