"""low_confidence and round_trip_low: thresholds, the scores kept by the cache
and the pipeline, on a fake engine whose scores are given."""

from __future__ import annotations

import json
import math
import sqlite3

import pytest

from toolkit.checks.confidence import DEFAULT_MIN_CONFIDENCE, chrf, confidence_flags, round_trip_flags
from toolkit.records import BitextRecord, Hypothesis
from toolkit.run import Provenance, iter_records
from toolkit.translate.cache import TranslationCache
from toolkit.translate.engine import Engine
from toolkit.translate.pipeline import TranslateConfig, translate_folder

SURE = "Petani menanam padi di sawah."
UNSURE = "Komite rakyat mengadakan rapat besar."


def test_low_confidence_fires_below_the_threshold_only():
    (flag,) = confidence_flags(-1.5, "eng_Latn", -1.0)
    assert flag.code == "low_confidence" and flag.target == "eng_Latn" and "-1.50" in flag.detail
    assert confidence_flags(-0.99, "eng_Latn", -1.0) == []
    assert confidence_flags(-1.0, "eng_Latn", -1.0) == []  # at the threshold: not below it
    assert confidence_flags(None, "eng_Latn", -1.0) == []  # no score is not a doubt
    assert confidence_flags(-5.0, "eng_Latn", -math.inf) == []  # --min-confidence -inf turns it off
    assert DEFAULT_MIN_CONFIDENCE == -1.0


def test_round_trip_flag_and_chrf():
    assert chrf("Petani menanam padi di sawah.", SURE) == pytest.approx(100.0)
    assert chrf("Sesuatu yang lain sama sekali.", SURE) < 35
    assert [f.code for f in round_trip_flags(20.0, "vie_Latn", 35.0)] == ["round_trip_low"]
    assert round_trip_flags(35.0, "vie_Latn", 35.0) == [] and round_trip_flags(None, "vie_Latn") == []


def test_an_old_cache_is_migrated_and_stays_readable(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE translations (key TEXT PRIMARY KEY, engine_key TEXT NOT NULL, src_lang TEXT NOT NULL, "
        "tgt_lang TEXT NOT NULL, src TEXT NOT NULL, mt TEXT NOT NULL)"
    )
    db.commit()
    db.close()
    with TranslationCache(path, "k") as old:
        old.put_many("ind_Latn", "eng_Latn", [("Halo", "Hello")])  # as the runner before scores wrote
    with TranslationCache(path, "k") as cache:
        assert cache.get("ind_Latn", "eng_Latn", "Halo") == "Hello"
        assert cache.get_scored("ind_Latn", "eng_Latn", ["Halo"]) == [("Hello", None, 0)]
        cache.put_many("ind_Latn", "eng_Latn", [("Pagi", "Morning", -0.25, 3)])
        assert cache.get_scored("ind_Latn", "eng_Latn", ["Pagi", "Malam"]) == [("Morning", -0.25, 3), None]


class ScoredEngine(Engine):
    """Fixed translations and scores; ``back`` holds the back-translations
    (a text not in it comes back as itself)."""

    name = "scored"

    def __init__(self, table: dict[str, Hypothesis], back: dict[str, str] | None = None) -> None:
        super().__init__("scored")
        self.table, self.back = table, back or {}

    def count_tokens(self, texts, src_lang):
        return [len(t.split()) + 2 for t in texts]

    def translate_batch(self, texts, src_lang, tgt_lang):
        return [h.text for h in self.translate_scored(texts, src_lang, tgt_lang)]

    def translate_scored(self, texts, src_lang, tgt_lang):
        if tgt_lang == "ind_Latn":  # the round trip
            return [Hypothesis(self.back.get(t, t), -0.1, 5) for t in texts]
        return [self.table[t] for t in texts]

    def provenance(self):
        return Provenance(engine=self.name, model="scored")


def _run(tmp_path, engine, **config) -> list[BitextRecord]:
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    (src / "a.txt").write_text(f"{SURE} {UNSURE}\n", encoding="utf-8")
    run = tmp_path / "run"
    translate_folder(src, run, engine, TranslateConfig(targets=["eng_Latn"], src_lang="ind_Latn", **config))
    return list(iter_records(run))


def test_scores_and_low_confidence_in_the_run(tmp_path):
    engine = ScoredEngine(
        {SURE: Hypothesis("Farmers plant rice in the fields.", -0.3, 8), UNSURE: Hypothesis("People.", -1.7, 3)},
        back={"Farmers plant rice in the fields.": SURE, "People.": "Orang."},
    )
    sure, unsure = _run(tmp_path, engine, round_trip=True)
    assert sure.scores == {"eng_Latn": -0.3} and unsure.scores == {"eng_Latn": -1.7}
    assert "low_confidence" in [f.code for f in unsure.flags_list()]
    assert "low_confidence" not in [f.code for f in sure.flags_list()]
    # The sure one comes back as its source, the unsure one as one word.
    assert sure.round_trip["eng_Latn"] > 90 and unsure.round_trip["eng_Latn"] < 35
    assert "round_trip_low" in [f.code for f in unsure.flags_list()]
    assert "round_trip_low" not in [f.code for f in sure.flags_list()]
    quality = json.loads((tmp_path / "run" / "run.json").read_text())["quality"]
    assert quality["min_confidence"] == -1.0 and quality["round_trip"] is True


def test_min_confidence_is_a_run_setting(tmp_path):
    engine = ScoredEngine(
        {SURE: Hypothesis("Farmers plant rice in the fields.", -0.3, 8), UNSURE: Hypothesis("People.", -1.7, 3)}
    )
    records = _run(tmp_path, engine, min_confidence=-0.2)
    assert all("low_confidence" in [f.code for f in r.flags_list()] for r in records)
    assert all(r.round_trip == {} for r in records)  # off by default


def test_the_label_studio_task_shows_the_confidence():
    from toolkit.studio.contract import Task, TaskText, confidence_field, confidence_text

    texts = [TaskText("src", SURE, "ind_Latn"), TaskText("mt_eng_Latn", "Farmers.", "eng_Latn", "eng_Latn")]
    data = Task("k", "r", "d", "run", "ind_Latn", texts, confidence={"eng_Latn": -0.5}).data()
    assert data[confidence_field("eng_Latn")] == "model confidence 0.61 (mean token log-prob -0.50)"
    assert confidence_text(None) == ""
