"""Translation: source segments -> English, with open MarianMT models.

* :mod:`.stage`     which segments of which documents are sent, and what is recorded
* :mod:`.engine`    one engine per language: batching by tokens, the cache, the guard
  against degenerate output, the decoding settings
* :mod:`.loading`   the engines a run needs, from the command line's options, and model
  conversion
* :mod:`.runtimes`  CTranslate2 and torch, the only modules that import them (a new
  runtime is one module and one entry in its ``FACTORIES``)
* :mod:`.families`  what is particular to a model architecture (Marian today)
* :mod:`.catalog`   the model catalog: ids, pinned revisions, local folders, the HF cache
* :mod:`.cache`     the translation cache (SQLite), keyed by everything that sets an output
* :mod:`.demo`      the random-weight demo models

The per-segment hooks before and after the model are :mod:`pipeline.segment_hooks`, below
this package: editions and alignment read a segment's English through them.
"""
