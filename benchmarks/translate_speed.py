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
* ``toolkit_no_shortlist``: the same with ``--no-shortlist``.

The shortlist is made the size a real one has for English and Vietnamese
(``--shortlist-size`` always-allowed tokens, and every source token may be
copied): the real one needs NLLB's tokenizer, which cannot be had offline.

Every configuration decodes with the same beam size (``--beams``, by default
the toolkit's). Each runs in its own subprocess so that its peak resident
memory (``ru_maxrss``, model load included) is its own. Random weights decode
as fast as trained ones: the work per token does not depend on the values.

Usage::

    python benchmarks/translate_speed.py [--json results.json] [--quick]

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

CONFIGS = ("transformers_one_at_a_time", "transformers_batch32", "toolkit_default", "toolkit_no_shortlist")


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
    Shortlist(always=set(rng.sample(ordinary, min(args.shortlist_size, len(ordinary)))), identity=set(ordinary)).write(
        work / "shortlist.txt"
    )
    size = sum(f.stat().st_size for f in (work / "ct2").iterdir())
    return {"convert_s": secs, "ct2_mb": round(size / 2**20, 1)}


def _transformers(args: argparse.Namespace, work: Path, batch: int, n: int) -> dict:
    import torch
    from transformers import M2M100ForConditionalGeneration

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    model = M2M100ForConditionalGeneration.from_pretrained(work / "hf", dtype=torch.float32).eval()
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
    return {"sentences": n, "tokens": tokens, "seconds": secs, "load_s": load_s}


def _toolkit(args: argparse.Namespace, work: Path, shortlist: bool) -> dict:
    from toolkit.translate.batching import token_budget_batches
    from toolkit.translate.ct2 import CT2Engine
    from toolkit.translate.runner import DEFAULT_BATCH_TOKENS

    t0 = time.perf_counter()
    engine = CT2Engine(
        work / "ct2", device="cpu", threads=args.threads, shortlist=work / "shortlist.txt" if shortlist else None
    )
    load_s = time.perf_counter() - t0
    vocab = vocabulary((QUICK if args.quick else NLLB_600M)["vocab_size"])
    vocab_size = len(vocab)
    engine.translate_tokens([[vocab[i] for i in sources(args, vocab_size, 1, 99)[0]]], TGT_LANG, max_new_tokens=2)
    srcs = [[vocab[i] for i in s] for s in sources(args, vocab_size, args.batches * args.batch_size, 0)]
    tokens = 0
    t0 = time.perf_counter()
    for batch in token_budget_batches([len(s) for s in srcs], DEFAULT_BATCH_TOKENS):
        out = engine.translate_tokens(
            [srcs[i] for i in batch],
            TGT_LANG,
            max_new_tokens=args.gen_len,
            min_new_tokens=args.gen_len,
            beam_size=args.beams,
        )
        tokens += sum(len(t) for t in out)
    secs = time.perf_counter() - t0
    return {
        "sentences": len(srcs),
        "tokens": tokens,
        "seconds": secs,
        "load_s": load_s,
        "compute_type": engine.compute_type,
        "threads": engine.threads,
        "replicas": engine.replicas,
        "vmap_retries": engine.vmap_retries,
    }


def step_run(args: argparse.Namespace, work: Path, name: str) -> dict:
    if name == "transformers_one_at_a_time":
        r = _transformers(args, work, batch=1, n=args.one_at_a_time)
    elif name == "transformers_batch32":
        r = _transformers(args, work, batch=args.batch_size, n=args.batches * args.batch_size)
    elif name == "toolkit_default":
        r = _toolkit(args, work, shortlist=True)
    elif name == "toolkit_no_shortlist":
        r = _toolkit(args, work, shortlist=False)
    else:
        raise SystemExit(f"unknown configuration {name}")
    r["name"] = name
    r["tokens_per_s"] = round(r["tokens"] / r["seconds"], 2)
    r["sentences_per_s"] = round(r["sentences"] / r["seconds"], 3)
    r["seconds"] = round(r["seconds"], 2)
    r["load_s"] = round(r["load_s"], 2)
    r["peak_rss_mb"] = peak_rss_mb()
    return r


# -- the driver ------------------------------------------------------------------


def _sub(args: argparse.Namespace, work: Path, step: str) -> dict:
    cmd = [sys.executable, __file__, "--_step", step, "--_work", str(work)]
    for k in ("beams", "one_at_a_time", "batch_size", "batches", "src_len", "gen_len", "threads", "shortlist_size"):
        cmd += [f"--{k.replace('_', '-')}", str(getattr(args, k))]
    if args.quick:
        cmd.append("--quick")
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if p.returncode != 0:
        tail = "\n".join(p.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"step {step} failed (exit {p.returncode}):\n{tail}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def ratios(results: dict[str, dict], name: str) -> dict:
    me = results[name]["tokens_per_s"]
    return {
        "vs_transformers_batch32": round(me / results["transformers_batch32"]["tokens_per_s"], 2),
        "vs_transformers_one_at_a_time": round(me / results["transformers_one_at_a_time"]["tokens_per_s"], 2),
    }


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
    ap.add_argument("--workdir", type=Path, default=None, help="where the temporary model goes (default: system temp)")
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
        if args._step == "build":
            r = step_build(args, args._work)
        elif args._step == "convert":
            r = step_convert(args, args._work)
        else:
            r = step_run(args, args._work, args._step)
        r["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(r))
        return 0

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
        results: dict[str, dict] = {}
        for n in names:
            print(f"running {n} ...", flush=True)
            results[n] = _sub(args, work, n)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [results[n] for n in names]
    print()
    print(
        f"{args.src_len} source tokens, {args.gen_len} generated, beam {args.beams}, {args.threads} threads, "
        f"{platform.processor() or platform.machine()}"
    )
    print(table(rows))
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
            "ct2_mb": conv["ct2_mb"],
            "total_s": round(time.perf_counter() - t_all, 1),
        },
        "results": rows,
        "ratios": {},
    }
    if {"transformers_batch32", "transformers_one_at_a_time"} <= results.keys():
        for n in ("toolkit_default", "toolkit_no_shortlist"):
            if n in results:
                r = ratios(results, n)
                key = "ratios" if n == "toolkit_default" else "ratios_no_shortlist"
                out[key] = r
                print(
                    f"{n}: {r['vs_transformers_batch32']}x transformers batch {args.batch_size}, "
                    f"{r['vs_transformers_one_at_a_time']}x transformers one at a time"
                )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
