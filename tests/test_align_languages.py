"""``diptych align``: both sides' languages are found as ``diptych run`` finds them (or
taken from --src-lang/--tgt-lang), and no TMX or XLIFF is written with "und" for one."""

import json
import xml.etree.ElementTree as ET

from conftest import diptych

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLIFF2 = "{urn:oasis:names:tc:xliff:document:2.0}"
XLIFF12 = "{urn:oasis:names:tc:xliff:document:1.2}"

# a French text and its English translation, one sentence a line
FRENCH = [
    "Le chat dort sur le canapé depuis le début de la matinée.",
    "Il fait beau à Paris, et les terrasses sont pleines de monde.",
    "Nous irons au marché demain avec les enfants de la voisine.",
    "Le musée ouvre ses portes à neuf heures et ferme à dix-huit heures.",
]
ENGLISH = [
    "The cat has been sleeping on the sofa since early this morning.",
    "The weather is fine in Paris, and the terraces are full of people.",
    "We will go to the market tomorrow with the neighbour's children.",
    "The museum opens its doors at nine and closes at six in the evening.",
]
# lines no language can be read from: only figures
FIGURES = ["2022", "14 / 18", "1956 – 1958", "8501"]


def _pair(tmp_path, source: list[str], target: list[str]):
    (tmp_path / "fr.txt").write_text("\n".join(source) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(target) + "\n", encoding="utf-8")
    return str(tmp_path / "fr.txt"), str(tmp_path / "en.txt")


def test_pre_split_pair_is_labelled_with_the_detected_languages(tmp_path):
    src, tgt = _pair(tmp_path, FRENCH, ENGLISH)
    ed = tmp_path / "ed"
    proc = diptych("align", src, tgt, "--pre-split", "--out", str(ed))
    assert proc.returncode == 0, proc.stderr
    assert (ed / "fr--en.en.txt").read_text(encoding="utf-8").startswith(ENGLISH[0])
    assert (ed / "fr--en.en.md").is_file() and not list(ed.glob("*.und.*"))
    tmx = ET.parse(ed / "fr--en.tmx").getroot()
    assert tmx.find("header").get("srclang") == "fr"
    assert {tuv.get(XML_LANG) for tuv in tmx.iter("tuv")} == {"fr", "en"}
    assert {tu.get("srclang") for tu in tmx.iter("tu")} == {"fr"}
    assert "*fr → en" in (ed / "fr--en.md").read_text(encoding="utf-8")
    assert "fr → en" in (ed / "fr--en.html").read_text(encoding="utf-8")
    record = ed / "fr--en.jsonl"
    assert json.loads(record.read_text(encoding="utf-8").splitlines()[0])["meta"]["translation"]["target_lang"] == "en"
    out2, out12 = tmp_path / "pair.xlf", tmp_path / "pair.v12.xlf"
    assert diptych("export", str(record), "--format", "xliff2", "--out", str(out2)).returncode == 0
    assert diptych("export", str(record), "--format", "xliff12", "--out", str(out12)).returncode == 0
    x2 = ET.parse(out2).getroot()
    assert (x2.get("srcLang"), x2.get("trgLang")) == ("fr", "en")
    f12 = ET.parse(out12).getroot().find(f"{XLIFF12}file")
    assert (f12.get("source-language"), f12.get("target-language")) == ("fr", "en")
    assert {t.get(XML_LANG) for t in f12.iter(f"{XLIFF12}target")} == {"en"}


def test_a_language_given_is_kept_and_a_side_of_figures_needs_one(tmp_path):
    src, tgt = _pair(tmp_path, FRENCH, FIGURES)
    ed = tmp_path / "ed"
    for extra in ((), ("--pre-split",)):
        proc = diptych("align", src, tgt, *extra, "--out", str(ed))
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "--tgt-lang" in lines[0] and "Traceback" not in proc.stderr, proc.stderr
        assert not ed.exists() and proc.stdout == ""
    # named, it is what the editions say
    proc = diptych("align", src, tgt, "--pre-split", "--tgt-lang", "en", "--out", str(ed))
    assert proc.returncode == 0, proc.stderr
    assert {tuv.get(XML_LANG) for tuv in ET.parse(ed / "fr--en.tmx").iter("tuv")} >= {"fr", "en"}
    # the source side: the option named is the source's
    src, tgt = _pair(tmp_path, FIGURES, ENGLISH)
    proc = diptych("align", src, tgt, "--pre-split", "--out", str(tmp_path / "ed2"))
    assert proc.returncode == 2 and "--src-lang" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not (tmp_path / "ed2").exists()
    # "und" itself is no language to name, nor is a word that is no language tag
    for option, value in (("--tgt-lang", "und"), ("--src-lang", "French")):
        proc = diptych("align", src, tgt, "--pre-split", option, value, "--out", str(tmp_path / "ed3"))
        assert proc.returncode == 2 and option in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert not (tmp_path / "ed3").exists()


def test_beads_alone_need_no_language(tmp_path):
    # vecalign bead lines name no language: a side of figures aligns as before
    src, tgt = _pair(tmp_path, FRENCH, FIGURES)
    proc = diptych("align", src, tgt, "--pre-split", "--format", "vecalign")
    assert proc.returncode == 0 and proc.stdout.count(":") == 4, proc.stderr


def test_a_record_with_an_undetermined_language_is_not_exported_to_cat_formats(tmp_path):
    # a record aligned before the languages were found says "und": rendering it again or
    # exporting it must not write that into a TMX or XLIFF
    src, tgt = _pair(tmp_path, FRENCH, ENGLISH)
    ed = tmp_path / "ed"
    assert diptych("align", src, tgt, "--pre-split", "--out", str(ed)).returncode == 0
    record = ed / "fr--en.jsonl"
    lines = record.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["meta"]["translation"]["target_lang"] = "und"
    record.write_text("\n".join([json.dumps(header, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    (ed / "fr--en.tmx").unlink()
    for args in (("export", str(record), "--format", "xliff2", "--out", str(tmp_path / "x.xlf")),
                 ("export", str(record), "--format", "xliff12", "--out", str(tmp_path / "x.v12.xlf")),
                 ("export", str(record), "--format", "tmx", "--out", str(tmp_path / "x.tmx")),
                 ("render", str(record), "--format", "tmx")):
        proc = diptych(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1 and "--tgt-lang" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not list(tmp_path.glob("x.*")) and not (ed / "fr--en.tmx").exists()
