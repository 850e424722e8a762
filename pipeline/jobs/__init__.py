"""Jobs: what a command does from start to end, composed of stages.

A job may import any stage; a stage never imports a job. :mod:`.run` is ``diptych run``
(files in, editions out), :mod:`.align_texts` aligns a text with an existing translation,
:mod:`.score_editions` scores an edition against a reference that is not line-aligned.
"""
