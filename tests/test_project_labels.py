"""`pull --project-labels` (toolkit.studio.project_labels): source spans fill empty translations, never a human's."""

from __future__ import annotations

from toolkit.studio.contract import PROJECTED_FROM
from toolkit.studio.project_labels import project_labels

SRC = "Bapak Le Van Sinh mengunjungi Distrik Nui Thanh dengan 451 ha sawah."
ENG = "Mr. Le Van Sinh visited Nui Thanh district with 451 ha of rice fields."
VIE = "Ông Lê Văn Sinh đã đến thăm huyện Núi Thành với 451 ha ruộng lúa."
LANGS = {"src": "ind_Latn", "mt_eng_Latn": "eng_Latn", "mt_vie_Latn": "vie_Latn"}


def res(to_name: str, text: str, sub: str, label: str) -> dict:
    a = text.index(sub)
    return {
        "from_name": f"{to_name}_labels", "to_name": to_name, "type": "labels",
        "value": {"start": a, "end": a + len(sub), "text": sub, "labels": [label]},
    }  # fmt: skip


def task(*annotations) -> dict:
    data = {"record_id": "a.txt#p0s0", "src": SRC, "mt_eng_Latn": ENG, "mt_vie_Latn": VIE, "langs": LANGS}
    return {"id": 7, "data": data, "annotations": [{"id": i, "result": r} for i, r in enumerate(annotations, 1)]}


def spans(ann: dict, to_name: str) -> list[tuple[str, str, bool]]:
    return [
        (r["value"]["text"], r["value"]["labels"][0], PROJECTED_FROM in r.get("meta", {}))
        for r in ann["result"]
        if r["to_name"] == to_name
    ]


def test_source_spans_fill_empty_translations_and_never_touch_a_labelled_one():
    src = [
        res("src", SRC, "Le Van Sinh", "PER"),
        res("src", SRC, "Nui Thanh", "LOC"),
        res("src", SRC, "451 ha", "QUANTITY"),
    ]
    human_vie = [res("mt_vie_Latn", VIE, "Lê Văn Sinh", "PER")]  # the annotator labelled one name on the Vietnamese
    original = task(src + human_vie)
    (out,), summary = project_labels([original])
    ann = out["annotations"][0]
    assert spans(ann, "mt_eng_Latn") == [
        ("Le Van Sinh", "PER", True),
        ("Nui Thanh", "LOC", True),
        ("451 ha", "QUANTITY", True),
    ]
    assert spans(ann, "mt_vie_Latn") == [("Lê Văn Sinh", "PER", False)]  # kept exactly: no projected span added
    assert spans(ann, "src") == [
        ("Le Van Sinh", "PER", False),
        ("Nui Thanh", "LOC", False),
        ("451 ha", "QUANTITY", False),
    ]
    assert (summary.filled, summary.spans, summary.kept) == (1, 3, 1)
    assert len(original["annotations"][0]["result"]) == 4  # the input is not changed in place
    for r in ann["result"]:
        assert out["data"][r["to_name"]][r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]


def test_each_annotator_is_projected_apart_and_bad_tasks_go_on():
    first = [res("src", SRC, "Le Van Sinh", "PER")]
    second = [res("src", SRC, "Nui Thanh", "LOC")]
    no_lang = task(first)
    no_lang["data"] = {"src": SRC, "mt_x": ENG, "langs": {"src": "ind_Latn", "mt_x": ""}}
    (out, other), summary = project_labels([task(first, second), no_lang])
    a1, a2 = out["annotations"]
    assert [s[0] for s in spans(a1, "mt_eng_Latn")] == ["Le Van Sinh"]
    assert [s[0] for s in spans(a2, "mt_eng_Latn")] == ["Nui Thanh"]  # one person's labels never reach another's
    assert summary.problems == ["task 7: mt_x has no language; its labels were not projected"]
    assert spans(other["annotations"][0], "src") == [("Le Van Sinh", "PER", False)]


def test_pull_projects_on_its_one_path_as_the_list_way(tmp_path):
    """``pull --project-labels`` streams: each task projected as it passes the check
    (``projecting``), the same bytes and counts as checking, projecting and writing the
    list; a task left out is not projected."""
    import json

    from toolkit.studio.export_stream import iter_tasks
    from toolkit.studio.project_labels import ProjectionSummary, projecting
    from toolkit.studio.pull import PullSummary, check_export, pull_tasks, write_pulled

    good = task([res("src", SRC, "Le Van Sinh", "PER"), res("src", SRC, "Nui Thanh", "LOC")])
    bad = task([res("src", SRC, "Le Van Sinh", "PER")]) | {"id": 8}
    bad["data"] = bad["data"] | {"record_id": "b.txt#p0s0"}
    bad["annotations"][0]["result"][0]["value"]["text"] = "Someone Else"  # off its text: left out
    path = tmp_path / "export.json"
    path.write_text(json.dumps([good, bad], ensure_ascii=False), encoding="utf-8")
    for fmt in ("json", "records", "bio"):
        proj = ProjectionSummary()
        s = pull_tasks(lambda: iter_tasks(path), tmp_path / fmt, fmt, {}, PullSummary(1), tmp_path, projecting(proj))
        checked, bad_lines, _, _ = check_export([good, bad])
        listed, want = project_labels(checked)
        write_pulled(listed, tmp_path / f"list-{fmt}", fmt)
        assert s.bad_tasks == bad_lines and len(bad_lines) == 1
        assert (tmp_path / fmt).read_text("utf-8") == (tmp_path / f"list-{fmt}").read_text("utf-8")
        assert (proj.annotations, proj.filled, proj.spans, proj.kept) == (1, 2, 4, 0)
        assert (proj.annotations, proj.filled, proj.spans, proj.kept) == (
            want.annotations,
            want.filled,
            want.spans,
            want.kept,
        )
