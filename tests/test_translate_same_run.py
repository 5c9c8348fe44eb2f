"""One run per run folder (issue 24): other settings are refused in one line, or --force rewrites the folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import SEEDS, cli

from toolkit.translate.same_run import RUN_OUTPUTS, check_same_run, differences
from toolkit.translate.summary import RunError


def _earlier_run(run: Path, in_dir: Path, targets: list[str], model: str = "facebook/nllb-200-distilled-600M") -> None:
    (run / "translations" / "vie_Latn").mkdir(parents=True)
    (run / "tmx").mkdir()
    (run / "tmx" / "ind_Latn-vie_Latn.tmx").write_text("<tmx/>")
    (run / "bitext.jsonl").write_text("{}\n")
    (run / "notes.txt").write_text("mine")  # not a run's output: never removed
    info = {"input": str(in_dir.resolve()), "targets": targets, "src_lang": "auto", "model": model}
    (run / "run.json").write_text(json.dumps(info))


def test_same_settings_resume_and_other_settings_are_named(tmp_path: Path) -> None:
    run, src = tmp_path / "run", tmp_path / "in"
    src.mkdir()
    _earlier_run(run, src, ["eng_Latn", "vie_Latn"])
    model = "facebook/nllb-200-distilled-600M"
    assert differences(run, src, ["vie_Latn", "eng_Latn"], None, model) == []
    assert differences(tmp_path / "new", src, ["eng_Latn"], None, model) == []
    diff = differences(run, src, ["eng_Latn"], "ind_Latn", "other/model")
    assert [d.split()[0] for d in diff] == ["targets", "source", "model"]
    with pytest.raises(RunError, match="--force"):
        check_same_run(run, src, ["eng_Latn"], None, model, force=False)
    assert (run / "translations" / "vie_Latn").is_dir()  # refused: nothing touched


def test_force_removes_the_earlier_runs_outputs_and_nothing_else(tmp_path: Path) -> None:
    run, src = tmp_path / "run", tmp_path / "in"
    src.mkdir()
    _earlier_run(run, src, ["eng_Latn", "vie_Latn"])
    (run / "cache").mkdir()
    removed = check_same_run(run, src, ["eng_Latn"], None, "facebook/nllb-200-distilled-600M", force=True)
    assert {p.name for p in removed} == {"run.json", "bitext.jsonl", "translations", "tmx"}
    assert sorted(p.name for p in run.iterdir()) == ["cache", "notes.txt"]
    assert set(RUN_OUTPUTS) >= {p.name for p in removed}


@pytest.mark.e2e
def test_cli_refuses_then_force_rewrites(tiny_model, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "id.txt").write_text((SEEDS / "000_4c948b14667160bd.txt").read_text("utf-8")[:300], "utf-8")
    run = tmp_path / "run"
    args = ("--out", str(run), "--model", str(tiny_model), "--engine", "transformers", "-q")
    first = cli("translate", str(src), *args, "--to", "eng_Latn,vie_Latn")
    assert first.returncode == 0, first.stderr
    refused = cli("translate", str(src), *args, "--to", "eng_Latn")
    assert refused.returncode == 2 and "other settings" in refused.stderr and "Traceback" not in refused.stderr
    assert (run / "translations" / "vie_Latn").is_dir()
    forced = cli("translate", str(src), *args, "--to", "eng_Latn", "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads((run / "run.json").read_text())["targets"] == ["eng_Latn"]
    assert not (run / "translations" / "vie_Latn").exists()
    assert not list((run / "tmx").glob("*vie_Latn*"))
    again = cli("translate", str(src), *args, "--to", "eng_Latn")  # the same settings: it resumes
    assert again.returncode == 0, again.stderr
