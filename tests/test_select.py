"""Task priority (toolkit.select): the signals that must raise or lower it, pre-annotation projection, `toolkit rank`."""

from __future__ import annotations

import json

from run_folder import write_run

from toolkit.extractor.rules import RuleGuesser
from toolkit.figures import extract_figures
from toolkit.records import BitextRecord, Flag
from toolkit.run import load_run
from toolkit.segment.tokens import tokenize
from toolkit.select import combine, make_ranker, rank_run, task_priority, uncertainty
from toolkit.studio.contract import PROJECTED_FROM
from toolkit.studio.push import by_priority
from toolkit.studio.tasks import make_task

TARGETS = ["eng_Latn", "vie_Latn"]
SRC = "Bapak Le Van Sinh mengunjungi Distrik Nui Thanh dengan 451 ha sawah."
ENG = "Mr. Le Van Sinh visited Nui Thanh district with 451 ha of rice fields."
VIE = "Ông Lê Văn Sinh đã đến thăm huyện Núi Thành với 451 ha ruộng lúa."


def rec(idx: int, src: str = SRC, eng: str = ENG, vie: str = VIE, flags=()) -> BitextRecord:
    return BitextRecord(
        id=f"a.txt#p0s{idx}", doc="a.txt", para=0, idx=idx, src_lang="ind_Latn", src=src,
        src_start=0, src_end=len(src), mt={"eng_Latn": eng, "vie_Latn": vie}, flags=[f.to_dict() for f in flags],
    )  # fmt: skip


def task_of(tmp_path, record, predictor=None):
    run = load_run(write_run(tmp_path / "r", [record], TARGETS))
    return make_task(record, run, predictor=predictor or RuleGuesser(), figure_finder=extract_figures)


class Sure:
    """A stand-in model whose token confidence the test sets: what the CRF's marginals would say."""

    version = "sure-1"

    def __init__(self, p: float) -> None:
        self.p = p

    def predict(self, text, lang):
        return []

    def token_confidence(self, text, lang):
        return [(t, self.p) for t in tokenize(text)]


def test_uncertainty_reads_the_least_sure_tokens():
    assert uncertainty([]) == 0.0
    assert uncertainty([1.0, 1.0, 1.0, 1.0]) == 0.0
    assert uncertainty([1.0, 0.4, 1.0, 0.4, 0.4, 1.0]) == 0.6  # the three worst, not the mean of all
    assert combine({"flags": 1.0, "disagreement": 0.0}) == 0.4  # weights renormalised over the signals present


def test_agreeing_texts_without_flags_rank_low_and_say_why(tmp_path):
    p = task_priority(task_of(tmp_path, rec(0)))
    assert p.signals == {"flags": 0.0, "disagreement": 0.0}  # the rule guesser has no uncertainty
    assert p.priority == 0.0 and p.why.startswith("no signal")


def test_a_figure_on_one_side_only_raises_priority(tmp_path):
    base = task_priority(task_of(tmp_path / "a", rec(0))).priority
    lost = task_priority(task_of(tmp_path / "b", rec(0, eng=ENG.replace("451 ha of ", "")))).priority
    assert lost > base
    p = task_priority(task_of(tmp_path / "c", rec(0, eng=ENG.replace("451", "415"))))
    assert p.signals["disagreement"] > 0 and "'451 ha' on src" in p.why


def test_flags_raise_priority_and_more_flags_raise_it_more(tmp_path):
    one = [Flag("repetition", "eng_Latn")]
    two = one + [Flag("length_ratio", "vie_Latn", "0.3")]
    p0 = task_priority(task_of(tmp_path / "a", rec(0))).priority
    p1 = task_priority(task_of(tmp_path / "b", rec(0, flags=one)))
    p2 = task_priority(task_of(tmp_path / "c", rec(0, flags=two)))
    assert p0 < p1.priority < p2.priority <= 1.0
    assert "flags: length_ratio, repetition" in p2.why


def test_model_uncertainty_raises_and_confidence_lowers_priority(tmp_path):
    unsure = task_priority(task_of(tmp_path / "a", rec(0), Sure(0.4)), Sure(0.4))
    sure = task_priority(task_of(tmp_path / "b", rec(0), Sure(0.99)), Sure(0.99))
    assert unsure.signals["uncertainty"] == 0.6 and sure.signals["uncertainty"] == 0.01
    assert unsure.priority > sure.priority and "model unsure 0.60" in unsure.why
    assert "model unsure" not in sure.why


def test_source_guesses_are_projected_onto_translations_and_marked(tmp_path):
    task = task_of(tmp_path, rec(0, vie="Ông Lê Văn Sinh đã đến thăm Núi Thành với 451 ha ruộng lúa."))
    lsj = task.to_label_studio()
    regions = lsj["predictions"][0]["result"]
    projected = [r for r in regions if "meta" in r]
    assert projected and all(r["meta"][PROJECTED_FROM] == "src" and r["to_name"] != "src" for r in projected)
    on_vie = {r["value"]["text"]: r for r in regions if r["to_name"] == "mt_vie_Latn"}
    # The rule guesser finds no designator before "Núi Thành" on this side: the LOC comes from the source.
    assert on_vie["Núi Thành"]["value"]["labels"] == ["LOC"] and "meta" in on_vie["Núi Thành"]
    # The translation's own figure is kept, not doubled by the projected one.
    assert [r["value"]["text"] for r in regions if r["to_name"] == "mt_vie_Latn"].count("451 ha") == 1
    for r in regions:  # every region still lies on its text
        text = lsj["data"][r["to_name"]]
        assert text[r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]


def test_ranker_puts_priority_in_the_data_and_push_order_sorts_by_it(tmp_path):
    records = [rec(0), rec(1, eng=ENG.replace("451", "415")), rec(2, flags=[Flag("repetition", "eng_Latn")])]
    run = load_run(write_run(tmp_path / "r", records, TARGETS))
    rank = make_ranker(RuleGuesser())
    tasks = [make_task(r, run, predictor=RuleGuesser(), figure_finder=extract_figures, ranker=rank) for r in records]
    data = [t.to_label_studio()["data"] for t in tasks]
    assert all(0.0 <= d["priority"] <= 1.0 and d["priority_why"] for d in data)
    ordered = [t["data"]["record_id"] for t in by_priority(t.to_label_studio() for t in tasks)]
    by_hand = sorted(data, key=lambda d: -d["priority"])
    assert ordered == [d["record_id"] for d in by_hand] and ordered[-1] == "a.txt#p0s0"
    # Ties keep document order: three equal tasks come back as they went in.
    same = [make_task(rec(i), run, ranker=rank).to_label_studio() for i in range(3)]
    assert [t["data"]["record_id"] for t in by_priority(same)] == [t["data"]["record_id"] for t in same]
    assert [p.record_id for p in rank_run(run)] == ordered


def test_rank_cli_prints_most_useful_first(tmp_path):
    from helpers import cli

    records = [rec(0), rec(1, flags=[Flag("repetition", "eng_Latn"), Flag("truncated", "vie_Latn")])]
    run = write_run(tmp_path / "r", records, TARGETS)
    p = cli("rank", str(run))
    assert p.returncode == 0, p.stderr
    lines = [line.split("\t") for line in p.stdout.splitlines()]
    assert [row[0] for row in lines] == ["a.txt#p0s1", "a.txt#p0s0"]
    assert float(lines[0][1]) > float(lines[1][1]) and "flags: repetition, truncated" in lines[0][2]
    p = cli("rank", str(run), "--json", "--top", "1")
    assert [json.loads(line)["record_id"] for line in p.stdout.splitlines()] == ["a.txt#p0s1"]
    bad = cli("rank", str(tmp_path / "missing"))
    assert bad.returncode == 2 and "no such folder" in bad.stderr


def test_translation_doubt_raises_priority_and_is_explained(tmp_path):
    from toolkit.select import task_signals

    def scored(score, sub):
        r = rec(0)
        if score is not None:
            r.scores = {"eng_Latn": -0.01, "vie_Latn": score}
        return task_of(tmp_path / sub, r)

    s_sure, _ = task_signals(scored(-0.01, "a"))
    s_unsure, why = task_signals(scored(-1.5, "b"))
    assert s_sure["mt_doubt"] < 0.02 < 0.7 < s_unsure["mt_doubt"]  # the least sure translation counts
    assert combine(s_unsure) > combine(s_sure)
    assert any("translation doubt" in w for w in why)
    assert "mt_doubt" not in task_signals(scored(None, "c"))[0]  # a run without scores: no such signal
