"""Helpers shared by the end-to-end tests: run the real CLI, read a run's outputs, label a task."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
# What a resumed run must reproduce byte for byte (run.json holds timings).
OUTPUTS = ("bitext.jsonl", "translations", "tmx")


def cli(*args: str, env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    """``python -m toolkit ARGS`` in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def output_bytes(run: Path) -> dict[str, bytes]:
    """Every output file of a run folder, by relative path."""
    out = {}
    for name in OUTPUTS:
        p = run / name
        files = [p] if p.is_file() else sorted(q for q in p.rglob("*") if q.is_file())
        for f in files:
            out[str(f.relative_to(run))] = f.read_bytes()
    return out


def label_region(text: str, sub: str, label: str, to_name: str = "src") -> dict:
    """A Label Studio labels region over the first ``sub`` in ``text``, as an
    annotator's submission carries it (offsets in code points)."""
    start = text.index(sub)
    return {
        "from_name": f"{to_name}_labels",
        "to_name": to_name,
        "type": "labels",
        "value": {"start": start, "end": start + len(sub), "text": sub, "labels": [label]},
    }
