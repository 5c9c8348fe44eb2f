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
