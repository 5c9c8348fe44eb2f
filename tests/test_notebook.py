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
CELL_TIMEOUT = 600  # seconds per cell; the whole notebook takes about two minutes with the tiny model
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

    _check_new_layout_and_formats(results, work)
    _check_preannotation_projection_ranking(results)
    agreed = results["agreement"]  # a second annotator accepted the rule pre-annotations of a few tasks
    assert agreed["annotators"] == 2 and agreed["tasks_compared"] == agreed["tasks_annotated_twice"] > 0
    assert 0 <= agreed["f1"] <= agreed["overlap_f1"] <= 1 and -1 <= agreed["kappa"] <= 1

    text = "".join(_outputs_text(c) for c in nb.cells if c.cell_type == "code")
    assert creds.token not in text and creds.password not in text
    assert str(tmp_path) not in text

    if os.environ.get("TOOLKIT_SAVE_NOTEBOOK") == "1":
        nbformat.write(nb, NOTEBOOK)


def _check_new_layout_and_formats(results: dict, work: Path) -> None:
    """Issue 11's run folder read through toolkit.run, issue 12's mixed formats and dataset export."""
    from toolkit.run import iter_records, load_run

    run = load_run(work / "run")
    assert results["run_records"] == len(list(iter_records(run))) > results["sentences_translated"]  # + non-body
    assert results["run_compute_type"] == run.info.provenance.compute_type != ""
    assert f"compute:{results['run_compute_type']}" in run.info.signature
    docs = {"page.html", "article.md", "plain.txt", "report.docx", "rows.jsonl#r0", "rows.jsonl#r1"}
    assert set(results["formats_docs"]) == docs and results["formats_documents"] == len(docs)
    mixed = load_run(work / "run-formats")
    assert results["dataset_rows"] == len(list(iter_records(mixed)))
    assert {"id", "doc", "src_lang", "src", "src_start", "src_end", "mt_eng_Latn", "flags", "figures"} <= set(
        results["dataset_columns"]
    )


def _check_preannotation_projection_ranking(results: dict) -> None:
    """Issue 14's before/after table, issue 18's projection on a human pair and the ranked push."""
    from toolkit.projection.parallel import load_parallel

    assert results["preannotation_rows"] > 0
    for part in results["preannotation"].values():
        for counts in part.values():
            assert 0 <= counts["kept"] <= min(counts["guessed"], counts["gold"])
    crf, rules = (results["preannotation"]["all"][k] for k in ("crf (round 2)", "rules (round 1)"))
    assert crf["kept"] >= rules["kept"] and crf["kept"] > 0  # trained on the gold of four of these articles

    pair = {r.id: r for r in load_parallel(REPO / "annotations" / "parallel" / "parallel.jsonl")}[
        results["projection_pair"]
    ]
    source_labels = {s.label for s in pair.spans["src"]}
    for side, spans in results["projected"].items():
        assert spans, f"nothing projected onto {side}"
        human = {(s.start, s.end, s.label) for s in pair.spans[side]}
        for a, b, label, text in spans:
            assert pair.texts[side][a:b] == text and text.strip() and label in source_labels
        assert sum((a, b, label) in human for a, b, label, _ in spans) >= len(spans) - 1  # precision first

    ranked = results["ranked"]
    assert len(ranked) == results["tasks_pushed"] and all(0 <= p <= 1 for _, p in ranked)
    assert [p for _, p in ranked] == sorted((p for _, p in ranked), reverse=True) and ranked[0][1] > ranked[-1][1]
    assert results["ranked_push_order"] == [rid for rid, _ in ranked]
