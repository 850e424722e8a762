"""Sentence alignment: a text against its translation, in monotone beads.

Rooms, each with one concern: :mod:`.params` (the tuned settings and bead shapes),
:mod:`.features` (what a sentence looks like to the aligner: hashed trigrams and anchors),
the banded dynamic programme, numpy only and no I/O, in four: :mod:`.band` (the band and
the dot products over it), :mod:`.scoring` (the evidence and every bead's score),
:mod:`.paragraphs` (paragraph breaks met together) and :mod:`.search` (the best path
through the band); :mod:`.confidence` (how
likely each bead is right), :mod:`.beads` (the bead type, its file format and scores),
:mod:`.aligner` (sentences in, beads out) and :mod:`.stage` (beads recorded on a
:class:`~pipeline.doc.Document`). Nothing here is imported eagerly: ``import
pipeline.alignment.stage`` for a translated document loads no numpy.
"""
