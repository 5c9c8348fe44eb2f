"""Recipe: a tiny XLM-R-style checkpoint built offline, for tests and demos.

    .venv/bin/python models/tiny_token_classifier.py models/tiny-xlmr

It has the real classes (``XLMRobertaTokenizer`` over a SentencePiece
unigram vocabulary, ``XLMRobertaForMaskedLM``), so ``toolkit train --base
models/tiny-xlmr`` exercises exactly the code path of ``--base
xlm-roberta-base``: AutoTokenizer, offset mappings, windows, a fresh
token-classification head, the Trainer. The vocabulary is trained on the
seed articles (plus any texts given), so Latin and Thai both tokenise into
pieces with exact offsets. Its weights are random: it learns only what the
fine-tuning teaches it.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seed_lines() -> list[str]:
    return [
        ln
        for f in sorted((ROOT / "seeds").glob("*.txt"))
        for ln in f.read_text(encoding="utf-8").split("\n")
        if ln.strip()
    ]


def build_tiny(
    out: str | Path,
    texts: Iterable[str] | None = None,
    vocab_size: int = 1000,
    hidden: int = 64,
    layers: int = 2,
    seed: int = 0,
) -> Path:
    """Write a tiny XLM-R masked-LM checkpoint and its tokenizer to ``out``."""
    import sentencepiece as spm
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaForMaskedLM, XLMRobertaTokenizer

    lines = list(texts) if texts is not None else seed_lines()
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
        hard_vocab_limit=False,
    )
    sp = spm.SentencePieceProcessor(model_proto=buf.getvalue())
    # XLM-R's layout: <s> <pad> </s> <unk>, the pieces, then <mask>.
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    vocab += [
        (sp.id_to_piece(i), sp.get_score(i))
        for i in range(sp.get_piece_size())
        if not (sp.is_control(i) or sp.is_unknown(i))
    ]
    vocab.append(("<mask>", 0.0))
    tok = XLMRobertaTokenizer(vocab=vocab)
    torch.manual_seed(seed)
    config = XLMRobertaConfig(
        vocab_size=len(tok),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=hidden * 2,
        max_position_embeddings=514,
        pad_token_id=tok.pad_token_id,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
    )
    model = XLMRobertaForMaskedLM(config)
    out = Path(out)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "models" / "tiny-xlmr")
    print(build_tiny(target))
