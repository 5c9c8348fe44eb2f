"""Damaged extractor folders: `toolkit extract` and `push --model` say one line and exit 2.

Each case starts from a real trained CRF folder and breaks one thing in it
(issue 16: empty folders, manifests that are not UTF-8 or not an object,
garbage model files, an unknown backend, labels of the wrong type all gave
tracebacks).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from extractor_synthetic import make_records
from helpers import cli
from run_folder import write_run

from toolkit.extractor import ExtractorError, load_extractor
from toolkit.extractor.crf import CRFExtractor
from toolkit.records import BitextRecord


@pytest.fixture(scope="module")
def good_model(tmp_path_factory) -> Path:
    ext = CRFExtractor(["PER", "LOC", "ORG"], {"max_iterations": 20})
    ext.fit(make_records(40, seed=1))
    return ext.save(tmp_path_factory.mktemp("models") / "good")


def _manifest(d: Path, **change) -> None:
    m = json.loads((d / "extractor.json").read_text(encoding="utf-8"))
    m.update(change)
    (d / "extractor.json").write_text(json.dumps(m), encoding="utf-8")


def _empty(d: Path) -> None:
    shutil.rmtree(d)
    d.mkdir()


# name -> (how to damage the folder, a word the message must hold)
DAMAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (_empty, "extractor.json"),
    "manifest_not_utf8": (lambda d: (d / "extractor.json").write_bytes(b'{"backend": "crf\xff\xfe"}'), "UTF-8"),
    "manifest_not_json": (lambda d: (d / "extractor.json").write_text("{backend: crf", encoding="utf-8"), "JSON"),
    "manifest_a_list": (lambda d: (d / "extractor.json").write_text("[1, 2]", encoding="utf-8"), "object"),
    "manifest_a_string": (lambda d: (d / "extractor.json").write_text('"crf"', encoding="utf-8"), "object"),
    "manifest_a_folder": (
        lambda d: ((d / "extractor.json").unlink(), (d / "extractor.json").mkdir()),
        "extractor.json",
    ),
    "unknown_backend": (lambda d: _manifest(d, backend="svm"), "svm"),
    "backend_not_a_string": (lambda d: _manifest(d, backend=["crf"]), "backend"),
    "labels_a_string": (lambda d: _manifest(d, labels="PER"), "labels"),
    "labels_of_numbers": (lambda d: _manifest(d, labels=[1, 2]), "labels"),
    "labels_empty": (lambda d: _manifest(d, labels=[]), "labels"),
    "settings_a_list": (lambda d: _manifest(d, settings=[1]), "settings"),
    "bad_settings_value": (lambda d: _manifest(d, settings={"features": "nope"}), "nope"),
    "model_garbage": (lambda d: (d / "model.crfsuite").write_bytes(b"\x00garbage" * 50), "model"),
    "model_missing": (lambda d: (d / "model.crfsuite").unlink(), "model.crfsuite"),
    "gazetteer_garbage": (lambda d: (d / "gazetteer.json").write_bytes(b"\xff\xfe\x00"), "gazetteer"),
    "gazetteer_wrong_shape": (lambda d: (d / "gazetteer.json").write_text('{"PER": 5}', encoding="utf-8"), "gazetteer"),
}


def damaged(good: Path, tmp_path: Path, name: str) -> Path:
    d = tmp_path / f"model-{name}"
    shutil.copytree(good, d)
    DAMAGES[name][0](d)
    return d


def _one_clean_line(proc, folder: Path, word: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert str(folder) in lines[0] and word.lower() in lines[0].lower(), lines[0]


@pytest.mark.parametrize("name", sorted(DAMAGES))
def test_load_extractor_raises_one_named_error(good_model, tmp_path, name):
    folder = damaged(good_model, tmp_path, name)
    with pytest.raises(ExtractorError) as e:
        load_extractor(folder)
    msg = str(e.value)
    assert "\n" not in msg and str(folder) in msg and DAMAGES[name][1].lower() in msg.lower(), msg


def test_good_folder_still_loads(good_model):
    ext = load_extractor(good_model)
    assert ext.labels == ["PER", "LOC", "ORG"] and ext.version.startswith("good@")


@pytest.mark.parametrize("name", ["empty", "manifest_not_utf8", "manifest_a_list", "model_garbage", "labels_a_string"])
def test_extract_cli_says_one_line(good_model, tmp_path, name):
    folder = damaged(good_model, tmp_path, name)
    text = tmp_path / "a.txt"
    text.write_text("Bapak Nguyen Van mengunjungi distrik Nui Thanh kemarin.\n", encoding="utf-8")
    proc = cli("extract", str(text), "--model", str(folder), "--lang", "ind_Latn", timeout=300)
    _one_clean_line(proc, folder, DAMAGES[name][1])


@pytest.mark.parametrize("name", ["manifest_a_string", "unknown_backend", "gazetteer_garbage"])
def test_push_model_says_one_line_before_connecting(good_model, tmp_path, name):
    folder = damaged(good_model, tmp_path, name)
    src = "Nguyen Van A visited."
    rec = BitextRecord(
        id="d1:0",
        doc="d1",
        para=0,
        idx=0,
        src_lang="eng_Latn",
        src=src,
        src_start=0,
        src_end=len(src),
        mt={"vie_Latn": src},
    )
    run = write_run(tmp_path / "run", [rec], ["vie_Latn"])
    # No Label Studio anywhere: the model folder must be refused before any connection.
    env = {"LABEL_STUDIO_URL": "http://127.0.0.1:9", "LABEL_STUDIO_API_KEY": "0" * 40}
    proc = cli("push", str(run), "--project", "p", "--model", str(folder), env=env, timeout=300)
    _one_clean_line(proc, folder, DAMAGES[name][1])
