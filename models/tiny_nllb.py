"""Build a tiny NLLB-architecture model, offline and in seconds, for tests and CI.

The real NLLB-200 cannot be downloaded here, and is far too slow for tests.
This recipe builds a model with the *same classes* and the same conventions:

* a SentencePiece BPE model trained on ``seeds/*.txt`` plus Vietnamese and
  English word lists (wordfreq), with NLLB's id layout (``<s>``=0, ``<pad>``=1,
  ``</s>``=2, ``<unk>``=3), wrapped in ``NllbTokenizer`` (the fast,
  tokenizers-backed class in transformers 5) with all 202 FLORES-200 language
  codes and ``<mask>`` as special tokens, so that ``src_lang``/``tgt_lang`` and
  ``convert_tokens_to_ids("vie_Latn")`` behave as with the real tokenizer
  (source = ``[lang] X </s>``);
* an ``M2M100ForConditionalGeneration`` (2+2 layers, d_model 128) with
  ``decoder_start_token_id=2`` like NLLB.

``--copy-trained`` then trains it briefly to copy its input to the output
whatever target code is forced as BOS, so that tests can assert on meaningful,
deterministic output (digits and names survive), not on random tokens.

Usage::

    python models/tiny_nllb.py models/tiny-nllb-copy --copy-trained
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tiny_common import FAIRSEQ_IDS, tiny_m2m100_config  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

VOCAB_SIZE = 3000
MAX_POSITIONS = 256  # positions for source and output
# The longest source the tiny model declares it takes (tokenizer
# ``model_max_length``; the real model says 1024). It is what copy training
# covers, and small, so that tests meet sentences that must be split.
MAX_SOURCE_TOKENS = 48
TRAIN_BATCH = 32
COPY_STEPS = 600
COPY_LR = 3e-3
TRAIN_LANGS_SRC = ("ind_Latn", "por_Latn", "nob_Latn", "tha_Thai", "vie_Latn", "eng_Latn")
TRAIN_LANGS_TGT = ("eng_Latn", "vie_Latn", "ind_Latn", "fra_Latn")

# Characters the tokenizer must know even when the seeds lack them: NLLB's
# tokenizer has no byte fallback (and transformers' NllbTokenizer rebuilds
# its BPE without one), so an unseen character would become <unk>.
_EXTRA_CHARS = (
    "".join(chr(c) for c in range(0x21, 0x7F))
    + "".join(chr(c) for c in range(0xC0, 0x180))
    + "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđĐ"
    + "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸơƠưƯ"
    + "".join(chr(c) for c in range(0x0E01, 0x0E3B))
    + "".join(chr(c) for c in range(0x0E3F, 0x0E5C))
    + "–—‘’“”…•°€£¥%‰×"
)


def _seed_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = " ".join(line.split())
            if line:
                lines.append(line)
    return lines


def _wordlist_lines(rng: random.Random) -> list[str]:
    """Pseudo-sentences of frequent vi/en words, so that target-language pieces exist."""
    from wordfreq import top_n_list

    out: list[str] = []
    for lang in ("vi", "en"):
        words = top_n_list(lang, 3000)
        for _ in range(400):
            out.append(" ".join(rng.choice(words) for _ in range(rng.randint(4, 14))))
    return out


def _corpus(rng: random.Random) -> list[str]:
    return _seed_lines() + _wordlist_lines(rng) + [" ".join(_EXTRA_CHARS)]


def train_sentencepiece(out_dir: Path, seed: int = 0) -> Path:
    """Train the SentencePiece BPE model; returns the ``.model`` path."""
    import sentencepiece as spm

    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = out_dir / "corpus.txt"
    corpus.write_text("\n".join(_corpus(rng)) + "\n", encoding="utf-8")
    prefix = out_dir / "sentencepiece.bpe"
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        model_type="bpe",
        vocab_size=VOCAB_SIZE,
        character_coverage=1.0,
        # NLLB's fairseq layout: the tokenizer class hard-codes these four ids.
        bos_id=0,
        pad_id=1,
        eos_id=2,
        unk_id=3,
        split_digits=True,  # digits one by one: a copy model then keeps any number
        num_threads=1,  # determinism
        shuffle_input_sentence=False,
        input_sentence_size=0,
        minloglevel=2,
    )
    corpus.unlink()
    return prefix.parent / (prefix.name + ".model")


def build_tokenizer(spm_model: Path):
    """Wrap the SentencePiece model in transformers' NLLB tokenizer class."""
    from transformers import NllbTokenizer
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    # from_pretrained on a folder that holds only ``sentencepiece.bpe.model``
    # runs transformers' own SentencePiece -> tokenizers conversion (the same
    # NllbConverter path the hub checkpoints went through).
    # The extractor passes the model's (empty) list of user symbols as the
    # extra special tokens, so the language codes must be named explicitly.
    tok = NllbTokenizer.from_pretrained(
        str(spm_model.parent), model_max_length=MAX_SOURCE_TOKENS, extra_special_tokens=list(FAIRSEQ_LANGUAGE_CODES)
    )
    if tok.convert_tokens_to_ids("vie_Latn") == tok.unk_token_id:
        raise RuntimeError("language codes did not become special tokens")
    return tok


def build_model(vocab_size: int, seed: int = 0, **arch):
    """A randomly initialised NLLB-shaped model (M2M100, NLLB's special ids,
    tied embeddings): the tiny architecture, or another one given as
    ``M2M100Config`` fields in ``arch`` (benchmarks/translate_speed.py builds
    NLLB-200-distilled-600M's this way)."""
    import torch
    from transformers import GenerationConfig, M2M100ForConditionalGeneration

    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(
        tiny_m2m100_config(vocab_size, width=128, ffn_width=256, positions=MAX_POSITIONS, **arch)
    )
    model.generation_config = GenerationConfig(**FAIRSEQ_IDS)
    return model


# --- copy training ---------------------------------------------------------


def _chunks(lines: list[str], rng: random.Random) -> list[str]:
    """Sentences of the seeds, cut into pieces of at most 20 words (short
    pieces train fast; longer ones are cut at MAX_SOURCE_TOKENS anyway)."""
    out: list[str] = []
    for line in lines:
        for sent in re.split(r"(?<=[.!?])\s+", line):
            words = sent.split()
            while words:
                n = rng.randint(6, 20)
                out.append(" ".join(words[:n]))
                words = words[n:]
    return out


def _noised(pieces: list[str], rng: random.Random) -> str:
    """A random window of words, with random numbers and names mixed in:
    the model must learn to copy, not to remember the seeds."""
    words = rng.choice(pieces).split()
    i = rng.randrange(len(words))
    words = words[i : i + rng.randint(3, 16)]
    for _ in range(rng.randint(0, 3)):
        kind = rng.random()
        if kind < 0.5:
            tok = str(rng.randint(0, 10 ** rng.randint(1, 7)))
        elif kind < 0.7:
            tok = f"{rng.randint(1, 99)},{rng.randint(0, 99)}%"
        else:
            tok = rng.choice(pieces).split()[0].capitalize()
        words.insert(rng.randint(0, len(words)), tok)
    return " ".join(words)


def copy_train(model, tok, seed: int = 0, steps: int = COPY_STEPS, log=print) -> dict:
    """Train ``model`` to copy its source (any forced target code)."""
    import torch

    rng = random.Random(seed)
    torch.manual_seed(seed)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # deterministic sums, and the CPU is shared
    try:
        pieces = _chunks(_seed_lines(), rng)
        opt = torch.optim.AdamW(model.parameters(), lr=COPY_LR, weight_decay=0.0)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=COPY_LR, total_steps=steps, pct_start=0.1)
        model.train()
        t0 = time.perf_counter()
        step = 0
        loss_v = float("nan")
        for step in range(1, steps + 1):
            batch = [rng.choice(pieces) if rng.random() < 0.6 else _noised(pieces, rng) for _ in range(TRAIN_BATCH)]
            tok.src_lang, tok.tgt_lang = rng.choice(TRAIN_LANGS_SRC), rng.choice(TRAIN_LANGS_TGT)
            enc = tok(
                batch,
                text_target=batch,
                padding=True,
                truncation=True,
                max_length=MAX_SOURCE_TOKENS,
                return_tensors="pt",
            )
            labels = enc["labels"]
            labels[labels == tok.pad_token_id] = -100
            loss = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            loss_v = loss.item()
            if step % 100 == 0:
                log(f"  step {step:5d}  loss {loss_v:.3f}  {time.perf_counter() - t0:5.1f}s")
        model.eval()
        return {"steps": step, "final_loss": round(loss_v, 4), "train_seconds": round(time.perf_counter() - t0, 1)}
    finally:
        torch.set_num_threads(threads)


def copy_accuracy(model, tok, sentences: list[str], tgt_lang: str = "eng_Latn", src_lang: str = "ind_Latn") -> dict:
    """Greedy-decode ``sentences`` and compare with the input (exact and per character)."""
    import difflib

    import torch

    tok.src_lang = src_lang
    exact = 0
    ratio = 0.0
    with torch.inference_mode():
        for i in range(0, len(sentences), 16):
            batch = sentences[i : i + 16]
            enc = tok(batch, return_tensors="pt", padding=True, verbose=False)
            out = model.generate(
                **enc,
                forced_bos_token_id=tok.convert_tokens_to_ids(tgt_lang),
                num_beams=1,
                do_sample=False,
                max_new_tokens=int(enc["input_ids"].shape[1] * 1.5) + 10,
            )
            for s, o in zip(batch, tok.batch_decode(out, skip_special_tokens=True), strict=True):
                # The tokenizer normalises like NLLB's (NFKC: Thai SARA AM is
                # decomposed), so compare normalised text.
                exact += int(unicodedata.normalize("NFKC", s) == unicodedata.normalize("NFKC", o))
                ratio += difflib.SequenceMatcher(None, s, o).ratio()
    n = max(1, len(sentences))
    return {"n": len(sentences), "exact": round(exact / n, 3), "char_similarity": round(ratio / n, 3)}


def eval_sentences(n: int = 32, seed: int = 1) -> list[str]:
    """Seed sentences of at most 20 words (what copy accuracy is measured on)."""
    rng = random.Random(seed)
    pieces = [p for p in _chunks(_seed_lines(), rng) if len(p.split()) >= 5]
    return rng.sample(pieces, min(n, len(pieces)))


def build_tiny_nllb(out_dir: str | Path, copy_trained: bool = False, seed: int = 0, log=print) -> Path:
    """Build the tiny model into ``out_dir`` (created; existing files replaced).

    Returns ``out_dir``; ``AutoTokenizer``/``AutoModelForSeq2SeqLM.from_pretrained``
    load it exactly as they load ``facebook/nllb-200-distilled-600M``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        spm_model = train_sentencepiece(Path(tmp), seed=seed)
        tok = build_tokenizer(spm_model)
    model = build_model(len(tok), seed=seed)
    info: dict = {"recipe": "models/tiny_nllb.py", "seed": seed, "copy_trained": copy_trained, "vocab": len(tok)}
    info["build_seconds"] = round(time.perf_counter() - t0, 1)
    if copy_trained:
        info["training"] = copy_train(model, tok, seed=seed, log=log)
        info["copy_accuracy"] = copy_accuracy(model, tok, eval_sentences())
        log(f"  copy accuracy: {info['copy_accuracy']}")
    info["total_seconds"] = round(time.perf_counter() - t0, 1)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    (out / "tiny_nllb.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--copy-trained", action="store_true", help="train it briefly to copy its input")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    out = build_tiny_nllb(args.out_dir, copy_trained=args.copy_trained, seed=args.seed)
    info = json.loads((out / "tiny_nllb.json").read_text(encoding="utf-8"))
    print(f"wrote {out} in {info['total_seconds']}s: {json.dumps(info)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
