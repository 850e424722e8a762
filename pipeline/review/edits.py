"""What a reviewer does to a document record: correct the English, set a status, comment,
and change the beads of an aligned pair. Pure ``Document -> Document`` operations, no I/O;
:mod:`.store` saves and renders, :mod:`.server` speaks HTTP.

Each segment's review lives in ``segment.meta["review"]``: ``status`` (XLIFF 2.0's
``initial``, ``translated``, ``reviewed``, ``final``), ``comments`` (time, text),
``history`` (time, field, before, after — every change, so nothing is lost) and
``version`` (a counter: a save that read an older version is refused, never applied over
someone else's). The beads of an aligned pair have one ``beads_version`` for the document.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..bilingual import english_of, model_side, translation_input
from ..doc import Document, Segment
from ..editions.review_state import is_aligned, review_of, segment_view
from ..quality import FLAGS as QUALITY_FLAGS
from ..quality import quality_flags

# XLIFF 2.0's segment states, in order (machine output starts ``translated``)
STATUSES = ("initial", "translated", "reviewed", "final")
# a comment or a translation longer than this is a mistake (a pasted file), not a sentence
MAX_TEXT = 20_000


class ReviewError(ValueError):
    """A change that cannot be made as asked (bad field, unknown bead): HTTP 400."""


class StaleVersion(Exception):
    """The change was made on an older version of the segment or beads: HTTP 409."""

    def __init__(self, message: str, current: dict[str, Any]):
        super().__init__(message)
        self.current = current


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def document_view(doc: Document) -> dict[str, Any]:
    """Everything the review page shows of a document, as JSON."""
    from ..editions.common import demo_notice, signature_line, target_lang

    segs = doc.content_segments()
    kinds = {b.id: b.kind for b in doc.blocks}
    # where each block stands in the file a document reader read ("p. 12"), shown by its id
    places = {b.id: str((b.meta.get("location") or {}).get("label", "")) for b in doc.blocks}
    out: dict[str, Any] = {
        "id": doc.id,
        "lang": doc.lang,
        "target_lang": target_lang(doc),
        "signature": signature_line(doc),
        "warning": demo_notice(doc) or doc.meta.get("alignment", {}).get("warning"),
        "aligned": is_aligned(doc),
        "progress": progress(doc),
        "segments": [dict(segment_view(doc, s), kind=kinds.get(s.block, "paragraph"), location=places.get(s.block, "")) for s in segs],
    }
    if is_aligned(doc):
        alignment = doc.meta["alignment"]
        target = alignment["target"]
        out["beads_version"] = alignment.get("beads_version", 0)
        out["beads"] = [
            {"index": n, "source": [segs[i].id for i in p["src"]], "target": [target[j] for j in p["tgt"]],
             "confidence": p["confidence"], "method": p.get("method", "aligner")}
            for n, p in enumerate(alignment["pairs"])
        ]
    return out


def progress(doc: Document) -> dict[str, int]:
    statuses = [review_of(s)["status"] for s in doc.content_segments()]
    return {"segments": len(statuses), **{st: statuses.count(st) for st in STATUSES},
            "done": sum(1 for st in statuses if st in ("reviewed", "final"))}


def find_segment(doc: Document, seg_id: str) -> Segment:
    for seg in doc.content_segments():
        if seg.id == seg_id:
            return seg
    raise KeyError(seg_id)


def _whole(value: Any) -> bool:
    """An integer as JSON sends one (``true`` is a bool, not a count)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise ReviewError(f"{field} must be a string")
    if len(value) > MAX_TEXT:
        raise ReviewError(f"{field} is longer than {MAX_TEXT} characters")
    return value


def update_segment(doc: Document, seg_id: str, change: dict[str, Any], *, by: str | None = None) -> dict[str, Any]:
    """Apply a reviewer's change (any of ``translation``, ``status``, ``comment``, with the
    ``version`` read) to one segment; return its new view. ``by`` names who made a change
    that did not come through the review page (``check --translations FILE``): its history
    entries carry it, so that the history says where each text came from.

    Raises KeyError (no such segment), ReviewError (a bad change) or StaleVersion."""
    seg = find_segment(doc, seg_id)
    unknown = set(change) - {"translation", "status", "comment", "delete_comment", "version"}
    if unknown:
        raise ReviewError(f"unknown field(s): {', '.join(sorted(unknown))}; a segment takes translation, status, comment, "
                          "delete_comment and version")
    if not {"translation", "status", "comment", "delete_comment"} & set(change):
        raise ReviewError("nothing to change: send translation, status, comment or delete_comment")
    version = change.get("version")
    if not _whole(version):
        raise ReviewError("version (the segment's version as read) is required, an integer")
    review = review_of(seg)
    if version != review["version"]:
        raise StaleVersion(f"segment {seg_id} changed since it was read (version {version}, now {review['version']})", segment_view(doc, seg))
    review = {**review, "comments": list(review["comments"]), "history": list(review["history"])}
    when = _now()
    signed = {"by": by} if by else {}
    if "status" in change:
        status = change["status"]
        if status not in STATUSES:
            raise ReviewError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    if "translation" in change:
        text = _text(change["translation"], "translation").strip()
        before = english_of(seg)
        if text != before:
            if is_aligned(doc) and seg.meta.get("bead", {}).get("src", [None])[0] != doc.content_segments().index(seg):
                raise ReviewError("in an aligned pair, a bead's translation is edited on its first source sentence")
            seg.translation = text
            seg.meta["edited"] = True
            review["history"].append({"time": when, "field": "translation", "before": before, "after": text, **signed})
            _recheck(seg)
    if "status" in change and change["status"] != review["status"]:
        review["history"].append({"time": when, "field": "status", "before": review["status"], "after": change["status"], **signed})
        review["status"] = change["status"]
    if "delete_comment" in change:
        at = change["delete_comment"]
        if not _whole(at) or not 0 <= at < len(review["comments"]):
            raise ReviewError(f"delete_comment must be the index of one of the segment's {len(review['comments'])} comments")
        gone = review["comments"].pop(at)
        review["history"].append({"time": when, "field": "comment", "before": gone["text"], "after": None})
    if "comment" in change:
        comment = _text(change["comment"], "comment").strip()
        # the same words sent again (a double click, a retried request) are one comment
        if comment and all(c["text"] != comment for c in review["comments"]):
            review["comments"].append({"time": when, "text": comment})
            review["history"].append({"time": when, "field": "comment", "before": None, "after": comment, **signed})
    review["version"] += 1
    seg.meta["review"] = review
    return segment_view(doc, seg)


def _recheck(seg: Segment) -> None:
    """The quality flags of an edited machine translation, computed again (an aligned
    human translation is not second-guessed sentence by sentence, as in ``diptych check``)."""
    if seg.meta.get("bead", {}).get("method") in ("aligner", "reviewer"):
        return
    kept = [f for f in seg.flags if f not in QUALITY_FLAGS]
    seg.flags = kept + quality_flags(translation_input(seg), model_side(seg) or "", seg.lang)


# -- beads of an aligned pair ------------------------------------------------------------------
def _pairs_for_change(doc: Document, version: Any) -> list[dict[str, Any]]:
    if not is_aligned(doc):
        raise ReviewError("this document is not an aligned pair: it has no beads to change (only `diptych align` makes them)")
    if not _whole(version):
        raise ReviewError("version (the document's beads_version as read) is required, an integer")
    alignment = doc.meta["alignment"]
    if version != alignment.get("beads_version", 0):
        raise StaleVersion(f"the beads changed since they were read (version {version}, now {alignment.get('beads_version', 0)})",
                           {"beads_version": alignment.get("beads_version", 0)})
    return [dict(p, src=list(p["src"]), tgt=list(p["tgt"])) for p in alignment["pairs"]]


def _bead(pairs: list[dict[str, Any]], index: Any) -> int:
    if not _whole(index) or not 0 <= index < len(pairs):
        raise ReviewError(f"no bead {index!r}: the document has beads 0 to {len(pairs) - 1}")
    return index


def _check_not_edited(doc: Document, pairs: list[dict[str, Any]], indices: list[int]) -> None:
    segs = doc.content_segments()
    for n in indices:
        for i in pairs[n]["src"]:
            if segs[i].meta.get("edited"):
                raise ReviewError(f"bead {n}'s translation was edited by hand ({segs[i].id}); beads are changed on the aligned "
                                  "sentences, so restore that translation first")


def change_beads(doc: Document, action: str, index: Any, change: dict[str, Any]) -> dict[str, Any]:
    """``merge`` bead ``index`` with the next one; ``split`` it after ``source_at`` source
    and ``target_at`` target sentences; ``move`` its ``side`` (``source`` or ``target``)
    sentence at the edge towards ``to`` (``previous`` or ``next``) into that neighbour.
    A bead left with no sentence on either side disappears. The changed beads get the
    confidence 1.0 and the method ``reviewer``. Returns the document's new view."""
    from ..alignment.params import AlignParams
    from ..alignment.stage import apply_beads

    pairs = _pairs_for_change(doc, change.get("version"))
    n = _bead(pairs, index)
    if action == "merge":
        if n + 1 >= len(pairs):
            raise ReviewError(f"bead {n} is the last: there is no next bead to merge it with")
        affected = [n, n + 1]
        _check_not_edited(doc, pairs, affected)
        merged = {"src": pairs[n]["src"] + pairs[n + 1]["src"], "tgt": pairs[n]["tgt"] + pairs[n + 1]["tgt"]}
        pairs[n:n + 2] = [merged]
        touched = [n]
    elif action == "split":
        at_src, at_tgt = change.get("source_at"), change.get("target_at")
        bead = pairs[n]
        for name, at, side in (("source_at", at_src, bead["src"]), ("target_at", at_tgt, bead["tgt"])):
            if not _whole(at) or not 0 <= at <= len(side):
                raise ReviewError(f"{name} must be an integer from 0 to {len(side)} (sentences of that side in the first part)")
        if (at_src, at_tgt) in ((0, 0), (len(bead["src"]), len(bead["tgt"]))):
            raise ReviewError("a split must leave a sentence in each part")
        affected = [n]
        _check_not_edited(doc, pairs, affected)
        pairs[n:n + 1] = [{"src": bead["src"][:at_src], "tgt": bead["tgt"][:at_tgt]}, {"src": bead["src"][at_src:], "tgt": bead["tgt"][at_tgt:]}]
        touched = [n, n + 1]
    elif action == "move":
        side, to = change.get("side"), change.get("to")
        if side not in ("source", "target") or to not in ("previous", "next"):
            raise ReviewError("move takes side (source or target) and to (previous or next)")
        key = "src" if side == "source" else "tgt"
        other = n - 1 if to == "previous" else n + 1
        if not 0 <= other < len(pairs):
            raise ReviewError(f"bead {n} has no {to} bead")
        if not pairs[n][key]:
            raise ReviewError(f"bead {n} has no {side} sentence to move")
        _check_not_edited(doc, pairs, [n, other])
        affected = sorted({n, other})
        if to == "previous":
            pairs[other][key].append(pairs[n][key].pop(0))
        else:
            pairs[other][key].insert(0, pairs[n][key].pop())
        touched = affected
    else:
        raise ReviewError(f"unknown bead action {action!r}: merge, split or move")
    for t in touched:
        pairs[t] = {"src": pairs[t]["src"], "tgt": pairs[t]["tgt"], "confidence": 1.0, "method": "reviewer"}
    kept = [p for p in pairs if p["src"] or p["tgt"]]
    alignment = doc.meta["alignment"]
    before = [[alignment["pairs"][i]["src"], alignment["pairs"][i]["tgt"]] for i in affected]  # for the history
    low = float(doc.provenance.get("align", {}).get("params", {}).get("low_confidence", AlignParams().low_confidence))
    segs = doc.content_segments()
    # a bead's translation is rebuilt from its target sentences, but for those a reviewer
    # edited (never in the beads changed: see _check_not_edited), which stay as written
    edited = {s.id: s.translation for s in segs if s.meta.get("edited")}
    apply_beads(doc, alignment["target"], kept, low)
    for seg in segs:
        if seg.id in edited:
            seg.translation = edited[seg.id]
    alignment["beads_version"] = alignment.get("beads_version", 0) + 1
    details = {k: v for k, v in change.items() if k != "version"}
    alignment.setdefault("history", []).append({"time": _now(), "field": "beads", "action": action, "bead": n, "details": details,
                                                "before": before})
    return document_view(doc)
