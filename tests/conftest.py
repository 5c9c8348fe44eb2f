"""Shared fixtures: the tiny NLLB models (built once, cached across sessions),
the seeds translated with the tiny model, and the Label Studio server."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import SEEDS, cli
from studio_server import studio_server  # noqa: F401  (one Label Studio server per test session)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "models"))
# The tiny models' one cache, shared with `scripts/main_job.sh --model tiny` (built once, not twice).
from tiny_cache import CACHE, cached_tiny_model  # noqa: E402, F401


@pytest.fixture(scope="session")
def tiny_model() -> Path:
    """The tiny NLLB model trained to copy its input (digits and names survive)."""
    return cached_tiny_model("tiny-nllb-copy", copy_trained=True)


@pytest.fixture(scope="session")
def tiny_model_untrained() -> Path:
    """The tiny NLLB model with random weights (seconds to build; output is noise)."""
    return cached_tiny_model("tiny-nllb-untrained", copy_trained=False)


@pytest.fixture(scope="session")
def seeds_run(tiny_model, tmp_path_factory) -> Path:
    """``seeds/`` translated by ``toolkit translate`` with the tiny copy model
    and the default engine, as a user runs it: the run folder the toolkit
    writes (``run.json`` included), never one written by hand. Every seed
    must translate: a skipped one (exit 1) fails here."""
    out = tmp_path_factory.mktemp("runs") / "seeds"
    p = cli("translate", str(SEEDS), "--out", str(out), "--model", str(tiny_model), "--quiet")
    assert p.returncode == 0, p.stderr[-2000:]
    return out
