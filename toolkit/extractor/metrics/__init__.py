"""Local ``evaluate`` metric modules (loadable offline with ``evaluate.load(path)``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

SEQEVAL_PATH = str(Path(__file__).resolve().parent / "seqeval_metric")


@lru_cache(maxsize=1)
def load_seqeval():
    """The local seqeval metric, loaded through ``evaluate`` (no network)."""
    import evaluate

    return evaluate.load(SEQEVAL_PATH)
