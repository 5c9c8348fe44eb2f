"""`toolkit evaluate` and `toolkit extract` end to end: a model trained by `toolkit train`
in the test, the rule guesser, real gold exports (issue 22)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit.cli.main  # noqa: F401  (registers every command, `evaluate` included)
from toolkit.cli.app import app
from toolkit.records import BitextRecord

ROOT = Path(__file__).parent.parent
GOLD = ROOT / "annotations" / "gold" / "seeds_gold.json"
EXPORTS = Path(__file__).parent / "data" / "exports"
NASTY = ROOT / "tests" / "nasty" / "exports"
EXTERNAL = ROOT.parent / "shared" / "external-ner" / "exports"

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("models") / "seeds-crf"
    res = invoke("train", GOLD, "--out", out, "--seed", "1")
    assert res.exit_code == 0, res.output
    return out


def _check_shape(scores: dict, labels: set[str]) -> None:
    for kind in ("strict", "overlap"):
        s = scores[kind]
        assert set(s["overall"]["per_label"]) <= labels
        assert {"ind_Latn", "por_Latn", "nob_Latn", "tha_Thai"} <= set(s["per_language"])
        for part in (s["overall"], *s["per_language"].values()):
            assert 0.0 <= part["precision"] <= 1.0 and 0.0 <= part["recall"] <= 1.0
        # overlap is the looser of the two: never below strict
        assert scores["overlap"]["overall"]["f1"] >= scores["strict"]["overall"]["f1"] - 1e-9


@pytest.mark.e2e
def test_evaluate_a_trained_model_on_gold(model, tmp_path):
    out = tmp_path / "scores.json"
    res = invoke("evaluate", model, GOLD, "--json", out)
    assert res.exit_code == 0, res.output
    scores = json.loads(out.read_text(encoding="utf-8"))
    _check_shape(scores, {"PER", "ORG", "LOC"})
    assert scores["overlap"]["overall"]["number"] == 124  # the gold's PER/ORG/LOC spans
    assert scores["strict"]["overall"]["f1"] > 0.6  # scored on its own training data: it learnt them
    assert "micro (all)" in res.stdout and "overlap P" in res.stdout
    # the same model scored as `toolkit train --eval` scores it: the strict figures agree
    metrics = json.loads((model / "metrics.json").read_text(encoding="utf-8"))
    assert "eval" in metrics


@pytest.mark.e2e
def test_evaluate_rules_matches_the_library(tmp_path):
    from toolkit.extractor.evaluation import evaluate_predictions, rule_predictions
    from toolkit.studio.export import read_export

    out = tmp_path / "rules.json"
    res = invoke("evaluate", "rules", GOLD, "--json", out, "--errors")
    assert res.exit_code == 0, res.output
    scores = json.loads(out.read_text(encoding="utf-8"))
    # every error listed, and their count is what the strict score says it is
    wrong = sum(e["kind"] == "wrong" for e in scores["errors"])
    missed = sum(e["kind"] == "missed" for e in scores["errors"])
    o = scores["overlap"]["overall"]
    assert o["predicted"] - wrong == o["number"] - missed  # exact hits, counted from either side
    assert any(line.endswith("~") or "missed" in line for line in res.stdout.splitlines())
    _check_shape(scores, {"PER", "ORG", "LOC"})
    records, _ = read_export(GOLD, ["PER", "ORG", "LOC"])
    want = evaluate_predictions(records, rule_predictions(records), ["PER", "ORG", "LOC"])
    assert scores["strict"]["overall"]["f1"] == want["strict"]["overall"]["f1"]
    assert scores["overlap"]["overall"] == want["overlap"]["overall"]


def test_overlap_counts_a_span_with_other_edges():
    from toolkit.extractor.evaluation import evaluate_predictions
    from toolkit.records import AnnotatedText, Span

    text = "Bapak Joko Widodo tiba di Jakarta."
    gold = [Span(start=6, end=17, label="PER", text="Joko Widodo"), Span(start=26, end=33, label="LOC", text="Jakarta")]
    rec = AnnotatedText(text=text, lang="ind_Latn", spans=gold, doc="d", task_id=1)
    pred = [Span(start=0, end=17, label="PER", text=text[:17]), Span(start=26, end=33, label="ORG", text="Jakarta")]
    got = evaluate_predictions([rec], [pred], ["PER", "ORG", "LOC"])
    assert got["strict"]["overall"]["precision"] == 0.0  # neither edge-exact with its label
    o = got["overlap"]["overall"]
    assert (o["precision"], o["recall"], o["number"], o["predicted"]) == (0.5, 0.5, 2, 2)  # PER overlaps; ORG≠LOC
    assert got["overlap"]["per_language"]["ind_Latn"]["per_label"]["PER"]["f1"] == 1.0
    from toolkit.extractor.evaluation import span_errors

    errs = [(e["kind"], e["label"], e["text"], e["overlap"]) for e in span_errors([rec], [pred], ["PER", "ORG", "LOC"])]
    assert errs == [
        ("wrong", "PER", "Bapak Joko Widodo", True),
        ("missed", "PER", "Joko Widodo", True),
        ("missed", "LOC", "Jakarta", False),
        ("wrong", "ORG", "Jakarta", False),
    ]


def test_evaluate_bad_exports_one_line_each(model):
    res = invoke("evaluate", "rules", GOLD, NASTY / "span_off_text.json", EXPORTS / "truncated.json")
    assert res.exit_code == 1, res.output  # scored the good ones, said which were left out
    lines = [x for x in res.output.splitlines() if x.startswith("warning: skipped")]
    assert any("span_off_text.json: task 2" in x for x in lines)
    assert any("truncated.json" in x and "not valid JSON" in x for x in lines)
    assert "micro (all)" in res.stdout
    res = invoke("evaluate", model, EXPORTS / "truncated.json")
    assert res.exit_code == 2 and res.output.count("error:") == 1 and "truncated.json" in res.output
    res = invoke("evaluate", ROOT / "no-such-model", GOLD)
    assert res.exit_code == 2 and "error:" in res.output


@pytest.fixture(scope="module")
def external_exports(tmp_path_factory) -> Path:
    """The external corpora's exports: read from ../shared where built, else built from
    ../shared's raw files into a temp folder by its own ``prepare.py`` (../shared is read-only)."""
    if list(EXTERNAL.glob("*-test.json")):
        return EXTERNAL
    prepare = EXTERNAL.parent / "prepare.py"
    if not prepare.is_file():
        pytest.skip("../shared/external-ner is not here")
    out = tmp_path_factory.mktemp("external-ner")
    done = subprocess.run([sys.executable, str(prepare), "--out", str(out)], capture_output=True, text=True)
    if done.returncode != 0 or not list(out.glob("*-test.json")):
        pytest.skip(f"../shared/external-ner/prepare.py could not build the exports: {done.stderr[-300:]}")
    return out


@pytest.mark.e2e
@pytest.mark.parametrize("corpus", ["id-idner", "id-nergrit", "nb-norne", "pt-harem", "th-thainer"])
def test_evaluate_a_slice_of_an_external_corpus(corpus, external_exports, model, tmp_path):
    path = external_exports / f"{corpus}-test.json"
    if not path.is_file():
        pytest.skip(f"{path} not built")
    tasks = json.loads(path.read_text(encoding="utf-8"))[:60]  # a slice, written to tmp (never into the checkout)
    part = tmp_path / path.name
    part.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    for who in ("rules", model):
        out = tmp_path / "scores.json"
        res = invoke("evaluate", who, part, "--json", out)
        assert res.exit_code == 0, res.output
        scores = json.loads(out.read_text(encoding="utf-8"))
        assert scores["texts"] == 60  # every task its own text, none pooled (data.key or not)
        overall = scores["overlap"]["overall"]
        assert overall["number"] == sum(len(t["annotations"][0]["result"]) for t in tasks)
        assert overall["f1"] >= scores["strict"]["overall"]["f1"] - 1e-9


# --- `toolkit extract`: every input gets its output; a run is streamed ---


def test_extract_folder_gives_byte_identical_files_their_own_output(model, tmp_path):
    seed = next(iter(sorted((ROOT / "seeds").glob("*.txt"))))
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(seed, folder / "a.txt")
    shutil.copy(seed, folder / "b.txt")
    shutil.copy(seed, folder / "sub" / "c.txt")
    (folder / "rows.jsonl").write_text(
        json.dumps({"id": "r1", "text": "Sebanyak 127 warga Jakarta tiba pada 2024."}) + "\n"
    )
    (folder / "rows2.jsonl").write_bytes((folder / "rows.jsonl").read_bytes())
    out = tmp_path / "ents.jsonl"
    res = invoke("extract", folder, "--model", model, "--out", out)
    assert res.exit_code == 0, res.output
    assert "duplicate" not in res.output and "skipped" not in res.output  # nothing was skipped
    items = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    by_doc: dict[str, list] = {}
    for it in items:
        by_doc.setdefault(it["doc"], []).append({k: v for k, v in it.items() if k != "doc"})
    assert {"a.txt", "b.txt", "sub/c.txt"} <= set(by_doc)
    assert by_doc["a.txt"] and by_doc["a.txt"] == by_doc["b.txt"] == by_doc["sub/c.txt"]
    assert by_doc.get("rows.jsonl#r1") == by_doc.get("rows2.jsonl#r1")
    assert "rows2.jsonl#r1" in by_doc


def _bitext(path: Path, docs: list[tuple[str, str]], bad_after: int) -> None:
    lines = []
    for n, (doc, text) in enumerate(docs):
        rec = BitextRecord(
            id=f"{doc}#p0s0",
            doc=doc,
            para=0,
            idx=0,
            src=text,
            src_lang="ind_Latn",
            src_start=0,
            src_end=len(text),
            mt={"eng_Latn": text},
        )
        lines.append(rec.to_json())
        if n == bad_after:
            lines.append("{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_extract_run_streams_records_and_names_a_bad_line(model, tmp_path):
    from toolkit.extractor import load_extractor
    from toolkit.extractor.extract import extract_input
    from toolkit.records import Skip

    run = tmp_path / "run"
    run.mkdir()
    docs = [
        ("a.txt", "Gubernur Jakarta tiba dengan 127 warga pada 2024."),
        ("b.txt", "Presiden tiba di Bandung pada 2024."),
    ]
    _bitext(run / "bitext.jsonl", docs, bad_after=0)
    items = extract_input(run, load_extractor(model))
    first = next(items)
    # streamed: the first document's results come before the bad line that follows it is read
    assert not isinstance(first, Skip) and first["doc"] == "a.txt"
    rest = list(items)
    skips = [x for x in rest if isinstance(x, Skip)]
    assert len(skips) == 1 and skips[0].line == 2 and skips[0].path.endswith("bitext.jsonl")
    assert any(not isinstance(x, Skip) and x["doc"] == "b.txt" for x in rest)
    res = invoke("extract", run, "--model", model)
    assert res.exit_code == 1 and "bitext.jsonl line 2" in res.output
