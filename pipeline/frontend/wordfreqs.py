"""How often English and French write a word: evidence for the language of a passage too
short to carry function words ("Scientists.", "Typical.", "Selon Reuters.").

The frequencies are wordfreq's "large" lists (Robyn Speer et al.: Wikipedia, subtitles,
news, books, web text and more, combined per language). They are kept in wordfreq's
documented cBpack format: a gzipped msgpack list whose first item is the header
``{"format": "cB", "version": 1}`` and whose item ``i + 1`` holds the words whose
frequency rounds to ``10 ** (-i / 100)``. Read directly, a list costs about 60 ms; importing
wordfreq first (ftfy, langcodes, regex) would add 170 ms to every command that meets a
short passage. Where the header is not the documented one, wordfreq's own reader is used.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

_HEADER = {"format": "cB", "version": 1}
WORDLIST = "large"
# the frequency scale wordfreq calls Zipf: log10 of occurrences per billion words
# ("the" 7.7, "scientists" 4.5); a bin i holds Zipf 9 - i / 100
_ZIPF_OF_BIN_0 = 9.0


def _zipf(bin_number: int) -> float:
    return round(_ZIPF_OF_BIN_0 - bin_number / 100, 2)


@lru_cache(maxsize=4)
def frequency_bins(lang: str) -> list[list[str]]:
    """The words of ``lang``'s list by frequency bin (bin 0 the most frequent)."""
    try:
        import msgpack

        # found without importing the package (find_spec of a top-level name runs nothing)
        spec = find_spec("wordfreq")
        folder = Path(spec.submodule_search_locations[0]) if spec and spec.submodule_search_locations else None
        if folder is not None:
            data = msgpack.unpackb(gzip.decompress((folder / "data" / f"{WORDLIST}_{lang}.msgpack.gz").read_bytes()), raw=False)
            if data and data[0] == _HEADER:
                return data[1:]
    except (ImportError, OSError, ValueError):
        pass
    from wordfreq import get_frequency_list

    return get_frequency_list(lang, WORDLIST)


def rarest_zipf(lang: str) -> float:
    """The Zipf frequency of the list's rarest words: an absent word is no more frequent."""
    return _zipf(len(frequency_bins(lang)) - 1)


@lru_cache(maxsize=4)
def _bin_of_word(lang: str) -> dict[str, int]:
    index: dict[str, int] = {}
    bins = frequency_bins(lang)
    for i in range(len(bins) - 1, -1, -1):  # a word in two bins keeps the more frequent
        index.update(dict.fromkeys(bins[i], i))
    return index


# The lists scanned once already. One document asks once, and a scan of the bins for its
# few words (5-15 ms) is cheaper than indexing the 320,000 words (130 ms); a process that
# asks again (a corpus, a benchmark, a server) indexes them, once.
_scanned: set[str] = set()


def zipf_frequencies(lang: str, words: set[str]) -> dict[str, float]:
    """Zipf frequency of each of ``words`` (lowercased, straight apostrophes) that ``lang``'s
    list holds; absent words are left out."""
    if lang in _scanned:
        index = _bin_of_word(lang)
        return {w: _zipf(index[w]) for w in words if w in index}
    _scanned.add(lang)
    found: dict[str, float] = {}
    left = set(words)
    for i, bin_words in enumerate(frequency_bins(lang)):
        if not left:
            break
        hit = left.intersection(bin_words)
        if hit:
            zipf = _zipf(i)
            for word in hit:
                found[word] = zipf
            left -= hit
    return found
