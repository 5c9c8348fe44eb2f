"""Issue 27: ``toolkit/display.py``'s policy holds for every command.

A file name, record id, e-mail, label, project name or model path may hold
escape sequences (CSI, OSC), C0/C1 controls, bidi overrides or line
separators. None of them may reach the terminal raw, whatever the command:
each command is run in-process (typer's CliRunner) with such a name where it
prints one, and its whole output (stdout and stderr) is searched for a raw
control or invisible character.

Where a command needs a Label Studio server or starts one (push, studio
start, studio connect, serve), the call into the studio/backend room is
replaced by one returning the hostile values: what is tested is the
command's printing, not the server (the servers are tested end to end in
their own files).
"""

from __future__ import annotations

import json
import logging
import types
import unicodedata
from pathlib import Path

import pytest
from run_folder import write_run
from typer.testing import CliRunner

import toolkit.cli.main  # noqa: F401  (registers every command)
from toolkit.cli.app import app
from toolkit.records import BitextRecord

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "annotations" / "gold" / "seeds_gold.json"

#: What a hostile name holds, one kind each: a CSI that clears the screen, an
#: OSC that retitles the window, C0 bell/backspace/delete, a C1 CSI and NEL,
#: each bidi control (embeddings, overrides, isolates, marks), a zero-width
#: joiner, and the line and paragraph separators.
HOSTILE = [
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x08\x7f",
    "\x9b31m",
    "\x85",
    "\u202a\u202b\u202c\u202d\u202e",
    "\u2066\u2067\u2068\u2069",
    "\u200e\u200f\u061c",
    "\u200d",
    "\u2028",
    "\u2029",
]
#: Every kind in one name, for the commands that cost seconds a run.
ALL = "x" + "".join(HOSTILE) + "y"

RAW = {"Cc", "Cf", "Zl", "Zp"}


def raw_controls(text: str) -> list[str]:
    """The control and invisible characters in ``text``, line breaks and tabs (the output's own) aside."""
    return sorted({f"U+{ord(c):04X}" for c in text if c not in "\n\t" and unicodedata.category(c) in RAW})


runner = CliRunner()


def invoke(*args: object):
    # color=True: as on a terminal, where click does not strip ANSI sequences as it does into a pipe
    return runner.invoke(app, [str(a) for a in args], color=True)


def assert_clean(res, *must_say: str) -> None:
    out = res.output  # stdout and stderr, as a terminal shows them
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert raw_controls(out) == [], out[-3000:]
    for word in must_say:
        assert word in out, out[-3000:]


def test_every_hostile_kind_is_one_the_check_finds() -> None:
    # The list is the family: each member holds characters the check flags (it cannot pass vacuously).
    for h in HOSTILE:
        assert raw_controls(h), ascii(h)


# --- cheap commands: every kind on its own ---


@pytest.mark.parametrize("h", HOSTILE, ids=ascii)
def test_studio_status_and_stop_print_the_data_folder_escaped(tmp_path: Path, h: str) -> None:
    data = tmp_path / f"data{h}"
    res = invoke("studio", "status", "--data-dir", data)
    assert res.exit_code == 1
    assert_clean(res, "not running")
    assert_clean(invoke("studio", "stop", "--data-dir", data), "not running")


@pytest.mark.parametrize("h", HOSTILE, ids=ascii)
def test_models_convert_prints_the_model_path_escaped(tmp_path: Path, h: str, monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = tmp_path / "out"
    out.mkdir()  # exists: refused before anything loads
    res = invoke("models", "convert", tmp_path / f"model{h}", "--out", out)
    assert res.exit_code == 2
    assert_clean(res, "converting", "already exists")


@pytest.mark.parametrize("h", HOSTILE, ids=ascii)
def test_figures_conformance_prints_cases_escaped(tmp_path: Path, h: str) -> None:
    d = tmp_path / f"cases{h}"
    d.mkdir()
    case = {"lang": "en", "dim": "numeral", "text": f"seven{h}", "kind": "simple", "value": 99, "source": h}
    (d / "cases.jsonl").write_text(json.dumps(case) + "\n", "utf-8")
    res = invoke("figures", "conformance", "--dir", d, "--failures")
    assert_clean(res, "numeral")
    failures = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert failures and failures[0]["text"] == f"seven{h}"  # the JSON still says the same


@pytest.mark.parametrize("h", HOSTILE, ids=ascii)
def test_studio_start_and_connect_print_paths_urls_and_notes_escaped(tmp_path: Path, h: str, monkeypatch) -> None:
    from toolkit.backend import connect as connect_module
    from toolkit.studio import server

    data = tmp_path / f"data{h}"
    got = types.SimpleNamespace(
        already_running=False,
        seconds=1.0,
        pid=123,
        first_start=True,
        database=f"sqlite {data}/label_studio.sqlite3",
        credentials=data / "credentials.json",
        url=f"http://127.0.0.1:8080/{h}",
        data_dir=data,
    )
    monkeypatch.setattr(server, "start", lambda **kw: got)
    monkeypatch.setattr(
        server, "read_credentials", lambda d: types.SimpleNamespace(username=f"admin{h}", token="t" * 40)
    )
    assert_clean(invoke("studio", "start", "--data-dir", data), "Label Studio started")

    made = types.SimpleNamespace(created=True, backend_id=7, model_version=f"crf{h}", retrieved=2, notes=[f"task {h}"])
    monkeypatch.setattr(connect_module, "connect", lambda *a, **kw: made)
    res = invoke("studio", "connect", "--project", f"news{h}", "--backend", f"http://127.0.0.1:9090/{h}")
    assert_clean(res, "registered", "warning: task")


@pytest.mark.parametrize("h", HOSTILE, ids=ascii)
def test_serve_prints_the_model_and_its_folder_escaped(tmp_path: Path, h: str, monkeypatch) -> None:
    from toolkit.backend import service

    backend = types.SimpleNamespace(
        learner=types.SimpleNamespace(served=types.SimpleNamespace(version=f"crf{h}")),
        home=types.SimpleNamespace(root=tmp_path / f"backend{h}"),
    )
    monkeypatch.setattr(service, "build", lambda *a, **kw: backend)
    monkeypatch.setattr(service, "run", lambda *a, **kw: None)
    assert_clean(invoke("serve", tmp_path / f"model{h}"), "serving", "connect it")


# --- commands that read real inputs with a name holding every kind ---


def _record(doc: str, i: int) -> BitextRecord:
    text = "Joko Widodo tiba di Jakarta."
    rec = BitextRecord(
        id=f"{doc}#p{i}s0", doc=doc, para=i, idx=0, src_lang="ind_Latn", src=text, src_start=0, src_end=len(text)
    )
    rec.mt["eng_Latn"] = "Joko Widodo arrived in Jakarta."
    return rec


def test_push_prints_errors_project_and_url_escaped(tmp_path: Path, monkeypatch) -> None:
    import toolkit.cli.push as push_cli

    run = write_run(tmp_path / f"run{ALL}", [_record(f"{ALL}.txt", i) for i in range(2)], ["eng_Latn"])
    summary = types.SimpleNamespace(
        errors=[f"task {ALL}.txt#p0s0: refused"],
        kept_annotated=0,
        created_project=True,
        added=1,
        skipped=0,
        updated=0,
        project_url=f"http://127.0.0.1:8080/projects/1/{ALL}",
    )
    monkeypatch.setattr(push_cli, "push_run", lambda *a, **kw: summary)
    res = invoke("push", run, "--project", f"news{ALL}")
    assert res.exit_code == 1
    assert_clean(res, "refused", "projects/1")


def test_evaluate_prints_exports_skips_and_scores_escaped(tmp_path: Path) -> None:
    res = invoke("evaluate", "rules", GOLD, tmp_path / f"gone{ALL}.json", "--json", tmp_path / f"s{ALL}.json")
    assert res.exit_code == 1  # one export skipped
    assert_clean(res, "skipped", "scores written")


@pytest.fixture(scope="module")
def crf_model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("models") / "crf"
    res = invoke("train", GOLD, "--out", out, "--seed", "1")
    assert res.exit_code == 0, res.output
    return out


def test_extract_prints_names_and_json_escaped(tmp_path: Path, crf_model: Path) -> None:
    docs = tmp_path / f"docs{ALL}"
    docs.mkdir()
    (docs / f"{ALL}.txt").write_text("Joko Widodo tiba di Jakarta pada hari Senin.\n", "utf-8")
    (docs / f"empty{ALL}.txt").write_bytes(b"")
    res = invoke("extract", docs, "--model", crf_model, "--lang", "ind")
    assert_clean(res, "spans found")
    rows = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert rows and {r["doc"] for r in rows} == {f"{ALL}.txt"}  # the JSON still says the same name


def test_translate_prints_glossary_skips_and_log_escaped(tmp_path: Path, tiny_model: Path, monkeypatch) -> None:
    import toolkit.translate.pipeline as pipeline

    src = tmp_path / "in"
    src.mkdir()
    (src / f"{ALL}.txt").write_text("Joko Widodo tiba di Jakarta.\n\nHarga naik 5 persen.\n", "utf-8")
    (src / f"bug{ALL}.txt").write_text("Presiden berbicara.\n", "utf-8")
    glossary = tmp_path / f"terms{ALL}.tsv"
    glossary.write_text(f"Jakarta\teng_Latn\tJakarta\nbad line {ALL}\n", "utf-8")
    real = pipeline._record

    def record(s, lang, *rest):  # a bug of ours, in one named document, whose message quotes its name
        if s.doc.startswith("bug"):
            raise RuntimeError(f"broken on {s.doc}")
        return real(s, lang, *rest)

    monkeypatch.setattr(pipeline, "_record", record)
    res = invoke(
        "translate",
        src,
        "--out",
        tmp_path / "run",
        "--model",
        tiny_model,
        "--from",
        "ind",
        "--to",
        "eng",
        "--glossary",
        glossary,
        "--quiet",
    )
    assert res.exit_code == 1, res.output[-3000:]
    assert_clean(res, "glossary", "skipped", "RuntimeError", "Traceback")


# --- the per-document boundary: a bug of ours in one document costs that document only ---


def test_a_bug_in_one_documents_records_costs_that_document_only(
    tmp_path: Path, tiny_model: Path, monkeypatch, caplog
) -> None:
    import toolkit.translate.pipeline as pipeline

    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (src / name).write_text(f"Joko Widodo tiba di Jakarta ({name}).\n\nHarga naik 5 persen.\n", "utf-8")
    real = pipeline._record

    def record(s, lang, *rest):  # the per-document step, raising for one named document
        if s.doc == "b.txt" and s.is_body:
            raise ZeroDivisionError("a bug in record building")
        return real(s, lang, *rest)

    monkeypatch.setattr(pipeline, "_record", record)
    run = tmp_path / "run"
    with caplog.at_level(logging.WARNING, logger="toolkit"):
        res = invoke("translate", src, "--out", run, "--model", tiny_model, "--from", "ind", "--to", "eng", "--quiet")
    assert res.exit_code == 1, res.output[-3000:]
    info = json.loads((run / "run.json").read_text("utf-8"))
    assert [(s["path"], "ZeroDivisionError" in s["reason"]) for s in info["skipped"]] == [("b.txt", True)]
    docs = {json.loads(x)["doc"] for x in (run / "bitext.jsonl").read_text("utf-8").splitlines()}
    assert docs == {"a.txt", "c.txt"}
    assert not (run / "translations" / "eng_Latn" / "b.txt").exists()  # its files are removed
    assert "skipped b.txt: not translated: ZeroDivisionError" in res.output
    # the traceback: in the log (caplog) and on stderr, where the user reads the run's messages
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is ZeroDivisionError]
    assert len(logged) == 1 and "b.txt" in logged[0].getMessage()
    assert "Traceback (most recent call last)" in res.stderr and "in record" in res.stderr
