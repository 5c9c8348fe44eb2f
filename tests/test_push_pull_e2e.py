"""End to end against a real Label Studio (started once per session by tests/studio_server.py):
push a run of the seeds, push again, annotate through the API, pull, check the records."""

from __future__ import annotations

import json
import re
import shutil
import stat
import time
from pathlib import Path

import psutil
import pytest
from helpers import REPO, cli, label_region
from label_studio_sdk import LabelStudio
from run_folder import write_run as write_fixture_run

from toolkit.extractor.rules import RuleGuesser
from toolkit.figures import extract_figures
from toolkit.records import BitextRecord
from toolkit.run import load_run
from toolkit.studio import server
from toolkit.studio.client import StudioClient, StudioError
from toolkit.studio.export import to_records
from toolkit.studio.push import push_run

pytestmark = [pytest.mark.e2e, pytest.mark.studio]

SEEDS = REPO / "seeds"
TARGETS = ["eng_Latn", "vie_Latn"]


def write_run(path: Path, records: list[BitextRecord]) -> Path:
    return write_fixture_run(path, records, TARGETS)


def read_records(run: Path) -> list[BitextRecord]:
    return [
        BitextRecord.from_json(line)
        for line in (run / "bitext.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def rules() -> dict:
    """What `toolkit push` hands the library: the rule guesser and the figure finder."""
    return {"predictor": RuleGuesser(), "figure_finder": extract_figures}


@pytest.fixture(scope="module")
def seeds_run(tiny_model, tmp_path_factory) -> Path:
    """The seeds translated by `toolkit translate` with the tiny model (it copies its input)."""
    out = tmp_path_factory.mktemp("runs") / "seeds"
    p = cli("translate", str(SEEDS), "--out", str(out), "--model", str(tiny_model), "--quiet")
    assert p.returncode == 0, p.stderr[-2000:]  # every seed is in a source language: nothing is skipped
    return out


def client_for(info) -> StudioClient:
    return StudioClient(server.read_credentials(info.data_dir))


def sdk_for(info) -> LabelStudio:
    creds = server.read_credentials(info.data_dir)
    return LabelStudio(base_url=creds.url, api_key=creds.token)


def test_push_seeds_idempotent_after_interruption(studio_server, seeds_run, tiny_model, tmp_path):
    records = read_records(seeds_run)
    n = sum(r.translate for r in records)
    assert n > 20
    # An interrupted push leaves a prefix of the batches in the project: simulate it with a prefix
    # of the run (its bitext cut in half, beside the run.json `toolkit translate` wrote).
    half = tmp_path / "seeds"
    half.mkdir()
    shutil.copy(seeds_run / "run.json", half / "run.json")
    (half / "bitext.jsonl").write_text(
        "".join(r.to_json() + "\n" for r in records[: len(records) // 2]), encoding="utf-8"
    )
    first = push_run(half, "seeds-e2e", **rules(), data_dir=studio_server.data_dir, config_dir=tmp_path, batch_size=7)
    assert first.created_project and first.added == sum(r.translate for r in records[: len(records) // 2])
    # The project says which model translated the run: the one `toolkit translate` was given.
    run = load_run(seeds_run)
    assert Path(run.model).resolve() == tiny_model.resolve()
    project = sdk_for(studio_server).projects.get(id=first.project_id)
    assert project.description == f"toolkit run seeds ({run.model})"

    t0 = time.monotonic()
    p = cli(
        "push",
        str(seeds_run),
        "--project",
        "seeds-e2e",
        "--data-dir",
        studio_server.data_dir,
        "--config-dir",
        str(tmp_path),
        "--batch-size",
        "7",
    )
    seconds = time.monotonic() - t0
    assert p.returncode == 0, p.stderr
    assert f"added {n - first.added}, skipped {first.added} (already there), updated 0" in p.stderr
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/projects/\d+/data", p.stdout.strip())
    print(f"\n[studio] push of {n - first.added} seed tasks via the CLI: {seconds:.1f}s")

    again = push_run(seeds_run, "seeds-e2e", **rules(), data_dir=studio_server.data_dir, config_dir=tmp_path)
    assert (again.added, again.skipped, again.updated) == (0, n, 0)

    tasks = list(sdk_for(studio_server).tasks.list(project=first.project_id, fields="task_only"))
    keys = [t.data["key"] for t in tasks]
    assert len(keys) == n == len(set(keys))

    # A re-translated record updates its task in place; a new record adds one task.
    changed = [BitextRecord.from_dict(r.to_dict()) for r in records]
    target = next(r for r in changed if r.translate)
    target.mt["eng_Latn"] = "A new translation of Nui Thanh."
    extra = BitextRecord(
        id="zz.txt#p0s0",
        doc="zz.txt",
        para=0,
        idx=0,
        src_lang="ind_Latn",
        src="Kalimat baru.",
        src_start=0,
        src_end=13,
        mt={t: "Kalimat baru." for t in TARGETS},
    )
    upd = push_run(
        write_run(tmp_path / "seeds2", [*changed, extra]),
        "seeds-e2e",
        **rules(),
        data_dir=studio_server.data_dir,
        config_dir=tmp_path,
    )
    assert (upd.added, upd.skipped, upd.updated) == (1, n - 1, 1)
    task = next(
        t for t in sdk_for(studio_server).tasks.list(project=first.project_id) if t.data["record_id"] == target.id
    )
    assert task.data["mt_eng_Latn"] == "A new translation of Nui Thanh."
    assert len(task.predictions) == 1


# A run with Thai combining marks and emoji before the labelled names, so that any
# code-point/UTF-16 confusion would shift the spans.
EMOJI_SRC = "🎉 Herr Le Quang Hat besøkte Thang Binh-distriktet 👨🏻‍🚒 med 71 dialoger."
EMOJI_ENG = "🎉 Mr. Le Quang Hat visited Thang Binh district 👨🏻‍🚒 with 71 dialogues."
THAI_SRC = "👍 นายเหงียน ดึ๊ก ซุง เยือนนครห่าติ๋ญ 🎉 15 โครงการ"
THAI_ENG = "👍 Mr. Nguyen Duc Dung visited Ha Tinh city 🎉 15 projects"


def roundtrip_records() -> list[BitextRecord]:
    """A Norwegian sentence with emoji, a Thai one with emoji and combining marks, a short Thai one."""
    return [
        BitextRecord(
            id="e.txt#p0s0",
            doc="e.txt",
            para=0,
            idx=0,
            src_lang="nob_Latn",
            src=EMOJI_SRC,
            src_start=0,
            src_end=len(EMOJI_SRC),
            mt={"eng_Latn": EMOJI_ENG, "vie_Latn": EMOJI_SRC},
            flags=[{"code": "wrong_language", "target": "vie_Latn", "detail": "nob_Latn"}],
        ),
        BitextRecord(
            id="t.txt#p0s0",
            doc="t.txt",
            para=0,
            idx=0,
            src_lang="tha_Thai",
            src=THAI_SRC,
            src_start=0,
            src_end=len(THAI_SRC),
            mt={"eng_Latn": THAI_ENG, "vie_Latn": THAI_ENG},
        ),
        BitextRecord(
            id="t.txt#p0s1",
            doc="t.txt",
            para=0,
            idx=1,
            src_lang="tha_Thai",
            src="ประชุม 3 ครั้ง",
            src_start=0,
            src_end=14,
            mt={"eng_Latn": "3 meetings", "vie_Latn": "3 cuộc họp"},
        ),
    ]


def roundtrip_annotations() -> tuple[list[dict], list[dict]]:
    """What an annotator submits on the emoji task and the Thai task: spans, ratings, a correction."""
    e_result = [
        label_region(EMOJI_SRC, "Le Quang Hat", "PER", "src"),
        label_region(EMOJI_SRC, "Thang Binh", "LOC", "src"),
        label_region(EMOJI_SRC, "71", "COUNT", "src"),
        label_region(EMOJI_ENG, "Le Quang Hat", "PER", "mt_eng_Latn"),
        label_region(EMOJI_ENG, "Thang Binh", "LOC", "mt_eng_Latn"),
        {"from_name": "rating_eng_Latn", "to_name": "mt_eng_Latn", "type": "choices", "value": {"choices": ["good"]}},
        {
            "from_name": "rating_vie_Latn",
            "to_name": "mt_vie_Latn",
            "type": "choices",
            "value": {"choices": ["wrong language"]},
        },
        {
            "from_name": "correction_vie_Latn",
            "to_name": "mt_vie_Latn",
            "type": "textarea",
            "value": {"text": ["🎉 Ông Lê Quang Hát thăm huyện Thăng Bình 👨🏻‍🚒 với 71 cuộc đối thoại."]},
        },
    ]
    t_result = [
        label_region(THAI_SRC, "เหงียน ดึ๊ก ซุง", "PER", "src"),
        label_region(THAI_SRC, "ห่าติ๋ญ", "LOC", "src"),
        label_region(THAI_SRC, "15", "COUNT", "src"),
        label_region(THAI_ENG, "Ha Tinh", "LOC", "mt_eng_Latn"),
    ]
    return e_result, t_result


def check_bio_pull(studio_server, bio: Path) -> None:
    """`toolkit pull --format bio`: Thai cut into words, the labels on them as BIO tags."""
    p = cli(
        "pull", "--project", "roundtrip-e2e", "--out", str(bio), "--format", "bio", "--data-dir", studio_server.data_dir
    )
    assert p.returncode == 0, p.stderr
    blocks = [b for b in bio.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    thai = next(b for b in blocks if b.startswith("# t.txt#p0s0\tsrc\ttha_Thai"))
    rows = [line.split("\t") for line in thai.splitlines()[1:]]
    tokens = [r[0] for r in rows]
    assert "นาย" in tokens or "นายเหงียน" not in tokens  # Thai cut into words, not on spaces
    assert any(tag == "B-LOC" for _, tag in rows) and any(tag == "B-PER" for _, tag in rows)
    assert "".join(tokens).replace(" ", "") == THAI_SRC.replace(" ", "")


def check_dataset_pull(studio_server, out: Path) -> None:
    """`toolkit pull --format dataset`: a dataset folder, the Thai labels as ClassLabel BIO tags."""
    import datasets

    args = ("pull", "--project", "roundtrip-e2e", "--out", str(out), "--format", "dataset")
    p = cli(*args, "--data-dir", studio_server.data_dir)
    assert p.returncode == 0, p.stderr
    ds = datasets.load_from_disk(str(out))
    row = next(r for r in ds if r["record_id"] == "t.txt#p0s0" and r["field_name"] == "src")
    tags = [ds.features["tags"].feature.int2str(i) for i in row["tags"]]
    assert "B-PER" in tags and "B-LOC" in tags and [s["text"] for s in row["spans"]][:2] == ["เหงียน ดึ๊ก ซุง", "ห่าติ๋ญ"]


def check_projected_pull(studio_server, tmp_path: Path) -> None:
    """`toolkit pull --project-labels`, on pull's one path: each task's source spans fill its Vietnamese
    text (left without a span; the emoji task's is the source's copy), never the English one a person labelled."""
    from toolkit.studio.contract import PROJECTED_FROM

    dd = ("--data-dir", studio_server.data_dir)
    out, records = tmp_path / "projected.json", tmp_path / "projected.jsonl"
    p = cli("pull", "--project", "roundtrip-e2e", "--out", str(out), "--project-labels", *dd)
    assert (
        p.returncode == 0 and "projected 6 source spans onto 2 unlabelled translations (2 kept as labelled)" in p.stderr
    ), p.stderr
    task = next(x for x in json.loads(out.read_text(encoding="utf-8")) if x["data"]["record_id"] == "e.txt#p0s0")
    spans = [r for r in task["annotations"][0]["result"] if r["type"] == "labels"]

    def on(field: str) -> list[tuple[str, str, bool]]:
        return sorted(
            (r["value"]["text"], r["value"]["labels"][0], PROJECTED_FROM in r.get("meta", {}))
            for r in spans
            if r["to_name"] == field
        )

    assert on("mt_vie_Latn") == [("71", "COUNT", True), ("Le Quang Hat", "PER", True), ("Thang Binh", "LOC", True)]
    assert on("mt_eng_Latn") == [("Le Quang Hat", "PER", False), ("Thang Binh", "LOC", False)]
    p = cli("pull", "--project", "roundtrip-e2e", "--out", str(records), "--format", "records", "--project-labels", *dd)
    assert p.returncode == 0, p.stderr
    rows = [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines()]
    vie = next(r for r in rows if r["record_id"] == "e.txt#p0s0" and r["field_name"] == "mt_vie_Latn")
    assert [x["text"] for x in vie["spans"]] == ["Le Quang Hat", "Thang Binh", "71"]


def test_annotate_pull_round_trips_labels_exactly(studio_server, tmp_path):
    recs = roundtrip_records()
    run = write_run(tmp_path / "emoji", recs)
    s = push_run(run, "roundtrip-e2e", **rules(), data_dir=studio_server.data_dir, config_dir=tmp_path)
    assert s.added == 3
    sdk = sdk_for(studio_server)
    tasks = {t.data["record_id"]: t for t in sdk.tasks.list(project=s.project_id)}
    # The rule guesser's prediction lies on the text in code points, after the emoji.
    pred = tasks["e.txt#p0s0"].predictions[0]
    for res in pred["result"] if isinstance(pred, dict) else pred.result:
        v = res["value"]
        assert tasks["e.txt#p0s0"].data[res["to_name"]][v["start"] : v["end"]] == v["text"]

    e, t = tasks["e.txt#p0s0"], tasks["t.txt#p0s0"]
    e_result, t_result = roundtrip_annotations()
    sdk.annotations.create(id=e.id, result=e_result)
    sdk.annotations.create(id=t.id, result=t_result)

    out = tmp_path / "export.json"
    t0 = time.monotonic()
    p = cli("pull", "--project", "roundtrip-e2e", "--out", str(out), "--data-dir", studio_server.data_dir)
    print(f"\n[studio] pull of 2 annotated tasks via the CLI: {time.monotonic() - t0:.1f}s")
    assert p.returncode == 0, p.stderr
    export = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(x["data"]["record_id"] for x in export) == ["e.txt#p0s0", "t.txt#p0s0"]  # annotated ones only
    for task, sent in ((e, e_result), (t, t_result)):
        got = next(x for x in export if x["id"] == task.id)["annotations"][0]["result"]

        def strip(rs):
            keep = ("from_name", "to_name", "type", "value")
            return sorted(json.dumps({k: r[k] for k in keep}, sort_keys=True) for r in rs)

        assert strip(got) == strip(sent)  # exactly what was labelled, offsets included

    recs_out = to_records(out)
    by = {(r.record_id, r.field_name): r for r in recs_out}
    src = by[("e.txt#p0s0", "src")]
    assert src.lang == "nob_Latn" and [(x.label, x.text) for x in src.spans] == [
        ("PER", "Le Quang Hat"),
        ("LOC", "Thang Binh"),
        ("COUNT", "71"),
    ]
    assert by[("e.txt#p0s0", "mt_eng_Latn")].rating == "good"
    vie = by[("e.txt#p0s0", "mt_vie_Latn")]
    assert vie.rating == "wrong language" and vie.correction.startswith("🎉 Ông Lê Quang Hát")
    assert [(x.label, x.text) for x in by[("t.txt#p0s0", "src")].spans] == [
        ("PER", "เหงียน ดึ๊ก ซุง"),
        ("LOC", "ห่าติ๋ญ"),
        ("COUNT", "15"),
    ]

    check_bio_pull(studio_server, tmp_path / "export.bio")
    check_dataset_pull(studio_server, tmp_path / "labels")
    check_projected_pull(studio_server, tmp_path)

    # A span whose text does not match its task is reported and left out, not written silently.
    bad = [label_region(EMOJI_SRC, "Thang Binh", "LOC", "src")]
    bad[0]["value"]["text"] = "Thang Bin"
    third = tasks["t.txt#p0s1"]
    sdk.annotations.create(id=third.id, result=bad)
    p = cli("pull", "--project", "roundtrip-e2e", "--out", str(out), "--data-dir", studio_server.data_dir)
    assert p.returncode == 1
    assert f"task {third.id}:" in p.stderr and "'Thang Bin'" in p.stderr
    assert third.id not in [x["id"] for x in json.loads(out.read_text(encoding="utf-8"))]


def test_clear_errors_without_the_token(studio_server, tmp_path):
    creds = server.read_credentials(studio_server.data_dir)
    dd = ["--data-dir", studio_server.data_dir]
    p = cli("push", str(tmp_path), "--project", "x", *dd)
    assert p.returncode == 2 and "is not a run folder (no bitext.jsonl): run `toolkit translate` first" in p.stderr

    run = write_run(
        tmp_path / "r",
        [
            BitextRecord(
                id="a#p0s0",
                doc="a",
                para=0,
                idx=0,
                src_lang="ind_Latn",
                src="Satu.",
                src_start=0,
                src_end=5,
                mt={t: "One." for t in TARGETS},
            )
        ],
    )
    wrong = "0123456789abcdef0123456789abcdef01234567"
    p = cli("push", str(run), "--project", "x", env={"LABEL_STUDIO_URL": creds.url, "LABEL_STUDIO_API_KEY": wrong})
    assert p.returncode == 2 and "refused the API token" in p.stderr and wrong not in p.stderr + p.stdout

    down = f"http://127.0.0.1:{server.free_port()}"
    p = cli("push", str(run), "--project", "x", env={"LABEL_STUDIO_URL": down, "LABEL_STUDIO_API_KEY": creds.token})
    assert p.returncode == 2 and f"Label Studio at {down} is not answering" in p.stderr
    assert creds.token not in p.stderr + p.stdout

    sdk = sdk_for(studio_server)
    for _ in range(2):
        sdk.projects.create(title="dup-e2e", label_config='<View><Text name="text" value="$text"/></View>')
    sdk.projects.create(title="dup-e2e and more", label_config='<View><Text name="text" value="$text"/></View>')
    p = cli("push", str(run), "--project", "dup-e2e", *dd)
    assert p.returncode == 2 and "2 projects are titled 'dup-e2e'" in p.stderr
    p = cli("pull", "--project", "nope-e2e", "--out", str(tmp_path / "o.json"), *dd)
    assert p.returncode == 2 and "no project is titled 'nope-e2e'" in p.stderr
    # substring matches are not exact matches
    assert client_for(studio_server).find_project("dup-e2e and") is None
    with pytest.raises(StudioError):
        client_for(studio_server).find_project("dup-e2e")


def test_server_keeps_secrets_out_of_sight(studio_server):
    creds = server.read_credentials(studio_server.data_dir)
    path = Path(studio_server.credentials)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(creds.token) == 40 and creds.password
    proc = psutil.Process(studio_server.pid)
    for p in [proc, *proc.children(recursive=True)]:
        assert creds.token not in " ".join(p.cmdline())
        assert creds.token not in "".join(p.environ().values())
        assert creds.password not in " ".join(p.cmdline())
    assert creds.token not in (Path(studio_server.data_dir) / server.LOG_FILE).read_text(errors="replace")
    assert creds.token not in repr(creds)

    st = server.status(studio_server.data_dir)
    assert st["running"] and st["healthy"] and st["pid"] == studio_server.pid
    again = server.start(port=studio_server.port, data_dir=studio_server.data_dir)
    assert again.already_running and again.pid == studio_server.pid
    p = cli("studio", "status", "--data-dir", studio_server.data_dir)
    assert p.returncode == 0 and "running" in p.stdout
    other = Path(studio_server.data_dir).parent / "never-started"
    p = cli("studio", "status", "--data-dir", str(other))
    assert p.returncode == 1 and "not running" in p.stdout


def test_push_order_priority_imports_the_most_useful_first(studio_server, tmp_path):
    from toolkit.select import make_ranker

    run = write_run(tmp_path / "ranked", roundtrip_records())
    s = push_run(
        run, "order-e2e", **rules(), ranker=make_ranker(RuleGuesser()), order="priority",
        data_dir=studio_server.data_dir, config_dir=tmp_path,
    )  # fmt: skip
    assert s.added == 3
    tasks = sorted(sdk_for(studio_server).tasks.list(project=s.project_id, fields="all"), key=lambda t: t.id)
    prios = [t.data["priority"] for t in tasks]
    assert prios == sorted(prios, reverse=True) and all(t.data["priority_why"] for t in tasks)
    # The flagged sentence (wrong language) was imported first; the data manager lists and sorts `priority`.
    assert tasks[0].data["record_id"] == "e.txt#p0s0" and prios[0] > prios[-1]
    # A data manager view ordered by the field, lowest first: the reverse of the import order.
    sdk = sdk_for(studio_server)
    view = sdk.views.create(project=s.project_id, data={"title": "least useful", "ordering": ["tasks:data.priority"]})
    listed = [t.data["priority"] for t in sdk.tasks.list(project=s.project_id, view=view.id, fields="all")]
    assert listed == sorted(prios) and listed != prios


def test_second_annotator_pulled_compared_and_resolved(studio_server, tmp_path):
    """Issue 18: a second annotator made as Label Studio allows (users.create with the admin token); both
    annotations pulled with who made them, their agreement computed, the resolve rule picking one."""
    from toolkit.studio.export import read_export

    run = write_run(tmp_path / "two", roundtrip_records()[:1])
    s = push_run(run, "annotators-e2e", **rules(), data_dir=studio_server.data_dir, config_dir=tmp_path)
    sdk = sdk_for(studio_server)
    admin = sdk.users.whoami()
    second = sdk.users.create(username="second-e2e", email="second-e2e@example.org", password="Second-e2e-1")
    (task,) = list(sdk.tasks.list(project=s.project_id))
    full, _ = roundtrip_annotations()
    sdk.annotations.create(id=task.id, result=full)  # the admin: 5 spans, ratings, a correction
    sdk.annotations.create(id=task.id, result=full[:2], completed_by=second.id)  # PER and LOC on the source

    out = tmp_path / "two.json"
    p = cli("pull", "--project", "annotators-e2e", "--out", str(out), "--data-dir", studio_server.data_dir)
    assert p.returncode == 0, p.stderr
    (got,) = json.loads(out.read_text(encoding="utf-8"))
    who = {a["completed_by"]["email"]: a for a in got["annotations"]}
    assert set(who) == {admin.email, "second-e2e@example.org"}
    assert who["second-e2e@example.org"]["completed_by"]["id"] == second.id
    assert all(a["created_at"] and a["updated_at"] for a in got["annotations"])

    records_out = tmp_path / "two.jsonl"
    p = cli(
        "pull", "-p", "annotators-e2e", "-o", str(records_out), "-f", "records", "--data-dir", studio_server.data_dir
    )
    assert p.returncode == 0, p.stderr
    rows = [json.loads(line) for line in records_out.read_text(encoding="utf-8").splitlines()]
    assert {(r["annotator"], r["accepted"]) for r in rows} == {(admin.email, None), ("second-e2e@example.org", None)}
    assert len(rows) == 2 * 3  # every annotation: src and two translations each

    p = cli("agreement", str(out), "--json")
    assert p.returncode == 0, p.stderr
    agree = json.loads(p.stdout)
    assert agree["annotators"] == sorted([admin.email, "second-e2e@example.org"]) and agree["tasks_compared"] == 1
    # The second annotator gave 2 of the admin's 5 spans (COUNT and the English ones not): F1 = 2*2/(5+2).
    assert agree["overall"]["f1"] == round(4 / 7, 4) and agree["labels"]["PER"]["f1"] == round(2 / 3, 4)
    assert 0 < agree["overall"]["kappa"] < 1

    mine, stats = read_export(out, rule="annotator:second-e2e@example.org")
    assert {r.annotator for r in mine} == {"second-e2e@example.org"}
    assert stats.disagreements and "annotators disagree on 3 spans" in stats.disagreements[0]
    latest, _ = read_export(out, rule="latest")
    assert {r.annotator for r in latest} == {"second-e2e@example.org"}  # made last
    by_admin, _ = read_export(out, rule=f"annotator:{admin.email}")
    assert {r.annotator for r in by_admin} == {admin.email}
