"""Which tasks of an export are one task: different task ids stay different tasks (issue 22).

Before the fix, two tasks without ``data.key`` whose texts were equal were
pooled into one task with two annotations (and the second one's spans lost
under ``latest``), in ``read_export``, ``read_exports`` and ``toolkit pull``.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.studio.export import read_export, read_exports


def _task(tid: int, text: str, label: str, ann_id: int) -> dict:
    """A foreign text project's task (no data.key): one span over the first word."""
    word = text.split()[0]
    return {
        "id": tid,
        "data": {"text": text},
        "annotations": [
            {
                "id": ann_id,
                "completed_by": 1,
                "result": [
                    {
                        "type": "labels",
                        "from_name": "label",
                        "to_name": "text",
                        "value": {"start": 0, "end": len(word), "text": word, "labels": [label]},
                    }
                ],
            }
        ],
    }


TEXTS = ["Jakarta hari ini.", "Lisboa é a capital.", "กรุงเทพ วันนี้", "Oslo i dag."]


@pytest.mark.parametrize("text", TEXTS)
def test_equal_texts_with_different_ids_are_two_tasks(text):
    export = [_task(1, text, "LOC", 10), _task(2, text, "ORG", 20)]
    records, stats = read_export(export)
    assert sorted((r.task_id, r.spans[0].label) for r in records) == [(1, "LOC"), (2, "ORG")]
    assert stats.duplicates == []


def test_the_same_task_in_two_exports_is_still_pooled(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps([_task(1, TEXTS[0], "LOC", 10)]), encoding="utf-8")
    b.write_text(json.dumps([_task(1, TEXTS[0], "LOC", 11), _task(7, TEXTS[0], "ORG", 70)]), encoding="utf-8")
    batch = read_exports([a, b], every=True)
    by_task = sorted((r.task_id, r.annotation_id) for r in batch.records)
    assert by_task == [(1, 10), (1, 11), (7, 70)]  # task 1 pooled (same id and texts), task 7 its own
    assert len(batch.duplicates) == 1 and "(the same id and texts)" in batch.duplicates[0]


def test_pull_keeps_equal_texts_apart(tmp_path):
    from toolkit.studio.pull import write_pulled

    export = [_task(1, TEXTS[1], "LOC", 10), _task(2, TEXTS[1], "ORG", 20)]
    out = tmp_path / "out.jsonl"
    write_pulled(export, out, "records")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["spans"][0]["label"] for r in rows) == ["LOC", "ORG"]


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(st.integers(0, len(TEXTS) - 1), min_size=1, max_size=12),
    labels=st.lists(st.sampled_from(["PER", "ORG", "LOC"]), min_size=12, max_size=12),
)
def test_every_task_id_is_its_own_task(picks, labels):
    """Any mix of repeated texts: one record per task id, each with its own annotation's span."""
    export = [_task(n + 1, TEXTS[i], labels[n], 100 + n) for n, i in enumerate(picks)]
    records, stats = read_export(export)
    assert sorted((r.task_id, r.annotation_id, r.spans[0].label) for r in records) == [
        (n + 1, 100 + n, labels[n]) for n in range(len(picks))
    ]
    assert stats.duplicates == []
    # the same export read twice (two files): each task pooled with itself only
    batch = read_exports([export, export], every=True)
    assert len(batch.records) == len(picks) and len(batch.duplicates) == len(picks)
