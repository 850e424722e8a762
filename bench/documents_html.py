"""The HTML reader's main-text extraction against trafilatura's, and its read speed.

Pages (tests/html_pages.py): the French seed's scraped article (fr_003) as the page it
was scraped from, with its navigation lines as the page's furniture, and FLORES dev
articles (French, at least 6 sentences each) in three kinds of furniture: ``semantic``
(HTML5 landmarks), ``divs`` (no landmark, unusual class names) and ``blog`` (a
WordPress-like page). Furniture holds sentences of its own (a cookie banner, comments,
a newsletter box) and lines (menus, related links, footer).

Each extractor's text goes through the same front end; a sentence counts when it is one
of the gold's (seed: the hand-checked gold; FLORES: the sentences the front end gives for
the article's paragraphs as plain text), whitespace normalised, note markers written as
plain digits. ``leaked`` counts the content sentences that are the furniture's.

    PYTHONPATH=. python bench/documents_html.py          # the table, then read speed
    PYTHONPATH=. python bench/documents_html.py --json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from html_pages import flores_articles, flores_page, seed_page  # noqa: E402

from pipeline.frontend import prepare_text, run_stages  # noqa: E402
from pipeline.readers import reader_named  # noqa: E402

SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
STYLES = ("semantic", "divs", "blog")


def _norm(s: str) -> str:
    return " ".join(s.translate(SUP).split())


def sentences_lxml(page: str) -> list[str]:
    doc = run_stages(reader_named("html").read_bytes(page.encode("utf-8"), "page", "page.html"))
    return [_norm(s.text) for s in doc.content_segments()]


def sentences_trafilatura(page: str) -> list[str]:
    import trafilatura

    text = trafilatura.extract(page, include_comments=False, include_tables=True) or ""
    if not text.strip():
        return []
    return [_norm(s.text) for s in prepare_text(text, "page").content_segments()]


EXTRACTORS = {"lxml+rules": sentences_lxml, "trafilatura": sentences_trafilatura}


def _plain_gold(sentences: list[str]) -> list[str]:
    """The sentences the text front end gives for the article as plain paragraphs."""
    paragraphs = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
    return [_norm(s.text) for s in prepare_text("\n\n".join(paragraphs), "plain").content_segments()]


def _chrome_units(chrome: list[str]) -> set[str]:
    units = set()
    for line in chrome:
        units.add(_norm(line))
        units |= {_norm(s.text) for s in prepare_text(line, "chrome").segments}
    return units


def pages(articles: int = 8) -> list[tuple[str, str, list[str], set[str]]]:
    """(name, page, gold sentences, furniture sentences) of every page measured."""
    page, gold, chrome = seed_page()
    out = [("seed fr_003", page, [_norm(g) for g in gold], _chrome_units(chrome))]
    for style in STYLES:
        for k, article in enumerate(flores_articles("fr")[:articles]):
            page, _, chrome = flores_page(article, style)
            out.append((f"flores {style} {k}", page, _plain_gold(article), _chrome_units(chrome)))
    return out


def measure(articles: int = 8) -> list[dict]:
    """One row per extractor and page group: gold sentences, found, recall, furniture
    sentences leaked into the content, seconds per page."""
    rows = []
    measured = pages(articles)
    groups = [("seed fr_003", [p for p in measured if p[0].startswith("seed")])]
    groups += [(f"flores {style} (x{articles})", [p for p in measured if p[0].startswith(f"flores {style}")]) for style in STYLES]
    for name, extract in EXTRACTORS.items():
        for group, members in groups:
            gold_n = found = leaked = extra = 0
            started = time.perf_counter()
            for _, page, gold, chrome in members:
                pred = extract(page)
                found += sum((Counter(pred) & Counter(gold)).values())
                gold_n += len(gold)
                leaked += sum(1 for s in pred if s in chrome)
                extra += sum(1 for s in pred if s not in chrome and s not in gold)
            seconds = (time.perf_counter() - started) / max(1, len(members))
            rows.append({"extractor": name, "pages": group, "gold": gold_n, "found": found,
                         "recall": round(found / max(1, gold_n), 4), "leaked": leaked, "other": extra,
                         "s_per_page": round(seconds, 4)})
    return rows


def read_speed(megabytes: int = 10) -> dict:
    """Seconds for the reader alone (no front end) on a page of ``megabytes`` of paragraphs."""
    page, _, _ = seed_page()
    head, _, tail = page.partition("<main>")
    article = tail.partition("</main>")[0]
    body = article * max(1, megabytes * 1_000_000 // len(article.encode("utf-8")))
    data = (head + "<main>" + body + "</main></body></html>").encode("utf-8")
    started = time.perf_counter()
    doc = reader_named("html").read_bytes(data, "big", "big.html")
    seconds = time.perf_counter() - started
    return {"bytes": len(data), "blocks": len(doc.source["layout"]), "seconds": round(seconds, 2),
            "mb_per_s": round(len(data) / 1e6 / seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--articles", type=int, default=8)
    args = parser.parse_args()
    rows = measure(args.articles)
    speed = read_speed()
    if args.json:
        print(json.dumps({"extraction": rows, "read_speed": speed}, ensure_ascii=False, indent=1))
        return
    print(f"{'extractor':12} {'pages':24} {'gold':>5} {'found':>5} {'recall':>7} {'leaked':>6} {'other':>5} {'s/page':>7}")
    for r in rows:
        print(f"{r['extractor']:12} {r['pages']:24} {r['gold']:5} {r['found']:5} {r['recall']:7.3f} {r['leaked']:6} "
              f"{r['other']:5} {r['s_per_page']:7.4f}")
    print(f"read speed (reader only): {speed['bytes'] / 1e6:.1f} MB, {speed['blocks']} blocks in {speed['seconds']} s "
          f"({speed['mb_per_s']} MB/s)")


if __name__ == "__main__":
    main()
