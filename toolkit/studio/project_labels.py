"""``pull --project-labels``: an annotator's source spans fill the translations they left empty.

A step of ``pull``'s one path (``toolkit.studio.pull.pull_tasks``): each
task is projected as it passes the check, before it is read and written.
For every annotation, one annotator's work at a time (never mixing two
people's labels), the spans on the source are carried by ``toolkit.projection.project_spans`` onto each translation that holds *no*
span in that annotation. A translation with even one human span is left as
it is: a projection never overwrites or adds to a human label. Each added
result carries ``meta.projected_from`` (``contract.projected_meta``), so the
export says which spans no person put there.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.projection import project_spans_detailed
from toolkit.studio.contract import SRC, labels_field, projected_meta, task_texts
from toolkit.studio.export import read_span
from toolkit.studio.pull import Prepare, PullSummary, pull_project


@dataclass
class ProjectionSummary:
    annotations: int = 0
    filled: int = 0  # translations that got projected spans
    spans: int = 0  # projected spans added
    kept: int = 0  # translations left alone because a person labelled them
    problems: list[str] = field(default_factory=list)  # one line per task that could not be projected


def _span_results(ann: dict[str, Any], to_name: str) -> list[dict[str, Any]]:
    return [
        r
        for r in ann.get("result") or []
        if isinstance(r, dict) and r.get("type") == "labels" and r.get("to_name") == to_name
    ]


def _source_spans(src: str, ann: dict[str, Any], checked: bool) -> list[tuple[int, int, str]]:
    """(start, end, label) of the annotation's labelled spans on the source.

    ``checked``: the task passed pull's check (``toolkit.studio.pull.iter_checked``),
    which validated every span on its text and converted its offsets to code
    points, so the values are taken as they are; else each is read here.
    """
    spans = []
    for res in _span_results(ann, SRC):
        value = res.get("value") or {}
        labels = value.get("labels") or []
        if not labels:
            continue
        if checked:
            spans.append((value["start"], value["end"], str(labels[0])))
            continue
        span = read_span(src, value)
        if not isinstance(span, str):
            spans.append((span.start, span.end, str(labels[0])))
    return spans


def project_annotation(
    task: dict[str, Any], ann: dict[str, Any], summary: ProjectionSummary, checked: bool = False
) -> None:
    """Fill, in place, the translations of one annotation that carry no span (see the module doc)."""
    texts = task_texts(task["data"])
    src = next((t for t in texts if t.name == SRC), None)
    if src is None:
        return
    spans = _source_spans(src.text, ann, checked)
    if not spans:
        return
    for t in texts:
        if t.name == SRC or not t.text.strip():
            continue
        if _span_results(ann, t.name):
            summary.kept += 1
            continue
        if not t.lang:
            summary.problems.append(f"task {task.get('id')}: {t.name} has no language; its labels were not projected")
            continue
        placed = project_spans_detailed(src.text, t.text, spans, src.lang, t.lang).placed
        for i, p in enumerate(placed):
            ann.setdefault("result", []).append(
                {
                    "id": f"proj{ann.get('id', '')}{t.name[:6]}{i}",
                    "from_name": labels_field(t.name),
                    "to_name": t.name,
                    "type": "labels",
                    "value": {"start": p.start, "end": p.end, "text": p.text, "labels": [p.label]},
                    "meta": projected_meta(SRC, p.method),
                }
            )
        summary.filled += bool(placed)
        summary.spans += len(placed)


def project_task(task: Any, summary: ProjectionSummary, checked: bool = False) -> None:
    """Every annotation of one task projected, in place (see the module doc)."""
    if isinstance(task, dict) and isinstance(task.get("data"), dict):
        for ann in task.get("annotations") or []:
            if isinstance(ann, dict) and not ann.get("was_cancelled"):
                summary.annotations += 1
                project_annotation(task, ann, summary, checked)


def project_labels(tasks: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], ProjectionSummary]:
    """The tasks (copied) with every annotation's source spans projected (see the module doc)."""
    out, summary = [], ProjectionSummary()
    for task in tasks:
        task = copy.deepcopy(task)
        project_task(task, summary)
        out.append(task)
    return out, summary


def projecting(summary: ProjectionSummary) -> Prepare:
    """Pull's ``prepare`` step that projects each task that passed its check
    (``project_task`` on its validated spans); a task's counts and problems
    join ``summary`` only once the task is kept."""

    def prepare(task: dict[str, Any]) -> Callable[[], None]:
        mine = ProjectionSummary()
        project_task(task, mine, checked=True)

        def keep() -> None:
            summary.annotations += mine.annotations
            summary.filled += mine.filled
            summary.spans += mine.spans
            summary.kept += mine.kept
            summary.problems += mine.problems

        return keep

    return prepare


def pull_projected(
    project: str,
    out: str | Path,
    fmt: str = "json",
    data_dir: str | Path | None = None,
    timeout: float = 120.0,
) -> tuple[PullSummary, ProjectionSummary]:
    """``pull_project`` with the source labels projected before ``out`` is written in ``fmt``.

    On pull's one path: each task is projected as it passes the check (its
    spans validated there, not read again here) and before it is read and
    written; a task left out is not projected. Only the JSON keeps the
    projected mark (``meta``); records and BIO hold the spans as labels.
    """
    proj = ProjectionSummary()
    summary = pull_project(project, out, fmt=fmt, data_dir=data_dir, timeout=timeout, prepare=projecting(proj))
    return summary, proj
