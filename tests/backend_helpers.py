"""Shared by the backend's tests and benchmark: a base CRF, tasks and annotations in Label Studio's shapes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from extractor_synthetic import make_records

from toolkit.extractor.train import train_extractor
from toolkit.records import AnnotatedText


def train_base(out: Path, n: int = 60, seed: int = 1, drop: str | None = "LOC") -> Path:
    """A CRF trained on synthetic texts whose ``drop`` spans were left unlabelled: it has that label still to learn."""
    records = [replace(r, spans=[s for s in r.spans if s.label != drop]) for r in make_records(n, seed)]
    train_extractor(records, out, eval_fraction=0.0)
    return out


def task_data(rec: AnnotatedText, key: str) -> dict[str, Any]:
    """A toolkit task's ``data`` holding ``rec``'s text as its source."""
    return {
        "key": key,
        "record_id": key,
        "doc": rec.doc,
        "src": rec.text,
        "src_lang": rec.lang,
        "langs": {"src": rec.lang},
    }


def regions(rec: AnnotatedText) -> list[dict[str, Any]]:
    """An annotator's result labelling every span of ``rec`` on the source."""
    return [
        {
            "from_name": "src_labels",
            "to_name": "src",
            "type": "labels",
            "value": {"start": s.start, "end": s.end, "text": s.text, "labels": [s.label]},
        }
        for s in rec.spans
    ]


def exported_task(tid: int, rec: AnnotatedText, annotations: list[tuple[int, int, list[dict]]]) -> dict[str, Any]:
    """A task as Label Studio's JSON export writes it; ``annotations`` = (annotation id, user id, result)."""
    return {
        "id": tid,
        "data": task_data(rec, f"t{tid}"),
        "annotations": [
            {
                "id": aid,
                "task": tid,
                "completed_by": uid,
                "result": result,
                "was_cancelled": False,
                "created_at": "2026-12-07T20:00:00Z",
                "updated_at": "2026-12-07T20:00:00Z",
            }
            for aid, uid, result in annotations
        ],
        "predictions": [],
    }


class FakeStudio:
    """The two calls the learner makes (``export_to`` with ids, ``iter_export``, and after a swap ``task_ids``, ``retrieve_predictions``), over a dict of tasks.

    For unit tests only: the end-to-end module pulls from the real Label Studio.
    """

    def __init__(self) -> None:
        self.tasks: dict[int, dict[str, Any]] = {}
        self.down = False
        self.pulls: list[list[int]] = []
        self.retrieved: list[tuple[int, list[int]]] = []

    def export_to(self, project_id: int, path: Path, all_tasks: bool = False, ids=None) -> None:
        from toolkit.studio.client import StudioError

        if self.down:
            raise StudioError("Label Studio at http://127.0.0.1:1 is not reachable (test)")
        self.pulls.append(list(ids))
        Path(path).write_text(json.dumps([self.tasks[i] for i in ids if i in self.tasks]), encoding="utf-8")

    def task_ids(self, project_id: int) -> list[int]:
        return sorted(self.tasks)

    def retrieve_predictions(self, project_id: int, task_ids) -> None:
        self.retrieved.append((project_id, list(task_ids)))

    def iter_export(self, path: Path):
        yield from json.loads(Path(path).read_text(encoding="utf-8"))
