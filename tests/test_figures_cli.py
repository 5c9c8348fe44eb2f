"""`toolkit figures` end to end, through the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "figures", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=None if env is None else {**os.environ, **env},
    )


@pytest.mark.e2e
def test_file_and_stdin(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    text = "Em 2024, o total foi 165,34 bilhões de VND.\nO 15º Congresso recebeu 301/314 cidadãos.\n"
    p.write_text(text, encoding="utf-8")
    r = run(str(p), "--lang", "pt")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["kind"] for row in rows] == ["YEAR", "MONEY", "ORDINAL", "RATIO"]
    for row in rows:  # offsets are into the whole file
        assert text[row["start"] : row["end"]] == row["text"]
    r2 = run("-", "--lang", "por_Latn", stdin=text)
    assert r2.stdout == r.stdout
    r3 = run("find", "--lang", "pt", str(p))  # the sub-command the short form stands for
    assert r3.stdout == r.stdout


@pytest.mark.e2e
def test_errors_are_one_line() -> None:
    r = run("does-not-exist.txt", "--lang", "id")
    assert r.returncode == 2 and "does-not-exist.txt" in r.stderr
    r = run("-", "--lang", "xx", stdin="1")
    assert r.returncode == 2 and "unknown language" in r.stderr
    r = run("-", stdin="1")
    assert r.returncode == 2 and "--lang" in r.stderr


@pytest.mark.e2e
def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes("São 2 reais\n".encode("latin-1"))
    r = run(str(p), "--lang", "pt")
    assert r.returncode == 2 and "UTF-8" in r.stderr


@pytest.mark.e2e
def test_conformance_command(tmp_path: Path) -> None:
    cases = REPO.parent / "shared" / "conformance" / "duckling"
    if not (cases / "cases.jsonl").is_file():
        pytest.skip(f"conformance cases not found at {cases}")
    r = run("conformance", "--dir", str(cases))
    assert r.returncode == 0, r.stderr
    assert "| pt | ordinal |" in r.stdout
    r = run("conformance", "--dir", str(tmp_path))
    assert r.returncode == 2 and "cases.jsonl" in r.stderr
    # The default folder comes from the environment when it is set.
    r = run("conformance", env={"TOOLKIT_CONFORMANCE_DIR": str(tmp_path)})
    assert r.returncode == 2 and str(tmp_path / "cases.jsonl") in r.stderr
    # The old spelling still works.
    old = run("--conformance", "--dir", str(cases))
    assert old.returncode == 0, old.stderr
    assert old.stdout == run("conformance", "--dir", str(cases)).stdout
    r = run("--conformance", "--dir", str(tmp_path))
    assert r.returncode == 2 and "cases.jsonl" in r.stderr
