"""Build a tiny Marian (OPUS-MT) model, offline and in seconds, for tests and CI.

The same classes as ``Helsinki-NLP/opus-mt-*``: ``MarianMTModel`` and
``MarianTokenizer`` (``source.spm``, ``target.spm``, ``vocab.json``), with
Marian's id layout (``</s>`` 0, ``<unk>`` 1, ``<pad>`` last and the decoder's
start token), sinusoidal positions, and the generation settings the hub
checkpoints ship (``bad_words_ids`` [[pad]]). It is a multi-target model, as
the OPUS-MT "tc-big" group models are: the target is chosen by a ``>>xxx<<``
token (ISO 639-3) at the start of the source. Random weights: the output is
noise, but the same noise from the transformers and CTranslate2 engines.

Usage::

    python models/tiny_marian.py models/tiny-marian
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tiny_common import recipe_main, spm_pieces, train_spm, write_card  # noqa: E402

VOCAB_SIZE = 2000
MAX_POSITIONS = 256
MAX_SOURCE_TOKENS = 48  # what the tokenizer declares (real: 512), so tests meet splitting
#: Target tokens of the tiny multi-target model (ISO 639-3, as Tatoeba-MT's).
TARGETS = ("eng", "vie", "ind", "por", "nob", "tha")


def build_tokenizer(out: Path):
    from transformers import MarianTokenizer

    spm = train_spm(out, "source.spm", VOCAB_SIZE, {"eos": 0, "unk": 1})
    (out / "target.spm").write_bytes(spm.read_bytes())
    pieces = spm_pieces(spm)
    vocab = {p: i for i, p in enumerate(pieces)}
    for code in TARGETS:
        vocab[f">>{code}<<"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tok = MarianTokenizer(
        str(out / "source.spm"), str(out / "target.spm"), str(out / "vocab.json"), model_max_length=MAX_SOURCE_TOKENS
    )
    return tok


def build_model(vocab_size: int, pad_id: int, seed: int = 0, **arch):
    """A random ``MarianMTModel``: the tiny architecture, or another given as
    ``MarianConfig`` fields (benchmarks/translate_speed.py builds OPUS-MT
    transformer-big's this way)."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    torch.manual_seed(seed)
    tiny = dict(
        d_model=64,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=128,
        decoder_ffn_dim=128,
        max_position_embeddings=MAX_POSITIONS,
        activation_function="swish",
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        pad_token_id=pad_id,
        eos_token_id=0,
        bos_token_id=0,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=0,
    )
    config = MarianConfig(vocab_size=vocab_size, **{**tiny, **arch})
    model = MarianMTModel(config)
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad_id]],
        bos_token_id=0,
        decoder_start_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        max_length=512,
        num_beams=4,
        pad_token_id=pad_id,
    )
    return model


def build_tiny_marian(out_dir: str | Path, seed: int = 0, log=print) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    tok = build_tokenizer(out)
    model = build_model(len(tok), tok.pad_token_id, seed=seed)
    model.eval()
    model.save_pretrained(out)
    tok.save_pretrained(out)
    info = {"recipe": "models/tiny_marian.py", "seed": seed, "vocab": len(tok), "targets": list(TARGETS)}
    info["total_seconds"] = round(time.perf_counter() - t0, 1)
    write_card(out, "apache-2.0", "marian", "models/tiny_marian.py", info)
    return out


def main(argv: list[str] | None = None) -> int:
    return recipe_main(build_tiny_marian, __doc__.split("\n\n")[0], argv)


if __name__ == "__main__":
    sys.exit(main())
