"""Where the default engine's decoding time goes, for one or more chunk budgets, in one run.

The profile behind the engine's chunk budget (``CT2Engine.max_hyp_tokens``,
issue 15's "whatever a profile of the default path shows next"). It builds
the speed benchmark's model (random weights, NLLB-200-distilled-600M's exact
shapes; ``benchmarks/translate_speed.py``'s build and convert steps) or reuses
one (``--work DIR``), and for each budget in ``--budgets``:

1. starts a child process that loads ``CT2Engine`` as ``toolkit translate``
   does (int8, one replica per core, the shortlist) with that budget, and
   warms it up;
2. attaches ``perf record`` to the child for the timed decoding only (the
   benchmark's 64 sentences of 40 tokens, exactly 48 generated), so that
   loading and tear-down are not in the profile;
3. groups the samples: ``gemm`` (oneDNN's JIT-compiled kernels: the int8
   products of every layer and the float32 attention products),
   ``kv_concat`` (memmove/memcpy: CTranslate2 grows each layer's cached keys
   and values by concatenation at every step), ``quantize`` (quantizing each
   product's input, dequantizing its output), ``softmax``, ``layer_norm``,
   the rest of CTranslate2, Python, the kernel.

It then times oneDNN's int8 product (``torch._int_mm``, the s8s8s32 GEMM) on
one thread at a decoder layer's shape, the rows being the hypotheses a
replica decodes at once, on weights that stay in the caches and on weights
streamed from memory as a decoder step reads them: streamed, the product at
16 rows runs at a fraction of its speed at 32 or 64, which is why the budget
(hypotheses per replica) matters.

Prints tok/s, peak resident memory and the groups' shares per budget, and
each budget's speed over the first's. Needs ``perf`` (``apt install
linux-perf``); without it the timings and the GEMM table are still printed.
Run it on an idle machine::

    .venv/bin/python benchmarks/profile_engine.py --budgets 2048,2560 [--work /tmp/b600] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import translate_speed as ts  # noqa: E402  (the benchmark's model, sources and steps)

#: Sample groups: the first pattern that matches the (library, symbol) wins.
GROUPS = (
    ("quantize", r"quantize"),  # before gemm: dequantize_gemm_output is a quantize step
    ("gemm", r"^\[JIT\]|perf-\d+\.map|gemm|dnnl"),
    ("kv_concat", r"memmove|memcpy|Concat"),
    ("softmax", r"softmax"),
    ("layer_norm", r"layer_norm"),
    ("ctranslate2_other", r"libctranslate2|ctranslate2::"),
    ("python", r"libpython|python3"),
    ("kernel", r"kernel\.kallsyms|\[k\]"),
)


def group_of(dso: str, symbol: str) -> str:
    for name, pattern in GROUPS:
        if re.search(pattern, dso) or re.search(pattern, symbol):
            return name
    return "other"


def parse_report(text: str) -> dict[str, float]:
    """Shares (percent) per group from ``perf report --field-separator=|``."""
    shares: dict[str, float] = {}
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 3 or not parts[0].endswith("%"):
            continue
        try:
            pct = float(parts[0].rstrip("%"))
        except ValueError:
            continue
        g = group_of(parts[1], parts[2])
        shares[g] = shares.get(g, 0.0) + pct
    # perf rounds each line to 0.01%; over a thousand lines the sum drifts
    # from 100, so the shares are of the sum.
    total = sum(shares.values()) or 1.0
    return {k: round(100 * v / total, 1) for k, v in sorted(shares.items(), key=lambda kv: -kv[1])}


# -- the child: an engine that decodes when told to --------------------------------


def child(args: argparse.Namespace) -> int:
    from toolkit.translate.ct2 import CT2Engine, plan_chunks

    work = args.work
    engine = CT2Engine(
        work / "ct2", device="cpu", threads=args.threads, shortlist=work / "shortlist.txt", max_hyp_tokens=args.budget
    )
    srcs = ts.warm_up(engine, args, args.sentences)
    print(f"ready {os.getpid()}", flush=True)
    sys.stdin.readline()
    tokens, secs = ts.decode_timed(engine, srcs, args)
    chunks = plan_chunks([len(s) for s in srcs], args.beams, engine.max_hyp_tokens, engine.replicas)
    print(
        json.dumps(
            {
                "budget": args.budget,
                "tokens_per_s": round(tokens / secs, 1),
                "seconds": round(secs, 2),
                "peak_rss_mb": ts.peak_rss_mb(),
                "replicas": engine.replicas,
                "hypotheses_per_chunk": max(len(c) for c in chunks) * args.beams,
            }
        ),
        flush=True,
    )
    sys.stdin.readline()  # stay alive until perf has let go
    return 0


def profile_budget(args: argparse.Namespace, budget: int, perf: str | None, tmp: Path) -> dict:
    cmd = [sys.executable, __file__, "--_child", "--work", str(args.work), "--budget", str(budget)]
    cmd += ["--beams", str(args.beams), "--sentences", str(args.sentences), "--threads", str(args.threads)]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=HERE.parent)
    line = p.stdout.readline()
    if not line.startswith("ready"):
        p.kill()
        raise RuntimeError(f"the engine process for budget {budget} did not start: {line!r}")
    rec = None
    data = tmp / f"perf-{budget}.data"
    if perf:
        rec = subprocess.Popen(
            [perf, "record", "-F", "999", "-p", line.split()[1], "-o", str(data)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)  # let perf attach before the timed part starts
    p.stdin.write("go\n")
    p.stdin.flush()
    result = json.loads(p.stdout.readline())
    if rec:
        rec.send_signal(signal.SIGINT)
        rec.wait(timeout=120)
    p.stdin.write("\n")
    p.stdin.flush()
    p.wait(timeout=60)
    if rec and data.exists():
        report = subprocess.run(
            [perf, "report", "-i", str(data), "--stdio", "--no-children", "--sort", "dso,sym", "-g", "none"]
            + ["--field-separator=|", "--percent-limit", "0"],
            capture_output=True,
            text=True,
        )
        result["shares"] = parse_report(report.stdout)
    return result


def gemm_by_rows(rows: tuple[int, ...] = (8, 16, 32, 64, 128), streamed_mb: int = 192) -> list[dict]:
    """int8 GOPS of a decoder product (1,024 x 4,096) with ``rows`` rows on
    one thread (what one replica has): ``cached``, the same weight matrix
    again and again (it stays in the caches), and ``streamed``, a cycle
    through ``streamed_mb`` of distinct matrices, as a decoder step does with
    its 176 MB of layer weights, which no cache here holds."""
    import torch

    torch.set_num_threads(1)
    k, n = 1024, 4096
    many = [torch.randint(-128, 128, (k, n), dtype=torch.int8) for _ in range(max(1, streamed_mb * 2**20 // (k * n)))]
    out = []
    for m in rows:
        a = torch.randint(-128, 128, (m, k), dtype=torch.int8)
        row = {"rows": m}
        for name, weights in (("cached", many[:1]), ("streamed", many)):
            for w in weights:
                torch._int_mm(a, w)
            best = 0.0
            for _ in range(3):
                reps, t0 = 0, time.perf_counter()
                while time.perf_counter() - t0 < 0.3:
                    for w in weights:
                        torch._int_mm(a, w)
                    reps += len(weights)
                best = max(best, 2 * m * k * n * reps / (time.perf_counter() - t0) / 1e9)
            row[name] = round(best, 1)
        out.append(row)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--budgets", default="2048,2560", help="comma-separated max_hyp_tokens to compare")
    ap.add_argument("--work", type=Path, help="a folder with the benchmark's built model (built there if empty)")
    ap.add_argument("--beams", type=int, default=1)
    ap.add_argument("--sentences", type=int, default=64)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--budget", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    # translate_speed's sources() and steps read these.
    args.src_len, args.gen_len, args.shortlist_size, args.quick = 40, 48, 24000, False
    args.one_at_a_time, args.batch_size, args.batches = 4, 32, 2
    if args._child:
        return child(args)

    own = args.work is None
    args.work = args.work or Path(tempfile.mkdtemp(prefix="toolkit-profile-"))
    args.work.mkdir(parents=True, exist_ok=True)
    perf = shutil.which("perf")
    if not perf:
        print("perf not found (apt install linux-perf): timings only", flush=True)
    try:
        if not (args.work / "ct2" / "model.bin").exists():
            print(f"building the 600M architecture in {args.work} ...", flush=True)
            ts._sub(args, args.work, "build")
            ts._sub(args, args.work, "convert")
        results = []
        with tempfile.TemporaryDirectory() as tmp:
            for budget in (int(b) for b in args.budgets.split(",")):
                print(f"budget {budget} ...", flush=True)
                results.append(profile_budget(args, budget, perf, Path(tmp)))
    finally:
        if own:
            shutil.rmtree(args.work, ignore_errors=True)
    gemm = gemm_by_rows()
    base = results[0]["tokens_per_s"]
    print(f"\n{args.sentences} sentences, beam {args.beams}, {args.threads} threads")
    for r in results:
        r["vs_first"] = round(r["tokens_per_s"] / base, 2)
        print(
            f"budget {r['budget']:5d}: {r['hypotheses_per_chunk']} hypotheses per replica, "
            f"{r['tokens_per_s']:.1f} tok/s ({r['vs_first']:.2f}x), peak {r['peak_rss_mb']:.0f} MB"
        )
        if "shares" in r:
            print("   " + ", ".join(f"{k} {v:.1f}%" for k, v in r["shares"].items()))
    print("\nint8 GEMM GOPS, one thread, 1024 x 4096 weights, by rows (hypotheses per replica):")
    for row in gemm:
        print(f"  {row['rows']:4d} rows: cached {row['cached']:6.1f}, streamed {row['streamed']:6.1f}")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "gemm_by_rows": gemm}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
