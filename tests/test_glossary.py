"""Glossaries held by n-best choice, protected spans, and bad glossaries refused before any work."""

import json
from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.glossary import Term, load_glossary
from pipeline.protected import protect, restore
from pipeline.translation.catalog import ModelSpec, resolve
from pipeline.translation.engine import DecodingSettings, TranslationEngine
from pipeline.translation.steering import Steering
from conftest import diptych

SETTINGS = DecodingSettings(max_length=16)
SENTENCE = "Le peuple tout entier prend le pouvoir et confie tout à ses soviets."


def _backend(path, name):
    from pipeline.translation.runtimes import load_backend

    return load_backend(resolve(ModelSpec("fr", str(path), "local", "override")), name, "cpu")


def _write(tmp_path: Path, rows: list[str], name: str = "g.tsv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


# -- the matching rules ----------------------------------------------------------------
def test_source_terms_match_by_case_elision_plural_and_russian_endings(tmp_path):
    g = load_glossary(_write(tmp_path, ["Assemblée nationale\tNational Assembly", "soviet\tcouncil", "Москва\tMoscow",
                                        "Пушкин\tPushkin"]))
    found = lambda text: [t.source for t in g.terms_in(text)]  # noqa: E731
    assert found("Devant l'ASSEMBLÉE nationale, les soviets") == ["Assemblée nationale", "soviet"]
    assert found("d’assemblées nationales") == ["Assemblée nationale"]
    assert found("в Москве, о Пушкиным") == ["Москва", "Пушкин"]
    assert found("Пушкинский музей, sovietique") == []
    assert Term("x", "National Assembly").held_by("the national  assembly")
    assert not Term("x", "Moscow").held_by("Moscowite")


# -- bad glossaries ---------------------------------------------------------------------
@pytest.mark.parametrize("rows, name, says", [
    (["a\tb\tc\td"], "g.tsv", "line 1: 4 column(s)"),
    (["peuple\tpeople", "Peuple\tnation"], "g.tsv", "line 2: 'Peuple' is 'nation' here but 'people' on line 1"),
    (["peuple\t"], "g.tsv", "line 1: empty English term"),
    (['"",people'], "g.csv", "line 1: empty source term"),
    (["<martif><text>"], "g.tbx", "not well-formed XML"),
])
def test_a_bad_glossary_is_one_line_naming_the_line(tmp_path, rows, name, says):
    with pytest.raises(UsageError) as exc:
        load_glossary(_write(tmp_path, rows, name))
    assert says in str(exc.value) and str(tmp_path) in str(exc.value) and "\n" not in str(exc.value)


def test_a_glossary_in_another_encoding_is_refused(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes("peuple\tpeople\nsoviet\tcouncil élu\n".encode("latin-1"))
    with pytest.raises(UsageError, match="line 2: not UTF-8"):
        load_glossary(path)


def test_tbx_and_csv_with_a_header(tmp_path):
    tbx = ('<?xml version="1.0"?><martif type="TBX"><text><body><termEntry>'
           '<langSet xml:lang="fr"><tig><term>peuple</term></tig></langSet>'
           '<langSet xml:lang="en"><tig><term>people</term></tig></langSet></termEntry></body></text></martif>')
    assert [(t.source, t.english) for t in load_glossary(_write(tmp_path, [tbx], "g.tbx")).terms] == [("peuple", "people")]
    csv = load_glossary(_write(tmp_path, ["source,english,note", "Gallimard,Gallimard,a publisher"], "g.csv"))
    assert csv.terms[0].keep and csv.terms[0].note == "a publisher"


@pytest.mark.parametrize("command", ["run", "translate"])
def test_a_bad_glossary_stops_run_and_translate_before_any_work(tmp_path, tiny_models, command):
    src = _write(tmp_path, [SENTENCE], "in.txt")
    bad = _write(tmp_path, ["peuple\tpeople", "peuple\tnation"])
    out = tmp_path / "out"
    proc = diptych(command, str(src), "--model", f"fr={tiny_models['fr']}", "--glossary", str(bad), "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "line 2" in proc.stderr and str(bad) in proc.stderr
    assert not out.exists()


# -- protected spans -------------------------------------------------------------------
def test_protected_spans_are_put_back_verbatim_and_a_lost_one_is_reported():
    text, spans = protect("Voir https://ex.org/a?b=1 ou écrire à jean@ex.fr : `ls -l`, 12 km, 3,5 % et 25 °C.")
    assert text == "Voir [1] ou écrire à [2] : [3], [4], [5] et [6]."
    english, lost = restore("See [1] or write to [2]: [3], [4], [5] and [6] [6].", spans)
    assert english == "See https://ex.org/a?b=1 or write to jean@ex.fr: `ls -l`, 12 km, 3,5 % and 25 °C." and lost == []
    english, lost = restore("See or write to [2].", spans)
    assert lost == ["https://ex.org/a?b=1", "`ls -l`", "12 km", "3,5 %", "25 °C"]
    assert all(s["span"] in english for s in spans)


# -- n-best choice through both runtimes -------------------------------------------------
def _lower_hypothesis_word(backend, n=8):
    """A word of a lower hypothesis of the model's n-best list that its best lacks."""
    hyps = backend.generate_nbest([SENTENCE], SETTINGS, n)[0]
    ranked = [h for h, _ in sorted(hyps, key=lambda h: -h[1])]
    best = ranked[0]
    for rank, hyp in enumerate(ranked[1:], start=1):
        for word in hyp.split():
            if word.isalpha() and len(word) > 2 and not Term("x", word).held_by(best):
                return word, ranked
    pytest.skip("the tiny model's hypotheses share all their words")


@pytest.mark.parametrize("runtime", ["ctranslate2", "torch"])
def test_a_term_in_a_lower_hypothesis_makes_that_hypothesis_win(tmp_path, tiny_models, runtime):
    backend = _backend(tiny_models["fr"], runtime)
    word, ranked = _lower_hypothesis_word(backend)
    glossary = load_glossary(_write(tmp_path, [f"peuple\t{word}", "soviets\tZzyzxq"]))
    steering = Steering(glossary, protect=True, candidates=8)
    # the guard off, so that the choice among the n best is all there is to see
    plain = TranslationEngine(backend, SETTINGS, guard=False).translate([SENTENCE])[0]
    res = TranslationEngine(backend, SETTINGS, guard=False, steering=steering).translate([SENTENCE])[0]
    # the other term is in no hypothesis: the best-scored one holding the first wins
    expected = next(h for h in ranked if Term("x", word).held_by(h))
    assert plain.translation == ranked[0].strip()
    assert res.translation == expected.strip() and res.translation != plain.translation
    # with the guard on, its safer retry also chooses among the n best: the term stays
    guarded = TranslationEngine(backend, SETTINGS, steering=steering).translate([SENTENCE])[0]
    assert guarded.meta["glossary"][0]["held"] is True
    assert {g["source"]: g["held"] for g in res.meta["glossary"]} == {"peuple": True, "soviets": False}
    assert "term_missing" in res.flags and res.meta["term_missing"] == ["soviets"]


def test_glossary_edits_translate_again_only_the_touched_sentences(tmp_path, tiny_models):
    from pipeline.translation.cache import TranslationCache

    backend = _backend(tiny_models["fr"], "ctranslate2")
    sentences = [SENTENCE, "Oui.", "Tel était bien le « programme de gouvernement » des bolcheviks."]
    cache = TranslationCache(tmp_path / "c.sqlite")

    def run(rows):
        engine = TranslationEngine(backend, SETTINGS, cache=cache,
                                   steering=Steering(load_glossary(_write(tmp_path, rows)), protect=True))
        results = engine.translate(sentences)
        return engine.model_calls, sum(not r.from_cache for r in results), results

    calls, misses, first = run(["peuple\tpeople", "bolcheviks\tBolsheviks"])
    assert misses == 3 and calls >= 2
    assert run(["peuple\tpeople", "bolcheviks\tBolsheviks"])[:2] == (0, 0)
    calls, misses, again = run(["peuple\tpeople", "bolcheviks\tBolsheviki", "pomme\tapple"])
    assert (calls, misses) == (1, 1)
    assert again[0].translation == first[0].translation and again[2].meta["glossary"][0]["english"] == "Bolsheviki"


@pytest.mark.parametrize("runtime", ["ctranslate2", "torch"])
def test_through_run_and_its_cache_the_lower_hypothesis_wins(tmp_path, tiny_models, runtime):
    from pipeline.doc import Document
    from pipeline.jobs.run import run
    from pipeline.signature import Signature
    from pipeline.translation.loading import EngineOptions

    word, ranked = _lower_hypothesis_word(_backend(tiny_models["fr"], runtime))
    src = _write(tmp_path, [SENTENCE + " Voir https://ex.org/x."], "in.txt")
    glossary = _write(tmp_path, [f"peuple\t{word}", "soviets\tZzyzxq"])

    def translated(out):
        options = EngineOptions(overrides=[f"fr={tiny_models['fr']}"], backend=runtime, settings=SETTINGS,
                                cache_path=tmp_path / "c.sqlite", glossary=glossary)
        run([src], out_dir=tmp_path / out, options=options, formats="tsv")
        record = next((tmp_path / out).glob("*/*.jsonl"))
        return record, Document.load(record)

    record, doc = translated("out")
    seg = next(s for s in doc.content_segments() if "soviets" in s.text)
    assert word in seg.translation.split() and seg.meta["glossary"][0]["held"] is True
    assert "term_missing" in seg.flags and seg.meta["term_missing"] == ["soviets"]
    url = next(s for s in doc.content_segments() if "https://ex.org/x" in s.text)
    assert "https://ex.org/x" in url.translation and url.meta["protected"] == ["https://ex.org/x"]
    line = Signature.of(doc).short()
    assert f"glossary:{load_glossary(glossary).sha256[:12]}-n.8" in line and "protect:1" in line
    assert json.loads(record.read_text(encoding="utf-8").splitlines()[0])["provenance"]["translate"]["glossary"]["terms"] == 2
    # again, from the cache: the same choice, nothing translated
    _, again = translated("again")
    assert again.meta["translation"]["translated_now"] == 0
    assert next(s for s in again.content_segments() if "soviets" in s.text).translation == seg.translation


# -- consistent names, and what the editions show ----------------------------------------
RU_TEXT = ("Вчера Достоевский писал брату. Письмо Достоевского пришло в Москву. "
           "Потом Москва встретила Достоевского холодно.")


def _translated_record(tmp_path, tiny_models, text, lang, glossary_rows=None):
    from pipeline.doc import Document
    from pipeline.jobs.run import run
    from pipeline.translation.loading import EngineOptions

    src = _write(tmp_path, [text], f"{lang}.txt")
    options = EngineOptions(overrides=[f"{lang}={tiny_models[lang]}"], settings=SETTINGS, cache_path=None,
                            glossary=_write(tmp_path, glossary_rows) if glossary_rows else None)
    run([src], out_dir=tmp_path / "out", options=options, formats="html")
    record = next((tmp_path / "out").glob("*/*.jsonl"))
    return record, Document.load(record)


def test_a_name_rendered_two_ways_is_flagged_and_check_lists_it(tmp_path, tiny_models):
    record, doc = _translated_record(tmp_path, tiny_models, RU_TEXT, "ru")
    segs = list(doc.content_segments())
    assert len(segs) == 3
    for seg, english in zip(segs, ["Yesterday Dostoevsky wrote to his brother.", "Dostoyevsky's letter came to Moscow.",
                                   "Then Moscow met Dostoevsky coldly."]):
        seg.translation = english
    doc.save(record)
    proc = diptych("check", str(record))
    assert proc.returncode == 0, proc.stderr
    assert "Достоевского: Dostoevsky" in proc.stdout.replace("\n  ", " ") or "Dostoyevsky (" in proc.stdout
    from pipeline.doc import Document

    checked = Document.load(record)
    flagged = [s.id for s in checked.content_segments() if "inconsistent_term" in s.flags]
    assert flagged == [s.id for s in segs]  # every sentence with the name; Moscow is rendered one way
    item = checked.meta["check"]["inconsistent_terms"]
    assert len(item) == 1 and sorted(item[0]["renderings"]) == ["Dostoevsky", "Dostoyevsky"]
    rows = [json.loads(line) for line in diptych("check", str(record), "--json").stdout.splitlines()]
    assert rows[0]["inconsistent_terms"][0]["renderings"] == ["Dostoevsky", "Dostoyevsky"]


def test_xliff_and_the_review_page_show_terms_and_their_status(tmp_path, tiny_models):
    from test_review import _validate

    _record, doc = _translated_record(tmp_path, tiny_models, SENTENCE, "fr", ["soviets\tZzyzxq\tthe councils", "peuple\tpeople"])
    from pipeline.editions.xliff import render_xliff2, render_xliff12

    folder = next((tmp_path / "out").iterdir())
    text2 = render_xliff2(doc)
    assert "urn:oasis:names:tc:xliff:glossary:2.0" in text2 and "<gls:term" in text2 and "Zzyzxq" in text2
    assert "the councils; missing from the translation" in text2
    _validate(text2, "xliff_core_2.0.xsd")
    text12 = render_xliff12(doc)
    assert "soviets = Zzyzxq: missing" in text12
    _validate(text12, "xliff-core-1.2-strict.xsd")
    html = next(folder.glob("*.html")).read_text(encoding="utf-8")
    assert "soviets = Zzyzxq ✗ missing" in html


def test_a_glossary_term_held_in_one_sentence_and_not_another_is_inconsistent():
    from types import SimpleNamespace

    from pipeline.consistency import flag_inconsistent_terms

    def seg(i, held):
        return SimpleNamespace(id=f"s{i}", flags=[], meta={"glossary": [{"source": "soviet", "english": "council", "held": held}]})

    segs = [seg(1, True), seg(2, False), seg(3, True)]
    report = flag_inconsistent_terms(None, [(s, "Le soviet.", "x") for s in segs])
    assert report == [{"term": "soviet", "renderings": {"council": ["s1", "s3"], "(not the glossary's)": ["s2"]}}]
    assert all(s.flags == ["inconsistent_term"] for s in segs)
    # checked again once the English holds the term everywhere: the flag goes
    segs[1].meta["glossary"][0]["held"] = True
    assert flag_inconsistent_terms(None, [(s, "Le soviet.", "x") for s in segs]) == [] and segs[1].flags == []
