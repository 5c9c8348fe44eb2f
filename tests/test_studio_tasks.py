"""Run folders -> Label Studio tasks: keys, context, flags, predictions; the rule guesser."""

from __future__ import annotations

import pytest
from label_studio_sdk.label_interface import LabelInterface
from run_folder import run_info

from toolkit.extractor.rules import RuleGuesser
from toolkit.records import BitextRecord, Flag
from toolkit.run import RunFolderError, load_run, write_run_info
from toolkit.studio.config import labeling_config
from toolkit.studio.contract import flags_text, task_texts
from toolkit.studio.push import project_description
from toolkit.studio.tasks import build_task, iter_tasks, task_key

TARGETS = ["eng_Latn", "vie_Latn"]


def rec(doc: str, idx: int, src: str, translate: bool = True, **kw) -> BitextRecord:
    mt = kw.pop("mt", {t: src for t in TARGETS} if translate else {})
    return BitextRecord(
        id=f"{doc}#p0s{idx}",
        doc=doc,
        para=0,
        idx=idx,
        src_lang=kw.pop("lang", "ind_Latn"),
        src=src,
        src_start=0,
        src_end=len(src),
        translate=translate,
        mt=mt,
        **kw,
    )


def write_run(path, records):
    from run_folder import write_run as write

    return write(path, records, TARGETS)


def test_load_run_errors_name_the_folder_and_the_fix(tmp_path):
    with pytest.raises(RunFolderError, match="no such folder"):
        load_run(tmp_path / "missing")
    with pytest.raises(RunFolderError, match=r"no bitext.jsonl\): run `toolkit translate` first"):
        load_run(tmp_path)
    (tmp_path / "bitext.jsonl").write_text("")
    with pytest.raises(RunFolderError, match="no run.json"):
        load_run(tmp_path)
    (tmp_path / "run.json").write_text("{}")
    with pytest.raises(RunFolderError, match="targets"):
        load_run(tmp_path)
    (tmp_path / "run.json").write_text('{"targets": ["eng_Latn"]}')
    with pytest.raises(RunFolderError, match="not a run.json written by `toolkit translate`"):
        load_run(tmp_path)  # no provenance: not what the toolkit writes
    write_run_info(tmp_path, run_info("", ["eng_Latn"], model="org/some-nllb"))
    run = load_run(tmp_path)
    assert run.name == tmp_path.name
    assert project_description(run) == f"toolkit run {tmp_path.name} (org/some-nllb)"


def test_task_key_is_stable_and_changes_with_any_text():
    r = rec("a.txt", 0, "Distrik Nui Thanh")
    k = task_key(r, TARGETS)
    assert k.startswith("a.txt#p0s0|") and len(k.split("|")[1]) == 16
    assert task_key(rec("a.txt", 0, "Distrik Nui Thanh"), TARGETS) == k
    changed = rec(
        "a.txt", 0, "Distrik Nui Thanh", mt={"eng_Latn": "Nui Thanh district", "vie_Latn": "Distrik Nui Thanh"}
    )
    assert task_key(changed, TARGETS) != k
    # swapping two translations changes the key too (each text is tied to its target)
    swapped = rec("a.txt", 0, "x", mt={"eng_Latn": "A", "vie_Latn": "B"})
    assert task_key(swapped, TARGETS) != task_key(rec("a.txt", 0, "x", mt={"eng_Latn": "B", "vie_Latn": "A"}), TARGETS)


def test_one_task_per_translated_sentence_with_document_context(tmp_path):
    run = load_run(
        write_run(
            tmp_path / "r",
            [
                rec("a.txt", 0, "Judul", translate=False, skip_reason="source_line"),
                rec("a.txt", 1, "Satu."),
                rec("a.txt", 2, "Dua."),
                rec("a.txt", 3, "Tiga."),
                rec("b.txt", 0, "Empat."),
            ],
        )
    )
    tasks = list(iter_tasks(run))
    assert [t["data"]["src"] for t in tasks] == ["Satu.", "Dua.", "Tiga.", "Empat."]
    ctx = [(t["data"]["context_before"], t["data"]["context_after"]) for t in tasks]
    assert ctx == [("", "Dua."), ("Satu.", "Tiga."), ("Dua.", ""), ("", "")]
    d = tasks[0]["data"]
    assert d["run"] == "r" and d["doc"] == "a.txt" and d["record_id"] == "a.txt#p0s1"
    assert d["mt_eng_Latn"] == "Satu." and d["flags_eng_Latn"] == "" and d["flags"] == ""


def test_task_carries_the_language_of_each_text_and_older_tasks_still_read(tmp_path):
    run = load_run(write_run(tmp_path / "r", [rec("a.txt", 0, "Satu.", lang="ind_Latn")]))
    (task,) = iter_tasks(run)
    data = task["data"]
    assert data["langs"] == {"src": "ind_Latn", "mt_eng_Latn": "eng_Latn", "mt_vie_Latn": "vie_Latn"}
    texts = task_texts(data)
    assert [(t.name, t.text, t.lang, t.target) for t in texts] == [
        ("src", "Satu.", "ind_Latn", None),
        ("mt_eng_Latn", "Satu.", "eng_Latn", "eng_Latn"),
        ("mt_vie_Latn", "Satu.", "vie_Latn", "vie_Latn"),
    ]
    # a task pushed before "langs" existed is read by its layout, to the same texts
    assert task_texts({k: v for k, v in data.items() if k != "langs"}) == texts
    # with "langs", the language comes from it, never from the field's name
    named = {"src": "x", "english": "y", "mt_vie_Latn": "z", "langs": {"src": "tha_Thai", "english": "eng_Latn"}}
    assert [(t.name, t.lang, t.target) for t in task_texts(named)] == [
        ("src", "tha_Thai", None),
        ("english", "eng_Latn", "eng_Latn"),
    ]


def test_bad_bitext_line_is_reported_and_skipped(tmp_path):
    path = write_run(tmp_path / "r", [rec("a.txt", 0, "Satu."), rec("a.txt", 1, "Dua.")])
    lines = (path / "bitext.jsonl").read_text().splitlines()
    (path / "bitext.jsonl").write_text(lines[0] + "\n{broken\n" + lines[1] + "\n")
    errors: list[str] = []
    tasks = list(iter_tasks(load_run(path), errors=errors))
    assert len(tasks) == 2
    assert len(errors) == 1 and "bitext.jsonl:2:" in errors[0]


def test_flags_are_readable_per_target_and_overall():
    flags = [Flag("figure_missing", "eng_Latn", "451 ha"), Flag("repetition", "vie_Latn")]
    assert flags_text(flags, "eng_Latn") == "⚠ figure missing (451 ha)"
    assert flags_text(flags, "vie_Latn") == "⚠ repetition"
    assert flags_text(flags) == "⚠ eng_Latn: figure missing (451 ha); vie_Latn: repetition"
    assert flags_text([], "eng_Latn") == ""


def test_predictions_carry_figures_and_entities_on_every_text_and_validate(tmp_path):
    src = "Herr Le Quang Hat sa at distriktet organiserte 71 dialoger 🎉 i Thang Binh-distriktet."
    eng = "Mr. Le Quang Hat said the district held 71 dialogues 🎉 in Thang Binh district."
    figs = {
        "src": [{"start": src.index("71"), "end": src.index("71") + 2, "text": "71", "kind": "COUNT", "value": 71}],
        "eng_Latn": [
            {"start": eng.index("71"), "end": eng.index("71") + 2, "text": "71", "kind": "COUNT", "value": 71}
        ],
        "vie_Latn": [{"start": 0, "end": 5, "text": "stale", "kind": "COUNT", "value": 1}],
    }
    r = rec(
        "n.txt",
        0,
        src,
        lang="nob_Latn",
        mt={"eng_Latn": eng, "vie_Latn": src},
        figures=figs,
        flags=[{"code": "figure_missing", "target": "vie_Latn", "detail": "x"}],
    )
    run = load_run(write_run(tmp_path / "r", [r]))
    task = build_task(r, run, predictor=RuleGuesser())
    pred = task["predictions"][0]
    assert pred["model_version"].startswith("figures-") and pred["model_version"].endswith("+rules-3")
    by_field: dict[str, list] = {}
    for res in pred["result"]:
        v = res["value"]
        text = task["data"][res["to_name"]]
        assert text[v["start"] : v["end"]] == v["text"]  # code points, as Label Studio 1.23 stores them
        assert res["from_name"] == res["to_name"] + "_labels"
        by_field.setdefault(res["to_name"], []).append((v["labels"][0], v["text"]))
    assert ("COUNT", "71") in by_field["src"] and ("COUNT", "71") in by_field["mt_eng_Latn"]
    assert ("PER", "Le Quang Hat") in by_field["src"] and ("PER", "Le Quang Hat") in by_field["mt_eng_Latn"]
    assert ("LOC", "Thang Binh") in by_field["src"] and ("LOC", "Thang Binh") in by_field["mt_eng_Latn"]
    assert all(t != "stale" for _, t in by_field.get("mt_vie_Latn", []))  # a figure off its text is dropped
    assert task["data"]["flags_vie_Latn"] == "⚠ figure missing (x)"
    li = LabelInterface(labeling_config(TARGETS))
    assert li.validate_prediction(pred, return_errors=True) == []
    assert li.validate_task({"data": task["data"]})


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Resolusi Kongres ke-22 Komite Partai Distrik Nui Thanh (masa jabatan 2020 - 2025)",
            "ind_Latn",
            [("ORG", "Komite Partai Distrik Nui Thanh")],
        ),
        (
            "pengerukan saluran ke pelabuhan Ky Ha tahap 2 di distrik Nui Thanh",
            "ind_Latn",
            [("LOC", "Ky Ha"), ("LOC", "Nui Thanh")],
        ),
        (
            "Herr Le Quang Hat – visesekretær i Thang Binh-distriktets partikomité",
            "nob_Latn",
            [("PER", "Le Quang Hat"), ("LOC", "Thang Binh")],
        ),
        (
            "De acordo com a avaliação do Comitê Permanente Provincial do Partido, em 2024",
            "por_Latn",
            [("ORG", "Comitê Permanente Provincial do Partido")],
        ),
        ("ในฐานะพื้นที่สำคัญของนครห่าติ๋ญ ในช่วงปี 2561-2566", "tha_Thai", [("LOC", "ห่าติ๋ญ")]),
        (
            "The Nui Thanh District Party Committee met in Quang Nam province.",
            "eng_Latn",
            [("ORG", "Nui Thanh District Party Committee"), ("LOC", "Quang Nam")],
        ),
        ("Fokus pada mobilisasi massa pemerintah.", "ind_Latn", []),
    ],
)
def test_rule_guesser_on_seed_sentences(text, lang, expected):
    got = [(s.label, s.text) for s in RuleGuesser().predict(text, lang)]
    assert got == expected
    for s in RuleGuesser().predict(text, lang):
        assert text[s.start : s.end] == s.text


def test_rule_guesser_names_kept_across_texts():
    texts = {
        "src": ("Standende visesekretær, Nguyen Duc Dung, delte ut i Quang Nam.", "nob_Latn"),
        "mt_eng_Latn": ("Standing deputy secretary Nguyen Duc Dung handed out awards in Quang Nam.", "eng_Latn"),
        "mt_vie_Latn": ("Phó Bí thư Thường trực, Nguyen Van A.", "vie_Latn"),
    }
    got = {k: [(s.label, s.text) for s in v] for k, v in RuleGuesser().predict_texts(texts).items()}
    assert got["src"] == [("PER", "Nguyen Duc Dung"), ("LOC", "Quang Nam")]
    assert got["mt_eng_Latn"] == [("PER", "Nguyen Duc Dung"), ("LOC", "Quang Nam")]
    assert ("PER", "Nguyen Van A") not in got["mt_vie_Latn"]  # found in one text only
