"""A folder of nasty files through `toolkit translate`, and hand-edited exports through `toolkit train`.

Each bad input gets one clear line naming the file (or task) and what to
do; every good document of the same batch is translated; the exit code says
whether all succeeded (0) or some were skipped (1).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from nasty.generate import EXPORTS, GOOD_ID, long_line, make_generated, restore, thai_paragraph

from toolkit.display import shown
from toolkit.io.formats.txt import REPLACED
from toolkit.io.read import iter_documents
from toolkit.records import BitextRecord, Document, Skip
from toolkit.segment import segment_document

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, cwd=REPO, timeout=timeout
    )


@pytest.fixture
def nasty(tmp_path):
    folder = tmp_path / "in"
    expected = make_generated(folder)
    yield folder, expected
    restore(folder)


def test_reader_names_every_nasty_file(nasty):
    folder, expected = nasty
    items = {it.path: it for it in iter_documents(folder)}
    assert set(items) == set(expected), set(items) ^ set(expected)
    for name, want in expected.items():
        item = items[name]
        if want is None or name == "german_unsupported.txt":  # read fine; the language is checked later
            assert isinstance(item, Document), f"{name}: {item}"
        else:
            assert isinstance(item, Skip) and want in item.reason, f"{name}: {item}"
            assert " — " in item.reason or "pass --from" in item.reason or item.reason.startswith("empty"), item.reason
    assert items["utf16_bom.txt"].encoding == "utf-16-le" and items["utf16_be_no_bom.txt"].encoding == "utf-16-be"
    assert items["latin1.txt"].encoding == "cp1252" and "alcançou" in items["latin1.txt"].text
    assert "\r\n" in items["crlf.txt"].text  # kept: offsets index the file's own text
    assert items["stray_nul.txt"].encoding == REPLACED and "\ufffd" in items["stray_nul.txt"].text
    assert (
        items["almost_utf8.txt"].encoding == REPLACED
        and "administração do município de São João" in items["almost_utf8.txt"].text
    )


def test_long_line_and_thai_paragraph_segment_with_exact_offsets():
    for text, lang in ((long_line(), "ind_Latn"), (thai_paragraph(), "tha_Thai")):
        doc = Document("x.txt", text, lang)
        sents = segment_document(doc, lang)
        assert sents and all(doc.text[s.start : s.end] == s.text for s in sents)
        assert max(len(s.text) for s in sents) <= 2000
        covered = "".join(s.text for s in sents)
        assert covered.replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_translate_a_nasty_folder(nasty, tiny_model, tmp_path):
    folder, expected = nasty
    run = tmp_path / "run"
    p_args = ("--to", "eng_Latn", "--num-beams", "1", "-q")
    p = run_cli("translate", str(folder), "--out", str(run), "--model", str(tiny_model), *p_args)
    assert p.returncode == 1, p.stderr[-3000:]
    assert "Traceback" not in p.stderr
    skipped_lines = [line for line in p.stderr.splitlines() if line.startswith("skipped ")]
    for name, want in expected.items():
        if want is None:
            continue
        line = next((x for x in skipped_lines if x.startswith(f"skipped {shown(name)}:")), None)
        assert line is not None, f"{name} is not reported: {p.stderr[-2000:]}"
        assert want in line, line
    assert "long_line_1mb.txt line 1: a sentence of more than 2000 characters" in p.stderr

    records = [BitextRecord.from_json(x) for x in (run / "bitext.jsonl").read_text("utf-8").splitlines()]
    good = {k for k, v in expected.items() if v is None}
    assert {r.doc for r in records} == good
    meta = json.loads((run / "run.json").read_text("utf-8"))
    assert {s["path"] for s in meta["skipped"]} == set(expected) - good
    assert meta["counts"]["documents_translated"] == len(good)
    for name in good:
        out = run / "translations" / "eng_Latn" / name
        assert out.is_file() and out.read_text("utf-8").strip(), name
        src = (folder / name).read_bytes()
        if name.startswith("utf16") or name in ("latin1.txt", "almost_utf8.txt", "stray_nul.txt"):
            continue
        text = src.decode("utf-8")
        for r in (r for r in records if r.doc == name):
            assert text[r.src_start : r.src_end] == r.src, r.id
            if r.translate:
                assert r.mt["eng_Latn"], r.id
    assert not (REPO / "PWNED").exists() and not (folder / "PWNED").exists()
    assert "\x1b" not in p.stderr  # the escape sequence in a file name is shown escaped (issue 16)
    assert meta["encodings"]["not_utf8"]["almost_utf8.txt"] == REPLACED
    assert meta["encodings"]["not_utf8"]["stray_nul.txt"] == REPLACED
    assert "warning: almost_utf8.txt: not valid UTF-8" in p.stderr

    # Nothing good in a folder: exit 1 and the reasons, still no traceback.
    only_bad = tmp_path / "only-bad"
    only_bad.mkdir()
    (only_bad / "empty.txt").write_text("")
    (only_bad / "de.txt").write_text((folder / "german_unsupported.txt").read_text("utf-8"), "utf-8")
    p = run_cli("translate", str(only_bad), "--out", str(tmp_path / "r2"), "--model", str(tiny_model), *p_args)
    assert p.returncode == 1 and "skipped empty.txt: empty file" in p.stderr and "Traceback" not in p.stderr
    assert "0/2 documents" in p.stderr

    # All good: exit 0.
    ok = tmp_path / "ok"
    ok.mkdir()
    (ok / "a.txt").write_text(GOOD_ID, "utf-8")
    p = run_cli("translate", str(ok), "--out", str(tmp_path / "r3"), "--model", str(tiny_model), *p_args)
    assert p.returncode == 0, p.stderr


BAD_EXPORTS = {
    "span_off_text.json": ["task 2", "but the text there is", "fix the export or re-annotate"],
    "unknown_label.json": ["task 4", "unknown label 'PERSON_NAME'", "pass it in --labels"],
    "missing_field_end.json": ["task 1", "a span without start/end/labels"],
    "missing_field_data.json": ["task #1", "no 'data' object"],
    "truncated.json": ["not valid JSON", "truncated, export it again"],
    "empty.json": ["empty file", "export the project"],
    "not_a_list.json": ["expected a list of tasks"],
}


def test_train_on_hand_edited_exports(tmp_path):
    gold = REPO / "annotations" / "gold" / "seeds_gold.json"
    bad = [str(EXPORTS / name) for name in BAD_EXPORTS]
    out = tmp_path / "model"
    p = run_cli("train", str(gold), *bad, "--out", str(out), "--base", "crf")
    assert p.returncode == 1, p.stderr[-3000:]
    assert "Traceback" not in p.stderr
    warnings = [line for line in p.stderr.splitlines() if line.startswith("warning: skipped ")]
    assert len(warnings) == len(BAD_EXPORTS), p.stderr[-3000:]
    for name, words in BAD_EXPORTS.items():
        line = next((w for w in warnings if str(EXPORTS / name) in w), None)
        assert line is not None, f"{name} not reported"
        for w in words:
            assert w in line, (w, line)
    assert (out / "extractor.json").is_file()  # the good export was trained on

    # Only unreadable exports: nothing to train on, one line, exit 2. (Since issue 16 a bad task is
    # that task's line: the hand-edited exports above still give their good tasks.)
    unreadable = [
        str(EXPORTS / n) for n in ("truncated.json", "empty.json", "not_a_list.json", "deep_nesting_file.json")
    ]
    p = run_cli("train", *unreadable, "--out", str(tmp_path / "m2"), "--base", "crf")
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr[-2000:]
    assert p.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "deep_nesting_file.json: nested too deeply to read" in p.stderr


# Issue 16: exports shaped wrong at any level; each bad task one line, the rest trained on.
BAD_TASKS = {
    "deep_nesting_task.json": ["task 2: nested deeper than 64 levels"],
    "non_finite.json": [
        "task 2: annotations[0].result[0].value.start is inf",
        "task 5: annotations[0].result[0].value.end is nan",
    ],
    "wrong_types.json": [
        "task 2: annotations is an object",
        "task 5: annotations[0].result is a string",
        "task #3: not a Label Studio task",
        "task 6: annotations[0].result[0].value is a list",
        "task 7: a span without start/end/labels",
    ],
    "mixed_ids.json": ["task #2: id is a list"],
    "lone_surrogate.json": ["task 2: data.src holds a lone UTF-16 surrogate"],
    "annotation_of_other_task.json": ["task 2: annotation 2 belongs to task 99"],
}


def test_train_on_exports_shaped_wrong(tmp_path):
    files = [str(EXPORTS / n) for n in [*BAD_TASKS, "duplicate_tasks.json"]]
    p = run_cli("train", *files, "--out", str(tmp_path / "m"), "--base", "crf")
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr[-3000:]
    warnings = [line for line in p.stderr.splitlines() if line.startswith("warning: skipped ")]
    assert len(warnings) == sum(len(v) for v in BAD_TASKS.values()), p.stderr[-3000:]
    for name, words in BAD_TASKS.items():
        for w in words:
            assert any(str(EXPORTS / name) in line and w in line for line in warnings), (name, w)
    # The same gold tasks are in every file: used once, each repeat named.
    assert "duplicate_tasks.json: task 50: the same task as" in p.stderr and "used once" in p.stderr
    assert (tmp_path / "m" / "extractor.json").is_file()
