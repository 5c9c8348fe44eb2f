"""Evaluation contexts stay linear in the export (issue 16).

Each record is scored with "the other texts of its document" as context.
Materialised for every record up front, those strings grew with the square
of a document (71,000 tasks over 7 documents passed 16 GB). The peak memory
of evaluating a document four times as long must now grow about four
times, not sixteen, and the contexts the extractor sees must be unchanged.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Sequence

import pytest

from toolkit.extractor import evaluation
from toolkit.extractor.base import Extractor
from toolkit.extractor.context import DocumentContexts
from toolkit.records import AnnotatedText, Span


class _ContextReader(Extractor):
    """Reads each context it is given (its length), predicts nothing."""

    backend = "test"

    def __init__(self) -> None:
        super().__init__(["PER"])
        self.seen = 0

    def fit(self, records, *, seed=0, progress=None) -> None:  # pragma: no cover - never trained
        raise NotImplementedError

    def predict(self, text: str, lang: str, context: str | None = None) -> list[Span]:
        self.seen += len(context or "")
        return []

    def _save_files(self, path) -> None:  # pragma: no cover
        raise NotImplementedError

    def _load_files(self, path) -> None:  # pragma: no cover
        raise NotImplementedError


def _records(n: int, docs: int = 1) -> list[AnnotatedText]:
    return [
        AnnotatedText(
            text=f"Sentence {i:06d} of the article, about Nguyen Van An and Nui Thanh.",
            lang="eng_Latn",
            spans=[],
            doc=f"doc{i % docs}",
            task_id=i,
        )
        for i in range(n)
    ]


def _peak_evaluating(records: Sequence[AnnotatedText], monkeypatch) -> tuple[int, int]:
    monkeypatch.setattr(evaluation, "score_spans", lambda *a, **k: {})  # the scorer is not what is measured
    ext = _ContextReader()
    tracemalloc.start()
    try:
        evaluation.evaluate_extractor(ext, records)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, ext.seen


def test_evaluation_memory_is_linear_in_the_document(monkeypatch):
    small, large = _records(300), _records(1200)
    peak_small, seen_small = _peak_evaluating(small, monkeypatch)
    peak_large, seen_large = _peak_evaluating(large, monkeypatch)
    # The extractor still saw every other text of the document, each time (quadratic work, by design) ...
    text_len = len(small[0].text) + 1
    assert seen_large == 1200 * (1199 * text_len - 1)
    assert seen_small == 300 * (299 * text_len - 1)
    # ... but never all of those contexts at once: 4 times the texts, about 4 times the memory (was 16).
    assert peak_large < 6 * peak_small, (peak_small, peak_large)
    total = sum(len(r.text) for r in large)
    assert peak_large < 12 * total, (peak_large, total)


@pytest.mark.parametrize("docs", [1, 3])
def test_contexts_are_the_other_texts_of_the_document(docs):
    records = _records(10, docs)
    ctx = DocumentContexts(records)
    assert len(ctx) == 10
    for i, r in enumerate(records):
        assert ctx[i] == "\n".join(o.text for j, o in enumerate(records) if o.doc == r.doc and j != i)
    assert list(ctx) == [ctx[i] for i in range(10)] and ctx[2:4] == [ctx[2], ctx[3]]
    assert DocumentContexts(records[:1])[0] == ""
