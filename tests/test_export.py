"""toolkit.studio.export: Label Studio JSON exports -> AnnotatedText, BIO, datasets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.studio.export import ExportError, read_export, to_bio, to_dataset, to_records

EXPORTS = Path(__file__).parent / "data" / "exports"
ROOT = Path(__file__).parent.parent


def test_toolkit_project_records():
    records, stats = read_export(EXPORTS / "toolkit_project.json")
    # tasks 3 (no annotation) and 4 (cancelled only) are skipped and counted
    assert (stats.tasks, stats.annotated, stats.skipped_unannotated) == (4, 2, 2)
    by = {(r.task_id, r.field_name): r for r in records}
    assert set(by) == {(t, f) for t in (1, 2) for f in ("src", "mt_eng_Latn", "mt_vie_Latn")}
    src = by[(1, "src")]
    assert (src.lang, src.doc, src.record_id) == ("ind_Latn", "a.txt", "a.txt#p0s0")
    # the latest annotation (id 11) wins over the older one (id 10) and the prediction
    assert [(s.label, s.text) for s in src.spans] == [
        ("PER", "Le Van Sinh"),
        ("ORG", "Komite Rakyat Distrik Nui Thanh"),
        ("COUNT", "127"),
    ]
    assert by[(1, "mt_eng_Latn")].rating == "good"
    vie = by[(1, "mt_vie_Latn")]
    assert vie.lang == "vie_Latn" and vie.rating == "minor errors" and vie.correction.endswith("phản biện.")
    # a translation without spans is still a (negative) training text
    assert by[(2, "mt_vie_Latn")].spans == []
    for r in records:
        for s in r.spans:
            assert r.text[s.start : s.end] == s.text


def test_thai_and_emoji_offsets_are_code_points():
    records = to_records(EXPORTS / "toolkit_project.json")
    th = next(r for r in records if r.lang == "tha_Thai")
    assert [s.text for s in th.spans] == ["เหงียน วัน ฮวีเญน", "ห่าติ๋ญ", "บุ้ย หนัาซาม"]
    # the span after the emoji is right in code points
    assert th.text[th.spans[2].start : th.spans[2].end] == "บุ้ย หนัาซาม"


def test_utf16_offsets_are_converted():
    (rec,) = to_records(EXPORTS / "utf16_offsets.json")
    (span,) = rec.spans
    assert rec.text[span.start : span.end] == "Hà Nội"


def test_other_project_fields_and_language():
    records = to_records(EXPORTS / "other_project.json")
    assert [r.field_name for r in records] == ["text", "text"]
    assert records[0].lang == "nob_Latn"  # from data["lang"]
    assert records[1].lang == "por_Latn"  # detected
    assert records[0].doc == "7"  # no "doc" in data: the task id


def test_labels_filter_drops_known_labels():
    records, stats = read_export(EXPORTS / "toolkit_project.json", ["PER", "ORG", "LOC"])
    assert stats.dropped_labels == {"COUNT": 1}
    assert all(s.label in ("PER", "ORG", "LOC") for r in records for s in r.spans)


@pytest.mark.parametrize(
    "name, message",
    [
        ("empty.json", "empty file"),
        ("truncated.json", "not valid JSON"),
        ("no_annotations.json", "none of its 2 tasks has an annotation"),
        ("unknown_label.json", "task 8, field 'text': unknown label 'PERSON'"),
        ("off_span.json", "task 8, field 'text': span 57-66 LOC says 'Quang Nam'"),
        ("missing.json", "no such file"),
    ],
)
def test_bad_exports(name, message):
    with pytest.raises(ExportError) as err:
        to_records(EXPORTS / name)
    assert message in str(err.value)
    assert name in str(err.value)


def test_custom_label_allowed_when_asked():
    records = to_records(EXPORTS / "unknown_label.json", ["PERSON", "LOC"])
    assert any(s.label == "PERSON" for r in records for s in r.spans)


def test_span_on_missing_field(tmp_path):
    bad = [
        {
            "id": 5,
            "data": {"text": "abc"},
            "annotations": [
                {
                    "result": [
                        {
                            "to_name": "body",
                            "type": "labels",
                            "value": {"start": 0, "end": 1, "text": "a", "labels": ["PER"]},
                        }
                    ]
                }
            ],
        }
    ]
    p = tmp_path / "x.json"
    p.write_text(json.dumps(bad))
    with pytest.raises(ExportError, match="task 5: span on field 'body'"):
        to_records(p)


def test_to_bio_aligns_tokens():
    records = to_records(EXPORTS / "toolkit_project.json")
    bio = to_bio(records)
    tokens, tags = bio[0]
    assert tokens[:4] == ["Bapak", "Le", "Van", "Sinh"]
    assert tags[:4] == ["O", "B-PER", "I-PER", "I-PER"]
    th_tokens, th_tags = bio[3]
    assert "".join(t for t, g in zip(th_tokens, th_tags, strict=True) if g.endswith("LOC")) == "ห่าติ๋ญ"
    assert sum(g.startswith("B-") for g in th_tags) == 3


def test_to_dataset():
    ds = to_dataset(to_records(EXPORTS / "toolkit_project.json"))
    assert len(ds) == 6
    row = ds[3]
    assert row["lang"] == "tha_Thai"
    for tok, s, e in zip(row["tokens"], row["token_starts"], row["token_ends"], strict=True):
        assert row["text"][s:e] == tok
    assert row["spans"][0]["label"] == "PER"


def test_seed_gold_export_is_valid_and_reproducible():
    import importlib.util

    path = ROOT / "annotations" / "gold" / "seeds_gold.json"
    records, stats = read_export(path)
    assert stats.skipped_unannotated == 0 and stats.spans >= 100
    assert {r.doc for r in records} == {p.name for p in (ROOT / "seeds").glob("*.txt")}
    assert {r.lang for r in records} == {"ind_Latn", "por_Latn", "nob_Latn", "tha_Thai"}
    spec = importlib.util.spec_from_file_location("build_gold", ROOT / "annotations" / "gold" / "build_gold.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.build() == json.loads(path.read_text(encoding="utf-8"))


# --- issue 16: any failure inside a task is that task's line, the rest goes on ------------------

NASTY = ROOT / "tests" / "nasty" / "exports"

# file -> (records read: gold tasks have one text each, lines that name the bad tasks); each of these was a traceback, a whole
# file lost, or a task used twice before the export validator (toolkit.studio.export_shape).
TASK_CASES = {
    "deep_nesting_task.json": (2, ["task 2: nested deeper than 64 levels at data.meta"]),
    "non_finite.json": (
        1,
        ["task 2: annotations[0].result[0].value.start is inf", "task 5: annotations[0].result[0].value.end is nan"],
    ),
    "wrong_types.json": (
        1,
        [
            "task 2: annotations is an object, not a list",
            "task 5: annotations[0].result is a string, not a list of results",
            "task #3: not a Label Studio task",
            "task 6: annotations[0].result[0].value is a list, not an object",
            "task 7: a span without start/end/labels (annotations[0].result[0].value: labels is not a list",
        ],
    ),
    "mixed_ids.json": (2, ["task #2: id is a list, not a number or a string"]),
    "lone_surrogate.json": (2, ["task 2: data.src holds a lone UTF-16 surrogate"]),
    "annotation_of_other_task.json": (2, ["task 2: annotation 2 belongs to task 99, not this one"]),
    "span_off_text.json": (2, ["task 2, field 'src': span 319-334 ORG says 'Front Tanah Air'"]),
}


@pytest.mark.parametrize("name", sorted(TASK_CASES))
def test_bad_task_is_one_line_and_the_rest_is_read(name):
    n, lines = TASK_CASES[name]
    records, stats = read_export(NASTY / name)
    assert len(records) == n
    assert len(stats.bad_tasks) == len(lines)
    for got, want in zip(sorted(stats.bad_tasks), sorted(lines), strict=True):
        assert got.startswith(f"{NASTY / name}: ") and want in got, (got, want)
    for r in records:
        assert all(r.text[s.start : s.end] == s.text for s in r.spans)


def test_mixed_ids_read_and_two_annotations_of_one_task():
    records, stats = read_export(NASTY / "mixed_ids.json", every=True)
    assert {r.task_id for r in records} == {1, None}  # the id "2" is kept as the task's, not as an int
    assert {(r.annotation_id, r.annotator) for r in records if r.task_id == 1} == {(1, "user 1"), ("b", "user 2")}
    latest, _ = read_export(NASTY / "mixed_ids.json")
    assert {r.annotation_id for r in latest if r.task_id == 1} == {"b"}  # the later one


def test_parser_depth_is_one_line_for_the_file():
    with pytest.raises(ExportError, match="deep_nesting_file.json: nested too deeply to read"):
        read_export(NASTY / "deep_nesting_file.json")


def test_duplicate_tasks_used_once_and_reported():
    records, stats = read_export(NASTY / "duplicate_tasks.json")
    assert sorted({r.task_id for r in records}) == [1, 2, 5]
    assert len(records) == 3 and not stats.bad_tasks
    assert [d.split(": ", 1)[1] for d in stats.duplicates] == [
        f"task 1: the same task as {NASTY / 'duplicate_tasks.json'}: task 1 (the same task id): used once",
        f"task 50: the same task as {NASTY / 'duplicate_tasks.json'}: task 5 (the same data.key): used once",
    ]


def test_duplicates_across_exports_used_once(tmp_path):
    from toolkit.studio.export import read_exports

    gold = ROOT / "annotations" / "gold" / "seeds_gold.json"
    batch = read_exports([gold, NASTY / "span_off_text.json"])
    alone, _ = read_export(gold)
    assert len(batch.records) == len(alone)  # the two good tasks of the hand-edited copy are gold's
    assert len(batch.duplicates) == 2 and all("(the same data.key): used once" in d for d in batch.duplicates)
    assert len(batch.problems) == 1 and "task 2, field 'src'" in batch.problems[0]


@pytest.mark.parametrize("name", sorted(TASK_CASES) + ["duplicate_tasks.json"])
def test_pull_checks_and_writes_every_format_of_a_bad_export(name, tmp_path):
    from toolkit.studio.pull import FORMATS, check_export, write_pulled

    export = json.loads((NASTY / name).read_text(encoding="utf-8"))
    good, bad, _, _ = check_export(export)
    assert len(bad) == len(TASK_CASES.get(name, (0, []))[1])
    assert all(b.startswith("task ") for b in bad)
    for fmt in FORMATS:
        out = tmp_path / f"out.{fmt}"
        assert write_pulled(good, out, fmt) > 0
        if fmt == "dataset":  # a folder: datasets.load_from_disk reads it
            assert (out / "dataset_info.json").is_file()
        else:
            out.read_text(encoding="utf-8")
    json.loads((tmp_path / "out.json").read_text(encoding="utf-8"), parse_constant=pytest.fail)
