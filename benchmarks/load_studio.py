"""Load test: push 20,000 tasks to a local Label Studio and pull them back.

Too slow for CI; run it by hand and quote the result in RELIABILITY.md:

    .venv/bin/python benchmarks/load_studio.py                 # 20,000 tasks
    .venv/bin/python benchmarks/load_studio.py --tasks 2000    # a quick look
    .venv/bin/python benchmarks/load_studio.py --database postgres   # on a throwaway PostgreSQL
    TOOLKIT_PG_PASSWORD=... .venv/bin/python benchmarks/load_studio.py --database postgresql://USER@HOST:PORT/DB

``--database``: ``sqlite`` (the default, in the data folder), ``postgres``
(a throwaway PostgreSQL of its own: tests/postgres_server.py, initdb and
pg_ctl in a temporary folder, stopped at the end) or the URL of an empty
PostgreSQL database (its password from $TOOLKIT_PG_PASSWORD or $PGPASSWORD).

It starts a Label Studio of its own (``toolkit.studio.server``, a temporary
data folder, a free loopback port), writes a run folder of N records, and
runs, each in a subprocess whose resident memory is sampled every 0.2 s:

1. `toolkit push` through a loopback proxy that forwards everything
   (tests/proxy.py), to record the size of every request: batches must keep
   each one under the server's limit (Django's DATA_UPLOAD_MAX_MEMORY_SIZE,
   250 MB in Label Studio 1.23);
2. `toolkit push` again (nothing to add: every task is skipped);
3. the pull of every task: ``pull_project(all_tasks=True)``, the same
   streaming path as `toolkit pull`, which itself exports only annotated
   tasks;
4. `toolkit pull` of the annotated ones, after 200 tasks were labelled
   through the API.

It then checks that the project holds every task exactly once.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from helpers import label_region  # noqa: E402
from proxy import FaultProxy  # noqa: E402
from run_folder import run_info  # noqa: E402

from toolkit.records import BitextRecord  # noqa: E402
from toolkit.run import write_run_info  # noqa: E402
from toolkit.studio import database, server  # noqa: E402

TARGETS = ["eng_Latn", "vie_Latn"]
LS_LIMIT = 250 * 1024 * 1024

PULL_ALL = """
import json, sys
from toolkit.studio.pull import pull_project
s = pull_project(sys.argv[2], sys.argv[3], data_dir=sys.argv[1], timeout=600, all_tasks=True)
print(json.dumps({"tasks": s.tasks, "good": s.written, "bad": len(s.bad_tasks)}))
"""


def make_run(path: Path, n: int) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    with (path / "bitext.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(n):
            src = (
                f"Komite Partai Distrik Nui Thanh mengadakan {i + 1} konferensi dialog dengan rakyat di provinsi "
                f"Quang Nam pada tahun {2000 + i % 25}, dan menyelesaikan {i % 97} persen aspirasi."
            )
            eng = (
                f"The Nui Thanh District Party Committee held {i + 1} dialogue conferences with the people of "
                f"Quang Nam province in {2000 + i % 25}, and resolved {i % 97} percent of the petitions."
            )
            rec = BitextRecord(
                id=f"doc{i // 40:04d}.txt#p{i % 40}s0",
                doc=f"doc{i // 40:04d}.txt",
                para=i % 40,
                idx=0,
                src_lang="ind_Latn",
                src=src,
                src_start=0,
                src_end=len(src),
                mt={"eng_Latn": eng, "vie_Latn": eng},
            )
            fh.write(rec.to_json() + "\n")
    write_run_info(path, run_info(path.name, TARGETS, model="load-benchmark"))  # as `toolkit translate` writes it
    return path


def measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, float, float]:
    """(completed process, seconds, peak RSS in MB) of a subprocess."""
    t0 = time.monotonic()
    proc = subprocess.Popen(
        cmd, cwd=REPO, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, ps.memory_info().rss)
        time.sleep(0.2)
    out, err = proc.communicate()
    done = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[2:5])} failed ({proc.returncode}): {err[-2000:]}")
    return done, time.monotonic() - t0, peak / 2**20


def server_rss(pid: int) -> float:
    p = psutil.Process(pid)
    return sum(q.memory_info().rss for q in [p, *p.children(recursive=True)]) / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=20000)
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--database", default="sqlite", help="sqlite, postgres (a throwaway one) or postgresql://...")
    a = ap.parse_args()
    results: dict = {"tasks": a.tasks, "batch_size": a.batch_size}
    for k in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"):
        os.environ.pop(k, None)
    with tempfile.TemporaryDirectory(prefix="load-studio-") as tmp, the_database(a.database) as (db, pg):
        tmp_path = Path(tmp)
        data_dir = tmp_path / "studio"
        password = pg.password if pg else None
        info = server.start(
            port=server.free_port(), data_dir=data_dir, timeout=900, database=db, database_password=password
        )
        results["database"] = "postgres (throwaway)" if pg else info.database
        print(f"Label Studio started in {info.seconds:.0f}s on {info.url}, database {info.database}", flush=True)
        try:
            run = make_run(tmp_path / "run", a.tasks)
            results["bitext_mb"] = round((run / "bitext.jsonl").stat().st_size / 2**20, 1)
            results["push"] = push_through_proxy(run, info, a.tasks, a.batch_size, tmp_path)
            results.update(push_again_and_pull_all(run, data_dir, a.tasks, tmp_path))
            results.update(annotate_and_pull(data_dir, tmp_path))
            results["server_rss_mb_end"] = round(server_rss(info.pid), 1)
            if pg:
                results["postgres_rss_mb_end"] = round(server_rss(pg.pid), 1)  # shared buffers count once per process
        finally:
            server.stop(data_dir)
    print(json.dumps(results, indent=2))
    if a.json:
        a.json.write_text(json.dumps(results, indent=2) + "\n")


@contextlib.contextmanager
def the_database(spec: str):
    """(Database or None for SQLite, the ThrowawayPostgres or None) for ``--database``."""
    if spec != "postgres":
        yield (database.parse_url(spec), None)
        return
    from postgres_server import ThrowawayPostgres

    with ThrowawayPostgres() as pg:
        yield (pg.create_database("load"), pg)


def push_through_proxy(run: Path, info: server.ServerInfo, tasks: int, batch_size: int, tmp_path: Path) -> dict:
    """The first push, through a recording proxy: time, memory, request sizes."""
    creds = server.read_credentials(info.data_dir)
    with FaultProxy(info.port) as proxy:
        env = {"LABEL_STUDIO_URL": proxy.url, "LABEL_STUDIO_API_KEY": creds.token}
        p, secs, peak = measured(
            [sys.executable, "-m", "toolkit", "push", str(run), "--project", "load", "--batch-size", str(batch_size)]
            + ["--config-dir", str(tmp_path)],
            env,
        )
        imports = [e for e in proxy.log if e.method == "POST" and "/import" in e.path]
        biggest = max(e.body_bytes for e in proxy.log)
    got = {
        "seconds": round(secs, 1),
        "tasks_per_s": round(tasks / secs, 1),
        "peak_rss_mb": round(peak, 1),
        "requests": len(proxy.log),
        "import_requests": len(imports),
        "largest_request_kb": round(biggest / 1024, 1),
        "server_limit_mb": LS_LIMIT // 2**20,
        "server_rss_mb": round(server_rss(info.pid), 1),
        "stderr": p.stderr.strip().splitlines()[-1],
    }
    print("push:", got, flush=True)
    assert biggest < LS_LIMIT
    return got


def push_again_and_pull_all(run: Path, data_dir: Path, tasks: int, tmp_path: Path) -> dict:
    """A second push (nothing new) and an export of every task."""
    py, dd = sys.executable, ["--data-dir", str(data_dir)]
    p, secs, peak = measured(
        [py, "-m", "toolkit", "push", str(run), "--project", "load", "--config-dir", str(tmp_path), *dd]
    )
    again = {"seconds": round(secs, 1), "peak_rss_mb": round(peak, 1), "stderr": p.stderr.strip()}
    print("push again:", again, flush=True)
    assert f"added 0, skipped {tasks}" in p.stderr

    out = tmp_path / "all.json"
    p, secs, peak = measured([py, "-c", PULL_ALL, str(data_dir), "load", str(out)])
    pulled = {
        "seconds": round(secs, 1),
        "peak_rss_mb": round(peak, 1),
        "export_mb": round(out.stat().st_size / 2**20, 1),
        **json.loads(p.stdout),
    }
    print("pull (all tasks):", pulled, flush=True)
    keys = [t["data"]["key"] for t in json.loads(out.read_text("utf-8"))]
    assert len(keys) == tasks == len(set(keys)), "a task is missing or doubled"
    return {"push_again": again, "pull_all": pulled}


def annotate_and_pull(data_dir: Path, tmp_path: Path) -> dict:
    """200 annotations through the API, then `toolkit pull` of the annotated tasks."""
    from label_studio_sdk import LabelStudio

    creds = server.read_credentials(data_dir)
    ls = LabelStudio(base_url=creds.url, api_key=creds.token, timeout=600)
    (proj,) = [x for x in ls.projects.list(title="load") if x.title == "load"]
    t0 = time.monotonic()
    for n, t in enumerate(ls.tasks.list(project=proj.id, fields="task_only", page_size=200)):
        if n >= 200:
            break
        ls.annotations.create(id=t.id, result=[label_region(t.data["src"], "Nui Thanh", "LOC")])
    annotate_s = round(time.monotonic() - t0, 1)
    p, secs, peak = measured(
        [sys.executable, "-m", "toolkit", "pull", "--project", "load", "--out", str(tmp_path / "ann.json")]
        + ["--data-dir", str(data_dir)]
    )
    pulled = {"seconds": round(secs, 1), "peak_rss_mb": round(peak, 1), "stderr": p.stderr.strip().splitlines()[-1]}
    print("pull (annotated):", pulled, flush=True)
    return {"annotate_200_s": annotate_s, "pull_annotated": pulled}


if __name__ == "__main__":
    main()
