"""``pull``: a Label Studio project -> its export, every labelled span checked.

The library function behind ``toolkit pull``. A task must be shaped as a
Label Studio task (``toolkit.studio.export_shape``) and be readable by the
export reader (known labels, spans on fields it holds), and a span must lie
on its own task's text (``data[to_name][start:end] == value.text``); a task
that is not is reported on one line and left out of what is written, never
passed on silently, and the rest is written. Offsets written in UTF-16 units
are converted to code points (``toolkit.studio.export.read_span``, the one
span reader of pull and export).

Every annotation of a task is kept, with who made it: the export names an
annotator by user id only, so ``completed_by`` is written as Label Studio's
own expanded form, ``{"id", "email"}``, from the server's user list. The
"records" format has one record per text per annotation (annotator, dates
and review in each); "bio" and "dataset" have the latest annotation of each
task.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.io.atomic import atomic_write_text
from toolkit.records import ALL_LABELS, AnnotatedText
from toolkit.studio.client import StudioClient, StudioError, resolve_credentials
from toolkit.studio.export import (
    ExportError,
    read_export,
    read_span,
    read_task,
    span_fields_of,
    task_name,
    to_bio,
    to_dataset,
)
from toolkit.studio.export_shape import shape_problem

FORMATS = ("json", "records", "bio", "dataset")


@dataclass
class PullSummary:
    project_id: int
    tasks: int = 0
    written: int = 0
    spans: int = 0
    converted: int = 0  # spans whose UTF-16 offsets were converted to code points
    bad_tasks: list[str] = field(default_factory=list)  # one line per task left out
    out: str = ""
    no_emails: str = ""  # why annotators are named by user id only (the user list could not be read)


def check_export(export: list[Any]) -> tuple[list[dict[str, Any]], list[str], int, int]:
    """(good tasks, one message per bad task, spans checked, spans converted).

    A good task is a checked copy (UTF-16 offsets converted); ``export`` is
    left as it was. Any label is accepted: pull does not know which labels a
    project uses (``toolkit train --labels`` does). Predictions are not
    checked: they are the machine's and not exported as labels.
    """
    good, bad = [], []
    checked = converted = 0
    span_fields = span_fields_of(export)
    labels = set(ALL_LABELS) | _labels_in(export)
    for n, task in enumerate(export):
        problems, spans, moved = [], 0, 0
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            problems = [f"task #{n}: not a Label Studio task (no 'data' object)"]
        elif problem := shape_problem(task):  # before the copy: a task nested without end cannot be copied
            problems = [problem]
        else:
            task = copy.deepcopy(task)
            problems, spans, moved = check_task(task, n)
        if not problems:
            read = read_task(task, n, span_fields, labels, labels)
            problems = [read] if isinstance(read, str) else []
        checked += spans
        converted += moved
        if problems:
            bad.append(_named(task, n, problems))
        else:
            good.append(task)
    return good, bad, checked, converted


def _labels_in(export: list[Any]) -> set[str]:
    """Every label name a span result of the export carries (the reader checks their types)."""
    found: set[str] = set()
    for task in export:
        anns = task.get("annotations") if isinstance(task, dict) else None
        for ann in anns if isinstance(anns, list) else []:
            results = ann.get("result") if isinstance(ann, dict) else None
            for res in results if isinstance(results, list) else []:
                value = res.get("value") if isinstance(res, dict) else None
                labels = value.get("labels") if isinstance(value, dict) else None
                found.update(x for x in labels if isinstance(x, str)) if isinstance(labels, list) else None
    return found


def _named(task: Any, n: int, problems: list[str]) -> str:
    name = task_name(task, n)
    return "; ".join(p if p.startswith(("task ", name)) else f"{name}: {p}" for p in problems)


def check_task(task: Any, n: int = 0) -> tuple[list[str], int, int]:
    """(problems, spans checked, spans converted) of one task; UTF-16 offsets are rewritten in place."""
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return [f"task #{n}: not a Label Studio task (no 'data' object)"], 0, 0
    problem = shape_problem(task)
    if problem:
        return [problem], 0, 0
    try:
        return _check_spans(task)
    except Exception as e:  # noqa: BLE001 - the promise: any failure inside a task is that task's line
        return [f"could not be checked ({type(e).__name__}: {str(e)[:120]})"], 0, 0


def _check_spans(task: dict[str, Any]) -> tuple[list[str], int, int]:
    data, problems = task["data"], []
    checked = converted = 0
    for ann in task.get("annotations") or []:
        for res in ann.get("result") or []:
            if res.get("type") != "labels":
                continue
            checked += 1
            value, to_name = res["value"], res.get("to_name", "")
            text = data.get(to_name)
            if not isinstance(text, str):
                problems.append(f"a span on {to_name!r}, which is not a text field of the task")
                continue
            span = read_span(text, value, require_text=True)
            if isinstance(span, str):
                problems.append(f"on {to_name!r}: {span}")
            elif (span.start, span.end) != (value["start"], value["end"]):
                value["start"], value["end"] = span.start, span.end
                converted += 1
    return problems, checked, converted


def _records(tasks: list[dict[str, Any]], every: bool) -> list[AnnotatedText]:
    """Records of checked tasks: every annotation's, or each task's latest."""
    try:
        return read_export(tasks, set(ALL_LABELS) | _labels_in(tasks), every=every)[0]
    except ExportError:  # every annotation cancelled: nothing to write
        return []


def write_bio(tasks: list[dict[str, Any]], out: Path) -> int:
    """Token-level BIO (CoNLL: token TAB tag, a blank line between texts) of each task's latest annotation.

    Returns the number of texts.
    """
    records = _records(tasks, every=False)
    lines = []
    for rec, (tokens, tags) in zip(records, to_bio(records), strict=True):
        lines.append(f"# {rec.record_id or rec.doc}\t{rec.field_name}\t{rec.lang}")
        lines += [f"{tok}\t{tag}" for tok, tag in zip(tokens, tags, strict=True)]
        lines.append("")
    atomic_write_text(out, "\n".join(lines))
    return len(records)


def write_dataset(tasks: list[dict[str, Any]], out: Path) -> int:
    """A Hugging Face dataset folder (``datasets.load_from_disk(out)``) of each task's latest annotation.

    Typed by ``toolkit.studio.export.dataset_features``: BIO tags as a
    ``ClassLabel`` sequence, spans as a list of structs. Built beside ``out``
    and renamed into place, so a reader sees the old folder or the whole new
    one. An existing ``out`` is replaced only when it is empty or a dataset
    folder (a pull again); anything else is refused, never deleted. Returns
    the number of texts.
    """
    from datasets import disable_progress_bars

    if out.is_file() or (out.is_dir() and any(out.iterdir()) and not (out / "dataset_info.json").is_file()):
        raise ValueError(f"{out} exists and is not a dataset folder; choose another --out for --format dataset")
    records = _records(tasks, every=False)
    disable_progress_bars()  # pull's summary line says what was written
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        to_dataset(records).save_to_disk(str(tmp / "out"))
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp / "out", out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return len(records)


def name_annotators(tasks: list[dict[str, Any]], emails: dict[int, str]) -> int:
    """Write each annotation's ``completed_by`` as ``{"id", "email"}`` (Label Studio's expanded form), in place.

    Returns how many annotations were named; an id the server does not know keeps ``email`` None.
    """
    named = 0
    for task in tasks:
        for ann in task.get("annotations") or []:
            uid = ann.get("completed_by")
            if isinstance(uid, int) and not isinstance(uid, bool):
                ann["completed_by"] = {"id": uid, "email": emails.get(uid)}
                named += 1
    return named


def write_pulled(tasks: list[dict[str, Any]], out: Path, fmt: str) -> int:
    """Write checked tasks as ``fmt``; returns how many tasks (json) or texts (records, bio, dataset) were written."""
    if fmt == "json":
        atomic_write_text(out, json.dumps(tasks, ensure_ascii=False, indent=1))
        return len(tasks)
    if fmt == "records":
        records = _records(tasks, every=True)
        atomic_write_text(out, "".join(r.to_json() + "\n" for r in records))
        return len(records)
    if fmt == "dataset":
        return write_dataset(tasks, out)
    return write_bio(tasks, out)


def pull_project(
    project: str,
    out: str | Path,
    fmt: str = "json",
    data_dir: str | Path | None = None,
    timeout: float = 120.0,
    retries: int = 3,
) -> PullSummary:
    """Export the annotated tasks of the project titled ``project`` into ``out``.

    ``fmt``: "json" (Label Studio JSON, checked, every annotation with its
    annotator), "records" (``AnnotatedText`` JSON lines, one per text per
    annotation) or "bio" (CoNLL-style BIO of the latest annotations; Thai
    tokenised with pythainlp) or "dataset" (a Hugging Face dataset folder of
    the latest annotations, BIO tags as a ``ClassLabel`` sequence).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    client = StudioClient(resolve_credentials(data_dir), retries=retries, timeout=timeout)
    client.check()
    proj = client.find_project(project)
    if proj is None:
        raise StudioError(
            f"no project is titled {project!r} on {client.shown_url}: check the name (it must match exactly)"
        )
    export = client.export(proj.id)
    good, bad, checked, converted = check_export(export)
    summary = PullSummary(
        project_id=proj.id, tasks=len(export), spans=checked, converted=converted, bad_tasks=bad, out=str(out)
    )
    try:
        emails = client.user_emails()
    except StudioError as e:  # annotators stay named by id
        emails, summary.no_emails = {}, str(e)
    name_annotators(good, emails)
    summary.written = write_pulled(good, Path(out), fmt)
    return summary
