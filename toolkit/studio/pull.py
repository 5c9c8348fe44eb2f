"""``pull``: a Label Studio project -> its export, every labelled span checked.

The library function behind ``toolkit pull``. A span must lie on its own
task's text (``data[to_name][start:end] == value.text``); a task with a span
that does not is reported and left out of what is written, never passed on
silently. Offsets written in UTF-16 units are converted to code points
(``toolkit.studio.export.read_span``, the one span reader of pull and export).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.io.atomic import atomic_write_text
from toolkit.studio.client import StudioClient, StudioError, resolve_credentials
from toolkit.studio.export import read_span, to_bio, to_records

FORMATS = ("json", "records", "bio")


@dataclass
class PullSummary:
    project_id: int
    tasks: int = 0
    written: int = 0
    spans: int = 0
    converted: int = 0  # spans whose UTF-16 offsets were converted to code points
    bad_tasks: list[str] = field(default_factory=list)  # one line per task left out
    out: str = ""


def check_export(export: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str], int, int]:
    """(good tasks, one message per bad task, spans checked, spans converted).

    Predictions are not checked: they are the machine's and not exported as labels.
    """
    good, bad = [], []
    checked = converted = 0
    for task in export:
        task = copy.deepcopy(task)
        problems, spans, moved = check_task(task)
        checked += spans
        converted += moved
        if problems:
            bad.append(f"task {task.get('id') if isinstance(task, dict) else '?'}: " + "; ".join(problems))
        else:
            good.append(task)
    return good, bad, checked, converted


def check_task(task: Any) -> tuple[list[str], int, int]:
    """(problems, spans checked, spans converted) of one task; UTF-16 offsets are rewritten in place."""
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return ["not a Label Studio task (no 'data' object)"], 0, 0
    data, problems = task["data"], []
    checked = converted = 0
    anns = task.get("annotations")
    for ann in anns if isinstance(anns, list) else []:
        results = ann.get("result") if isinstance(ann, dict) else None
        for res in results if isinstance(results, list) else []:
            if not isinstance(res, dict) or res.get("type") != "labels":
                continue
            checked += 1
            value, to_name = res.get("value"), res.get("to_name", "")
            text = data.get(to_name)
            if not isinstance(text, str):
                problems.append(f"a span on {to_name!r}, which is not a text field of the task")
                continue
            span = read_span(text, value, require_text=True)
            if isinstance(span, str):
                problems.append(f"on {to_name!r}: {span}")
            elif (span.start, span.end) != (int(value["start"]), int(value["end"])):
                value["start"], value["end"] = span.start, span.end
                converted += 1
    return problems, checked, converted


def write_bio(tasks: list[dict[str, Any]], out: Path) -> int:
    """Token-level BIO (CoNLL: token TAB tag, a blank line between texts); returns the number of texts."""
    records = to_records(tasks)
    lines = []
    for rec, (tokens, tags) in zip(records, to_bio(records), strict=True):
        lines.append(f"# {rec.record_id or rec.doc}\t{rec.field_name}\t{rec.lang}")
        lines += [f"{tok}\t{tag}" for tok, tag in zip(tokens, tags, strict=True)]
        lines.append("")
    atomic_write_text(out, "\n".join(lines))
    return len(records)


def pull_project(
    project: str,
    out: str | Path,
    fmt: str = "json",
    data_dir: str | Path | None = None,
    timeout: float = 120.0,
    retries: int = 3,
) -> PullSummary:
    """Export the annotated tasks of the project titled ``project`` into ``out``.

    ``fmt``: "json" (Label Studio JSON, checked), "records" (``AnnotatedText``
    JSON lines) or "bio" (CoNLL-style BIO; Thai tokenised with pythainlp).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    client = StudioClient(resolve_credentials(data_dir), retries=retries, timeout=timeout)
    client.check()
    proj = client.find_project(project)
    if proj is None:
        raise StudioError(f"no project is titled {project!r} on {client.url}: check the name (it must match exactly)")
    export = client.export(proj.id)
    good, bad, checked, converted = check_export(export)
    summary = PullSummary(
        project_id=proj.id, tasks=len(export), spans=checked, converted=converted, bad_tasks=bad, out=str(out)
    )
    out = Path(out)
    if fmt == "json":
        atomic_write_text(out, json.dumps(good, ensure_ascii=False, indent=1))
        summary.written = len(good)
    elif not good:
        atomic_write_text(out, "")
    elif fmt == "records":
        records = to_records(good)
        atomic_write_text(out, "".join(r.to_json() + "\n" for r in records))
        summary.written = len(records)
    else:
        summary.written = write_bio(good, out)
    return summary
