"""The ML backend's figures: /predict latency, annotation-to-served-model time, memory.

    OMP_NUM_THREADS=1 nice .venv/bin/python benchmarks/backend_latency.py \\
        [--predictions 1000] [--train-sentences 2000] [--debounce 0] [--json OUT.json]

Data: the Indonesian corpora of ``../shared/external-ner`` (idner-news-2k,
then NERGrit; read from its ``exports/`` or built into a temporary folder by
its ``prepare.py --out``; nothing is written into the checkout). The base CRF
is trained (``train_extractor``, default settings) on the first
``--train-sentences`` train sentences, which are also the backend's ``--seed``
export, so a retrain fits that many sentences plus the new annotation.

1. **/predict latency**: ``toolkit serve`` runs as a real process (uvicorn,
   loopback); one task per request (an Indonesian test sentence as the source
   and an English translation, the toolkit's labeling config for one target),
   ``--predictions`` requests after 20 warm-up ones; p50/p95/max of the
   client-side wall time (HTTP included).
2. **memory**: the server process's resident memory (psutil) after the
   warm-up and after every 100 predictions.
3. **annotation -> served model**: the backend's own app and learner
   (in-process, its worker thread running as under ``toolkit serve``) get
   an ``ANNOTATION_CREATED`` webhook; the time until ``/setup`` answers the
   new version: pull (a file-backed stand-in for Label Studio's export of
   one task: the end-to-end test, tests/test_backend_e2e.py, prints the time
   against the real server), debounce, the retrain process (import, read,
   fit, save), load and swap; and the retrain process's CPU seconds, which
   say what the wall time would be on an idle core (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "external-ner"
CORPORA = ("id-idner", "id-nergrit")
ENGLISH = "Mr. Joko Widodo visited the Ministry of Health in Jakarta with 12 officials on Monday."


class BenchmarkError(RuntimeError):
    pass


def exports(tmp: Path) -> Path:
    have = SHARED / "exports"
    if all((have / f"{c}-{s}.json").is_file() for c in CORPORA for s in ("train", "test")):
        return have
    out = tmp / "exports"
    done = subprocess.run(
        [sys.executable, str(SHARED / "prepare.py"), "--out", str(out)], capture_output=True, text=True, check=False
    )
    if done.returncode or not all((out / f"{c}-train.json").is_file() for c in CORPORA):
        raise BenchmarkError(f"prepare.py --out {out} failed: {done.stderr.strip()[-300:]}")
    return out


def load_tasks(folder: Path, split: str, n: int) -> list[dict[str, Any]]:
    """The first ``n`` tasks of the corpora's ``split``, numbered anew: each export counts its ids from 1,
    and the export reader pools tasks that share an id."""
    tasks: list[dict[str, Any]] = []
    for c in CORPORA:
        tasks += json.loads((folder / f"{c}-{split}.json").read_text(encoding="utf-8"))
    tasks = tasks[:n]
    for i, task in enumerate(tasks, 1):
        task["id"] = i
        for ann in task.get("annotations") or []:
            ann["task"] = i
    return tasks


class ExportFile:
    """Label Studio's export of given task ids, answered from a list of tasks (see the module doc)."""

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        self.tasks = {t["id"]: t for t in tasks}

    def export_to(self, project_id: int, path: Path, all_tasks: bool = False, ids=None) -> None:
        Path(path).write_text(json.dumps([self.tasks[i] for i in ids if i in self.tasks]), encoding="utf-8")

    def iter_export(self, path: Path):
        yield from json.loads(Path(path).read_text(encoding="utf-8"))

    def task_ids(self, project_id: int) -> list[int]:
        return []

    def retrieve_predictions(self, project_id: int, task_ids) -> None:
        pass


def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 (loopback)
        return json.loads(r.read())


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def predict_latency(model: Path, tmp: Path, tests: list[dict[str, Any]], n: int) -> dict[str, Any]:
    from toolkit.studio.config import labeling_config

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "serve", str(model), "--port", str(port), "--data", str(tmp / "serve")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/health", timeout=2).read()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise BenchmarkError("toolkit serve did not start") from None
                time.sleep(0.2)
        config = labeling_config(["eng_Latn"])
        server = psutil.Process(proc.pid)

        def task(i: int) -> dict[str, Any]:
            src = tests[i % len(tests)]["data"]
            data = {"key": f"b{i}", "src": src["src"], "src_lang": src["src_lang"], "mt_eng_Latn": ENGLISH}
            data["langs"] = {"src": src["src_lang"], "mt_eng_Latn": "eng_Latn"}
            return {"id": i, "data": data}

        for i in range(20):
            post(f"{url}/predict", {"tasks": [task(i)], "label_config": config})
        rss = [server.memory_info().rss]
        times = []
        for i in range(n):
            t0 = time.perf_counter()
            got = post(f"{url}/predict", {"tasks": [task(20 + i)], "label_config": config})
            times.append(time.perf_counter() - t0)
            assert len(got["results"]) == 1
            if (i + 1) % 100 == 0:
                rss.append(server.memory_info().rss)
    finally:
        proc.terminate()
        proc.wait(30)
    ms = sorted(t * 1000 for t in times)
    return {
        "requests": n,
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
        "max_ms": round(ms[-1], 1),
        "rss_mb_every_100": [round(r / 2**20, 1) for r in rss],
        "rss_growth_mb": round((rss[-1] - rss[0]) / 2**20, 1),
    }


def annotation_to_model(model: Path, tmp: Path, seed: Path, new_task: dict[str, Any], debounce: float) -> dict:
    import resource

    from starlette.testclient import TestClient

    from toolkit.backend.app import create_app
    from toolkit.backend.home import Home
    from toolkit.backend.learner import Learner
    from toolkit.figures import extract_figures

    studio = ExportFile([new_task])
    learner = Learner(Home(tmp / "learn"), model, client=lambda: studio, debounce=debounce, seed_exports=[seed])
    app = create_app(learner, extract_figures)
    with TestClient(app) as client:  # its lifespan runs the learner's thread, as toolkit serve does
        old = client.post("/setup", json={}).json()["model_version"]
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        hook = {"action": "ANNOTATION_CREATED", "annotation": {"id": 1, "task": new_task["id"]}, "project": {"id": 1}}
        assert client.post("/webhook", json=hook).status_code == 200
        answered = time.perf_counter() - t0
        while client.post("/setup", json={}).json()["model_version"] == old:
            if time.perf_counter() - t0 > 1800:
                raise BenchmarkError(f"no new model within 30 minutes: {learner.health()}")
            time.sleep(0.05)
        total = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the retrain process, once waited for
        last = learner.health()["last_retrain"]
    return {
        "webhook_answer_ms": round(answered * 1000, 1),
        "seconds": round(total, 1),
        "debounce_s": debounce,
        "retrain_process_s": last["seconds"],
        # CPU seconds of the retrain process: what the wall time would be on an idle core
        "retrain_cpu_s": round(cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime, 1),
        "texts": json.loads((Path(last["folder"]) / "provenance.json").read_text())["texts"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--predictions", type=int, default=1000)
    ap.add_argument("--train-sentences", type=int, default=2000)
    ap.add_argument("--debounce", type=float, default=0.0, help="the learner's debounce (toolkit serve's default is 5)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    from toolkit.extractor.train import train_extractor
    from toolkit.studio.export import read_export

    with tempfile.TemporaryDirectory(prefix="backend-bench-") as t:
        tmp = Path(t)
        folder = exports(tmp)
        train = load_tasks(folder, "train", args.train_sentences)
        tests = load_tasks(folder, "test", 2000)
        seed = tmp / "seed.json"
        seed.write_text(json.dumps(train), encoding="utf-8")
        records, _ = read_export(seed, ["PER", "ORG", "LOC"])
        t0 = time.perf_counter()
        model = train_extractor(records, tmp / "crf", eval_fraction=0.0).path
        base_train = time.perf_counter() - t0
        out: dict[str, Any] = {
            "machine": f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f} at start",
            "train_sentences": len(train),
            "base_train_s": round(base_train, 1),
        }
        out["predict"] = predict_latency(model, tmp, tests, args.predictions)
        print(json.dumps(out["predict"]), flush=True)
        new = json.loads(json.dumps(tests[0]))  # a test sentence, newly annotated
        new["id"] = 987654
        for ann in new["annotations"]:
            ann["task"] = new["id"]
        out["annotation_to_model"] = annotation_to_model(model, tmp, seed, new, args.debounce)
        out["machine"] += f", {os.getloadavg()[0]:.1f} at end"
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
