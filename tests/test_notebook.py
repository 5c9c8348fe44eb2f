"""The walkthrough notebook, executed end to end so that it cannot rot.

``notebooks/walkthrough.ipynb`` translates a slice of the seeds with the tiny
model, pushes to the session's real Label Studio, annotates through the API,
pulls, trains the ``crf`` extractor and pushes again with it. The test runs
every cell in a Jupyter kernel (nbclient) and checks the figures the
notebook computes, and that the kernel was this virtualenv's Python.

Set ``TOOLKIT_SAVE_NOTEBOOK=1`` to write the executed notebook, with its
outputs, back to ``notebooks/`` (how the committed outputs were made).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "walkthrough.ipynb"
CELL_TIMEOUT = 600  # seconds per cell; the whole notebook takes well under a minute with the tiny model
_PROBE = "print('KERNEL_PREFIX=' + __import__('sys').prefix)"


def _outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("\n".join(out.get("traceback", [])))
        else:
            parts += [str(v) for v in out.get("data", {}).values()]
    return "".join(parts)


def _tagged(nb, tag: str):
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"the notebook needs exactly one cell tagged {tag!r}"
    return cells[0]


def test_saved_notebook_is_executed_and_clean():
    """The committed notebook shows one complete run, without errors, secrets or temporary paths."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code), "save the notebook executed (see module doc)"
    counts = [c.execution_count for c in code]
    assert counts == sorted(counts), "outputs come from one run, top to bottom"
    text = "".join(_outputs_text(c) for c in code)
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)
    assert "/tmp/" not in text and str(Path.home()) not in text
    assert "Traceback" not in text
    # A Label Studio token is 40 hex characters (server.start) or a JWT; neither may be shown.
    assert not re.search(r"\b[0-9a-f]{40}\b", text) and "eyJ" not in text
    results = json.loads(_outputs_text(_tagged(nb, "results")))
    assert results["tasks_pulled"] == results["tasks_annotated"] > 0
    assert results["round2_model_version"].endswith("+" + results["model"])


@pytest.mark.e2e
@pytest.mark.studio
def test_walkthrough_notebook_executes(studio_server, tiny_model, tmp_path, monkeypatch):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from toolkit.studio import server

    creds = server.read_credentials(studio_server.data_dir)
    work = tmp_path / "work"
    monkeypatch.setenv("LABEL_STUDIO_URL", creds.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", creds.token)
    monkeypatch.setenv("TOOLKIT_TINY_MODEL", str(tiny_model))
    monkeypatch.setenv("TOOLKIT_WALKTHROUGH_DIR", str(work))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timings of the run that saved it
    nb.cells.append(nbformat.v4.new_code_cell(_PROBE))  # which Python ran the cells
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        record_timing=False,  # no timestamps in the saved notebook
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.execute()
    except CellExecutionError as e:
        pytest.fail(f"a notebook cell failed: {str(e)[-3000:]}")

    probe = nb.cells.pop()
    assert f"KERNEL_PREFIX={sys.prefix}\n" in _outputs_text(probe), "the kernel must be this virtualenv's Python"

    results = json.loads(_outputs_text(_tagged(nb, "results")))
    assert results["documents"] == 5
    assert results["tasks_pushed"] == results["sentences_translated"] == results["round2_tasks"] > 0
    # What was annotated through the API comes back, each task as its source and two translations.
    assert results["tasks_pulled"] == results["tasks_annotated"] >= 5
    assert results["texts_pulled"] == 3 * results["tasks_annotated"]
    assert results["train_texts"] > results["texts_pulled"] and results["eval_texts"] > 0

    metrics = json.loads((work / "models" / "walkthrough-crf" / "metrics.json").read_text(encoding="utf-8"))
    assert 0 < results["f1"] <= 1 and results["f1"] == round(metrics["eval"]["overall"]["f1"], 3)
    assert results["model"] == metrics["model"] and results["model"].startswith("walkthrough-crf@")
    assert results["extracted_entities_from_article"] > 0
    assert results["extracted_from_article"] > results["extracted_entities_from_article"]  # figures merged in
    lines = (work / "extractions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == results["extracted_by_cli"] > 0
    # The second push's pre-annotations come from the trained extractor, and say so.
    assert results["model"] in results["round2_model_version"]

    text = "".join(_outputs_text(c) for c in nb.cells if c.cell_type == "code")
    assert creds.token not in text and creds.password not in text
    assert str(tmp_path) not in text

    if os.environ.get("TOOLKIT_SAVE_NOTEBOOK") == "1":
        nbformat.write(nb, NOTEBOOK)
