"""What the tiny NLLB, Marian, M2M-100 and MADLAD recipes share: the corpus and a
SentencePiece model trained on it, with each family's id layout, and the
``M2M100Config`` that the NLLB and M2M-100 recipes both build on.

The corpus is ``seeds/*.txt`` plus pseudo-sentences of frequent English and
Vietnamese words (wordfreq, offline) and every character the toolkit's
languages write (Latin, Vietnamese, Thai, from Unicode ranges), so that no
seed character becomes ``<unk>``.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

# Unicode blocks the seeds' and targets' scripts use: Basic Latin, Latin-1,
# Latin Extended-A/B, Vietnamese (Latin Extended Additional), Thai.
_RANGES = ((0x21, 0x7F), (0xC0, 0x250), (0x1EA0, 0x1EFA), (0x0E01, 0x0E3B), (0x0E3F, 0x0E5C), (0x2013, 0x2027))


def characters() -> str:
    return "".join(chr(c) for a, b in _RANGES for c in range(a, b) if chr(c).isprintable())


def seed_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def corpus(seed: int = 0) -> list[str]:
    from wordfreq import top_n_list

    rng = random.Random(seed)
    out = seed_lines()
    for lang in ("vi", "en"):
        words = top_n_list(lang, 3000)
        out += [" ".join(rng.choice(words) for _ in range(rng.randint(4, 14))) for _ in range(400)]
    return out + [" ".join(characters())]


def train_spm(out: Path, name: str, vocab_size: int, ids: dict[str, int], user_symbols: list[str] = (), seed: int = 0):
    """Train a SentencePiece model ``out/name`` (``ids``: bos/pad/eos/unk ids, -1 for none)."""
    import sentencepiece as spm

    out.mkdir(parents=True, exist_ok=True)
    text = out / f"{name}.corpus.txt"
    text.write_text("\n".join(corpus(seed)) + "\n", encoding="utf-8")
    prefix = out / f"{name}.tmp"
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(prefix),
        model_type="unigram",
        vocab_size=vocab_size,
        character_coverage=1.0,
        bos_id=ids.get("bos", -1),
        pad_id=ids.get("pad", -1),
        eos_id=ids.get("eos", -1),
        unk_id=ids.get("unk", 0),
        user_defined_symbols=list(user_symbols),
        split_digits=True,
        num_threads=1,
        shuffle_input_sentence=False,
        input_sentence_size=0,
        minloglevel=2,
    )
    text.unlink()
    (out / f"{name}.tmp.vocab").unlink()
    model = out / name
    (out / f"{name}.tmp.model").rename(model)
    return model


def spm_pieces(model: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def write_card(out: Path, licence: str, family: str, recipe: str, info: dict) -> None:
    """A model card as the hub's: YAML front matter with ``license:`` (the toolkit reads it)."""
    (out / "README.md").write_text(
        f"---\nlicense: {licence}\ntags:\n- translation\n- {family}\n---\n\n"
        f"# A tiny {family} test model\n\nBuilt by `{recipe}` (random weights: the output is noise). "
        f"The licence above is the one the real {family} models carry, so that licence checks can be tested.\n",
        encoding="utf-8",
    )
    (out / "tiny_model.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


# fairseq's special ids, which NLLB and M2M-100 share (their tokenizer classes
# hard-code them); the decoder starts from ``</s>``.
FAIRSEQ_IDS = dict(bos_token_id=0, pad_token_id=1, eos_token_id=2, decoder_start_token_id=2)


def tiny_m2m100_config(vocab_size: int, width: int, ffn_width: int, positions: int, **overrides):
    """An ``M2M100Config`` for a tiny NLLB or M2M-100: 2+2 layers of 4 heads,
    ``width`` (``d_model``), ``ffn_width`` (both FFNs), ``positions``
    (``max_position_embeddings``), no dropout (the same noise from every
    engine), fairseq's ids, tied embeddings. ``overrides`` are ``M2M100Config``
    fields that win over these (``d_model`` included: the parameters are named
    apart from the fields for that), so that the speed benchmark can build a
    real architecture."""
    from transformers import M2M100Config

    fields = dict(
        d_model=width,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=ffn_width,
        decoder_ffn_dim=ffn_width,
        max_position_embeddings=positions,
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        encoder_layerdrop=0.0,
        decoder_layerdrop=0.0,
        scale_embedding=True,
        **FAIRSEQ_IDS,
        tie_word_embeddings=True,
    )
    return M2M100Config(vocab_size=vocab_size, **{**fields, **overrides})


def recipe_main(build: Callable[..., Path], description: str, argv: list[str] | None = None) -> int:
    """The command line every tiny recipe has: ``OUT_DIR [--seed N]``, then what it wrote."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    out = build(args.out_dir, seed=args.seed)
    print(f"wrote {out}: {(out / 'tiny_model.json').read_text(encoding='utf-8').strip()}")
    return 0
