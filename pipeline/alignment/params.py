"""The aligner's settings: the bead shapes it considers and the weights it was tuned with."""

from __future__ import annotations

from dataclasses import MISSING, Field, dataclass, field, fields, replace

VERSION = "aligner/14"  # what each version changed: docs/versions.md
BEADS: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (3, 3), (1, 0), (0, 1))
LONG_BEADS = ((1, 4), (4, 1), (1, 5), (5, 1))  # one sentence rendered as four or five
MAX_SIDE = 5
# the shapes of the coarse first pass over long documents: enough to find the path's neighbourhood
COARSE_BEADS = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))
# Gale & Church (1993): the variance of target characters per source character is 6.8
# times the length (their s^2, measured on the Canadian Hansard); scaled here by the
# document's own length ratio.
GALE_CHURCH_VARIANCE = 6.8


# The lexicon's weight: chosen by leave-one-document-out over the five LIMSI books and
# Text+Berg without MT among 0 / 0.2 / 0.3 / 0.4 (bench/align_cv.py --grid lexicon):
# every fold left out got 0.3 from the others (held-out mean 0.855 -> 0.872, worst
# 0.518 -> 0.573, Text+Berg 0.857 -> 0.856).
LEXICON_WEIGHT = 0.3


# the parameters records have always named, in the order they name them
NAMED_ALWAYS = ("w_lex", "w_mt", "w_mt_back", "w_len", "skip", "skip_run", "max_side", "low_confidence", "paragraph_bonus",
                "lexicon_weight", "hub_weight", "verbatim_weight")


def _default(f: Field):
    return f.default_factory() if f.default is MISSING else f.default


def _as_json(value):
    """A value as a record can hold it: the bead penalties' shapes (tuples) as "k-l" keys."""
    if isinstance(value, dict):
        return {"-".join(map(str, k)) if isinstance(k, tuple) else k: v for k, v in value.items()}
    return value


@dataclass(frozen=True)
class AlignParams:
    """Tuned on ../shared/data/align (coordinate search over FLORES dev fr-en and ru-en
    without MT and the Text+Berg dev document with its Google MT; bench/align_bench.py).

    ``skip``: cost of leaving one sentence unaligned; ``skip_run``: cost of each further
    sentence in a run of unaligned ones on either side (a passage the translator left
    out or added, captions, a list of names: left out together, so absorbing one of them
    into a neighbour's bead saves little); ``penalties``: cost of
    each merged bead shape; ``w_*``: weights of the length, source-target, MT-target and
    source-(target MT) evidence (the last tuned on the Text+Berg translations of its target);
    ``support``/``support_floor``: penalty for a member of a merged bead whose share of
    the match is below the floor; ``idf``: exponent of the inverse-document-frequency
    weights (0 turns them off); ``max_side``: 3 keeps beads within 3-3, 4 and 5 add 1-4/4-1
    and 1-5/5-1."""

    dims: int = 2048
    w_lex: float = 1.0
    w_mt: float = 0.5
    w_mt_back: float = 0.35
    w_len: float = 0.15
    anchor_weight: float = 1.0
    date_weight: float = 0.25  # a month beside a number: at full weight, Text+Berg's many dates pull beads apart (-0.004)
    penalties: dict = field(default_factory=lambda: {(1, 1): 0.0, (1, 2): 0.12, (2, 1): 0.12, (2, 2): 0.3, (1, 3): 0.3, (3, 1): 0.3, (2, 3): 0.6, (3, 2): 0.6, (3, 3): 0.9, (1, 4): 0.75, (4, 1): 0.75, (1, 5): 1.0, (5, 1): 1.0})
    # chosen by leave-one-document-out over eight folds (bench/align_cv.py), now that runs
    # of omissions cost alike on both sides: every fold left out chose 0.5 / 0.2 / 0.75
    skip: float = 0.5
    skip_run: float = 0.2
    band_min: int = 24
    band_frac: float = 0.08
    band_max: int = 48  # the first pass's half-width; doubled if no path fits
    coarse_from: int = 2000  # sentences a side from which the first pass is coarse
    refine_band: int = 10
    low_confidence: float = 0.75  # beads below are flagged: ~40% of them wrong on Text+Berg, ~50% on FLORES
    # 0.75 rather than 0.5: with a run's further lines at 0.2, a caption's weak share must
    # cost more than the run saves by absorbing it (tests/test_aligner.py), same CV mean
    support: float = 0.75
    support_floor: float = 0.3
    idf: float = 1.5
    max_side: int = 5
    # a bead (or run of omissions) ending where both texts start a paragraph gains this
    # much, where both sides' paragraphs are known: the best mean over the folds that
    # record their structure (LIMSI books 000 and 010, FLORES articles) of the values that
    # lower no fold by more than 0.01 (bench/align_cv.py --grid paragraphs): 0.5 would
    # add 0.001 to the mean but cost FLORES ru-en 0.021
    paragraph_bonus: float = 0.25
    # weight of the lexicon learned from the first pass (pipeline/alignment/lexicon.py),
    # learned only where no machine translation is given (beside one it only added noise:
    # Text+Berg with its Google MT 0.892 -> 0.878); 0: never learned (--no-lexicon)
    lexicon_weight: float = LEXICON_WEIGHT
    # the learned lexicon's evidence for a bead, less hub_weight times the mean of its
    # sentences' excess chance cosine (each sentence's mean cosine with all sentences of
    # the other text, less the mean of those): a sentence full of common lexicon entries
    # matches every sentence (a hub, as Vecalign's normalisation by random pairs has it).
    # Over 0 / 0.5 / 1 / 2 / 4 (bench/align_cv.py --grid hubs): mean 0.8761 -> 0.8785 at
    # 1 and 2 (book 006 +0.017, 010 +0.002, no fold down); 4 costs book 003 0.008. Left
    # out in turn, every fold's others chose 1 but 003's, which chose 4 (held-out mean
    # 0.877, worst 0.565 against 0.573): 1, the full correction, is the default. On the
    # trigram evidence too it changed no fold but cost FLORES ru-en pre-split 0.9796 ->
    # 0.9778: in a 25-sentence document a sentence's own translation is a twenty-fifth of
    # what it is measured against.
    hub_weight: float = 1.0
    # what each token a bead loses costs it: a number on one side that the other lacks, a
    # word in the other text's script (a Latin name in a Russian text) that the English
    # side lacks (pipeline/alignment/verbatim.py). Over 0 / 0.025 / 0.05 / 0.1 / 0.2
    # (bench/align_cv.py --grid verbatim): at 0.05 Text+Berg with its MT 0.892 -> 0.902,
    # FLORES ru-en 0.972 -> 0.977, fr-en 0.984 -> 0.981 (unit conversions: "32 °C" is
    # "90(F)"), the LIMSI books unchanged (novels write few digits); mean 0.8785 -> 0.8799.
    # Left out in turn, six folds' others chose 0.05, Text+Berg's 0.1, ru-en's 0.025
    # (held-out mean 0.8787, worst unchanged); 0.2 costs every fold that has numbers.
    verbatim_weight: float = 0.05

    def __post_init__(self) -> None:
        # spans longer than MAX_SIDE have no norms or prefixes: refuse rather than cap silently
        if not 1 <= self.max_side <= MAX_SIDE:
            raise ValueError(f"max_side must be between 1 and {MAX_SIDE}, not {self.max_side}")

    def used(self, bridged: bool) -> "AlignParams":
        """The parameters as the aligner uses them: beside a machine-translation bridge no
        lexicon is learned (a lexicon stands in for a bridge; beside one it only adds
        noise), so the weight is 0 there, and a record says so."""
        return replace(self, lexicon_weight=0.0) if bridged and self.lexicon_weight else self

    def settings(self) -> dict:
        """The parameters a record's provenance names: every field, read from the dataclass's
        own list, so that none can change the beads unrecorded. Those of :data:`NAMED_ALWAYS`
        are named whatever their value; every other field where it is not its default (the
        version fixes the defaults), so that a record made with the defaults names what it
        always named, and one made otherwise says how."""
        out = {name: getattr(self, name) for name in NAMED_ALWAYS}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name not in out and value != _default(f):
                out[f.name] = _as_json(value)
        return out

