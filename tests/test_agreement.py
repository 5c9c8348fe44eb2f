"""Several annotators: agreement (toolkit.studio.agreement), the resolve rule (toolkit.studio.resolve), the CLIs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit.cli.agreement  # noqa: F401  (registers the command)
import toolkit.cli.train  # noqa: F401
from toolkit.cli.app import app
from toolkit.studio.agreement import agreement
from toolkit.studio.export import read_export
from toolkit.studio.resolve import ResolveRule

SRC = "Le Van Sinh visited Hanoi and Hue."
ENG = "Le Van Sinh went to Hanoi and Hue."
runner = CliRunner()


def span(text: str, part: str, label: str, field: str = "src", nth: int = 0) -> dict:
    start = text.index(part)
    return {
        "from_name": f"{field}_labels",
        "to_name": field,
        "type": "labels",
        "value": {"start": start, "end": start + len(part), "text": part, "labels": [label]},
    }


def ann(aid: int, uid: int, email: str | None, result: list, when: str, **extra) -> dict:
    user = {"id": uid, "email": email} if email else uid
    return {"id": aid, "completed_by": user, "result": result, "created_at": when, "updated_at": when, **extra}


def task(tid: int, anns: list, key: str = "", src: str = SRC, eng: str = ENG) -> dict:
    data = {
        "key": key or f"a.txt#p0s{tid}|h{tid}",
        "record_id": f"a.txt#p0s{tid}",
        "doc": "a.txt",
        "src_lang": "ind_Latn",
        "src": src,
        "mt_eng_Latn": eng,
        "langs": {"src": "ind_Latn", "mt_eng_Latn": "eng_Latn"},
    }
    return {"id": tid, "data": data, "annotations": anns}


A = [span(SRC, "Le Van Sinh", "PER"), span(SRC, "Hanoi", "LOC"), span(ENG, "Hanoi", "LOC", "mt_eng_Latn")]
B = [span(SRC, "Le Van", "PER"), span(SRC, "Hanoi", "LOC"), span(ENG, "Hanoi", "LOC", "mt_eng_Latn")]


def two_annotators() -> list[dict]:
    return [
        task(1, [ann(11, 1, "a@x.org", A, "2025-01-01T10:00:00Z"), ann(12, 2, "b@x.org", B, "2025-01-02T10:00:00Z")]),
        task(2, [ann(21, 1, "a@x.org", [span(SRC, "Hue", "LOC")], "2025-01-01T11:00:00Z")]),  # one annotator only
    ]


def test_agreement_figures_by_hand():
    got = agreement([two_annotators()])
    assert got.annotators == ["a@x.org", "b@x.org"] and got.tasks_compared == 1
    # A: PER "Le Van Sinh", LOC Hanoi (src and eng); B: PER "Le Van", the same LOCs. 2 of 3 + 3 spans agree.
    assert got.overall["f1"] == round(2 * 2 / 6, 4)
    assert got.overall["overlap_f1"] == 1.0  # "Le Van" overlaps "Le Van Sinh"
    assert got.labels["PER"] == {"f1": 0.0, "overlap_f1": 1.0, "n": 2}
    assert got.labels["LOC"] == {"f1": 1.0, "overlap_f1": 1.0, "n": 2}
    assert got.languages["ind_Latn"]["f1"] == 0.5 and got.languages["eng_Latn"]["f1"] == 1.0
    # Tags: src "Le Van Sinh visited Hanoi and Hue ." (8 tokens) differs on "Sinh" (I-PER vs O);
    # eng "Le Van Sinh went to Hanoi and Hue ." (9 tokens) agrees: O 8, B-LOC 1 on both sides.
    observed = 16 / 17
    left = {"B-PER": 1, "I-PER": 2, "O": 4 + 8, "B-LOC": 2}
    right = {"B-PER": 1, "I-PER": 1, "O": 5 + 8, "B-LOC": 2}
    chance = sum(left[t] * right[t] for t in left) / 17**2
    assert got.overall["kappa"] == round((observed - chance) / (1 - chance), 4)
    assert got.pairs == [
        {
            "annotators": ["a@x.org", "b@x.org"],
            "tasks": 1,
            "f1": 0.6667,
            "overlap_f1": 1.0,
            "n": 4,
            "kappa": got.overall["kappa"],
        }
    ]


def test_agreement_across_exports_of_two_projects(tmp_path):
    # Each annotator labelled a copy of the task in their own project: the same data.key joins them.
    one, two = two_annotators(), two_annotators()
    one[0]["annotations"] = one[0]["annotations"][:1]
    two[0]["annotations"] = two[0]["annotations"][1:]
    two[0]["id"] = 91
    two[1]["data"]["src"] = two[1]["data"]["src"].replace("Hue", "Hué")  # another run: other texts
    two[1]["data"]["key"] = "a.txt#p0s2|other"
    two[1]["annotations"][0]["result"] = []
    paths = []
    for name, export in (("a.json", one), ("b.json", two)):
        (tmp_path / name).write_text(json.dumps(export), encoding="utf-8")
        paths.append(tmp_path / name)
    got = agreement(paths)
    assert got.tasks_compared == 1 and got.overall["f1"] == round(4 / 6, 4)
    assert any("task 2 (a.txt#p0s2): its texts differ from" in p and "another run" in p for p in got.problems)


def test_one_annotator_says_so_and_exits_0(tmp_path):
    only = two_annotators()[1:]
    p = tmp_path / "one.json"
    p.write_text(json.dumps(only), encoding="utf-8")
    res = runner.invoke(app, ["agreement", str(p), "--json"])
    assert res.exit_code == 0, res.output
    assert "only one annotator (a@x.org)" in res.output
    out = json.loads(res.stdout[res.stdout.index("{") :])
    assert out["annotators"] == ["a@x.org"] and out["tasks_compared"] == 0
    assert out["labels"] == {} and out["overall"] == {"f1": None, "overlap_f1": None, "kappa": None}


def test_agreement_cli_json_and_bad_tasks(tmp_path):
    export = two_annotators()
    export.append(task(3, [ann(31, 1, "a@x.org", [span("elsewhere", "else", "LOC")], "2025-01-03T00:00:00Z")]))
    p = tmp_path / "e.json"
    p.write_text(json.dumps(export), encoding="utf-8")
    res = runner.invoke(app, ["agreement", str(p), "--json"])
    assert res.exit_code == 1  # a task was left out
    assert f"skipped {p}: task 3, field 'src':" in res.output
    out = json.loads(res.stdout[res.stdout.index("{") :])
    assert set(out) >= {"annotators", "tasks_compared", "labels", "overall"}
    assert out["labels"]["PER"] == {"f1": 0.0, "overlap_f1": 1.0, "n": 2}


# --- the resolve rule ---------------------------------------------------------


def three_annotators() -> list[dict]:
    c = [span(SRC, "Le Van", "PER")]
    return [
        task(
            1,
            [
                ann(11, 1, "a@x.org", A, "2025-01-01T10:00:00Z"),
                ann(12, 2, "b@x.org", B, "2025-01-02T10:00:00Z", reviews=[{"accepted": True}]),
                ann(13, 3, "c@x.org", c, "2025-01-03T10:00:00Z", reviews=[{"accepted": False}]),
                ann(14, 3, "c@x.org", [], "2025-01-04T10:00:00Z", was_cancelled=True),
            ],
        )
    ]


@pytest.mark.parametrize(
    "rule, who",
    [
        ("latest", "c@x.org"),  # the cancelled one does not count
        ("majority", "b@x.org"),  # b shares most with a and with c
        ("reviewed", "b@x.org"),
        ("annotator:A@X.org", "a@x.org"),  # emails match without case
        ("annotator:1", "a@x.org"),  # or the user id
    ],
)
def test_resolve_rules(rule, who):
    records, stats = read_export(three_annotators(), rule=rule)
    assert {r.annotator for r in records} == {who}
    assert stats.annotations == 3 and len(records) == 2  # src and eng of the one task
    assert stats.disagreements and "annotators disagree" in stats.disagreements[0]


def test_every_annotation_keeps_who_when_and_review():
    records, _ = read_export(three_annotators(), every=True)
    got = {(r.annotator, r.annotator_id, r.annotation_id, r.updated_at, r.accepted) for r in records}
    assert got == {
        ("a@x.org", 1, 11, "2025-01-01T10:00:00Z", None),
        ("b@x.org", 2, 12, "2025-01-02T10:00:00Z", True),
        ("c@x.org", 3, 13, "2025-01-03T10:00:00Z", False),
    }


def test_resolve_leaves_out_and_names_tasks():
    _, stats = read_export(three_annotators(), rule="annotator:d@x.org")
    assert stats.left_out == ["<export>: task 1: not labelled by d@x.org (only by a@x.org, b@x.org, c@x.org)"]
    _, stats = read_export(two_annotators(), rule="reviewed")
    assert "no review in the export" in stats.left_out[0]
    with pytest.raises(ValueError, match="use one of latest, majority, reviewed, annotator:EMAIL"):
        ResolveRule.parse("newest")


def test_train_resolve_option(tmp_path):
    p = tmp_path / "three.json"
    p.write_text(json.dumps(three_annotators() + two_annotators()[1:]), encoding="utf-8")
    res = runner.invoke(app, ["train", str(p), "--out", str(tmp_path / "m"), "--resolve", "annotator:b@x.org"])
    assert res.exit_code == 1, res.output  # task 2 has no annotation by b: named and skipped
    assert "task 2: not labelled by b@x.org" in res.output
    assert "1 tasks where annotators disagree (--resolve annotator:b@x.org picked one)" in res.output
    assert "used b@x.org's" in res.output
    assert (tmp_path / "m" / "extractor.json").is_file()
    res = runner.invoke(app, ["train", str(p), "--out", str(tmp_path / "m2"), "--resolve", "newest"])
    assert res.exit_code == 2 and "unknown resolve rule 'newest'" in res.output
    assert not Path(tmp_path / "m2").exists()
