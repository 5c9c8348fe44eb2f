"""The crf backend: it learns, it saves and loads, it says what is wrong."""

from __future__ import annotations

import pytest
from extractor_synthetic import make_records, scrambled

from toolkit.extractor import ExtractorError, load_extractor
from toolkit.extractor.crf import CRFExtractor
from toolkit.extractor.evaluation import evaluate_extractor
from toolkit.records import AnnotatedText, Span

LABELS = ["PER", "ORG", "LOC"]


@pytest.fixture(scope="module")
def data():
    return make_records(120, seed=1, doc_prefix="train"), make_records(40, seed=2, doc_prefix="test")


@pytest.fixture(scope="module")
def trained(data):
    ext = CRFExtractor(LABELS, {"max_iterations": 60})
    ext.fit(data[0])
    return ext


def test_learns_the_pattern(data, trained):
    f1 = evaluate_extractor(trained, data[1])["overall"]["f1"]
    assert f1 >= 0.9


def test_without_a_pattern_it_cannot(data):
    # The rule guesser's fill-in needs no labels and finds real names: off, so
    # that this checks what the tagger learns from scrambled labels alone.
    ext = CRFExtractor(LABELS, {"max_iterations": 60, "rule_merge": False})
    ext.fit(scrambled(data[0], seed=3))
    assert evaluate_extractor(ext, data[1])["overall"]["f1"] < 0.3


def test_save_load_predicts_the_same(tmp_path, data, trained):
    path = trained.save(tmp_path / "crf-model")
    loaded = load_extractor(path)
    assert loaded.version == trained.version and loaded.version.startswith("crf-model@")
    for r in data[1][:10]:
        assert loaded.predict(r.text, r.lang) == trained.predict(r.text, r.lang)
    spans = loaded.predict("Bapak Nguyen Van Minh mengunjungi distrik Cam Long kemarin.", "ind_Latn")
    assert ("PER", "Nguyen Van Minh") in [(s.label, s.text) for s in spans]
    assert all(0.0 <= s.score <= 1.0 for s in spans)


def test_multiline_text_spans_never_cross_lines(trained):
    text = "Bapak Nguyen Van Minh\nDistrik Cam Long"
    for s in trained.predict(text, "ind_Latn"):
        assert "\n" not in s.text and text[s.start : s.end] == s.text


def test_label_outside_the_model_is_an_error():
    ext = CRFExtractor(["PER"])
    rec = AnnotatedText(text="Bapak Le Van", lang="ind_Latn", spans=[Span(6, 12, "LOC", "Le Van")], task_id=4, doc="d")
    with pytest.raises(ExtractorError, match="task 4"):
        ext.fit([rec])


def test_not_a_model_folder(tmp_path):
    with pytest.raises(ExtractorError, match="not a trained extractor"):
        load_extractor(tmp_path)


# --- issue 22: settings decided on the training data, and models saved before them ---


def test_template_features_are_decided_by_the_training_size(tmp_path, data, trained):
    # 120 short synthetic texts are far below lexical_min_tokens: the template would overfit them
    assert trained.settings["lexical"] == "auto" and trained.settings["lexical_on"] is False
    big = CRFExtractor(LABELS, {"max_iterations": 30, "lexical_min_tokens": 100})
    big.fit(data[0])
    assert big.settings["lexical_on"] is True
    assert evaluate_extractor(big, data[1])["overall"]["f1"] >= 0.9
    loaded = load_extractor(big.save(tmp_path / "lexical"))
    assert loaded.settings["lexical_on"] is True
    for r in data[1][:5]:
        assert loaded.predict(r.text, r.lang) == big.predict(r.text, r.lang)


def test_rule_fill_in_follows_the_rules_precision_on_the_labels(data, trained):
    p = trained.settings["rule_precision_train"]
    assert p is None or 0.0 <= p <= 1.0
    # scrambled labels: whatever the rules guess is (nearly) never the label, so no fill-in
    ext = CRFExtractor(LABELS, {"max_iterations": 30})
    ext.fit(scrambled(data[0], seed=3))
    q = ext.settings["rule_precision_train"]
    assert q is None or q < ext.settings["rule_merge_min_precision"]


@pytest.mark.parametrize(
    ("merge", "by_label", "overall", "expected"),
    [
        # "auto": each label whose rules were precise enough on the training labels, with that precision
        ("auto", {"PER": 0.81, "ORG": 0.42, "LOC": 0.6}, 0.64, {"PER": 0.81, "LOC": 0.6}),
        ("auto", {"PER": 0.5, "ORG": 0.4}, 0.45, {}),
        # a model trained before precision was kept per label: every label or none, by the overall figure
        ("auto", None, 0.7, {"PER": 0.7, "ORG": 0.7, "LOC": 0.7}),
        ("auto", None, 0.3, {}),
        ("auto", None, None, {}),
        # forced: every label (a label the rules never guessed gets the overall figure), or none
        (True, {"PER": 0.2}, 0.2, {"PER": 0.2, "ORG": 0.2, "LOC": 0.2}),
        (False, {"PER": 0.99}, 0.99, {}),
    ],
)
def test_which_labels_the_rules_fill_in(merge, by_label, overall, expected):
    ext = CRFExtractor(LABELS, {"rule_merge": merge})
    ext.settings.update({"rule_precision_train": overall, "rule_precision_by_label": by_label})
    assert ext.rule_fill_in() == expected


def test_the_rules_precision_is_kept_per_label(trained):
    by_label = trained.settings["rule_precision_by_label"]
    assert set(by_label) <= set(LABELS) and all(0.0 <= p <= 1.0 for p in by_label.values())


def test_a_model_saved_before_issue_22_keeps_its_features(tmp_path, trained):
    import json

    path = trained.save(tmp_path / "old")
    manifest = json.loads((path / "extractor.json").read_text())
    for key in ("lexical", "lexical_on", "lexical_min_tokens", "known_names", "clusters"):
        manifest["settings"].pop(key, None)
    (path / "extractor.json").write_text(json.dumps(manifest))
    old = load_extractor(path)
    assert old.settings["lexical"] is False and old.settings["known_names"] is False
    assert old.settings["clusters"] is False
