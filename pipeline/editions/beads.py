"""``<doc>.beads.txt``: an aligned pair's beads in vecalign's format (``[0]:[0,1]``), for
alignment tools and gold files."""

from __future__ import annotations

from ..doc import Document
from ..errors import UsageError


def render_beads(doc: Document) -> str:
    from ..alignment.beads import format_beads
    from ..alignment.stage import recorded_beads

    beads = recorded_beads(doc)
    if beads is None:
        raise UsageError(f"{doc.id} is not an aligned pair: it has no beads to export")
    return format_beads(beads)
