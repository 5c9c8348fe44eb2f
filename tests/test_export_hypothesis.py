"""Property: any JSON-ish input to the export reader and to pull's checker gives records or one line per
bad task, never a traceback; what pull keeps can be written as strict JSON in UTF-8 (issue 16)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.studio.agreement import agreement
from toolkit.studio.export import ExportError, read_export
from toolkit.studio.pull import FORMATS, check_export, write_pulled

TEXT = "Le Van Sinh visited Hà Nội 🎉 and ห่าติ๋ญ."
KEYS = [
    "id",
    "data",
    "annotations",
    "result",
    "value",
    "start",
    "end",
    "labels",
    "text",
    "type",
    "to_name",
    "from_name",
    "src",
    "completed_by",
    "was_cancelled",
    "task",
    "updated_at",
    "choices",
    "reviews",
    "accepted",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["labels", "choices", "textarea", "src", "PER", "LOC", "PERSON", TEXT, "\ud800", "1"]),
)
json_ish = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=4)), inner, max_size=5),
    ),
    max_leaves=25,
)


def _value(start, end, label, text):
    return st.fixed_dictionaries({"start": start, "end": end, "labels": label, "text": text})


# Tasks shaped almost right: every field may be replaced by anything JSON-ish.
def maybe(good):
    return st.one_of(good, good, good, json_ish)


result = st.fixed_dictionaries(
    {
        "type": maybe(st.sampled_from(["labels", "choices", "textarea", "relation"])),
        "from_name": maybe(st.sampled_from(["src_labels", "rating_eng_Latn", "correction_eng_Latn"])),
        "to_name": maybe(st.sampled_from(["src", "mt_eng_Latn", "body"])),
        "value": maybe(
            _value(
                maybe(st.integers(-2, 45)),
                maybe(st.integers(-2, 45)),
                maybe(st.lists(st.sampled_from(["PER", "LOC", "ORG", "PERSON", ""]), max_size=2)),
                maybe(st.sampled_from(["Le Van Sinh", "Hà Nội", "x"])),
            )
        ),
    }
)
annotation = st.fixed_dictionaries(
    {
        "id": maybe(st.one_of(st.integers(0, 5), st.sampled_from(["a", "b"]))),
        "completed_by": maybe(
            st.one_of(
                st.integers(1, 3),
                st.fixed_dictionaries({"id": st.integers(1, 3), "email": st.sampled_from(["a@x", "b@x"])}),
            )
        ),
        "updated_at": maybe(st.sampled_from(["2025-01-01", "2025-01-02"])),
        "result": maybe(st.lists(maybe(result), max_size=4)),
    }
)
task = st.fixed_dictionaries(
    {
        "id": maybe(st.one_of(st.integers(0, 6), st.sampled_from(["1", "x"]))),
        "data": maybe(
            st.fixed_dictionaries(
                {
                    "src": maybe(st.just(TEXT)),
                    "mt_eng_Latn": maybe(st.just(TEXT)),
                    "key": maybe(st.sampled_from(["k1", "k2"])),
                }
            )
        ),
        "annotations": maybe(st.lists(maybe(annotation), max_size=3)),
    }
)
exports = st.one_of(st.lists(maybe(task), max_size=5), st.lists(json_ish, max_size=4))

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(export=exports)
def test_reader_gives_records_or_lines(export):
    try:
        records, stats = read_export(export, every=True)
    except ExportError as e:
        assert str(e).startswith("<export>: ")
        return
    for line in stats.bad_tasks:
        assert line.startswith("<export>: task ") and "\n" not in line
    for r in records:
        for s in r.spans:
            assert r.text[s.start : s.end] == s.text
    for rule in ("latest", "majority", "reviewed", "annotator:a@x"):
        read_export(export, rule=rule)


@SETTINGS
@given(export=exports)
def test_pull_keeps_only_what_can_be_written(export, tmp_path_factory):
    good, bad, _, _ = check_export(export)
    assert len(good) + len(bad) == len(export)
    assert all(line.startswith("task ") for line in bad)
    json.dumps(good, allow_nan=False).encode("utf-8")  # strict JSON, real text
    out = tmp_path_factory.mktemp("pull")
    for fmt in FORMATS:
        write_pulled(good, out / f"o.{fmt}", fmt)


@SETTINGS
@given(st.lists(exports, min_size=1, max_size=2))
def test_agreement_never_raises(several):
    got = agreement(several)
    for v in [got.overall["f1"], got.overall["kappa"]]:
        assert v is None or -1 <= v <= 1
