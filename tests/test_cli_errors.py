"""The CLI's one error boundary (``toolkit/cli/app.py``): a ``ToolkitError``
or a usage mistake is one ``error:`` line and exit 2, before any model is
loaded; anything else is a bug and keeps its traceback (exit 1)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO
from typer.testing import CliRunner

from toolkit.cli.main import app
from toolkit.errors import ToolkitError

runner = CliRunner()
EXPORTS = Path(__file__).parent / "data" / "exports"


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Pemerintah menaikkan harga BBM sebesar 10 persen.\n", "utf-8")
    return folder


def _bad_run(tmp_path: Path) -> Path:
    run = tmp_path / "notarun"
    run.mkdir()
    (run / "bitext.jsonl").write_text("{}\n", "utf-8")  # no run.json: not a run folder
    return run


# Each: the arguments (tmp_path and the articles folder filled in) and a word the line must hold.
CASES = {
    "translate: no such input": (["translate", "{tmp}/nosuch", "--out", "{tmp}/run"], "does not exist"),
    "translate: empty input": (["translate", "{empty}", "--out", "{tmp}/run"], "no .txt files"),
    "translate: bad target": (["translate", "{in}", "--out", "{tmp}/run", "--to", "xx_Bad"], "xx_Bad"),
    "translate: bad source": (["translate", "{in}", "--out", "{tmp}/run", "--from", "klingon"], "klingon"),
    "translate: missing glossary": (
        ["translate", "{in}", "--out", "{tmp}/run", "--glossary", "{tmp}/none.tsv"],
        "none.tsv",
    ),
    "translate: missing model": (["translate", "{in}", "--out", "{tmp}/run", "--model", "{tmp}/nomodel"], "nomodel"),
    "translate: missing model, absolute": (
        ["translate", "{in}", "--out", "{tmp}/run", "--model", "/nonexistent"],
        "/nonexistent",
    ),
    "translate: missing model of a direction": (
        ["translate", "{in}", "--out", "{tmp}/run", "--model", "{tiny}", "--model", "ind-eng=/nonexistent"],
        "/nonexistent",
    ),
    "translate: a folder that is no model": (
        ["translate", "{in}", "--out", "{tmp}/run", "--model", "{empty}"],
        "no config.json",
    ),
    "translate: a folder that is no model, transformers": (
        ["translate", "{in}", "--out", "{tmp}/run", "--model", "{empty}", "--engine", "transformers"],
        "no config.json",
    ),
    "translate: a model of no known family": (["translate", "{in}", "--out", "{tmp}/run", "--model", "{bert}"], "bert"),
    "translate: a model file": (["translate", "{in}", "--out", "{tmp}/run", "--model", "{in}/a.txt"], "is a file"),
    "translate: shortlist on transformers": (
        ["translate", "{in}", "--out", "{tmp}/run", "--engine", "transformers", "--shortlist", "--model", "{tmp}"],
        "--shortlist",
    ),
    "translate: max-hyp-tokens on transformers": (
        [
            "translate",
            "{in}",
            "--out",
            "{tmp}/run",
            "--engine",
            "transformers",
            "--max-hyp-tokens",
            "9",
            "-m",
            "{tiny}",
        ],
        "--max-hyp-tokens",
    ),
    "translate: int8 on transformers": (
        [
            "translate",
            "{in}",
            "--out",
            "{tmp}/run",
            "--engine",
            "transformers",
            "--compute-type",
            "int8",
            "-m",
            "{tiny}",
        ],
        "--compute-type int8",
    ),
    "translate: missing --out": (["translate", "{in}"], "--out"),
    "translate: zero batch": (["translate", "{in}", "--out", "{tmp}/run", "--batch-size", "0"], "--batch-size"),
    "unknown command": (["nosuch"], "nosuch"),
    "figures find: no --lang": (["figures", "find", "{in}/a.txt"], "--lang"),
    "figures find: bad --lang": (["figures", "find", "{in}/a.txt", "--lang", "xx_Bad"], "xx_Bad"),
    "figures conformance: no cases": (["figures", "conformance", "--dir", "{tmp}"], "cases.jsonl"),
    "push: not a run": (["push", "{bad_run}", "--project", "p"], "notarun"),
    "rank: not a run": (["rank", "{bad_run}"], "notarun"),
    "export: not a run": (["export", "{bad_run}", "--out", "{tmp}/x.parquet"], "notarun"),
    "pull: bad format": (["pull", "--project", "p", "--out", "{tmp}/o", "--format", "xml"], "xml"),
    "train: bad resolve rule": (
        ["train", str(EXPORTS / "toolkit_project.json"), "--out", "{tmp}/m", "--resolve", "loudest"],
        "loudest",
    ),
    "glossary: not an export": (["glossary", "{in}/a.txt", "--out", "{tmp}/g.tsv"], "a.txt"),
    "extract: bad --lang": (["extract", "{in}", "--model", "{tmp}", "--lang", "xx_Bad"], "xx_Bad"),
    "models shortlist: bad --to": (["models", "shortlist", "{tmp}", "--to", "xx_Bad"], "xx_Bad"),
    "studio start: bad database": (["studio", "start", "--database", "mysql://h/db"], "--database"),
    # Checked before the work that prints progress (reading exports, asking the server, loading a model).
    "push: missing run": (["push", "{tmp}/norun", "--project", "p"], "norun"),
    "pull: unwritable out": (["pull", "--project", "p", "--out", "{in}/a.txt/o.json"], "not a folder"),
    "pull: unwritable dataset out": (["pull", "-p", "p", "--out", "{in}/a.txt/ds", "--format", "dataset"], "a.txt"),
    "train: missing export": (["train", "{tmp}/none.json", "--out", "{tmp}/m"], "none.json"),
    "train: unwritable out": (["train", str(EXPORTS / "toolkit_project.json"), "--out", "{in}/a.txt/m"], "--out"),
    "train: missing base folder": (
        ["train", str(EXPORTS / "toolkit_project.json"), "--out", "{tmp}/m", "--base", "{tmp}/nobase"],
        "nobase",
    ),
    "train: missing unlabelled folder": (
        ["train", str(EXPORTS / "toolkit_project.json"), "--out", "{tmp}/m", "--unlabelled", "{tmp}/nosuch"],
        "--unlabelled",
    ),
    "extract: missing model": (["extract", "{in}", "--model", "{tmp}/nomodel"], "nomodel"),
    "extract: unwritable out": (["extract", "{in}", "--model", "{tmp}/nomodel", "--out", "{in}/a.txt/x"], "a.txt"),
    "extract: out is a folder": (["extract", "{in}", "--model", "{tmp}/nomodel", "--out", "{tmp}"], "is a folder"),
    "serve: missing model folder": (["serve", "{tmp}/nomodel"], "nomodel"),
}


def _no_family(tmp_path: Path) -> Path:
    """A folder shaped as a checkpoint (config, weights, tokenizer) of a model that translates nothing."""
    folder = tmp_path / "bert"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "bert", "architectures": ["BertModel"]}', "utf-8")
    (folder / "model.safetensors").write_bytes(b"")
    (folder / "tokenizer.json").write_text("{}", "utf-8")
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_error_path_is_one_line_and_exit_2(name, tmp_path, articles, tiny_model_untrained):
    """stderr is exactly the one error line: no "loading ..." or progress line before it (the
    model is resolved and the engine's options checked first), and no run folder is left."""
    args, word = CASES[name]
    bad_run = _bad_run(tmp_path)
    (tmp_path / "empty").mkdir()
    places = {"tmp": tmp_path, "bad_run": bad_run, "empty": tmp_path / "empty", "in": articles}
    places |= {"bert": _no_family(tmp_path), "tiny": tiny_model_untrained}
    filled = [a.format(**places) for a in args]
    res = runner.invoke(app, filled)
    lines = res.stderr.splitlines()
    assert not (tmp_path / "run").exists() and not (tmp_path / "m").exists()
    assert res.exit_code == 2, (res.exit_code, res.output, res.exception)
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert word in lines[0], lines[0]
    assert res.stdout == "", res.stdout


def test_a_toolkit_error_anywhere_below_a_command_is_one_line(monkeypatch, tmp_path):
    """Not only the classes the commands knew: any ToolkitError, its newlines escaped."""
    import toolkit.select

    class Odd(ToolkitError):
        pass

    def raise_odd(*_a, **_k):
        raise Odd("first line\nsecond line")

    monkeypatch.setattr(toolkit.select, "rank_run", raise_odd)
    res = runner.invoke(app, ["rank", str(tmp_path)])
    assert res.exit_code == 2 and res.stderr == "error: first line\\x0asecond line\n", res.stderr


def test_a_bug_keeps_its_traceback_in_process(monkeypatch, tmp_path):
    """A ValueError (or any non-ToolkitError) is not turned into an error line."""
    import toolkit.select

    def buggy(*_a, **_k):
        raise ValueError("a bug, not a user's mistake")

    monkeypatch.setattr(toolkit.select, "rank_run", buggy)
    res = runner.invoke(app, ["rank", str(tmp_path)])
    assert res.exit_code == 1 and isinstance(res.exception, ValueError)
    assert "error:" not in res.stderr


def test_a_bug_keeps_its_traceback_in_a_subprocess(tmp_path):
    """As a user sees it: the traceback, exit 1."""
    code = (
        "import sys, toolkit.translate.plan as plan\n"
        "def bug(*a, **k): raise KeyError('a bug')\n"
        "plan.check_run = bug\n"
        "from toolkit.cli.main import main\n"
        f"sys.argv = ['toolkit', 'translate', {str(tmp_path)!r}, '--out', {str(tmp_path / 'run')!r}]\n"
        "main()\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert p.returncode == 1, p.stderr
    assert "Traceback (most recent call last)" in p.stderr and "KeyError: 'a bug'" in p.stderr
    assert "error:" not in p.stderr


def test_no_command_catches_bare_value_error():
    """The CLI catches only what it names: no `except ValueError`/`Exception` that would print a bug as a line."""
    found = []
    for path in sorted((REPO / "toolkit" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                bare = {n.id for n in names if isinstance(n, ast.Name)} & {"ValueError", "Exception", "BaseException"}
                if bare:
                    found.append(f"{path.name}:{node.lineno}: {sorted(bare)}")
    assert not found, found


def test_help_has_no_type_markers_and_figures_lang_is_required():
    res = runner.invoke(app, ["figures", "find", "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    lang = next(line for line in res.output.splitlines() if "--lang" in line)
    assert "*" in lang.split("--lang")[0] and "[required]" in res.output  # marked required
    for args in (["translate", "--help"], ["figures", "find", "--help"], ["push", "--help"]):
        out = runner.invoke(app, args, env={"COLUMNS": "200"}).output
        usage = next(line for line in out.splitlines() if "Usage:" in line)
        assert "<bool>" not in out and "{" not in usage, out[:400]
    usage = runner.invoke(app, ["translate", "--help"], env={"COLUMNS": "200"}).output
    assert "Usage: toolkit translate [OPTIONS] IN_DIR" in usage
