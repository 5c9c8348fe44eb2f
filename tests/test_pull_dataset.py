"""`toolkit pull --format dataset`: labels as a typed Hugging Face dataset, BIO tags as a ClassLabel sequence."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pytest

from toolkit.records import ALL_LABELS, AnnotatedText, Span
from toolkit.segment.tokens import Token, tags_to_spans
from toolkit.studio.export import dataset_features, tag_names, to_dataset, to_records
from toolkit.studio.pull import check_export, write_pulled

EXPORT = Path(__file__).parent / "data" / "exports" / "toolkit_project.json"
NASTY = Path(__file__).parent / "nasty" / "exports"


def test_features_are_typed_with_every_label_as_a_class():
    feats = to_dataset(to_records(EXPORT)).features
    tags = feats["tags"].feature
    assert isinstance(tags, datasets.ClassLabel)
    assert tags.names[:3] == ["O", "B-PER", "I-PER"]
    assert tags.names == ["O"] + [f"{p}-{label}" for label in ALL_LABELS for p in ("B", "I")]
    assert feats["tokens"].feature == datasets.Value("string")
    assert feats["token_starts"].feature == datasets.Value("int64")
    assert feats["task_id"] == datasets.Value("int64")
    assert feats["annotator"] == datasets.Value("string")
    span = feats["spans"].feature  # a list of structs, so a row's spans read back as dicts
    assert set(span) == {"start", "end", "label", "text"} and span["label"] == datasets.Value("string")


def test_tags_turn_back_into_the_labelled_spans():
    records = to_records(EXPORT)
    ds = to_dataset(records)
    names = ds.features["tags"].feature
    tags_seen = set()
    for rec, row in zip(records, ds, strict=True):
        toks = [Token(s, e, t) for t, s, e in zip(row["tokens"], row["token_starts"], row["token_ends"], strict=True)]
        assert all(row["text"][t.start : t.end] == t.text for t in toks)
        tags = [names.int2str(i) for i in row["tags"]]
        tags_seen.update(t[:2] for t in tags)
        got = [(s.label, s.text) for s in tags_to_spans(row["text"], toks, tags)]
        assert got == [(s.label, s.text) for s in rec.spans]  # every span of the fixture lies on token edges
        assert row["spans"] == [{"start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in rec.spans]
    assert {"B-", "I-", "O"} <= tags_seen  # multi-token spans, so I- tags are exercised


def test_a_foreign_label_comes_after_the_toolkit_labels():
    rec = AnnotatedText(text="Acme Widget 3", lang="eng_Latn", spans=[Span(0, 11, "PRODUCT", "Acme Widget")])
    ds = to_dataset([rec])
    names = ds.features["tags"].feature.names
    assert names[: len(tag_names())] == tag_names() and names[-2:] == ["B-PRODUCT", "I-PRODUCT"]
    assert [names[i] for i in ds[0]["tags"]] == ["B-PRODUCT", "I-PRODUCT", "O"]
    assert ds[0]["task_id"] is None and ds[0]["rating"] is None


def test_no_records_is_an_empty_dataset_with_its_columns():
    ds = to_dataset([])
    assert len(ds) == 0 and ds.features == dataset_features(tag_names())


def test_pull_writes_a_dataset_folder_from_a_checked_export(tmp_path):
    """What `toolkit pull --format dataset` does once the server's export is in hand."""
    export = json.loads(EXPORT.read_text(encoding="utf-8"))
    good, bad, _, _ = check_export(export)
    assert not bad
    out = tmp_path / "labels"
    n = write_pulled(good, out, "dataset")
    ds = datasets.load_from_disk(str(out))
    assert n == len(ds) == len(to_records(EXPORT))
    assert ds.features == dataset_features(tag_names())
    assert [p.name for p in tmp_path.iterdir()] == ["labels"]  # the temporary folder is gone
    assert write_pulled(good[:1], out, "dataset") == len(datasets.load_from_disk(str(out)))  # a pull again replaces it


def test_pull_refuses_to_replace_a_folder_that_is_not_a_dataset(tmp_path):
    good, _, _, _ = check_export(json.loads(EXPORT.read_text(encoding="utf-8")))
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="is not a dataset folder"):
        write_pulled(good, tmp_path, "dataset")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_pull_never_replaces_what_is_not_a_folder(tmp_path, kind):
    """A device (``--out /dev/null``), a FIFO or a link would be renamed over: refused, left as it was."""
    import os

    good, _, _, _ = check_export(json.loads(EXPORT.read_text(encoding="utf-8")))
    out = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(out)
    else:
        (tmp_path / "elsewhere").mkdir()
        out.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ValueError, match="is not a dataset folder"):
        write_pulled(good, out, "dataset")
    assert out.is_fifo() if kind == "fifo" else out.is_symlink()


def test_a_bad_task_leaves_the_rest_in_the_dataset(tmp_path):
    export = json.loads((NASTY / "span_off_text.json").read_text(encoding="utf-8"))
    good, bad, _, _ = check_export(export)
    assert bad and good
    assert write_pulled(good, tmp_path / "d", "dataset") > 0
    ds = datasets.load_from_disk(str(tmp_path / "d"))
    assert set(ds["task_id"]) == {t["id"] for t in good if t.get("annotations")}
