"""The local seqeval metric loads through `evaluate` offline and scores strictly."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from toolkit.extractor.metrics import SEQEVAL_PATH


def test_loads_offline_and_scores():
    code = (
        "import json, evaluate\n"
        f"m = evaluate.load({SEQEVAL_PATH!r})\n"
        "r = m.compute(predictions=[['B-PER','I-PER','O','B-LOC'], ['B-ORG','O']],"
        " references=[['B-PER','I-PER','O','B-ORG'], ['B-ORG','I-ORG']])\n"
        "print(json.dumps(r))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_EVALUATE_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    assert r["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "number": 1}
    # strict: B-ORG for a two-token ORG is wrong
    assert r["ORG"]["number"] == 2 and r["ORG"]["recall"] == 0.0
    assert abs(r["overall_precision"] - 1 / 3) < 1e-9 and abs(r["overall_recall"] - 1 / 3) < 1e-9


def test_strict_vs_default_mode():
    from toolkit.extractor.metrics import load_seqeval

    m = load_seqeval()
    refs, preds = [["B-LOC", "I-LOC"]], [["I-LOC", "I-LOC"]]
    assert m.compute(predictions=preds, references=refs)["overall_f1"] == 0.0
    assert m.compute(predictions=preds, references=refs, mode="default")["overall_f1"] == 1.0
