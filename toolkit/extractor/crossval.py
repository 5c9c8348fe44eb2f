"""Leave-one-document-out evaluation: train on all articles but one, test on
it, each in turn; the predictions of all folds are scored together."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from toolkit.extractor.base import ExtractorError, Progress, backend_class
from toolkit.extractor.evaluation import doc_contexts, score_spans
from toolkit.records import AnnotatedText, Span


def require_documents(records: Sequence[AnnotatedText]) -> list[str]:
    """The documents of ``records``; ``ExtractorError`` when there are fewer than two."""
    docs = sorted({r.doc for r in records})
    if len(docs) < 2:
        held = f"one ({docs[0]})" if docs else "none"
        raise ExtractorError(
            f"leave-one-document-out needs at least two documents and the labelled texts hold {held}; "
            "add an export with other documents or drop --leave-one-doc-out"
        )
    return docs


def leave_one_doc_out(
    records: Sequence[AnnotatedText],
    labels: Sequence[str],
    backend: str = "crf",
    settings: dict[str, Any] | None = None,
    *,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Scores over all held-out documents, plus per-fold F1 and train time.
    Raises ``ExtractorError`` for fewer than two documents."""
    say = progress or (lambda _m: None)
    docs = require_documents(records)
    cls = backend_class(backend)
    contexts = doc_contexts(records)
    predicted: list[list[Span]] = [[] for _ in records]
    folds = []
    for doc in docs:
        train = [r for r in records if r.doc != doc]
        test = [i for i, r in enumerate(records) if r.doc == doc]
        ext = cls(labels, settings)
        t0 = time.perf_counter()
        ext.fit(train, seed=seed)
        secs = time.perf_counter() - t0
        for i in test:
            predicted[i] = ext.predict(records[i].text, records[i].lang, contexts[i])
        fold = score_spans([records[i] for i in test], [predicted[i] for i in test], labels)
        folds.append(
            {
                "doc": doc,
                "f1": fold["overall"]["f1"],
                "number": fold["overall"]["number"],
                "train_seconds": round(secs, 2),
            }
        )
        say(
            f"held out {doc}: F1 {fold['overall']['f1']:.3f} ({fold['overall']['number']} gold spans), trained in {secs:.1f} s"
        )
    out = score_spans(records, predicted, labels)
    out["folds"] = folds
    return out
