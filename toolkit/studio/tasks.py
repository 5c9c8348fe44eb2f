"""A run folder -> Label Studio tasks with predictions, each with a stable key.

One task per source sentence that was translated (``BitextRecord.translate``),
laid out by the task contract (``toolkit.studio.contract``). Its one
prediction holds the figures found on every text and the entity candidates of
a predictor, with a ``model_version`` naming both ("figures-0.1.0+rules-1"):
Label Studio shows one prediction per model version, and an annotator wants
both kinds of guesses in the same place.

The predictor and the figure finder are handed in (``toolkit push`` composes
them): this module knows no extractor and no figure rules. Offsets in
predictions are code points, which is what Label Studio 1.23's editor counts
(see ``toolkit.segment.tokens``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from toolkit import __version__
from toolkit.records import BitextRecord, Figure, Span
from toolkit.run import Run, iter_records
from toolkit.segment.tokens import locate_span
from toolkit.studio.contract import SRC, Task, TaskText, translation_field


class Predictor(Protocol):
    """What makes entity pre-annotations: the rule guesser or a trained extractor.

    A predictor may also have ``predict_texts({name: (text, lang)})`` to see
    all texts of a task at once (the rule guesser keeps names found in several).
    """

    version: str

    def predict(self, text: str, lang: str) -> list[Span]: ...


FigureFinder = Callable[[str, str], list[Figure]]


def task_key(record: BitextRecord, targets: Sequence[str]) -> str:
    """``<record id>|<first 16 hex of sha256 over the source and each translation>``.

    The hash changes when any text changes (a new translation), so a re-run
    with other output is an update, and the same output is recognised.
    """
    h = hashlib.sha256(record.src.encode("utf-8"))
    for t in targets:
        h.update(b"\x00" + t.encode() + b"\x00" + record.mt.get(t, "").encode("utf-8"))
    return f"{record.id}|{h.hexdigest()[:16]}"


def record_texts(record: BitextRecord, targets: Sequence[str]) -> list[TaskText]:
    """The texts of a record's task: the source, then each translation, each with its language."""
    texts = [TaskText(SRC, record.src, record.src_lang)]
    texts += [TaskText(translation_field(t), record.mt.get(t, ""), t, target=t) for t in targets]
    return texts


def _with_context(records: Iterator[BitextRecord]) -> Iterator[tuple[BitextRecord, str, str]]:
    """Each translated record with the previous and next translated sentence of its document.

    Streams with a window of three, so a large run never sits in memory.
    """
    prev: BitextRecord | None = None
    cur: BitextRecord | None = None
    for rec in records:
        if not rec.translate:
            continue
        if cur is not None:
            before = prev.src if prev is not None and prev.doc == cur.doc else ""
            after = rec.src if rec.doc == cur.doc else ""
            yield cur, before, after
        prev, cur = cur, rec
    if cur is not None:
        before = prev.src if prev is not None and prev.doc == cur.doc else ""
        yield cur, before, ""


def _figures(record: BitextRecord, text: TaskText, finder: FigureFinder | None) -> list[Figure]:
    """The run's figures of ``text`` (else the finder's); one whose offsets do not fit is dropped."""
    if text.figure_key in record.figures:
        found = record.figures_of(text.figure_key)
    elif finder is not None:
        found = finder(text.text, text.lang)
    else:
        return []
    # A stale record's figure is dropped, not shifted: no UTF-16 repair here.
    return [f for f in found if locate_span(text.text, f.start, f.end, f.text) == (f.start, f.end)]


def _entities(predictor: Predictor | None, texts: Sequence[TaskText]) -> dict[str, list[Span]]:
    if predictor is None:
        return {}
    group = getattr(predictor, "predict_texts", None)
    if callable(group):
        return group({t.name: (t.text, t.lang) for t in texts})
    return {t.name: predictor.predict(t.text, t.lang) for t in texts}


def model_version(predictor: Predictor | None) -> str:
    base = f"figures-{__version__}"
    return f"{base}+{predictor.version}" if predictor is not None else base


def make_task(
    record: BitextRecord,
    run: Run,
    before: str = "",
    after: str = "",
    predictor: Predictor | None = None,
    figure_finder: FigureFinder | None = None,
) -> Task:
    """The typed task of a translated record, with its pre-annotations."""
    texts = record_texts(record, run.targets)
    guesses = _entities(predictor, texts)
    figures: dict[str, list[Figure]] = {}
    entities: dict[str, list[Span]] = {}
    for t in texts:
        figures[t.name] = figs = _figures(record, t, figure_finder)
        # Figures are found by tested rules; an entity guess that overlaps one is dropped.
        entities[t.name] = [
            e for e in guesses.get(t.name, []) if all(e.end <= f.start or e.start >= f.end for f in figs)
        ]
    return Task(
        key=task_key(record, run.targets),
        record_id=record.id,
        doc=record.doc,
        run=run.name,
        src_lang=record.src_lang,
        texts=texts,
        context_before=before,
        context_after=after,
        flags=record.flags_list(),
        figures=figures,
        entities=entities,
        model_version=model_version(predictor),
    )


def build_task(
    record: BitextRecord,
    run: Run,
    before: str = "",
    after: str = "",
    predictor: Predictor | None = None,
    figure_finder: FigureFinder | None = None,
) -> dict[str, Any]:
    """One Label Studio task (``{"data": ..., "predictions": [...]}``) for a translated record."""
    return make_task(record, run, before, after, predictor, figure_finder).to_label_studio()


def iter_tasks(
    run: Run,
    predictor: Predictor | None = None,
    figure_finder: FigureFinder | None = None,
    errors: list[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every task of ``run`` as Label Studio JSON, in document order, streamed."""
    for record, before, after in _with_context(iter_records(run, errors)):
        yield build_task(record, run, before, after, predictor, figure_finder)
