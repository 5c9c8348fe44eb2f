"""The ML backend against the real Label Studio 1.23 (one server for this module, started with
`--local-ml-backend`'s settings) and `toolkit serve` as a real process: connect, retrieve
predictions, annotate as two users, watch the version change, kill the backend mid-retrain; and in headless
Chromium, a task opened in the labeling view shows the regions the backend predicted for it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from backend_helpers import regions, train_base
from extractor_synthetic import make_records
from helpers import REPO, cli
from label_studio_sdk import LabelStudio
from run_folder import write_run
from studio_server import require_server_binary

from toolkit.extractor.rules import RuleGuesser
from toolkit.figures import extract_figures
from toolkit.records import BitextRecord
from toolkit.select import make_ranker
from toolkit.studio import server
from toolkit.studio.push import push_run

pytestmark = [pytest.mark.e2e, pytest.mark.studio]

PROJECT = "backend-e2e"
N_TASKS = 14
BOUND = 180.0  # seconds for a submitted annotation to reach a served model (the aim is 30 s; CI is shared)


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    """A Label Studio of this module's own, allowed to call a backend on loopback (one start)."""
    require_server_binary()
    saved = {k: os.environ.pop(k) for k in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY") if k in os.environ}
    data_dir = tmp_path_factory.mktemp("studio-ml")
    info = server.start(port=server.free_port(), data_dir=data_dir, timeout=600, local_ml_backend=True)
    try:
        yield info
    finally:
        server.stop(data_dir)
        os.environ.update(saved)


def sdk_for(info) -> LabelStudio:
    creds = server.read_credentials(info.data_dir)
    return LabelStudio(base_url=creds.url, api_key=creds.token)


class Backend:
    """`toolkit serve` in a process of its own (so that it can be killed)."""

    def __init__(self, model: Path, data: Path, studio_dir: str, port: int, *extra: str) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log = data.parent / f"serve-{port}.log"
        args = ["serve", str(model), "--port", str(port), "--data", str(data), "--studio-data-dir", studio_dir]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "toolkit", *args, "--debounce", "1", "--max-wait", "20", *extra],
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.health()
                return
            except OSError:
                assert self.proc.poll() is None, self.log.read_text()
                assert time.monotonic() < deadline, self.log.read_text()
                time.sleep(0.2)

    def health(self) -> dict:
        with urllib.request.urlopen(f"{self.url}/health", timeout=5) as r:  # noqa: S310 (loopback)
            return json.loads(r.read())

    def wait(self, cond, what: str, timeout: float = BOUND) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            h = self.health()
            if cond(h):
                return h
            assert time.monotonic() < deadline, f"{what}: {h}\n{self.log.read_text()[-3000:]}"
            time.sleep(0.1)

    def kill(self) -> list[int]:
        """SIGKILL, as a crash; the pids of its children (a retrain) at that moment."""
        children = [c.pid for c in psutil.Process(self.proc.pid).children(recursive=True)]
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        return children

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


def records() -> list[BitextRecord]:
    out = []
    for i, rec in enumerate(make_records(N_TASKS, seed=11)):
        out.append(
            BitextRecord(
                id=f"{rec.doc}#p0s{i}",
                doc=rec.doc,
                para=0,
                idx=i,
                src_lang=rec.lang,
                src=rec.text,
                src_start=0,
                src_end=len(rec.text),
                mt={"eng_Latn": rec.text},
            )
        )
    return out


def predictions_of(sdk: LabelStudio, task_id: int) -> list:
    return list(sdk.predictions.list(task=task_id))


def test_round_with_the_backend(studio, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("backend")
    model = train_base(tmp / "crf")  # never learnt LOC: what the annotators will teach it
    studio_dir = str(studio.data_dir)
    run = write_run(tmp / "run", records(), ["eng_Latn"])
    pushed = push_run(
        run, PROJECT, predictor=RuleGuesser(), figure_finder=extract_figures, data_dir=studio_dir, config_dir=tmp
    )
    assert pushed.added == N_TASKS
    sdk = sdk_for(studio)
    tasks = sorted(sdk.tasks.list(project=pushed.project_id, fields="all"), key=lambda t: t.id)
    assert all(len(t.predictions) == 1 for t in tasks)  # push's static (rule) predictions

    port = server.free_port()
    home = tmp / "home"
    backend = Backend(model, home, studio_dir, port)
    try:
        v0 = backend.health()["model_version"]
        p = cli("studio", "connect", "--project", PROJECT, "--backend", backend.url, "--data-dir", studio_dir)
        assert p.returncode == 0, p.stderr
        assert "registered with project" in p.stderr and f"retrieve predictions for {N_TASKS} tasks" in p.stderr
        project = sdk.projects.get(id=pushed.project_id)
        assert project.show_collab_predictions
        hooks = [h.url for h in sdk.webhooks.list(project=pushed.project_id)]
        assert f"{backend.url}/webhook" in hooks  # kept: the server runs with the local-backend settings

        # Every task holds exactly one prediction of the backend's current version, beside push's.
        for t in tasks:
            ours = [x for x in predictions_of(sdk, t.id) if x.model_version == v0]
            assert len(ours) == 1, (t.id, [x.model_version for x in predictions_of(sdk, t.id)])
            assert ours[0].score is not None and 0.0 <= ours[0].score <= 1.0
        assert not any(
            "LOC" in r["value"]["labels"]
            for t in tasks
            for x in predictions_of(sdk, t.id)
            if x.model_version == v0
            for r in x.result
        )
        # Retrieving again asks nothing new: Label Studio skips tasks holding the current version.
        p = cli("studio", "connect", "--project", PROJECT, "--backend", backend.url, "--data-dir", studio_dir)
        assert p.returncode == 0 and "already registered" in p.stderr
        assert all(len([x for x in predictions_of(sdk, t.id) if x.model_version == v0]) == 1 for t in tasks)

        # Two annotators submit at once.
        second = sdk.users.create(username="annotator-2", email="annotator-2@example.org", password="Annot-2-pass")
        me = sdk.users.whoami().id
        recs = make_records(N_TASKS, seed=11)
        first_round = tasks[:8]
        t0 = time.monotonic()
        for i, t in enumerate(first_round):
            sdk.annotations.create(id=t.id, result=regions(recs[i]), completed_by=me if i % 2 else second.id)
        h = backend.wait(lambda h: h["model_version"] != v0, "a new model_version after the annotations")
        print(f"\n[backend] annotations -> served model: {time.monotonic() - t0:.1f}s")
        v1 = h["model_version"]
        assert h["trainset_tasks"] == len(first_round) and h["last_error"] is None
        served = json.loads((home / "served.json").read_text())
        prov = json.loads((Path(served["folder"]) / "provenance.json").read_text())
        assert {a["task"] for a in prov["annotations"]} == {t.id for t in first_round}
        assert {a["completed_by"] for a in prov["annotations"]} == {me, second.id}

        # After the swap the backend has Label Studio retrieve the new version's predictions.
        deadline = time.monotonic() + 60
        while not all(any(x.model_version == v1 for x in predictions_of(sdk, t.id)) for t in tasks):
            assert time.monotonic() < deadline, "new predictions of the retrained model"
            time.sleep(0.5)
        new = {t.id: next(x for x in predictions_of(sdk, t.id) if x.model_version == v1) for t in tasks}
        # The base model had no LOC (checked above); the labels taught it places (on the labelled texts at
        # least: eight sentences are too few to promise it on the others).
        taught = [t for t in tasks if any("LOC" in r["value"]["labels"] for r in new[t.id].result)]
        assert taught, "the retrained model's predictions differ where the labels taught it"
        # Opening a task in the labeling view shows the current version's prediction.
        opened = sdk.tasks.get(id=tasks[-1].id)
        assert v1 in [(x["model_version"] if isinstance(x, dict) else x.model_version) for x in opened.predictions]
    finally:
        backend.stop()

    # Kill it mid-retrain: restart with a large seed export so that a retrain takes a while.
    seed = tmp / "seed.json"
    seed.write_text(
        json.dumps(
            [
                {
                    "id": 10_000 + i,
                    "data": {"src": r.text, "src_lang": r.lang, "langs": {"src": r.lang}},
                    "annotations": [{"id": 50_000 + i, "result": regions(r), "completed_by": me}],
                }
                for i, r in enumerate(make_records(1500, seed=3))
            ]
        ),
        encoding="utf-8",
    )
    backend = Backend(model, home, studio_dir, port, "--seed", str(seed))
    try:
        assert backend.health()["model_version"] == v1  # restarted on the retrained model
        for i, t in enumerate(tasks[8:], 8):
            sdk.annotations.create(id=t.id, result=regions(recs[i]), completed_by=second.id)
        backend.wait(lambda h: h["training"], "a retrain under way", timeout=60)
        children = backend.kill()
        assert children  # the retrain's process
        for pid in children:  # it ends itself once its backend is gone
            deadline = time.monotonic() + 15
            while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                assert time.monotonic() < deadline, f"retrain {pid} outlived its backend"
                time.sleep(0.2)
        assert json.loads((home / "served.json").read_text())["version"] in v1  # still the whole old model
    finally:
        backend.stop()
    backend = Backend(model, home, studio_dir, port, "--seed", str(seed))
    try:
        h = backend.health()
        assert h["model_version"] == v1 and h["trainset_tasks"] == N_TASKS  # no annotation lost
        h = backend.wait(
            lambda h: h["model_version"] not in (v0, v1) and not h["training"], "the retrain after restart"
        )
        served = json.loads((home / "served.json").read_text())
        prov = json.loads((Path(served["folder"]) / "provenance.json").read_text())
        assert {a["task"] for a in prov["annotations"]} == {t.id for t in tasks}
        assert not list((home / "models").glob(".partial-*"))
        # Killed during fit, before its folder was written, or after: either way the restart retrains.
        assert "has not learnt: retraining" in (home / "backend.log").read_text()
    finally:
        backend.stop()


def _screenshot_script():
    """``scripts/screenshot_task.py`` as a module: its browser, login and highlight reading (one copy of them)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("screenshot_task", REPO / "scripts" / "screenshot_task.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# The region list (outliner) beside the text: each region's label and text, as the annotator reads them.
JS_OUTLINER = """
const items = [...document.querySelectorAll('.lsf-outliner-item')];
return items.length >= arguments[0] ? items.map(e => e.textContent) : null;
"""


def test_labeling_view_shows_the_backend_regions(studio, tmp_path_factory):
    """A task with no prediction, opened in the labeling view: Label Studio asks the backend, the page draws its regions."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no /usr/bin/chromium: apt-get install -y chromium chromium-driver (scripts/test.sh does)")
    # With Chromium installed, a missing driver or Selenium is a broken set-up: fail, don't skip.
    assert shutil.which("chromedriver"), "chromium without chromedriver: apt-get install -y chromium-driver"
    import selenium  # noqa: F401  (the dev extra: pip install -e '.[dev]')

    shots = _screenshot_script()
    tmp = tmp_path_factory.mktemp("backend-view")
    model = train_base(tmp / "crf")
    studio_dir = str(studio.data_dir)
    run = write_run(tmp / "run", records()[:3], ["eng_Latn"])
    # No predictor, no figure finder (ranked as `toolkit push` ranks): push still gives each task a prediction
    # (empty); remove the one of the task to open, so that it holds none, as a task added after `connect` does.
    ranker = make_ranker(RuleGuesser())
    pushed = push_run(run, PROJECT + "-view", data_dir=studio_dir, config_dir=tmp, ranker=ranker)
    sdk = sdk_for(studio)
    task = sorted(sdk.tasks.list(project=pushed.project_id, fields="all"), key=lambda t: t.id)[0]
    for p in predictions_of(sdk, task.id):
        sdk.predictions.delete(id=p.id)
    assert predictions_of(sdk, task.id) == []

    backend = Backend(model, tmp / "home", studio_dir, server.free_port())
    drv = None
    try:
        version = backend.health()["model_version"]
        p = cli(
            "studio", "connect", "--project", PROJECT + "-view", "--backend", backend.url, "--data-dir", studio_dir,
            "--retrieve", "0",
        )  # fmt: skip
        assert p.returncode == 0, p.stderr
        assert predictions_of(sdk, task.id) == []  # nothing retrieved: the labeling view must ask

        creds = server.read_credentials(studio.data_dir)
        drv = shots.browser(tmp / "chromium", (1400, 1800))
        shots.login(drv, creds)
        drv.get(f"{creds.url}/projects/{pushed.project_id}/data?task={task.id}")
        # Opening the task made Label Studio ask the backend and store its answer as the task's prediction.
        deadline = time.monotonic() + 90
        while not (preds := predictions_of(sdk, task.id)):
            assert time.monotonic() < deadline, f"no prediction after opening task {task.id}\n{backend.log.read_text()}"
            time.sleep(0.5)
        assert [x.model_version for x in preds] == [version]
        want = {r["id"]: r for r in preds[0].result if r["type"] == "labels"}
        entities = {r["value"]["labels"][0] for r in want.values()} & {"PER", "ORG", "LOC"}
        assert entities, f"the backend predicted no entity on {task.data['src']!r}: {preds[0].result}"

        # Every predicted region is drawn on exactly its characters, and listed with its label.
        seen = shots.wait_for(
            drv,
            f"const h = (function(){{{shots.JS_HIGHLIGHTS}}})(); return Object.keys(h).length >= {len(want)} ? h : null",
            90,
            f"task {task.id} highlights",
        )
        assert {rid: seen.get(rid) for rid in want} == {rid: r["value"]["text"] for rid, r in want.items()}
        listed = shots.wait_for(drv, JS_OUTLINER, 30, "region list", len(want))
        for r in want.values():
            assert any(r["value"]["labels"][0] in item and r["value"]["text"] in item for item in listed), (r, listed)
        print(
            f"\n[backend] task {task.id}: {len(want)} regions drawn and listed: {sorted(seen.values())}; list: {listed}"
        )
        if os.environ.get("TOOLKIT_SCREENSHOTS") == "1":  # never into the checkout unless asked
            time.sleep(1.5)  # fonts and the side panels settle
            shots.save_png(drv, REPO / "docs" / "screenshots" / "task_backend.png")
    finally:
        if drv is not None:
            drv.quit()
        backend.stop()
