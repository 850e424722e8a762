"""The aligner's parameters in a record: every field that can change the beads is named."""

import json
from dataclasses import fields

import pytest

from pipeline.alignment.params import AlignParams
from pipeline.alignment.stage import align_documents
from pipeline.doc import Document
from pipeline.frontend import prepare_lines

# what a record made with the default parameters has always named, in its order: records
# aligned before and after read alike (and so does their signature)
DEFAULT_SETTINGS = ('{"w_lex": 1.0, "w_mt": 0.5, "w_mt_back": 0.35, "w_len": 0.15, "skip": 0.5, "skip_run": 0.2, "max_side": 5, '
                    '"low_confidence": 0.75, "paragraph_bonus": 0.25, "lexicon_weight": 0.3, "hub_weight": 1.0, "verbatim_weight": 0.05}')


def _other(value):
    """A value of the same kind that is not ``value`` (and that AlignParams accepts)."""
    if isinstance(value, dict):
        return {**value, (1, 1): value[(1, 1)] + 0.5}
    if isinstance(value, int):
        return value - 1 if value > 1 else value + 1
    return value + 0.125


def test_the_default_settings_are_what_records_have_always_named():
    assert json.dumps(AlignParams().settings()) == DEFAULT_SETTINGS


@pytest.mark.parametrize("name", [f.name for f in fields(AlignParams)])
def test_every_field_changed_changes_the_settings(name):
    default = AlignParams()
    changed = AlignParams(**{name: _other(getattr(default, name))})
    assert changed.settings() != default.settings(), name
    json.dumps(changed.settings())  # a record can hold it


def test_a_record_names_a_changed_field(tmp_path):
    lines = ["Alpha 11 Bravo.", "Charlie 22 Delta."]
    (tmp_path / "a.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc, _ = align_documents(prepare_lines(tmp_path / "a.txt", lang="en"), lines, "en", params=AlignParams(idf=1.0))
    doc.save(tmp_path / "a.jsonl")
    assert Document.load(tmp_path / "a.jsonl").provenance["align"]["params"]["idf"] == 1.0
