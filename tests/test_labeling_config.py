"""The generated labeling config: the task contract, and Label Studio's own validation."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET

import pytest
from label_studio_sdk.label_interface import LabelInterface

from toolkit.records import ALL_LABELS
from toolkit.studio import server
from toolkit.studio.config import RATINGS, config_path, labeling_config, save_config

TARGETS = ["eng_Latn", "vie_Latn"]


def _names(xml: str) -> dict[str, ET.Element]:
    return {el.get("name"): el for el in ET.fromstring(xml).iter() if el.get("name")}


def test_config_follows_the_task_contract():
    names = _names(labeling_config(TARGETS))
    assert names["src"].tag == "Text" and names["src"].get("value") == "$src"
    assert names["src_labels"].get("toName") == "src"
    assert [lab.get("value") for lab in names["src_labels"]] == list(ALL_LABELS)
    for t in TARGETS:
        assert names[f"mt_{t}"].get("value") == f"${'mt_' + t}"
        assert names[f"mt_{t}_labels"].get("toName") == f"mt_{t}"
        assert [lab.get("value") for lab in names[f"mt_{t}_labels"]] == list(ALL_LABELS)
        assert names[f"rating_{t}"].tag == "Choices" and names[f"rating_{t}"].get("toName") == f"mt_{t}"
        assert [c.get("value") for c in names[f"rating_{t}"]] == list(RATINGS)
        assert names[f"correction_{t}"].tag == "TextArea"
        assert names[f"flags_{t}"].get("value") == f"$flags_{t}"
    # Every Text tag is named after the data field it shows (export.py relies on it).
    for el in ET.fromstring(labeling_config(TARGETS)).iter("Text"):
        assert el.get("value") == "$" + el.get("name")


def test_config_for_other_targets_and_no_targets():
    names = _names(labeling_config(["tha_Thai"]))
    assert "mt_tha_Thai" in names and "mt_eng_Latn" not in names
    with pytest.raises(ValueError):
        labeling_config([])


def test_save_config_writes_under_annotations_and_is_stable(tmp_path):
    path, xml = save_config(TARGETS, tmp_path)
    assert path == config_path(TARGETS, tmp_path) == tmp_path / "labeling_en-vi.xml"
    mtime = path.stat().st_mtime_ns
    assert save_config(TARGETS, tmp_path) == (path, xml)
    assert path.stat().st_mtime_ns == mtime  # unchanged content is not rewritten


def test_committed_config_matches_the_generator():
    committed = config_path(TARGETS, server.REPO / "annotations")
    assert committed.read_text(encoding="utf-8") == labeling_config(TARGETS)


def test_sdk_label_interface_accepts_config_and_rejects_unknown_labels():
    li = LabelInterface(labeling_config(TARGETS))
    li.validate()
    good = {"start": 0, "end": 3, "text": "Nui", "labels": ["LOC"]}
    pred = {"result": [{"from_name": "src_labels", "to_name": "src", "type": "labels", "value": good}]}
    assert li.validate_prediction(pred, return_errors=True) == []
    pred["result"][0]["value"] = dict(good, labels=["CITY"])
    assert li.validate_prediction(pred, return_errors=True)


_VALIDATE = """
import json, sys, django
django.setup()
from core.label_config import validate_label_config
from rest_framework.exceptions import ValidationError
out = []
for cfg in json.load(sys.stdin):
    try:
        validate_label_config(cfg)
        out.append("ok")
    except ValidationError as e:
        out.append(str(e.detail[0]) if isinstance(e.detail, list) else str(e.detail))
print(json.dumps(out))
"""


def test_label_studio_own_validation(tmp_path):
    """Runs Label Studio's ``validate_label_config`` in the server's own virtualenv."""
    from studio_server import require_server_binary

    require_server_binary()
    py = server.studio_python()
    pkg = subprocess.run(
        [str(py), "-c", "import label_studio, os; print(os.path.dirname(label_studio.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    env = dict(
        os.environ,
        PYTHONPATH=pkg,
        DJANGO_SETTINGS_MODULE="core.settings.label_studio",
        LABEL_STUDIO_BASE_DATA_DIR=str(tmp_path),
        **server.QUIET_ENV,
    )
    configs = [
        labeling_config(TARGETS),
        labeling_config(["tha_Thai", "eng_Latn", "vie_Latn"]),
        '<View><Text name="src" value="$src"/><Labels name="x" toName="nope"><Label value="PER"/></Labels></View>',
    ]
    p = subprocess.run(
        [str(py), "-c", _VALIDATE],
        input=json.dumps(configs),
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    got = json.loads(p.stdout.strip().splitlines()[-1])
    assert got[:2] == ["ok", "ok"]
    assert "nope" in got[2]  # the validator does catch a broken config
