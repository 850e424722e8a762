import json

import pytest

from pipeline import Document, prepare
from pipeline.doc import SCHEMA_VERSION, Block, Edit, RecordError, apply_edits
from conftest import seed_path


def test_apply_edits_and_offsets_map_back_to_the_original():
    text = "Социалисти-\nческой партии\nи другие"
    edits = [Edit((10, 12), "", "dehyphenate"), Edit((25, 26), " ", "line_join")]
    block = Block("d:b0", "paragraph", (0, len(text)), apply_edits(text, 0, edits), edits=edits)
    assert block.text == "Социалистической партии и другие"
    start = block.text.index("партии")
    assert text[block.source_offset(start) : block.source_offset(start + len("партии"))] == "партии"
    assert block.source_offset(len(block.text)) == len(text)
    assert text[block.source_offset(0) : block.source_offset(block.text.index(" "))] == "Социалисти-\nческой"


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_record_round_trip_is_lossless(tmp_path, prefix):
    doc = prepare(seed_path(prefix))
    first = next(doc.segments)
    first.translation = "An English sentence."
    first.flags.append("length_ratio")
    doc.seal()
    path = doc.save(tmp_path / "doc.jsonl")
    again = Document.load(path)
    assert list(again.iter_records()) == list(doc.iter_records())
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["type"] == "document" and lines[0]["schema_version"] == SCHEMA_VERSION
    seg_line = next(line for line in lines if line["type"] == "segment")
    assert {"id", "block", "lang", "text", "translation", "flags"} <= seg_line.keys()
    block_line = next(line for line in lines if line["type"] == "block")
    assert {"id", "kind", "lang", "span"} <= block_line.keys()


def _saved(tmp_path):
    doc = prepare(seed_path("003"))
    doc.seal()
    return doc.save(tmp_path / "doc.jsonl")


def test_newer_schema_is_refused(tmp_path):
    path = _saved(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    head = json.loads(lines[0])
    head["schema_version"] = SCHEMA_VERSION + 1
    path.write_text("\n".join([json.dumps(head)] + lines[1:]) + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match="newer"):
        Document.load(path)


def test_truncated_record_is_refused(tmp_path):
    path = _saved(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[: len(lines) // 2]) + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match="truncated"):
        Document.load(path)
    path.write_text("\n".join(lines)[:-40], encoding="utf-8")  # cut inside a line
    with pytest.raises(RecordError, match="not valid JSON"):
        Document.load(path)


def test_spans_that_do_not_match_the_text_are_refused(tmp_path):
    path = _saved(tmp_path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    seg = next(line for line in lines if line["type"] == "segment" and len(line["text"]) > 20)
    seg["span"] = [seg["span"][0] + 1, seg["span"][1]]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match="does not match"):
        Document.load(path)
