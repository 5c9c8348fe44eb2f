"""benchmarks/ner_external.py end to end on a slice of one external corpus, read from ../shared (issue 22)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "external-ner"


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "prepare.py").is_file(), reason="../shared/external-ner is not here")
def test_benchmark_on_a_slice(tmp_path):
    out = tmp_path / "bench.json"
    before = set(REPO.rglob("*-train.json"))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    cmd = [
        sys.executable,
        "benchmarks/ner_external.py",
        "--corpora",
        "id-idner",
        "--limit",
        "120",
        "--skip-peers",
        "--before",
    ]
    done = subprocess.run(
        [*cmd, "--json", str(out)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {r["system"]: r for r in json.loads(out.read_text())["results"]}
    assert set(rows) == {"rules", "crf", "crf-issue14"}
    for r in rows.values():
        assert r["corpus"] == "id-idner" and r["train_texts"] == 120 and r["test_texts"] == 120
        assert 0.0 <= r["precision"] <= 1.0 and 0.0 <= r["f1"] <= 1.0
        assert set(r["per_label"]) <= {"PER", "ORG", "LOC"}
        assert r["peak_mb"] > 0 and r["tag_per_second"] > 0 and r["start_seconds"] >= 0
    # 120 labelled sentences teach the CRF something the rules alone do not find
    assert rows["crf"]["f1"] > 0.3 and rows["crf"]["f1"] > rows["rules"]["f1"]
    assert rows["crf"]["train_seconds"] > 0 and rows["rules"]["train_seconds"] == 0
    assert "### id-idner" in done.stdout and "| crf |" in done.stdout and "mean" in done.stdout
    # the exports were built in a temporary folder (or read from ../shared), never into the checkout
    assert set(REPO.rglob("*-train.json")) == before


def test_unknown_corpus_is_a_usage_error():
    done = subprocess.run(
        [sys.executable, "benchmarks/ner_external.py", "--corpora", "xx-none"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "unknown corpora" in done.stderr
