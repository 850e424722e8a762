"""Build MarianMT checkpoints laid out exactly like Helsinki-NLP's opus-mt folders.

Tests and ``diptych models demo`` use tiny ones (trained SentencePiece models, a real
vocab.json, a scaled-down MarianConfig, random weights); benchmarks use the real opus-mt architecture with random
weights, since compute cost depends only on the architecture. Both are written with
``save_pretrained`` and loaded by Diptych through the same code as a downloaded model.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Iterable

OPUS_MT_ARCH = dict(d_model=512, layers=6, heads=8, ffn=2048)
# opus-mt-tc-big (transformer-big, the catalog's "big" profile): 1024 dimensions, 16 heads,
# 6 + 6 layers, FFN 4096, ReLU where the base models have swish
TC_BIG_ARCH = dict(d_model=1024, layers=6, heads=16, ffn=4096, activation="relu")
TINY_ARCH = dict(d_model=32, layers=1, heads=2, ffn=64)
# the big shape scaled down for tests: its heads, layers and activation, narrow enough to
# build and run in a second
TINY_BIG_ARCH = dict(d_model=64, layers=6, heads=16, ffn=128, activation="relu")


def _train_spm(lines: Iterable[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([line for line in lines if line.strip()]),
        model_writer=buf,
        vocab_size=vocab_size,
        character_coverage=1.0,
        model_type="unigram",
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return buf.getvalue()


def _pieces(model_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model_bytes)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


# Marian's own initialisation: N(0, 0.02) for weight matrices and embeddings
# (MarianConfig.init_std), zero biases, unit layer-norm scales, sinusoidal positions
_INIT_STD = 0.02


def _draw_weights(model, seed: int) -> None:
    """Replace torch's initialisation with draws from NumPy's PCG64, which gives the same
    numbers on every machine: torch's CPU normal_ takes a different kernel on different
    processors (its 'default' and AVX2 paths draw different weights from the same seed),
    so a snapshot of the tiny models' output made on one machine failed on another."""
    import numpy as np
    import torch

    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for name, param in sorted(model.named_parameters()):
            if "embed_positions" in name:  # static sinusoids, not drawn
                continue
            if "layer_norm" in name or "layernorm" in name:
                param.fill_(1.0 if name.endswith("weight") else 0.0)
            elif name.endswith("bias"):
                param.zero_()
            else:
                param.copy_(torch.from_numpy(rng.normal(0.0, _INIT_STD, tuple(param.shape)).astype(np.float32)))
        pad = model.config.pad_token_id
        model.get_input_embeddings().weight[pad].zero_()  # as nn.Embedding(padding_idx=pad) keeps it


def build_marian(
    out_dir: str | Path,
    source_lines: list[str],
    target_lines: list[str],
    *,
    source_lang: str,
    spm_vocab: int = 600,
    vocab_size: int | None = None,
    d_model: int = 32,
    layers: int = 1,
    heads: int = 2,
    ffn: int = 64,
    activation: str = "swish",
    eos_logit_bias: float | None = -10.0,
    piece_logit_biases: dict[str, float] | None = None,
    seed: int = 0,
) -> Path:
    """Write a MarianMT folder (config, weights, source.spm, target.spm, vocab.json).

    ``vocab_size`` pads the shared vocabulary with filler entries up to that size (the
    real opus-mt vocabularies hold ~60k entries). Random weights have no sensible place
    to stop, so ``eos_logit_bias`` (negative by default) keeps them from ending at the
    first step with an empty output: every output then runs to the decoding max_length,
    which tests set low and benchmarks set to fixed multiples of the source length.
    ``piece_logit_biases`` favours pieces of the vocabulary at every step: a large one
    makes a model that loops on that piece whatever its input, for the hallucination
    guard's tests.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a model of a few kB needs no "Writing model shards" bar

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    src_spm = _train_spm(source_lines, spm_vocab)
    tgt_spm = _train_spm(target_lines, spm_vocab)
    (out / "source.spm").write_bytes(src_spm)
    (out / "target.spm").write_bytes(tgt_spm)

    # Helsinki-NLP layout: </s>=0, <unk>=1, the pieces of both sides, <pad> last.
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in _pieces(src_spm) + _pieces(tgt_spm):
        if piece not in vocab and piece not in ("<s>", "<pad>"):
            vocab[piece] = len(vocab)
    if vocab_size:
        filler = 0
        while len(vocab) < vocab_size - 1:
            vocab[f"▁filler{filler}"] = len(vocab)
            filler += 1
    vocab["<pad>"] = len(vocab)
    pad_id = vocab["<pad>"]
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(
        json.dumps({"source_lang": source_lang, "target_lang": "en", "model_max_length": 512}), encoding="utf-8"
    )

    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=512,
        pad_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        decoder_start_token_id=pad_id,
        activation_function=activation,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        static_position_embeddings=True,
    )
    model = MarianMTModel(config).eval()
    _draw_weights(model, seed)
    if eos_logit_bias is not None:
        with torch.no_grad():
            model.final_logits_bias[0, 0] = eos_logit_bias
    with torch.no_grad():
        for piece, bias in (piece_logit_biases or {}).items():
            model.final_logits_bias[0, vocab[piece]] = bias
    model.generation_config.num_beams = 4
    model.generation_config.max_length = 512
    model.generation_config.bad_words_ids = [[pad_id]]
    model.save_pretrained(out)
    return out
