"""Load test: `toolkit translate` over a generated folder of 10,000 sentences with the tiny model.

Too slow for CI; run it by hand and quote the result in RELIABILITY.md:

    .venv/bin/python benchmarks/load_translate.py            # 1,000 then 10,000 sentences
    .venv/bin/python benchmarks/load_translate.py --sizes 10000 --json out.json

For each size it writes a folder of articles (50 sentences each, Indonesian,
Portuguese and Norwegian sentences of the seeds, each made unique by a
number), runs the CLI in a subprocess, samples the resident memory of that
process every 0.2 s, and prints sentences per second and peak memory. Memory
is flat when the peak for 10,000 sentences is close to the peak for 1,000
(the run streams its records; a run held in memory would grow with it).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
LATIN = {
    "000_4c948b14667160bd.txt": "Laporan",
    "001_eb38eec008c21456.txt": "Relatório",
    "002_f8ee477c81dbbf1d.txt": "Rapport",
}
PER_DOC = 50


def seed_sentences() -> dict[str, list[str]]:
    out = {}
    for name, word in LATIN.items():
        text = (SEEDS / name).read_text("utf-8")
        sents = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 40 <= len(s.strip()) <= 300]
        sents = [s for s in sents if "http" not in s and "[" not in s]
        out[word] = sents
    return out


def make_folder(folder: Path, n: int) -> int:
    """``n`` unique sentences in articles of PER_DOC sentences, one language per article."""
    folder.mkdir(parents=True, exist_ok=True)
    pools = seed_sentences()
    words = list(pools)
    written = 0
    doc = 0
    while written < n:
        word = words[doc % len(words)]
        pool = pools[word]
        lines = []
        for k in range(min(PER_DOC, n - written)):
            i = written + k
            lines.append(f"{word} {i + 1}: {pool[i % len(pool)]}")
        # paragraphs of five sentences
        paras = [" ".join(lines[j : j + 5]) for j in range(0, len(lines), 5)]
        (folder / f"doc{doc:05d}.txt").write_text("\n\n".join(paras) + "\n", "utf-8")
        written += len(lines)
        doc += 1
    return doc


def run_once(model: Path, n: int, work: Path, extra: list[str]) -> dict:
    src = work / f"in-{n}"
    docs = make_folder(src, n)
    out = work / f"run-{n}"
    cmd = [
        sys.executable,
        "-m",
        "toolkit",
        "translate",
        str(src),
        "--out",
        str(out),
        "--model",
        str(model),
        "-q",
        *extra,
    ]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    samples: list[tuple[float, int]] = []
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
            samples.append((time.monotonic() - t0, rss))
        except psutil.Error:
            pass
        time.sleep(0.2)
    stdout, stderr = proc.communicate()
    seconds = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"translate failed ({proc.returncode}): {stderr[-2000:]}")
    meta = json.loads((out / "run.json").read_text("utf-8"))
    counts = meta["counts"]
    peak = max(r for _, r in samples)
    # memory over the second half of the run vs the first: flat if close
    half = seconds / 2
    first = max((r for t, r in samples if t <= half), default=0)
    second = max((r for t, r in samples if t > half), default=0)
    return {
        "sentences": counts["body_sentences"],
        "documents": docs,
        "translations": counts["translations"],
        "wall_s": round(seconds, 1),
        "pipeline_s": meta["timing"]["seconds"],
        "sentences_per_s": meta["timing"]["sentences_per_s"],
        "peak_rss_mb": round(peak / 2**20, 1),
        "peak_rss_first_half_mb": round(first / 2**20, 1),
        "peak_rss_second_half_mb": round(second / 2**20, 1),
        "bitext_mb": round((out / "bitext.jsonl").stat().st_size / 2**20, 1),
        "engine": meta["engine"]["engine"],
        "signature": meta["signature"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=REPO / ".cache" / "tiny-nllb-copy")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument(
        "--args",
        default="--engine ctranslate2 --num-beams 1",
        help="extra arguments for `toolkit translate` (default: the fast CTranslate2 engine, greedy)",
    )
    a = ap.parse_args()
    if not a.model.is_dir():
        raise SystemExit(f"no tiny model at {a.model}: run the tests once (tests/conftest.py builds it)")
    results = []
    with tempfile.TemporaryDirectory(prefix="load-translate-") as tmp:
        for n in (int(x) for x in a.sizes.split(",")):
            r = run_once(a.model, n, Path(tmp), a.args.split())
            results.append(r)
            print(
                f"{r['sentences']:>6} sentences ({r['documents']} docs, {r['translations']} translations): "
                f"{r['wall_s']:.1f} s wall, {r['sentences_per_s']:.1f} sentences/s, peak RSS {r['peak_rss_mb']:.0f} MB "
                f"(first half {r['peak_rss_first_half_mb']:.0f} MB, second half {r['peak_rss_second_half_mb']:.0f} MB), "
                f"bitext {r['bitext_mb']:.1f} MB [{r['engine']}]",
                flush=True,
            )
    if a.json:
        a.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
