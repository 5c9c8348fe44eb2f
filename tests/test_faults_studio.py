"""Faults between the toolkit and Label Studio, caused for real.

- a loopback proxy (tests/proxy.py) in front of the session's real server
  answers some requests with 500s, loses the answer of others after the
  server did the work, stalls one past the client's timeout and drops
  connections: push and pull finish with every task exactly once;
- a proxy that stops answering makes `toolkit push` stop with one clear
  line within a bounded time, and the next push repairs the half import;
- a Label Studio of this test's own is killed (SIGKILL) in the middle of
  `toolkit push`, restarted on the same data folder, and the push run again:
  every task is there exactly once.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from helpers import REPO, cli, label_region
from label_studio_sdk import LabelStudio
from proxy import FaultProxy, wait_until
from run_folder import run_info

from toolkit.extractor.rules import RuleGuesser
from toolkit.figures import extract_figures
from toolkit.records import BitextRecord
from toolkit.run import write_run_info
from toolkit.studio import server
from toolkit.studio.pull import pull_project
from toolkit.studio.push import push_run

pytestmark = [pytest.mark.e2e, pytest.mark.studio]

TARGETS = ["eng_Latn", "vie_Latn"]


def make_run(path: Path, n: int, doc: str = "load") -> Path:
    """A run folder of ``n`` short Indonesian sentences with copied "translations"."""
    path.mkdir(parents=True, exist_ok=True)
    with (path / "bitext.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(n):
            src = f"Komite Distrik Nui Thanh mengadakan {i + 1} konferensi di Quang Nam."
            rec = BitextRecord(
                id=f"{doc}{i // 50}.txt#p{i % 50}s0",
                doc=f"{doc}{i // 50}.txt",
                para=i % 50,
                idx=0,
                src_lang="ind_Latn",
                src=src,
                src_start=0,
                src_end=len(src),
                mt={t: src for t in TARGETS},
            )
            fh.write(rec.to_json() + "\n")
    write_run_info(path, run_info(path.name, TARGETS))  # the run.json `toolkit translate` writes
    return path


def sdk(data_dir: str | Path) -> LabelStudio:
    creds = server.read_credentials(data_dir)
    return LabelStudio(base_url=creds.url, api_key=creds.token, timeout=120)


def project_keys(data_dir: str | Path, title: str) -> Counter:
    """Task keys of the project, read from the server directly (not through the proxy)."""
    ls = sdk(data_dir)
    (proj,) = [p for p in ls.projects.list(title=title) if p.title == title]
    return Counter(t.data["key"] for t in ls.tasks.list(project=proj.id, fields="task_only", page_size=500))


def test_push_and_pull_survive_a_faulty_network(studio_server, tmp_path, monkeypatch):
    creds = server.read_credentials(studio_server.data_dir)
    n = 120
    run = make_run(tmp_path / "run", n)
    imports = Counter()

    def schedule(i: int, method: str, path: str) -> str:
        if method == "POST" and "/import" in path:
            imports["n"] += 1
            # the server imports, the answer is lost (502 / dropped / too late)
            return {1: "error_after", 2: "drop", 3: "stall", 5: "error"}.get(imports["n"], "forward")
        return "error" if i % 4 == 0 else "forward"

    with FaultProxy(studio_server.port, schedule, stall_s=6) as proxy:
        monkeypatch.setenv("LABEL_STUDIO_URL", proxy.url)
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", creds.token)
        t0 = time.monotonic()
        s = push_run(
            run,
            "faults-proxy",
            predictor=RuleGuesser(),
            figure_finder=extract_figures,
            config_dir=tmp_path,
            batch_size=10,
            timeout=3,
            retries=4,
        )
        seconds = time.monotonic() - t0
        acts = proxy.actions()
    print(f"\n[faults] push of {n} tasks through the faulty proxy: {seconds:.1f}s, {acts}")
    assert {"error", "error_after", "drop", "stall"} <= set(acts)
    keys = project_keys(studio_server.data_dir, "faults-proxy")
    assert len(keys) == n and set(keys.values()) == {1}, "a task is missing or was imported twice"
    assert s.added + s.skipped <= n  # batches that arrived despite a lost answer are not counted twice

    # Label two tasks, then pull through a proxy that fails every third request.
    ls = sdk(studio_server.data_dir)
    (proj,) = [p for p in ls.projects.list(title="faults-proxy") if p.title == "faults-proxy"]
    tasks = list(ls.tasks.list(project=proj.id, fields="task_only", page_size=5))[:2]
    for t in tasks:
        ls.annotations.create(id=t.id, result=[label_region(t.data["src"], "Nui Thanh", "LOC")])
    with FaultProxy(studio_server.port, lambda i, m, p: "error" if i % 3 == 0 else "forward") as proxy:
        monkeypatch.setenv("LABEL_STUDIO_URL", proxy.url)
        out = tmp_path / "export.json"
        pulled = pull_project("faults-proxy", out, timeout=3, retries=4)
        assert proxy.actions()["error"] >= 2
    assert pulled.written == 2 and not pulled.bad_tasks
    got = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(t["id"] for t in got) == sorted(t.id for t in tasks)


def test_push_stops_clearly_in_bounded_time_and_next_push_repairs(studio_server, tmp_path):
    creds = server.read_credentials(studio_server.data_dir)
    n = 100
    run = make_run(tmp_path / "run", n, doc="bounded")
    imports = Counter()

    def schedule(i: int, method: str, path: str) -> str:
        if method == "POST" and "/import" in path:
            imports["n"] += 1
        # Two batches get through, then the server "hangs": nothing answers any more.
        return "forward" if imports["n"] <= 2 else "stall"

    with FaultProxy(studio_server.port, schedule, stall_s=30) as proxy:
        env = {"LABEL_STUDIO_URL": proxy.url, "LABEL_STUDIO_API_KEY": creds.token}
        t0 = time.monotonic()
        p = cli("push", str(run), "--project", "faults-bounded", "--batch-size", "20", "--timeout", "2", env=env)
        seconds = time.monotonic() - t0
    print(f"\n[faults] push against a hung server stopped after {seconds:.1f}s: {p.stderr.strip()[-300:]}")
    assert p.returncode == 2, p.stderr
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: Label Studio at http://127.0.0.1:"), p.stderr
    assert "timed out" in lines[0] and "Traceback" not in p.stderr
    assert creds.token not in p.stderr + p.stdout
    # per batch: 3 import attempts of <= 2 s, each followed by a re-read of <= 3 x 2 s, plus backoff
    assert seconds < 90

    half = project_keys(studio_server.data_dir, "faults-bounded")
    assert 40 <= len(half) < n and set(half.values()) == {1}
    p = cli("push", str(run), "--project", "faults-bounded", "--batch-size", "20", "--data-dir", studio_server.data_dir)
    assert p.returncode == 0, p.stderr
    assert f"added {n - len(half)}, skipped {len(half)}" in p.stderr
    keys = project_keys(studio_server.data_dir, "faults-bounded")
    assert len(keys) == n and set(keys.values()) == {1}

    # A pull from a server that never answers stops the same way.
    with FaultProxy(studio_server.port, lambda i, m, p: "stall", stall_s=30) as proxy:
        env = {"LABEL_STUDIO_URL": proxy.url, "LABEL_STUDIO_API_KEY": creds.token}
        t0 = time.monotonic()
        out = tmp_path / "pulled.json"
        p = cli("pull", "--project", "faults-bounded", "--out", str(out), "--timeout", "2", env=env)
        seconds = time.monotonic() - t0
    print(f"[faults] pull from a hung server stopped after {seconds:.1f}s: {p.stderr.strip()[-300:]}")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert p.stderr.strip().startswith("error: Label Studio at http://127.0.0.1:") and "not answering" in p.stderr
    assert not out.exists() and seconds < 60


def _task_count(db: Path) -> int:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as con:
            return con.execute("SELECT COUNT(*) FROM task").fetchone()[0]
    except sqlite3.Error:
        return -1


def test_server_killed_mid_push_then_restarted(tmp_path):
    from studio_server import require_server_binary

    require_server_binary()
    data_dir = tmp_path / "own-studio"
    port = server.free_port()
    info = server.start(port=port, data_dir=data_dir, timeout=600)
    n = 1500
    run = make_run(tmp_path / "run", n, doc="killed")
    env = {k: v for k, v in os.environ.items() if k not in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY")}
    try:
        push = subprocess.Popen(
            [sys.executable, "-m", "toolkit", "push", str(run), "--project", "killed", "--batch-size", "25"]
            + ["--data-dir", str(data_dir), "--timeout", "10"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        db = data_dir / "label_studio.sqlite3"
        assert wait_until(lambda: _task_count(db) >= 200 or push.poll() is not None, timeout=300)
        assert push.poll() is None, "the push finished before the server could be killed"
        os.killpg(info.pid, signal.SIGKILL)  # the server and its workers, nothing else
        t_kill = time.monotonic()
        out, err = push.communicate(timeout=300)
        stopped_after = time.monotonic() - t_kill
        print(f"\n[faults] push stopped {stopped_after:.1f}s after the server was killed: {err.strip()[-300:]}")
        assert push.returncode == 2, err
        assert err.strip().splitlines()[-1].startswith("error: Label Studio at") and "Traceback" not in err
        at_kill = _task_count(db)
        assert 0 < at_kill < n

        again = server.start(port=port, data_dir=data_dir, timeout=600)
        assert not again.already_running and not again.first_start
        p = cli("push", str(run), "--project", "killed", "--batch-size", "25", "--data-dir", str(data_dir), env=env)
        assert p.returncode == 0, p.stderr
        print(f"[faults] after restart: {p.stderr.strip()[-200:]}")
        keys = project_keys(data_dir, "killed")
        assert len(keys) == n and set(keys.values()) == {1}, "a task is missing or was imported twice"
    finally:
        server.stop(data_dir)
