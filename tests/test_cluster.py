"""``toolkit translate --cluster``: a real Ray (never mocked), run inside a
network namespace with loopback alone (tests/ray_netns.py).

The outer test re-executes this file's ``inner`` tests under ``unshare --net``;
they start and stop Ray themselves through the CLI, as a user runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SEEDS, cli, output_bytes
from ray_netns import INSIDE, netns_problem, run_in_netns

pytestmark = pytest.mark.e2e
INSIDE_NETNS = os.environ.get(INSIDE) == "1"
# The shortlist is off: CTranslate2's vocabulary map keeps state between calls
# (ct2.py, ``_retry``), so with it the output depends on which process ran
# which batches before; without it a batch translates alike wherever it runs.
ARGS = ("--to", "eng_Latn,vie_Latn", "--no-shortlist", "-q")


def test_plain_run_does_not_import_ray(tiny_model, tmp_path):
    code = (
        "import sys; from toolkit.cli.main import main; sys.argv = ['toolkit', 'translate', sys.argv[1], '--out', "
        "sys.argv[2], '--model', sys.argv[3], '-q']\ntry: main()\nexcept SystemExit as e: assert e.code == 0, e.code\n"
        "assert 'ray' not in sys.modules, 'ray was imported'"
    )
    src = SEEDS / "000_4c948b14667160bd.txt"
    one = tmp_path / "in"
    one.mkdir()
    (one / src.name).write_bytes(src.read_bytes())
    p = subprocess.run(
        [sys.executable, "-c", code, str(one), str(tmp_path / "run"), str(tiny_model)], capture_output=True, text=True
    )
    assert p.returncode == 0, p.stderr[-2000:]


@pytest.mark.skipif(INSIDE_NETNS, reason="already inside the namespace")
def test_ray_tests_in_network_namespace(tiny_model):
    why = netns_problem()
    if why:
        pytest.skip(f"Ray tests need a network namespace with loopback alone: {why}")
    p = run_in_netns(
        [sys.executable, "-m", "pytest", __file__, "-q", "-x", "-p", "no:cacheprovider", "-k", "inner"],
        timeout=900,
        cwd=str(Path(__file__).resolve().parents[1]),
    )
    assert p.returncode == 0, (p.stdout + p.stderr)[-4000:]


inner = pytest.mark.skipif(
    not INSIDE_NETNS, reason="runs inside the network namespace (test_ray_tests_in_network_namespace)"
)


def _run_json(run: Path) -> dict:
    data = json.loads((run / "run.json").read_text())
    data.pop("timing")
    data.pop("name")
    data["engine"].pop("runtime")  # threads: a worker has its CPUs, not the machine's
    return data


@inner
def test_inner_embedded_ray_writes_the_single_machine_bytes(tiny_model, tmp_path):
    single, ray_run = tmp_path / "single", tmp_path / "ray"
    p = cli("translate", str(SEEDS), "--out", str(single), "--model", str(tiny_model), *ARGS)
    assert p.returncode == 0, p.stderr[-2000:]
    p = cli(
        "translate",
        str(SEEDS),
        "--out",
        str(ray_run),
        "--model",
        str(tiny_model),
        *ARGS,
        "--cluster",
        "local",
        "--workers",
        "2",
    )
    assert p.returncode == 0, p.stderr[-3000:]
    assert output_bytes(ray_run) == output_bytes(single)
    got, want = _run_json(ray_run), _run_json(single)
    cluster = got.pop("cluster")
    assert got == want
    assert cluster["engine"] == "ray" and cluster["workers"] == 2 and cluster["address"] == "local"
    assert cluster["ray_version"]
    assert not list((ray_run / "cache" / "shards").glob("*.sqlite"))  # merged into the main cache
