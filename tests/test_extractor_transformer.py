"""The transformer backend with a tiny XLM-R built locally (the real classes)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
EXPORTS = Path(__file__).parent / "data" / "exports"

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _recipe():
    spec = importlib.util.spec_from_file_location("tiny_token_classifier", ROOT / "models" / "tiny_token_classifier.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    import torch

    old = torch.get_num_threads()
    torch.set_num_threads(1)  # the CPU is shared
    yield
    torch.set_num_threads(old)


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory):
    return _recipe().build_tiny(tmp_path_factory.mktemp("tiny") / "tiny-xlmr")


def test_tiny_base_tokenizer_offsets_thai_and_emoji(tiny_base):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_base)
    assert tok.is_fast
    text = "นายเหงียน วัน ฮวีเญน 😀 ที่ห่าติ๋ญ"
    enc = tok(text, return_offsets_mapping=True)
    offsets = enc["offset_mapping"]
    assert all(0 <= s <= e <= len(text) for s, e in offsets)
    covered = {i for s, e in offsets for i in range(s, e)}
    # every character but the spaces is under some token, Thai marks and the emoji included
    assert covered == {i for i, c in enumerate(text) if not c.isspace()}


def test_transformer_learns_the_pattern(tmp_path):
    from extractor_synthetic import make_records, scrambled

    from toolkit.extractor.evaluation import evaluate_extractor
    from toolkit.extractor.transformer import TransformerExtractor

    train, test = make_records(160, 1, "tr"), make_records(40, 2, "te")
    base = _recipe().build_tiny(tmp_path / "syn", [r.text for r in train], vocab_size=300)
    settings = {
        "base": str(base),
        "epochs": 15,
        "learning_rate": 3e-3,
        "batch_size": 16,
        "max_length": 64,
        "stride": 16,
    }
    ext = TransformerExtractor(["PER", "ORG", "LOC"], settings)
    ext.fit(train, seed=0)
    learned = evaluate_extractor(ext, test)["overall"]["f1"]
    found = ext.predict_many([(r.text, r.lang, None) for r in test])
    assert sum(len(spans) for spans in found) >= len(test)  # entities found, not an empty output scored
    for rec, spans in zip(test, found, strict=True):
        assert all(rec.text[s.start : s.end] == s.text and s.label in {"PER", "ORG", "LOC"} for s in spans)
    hits = {(s.start, s.end, s.label) for spans in found for s in spans}
    gold = {(g.start, g.end, g.label) for rec in test for g in rec.spans}
    assert len(hits & gold) >= len(gold) // 2  # concrete gold spans, exactly where they are
    blind = TransformerExtractor(["PER", "ORG", "LOC"], settings)
    blind.fit(scrambled(train, seed=3), seed=0)
    assert learned >= 0.5 > 0.2 >= evaluate_extractor(blind, test)["overall"]["f1"]


def test_train_and_extract_cli_with_tiny_base(tiny_base, tmp_path):
    from typer.testing import CliRunner

    import toolkit.cli.extract  # noqa: F401
    import toolkit.cli.train  # noqa: F401
    from toolkit.cli.app import app

    runner = CliRunner()
    out = tmp_path / "tiny-ner"
    res = runner.invoke(
        app,
        [
            "train",
            str(ROOT / "annotations/gold/seeds_gold.json"),
            str(EXPORTS / "toolkit_project.json"),
            "--base",
            str(tiny_base),
            "--out",
            str(out),
            "--epochs",
            "1",
            "--max-length",
            "64",
            "--seed",
            "1",
        ],
    )
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "extractor.json").read_text())
    assert manifest["backend"] == "transformer" and manifest["settings"]["base"] == str(tiny_base)
    assert (out / "model.safetensors").is_file() and (out / "tokenizer.json").is_file()
    assert "eval" in json.loads((out / "metrics.json").read_text())
    th = ROOT / "seeds" / "004_4794c9dcba31779d.txt"
    res = runner.invoke(app, ["extract", str(th), "--model", str(out)])
    assert res.exit_code == 0, res.output
    text = th.read_text(encoding="utf-8")
    items = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert "159/165" in {i["text"] for i in items}  # the figure finder's figures are merged in
    # The one-epoch model tags noise, but it tags: its spans' offsets are checked, not an empty list.
    assert [i for i in items if i["label"] in {"PER", "ORG", "LOC"}]
    for item in items:
        assert text[item["start"] : item["end"]] == item["text"] and item["lang"] == "tha_Thai"
