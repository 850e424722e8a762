"""The Marian family (Helsinki-NLP opus-mt and its kin): what a runtime needs to know of a
Marian checkpoint, whichever runtime (CTranslate2 or torch) runs it. Today that is its
tokenizer's way of counting tokens, which sets the batches' token budget; each runtime
loads the checkpoint's MarianTokenizer as ``self.tokenizer``."""

from __future__ import annotations


class MarianTokens:
    """Token counting with the checkpoint's own MarianTokenizer (``self.tokenizer``)."""

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer(texts, add_special_tokens=True)["input_ids"]]
