"""benchmarks/translate_speed.py --quick: the script runs end to end, reports
what it promises, and leaves no temporary files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.e2e
def test_quick_benchmark_runs_and_writes_json(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "speed.json"
    p = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "translate_speed.py"),
            "--quick",
            "--json",
            str(out),
            "--workdir",
            str(work),
            "--threads",
            "1",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    data = json.loads(out.read_text())
    names = [r["name"] for r in data["results"]]
    assert names == [
        "transformers_one_at_a_time",
        "transformers_batch32",
        "toolkit_default",
        "toolkit_no_shortlist",
    ]
    gen = data["setup"]["gen_len"]
    for r in data["results"]:
        assert r["tokens_per_s"] > 0 and r["sentences_per_s"] > 0 and r["peak_rss_mb"] > 0
        # exactly gen_len tokens per sentence, in every configuration
        assert r["tokens"] == r["sentences"] * gen, r
    assert set(data["ratios"]) >= {"vs_transformers_batch32", "vs_transformers_one_at_a_time"}
    assert data["ratios"]["vs_transformers_batch32"] > 0 and "ratios_no_shortlist" in data
    default = data["results"][2]
    assert default["threads"] == 1 and default["replicas"] == 1 and default["vmap_retries"] == 0
    assert "x transformers one at a time" in p.stdout
    assert list(work.iterdir()) == []  # the temporary model is gone
