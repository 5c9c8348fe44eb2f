"""Translation speed: plain transformers against the toolkit's default engine, in one run.

Builds a randomly initialised model with the exact NLLB-200-distilled-600M
configuration (d_model 1024, 12+12 layers, FFN 4096, 16 heads, vocabulary
256,206), converts it with the toolkit's converter (CTranslate2, int8), and
measures, with fixed lengths (40 source tokens, exactly 48 generated tokens
after the language code, early end disabled):

* ``transformers_one_at_a_time``: fp32 ``generate`` one sentence per call,
  what a user writes first;
* ``transformers_batch32``: fp32 ``generate`` on batches of 32;
* ``toolkit_default``: what ``toolkit translate`` runs by default: ``CT2Engine``
  (int8 weights, one replica per core) with a target-vocabulary shortlist,
  the toolkit's GenerationSettings (greedy, n-gram guard) and the runner's
  token-budget batches (4,096 tokens);
* ``toolkit_no_shortlist``: the same with ``--no-shortlist``;
* ``transformers_bf16_batch32``: bfloat16 ``generate`` on batches of 32 (what
  an informed user runs on a CPU with AVX-512 bfloat16);
* ``plain_ct2_int8``: CTranslate2 itself on the same int8 folder, as its
  documentation shows it: ``Translator(intra_threads=--threads,
  inter_threads=1)``, one ``translate_batch`` over all sentences with
  ``max_batch_size=32``, no shortlist, no toolkit batching;
* ``toolkit_per_target_shortlist``: the toolkit default with one map per
  target (``CT2Engine(shortlist={target: map})``): the map of the benchmark's
  one target (English) alone instead of the union for English and
  Vietnamese. Its size is ``--shortlist-size`` times the share English has of
  the two targets' word forms in wordfreq (top 20,000 words, lower-case and
  capitalised: about 78%), since each common word is about one NLLB piece.
  ``switch_s`` is what a switch to another target's map costs (the
  translator is rebuilt).

The compute limit
-----------------

For each configuration, ``limit_tok_s`` is the speed at which the model's
multiply-adds (2 FLOP each) would take exactly the time a large matrix product
takes at the GEMM throughput measured in the same run (``gemm`` step, its own
process, ``--threads`` threads, a 2048 x 2048 x 2048 product, best of several):
int8 (``torch._int_mm``, oneDNN's s8s8s32 GEMM, the library CTranslate2 uses
here) for the CTranslate2 configurations, float32 and bfloat16
``torch.matmul`` for the transformers ones. ``fraction_of_limit`` is the
measured tok/s over that. With d = d_model, f = ffn_dim, L_e/L_d layers,
S = source tokens, T = gen_len + 1 decoder steps (the language code's
included), B = beams and V the output size (the vocabulary, or the mean
candidate count of the shortlist's chunks, sources' tokens included),
the multiply-adds per sentence are::

    encoder   L_e * (S * (4 d^2 + 2 d f) + 2 S^2 d)       (once per sentence)
    cross K,V L_d * 2 S d^2                                (once per sentence)
    decoder   B * sum_{t=1..T} [ L_d * (4 d^2 + 2 t d      (self-attention, grows with t)
                                        + 2 d^2 + 2 S d    (cross-attention)
                                        + 2 d f)           (FFN)
                                 + d V ]                   (output projection)

and ``limit_tok_s = gen_len * GOPS / (2 * MACs per sentence)``. For the 600M
model (d 1024, f 4096, 12 + 12 layers) a greedy token costs 0.88 GFLOP in the
decoder without a shortlist, 60% of it the output projection over 256,206
entries. It ignores softmax, layer norms, beam bookkeeping and the fp32
attention of int8 compute: a bound, not a target.

The shortlist is made the size a real one has for English and Vietnamese
(``--shortlist-size`` always-allowed tokens, and every source token may be
copied): the real one needs NLLB's tokenizer, which cannot be had offline.

Every configuration decodes with the same beam size (``--beams``, by default
the toolkit's). Each runs in its own subprocess so that its peak resident
memory (``ru_maxrss``, model load included) is its own. Random weights decode
as fast as trained ones: the work per token does not depend on the values.

Families
--------

``--families`` measures, in one run, the toolkit's CTranslate2 engine (int8,
one replica per core, no shortlist: the like-for-like setting, since Marian
and MADLAD run without one) on random weights of each family's real
configuration, built from the published hyper-parameters (no hub):
NLLB-200-distilled-600M, M2M-100 1.2B, OPUS-MT transformer-big (the
``opus-mt-tc-big-*`` models) and MADLAD-400 3B (``FAMILY_ARCHS``). Each
family's model is built (bfloat16, to halve the build's memory), converted
to int8 and then decoded in its own subprocess (``--family-sentences``
sources of ``--src-len`` tokens, exactly ``--gen-len`` generated tokens
each), so that its peak memory (model load included) is its own.

Usage::

    python benchmarks/translate_speed.py [--json results.json] [--quick]
    nice python benchmarks/translate_speed.py --families --threads 2 [--json families.json]

The temporary model files (about 3 GB for the full size) are removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SRC_LANG, TGT_LANG = "ind_Latn", "eng_Latn"

# facebook/nllb-200-distilled-600M's config.json, architecture fields.
NLLB_600M = {
    "vocab_size": 256206,
    "d_model": 1024,
    "encoder_layers": 12,
    "decoder_layers": 12,
    "encoder_attention_heads": 16,
    "decoder_attention_heads": 16,
    "encoder_ffn_dim": 4096,
    "decoder_ffn_dim": 4096,
    "max_position_embeddings": 1024,
    "activation_function": "relu",
    "scale_embedding": True,
}
QUICK = {
    **NLLB_600M,
    "vocab_size": 8000,
    "d_model": 128,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "encoder_attention_heads": 4,
    "decoder_attention_heads": 4,
    "encoder_ffn_dim": 256,
    "decoder_ffn_dim": 256,
}

# The published hyper-parameters of each family's model (config.json fields
# of facebook/m2m100_1.2B, Helsinki-NLP/opus-mt-tc-big-*, google/madlad400-3b-mt).
M2M100_1_2B = {
    "vocab_size": 128112,
    "d_model": 1024,
    "encoder_layers": 24,
    "decoder_layers": 24,
    "encoder_attention_heads": 16,
    "decoder_attention_heads": 16,
    "encoder_ffn_dim": 8192,
    "decoder_ffn_dim": 8192,
    "max_position_embeddings": 1024,
    "activation_function": "relu",
    "scale_embedding": True,
}
OPUS_MT_BIG = {
    "vocab_size": 58101,  # OPUS-MT's usual joint vocabulary (58,100 pieces + <pad>)
    "d_model": 1024,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 16,
    "decoder_attention_heads": 16,
    "encoder_ffn_dim": 4096,
    "decoder_ffn_dim": 4096,
    "max_position_embeddings": 1024,
    "activation_function": "relu",
    "scale_embedding": True,
}
MADLAD_3B = {
    "vocab_size": 256000,
    "d_model": 1024,
    "d_kv": 128,
    "d_ff": 8192,
    "num_layers": 32,
    "num_decoder_layers": 32,
    "num_heads": 16,
    "relative_attention_num_buckets": 32,
    "relative_attention_max_distance": 128,
    "feed_forward_proj": "gated-gelu",
    "tie_word_embeddings": False,
}
#: family -> (the model it stands for, its architecture, the recipe that builds it)
FAMILY_ARCHS = {
    "nllb": ("NLLB-200-distilled-600M", NLLB_600M, "tiny_nllb"),
    "m2m100": ("M2M-100 1.2B", M2M100_1_2B, "tiny_m2m100"),
    "marian": ("OPUS-MT transformer-big", OPUS_MT_BIG, "tiny_marian"),
    "madlad": ("MADLAD-400 3B", MADLAD_3B, "tiny_madlad"),
}
QUICK_ARCHS = {
    "nllb": QUICK,
    "m2m100": {**M2M100_1_2B, **{k: QUICK[k] for k in QUICK if k in M2M100_1_2B}},
    "marian": {**OPUS_MT_BIG, **{k: QUICK[k] for k in QUICK if k in OPUS_MT_BIG}},
    "madlad": {
        **MADLAD_3B,
        "vocab_size": 8000,
        "d_model": 128,
        "d_kv": 32,
        "d_ff": 256,
        "num_layers": 2,
        "num_decoder_layers": 2,
        "num_heads": 4,
    },
}

CONFIGS = (
    "transformers_one_at_a_time",
    "transformers_batch32",
    "toolkit_default",
    "toolkit_no_shortlist",
    "transformers_bf16_batch32",
    "plain_ct2_int8",
    "toolkit_per_target_shortlist",
)
#: Which measured GEMM throughput bounds each configuration.
GEMM_OF = {
    "transformers_one_at_a_time": "fp32",
    "transformers_batch32": "fp32",
    "transformers_bf16_batch32": "bf16",
}
BASELINES = {
    "vs_transformers_batch32": "transformers_batch32",
    "vs_transformers_one_at_a_time": "transformers_one_at_a_time",
    "vs_transformers_bf16_batch32": "transformers_bf16_batch32",
    "vs_plain_ct2_int8": "plain_ct2_int8",
}
#: The speed table's rows (docs/ENGINES.md), in this order, and its ratio columns.
COLUMNS = {
    "vs_transformers_one_at_a_time": "vs fp32 one at a time",
    "vs_transformers_batch32": "vs fp32 batch 32",
    "vs_transformers_bf16_batch32": "vs bf16 batch 32",
    "vs_plain_ct2_int8": "vs plain CT2 int8",
}
LABELS = {
    "transformers_one_at_a_time": "transformers fp32, one sentence at a time",
    "transformers_batch32": "transformers fp32, batch 32",
    "transformers_bf16_batch32": "transformers bf16, batch 32",
    "plain_ct2_int8": "plain CTranslate2 int8 (`translate_batch`, max_batch_size 32)",
    "toolkit_default": "**toolkit default** (CTranslate2 int8, replicas, shortlist)",
    "toolkit_no_shortlist": "toolkit, `--no-shortlist`",
    "toolkit_per_target_shortlist": "toolkit, one shortlist per target",
}


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(r / (1 << 20) if sys.platform == "darwin" else r / 1024, 1)


def vocabulary(size: int) -> list[str]:
    """NLLB's id layout for the specials; made-up names for the rest, with
    the two language codes the benchmark uses at the end."""
    toks = ["<s>", "<pad>", "</s>", "<unk>"] + [f"\u2581w{i}" for i in range(4, size - 2)]
    return toks + [SRC_LANG, TGT_LANG]


def sources(args: argparse.Namespace, vocab_size: int, n: int, seed: int) -> list[list[int]]:
    """``n`` sources of exactly ``src_len`` ids: language code, random ordinary
    tokens, ``</s>``."""
    rng = random.Random(seed)
    src_id = vocab_size - 2
    return [[src_id] + [rng.randrange(4, vocab_size - 2) for _ in range(args.src_len - 2)] + [2] for _ in range(n)]


# -- steps, each run in a subprocess ---------------------------------------------


def step_build(args: argparse.Namespace, work: Path) -> dict:
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import WhitespaceSplit
    from transformers import PreTrainedTokenizerFast

    sys.path.insert(0, str(REPO / "models"))
    from tiny_nllb import build_model

    arch = QUICK if args.quick else NLLB_600M
    t0 = time.perf_counter()
    model = build_model(**arch, seed=0).eval()
    hf = work / "hf"
    model.save_pretrained(hf)
    # A word-level tokenizer over the made-up vocabulary: enough for the
    # converter (which reads the vocabulary from it) and for the engine to load.
    vocab = {t: i for i, t in enumerate(vocabulary(arch["vocab_size"]))}
    tk = Tokenizer(WordLevel(vocab, unk_token="<unk>"))
    tk.pre_tokenizer = WhitespaceSplit()
    PreTrainedTokenizerFast(
        tokenizer_object=tk, bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>"
    ).save_pretrained(hf)
    n_params = sum(p.numel() for p in model.parameters())
    return {"params": n_params, "build_s": round(time.perf_counter() - t0, 1)}


def step_convert(args: argparse.Namespace, work: Path) -> dict:
    from toolkit.translate.convert import convert_model
    from toolkit.translate.shortlist import Shortlist

    t0 = time.perf_counter()
    convert_model(str(work / "hf"), work / "ct2", quantization="int8")
    secs = round(time.perf_counter() - t0, 1)
    # A shortlist the size a real one has: common target-word pieces always
    # allowed (``--shortlist-size``), every token allowed when in the source.
    vocab = vocabulary((QUICK if args.quick else NLLB_600M)["vocab_size"])
    ordinary = vocab[4:-2]
    rng = random.Random(1)
    union = rng.sample(ordinary, min(args.shortlist_size, len(ordinary)))
    Shortlist(always=set(union), identity=set(ordinary)).write(work / "shortlist.txt")
    # One target's map: its share of the union (English's, from wordfreq);
    # the other map is only there to time a switch between targets.
    share = target_share(TGT_LANG, ("eng_Latn", "vie_Latn"))
    own = union[: round(len(union) * share)]
    Shortlist(always=set(own), identity=set(ordinary)).write(work / "shortlist-target.txt")
    Shortlist(always=set(union[len(own) // 2 :]), identity=set(ordinary)).write(work / "shortlist-other.txt")
    size = sum(f.stat().st_size for f in (work / "ct2").iterdir())
    return {"convert_s": secs, "ct2_mb": round(size / 2**20, 1), "target_share": round(share, 3)}


def target_share(target: str, targets: tuple[str, ...], top: int = 20000) -> float:
    """The share ``target`` has of the word forms (lower-case and capitalised)
    of all ``targets``' top words: a proxy for its share of their union
    shortlist, since a common word is about one NLLB piece."""
    from toolkit.translate.shortlist import target_words

    def forms(lang: str) -> set[str]:
        return {f for w in target_words(lang, top) for f in (w, w[:1].upper() + w[1:])}

    return len(forms(target)) / len(set().union(*(forms(t) for t in targets)))


def step_gemm(args: argparse.Namespace, work: Path) -> dict:
    """GOPS of a large matrix product with ``--threads`` threads: int8
    (``torch._int_mm``: oneDNN's s8s8s32 GEMM), float32 and bfloat16
    (``torch.matmul``); the best of several timed rounds of at least 0.3 s."""
    import torch

    torch.set_num_threads(args.threads)
    n = 2048
    out = {}
    gen = torch.Generator().manual_seed(0)
    for kind in ("int8", "fp32", "bf16"):
        if kind == "int8":
            a = torch.randint(-128, 128, (n, n), dtype=torch.int8, generator=gen)
            b = torch.randint(-128, 128, (n, n), dtype=torch.int8, generator=gen)
            op = torch._int_mm
        else:
            dtype = torch.float32 if kind == "fp32" else torch.bfloat16
            a, b = (torch.randn(n, n, generator=gen).to(dtype) for _ in range(2))
            op = torch.matmul
        op(a, b)
        best = 0.0
        for _ in range(3):
            reps, t0 = 0, time.perf_counter()
            while time.perf_counter() - t0 < 0.3:
                op(a, b)
                reps += 1
            best = max(best, 2 * n**3 * reps / (time.perf_counter() - t0) / 1e9)
        out[f"{kind}_gops"] = round(best, 1)
    return out


def macs_per_sentence(arch: dict, src_len: int, gen_len: int, beams: int, out_size: float) -> float:
    """Multiply-adds to translate one sentence (see the module's docstring)."""
    d, le, ld = arch["d_model"], arch["encoder_layers"], arch["decoder_layers"]
    fe, fd, s = arch["encoder_ffn_dim"], arch["decoder_ffn_dim"], src_len
    encoder = le * (s * (4 * d * d + 2 * d * fe) + 2 * s * s * d) + ld * 2 * s * d * d
    steps = gen_len + 1
    per_step = ld * (6 * d * d + 2 * s * d + 2 * d * fd) + d * out_size
    self_attention = ld * 2 * d * steps * (steps + 1) / 2  # sum over t of 2 t d
    return encoder + beams * (steps * per_step + self_attention)


def _transformers(args: argparse.Namespace, work: Path, batch: int, n: int, dtype: str = "float32") -> dict:
    import torch
    from transformers import M2M100ForConditionalGeneration

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    model = M2M100ForConditionalGeneration.from_pretrained(work / "hf", dtype=getattr(torch, dtype)).eval()
    load_s = time.perf_counter() - t0
    vocab_size = model.config.vocab_size
    tgt_id = vocab_size - 1
    # The language code is the first generated token; then exactly gen_len more.
    kw = dict(
        forced_bos_token_id=tgt_id,
        num_beams=args.beams,
        do_sample=False,
        min_new_tokens=args.gen_len + 1,
        max_new_tokens=args.gen_len + 1,
    )
    with torch.inference_mode():
        model.generate(
            torch.tensor(sources(args, vocab_size, 1, 99)), **{**kw, "min_new_tokens": 3, "max_new_tokens": 3}
        )
        srcs = sources(args, vocab_size, n, 0)
        tokens = 0
        t0 = time.perf_counter()
        for i in range(0, n, batch):
            ids = torch.tensor(srcs[i : i + batch])
            out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), **kw)
            # decoder start (</s>) and the language code are not output tokens
            tokens += int((out[:, 2:] != model.config.pad_token_id).sum())
        secs = time.perf_counter() - t0
    return {"sentences": n, "tokens": tokens, "seconds": secs, "load_s": load_s, "output_size": vocab_size}


def _plain_ct2(args: argparse.Namespace, work: Path) -> dict:
    """CTranslate2 as its documentation shows it: one translator, one call."""
    import ctranslate2

    t0 = time.perf_counter()
    translator = ctranslate2.Translator(
        str(work / "ct2"), device="cpu", compute_type="default", intra_threads=args.threads, inter_threads=1
    )
    load_s = time.perf_counter() - t0
    vocab = vocabulary((QUICK if args.quick else NLLB_600M)["vocab_size"])
    kw = dict(beam_size=args.beams, max_decoding_length=args.gen_len + 1, min_decoding_length=args.gen_len + 1)
    translator.translate_batch(
        [[vocab[i] for i in sources(args, len(vocab), 1, 99)[0]]],
        target_prefix=[[TGT_LANG]],
        **{**kw, "max_decoding_length": 3, "min_decoding_length": 1},
    )
    srcs = [[vocab[i] for i in s] for s in sources(args, len(vocab), args.batches * args.batch_size, 0)]
    t0 = time.perf_counter()
    out = translator.translate_batch(srcs, target_prefix=[[TGT_LANG]] * len(srcs), max_batch_size=args.batch_size, **kw)
    secs = time.perf_counter() - t0
    tokens = sum(len(r.hypotheses[0]) - 1 for r in out)  # the language code is not an output token
    return {
        "sentences": len(srcs),
        "tokens": tokens,
        "seconds": secs,
        "load_s": load_s,
        "compute_type": translator.compute_type,
        "output_size": len(vocab),
    }


def _toolkit(args: argparse.Namespace, work: Path, shortlist: bool, per_target: bool = False) -> dict:
    from toolkit.translate.ct2 import CT2Engine

    maps = {TGT_LANG: work / "shortlist-target.txt", SRC_LANG: work / "shortlist-other.txt"}
    t0 = time.perf_counter()
    engine = CT2Engine(
        work / "ct2",
        device="cpu",
        threads=args.threads,
        shortlist=maps if per_target else (work / "shortlist.txt" if shortlist else None),
    )
    load_s = time.perf_counter() - t0
    srcs = warm_up(engine, args, args.batches * args.batch_size)
    tokens, secs = decode_timed(engine, srcs, args)
    # The map this configuration's English chunks used, for ``output_sizes``.
    extra = {"shortlist_file": "shortlist-target.txt" if per_target else ("shortlist.txt" if shortlist else None)}
    if per_target:
        # What a switch to another target's map costs: the translator is rebuilt.
        t1 = time.perf_counter()
        engine.translate_tokens(srcs[:1], SRC_LANG, max_new_tokens=1)
        extra["switch_s"] = round(time.perf_counter() - t1, 2)
        extra["reloads"] = engine.reloads
    return {
        **extra,
        "sentences": len(srcs),
        "tokens": tokens,
        "seconds": secs,
        "load_s": load_s,
        "compute_type": engine.compute_type,
        "threads": engine.threads,
        "replicas": engine.replicas,
        "max_hyp_tokens": engine.max_hyp_tokens,
        "vmap_retries": engine.vmap_retries,
    }


def warm_up(engine, args: argparse.Namespace, n: int) -> list[list[str]]:
    """One short translation (first-call costs out of the timing), then the
    ``n`` benchmark sources as the engine's tokens."""
    vocab = vocabulary((QUICK if args.quick else NLLB_600M)["vocab_size"])
    engine.translate_tokens([[vocab[i] for i in sources(args, len(vocab), 1, 99)[0]]], TGT_LANG, max_new_tokens=2)
    return [[vocab[i] for i in s] for s in sources(args, len(vocab), n, 0)]


def decode_timed(engine, srcs: list[list[str]], args: argparse.Namespace) -> tuple[int, float]:
    """(tokens, seconds) for ``srcs`` through the runner's token-budget
    batches, exactly ``--gen-len`` tokens each: what ``toolkit translate``
    hands the engine."""
    from toolkit.translate.batching import token_budget_batches
    from toolkit.translate.runner import DEFAULT_BATCH_TOKENS

    tokens, t0 = 0, time.perf_counter()
    for batch in token_budget_batches([len(s) for s in srcs], DEFAULT_BATCH_TOKENS):
        out = engine.translate_tokens(
            [srcs[i] for i in batch],
            TGT_LANG,
            max_new_tokens=args.gen_len,
            min_new_tokens=args.gen_len,
            beam_size=args.beams,
        )
        tokens += sum(len(t) for t in out)
    return tokens, time.perf_counter() - t0


def output_sizes(args: argparse.Namespace, work: Path, results: dict[str, dict]) -> None:
    """Each toolkit configuration's output-layer size: the vocabulary, or the
    mean over the chunks it decoded of its shortlist's candidates for each
    chunk's sources. Computed here in the driver from the engine's chunk plan
    (``plan_chunks``), so that reading the shortlist does not count in the
    measured process's peak memory."""
    from toolkit.translate.batching import token_budget_batches
    from toolkit.translate.ct2 import plan_chunks
    from toolkit.translate.runner import DEFAULT_BATCH_TOKENS
    from toolkit.translate.shortlist import Shortlist

    vocab = vocabulary((QUICK if args.quick else NLLB_600M)["vocab_size"])
    srcs = [[vocab[i] for i in s] for s in sources(args, len(vocab), args.batches * args.batch_size, 0)]
    for r in results.values():
        if "output_size" in r:
            continue
        if not r.get("shortlist_file"):
            r["output_size"] = float(len(vocab))
            continue
        sl = Shortlist.read(work / r["shortlist_file"])
        sizes = []
        for batch in token_budget_batches([len(s) for s in srcs], DEFAULT_BATCH_TOKENS):
            chunk_srcs = [srcs[i] for i in batch]
            for chunk in plan_chunks([len(s) for s in chunk_srcs], args.beams, r["max_hyp_tokens"], r["replicas"]):
                sizes.append(len(sl.allowed([chunk_srcs[i] for i in chunk], TGT_LANG)))
        r["output_size"] = round(sum(sizes) / len(sizes), 1)


def step_run(args: argparse.Namespace, work: Path, name: str) -> dict:
    if name == "transformers_one_at_a_time":
        r = _transformers(args, work, batch=1, n=args.one_at_a_time)
    elif name == "transformers_batch32":
        r = _transformers(args, work, batch=args.batch_size, n=args.batches * args.batch_size)
    elif name == "toolkit_default":
        r = _toolkit(args, work, shortlist=True)
    elif name == "toolkit_no_shortlist":
        r = _toolkit(args, work, shortlist=False)
    elif name == "transformers_bf16_batch32":
        r = _transformers(args, work, batch=args.batch_size, n=args.batches * args.batch_size, dtype="bfloat16")
    elif name == "plain_ct2_int8":
        r = _plain_ct2(args, work)
    elif name == "toolkit_per_target_shortlist":
        r = _toolkit(args, work, shortlist=True, per_target=True)
    else:
        raise SystemExit(f"unknown configuration {name}")
    r["name"] = name
    r["tokens_per_s"] = round(r["tokens"] / r["seconds"], 2)
    r["sentences_per_s"] = round(r["sentences"] / r["seconds"], 3)
    r["seconds"] = round(r["seconds"], 2)
    r["load_s"] = round(r["load_s"], 2)
    r["peak_rss_mb"] = peak_rss_mb()
    return r


# -- families ----------------------------------------------------------------------


def family_vocabulary(family: str, size: int) -> tuple[list[str], list[str], list[str]]:
    """(vocabulary in the family's id layout, the source's first tokens, its
    last): made-up words between each family's special tokens."""
    words = [f"\u2581w{i}" for i in range(size)]
    if family == "marian":  # </s> 0, <unk> 1, <pad> last (the converter drops it)
        return ["</s>", "<unk>", *words[: size - 3], "<pad>"], [], ["</s>"]
    if family == "madlad":  # <pad> 0, </s> 1, <unk> 2; the target chosen by <2xx> in the source
        return ["<pad>", "</s>", "<unk>", *words[: size - 4], "<2en>"], ["<2en>"], ["</s>"]
    code = SRC_LANG if family == "nllb" else "__id__"
    tgt = TGT_LANG if family == "nllb" else "__en__"
    return ["<s>", "<pad>", "</s>", "<unk>", *words[: size - 6], code, tgt], [code], ["</s>"]


def step_family_build(args: argparse.Namespace, work: Path, family: str) -> dict:
    """The family's architecture with random weights (bfloat16), saved with a
    word-level tokenizer over ``family_vocabulary``, converted to int8; the
    checkpoint is removed after the conversion."""
    import importlib

    import torch
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import WhitespaceSplit
    from transformers import PreTrainedTokenizerFast

    from toolkit.translate.convert import convert_model

    sys.path.insert(0, str(REPO / "models"))
    _, arch, recipe = FAMILY_ARCHS[family]
    arch = dict(QUICK_ARCHS[family] if args.quick else arch)
    vocab_size = arch.pop("vocab_size")
    vocab, _, _ = family_vocabulary(family, vocab_size)
    build_model = importlib.import_module(recipe).build_model
    t0 = time.perf_counter()
    torch.set_default_dtype(torch.bfloat16)  # a 3B model's random weights in 6 GB, not 12
    if family == "marian":
        model = build_model(vocab_size, vocab_size - 1, **arch)
    else:
        model = build_model(vocab_size, **arch)
    torch.set_default_dtype(torch.float32)
    n_params = sum(p.numel() for p in model.parameters())
    hf = work / f"{family}-hf"
    model.save_pretrained(hf)
    del model
    specials = {
        "marian": dict(eos_token="</s>", unk_token="<unk>", pad_token="<pad>"),
        "madlad": dict(eos_token="</s>", unk_token="<unk>", pad_token="<pad>"),
    }.get(family, dict(bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>"))
    tk = Tokenizer(WordLevel({t: i for i, t in enumerate(vocab)}, unk_token="<unk>"))
    tk.pre_tokenizer = WhitespaceSplit()
    PreTrainedTokenizerFast(tokenizer_object=tk, **specials).save_pretrained(hf)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = convert_model(str(hf), work / f"{family}-ct2", quantization="int8")
    shutil.rmtree(hf, ignore_errors=True)
    # The word-level tokenizer says nothing of the family: the record does.
    rec = json.loads((out / "toolkit-convert.json").read_text())
    (out / "toolkit-convert.json").write_text(json.dumps({**rec, "family": family}))
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    return {
        "params": n_params,
        "build_s": round(build_s, 1),
        "convert_s": round(time.perf_counter() - t0, 1),
        "ct2_mb": round(size / 2**20, 1),
    }


def step_family_run(args: argparse.Namespace, work: Path, family: str) -> dict:
    """The toolkit's CTranslate2 engine on the family's int8 folder: no
    shortlist, one replica per thread, the runner's token-budget batches."""
    from toolkit.translate.ct2 import CT2Engine

    t0 = time.perf_counter()
    engine = CT2Engine(work / f"{family}-ct2", device="cpu", threads=args.threads, shortlist=None)
    load_s = time.perf_counter() - t0
    vocab, first, last = family_vocabulary(
        family,
        len(json.loads((work / f"{family}-ct2" / "shared_vocabulary.json").read_text()))
        + (1 if family == "marian" else 0),
    )
    rng = random.Random(0)
    ordinary = [t for t in vocab if t.startswith("\u2581w")]
    body = args.src_len - len(first) - len(last)
    srcs = [first + [rng.choice(ordinary) for _ in range(body)] + last for _ in range(args.family_sentences + 1)]
    engine.translate_tokens(srcs[:1], TGT_LANG, max_new_tokens=2)  # first-call costs out of the timing
    srcs = srcs[1:]
    tokens, secs = decode_timed(engine, srcs, args)
    return {
        "family": family,
        "sentences": len(srcs),
        "tokens": tokens,
        "seconds": round(secs, 2),
        "tokens_per_s": round(tokens / secs, 2),
        "load_s": round(load_s, 2),
        "replicas": engine.replicas,
        "compute_type": engine.compute_type,
    }


def families_main(args: argparse.Namespace) -> int:
    """Every family's build, conversion and decoding, each step in its own process; one table."""
    work = Path(tempfile.mkdtemp(prefix="toolkit-bench-families-", dir=args.workdir))
    rows = []
    t_all = time.perf_counter()
    try:
        for family in args.family_list.split(","):
            name = FAMILY_ARCHS[family][0]
            print(f"building {name} ({family}) ...", flush=True)
            b = _sub(args, work, f"family-build:{family}")
            print(
                f"  {b['params'] / 1e6:.0f}M parameters in {b['build_s']}s, int8 {b['ct2_mb']} MB in {b['convert_s']}s",
                flush=True,
            )
            r = _sub(args, work, f"family-run:{family}")
            r.update(model=name, params=b["params"], ct2_mb=b["ct2_mb"])
            print(f"  {r['tokens_per_s']} tok/s, peak {r['peak_rss_mb']:.0f} MB", flush=True)
            rows.append(r)
            shutil.rmtree(work / f"{family}-ct2", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = round(time.perf_counter() - t_all, 1)
    lines = [
        "| family | model (random weights, real configuration) | parameters | int8 MB | tok/s | peak RSS MB | load s |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['family']} | {r['model']} | {r['params'] / 1e6:.0f}M | {r['ct2_mb']:.0f} | {r['tokens_per_s']:.1f} "
            f"| {r['peak_rss_mb']:.0f} | {r['load_s']:.1f} |"
        )
    lines.append("")
    lines.append(
        f"One run of `benchmarks/translate_speed.py --families`: {args.family_sentences} sentences of {args.src_len} "
        f"source tokens, exactly {args.gen_len} generated, beam {args.beams}, {args.threads} threads, "
        f"{platform.processor() or platform.machine()}; {total:.0f} s in all."
    )
    print()
    print("\n".join(lines))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"machine": {"cpus": os.cpu_count(), "threads": args.threads}, "rows": rows, "total_s": total}, indent=2
            )
            + "\n"
        )
    return 0


# -- the driver ------------------------------------------------------------------


def _sub(args: argparse.Namespace, work: Path, step: str) -> dict:
    cmd = [sys.executable, __file__, "--_step", step, "--_work", str(work)]
    for k in (
        "beams",
        "one_at_a_time",
        "batch_size",
        "batches",
        "src_len",
        "gen_len",
        "threads",
        "shortlist_size",
        "family_sentences",
    ):
        cmd += [f"--{k.replace('_', '-')}", str(getattr(args, k))]
    if args.quick:
        cmd.append("--quick")
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if p.returncode != 0:
        tail = "\n".join(p.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"step {step} failed (exit {p.returncode}):\n{tail}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def ratios(results: dict[str, dict], name: str) -> dict:
    """``name``'s tok/s over each baseline that ran."""
    me = results[name]["tokens_per_s"]
    return {k: round(me / results[b]["tokens_per_s"], 2) for k, b in BASELINES.items() if b in results and b != name}


def add_limits(args: argparse.Namespace, results: dict[str, dict], gemm: dict) -> None:
    """Each result's compute limit (tok/s) and the fraction of it reached."""
    arch = QUICK if args.quick else NLLB_600M
    for name, r in results.items():
        kind = GEMM_OF.get(name, "int8")
        macs = macs_per_sentence(arch, args.src_len, args.gen_len, args.beams, r["output_size"])
        r["gemm"] = kind
        r["gflop_per_sentence"] = round(2 * macs / 1e9, 3)
        r["limit_tok_s"] = round(args.gen_len * gemm[f"{kind}_gops"] * 1e9 / (2 * macs), 1)
        r["fraction_of_limit"] = round(r["tokens_per_s"] / r["limit_tok_s"], 3)


def markdown(rows: list[dict], all_ratios: dict[str, dict], beams: int, total_s: float, gemm: dict) -> str:
    """The speed table of docs/ENGINES.md for this run."""
    keys = [k for k in COLUMNS if any(k in r for r in all_ratios.values())]
    head = ["configuration", f"beam {beams} tok/s", *(COLUMNS[k] for k in keys), "of the limit", "peak RSS MB"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for r in sorted(rows, key=lambda r: list(LABELS).index(r["name"])):
        rr = all_ratios.get(r["name"], {})
        cells = [LABELS[r["name"]], f"{r['tokens_per_s']:.1f}"]
        cells += [f"{rr[k]:.2f}x" if k in rr else "" for k in keys]
        cells += [f"{100 * r['fraction_of_limit']:.0f}% of {r['limit_tok_s']:.0f}", f"{r['peak_rss_mb']:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    m, sec = divmod(round(total_s), 60)
    lines.append("")
    lines.append(
        f"One run, {m} min {sec} s; GEMM {gemm['int8_gops']:.0f} int8 GOPS, {gemm['fp32_gops']:.0f} fp32 "
        f"and {gemm['bf16_gops']:.0f} bf16 GFLOPS measured in the same run."
    )
    return "\n".join(lines)


def table(rows: list[dict]) -> str:
    head = f"{'configuration':28s} {'sent':>5s} {'tokens':>7s} {'secs':>8s} {'tok/s':>9s} {'sent/s':>8s} {'peak MB':>8s} {'load s':>7s}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['name']:28s} {r['sentences']:5d} {r['tokens']:7d} {r['seconds']:8.2f} {r['tokens_per_s']:9.1f} "
            f"{r['sentences_per_s']:8.3f} {r['peak_rss_mb']:8.0f} {r['load_s']:7.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--quick", action="store_true", help="a tiny model and short lengths: a smoke test in seconds")
    ap.add_argument(
        "--beams", type=int, default=None, help="beam size for every configuration (default: the toolkit's)"
    )
    ap.add_argument("--one-at-a-time", type=int, default=None, help="sentences for the one-at-a-time loop")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument(
        "--batches", type=int, default=2, help="batches of --batch-size sentences for the batched configurations"
    )
    ap.add_argument("--src-len", type=int, default=None, help="source tokens, language code and </s> included")
    ap.add_argument("--gen-len", type=int, default=None, help="generated tokens after the language code")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--shortlist-size", type=int, default=None, help="always-allowed tokens of the shortlist")
    ap.add_argument("--only", default=",".join(CONFIGS), help="comma-separated configurations to run")
    ap.add_argument("--markdown", action="store_true", help="print docs/ENGINES.md's speed table at the end")
    ap.add_argument("--workdir", type=Path, default=None, help="where the temporary model goes (default: system temp)")
    ap.add_argument("--families", action="store_true", help="every model family's real configuration (see Families)")
    ap.add_argument("--family-list", default=",".join(FAMILY_ARCHS), help="with --families: which, comma-separated")
    ap.add_argument("--family-sentences", type=int, default=8, help="with --families: sentences per family")
    ap.add_argument("--_step", help=argparse.SUPPRESS)
    ap.add_argument("--_work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    from toolkit.translate.engine import GenerationSettings

    if args.beams is None:
        args.beams = GenerationSettings().num_beams
    if args.quick:
        args.batch_size = min(args.batch_size, 4)
    defaults = (2, 12, 8, 500) if args.quick else (4, 40, 48, 24000)
    for k, d in zip(("one_at_a_time", "src_len", "gen_len", "shortlist_size"), defaults, strict=True):
        if getattr(args, k) is None:
            setattr(args, k, d)

    if args._step:
        if args._step.startswith("family-build:"):
            r = step_family_build(args, args._work, args._step.split(":", 1)[1])
        elif args._step.startswith("family-run:"):
            r = step_family_run(args, args._work, args._step.split(":", 1)[1])
        elif args._step == "build":
            r = step_build(args, args._work)
        elif args._step == "convert":
            r = step_convert(args, args._work)
        elif args._step == "gemm":
            r = step_gemm(args, args._work)
        else:
            r = step_run(args, args._work, args._step)
        r["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(r))
        return 0

    if args.families:
        return families_main(args)
    names = [n for n in args.only.split(",") if n]
    for n in names:
        if n not in CONFIGS:
            ap.error(f"unknown configuration {n!r}; choose from {', '.join(CONFIGS)}")
    work = Path(tempfile.mkdtemp(prefix="toolkit-bench-", dir=args.workdir))
    t_all = time.perf_counter()
    try:
        print(
            f"building the {'quick' if args.quick else 'NLLB-200-distilled-600M'} architecture in {work} ...",
            flush=True,
        )
        build = _sub(args, work, "build")
        print(f"  {build['params'] / 1e6:.1f}M parameters, {build['build_s']}s", flush=True)
        conv = _sub(args, work, "convert")
        print(f"  converted to CTranslate2 int8 in {conv['convert_s']}s ({conv['ct2_mb']} MB)", flush=True)
        gemm = _sub(args, work, "gemm")
        print(
            f"  GEMM, {args.threads} threads: {gemm['int8_gops']} int8 GOPS, {gemm['fp32_gops']} fp32 GFLOPS, "
            f"{gemm['bf16_gops']} bf16 GFLOPS",
            flush=True,
        )
        results: dict[str, dict] = {}
        for n in names:
            print(f"running {n} ...", flush=True)
            results[n] = _sub(args, work, n)
        output_sizes(args, work, results)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    add_limits(args, results, gemm)
    rows = [results[n] for n in names]
    print()
    print(
        f"{args.src_len} source tokens, {args.gen_len} generated, beam {args.beams}, {args.threads} threads, "
        f"{platform.processor() or platform.machine()}"
    )
    print(table(rows))
    for r in rows:
        print(
            f"{r['name']:28s} {100 * r['fraction_of_limit']:5.1f}% of the {r['gemm']} compute limit "
            f"({r['limit_tok_s']:.0f} tok/s; output layer {r['output_size']:.0f})"
        )
    out = {
        "machine": {"cpus": os.cpu_count(), "threads": args.threads, "platform": platform.platform()},
        "setup": {
            "architecture": "quick" if args.quick else "nllb-200-distilled-600M",
            "params": build["params"],
            "src_len": args.src_len,
            "gen_len": args.gen_len,
            "beams": args.beams,
            "batch_size": args.batch_size,
            "shortlist_always": args.shortlist_size,
            "convert_s": conv["convert_s"],
            "target_share": conv["target_share"],
            "ct2_mb": conv["ct2_mb"],
            "total_s": round(time.perf_counter() - t_all, 1),
        },
        "gemm": gemm,
        "results": rows,
        "ratios": {},
    }
    all_ratios = {n: ratios(results, n) for n in names if not n.startswith("transformers")}
    for n, r in all_ratios.items():
        key = "ratios" if n == "toolkit_default" else "ratios_" + n.removeprefix("toolkit_")
        out[key] = r
        said = ", ".join(f"{v}x {BASELINES[k].replace('_', ' ')}" for k, v in r.items() if BASELINES[k] != n)
        print(f"{n}: {said}")
    out["setup"]["total_s"] = round(time.perf_counter() - t_all, 1)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    if args.markdown:
        print()
        print(markdown(rows, all_ratios, args.beams, out["setup"]["total_s"], gemm))
    return 0


if __name__ == "__main__":
    sys.exit(main())
