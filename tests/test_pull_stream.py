"""`toolkit pull` streams: the export is read from a file one task at a time, and written as it is checked.

The bytes must be those of the in-memory pull (``json.loads`` of the whole
export, ``check_export``, ``json.dumps``/``read_export`` of the list), and
memory must not grow with the number of tasks.
"""

from __future__ import annotations

import copy
import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit.studio.export_stream as export_stream
from toolkit.records import ALL_LABELS
from toolkit.studio.export import read_export, to_bio
from toolkit.studio.export_stream import StreamError, iter_tasks
from toolkit.studio.pull import PullSummary, _labels_in, check_export, name_annotators, pull_tasks, write_pulled

EXPORTS = Path(__file__).parent / "data" / "exports"
READABLE = ["toolkit_project.json", "utf16_offsets.json", "other_project.json", "unknown_label.json", "off_span.json"]
EMAILS = {1: "ann@example.org"}


def in_memory(export: list, fmt: str) -> str:
    """What pull wrote before it streamed: the whole list checked, then dumped or read as records."""
    good, _, _, _ = check_export(copy.deepcopy(export))
    name_annotators(good, EMAILS)
    if fmt == "json":
        return json.dumps(good, ensure_ascii=False, indent=1)
    records = read_export(good, set(ALL_LABELS) | _labels_in(good), every=fmt == "records")[0] if good else []
    if fmt == "records":
        return "".join(r.to_json() + "\n" for r in records)
    lines = []
    for rec, (tokens, tags) in zip(records, to_bio(records), strict=True):
        lines.append(f"# {rec.record_id or rec.doc}\t{rec.field_name}\t{rec.lang}")
        lines += [f"{tok}\t{tag}" for tok, tag in zip(tokens, tags, strict=True)]
        lines.append("")
    return "\n".join(lines)


def streamed(path: Path, out: Path, fmt: str, tmp: Path) -> PullSummary:
    tmp.mkdir(exist_ok=True)
    return pull_tasks(lambda: iter_tasks(path), out, fmt, EMAILS, PullSummary(project_id=1), tmp)


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
@pytest.mark.parametrize("name", [*READABLE, "no_annotations.json"])
def test_tasks_are_what_json_loads_gives(name, chunk, monkeypatch):
    monkeypatch.setattr(export_stream, "CHUNK", chunk)  # every cut through a task, a string, a number
    want = json.loads((EXPORTS / name).read_text(encoding="utf-8"))
    want = want if isinstance(want, list) else [want]
    got = list(iter_tasks(EXPORTS / name))
    assert json.dumps(got, ensure_ascii=False) == json.dumps(want, ensure_ascii=False)


@pytest.mark.parametrize(
    ("text", "not_a_list"),
    [("", False), ('{"data": {}}', True), ("[{}, ", False), ("[{},]", False), ("[{}] []", False), ("[" * 5000, False)],
)
def test_a_file_that_is_no_array_is_one_error(tmp_path, text, not_a_list):
    (tmp_path / "e.json").write_text(text, encoding="utf-8")
    with pytest.raises(StreamError) as e:
        list(iter_tasks(tmp_path / "e.json"))
    assert e.value.not_a_list == not_a_list
    with pytest.raises(StreamError):
        list(iter_tasks(EXPORTS / "truncated.json"))


@pytest.mark.parametrize("fmt", ["json", "records", "bio"])
@pytest.mark.parametrize("name", READABLE)
def test_streamed_pull_writes_the_bytes_of_the_in_memory_pull(tmp_path, name, fmt, monkeypatch):
    monkeypatch.setattr(export_stream, "CHUNK", 64)
    export = json.loads((EXPORTS / name).read_text(encoding="utf-8"))
    s = streamed(EXPORTS / name, tmp_path / "out", fmt, tmp_path / "tmp")
    assert (tmp_path / "out").read_text(encoding="utf-8") == in_memory(export, fmt)
    good, bad, spans, converted = check_export(copy.deepcopy(export))
    assert (s.tasks, s.bad_tasks, s.spans, s.converted) == (len(export), bad, spans, converted)
    # the list path (tests, `pull --project-labels`) writes the same bytes
    name_annotators(good, EMAILS)
    write_pulled(good, tmp_path / "list", fmt)
    assert (tmp_path / "list").read_text(encoding="utf-8") == in_memory(export, fmt)


def test_the_same_task_twice_is_pooled_as_in_memory(tmp_path):
    export = json.loads((EXPORTS / "toolkit_project.json").read_text(encoding="utf-8"))
    again = copy.deepcopy(export[0]) | {"id": 999}  # imported twice: another id, the same data.key
    for ann in again["annotations"]:
        ann["id"], ann["task"] = ann["id"] + 1000, 999
    export.append(again)
    (tmp_path / "dup.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    for fmt in ("records", "bio"):
        streamed(tmp_path / "dup.json", tmp_path / fmt, fmt, tmp_path / "tmp")
        assert (tmp_path / fmt).read_text(encoding="utf-8") == in_memory(export, fmt)


def test_streamed_dataset_has_the_rows_of_the_in_memory_one(tmp_path):
    datasets = pytest.importorskip("datasets")
    export = json.loads((EXPORTS / "toolkit_project.json").read_text(encoding="utf-8"))
    s = streamed(EXPORTS / "toolkit_project.json", tmp_path / "ds", "dataset", tmp_path / "tmp")
    good, _, _, _ = check_export(copy.deepcopy(export))
    name_annotators(good, EMAILS)
    write_pulled(good, tmp_path / "list", "dataset")
    got, want = datasets.load_from_disk(str(tmp_path / "ds")), datasets.load_from_disk(str(tmp_path / "list"))
    assert s.written == len(got) == len(want) > 0
    assert got.features == want.features and got.to_list() == want.to_list()


def synthetic_export(path: Path, n: int) -> Path:
    """``n`` tasks shaped as the toolkit's, each with one labelled span, written as Label Studio does (indent=1)."""
    tasks = []
    for i in range(n):
        src = f"Komite Partai Distrik Nui Thanh mengadakan {i + 1} konferensi dialog dengan rakyat Quang Nam."
        eng = f"The Nui Thanh District Party Committee held {i + 1} dialogue conferences with Quang Nam people."
        start = src.index("Nui Thanh")
        region = {"start": start, "end": start + 9, "text": "Nui Thanh", "labels": ["LOC"]}
        tasks.append(
            {
                "id": i + 1,
                "data": {"key": f"doc{i}.txt#p0s0|{i:016x}", "record_id": f"doc{i}.txt#p0s0", "doc": f"doc{i}.txt"}
                | {"src_lang": "ind_Latn", "src": src, "mt_eng_Latn": eng},
                "annotations": [
                    {
                        "id": i + 1,
                        "task": i + 1,
                        "completed_by": 1,
                        "was_cancelled": False,
                        "created_at": "2025-01-01T10:00:00Z",
                        "updated_at": "2025-01-01T10:00:00Z",
                        "result": [
                            {"id": f"r{i}", "from_name": "src_labels", "to_name": "src", "type": "labels"}
                            | {"value": region}
                        ],
                    }
                ],
            }
        )
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def peak_of_pull(path: Path, out: Path, fmt: str, tmp: Path) -> tuple[int, PullSummary]:
    tracemalloc.start()
    try:
        s = streamed(path, out, fmt, tmp)
        return tracemalloc.get_traced_memory()[1], s
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["json", "records"])
def test_pull_memory_does_not_grow_with_the_export(tmp_path, fmt, monkeypatch):
    monkeypatch.setattr(export_stream, "CHUNK", 1 << 16)  # so that the buffer does not hide the tasks
    n = 600
    small, large = synthetic_export(tmp_path / "n.json", n), synthetic_export(tmp_path / "4n.json", 4 * n)
    peak_n, s_n = peak_of_pull(small, tmp_path / "n.out", fmt, tmp_path / "tmp_n")
    peak_4n, s_4n = peak_of_pull(large, tmp_path / "4n.out", fmt, tmp_path / "tmp_4n")
    size_4n = large.stat().st_size
    print(
        f"\n[pull {fmt}] peak {peak_n / 2**20:.2f} MiB for {n} tasks, {peak_4n / 2**20:.2f} MiB for {4 * n} ({size_4n / 2**20:.1f} MiB export)"
    )
    assert (s_n.written, s_4n.written) == ((n, 4 * n) if fmt == "json" else (2 * n, 8 * n))
    assert not s_4n.bad_tasks
    # Holding the export would take ~4x. Streaming takes a buffer and a task; records add two hashes
    # a task (telling a task seen twice), a small fraction of what the task itself takes.
    per_task = (peak_4n - peak_n) / (3 * n)
    assert per_task < (0 if fmt == "json" else 0.1) * size_4n / (4 * n) + 64
    assert peak_4n < size_4n / 2  # json.loads of the file alone would take several times its size
    # and it is still the in-memory pull's output
    want = in_memory(json.loads(large.read_text(encoding="utf-8")), fmt)
    assert (tmp_path / "4n.out").read_text(encoding="utf-8") == want


@pytest.mark.parametrize("fmt", ["json", "records", "bio", "dataset"])
def test_each_span_is_validated_once_and_read_once(tmp_path, fmt, monkeypatch):
    """Pull's one path: ``check_task`` validates each span (pull's ``read_span``) and
    the export reader reads each kept annotation's span once more for the records,
    whatever the format (it read them twice for records, BIO and dataset)."""
    import toolkit.studio.export as export_module
    import toolkit.studio.pull as pull_module

    calls = {"validated": 0, "read": 0}

    def counting(name, real):
        def read_span(*a, **k):
            calls[name] += 1
            return real(*a, **k)

        return read_span

    monkeypatch.setattr(pull_module, "read_span", counting("validated", pull_module.read_span))
    monkeypatch.setattr(export_module, "read_span", counting("read", export_module.read_span))
    s = streamed(EXPORTS / "toolkit_project.json", tmp_path / "out", fmt, tmp_path / "tmp")
    assert s.spans > 0 and not s.bad_tasks
    assert calls["validated"] == s.spans
    assert 0 < calls["read"] <= s.spans  # cancelled annotations are not read


def test_a_field_only_bad_tasks_label_is_read_as_in_memory(tmp_path):
    """A span on a field of no toolkit text ('note'), in a task left out: the good tasks'
    records are read with the fields of the good tasks only, as ``write_pulled`` of the list."""
    export = json.loads((EXPORTS / "toolkit_project.json").read_text(encoding="utf-8"))
    export[0]["data"]["note"] = "Catatan redaksi."
    bad = copy.deepcopy(export[0]) | {"id": 77}
    bad["data"] = bad["data"] | {"key": "other|77", "note": "Catatan lain."}
    bad["annotations"] = [
        {
            "id": 770,
            "task": 77,
            "result": [{"id": "n", "from_name": "note_labels", "to_name": "note", "type": "labels"}],
        }
    ]
    bad["annotations"][0]["result"][0]["value"] = {"start": 0, "end": 4, "text": "Nope", "labels": ["LOC"]}
    export.append(bad)
    (tmp_path / "e.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    for fmt in ("records", "bio"):
        s = streamed(tmp_path / "e.json", tmp_path / fmt, fmt, tmp_path / "tmp")
        assert len(s.bad_tasks) == 1 and "task 77" in s.bad_tasks[0], s.bad_tasks
        assert (tmp_path / fmt).read_text(encoding="utf-8") == in_memory(export, fmt)


@given(st.lists(st.one_of(st.integers(-(2**63), 2**63 - 1), st.integers(-3, 3)), max_size=3000))
@settings(max_examples=60, deadline=None)
def test_hash_set_holds_what_a_set_holds(values):
    """Pull's compact set of task hashes (``HashSet``) answers as a ``set`` does (0 is kept as 1)."""
    from toolkit.studio.pull import HashSet

    got, want = HashSet(), set()
    for v in values:
        assert (v in got) == ((v or 1) in want)
        got.add(v)
        want.add(v or 1)
    assert got.used == len(want) and all(v in got for v in values)
