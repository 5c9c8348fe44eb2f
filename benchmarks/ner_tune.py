"""Choose the crf's regularisation by cross-validation on the train splits only.

    OMP_NUM_THREADS=1 nice .venv/bin/python benchmarks/ner_tune.py \\
        [--corpora id-idner,nb-norne] [--folds 2] [--grid 0.05:0.05,0.15:0.05] [--json OUT]

Each corpus's train split (``benchmarks/ner_external.py`` builds or finds the
exports) is cut into ``--folds`` folds of documents; for each ``c1:c2`` of
the grid the crf trains on all folds but one and is scored (strict micro F1)
on that one; the table gives the mean over folds per corpus and overall. No
test split is read: what wins here becomes the default that the benchmark
then scores on the test splits.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.ner_external import CORPORA, LABELS, SHARED, exports_dir  # noqa: E402


def cv_f1(records: list, folds: int, settings: dict) -> float:
    from toolkit.extractor.crf import CRFExtractor
    from toolkit.extractor.evaluation import evaluate_extractor

    docs = sorted({r.doc for r in records})
    random.Random(0).shuffle(docs)
    fold_of = {d: i % folds for i, d in enumerate(docs)}
    scores = []
    for k in range(folds):
        ext = CRFExtractor(LABELS, settings)
        ext.fit([r for r in records if fold_of[r.doc] != k])
        scores.append(evaluate_extractor(ext, [r for r in records if fold_of[r.doc] == k])["overall"]["f1"])
    return sum(scores) / len(scores)


def main(argv: list[str] | None = None) -> int:
    from toolkit.studio.export import read_export

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", default="id-idner,nb-norne")
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("--grid", default="0.05:0.05,0.15:0.05,0.05:0.2,0.15:0.2", help="c1:c2 pairs")
    ap.add_argument("--limit", type=int, default=None, help="first N train texts per corpus")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    corpora = [c for c in args.corpora.split(",") if c in CORPORA]
    grid = [tuple(float(x) for x in pair.split(":")) for pair in args.grid.split(",")]
    table: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = exports_dir(SHARED, corpora, Path(tmp))
        for corpus in corpora:
            records, _ = read_export(folder / f"{corpus}-train.json", LABELS)
            records = records[: args.limit] if args.limit else records
            for c1, c2 in grid:
                f1 = cv_f1(records, args.folds, {"c1": c1, "c2": c2})
                table.setdefault(f"{c1}:{c2}", {})[corpus] = round(f1, 4)
                print(f"{corpus} c1={c1} c2={c2}: {args.folds}-fold CV F1 {f1:.3f}", flush=True)
    print("\n| c1:c2 | " + " | ".join(corpora) + " | mean |\n|" + "---|" * (len(corpora) + 2))
    for key, row in table.items():
        mean = sum(row.values()) / len(row)
        print(f"| {key} | " + " | ".join(f"{row[c]:.3f}" for c in corpora) + f" | {mean:.3f} |")
    if args.json:
        args.json.write_text(json.dumps(table, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
