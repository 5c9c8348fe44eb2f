"""A model per direction, end to end (issue 25): the seeds translated with a
mixed plan (one direction per family), resumed byte for byte, each
direction's cache kept when another direction's model changes, and the
refusals (a direction without a model, ``--commercial``) said in one line
before anything is loaded."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from family_models import tiny_family_model
from helpers import SEEDS, cli, output_bytes


@pytest.fixture(scope="module")
def plan_models(tiny_model):
    return {
        "nob_Latn-eng_Latn": tiny_family_model("marian"),
        "tha_Thai-eng_Latn": tiny_family_model("m2m100"),
        "por_Latn-vie_Latn": tiny_family_model("madlad"),
        None: tiny_model,
    }


def _args(models: dict) -> list[str]:
    out = []
    for direction, path in models.items():
        out += ["--model", f"{direction}={path}" if direction else str(path)]
    return out


@pytest.fixture(scope="module")
def mixed_run(plan_models, tmp_path_factory):
    root = tmp_path_factory.mktemp("plan")
    env = {"TOOLKIT_CACHE": str(root / "cache")}
    run = root / "run"
    r = cli("translate", str(SEEDS), "--out", str(run), *_args(plan_models), "--quiet", env=env)
    assert r.returncode in (0, 1), r.stderr[-2000:]
    return run, env, r


def test_every_direction_is_translated_by_its_model(mixed_run, plan_models):
    run, _, r = mixed_run
    info = json.loads((run / "run.json").read_text(encoding="utf-8"))
    directions = info["engine"]["directions"]
    for direction, family, licence in (
        ("nob_Latn-eng_Latn", "marian", "apache-2.0"),
        ("tha_Thai-eng_Latn", "m2m100", "mit"),
        ("por_Latn-vie_Latn", "madlad", "apache-2.0"),
        ("ind_Latn-eng_Latn", "nllb", "unknown"),
    ):
        d = directions[direction]
        assert (d["family"], d["licence"]) == (family, licence)
        assert d["model"] == str(plan_models[direction if family != "nllb" else None].resolve())
        assert d["model_hash"] and d["cache_key"]
        assert f"{direction}:" in info["signature"] or family == "nllb"
    # The shortlist where the family allows it (a forced target token), not elsewhere.
    assert directions["tha_Thai-eng_Latn"]["shortlist"] and directions["ind_Latn-eng_Latn"]["shortlist"]
    assert directions["nob_Latn-eng_Latn"]["shortlist"] is None and directions["por_Latn-vie_Latn"]["shortlist"] is None
    keys = {d["cache_key"] for d in directions.values()}
    assert len(keys) == 4  # one cache key per model
    # The tiny NLLB copies its source; the other tiny models (random weights) do not.
    records = [json.loads(line) for line in (run / "bitext.jsonl").read_text(encoding="utf-8").splitlines()]
    body = [r for r in records if r["translate"] and r["mt"]]
    by = {(r["src_lang"], t): r for r in body for t in r["mt"]}
    assert by[("ind_Latn", "eng_Latn")]["mt"]["eng_Latn"][:12] == by[("ind_Latn", "eng_Latn")]["src"][:12]
    for src, tgt in (("nob_Latn", "eng_Latn"), ("tha_Thai", "eng_Latn"), ("por_Latn", "vie_Latn")):
        rec = by[(src, tgt)]
        assert rec["mt"][tgt] and rec["mt"][tgt][:12] != rec["src"][:12]
    for line in r.stderr.splitlines():
        assert "sacremoses" not in line


def test_resume_is_byte_identical_and_from_the_cache(mixed_run, plan_models, tmp_path):
    run, env, _ = mixed_run
    copy = tmp_path / "again"
    shutil.copytree(run, copy)
    before = output_bytes(run)
    for name in ("bitext.jsonl", "translations", "tmx", "run.json"):
        p = copy / name
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    r = cli("translate", str(SEEDS), "--out", str(copy), *_args(plan_models), "--quiet", env=env)
    assert r.returncode in (0, 1), r.stderr[-2000:]
    assert output_bytes(copy) == before
    counts = json.loads((copy / "run.json").read_text(encoding="utf-8"))["counts"]
    assert counts["cache_hits"] == counts["translations"]  # every direction's model found its own entries


def test_another_model_for_one_direction_keeps_the_others_cache(mixed_run, plan_models, tmp_path):
    """The cache is keyed per model: routing nob->eng to M2M-100 instead of
    Marian translates only that direction again."""
    run, env, _ = mixed_run
    copy = tmp_path / "changed"
    shutil.copytree(run / "cache", copy / "cache")
    models = {**plan_models, "nob_Latn-eng_Latn": plan_models["tha_Thai-eng_Latn"]}
    r = cli("translate", str(SEEDS), "--out", str(copy), *_args(models), "--quiet", env=env)
    assert r.returncode in (0, 1), r.stderr[-2000:]
    info = json.loads((copy / "run.json").read_text(encoding="utf-8"))
    assert info["engine"]["directions"]["nob_Latn-eng_Latn"]["family"] == "m2m100"
    records = [json.loads(x) for x in (copy / "bitext.jsonl").read_text(encoding="utf-8").splitlines()]
    nob_en = [r for r in records if r["translate"] and r["src_lang"] == "nob_Latn" and r["mt"]]
    counts = info["counts"]
    # Every translation but nob->eng's came from the cache.
    assert counts["translations"] - len(nob_en) <= counts["cache_hits"] < counts["translations"]


def test_a_direction_without_a_model_is_refused_before_loading(plan_models, tmp_path):
    out = tmp_path / "run"
    t0 = time.perf_counter()
    r = cli(
        "translate", str(SEEDS), "--out", str(out), "--model", f"nob_Latn-eng_Latn={plan_models['nob_Latn-eng_Latn']}"
    )
    assert r.returncode == 2
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith("error: no model translates ind_Latn-eng_Latn") and "--model" in line
    assert "loading" not in r.stderr and not out.exists()
    assert time.perf_counter() - t0 < 60


def test_commercial_refuses_a_non_commercial_or_unknown_licence(plan_models, tmp_path):
    out = tmp_path / "run"
    env = {"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}  # nothing may be fetched
    r = cli(
        "translate",
        str(SEEDS),
        "--out",
        str(out),
        "--commercial",
        "--model",
        "facebook/nllb-200-distilled-600M",
        env=env,
    )
    assert r.returncode == 2
    (line,) = r.stderr.strip().splitlines()
    assert "facebook/nllb-200-distilled-600M" in line and "cc-by-nc-4.0" in line and not out.exists()
    # The tiny NLLB has no card: unknown, refused by name; the other families pass.
    r = cli("translate", str(SEEDS), "--out", str(out), "--commercial", *_args(plan_models))
    assert r.returncode == 2 and str(plan_models[None]) in r.stderr and "unknown" in r.stderr
    assert "loading" not in r.stderr and not out.exists()
