"""Peak memory of the evaluation's document contexts on a large synthetic export (issue 16).

    .venv/bin/python benchmarks/train_memory.py --tasks 20000 --docs 3 [--old]

Builds ``--tasks`` labelled texts over ``--docs`` documents from
``tests/extractor_synthetic.py`` and runs ``evaluate_extractor`` with an
extractor that reads every context it is given (its length) and predicts
nothing, so what is measured is the contexts, not a model. ``--old`` uses
the former ``doc_contexts`` (a list of every record's context, joined up
front) to show what it cost. Prints the peak resident memory (ru_maxrss).
Run it under ``/usr/bin/time -v`` for the same figure from outside.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from extractor_synthetic import make_records  # noqa: E402

from toolkit.extractor import evaluation  # noqa: E402
from toolkit.extractor.base import Extractor  # noqa: E402


class ContextReader(Extractor):
    backend = "benchmark"

    def __init__(self) -> None:
        super().__init__(["PER", "LOC", "ORG"])
        self.chars = 0

    def fit(self, records, *, seed=0, progress=None) -> None:
        raise NotImplementedError

    def predict(self, text, lang, context=None):
        self.chars += len(context or "")
        return []

    def _save_files(self, path) -> None:
        raise NotImplementedError

    def _load_files(self, path) -> None:
        raise NotImplementedError


def old_evaluate(extractor, records):
    """The code before issue 16, kept here only to measure it."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_doc[r.doc].append(i)
    contexts = ["\n".join(records[j].text for j in by_doc[r.doc] if j != i) for i, r in enumerate(records)]
    return extractor.predict_many([(r.text, r.lang, c) for r, c in zip(records, contexts, strict=True)])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=20000)
    ap.add_argument("--docs", type=int, default=3)
    ap.add_argument("--old", action="store_true")
    a = ap.parse_args()
    records = [replace(r, doc=f"doc{i % a.docs}") for i, r in enumerate(make_records(a.tasks, seed=0))]
    chars = sum(len(r.text) for r in records)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    ext = ContextReader()
    t0 = time.perf_counter()
    if a.old:
        old_evaluate(ext, records)
    else:
        evaluation.score_spans = lambda *x, **k: {}  # the scorer is not what is measured
        evaluation.evaluate_extractor(ext, records)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{'old' if a.old else 'new'}: {a.tasks} texts over {a.docs} documents, {chars / 1e6:.1f} M chars; "
        f"contexts read {ext.chars / 1e9:.2f} G chars in {time.perf_counter() - t0:.1f} s; "
        f"peak RSS {peak / 1024:.0f} MiB (before evaluating {base / 1024:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
