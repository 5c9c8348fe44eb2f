"""A local ``evaluate`` metric wrapping seqeval (the hub cannot be reached).

    import evaluate
    from toolkit.extractor.metrics import SEQEVAL_PATH
    metric = evaluate.load(SEQEVAL_PATH)
    metric.compute(predictions=[["B-PER", "O"]], references=[["B-PER", "O"]])

Strict entity-level scores (seqeval ``mode="strict"``, IOB2): an entity
counts only when its label and both boundaries match. Returns per-label
precision/recall/f1/number and overall micro precision/recall/f1/accuracy.
"""

from __future__ import annotations

import warnings

import datasets
import evaluate

_DESCRIPTION = "Entity-level precision, recall and F1 (seqeval), strict IOB2 by default."
_KWARGS = """
predictions: list of lists of BIO tags; references: the same shape.
mode: "strict" (default) or "default" (seqeval's conlleval-like lenient mode).
zero_division: value when a ratio is 0/0 (default 0).
"""


class SeqevalMetric(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="seqeval: https://github.com/chakki-works/seqeval",
            inputs_description=_KWARGS,
            features=datasets.Features(
                {
                    "predictions": datasets.Sequence(datasets.Value("string", id="label"), id="sequence"),
                    "references": datasets.Sequence(datasets.Value("string", id="label"), id="sequence"),
                }
            ),
        )

    def _compute(self, predictions, references, mode: str = "strict", zero_division: int = 0):
        from seqeval.metrics import accuracy_score, classification_report
        from seqeval.scheme import IOB2

        kw = {"mode": "strict", "scheme": IOB2} if mode == "strict" else {}
        with warnings.catch_warnings():  # numpy warns on labels with no entities at all
            warnings.simplefilter("ignore")
            report = classification_report(
                y_true=references, y_pred=predictions, output_dict=True, zero_division=zero_division, **kw
            )
        out = {}
        for label, s in report.items():
            if label in ("micro avg", "macro avg", "weighted avg"):
                continue
            out[label] = {
                "precision": float(s["precision"]),
                "recall": float(s["recall"]),
                "f1": float(s["f1-score"]),
                "number": int(s["support"]),
            }
        micro = report.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0})
        out["overall_precision"] = float(micro["precision"])
        out["overall_recall"] = float(micro["recall"])
        out["overall_f1"] = float(micro["f1-score"])
        out["overall_accuracy"] = float(accuracy_score(y_true=references, y_pred=predictions))
        return out
