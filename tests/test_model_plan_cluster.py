"""A model per direction on Ray (issue 25): the same mixed plan (one
direction per family) through ``--cluster local`` writes what the
single-machine run writes. A real Ray in a network namespace with loopback
alone, as tests/test_cluster.py runs it."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from family_models import tiny_family_model
from helpers import REPO, SEEDS, cli, output_bytes
from ray_netns import INSIDE, netns_problem, run_in_netns

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
INSIDE_NETNS = os.environ.get(INSIDE) == "1"
ARGS = ("--to", "eng_Latn,vie_Latn", "--batch-size", "8", "-q")


@pytest.mark.skipif(INSIDE_NETNS, reason="already inside the namespace")
def test_mixed_plan_ray_tests_in_network_namespace(tiny_model):
    why = netns_problem()
    if why:
        pytest.skip(f"Ray tests need a network namespace with loopback alone: {why}")
    for family in ("marian", "m2m100", "madlad"):
        tiny_family_model(family)  # built here, not by two processes inside
    p = run_in_netns(
        [sys.executable, "-m", "pytest", __file__, "-q", "-x", "-p", "no:cacheprovider", "-k", "inner"],
        timeout=900,
        cwd=str(REPO),
    )
    assert p.returncode == 0, (p.stdout + p.stderr)[-4000:]


def _models(tiny_model: Path) -> list[str]:
    return [
        "--model", f"nob_Latn-eng_Latn={tiny_family_model('marian')}",
        "--model", f"tha_Thai-eng_Latn={tiny_family_model('m2m100')}",
        "--model", f"por_Latn-vie_Latn={tiny_family_model('madlad')}",
        "--model", str(tiny_model),
    ]  # fmt: skip


def _run_json(run: Path) -> dict:
    data = json.loads((run / "run.json").read_text())
    for key in ("timing", "name", "cluster"):
        data.pop(key, None)
    data["engine"].pop("runtime")  # threads: a worker has its CPUs, not the machine's
    return data


@pytest.mark.skipif(not INSIDE_NETNS, reason="runs inside the network namespace")
def test_inner_mixed_plan_on_ray_writes_the_single_machine_bytes(tiny_model, tmp_path):
    env = {"TOOLKIT_CACHE": str(tmp_path / "cache")}
    single, ray_run = tmp_path / "single", tmp_path / "ray"
    p = cli("translate", str(SEEDS), "--out", str(single), *_models(tiny_model), *ARGS, env=env)
    assert p.returncode in (0, 1), p.stderr[-3000:]
    p = cli(
        "translate", str(SEEDS), "--out", str(ray_run), *_models(tiny_model), *ARGS,
        "--cluster", "local", "--workers", "2", env=env,
    )  # fmt: skip
    assert p.returncode in (0, 1), p.stderr[-3000:]
    assert output_bytes(ray_run) == output_bytes(single)
    got, want = _run_json(ray_run), _run_json(single)
    assert got == want
    assert got["engine"]["directions"]["nob_Latn-eng_Latn"]["family"] == "marian"
    assert json.loads((ray_run / "run.json").read_text())["cluster"]["engine"] == "ray"
