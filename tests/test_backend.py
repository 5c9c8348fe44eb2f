"""The ML backend's protocol and learning, through the ASGI test client (no Label Studio: see
tests/test_backend_e2e.py for the real server)."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pytest
from backend_helpers import FakeStudio, exported_task, regions, task_data, train_base
from extractor_synthetic import make_records
from starlette.testclient import TestClient

from toolkit.backend.app import Auth, create_app
from toolkit.backend.home import Home
from toolkit.backend.learner import Learner
from toolkit.backend.service import BackendError, build
from toolkit.figures import extract_figures
from toolkit.studio.config import labeling_config


@pytest.fixture(scope="module")
def base_model(tmp_path_factory) -> Path:
    return train_base(tmp_path_factory.mktemp("base") / "crf")


def backend(tmp_path: Path, base_model: Path, studio: FakeStudio | None = None, **kw) -> tuple[TestClient, Learner]:
    learner = Learner(Home(tmp_path / "home"), base_model, client=(lambda: studio) if studio else None, **kw)
    app = create_app(learner, extract_figures, run_learner=False)  # the tests turn the worker by hand
    return TestClient(app), learner


TASK = {
    "id": 7,
    "data": {
        "key": "a#p0s0|x",
        "src": "Bapak Nguyen Van An mengunjungi distrik Nui Thanh kemarin dengan 12 sekolah.",
        "src_lang": "ind_Latn",
        "mt_eng_Latn": "Mr. Nguyen Van An visited Nui Thanh district yesterday with 12 schools.",
        "langs": {"src": "ind_Latn", "mt_eng_Latn": "eng_Latn"},
    },
}


def test_one_result_per_task_in_order_with_version_and_score(tmp_path, base_model):
    client, learner = backend(tmp_path, base_model)
    tasks = [TASK, {"id": 8, "data": {"unrelated": 3}}, {**TASK, "id": 9}]
    got = client.post("/predict", json={"tasks": tasks, "label_config": labeling_config(["eng_Latn"])})
    assert got.status_code == 200
    results = got.json()["results"]
    assert len(results) == 3
    version = learner.served.version
    assert version.startswith("figures-") and "+crf@" in version
    assert all(r["model_version"] == version and 0.0 <= r["score"] <= 1.0 for r in results)
    assert results[1]["result"] == []  # a task without texts still gets its one (empty) result
    regions_ = results[0]["result"]
    by_text = {(r["to_name"], r["value"]["text"], r["value"]["labels"][0]) for r in regions_}
    assert ("src", "12", "COUNT") in by_text and ("mt_eng_Latn", "12", "COUNT") in by_text
    assert ("src", "Nguyen Van An", "PER") in by_text
    for r in regions_:  # every region lies on its text
        text = TASK["data"][r["to_name"]]
        assert text[r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]
    # The source's name is carried onto the translation as push does, marked as projected.
    projected = [r for r in regions_ if r.get("meta", {}).get("projected_from") == "src"]
    assert (
        any(r["to_name"] == "mt_eng_Latn" and r["value"]["text"] == "Nguyen Van An" for r in projected)
        or (
            "mt_eng_Latn",
            "Nguyen Van An",
            "PER",
        )
        in by_text
    )
    # The same as the setup's version.
    assert client.post("/setup", json={"project": "3.1700000000", "schema": ""}).json() == {"model_version": version}


def test_only_regions_the_labeling_config_can_show(tmp_path, base_model):
    client, _ = backend(tmp_path, base_model)
    config = '<View><Text name="src" value="$src"/><Labels name="src_labels" toName="src"><Label value="PER"/></Labels></View>'
    got = client.post("/predict", json={"tasks": [TASK], "label_config": config}).json()["results"][0]["result"]
    assert got and {(r["to_name"], r["value"]["labels"][0]) for r in got} == {("src", "PER")}


@pytest.mark.parametrize(
    ("path", "body", "status", "says"),
    [
        ("/predict", b"{not json", 400, "not JSON"),
        ("/predict", b"\xff\xfe", 400, "not UTF-8"),
        ("/predict", b"[1, 2]", 422, "JSON object"),
        ("/predict", b'{"tasks": {}}', 422, "'tasks' must be a list"),
        ("/predict", b'{"tasks": [{"id": 1}]}', 422, "task #0"),
        ("/predict", b'{"tasks": [], "label_config": "<View"}', 422, "not XML"),
        ("/webhook", b'{"no": "action"}', 422, "'action'"),
        ("/webhook", b'{"action": "ANNOTATION_CREATED", "project": {"id": 1}}', 422, "'annotation'"),
        ("/webhook", b'{"action": "ANNOTATION_CREATED", "annotation": {"task": "x"}, "project": 1}', 422, "task"),
        ("/webhook", b'{"action": "ANNOTATIONS_DELETED", "annotations": []}', 422, "non-empty"),
        ("/setup", b"null", 422, "JSON object"),
    ],
)
def test_malformed_requests_get_a_clear_4xx_and_change_nothing(tmp_path, base_model, path, body, status, says):
    client, learner = backend(tmp_path, base_model)
    got = client.post(path, content=body, headers={"content-type": "application/json"})
    assert got.status_code == status and says in got.json()["error"]
    assert learner.home.events() == [] and learner.home.task_refs() == []
    assert client.get("/health").json()["status"] == "UP"  # and the server still answers


def test_too_large_and_wrong_method(tmp_path, base_model, monkeypatch):
    import toolkit.backend.app as app_module

    client, _ = backend(tmp_path, base_model)
    monkeypatch.setattr(app_module, "MAX_BODY", 100)
    assert client.post("/predict", content=b"x" * 200).status_code == 413
    assert client.get("/predict").status_code == 405
    assert client.get("/nowhere").status_code == 404


def test_other_events_are_answered_and_dropped(tmp_path, base_model):
    client, learner = backend(tmp_path, base_model)
    for action in ("PROJECT_UPDATED", "TASKS_CREATED", "LABEL_LINK_CREATED"):
        got = client.post("/webhook", json={"action": action, "project": {"id": 1}})
        assert got.status_code == 200 and got.json()["status"] == "ignored"
    assert learner.home.events() == []


def test_non_loopback_needs_a_secret_and_the_secret_guards_every_route(tmp_path, base_model):
    with pytest.raises(BackendError, match="needs a secret"):
        build(base_model, tmp_path / "h", host="0.0.0.0", pull=False)
    b = build(base_model, tmp_path / "h", host="0.0.0.0", auth=Auth.parse("ls:s3cret"), pull=False)
    with TestClient(b.app) as client:
        assert client.get("/health").status_code == 401
        bad = "Basic " + base64.b64encode(b"ls:wrong").decode()
        assert client.get("/health", headers={"Authorization": bad}).status_code == 401
        good = "Basic " + base64.b64encode(b"ls:s3cret").decode()
        assert client.get("/health", headers={"Authorization": good}).json()["status"] == "UP"
    token = build(base_model, tmp_path / "h2", host="10.0.0.5", auth=Auth.parse("tok123"), pull=False)
    with TestClient(token.app) as client:
        assert (
            client.post("/predict", json={"tasks": []}, headers={"Authorization": "Bearer tok123"}).status_code == 200
        )
        assert client.post("/predict", json={"tasks": []}, headers={"Authorization": "Bearer nope"}).status_code == 401


def annotated_studio(n: int = 12) -> tuple[FakeStudio, list]:
    """A fake Label Studio whose tasks 1..n hold an annotation labelling every span (LOC included)."""
    studio = FakeStudio()
    recs = make_records(n, seed=5)
    for i, rec in enumerate(recs, 1):
        studio.tasks[i] = exported_task(i, rec, [(100 + i, 1 + i % 2, regions(rec))])
    return studio, recs


def created(tid: int, project: int = 3) -> dict:
    return {"action": "ANNOTATION_CREATED", "annotation": {"id": 100 + tid, "task": tid}, "project": {"id": project}}


def run_until(learner: Learner, cond, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, learner.health()
        learner.step()
        time.sleep(0.05)


def test_debounce_waits_for_quiet_but_not_longer_than_max_wait(tmp_path, base_model):
    studio, _ = annotated_studio(3)
    client, learner = backend(tmp_path, base_model, studio, debounce=2.0, max_wait=5.0)
    client.post("/webhook", json=created(1))
    learner.pull_pending()
    now = time.monotonic()
    assert not learner.due(now) and learner.due(now + 2.1)
    # Changes every second keep postponing it, up to max_wait after the first.
    first = now
    for tid in (2, 3):
        client.post("/webhook", json=created(tid))
        learner.pull_pending()
    assert not learner.due(time.monotonic() + 1.0)
    assert learner.due(first + 5.1)


def test_retrain_in_background_then_atomic_swap_with_provenance(tmp_path, base_model):
    studio, recs = annotated_studio()
    client, learner = backend(tmp_path, base_model, studio, debounce=0.0)
    old = learner.served
    probe = {"id": 99, "data": task_data(recs[0], "probe")}
    before = client.post("/predict", json={"tasks": [probe]}).json()["results"][0]
    assert not any("LOC" in r["value"]["labels"] for r in before["result"])  # the base model never learnt LOC
    for tid in studio.tasks:
        assert client.post("/webhook", json=created(tid)).json()["status"] == "queued"  # answered before any pull
    assert studio.pulls == []
    learner.pull_pending()
    assert len(learner.home.task_refs()) == len(studio.tasks)
    learner.maybe_retrain()
    assert learner.training
    # While it trains, the old model answers.
    assert client.post("/setup", json={}).json()["model_version"] == old.version
    assert client.get("/health").json()["training"] is True
    run_until(learner, lambda: not learner.training)
    new = learner.served
    health = client.get("/health").json()
    assert new.version != old.version and health["model_version"] == new.version and health["last_error"] is None
    assert new.folder.name == "v0001" and json.loads((learner.home.root / "served.json").read_text())["folder"] == str(
        new.folder
    )
    prov = json.loads((new.folder / "provenance.json").read_text())
    assert prov["parent"] == old.version and prov["trainset_digest"] == learner.home.trainset_digest()
    assert sorted(a["annotation"] for a in prov["annotations"]) == [100 + t for t in studio.tasks]
    assert {a["completed_by"] for a in prov["annotations"]} == {1, 2}  # two annotators
    after = client.post("/predict", json={"tasks": [probe]}).json()["results"][0]
    assert after["model_version"] == new.version
    assert any("LOC" in r["value"]["labels"] for r in after["result"])  # what the labels taught
    assert not list(learner.home.models.glob(".partial-*"))
    assert studio.retrieved == [(3, sorted(studio.tasks))]  # Label Studio asked for the new version's predictions

    # A restart serves the retrained model, and has nothing to retrain.
    again = Learner(Home(tmp_path / "home"), base_model)
    assert again.served.version == new.version and not again.due(time.monotonic() + 100)


def test_failed_retrain_keeps_the_old_model_and_says_why(tmp_path, base_model):
    studio = FakeStudio()
    recs = make_records(2, seed=9)
    for i, rec in enumerate(recs, 1):  # figure labels only: nothing PER/ORG/LOC to learn
        text = rec.text
        k = text.index("12") if "12" in text else None
        result = (
            []
            if k is None
            else [regions(rec)[0] | {"value": {"start": k, "end": k + 2, "text": "12", "labels": ["COUNT"]}}]
        )
        studio.tasks[i] = exported_task(i, rec, [(200 + i, 1, result or regions(rec)[:0])])
    client, learner = backend(tmp_path, base_model, studio, debounce=0.0)
    old = learner.served.version
    for tid in studio.tasks:
        client.post("/webhook", json=created(tid))
    learner.pull_pending()
    learner.maybe_retrain()
    run_until(learner, lambda: not learner.training)
    health = client.get("/health").json()
    assert learner.served.version == old and health["model_version"] == old
    assert "retrain v0001 failed" in health["last_error"] and "no PER/ORG/LOC spans" in health["last_error"]
    assert "retrain v0001 failed" in learner.home.log_path.read_text()
    assert not list(learner.home.models.glob("*"))  # nothing half made is left
    learner.maybe_retrain()
    assert not learner.training  # the same training set is not tried again until it changes


def test_label_studio_down_keeps_events_until_it_is_back(tmp_path, base_model):
    studio, _ = annotated_studio(2)
    studio.down = True
    client, learner = backend(tmp_path, base_model, studio)
    client.post("/webhook", json=created(1))
    client.post("/webhook", json=created(2))
    learner.pull_pending()
    health = client.get("/health").json()
    assert health["pending_events"] == 2 and "not reachable" in health["pull_error"]
    assert learner.home.task_refs() == []
    # A restart in between loses nothing: the events are on disk.
    learner = Learner(Home(tmp_path / "home"), base_model, client=lambda: studio)
    studio.down = False
    learner.pull_pending()
    assert len(learner.home.task_refs()) == 2 and learner.health()["pending_events"] == 0
    assert learner.health()["pull_error"] is None
    # A deletion names annotations only: the task holding it is pulled again and, empty now, forgotten.
    studio.tasks[2]["annotations"] = []
    app = TestClient(create_app(learner, extract_figures, run_learner=False))
    app.post("/webhook", json={"action": "ANNOTATIONS_DELETED", "annotations": [{"id": 102}], "project": {"id": 3}})
    learner.pull_pending()
    assert [r.task for r in learner.home.task_refs()] == [1]


def test_a_bad_task_is_left_out_with_a_line(tmp_path, base_model):
    studio, recs = annotated_studio(1)
    studio.tasks[1]["annotations"][0]["result"][0]["value"]["text"] = "not the text"
    client, learner = backend(tmp_path, base_model, studio)
    client.post("/webhook", json=created(1))
    learner.pull_pending()
    assert learner.home.task_refs() == []
    assert "left out of the training set: task 1" in learner.home.log_path.read_text()


def test_a_killed_retrain_leaves_no_half_model(tmp_path, base_model):
    home = Home(tmp_path / "home")
    name, partial = home.next_version_dir()
    partial.mkdir()
    (partial / "model.crfsuite").write_bytes(b"half")
    learner = Learner(home, base_model)
    assert not partial.exists() and learner.served.folder == base_model
    assert "did not finish" in home.log_path.read_text()


def test_push_model_and_the_backend_name_a_prediction_alike(tmp_path, base_model):
    """`push --model M` and `serve M` write the same model_version, so Label Studio, which skips tasks
    holding a prediction of the backend's version, never asks the backend again for tasks pushed with M."""
    from toolkit.select import load_predictor
    from toolkit.studio.tasks import model_version

    _, learner = backend(tmp_path, base_model)
    assert model_version(load_predictor(base_model)) == learner.served.version


def test_updated_and_bulk_created_annotations_reach_the_training_set(tmp_path, base_model):
    studio, recs = annotated_studio(3)
    client, learner = backend(tmp_path, base_model, studio, debounce=100.0)
    bulk = {
        "action": "ANNOTATIONS_CREATED",
        "annotation": [{"id": 101, "task": 1}, {"id": 102, "task": 2}],
        "project": {"id": 4},
    }
    assert client.post("/webhook", json=bulk).json()["status"] == "queued"
    learner.pull_pending()
    assert [(r.project, r.task) for r in learner.home.task_refs()] == [(4, 1), (4, 2)]
    assert learner.due(time.monotonic() + 101)
    stored = (learner.home.trainset / "p4-t1.json").read_text()
    # An update: the task is pulled again and the stored copy follows it.
    studio.tasks[1]["annotations"][0]["result"] = regions(recs[0])[:1]
    updated = {"action": "ANNOTATION_UPDATED", "annotation": {"id": 101, "task": 1, "project": 4}}
    assert client.post("/webhook", json=updated).json()["status"] == "queued"
    learner.pull_pending()
    assert (learner.home.trainset / "p4-t1.json").read_text() != stored
    assert len(json.loads(stored)["annotations"][0]["result"]) > 1
    assert len(json.loads((learner.home.trainset / "p4-t1.json").read_text())["annotations"][0]["result"]) == 1


def test_a_folder_that_is_no_model_is_said_before_anything_is_written(tmp_path):
    from toolkit.extractor import ExtractorError

    with pytest.raises(ExtractorError, match="not a trained extractor"):
        build(tmp_path / "nothing", pull=False)
    assert not (tmp_path / "nothing-backend").exists()
