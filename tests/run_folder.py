"""Run folders for tests, written as ``toolkit translate`` writes them.

``bitext.jsonl`` from the records given and ``run.json`` from a
``toolkit.run.RunInfo`` with a ``Provenance`` (``write_run_info``), so that
a test reads exactly what the toolkit itself produces, never a hand-made
``run.json``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from toolkit import __version__
from toolkit.records import BitextRecord
from toolkit.run import Provenance, RunInfo, RunPaths, write_run_info

FIXTURE_MODEL = "tests/fixture-copy-model"


def run_info(name: str, targets: Sequence[str], model: str = FIXTURE_MODEL, src_lang: str = "auto") -> RunInfo:
    """The ``RunInfo`` of a run made by a model that copies its input (what the fixtures' records hold)."""
    prov = Provenance(
        engine="hf",
        model=model,
        model_hash="0" * 16,
        compute_type="float32",
        settings={"num_beams": 1, "no_repeat_ngram_size": 0},
        versions={"toolkit": __version__},
    ).with_languages(src_lang, list(targets))
    return RunInfo(name=name, targets=list(targets), provenance=prov, src_lang=src_lang)


def write_run(
    path: Path, records: Iterable[BitextRecord], targets: Sequence[str], model: str = FIXTURE_MODEL, name: str = ""
) -> Path:
    """A finished run folder at ``path``: ``bitext.jsonl`` and ``run.json`` (named after the folder by default)."""
    path.mkdir(parents=True, exist_ok=True)
    paths = RunPaths(path)
    with paths.bitext.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(r.to_json() + "\n")
    write_run_info(path, run_info(name or path.name, targets, model))
    return path
