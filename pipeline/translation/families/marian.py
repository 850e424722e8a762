"""The Marian family (Helsinki-NLP opus-mt and its kin): what a runtime needs to know of a
Marian checkpoint, whichever runtime (CTranslate2 or torch) runs it: its tokenizer, its
torch model class, and how its tokenizer counts tokens (which sets the batches' token
budget). transformers is imported only when a checkpoint is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class Marian:
    name = "marian"
    model_types = ("marian",)  # config.json's model_type of the checkpoints it reads

    def tokenizer(self, path: Path) -> Any:
        from transformers import MarianTokenizer

        return MarianTokenizer.from_pretrained(str(path))

    def torch_model(self, path: Path, dtype: Any) -> Any:
        from transformers import MarianMTModel

        return MarianMTModel.from_pretrained(str(path), dtype=dtype)

    def count_tokens(self, tokenizer: Any, texts: list[str]) -> list[int]:
        return [len(ids) for ids in tokenizer(texts, add_special_tokens=True)["input_ids"]]


FAMILY = Marian()
