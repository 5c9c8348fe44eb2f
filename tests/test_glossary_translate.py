"""``toolkit translate --glossary``: applied by the checks, recorded in the
provenance, bad lines reported while the run goes on, an unreadable file a
usage error."""

from __future__ import annotations

import hashlib
import json

import pytest
from helpers import cli

pytestmark = pytest.mark.e2e

DOC = "Komite Rakyat Distrik Nui Thanh mengadakan rapat pada tahun 2024.\n"
GLOSSARY = (
    "# term\ttarget\tforms\n"
    "Komite Rakyat\teng_Latn\tPeople's Committee\tind_Latn\n"
    "Nui Thanh\teng_Latn\tNui Thanh\n"
    "no tabs on this line\n"
    "Binh Thuan\txx_Nope\tBinh Thuan\n"
)


@pytest.fixture(scope="module")
def glossary_run(tiny_model, tmp_path_factory):
    root = tmp_path_factory.mktemp("gloss")
    (root / "in").mkdir()
    (root / "in" / "a.txt").write_text(DOC, encoding="utf-8")
    (root / "g.tsv").write_text(GLOSSARY, encoding="utf-8")
    args = ("translate", str(root / "in"), "--to", "eng_Latn", "--from", "id", "--model", str(tiny_model), "-q")
    res = cli(*args, "--out", str(root / "run"), "--glossary", str(root / "g.tsv"), "--no-repair")
    return root, res


def test_glossary_terms_are_checked_and_bad_lines_reported(glossary_run):
    root, res = glossary_run
    assert res.returncode == 0, res.stderr
    # one line per bad line, with the file and line number; the run went on
    assert f"{root / 'g.tsv'}:4: expected 3 or 4 tab-separated columns" in res.stderr
    assert f"{root / 'g.tsv'}:5: target language 'xx_Nope' is not supported" in res.stderr
    (rec,) = [json.loads(line) for line in (root / "run" / "bitext.jsonl").read_text().splitlines()]
    terms = [f for f in rec["flags"] if f["code"] == "term_missing"]
    # the copy model keeps "Komite Rakyat": not an allowed form; "Nui Thanh" is kept as it must be
    assert [f["detail"] for f in terms] == ["'Komite Rakyat' should be translated as \"People's Committee\""]
    assert rec["scores"]["eng_Latn"] < 0


def test_glossary_is_recorded_in_the_provenance(glossary_run):
    root, _ = glossary_run
    info = json.loads((root / "run" / "run.json").read_text())
    digest = hashlib.sha256((root / "g.tsv").read_bytes()).hexdigest()
    assert info["engine"]["extra"]["glossary"] == digest[:16]
    assert "repair" not in info["engine"]["extra"]  # --no-repair
    assert f"glossary:{digest[:12]}" in info["signature"]
    assert info["quality"]["glossary"]["entries"] == 2 and info["quality"]["glossary"]["problems"] == 2


def test_unreadable_glossary_is_a_usage_error(tiny_model, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "bad.tsv").write_bytes(b"Nui Thanh\teng_Latn\t\xff\xfe\n")
    for glossary in (tmp_path / "missing.tsv", tmp_path / "bad.tsv"):
        res = cli(
            "translate",
            str(tmp_path / "in"),
            "--out",
            str(tmp_path / "run"),
            "--model",
            str(tiny_model),
            "--glossary",
            str(glossary),
        )
        assert res.returncode == 2
        lines = [line for line in res.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and str(glossary) in lines[0], res.stderr
    assert not (tmp_path / "run" / "bitext.jsonl").exists()
