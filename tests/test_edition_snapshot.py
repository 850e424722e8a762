"""Every seed's editions, made with the tiny models, are the snapshot's byte for byte
(dates and signature lines aside): a change to what Diptych writes is made on purpose."""

import difflib

from edition_snapshot import editions, load


def test_seed_editions_are_byte_identical_to_the_snapshot(seeds_run):
    proc, out = seeds_run
    assert proc.returncode == 0, proc.stderr
    expected, found = load(), editions(out)
    assert sorted(found) == sorted(expected)
    for name, text in expected.items():
        if found[name] != text:
            diff = "".join(list(difflib.unified_diff(text.splitlines(True), found[name].splitlines(True), "snapshot", "now"))[:40])
            raise AssertionError(f"{name} differs from the snapshot:\n{diff}")


def test_every_edition_carries_the_signature_of_its_settings(seeds_run):
    _, out = seeds_run
    folder = next(p for p in out.iterdir() if p.name.startswith("003_"))
    stem = folder.name
    record = (folder / f"{stem}.jsonl").read_text(encoding="utf-8")
    import json

    from pipeline.signature import Signature
    from pipeline.doc import Document

    doc = Document.load(folder / f"{stem}.jsonl")
    line = Signature.of(doc).short()
    assert line.startswith("ingest:1|structure:7|bylines:1|footnotes:3|seg:5|langid:5|mt.fr:local:tiny-fr-en@")
    assert "|beam:4|lp:1.0|maxlen:24|" in line and line.endswith("|render:2|v:0.1.0")
    for suffix in (".tsv", ".tmx", ".md", ".en.md", ".en.txt", ".html"):
        assert line in (folder / f"{stem}{suffix}").read_text(encoding="utf-8"), suffix
    assert f"diptych-signature: {line}" in (out / "index.html").read_text(encoding="utf-8")
    # the record keeps the whole signature: settings only; what the stages found is in meta
    header = json.loads(record.splitlines()[0])
    assert "interruptions_joined" not in header["provenance"]["structure"]
    assert header["meta"]["structure"]["interruptions_joined"] == 0
    assert header["meta"]["footnotes"]["markers"] == 6
    assert "beads" not in header["provenance"]["align"] and header["meta"]["alignment"]["beads"] > 0
