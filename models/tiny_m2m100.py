"""Build a tiny M2M-100 model, offline and in seconds, for tests and CI.

The same classes as ``facebook/m2m100_418M``: ``M2M100ForConditionalGeneration``
and ``M2M100Tokenizer`` (``sentencepiece.bpe.model`` + ``vocab.json``), with
fairseq's id layout (``<s>`` 0, ``<pad>`` 1, ``</s>`` 2, ``<unk>`` 3), the
100 ``__xx__`` language tokens after the pieces, then the eight made-up
words, and ``decoder_start_token_id`` 2; the source is ``__src__ X </s>``
and the target code is forced as the first output token. Random weights:
the output is noise, but the same noise from both engines.

Usage::

    python models/tiny_m2m100.py models/tiny-m2m100
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tiny_common import FAIRSEQ_IDS, recipe_main, spm_pieces, tiny_m2m100_config, train_spm, write_card  # noqa: E402

VOCAB_SIZE = 2000
MAX_POSITIONS = 256
MAX_SOURCE_TOKENS = 48


def build_tokenizer(out: Path):
    from transformers import M2M100Tokenizer

    spm = train_spm(out, "sentencepiece.bpe.model", VOCAB_SIZE, {"bos": 0, "pad": 1, "eos": 2, "unk": 3})
    vocab = {p: i for i, p in enumerate(spm_pieces(spm))}
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return M2M100Tokenizer(str(out / "vocab.json"), str(spm), model_max_length=MAX_SOURCE_TOKENS)


def build_model(vocab_size: int, seed: int = 0, **arch):
    """A random ``M2M100ForConditionalGeneration`` (tiny, or another
    architecture given as ``M2M100Config`` fields: the benchmark's 418M)."""
    import torch
    from transformers import GenerationConfig, M2M100ForConditionalGeneration

    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(
        tiny_m2m100_config(vocab_size, width=64, ffn_width=128, positions=MAX_POSITIONS, **arch)
    )
    model.generation_config = GenerationConfig(**FAIRSEQ_IDS, max_length=200)
    return model


def build_tiny_m2m100(out_dir: str | Path, seed: int = 0, log=print) -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    tok = build_tokenizer(out)
    # The pieces, the language tokens and the made-up words (as the real 128,112).
    model = build_model(len(tok.encoder) + len(tok.lang_token_to_id) + tok.num_madeup_words, seed=seed)
    model.eval()
    model.save_pretrained(out)
    tok.save_pretrained(out)
    info = {"recipe": "models/tiny_m2m100.py", "seed": seed, "vocab": model.config.vocab_size}
    info["total_seconds"] = round(time.perf_counter() - t0, 1)
    write_card(out, "mit", "m2m_100", "models/tiny_m2m100.py", info)
    return out


def main(argv: list[str] | None = None) -> int:
    return recipe_main(build_tiny_m2m100, __doc__.split("\n\n")[0], argv)


if __name__ == "__main__":
    sys.exit(main())
