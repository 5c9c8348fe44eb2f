"""Build a tiny MADLAD-400 model, offline and in seconds, for tests and CI.

The same classes as ``google/madlad400-3b-mt``: ``T5ForConditionalGeneration``
(gated-GELU feed-forward, untied output layer, relative attention) and
``T5TokenizerFast`` over a SentencePiece model (``spiece.model``) with T5's
id layout (``<pad>`` 0, ``</s>`` 1, ``<unk>`` 2, no ``<s>``) and the
``<2xx>`` language tokens as user-defined pieces, as MADLAD's vocabulary has
them. The target is chosen by a ``<2xx>`` token at the start of the source;
the decoder starts from ``<pad>``. Random weights: the output is noise, but
the same noise from both engines.

Usage::

    python models/tiny_madlad.py models/tiny-madlad
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tiny_common import recipe_main, train_spm, write_card  # noqa: E402

VOCAB_SIZE = 2000
MAX_SOURCE_TOKENS = 48
#: MADLAD-400's language tokens for the toolkit's languages (ISO 639-1, and
#: "no" for Norwegian as MADLAD spells it), and a few more.
LANGS = ("en", "vi", "id", "pt", "no", "th", "fr", "de")


def build_tokenizer(out: Path):
    from transformers import T5TokenizerFast

    train_spm(out, "spiece.model", VOCAB_SIZE, {"pad": 0, "eos": 1, "unk": 2}, user_symbols=[f"<2{c}>" for c in LANGS])
    return T5TokenizerFast.from_pretrained(str(out), extra_ids=0, model_max_length=MAX_SOURCE_TOKENS)


def build_model(vocab_size: int, seed: int = 0, **arch):
    """A random ``T5ForConditionalGeneration`` (tiny, or another architecture
    given as ``T5Config`` fields: the benchmark's MADLAD-400 3B)."""
    import torch
    from transformers import GenerationConfig, T5Config, T5ForConditionalGeneration

    torch.manual_seed(seed)
    tiny = dict(
        d_model=64,
        d_kv=16,
        d_ff=128,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=4,
        relative_attention_num_buckets=32,
        relative_attention_max_distance=128,
        dropout_rate=0.0,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    model = T5ForConditionalGeneration(T5Config(vocab_size=vocab_size, **{**tiny, **arch}))
    model.generation_config = GenerationConfig(pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    return model


def build_tiny_madlad(out_dir: str | Path, seed: int = 0, log=print) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    tok = build_tokenizer(out)
    model = build_model(len(tok), seed=seed)
    model.eval()
    model.save_pretrained(out)
    tok.save_pretrained(out)
    info = {"recipe": "models/tiny_madlad.py", "seed": seed, "vocab": len(tok), "languages": list(LANGS)}
    info["total_seconds"] = round(time.perf_counter() - t0, 1)
    write_card(out, "apache-2.0", "madlad-400", "models/tiny_madlad.py", info)
    return out


def main(argv: list[str] | None = None) -> int:
    return recipe_main(build_tiny_madlad, __doc__.split("\n\n")[0], argv)


if __name__ == "__main__":
    sys.exit(main())
