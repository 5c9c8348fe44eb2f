"""Translation on Ray against the plain run: the same folder, three ways.

For each model, ``toolkit translate`` on the same folder (as a user runs it,
each in its own process tree):

* ``single``: one process, no Ray;
* ``ray_1``: ``--cluster local --workers 1`` (an embedded Ray, one engine actor);
* ``ray_2``: ``--cluster local --workers 2``.

Models: the tiny test model (``.cache/tiny-nllb-copy``, built by the tests)
and, unless ``--quick``, the NLLB-200-distilled-600M architecture with random
weights, built and converted as ``benchmarks/translate_speed.py`` does (its
made-up vocabulary reads real words as ``<unk>``, so the folder is declared
Indonesian into English; random weights decode as fast as trained ones).

Reported: wall seconds (Ray's start included: that is what a user waits),
body sentences per second, Ray's overhead over the plain run, whether the
outputs are the plain run's bytes, and the peak resident memory of each
process, sampled from /proc every 0.2 s with psutil: the driver, each engine
actor, and Ray's own services (GCS, raylet, dashboard agents...) together.
RSS counts pages shared with other processes (the model file mapped by
CTranslate2, Ray's object store) in each of them.

Ray binds to the machine's network address unless it has none (ray#26293):
as root the benchmark re-runs itself in a network namespace with loopback
alone (tests/ray_netns.py), as the tests do; ``--no-netns`` runs it as is.

Usage::

    python benchmarks/cluster_translate.py [--quick] [--json results.json] [--docs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from ray_netns import INSIDE, netns_problem, run_in_netns  # noqa: E402

WAYS = {
    "single": [],
    "ray_1": ["--cluster", "local", "--workers", "1"],
    "ray_2": ["--cluster", "local", "--workers", "2"],
}
OUTPUTS = ("bitext.jsonl", "translations", "tmx")


class PeakSampler(threading.Thread):
    """Peak RSS (MB) of each process under ``root``, by the role it plays."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peaks: dict[int, tuple[str, float]] = {}
        self.done = threading.Event()

    def _role(self, p: psutil.Process) -> str:
        if p.pid == self.root:
            return "driver"
        cmd = " ".join(p.cmdline())
        return "actor" if "Translator" in cmd else "ray_services"

    def run(self) -> None:
        while not self.done.is_set():
            try:
                procs = [psutil.Process(self.root), *psutil.Process(self.root).children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for p in procs:
                try:
                    role, rss = self._role(p), p.memory_info().rss / 2**20
                except psutil.Error:
                    continue
                old = self.peaks.get(p.pid, (role, 0.0))
                # A Ray worker is renamed once it becomes the actor: keep the last role.
                self.peaks[p.pid] = (role if role == "actor" else old[0], max(old[1], rss))
            time.sleep(0.2)

    def report(self) -> dict:
        actors = [round(mb, 1) for role, mb in self.peaks.values() if role == "actor"]
        services = sum(mb for role, mb in self.peaks.values() if role == "ray_services")
        driver = max((mb for role, mb in self.peaks.values() if role == "driver"), default=0.0)
        return {"driver_mb": round(driver, 1), "actors_mb": sorted(actors), "ray_services_mb": round(services, 1)}


def output_bytes(run: Path) -> dict[str, bytes]:
    out = {}
    for name in OUTPUTS:
        p = run / name
        for f in [p] if p.is_file() else sorted(q for q in p.rglob("*") if q.is_file()):
            out[str(f.relative_to(run))] = f.read_bytes()
    return out


def run_way(model: Path, folder: Path, out: Path, lang_args: list[str], way: str) -> dict:
    argv = [sys.executable, "-m", "toolkit", "translate", str(folder), "--out", str(out), "--model", str(model)]
    # --no-repair: repair re-decodes on the driver whichever way the run goes, and
    # random weights fail every check, so it would swamp what is compared here.
    argv += [*lang_args, "--no-shortlist", "--no-repair", "-q", *WAYS[way]]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = PeakSampler(proc.pid)
    sampler.start()
    _, stderr = proc.communicate()
    secs = time.perf_counter() - t0
    sampler.done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{way} failed (exit {proc.returncode}): {stderr[-1500:]}")
    info = json.loads((out / "run.json").read_text())
    body = info["counts"]["body_sentences"]
    row = {"way": way, "seconds": round(secs, 1), "sentences": body, "sentences_per_s": round(body / secs, 2)}
    return row | sampler.report()


def bench_model(name: str, model: Path, folder: Path, lang_args: list[str], work: Path) -> list[dict]:
    rows = []
    for way in WAYS:
        print(f"{name}: {way} ...", file=sys.stderr, flush=True)
        rows.append({"model": name, **run_way(model, folder, work / f"{name}-{way}", lang_args, way)})
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    plain = rows[0]
    want = output_bytes(work / f"{name}-single")
    for r in rows[1:]:
        r["overhead_s"] = round(r["seconds"] - plain["seconds"], 1)
        r["same_bytes"] = output_bytes(work / f"{name}-{r['way']}") == want
    return rows


def build_600m(work: Path) -> Path:
    """The 600M architecture with random weights, converted to int8 (translate_speed's builder)."""
    import translate_speed

    args = argparse.Namespace(quick=False, shortlist_size=2000)
    print("building the NLLB-200-distilled-600M architecture (random weights) ...", file=sys.stderr, flush=True)
    translate_speed.step_build(args, work)
    translate_speed.step_convert(args, work)
    shutil.rmtree(work / "hf")
    return work / "ct2"


def subset(folder: Path, n: int | None, work: Path) -> Path:
    if n is None:
        return folder
    out = work / "input"
    out.mkdir()
    for f in sorted(folder.glob("*.txt"))[:n]:
        shutil.copy(f, out / f.name)
    return out


def table(rows: list[dict]) -> str:
    head = "| model | way | s | sent/s | overhead s | same bytes | driver MB | actors MB | Ray services MB |"
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['way']} | {r['seconds']} | {r['sentences_per_s']} | {r.get('overhead_s', '')} | "
            f"{r.get('same_bytes', '')} | {r['driver_mb']} | {', '.join(map(str, r['actors_mb']))} | "
            f"{r['ray_services_mb']} |"
        )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="the tiny model only (a few minutes)")
    ap.add_argument("--skip-tiny", action="store_true", help="the 600M architecture only")
    ap.add_argument("--model", type=Path, default=REPO / ".cache" / "tiny-nllb-copy")
    ap.add_argument("--input", type=Path, default=REPO / "seeds")
    ap.add_argument("--docs", type=int, default=None, help="600M: only the first N documents (default: all)")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--no-netns", action="store_true", help="do not re-run inside a loopback-only network namespace")
    a = ap.parse_args()
    if not a.no_netns and os.environ.get(INSIDE) != "1" and netns_problem() is None:
        return run_in_netns(
            [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]], timeout=7200, cwd=str(REPO), capture=False
        ).returncode
    if not (a.model / "config.json").is_file():
        raise SystemExit(f"no tiny model at {a.model}: run the tests once (tests/conftest.py builds it)")
    work = Path(tempfile.mkdtemp(prefix="cluster-bench-"))
    load = os.getloadavg()[0]
    try:
        rows = [] if a.skip_tiny else bench_model("tiny", a.model, a.input, ["--to", "eng_Latn,vie_Latn"], work)
        if not a.quick:
            big = build_600m(work / "600m")
            rows += bench_model("600M", big, subset(a.input, a.docs, work), ["--from", "ind", "--to", "eng"], work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {"cpus": os.cpu_count(), "load_before": round(load, 1), "load_after": round(os.getloadavg()[0], 1)}
    result["rows"] = rows
    print(table(rows))
    print(f"{result['cpus']} CPUs, load average {result['load_before']} before, {result['load_after']} after")
    if a.json:
        a.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
