"""Demo models: tiny MarianMT models with random weights, built on this machine.

They let a newcomer without the Hugging Face Hub see the whole pipeline (every edition,
the review page) in a minute: ``diptych run --models demo``. Their English is machine
noise, so every edition made with them says so (see :func:`is_demo_ref`), and their model
id, which enters every signature, says it too. They are built with the same factory the
tests use, through the same loading code as a downloaded opus-mt model.
"""

from __future__ import annotations

import json
from pathlib import Path

from .catalog import METADATA_FILE, content_revision, models_dir

DEMO_ID_PREFIX = "diptych-demo/untrained-"
DEMO_LANGS = ("fr", "ru")
# Random weights never choose to stop, so every output runs to the decoding length: 24
# tokens (the tests' length) keeps the seeds' whole run to about a minute on two cores,
# where opus-mt's 512 would take most of an hour to write noise.
DEMO_MAX_LENGTH = 24
NOTICE = ("DEMO: the English here is machine noise from untrained demo models "
          "(diptych run --models demo), not a translation")

# What the tokenizers are trained on: a few sentences that hold every letter of each
# language's alphabet (a piece the tokenizer never saw would come out as <unk>).
_TRAINING = {
    "fr": [
        "Le vif renard brun saute par-dessus le chien paresseux.",
        "Voix ambiguë d'un cœur qui, au zéphyr, préfère les jattes de kiwis.",
        "Dès Noël, où un zéphyr haï me vêt de glaçons würmiens, je dîne d'exquis rôtis de bœuf au kir.",
        "L'assemblée a adopté le texte le 12 mars 2024, après trois jours de débat.",
        "« Il faut agir », a déclaré la ministre ; le projet sera présenté en juin.",
        "Çà et là, l'Île-de-France connaît une hausse de 5 % des prix.",
    ],
    "ru": [
        "Съешь же ещё этих мягких французских булок, да выпей чаю.",
        "Широкая электрификация южных губерний даст мощный толчок подъёму сельского хозяйства.",
        "В чащах юга жил бы цитрус? Да, но фальшивый экземпляр!",
        "Парламент принял закон 12 марта 2024 г. после трёх дней обсуждения.",
        "«Надо действовать», — заявила министр; проект представят в июне.",
        "Эй, жлоб! Где туз? Прячь юных съёмщиц в шкаф.",
    ],
    "en": [
        "The quick brown fox jumps over the lazy dog.",
        "Pack my box with five dozen liquor jugs.",
        "The assembly adopted the text on 12 March 2024, after three days of debate.",
        '"We must act," the minister said; the bill will be presented in June.',
        "How vexingly quick daft zebras jump!",
        "Sphinx of black quartz, judge my vow.",
    ],
}


def demo_folder(lang: str) -> Path:
    return models_dir() / "demo" / f"untrained-{lang}-en"


def is_demo_ref(ref: str) -> bool:
    """Whether a model reference (``id@revision``) names a demo model."""
    return ref.startswith(DEMO_ID_PREFIX)


def _is_built(folder: Path) -> bool:
    meta = folder / METADATA_FILE
    return meta.is_file() and (folder / "model.safetensors").is_file()


def ensure_demo_models(rebuild: bool = False) -> dict[str, Path]:
    """Each demo model's folder, built where it is missing (seconds each)."""
    folders = {lang: demo_folder(lang) for lang in DEMO_LANGS}
    for lang, folder in folders.items():
        if rebuild or not _is_built(folder):
            _build(lang, folder)
    return folders


def _build(lang: str, folder: Path) -> None:
    from .families.marian_factory import build_marian  # torch and transformers: only when building

    lines = _TRAINING[lang] * 4  # SentencePiece wants more than a handful of lines
    build_marian(folder, lines, _TRAINING["en"] * 4, source_lang=lang, spm_vocab=200)
    (folder / METADATA_FILE).write_text(
        json.dumps({"model_id": f"{DEMO_ID_PREFIX}{lang}-en", "revision": content_revision(folder), "demo": True}, indent=2) + "\n",
        encoding="utf-8",
    )


def demo_lines(rebuild: bool = False) -> list[str]:
    """``diptych models demo``: one line per model built, then how to use them."""
    folders = ensure_demo_models(rebuild)
    return [*(f"{lang}: {DEMO_ID_PREFIX}{lang}-en -> {folder}" for lang, folder in folders.items()),
            "untrained: their English is noise; run `diptych run --models demo` to see every edition and the review page"]
