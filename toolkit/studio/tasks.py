"""A run folder -> Label Studio tasks with predictions, each with a stable key.

One task per source sentence that was translated (``BitextRecord.translate``),
laid out by the task contract (``toolkit.studio.contract``). Its one
prediction holds the figures found on every text and the entity candidates of
a predictor, with a ``model_version`` naming both ("figures-0.1.0+rules-3"):
Label Studio shows one prediction per model version, and an annotator wants
both kinds of guesses in the same place.

The predictor and the figure finder are handed in (``toolkit push`` composes
them): this module knows no extractor and no figure rules. Offsets in
predictions are code points, which is what Label Studio 1.23's editor counts
(see ``toolkit.segment.tokens``).

The source's guesses (figures and entities) are also carried onto each
translation by ``toolkit.projection.project_spans`` where the translation's
own guesses left the place empty: those regions are marked as projected
(``contract.projected_meta``), so the annotator knows they were not found on
the translation itself. A ranker, when handed one (``toolkit.select``), gives
each task its ``priority`` and ``priority_why``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from toolkit import __version__
from toolkit.projection import project_spans_detailed
from toolkit.records import BitextRecord, Figure, Span
from toolkit.run import Run, iter_records
from toolkit.segment.tokens import locate_span
from toolkit.studio.contract import SRC, Projected, Task, TaskText, translation_field


class Predictor(Protocol):
    """What makes entity pre-annotations: the rule guesser or a trained extractor.

    A predictor may also have ``predict_texts({name: (text, lang)})`` to see
    all texts of a task at once (the rule guesser keeps names found in several).
    """

    version: str

    def predict(self, text: str, lang: str) -> list[Span]: ...


FigureFinder = Callable[[str, str], list[Figure]]
# A task (with its texts, guesses and flags) -> (priority in [0, 1], one line why); see toolkit.select.
Ranker = Callable[[Task], tuple[float, str]]


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


def _overlaps(a: Span, spans: Sequence[Span]) -> bool:
    return any(a.start < s.end and s.start < a.end for s in spans)


def source_guesses(task: Task, name: str) -> list[Span]:
    """The figures and entity guesses of the text ``name``, in text order."""
    spans = [Span(f.start, f.end, f.kind, f.text) for f in task.figures.get(name, [])]
    return sorted(spans + task.entities.get(name, []), key=lambda s: (s.start, s.end))


def project_guesses(task: Task) -> dict[str, list[Projected]]:
    """The source's guesses carried onto each translation, where its own guesses left room."""
    src = task.texts[0]
    guesses = source_guesses(task, src.name)
    out: dict[str, list[Projected]] = {}
    if not guesses:
        return out
    for t in task.texts[1:]:
        if not t.text.strip():
            continue
        own = source_guesses(task, t.name)
        res = project_spans_detailed(src.text, t.text, [(g.start, g.end, g.label) for g in guesses], src.lang, t.lang)
        placed = [
            Projected(Span(p.start, p.end, p.label, p.text, guesses[p.source].score), src.name, p.method)
            for p in res.placed
        ]
        # Never a second region on a place the translation's own guesses hold.
        out[t.name] = [p for p in placed if not _overlaps(p.span, own)]
    return out


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
    ranker: Ranker | None = None,
    project: bool = True,
) -> Task:
    """The typed task of a translated record, with its pre-annotations (projected ones too
    unless ``project`` is false) and, with a ``ranker``, its priority."""
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
    task = Task(
        key=task_key(record, run.targets),
        record_id=record.id,
        doc=record.doc,
        run=run.name,
        src_lang=record.src_lang,
        texts=texts,
        context_before=before,
        context_after=after,
        flags=record.flags_list(),
        confidence=dict(record.scores),
        figures=figures,
        entities=entities,
        model_version=model_version(predictor),
    )
    if project:
        task.projected = project_guesses(task)
    if ranker is not None:
        task.priority, task.priority_why = ranker(task)
    return task


def build_task(
    record: BitextRecord,
    run: Run,
    before: str = "",
    after: str = "",
    predictor: Predictor | None = None,
    figure_finder: FigureFinder | None = None,
    ranker: Ranker | None = None,
) -> dict[str, Any]:
    """One Label Studio task (``{"data": ..., "predictions": [...]}``) for a translated record."""
    return make_task(record, run, before, after, predictor, figure_finder, ranker).to_label_studio()


def iter_typed_tasks(
    run: Run,
    predictor: Predictor | None = None,
    figure_finder: FigureFinder | None = None,
    errors: list[str] | None = None,
    ranker: Ranker | None = None,
) -> Iterator[Task]:
    """Every task of ``run`` as a typed ``Task``, in document order, streamed."""
    for record, before, after in _with_context(iter_records(run, errors)):
        yield make_task(record, run, before, after, predictor, figure_finder, ranker)


def iter_tasks(
    run: Run,
    predictor: Predictor | None = None,
    figure_finder: FigureFinder | None = None,
    errors: list[str] | None = None,
    ranker: Ranker | None = None,
) -> Iterator[dict[str, Any]]:
    """Every task of ``run`` as Label Studio JSON, in document order, streamed."""
    for task in iter_typed_tasks(run, predictor, figure_finder, errors, ranker):
        yield task.to_label_studio()
