"""Shared fixtures: the tiny NLLB models (built once, cached across sessions),
the seeds translated with the tiny model, and the Label Studio server."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import SEEDS, cli
from studio_server import studio_server  # noqa: F401  (one Label Studio server per test session)

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".cache"
RECIPE = REPO / "models" / "tiny_nllb.py"
HASH_FILE = "recipe.sha256"


def _recipe_hash(copy_trained: bool) -> str:
    return hashlib.sha256(RECIPE.read_bytes() + f"\0copy={copy_trained}".encode()).hexdigest()


def cached_tiny_model(name: str, copy_trained: bool) -> Path:
    """``.cache/<name>``, rebuilt when ``models/tiny_nllb.py`` changed.

    Safe when several test sessions ask at once: the first takes a file lock
    and builds into a temporary folder that is renamed into place; the others
    wait for the lock and then find the finished folder.
    """
    target = CACHE / name
    want = _recipe_hash(copy_trained)

    def ready() -> bool:
        return (target / HASH_FILE).is_file() and (target / HASH_FILE).read_text().strip() == want

    if ready():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if ready():
                return target
            sys.path.insert(0, str(RECIPE.parent))
            import tiny_nllb

            tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=CACHE))
            try:
                tiny_nllb.build_tiny_nllb(tmp, copy_trained=copy_trained, log=lambda *_: None)
                (tmp / HASH_FILE).write_text(want + "\n")
                if target.exists():
                    shutil.rmtree(target)
                tmp.rename(target)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(lock, fcntl.LOCK_UN)
    return target


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
