"""The two sides of a segment: what the model reads (no layout, no footnote markers) and
the English a reader sees (markers and layout put back where the source had them)."""

from pipeline.bilingual import english_of, model_side, translation_input
from pipeline.doc import Segment
from pipeline.segment_hooks import reattach_markers


def _seg(text: str, markers: list[tuple[int, str]] = (), lang: str = "fr", prefix: str = "", translation=None, edited=False) -> Segment:
    refs = [{"n": i + 1, "marker": m, "offset": off} for i, (off, m) in enumerate(markers)]
    meta = {"markup_prefix": prefix} if prefix else {}
    if edited:
        meta["edited"] = True
    return Segment("d:b0:s0", "d:b0", (0, len(text)), text, lang, translation, [], refs, meta)


def test_the_model_reads_no_markers_and_no_layout_prefix():
    text = "• Carr4 écrit ceci.5"
    seg = _seg(text, [(text.index("4"), "4"), (len(text) - 1, "5")], prefix="• ")
    assert translation_input(seg) == "Carr écrit ceci."


def test_a_marker_at_the_end_goes_after_the_english_punctuation_as_in_the_source():
    text = "La révolution.2"
    seg = _seg(text, [(len(text) - 1, "2")])
    assert reattach_markers(seg, "The revolution.") == "The revolution.2"


def test_a_marker_before_the_final_punctuation_stays_before_it():
    text = "La révolution2."
    seg = _seg(text, [(text.index("2"), "2")])
    assert reattach_markers(seg, "The revolution.") == "The revolution2."


def test_a_marker_inside_goes_after_the_english_word_at_the_same_relative_place():
    text = "Edward Carr4 en décrit ainsi certains effets."
    seg = _seg(text, [(text.index("4"), "4")])
    english = reattach_markers(seg, "Edward Carr describes some of the effects thus.")
    assert english == "Edward Carr4 describes some of the effects thus."


def test_several_markers_keep_their_order():
    text = "Carr1 et Deutscher2 le disent.3"
    seg = _seg(text, [(4, "1"), (text.index("2"), "2"), (len(text) - 1, "3")])
    english = reattach_markers(seg, "Carr and Deutscher say so.")
    assert [c for c in english if c.isdigit()] == ["1", "2", "3"] and english.endswith("so.3")


def test_english_of_each_kind_of_segment():
    assert english_of(_seg("Déjà en anglais ?", lang="fr")) is None  # awaits a translation
    assert english_of(_seg("Already English.", lang="en")) == "Already English."
    text = "• Le texte.1"
    seg = _seg(text, [(len(text) - 1, "1")], prefix="• ", translation="The text.")
    assert english_of(seg) == "• The text.1"
    edited = _seg(text, [(len(text) - 1, "1")], prefix="• ", translation="• My own text.1", edited=True)
    assert english_of(edited) == "• My own text.1"  # a translator's edit is final


def test_model_side_of_an_edited_segment_drops_layout_and_markers():
    text = "• Le texte.1"
    edited = _seg(text, [(len(text) - 1, "1")], prefix="• ", translation="• My own text.1", edited=True)
    assert model_side(edited) == "My own text."
    assert model_side(_seg(text, translation="The text.")) == "The text."


def test_a_hook_with_settings_is_named_in_the_signature_and_today_s_hooks_have_none():
    from pipeline.signature import Signature
    from pipeline.segment_hooks import HOOKS, SegmentHook, hook_settings

    assert hook_settings() == {}  # markers and layout: fixed behaviour, nothing to record
    names = [hook.name for hook in HOOKS]
    assert len(names) == len(set(names)) and all(isinstance(h, SegmentHook) for h in HOOKS)
    stages = {"translate": {"version": "translate/2", "models": {"fr": {"model": "m@r", "backend": "ctranslate2-4", "decoding": {}}},
                            "hooks": {"glossary": {"terms": "sha256-ab"}}}}
    assert "|hook.glossary|" in Signature(stages, "0").short() + "|"


def test_the_hooks_put_back_what_they_took_out():
    from pipeline.bilingual import english_of, model_side, translation_input

    seg = Segment(id="d:b0:s0", block="d:b0", span=(0, 40), text="• 4.7 Le dispositif¹ ..... 23", lang="fr",
                  translation="The device", footnote_refs=[{"n": 1, "marker": "¹", "offset": 19, "span": [19, 20], "note": None}],
                  meta={"markup_prefix": "• ", "layout_suffix": " ..... 23"})
    assert translation_input(seg) == "4.7 Le dispositif"
    assert english_of(seg) == "• The device¹ ..... 23"
    edited = Segment(**{**seg.__dict__, "translation": "• The safety device¹ ..... 23", "meta": {**seg.meta, "edited": True}})
    assert model_side(edited) == "The safety device"
