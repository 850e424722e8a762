"""Model families: what is particular to one architecture of translation model, apart
from the runtime that runs it (:mod:`pipeline.translation.runtimes`). Marian is the only
family today (:mod:`.marian`, and :mod:`.marian_factory`, which builds tiny Marian models
for tests and the demo through the real code path). Another family (NLLB, M2M100) is one
module here and one line in :data:`FAMILIES`."""

FAMILIES = {"marian": "pipeline.translation.families.marian"}
