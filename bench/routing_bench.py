"""Language routing: is each sentence sent to the right model (or kept as English)?

Cases built from FLORES dev (../shared/data/parallel), through Diptych's whole front end
(ingest -> structure -> footnotes -> segment -> languages), as ``diptych run`` does:

* **alone**: each French and each English FLORES dev sentence as a document of its own;
  right when every sentence of it gets that language;
* **embedded**: a short passage of k = 1..5 words of one language (the first k words of a
  FLORES sentence of that language, capitalised, with a full stop: a title, a quotation)
  inside a paragraph of three FLORES sentences of the other language (ones that end with
  a stop, so that the passage is a sentence of its own); right when the
  passage gets its own language, and the host sentences keep theirs (reported apart);
* **kept**, the guard against seeing a foreign passage everywhere: the same short passages
  inside a paragraph of their own language (taken from the other half of the set, so never
  from a host sentence); right when the passage keeps that language. A French heading
  called English would not be translated.

Prints a table and a final JSON line; ``--limit N`` uses the first N sentences.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PARALLEL = ROOT.parent / "shared" / "data" / "parallel"


def front_end(text: str):
    from pipeline.frontend import prepare_text

    return prepare_text(text, "bench")


def sentences(lang: str, limit: int | None) -> list[str]:
    lines = (PARALLEL / f"flores_dev.fr-en.{lang}").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()][:limit]


def hosts_of(texts: list[str]) -> list[str]:
    """Sentences that can host a passage: those that end as sentences do (a few FLORES
    lines lack their final stop, and a passage after one would join its sentence)."""
    return [t for t in texts if re.search(r"[.!?…][\s\u00a0»”\"’)]*$", t)]


def passage(sentence: str, k: int) -> str:
    words = sentence.split()[:k]
    text = " ".join(words).rstrip(",;:.!?")
    return text[:1].upper() + text[1:] + "."


def alone(lang: str, texts: list[str]) -> tuple[int, int]:
    right = 0
    for text in texts:
        doc = front_end(text + "\n")
        segs = [s for s in doc.content_segments() if s.lang != "zxx"]
        right += bool(segs) and all(s.lang == lang for s in segs)
    return right, len(texts)


def embedded(lang: str, host_lang: str, guests: list[str], hosts: list[str], k: int) -> tuple[int, int, int, int]:
    """(passages right, passages, host sentences right, host sentences)."""
    right = total = host_right = host_total = 0
    for n, guest in enumerate(guests):
        h = [hosts[(3 * n + i) % len(hosts)] for i in range(3)]
        quote = passage(guest, k)
        doc = front_end(" ".join([h[0], quote, h[1], h[2]]) + "\n")
        for seg in doc.content_segments():
            if seg.text.strip() == quote:
                total += 1
                right += seg.lang == lang
            else:
                host_total += 1
                host_right += seg.lang == host_lang
        if not any(seg.text.strip() == quote for seg in doc.content_segments()):
            total += 1  # segmented otherwise: not routed on its own, so wrong
    return right, total, host_right, host_total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N FLORES sentences of each language")
    args = parser.parse_args()
    if not PARALLEL.is_dir():
        sys.exit(f"{PARALLEL}: not found (the shared data sits beside the checkout)")
    fr, en = sentences("fr", args.limit), sentences("en", args.limit)
    started = time.perf_counter()
    results: dict = {"alone": {}, "embedded": {}, "kept": {}}
    print("routing, FLORES dev                          right  total  accuracy")
    for lang, texts in (("fr", fr), ("en", en)):
        r, t = alone(lang, texts)
        results["alone"][lang] = r / t
        print(f"alone      {lang} sentences                     {r:6d} {t:6d}  {r / t:8.3f}")
    total_right = total = 0
    for lang, host_lang, guests, hosts in (("en", "fr", en, hosts_of(fr)), ("fr", "en", fr, hosts_of(en))):
        for k in range(1, 6):
            r, t, hr, ht = embedded(lang, host_lang, guests, hosts, k)
            total_right, total = total_right + r, total + t
            results["embedded"][f"{lang}_in_{host_lang}_{k}"] = {"accuracy": r / t, "hosts": hr / max(1, ht)}
            print(f"embedded   {k}-word {lang} in {host_lang}                {r:6d} {t:6d}  {r / t:8.3f}   (host sentences {hr / max(1, ht):.3f})")
    kept_right = kept_total = 0
    for lang, texts, hosts in (("fr", fr, hosts_of(fr)), ("en", en, hosts_of(en))):
        half = len(texts) // 2
        others = texts[half:] + texts[:half]
        for k in range(1, 6):
            r, t, _, _ = embedded(lang, lang, others, hosts, k)
            kept_right, kept_total = kept_right + r, kept_total + t
            results["kept"][f"{lang}_in_{lang}_{k}"] = r / t
            print(f"kept       {k}-word {lang} in {lang}                {r:6d} {t:6d}  {r / t:8.3f}")
    results["kept_accuracy"] = kept_right / kept_total
    alone_all = (results["alone"]["fr"] * len(fr) + results["alone"]["en"] * len(en)) / (len(fr) + len(en))
    results["alone_accuracy"] = alone_all
    results["embedded_accuracy"] = total_right / total
    results["seconds"] = round(time.perf_counter() - started, 1)
    print(f"alone, both languages: {alone_all:.3f}   embedded, all lengths and directions: {total_right / total:.3f}   "
          f"kept: {kept_right / kept_total:.3f}   ({results['seconds']} s)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
