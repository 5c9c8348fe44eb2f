"""Label Studio JSON export -> ``AnnotatedText`` records, BIO, ``datasets``.

Reads the toolkit's own projects (the texts and languages of the task
contract, ``toolkit.studio.contract``) and any text project whose ``Text``
tags are named after their data fields (``<Text name="text"
value="$text"/>``): a span result's ``to_name`` is then the data field
holding its text.

Rules:
- the latest annotation of a task is used (not predictions; cancelled
  annotations are ignored); tasks without one are skipped and counted;
- every text field of an annotated task becomes a record, spans or not: a
  field the annotator left without labels is a negative example;
- a span must lie on its text: ``text[start:end] == value.text`` in code
  points (what the JSON export writes); an export written in UTF-16 units
  (the browser's count, off only around characters outside the BMP) is
  converted when that makes it match (``toolkit.segment.tokens.locate_span``);
  anything else is an ``ExportError``;
- labels outside ``records.ALL_LABELS`` and outside ``labels`` are an
  ``ExportError``; known labels outside ``labels`` (e.g. figure kinds when
  training on PER/ORG/LOC) are dropped and counted.

``read_task`` is the validator of one task: it gives the task's records, or
one line saying what is wrong with it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.detect import guess_lang
from toolkit.records import ALL_LABELS, AnnotatedText, Span
from toolkit.segment.tokens import locate_span, span_error, spans_to_tags, tokenize
from toolkit.studio.contract import DOC, RECORD_ID, TaskText, correction_target, rating_target, task_texts


class ExportError(ValueError):
    """An export that cannot be used; the message names the file and task."""


@dataclass
class ExportStats:
    tasks: int = 0
    annotated: int = 0
    skipped_unannotated: int = 0
    records: int = 0
    spans: int = 0
    dropped_labels: Counter = field(default_factory=Counter)


def _load(export: list[dict] | str | Path) -> tuple[list[dict], str]:
    if isinstance(export, list):
        return export, "<export>"
    path = Path(export)
    name = str(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ExportError(f"{name}: no such file; export the project from Label Studio as JSON") from None
    except UnicodeDecodeError as e:
        raise ExportError(f"{name}: not UTF-8 text ({e.reason}); export the project as JSON") from None
    if not raw.strip():
        raise ExportError(f"{name}: empty file; export the project from Label Studio as JSON")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise ExportError(
            f"{name}: line {e.lineno}: not valid JSON ({e.msg}); the file may be truncated, export it again"
        ) from None
    if isinstance(data, dict) and "data" in data:
        data = [data]  # a single task
    if not isinstance(data, list):
        raise ExportError(f"{name}: expected a list of tasks (Label Studio 'JSON' export), got {type(data).__name__}")
    return data, name


def _latest_annotation(task: dict) -> dict | None:
    anns = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    anns = [a for a in anns if a.get("result")] or anns
    if not anns:
        return None
    return max(anns, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), a.get("id") or 0))


@dataclass
class AnnotatedTask:
    """What one annotated task gives: a record per text, and the known labels left out."""

    task_id: Any
    records: list[AnnotatedText]
    dropped: Counter = field(default_factory=Counter)


def read_span(text: str, value: Any, require_text: bool = False) -> Span | str:
    """A labels region's value as a ``Span`` on ``text`` (code points), or why it is not one.

    A span written in UTF-16 units (an older editor, another tool) is
    converted when that makes it lie on its text. Without a ``text`` in the
    value, any non-empty span inside the text is taken, unless
    ``require_text``.
    """
    if not isinstance(value, dict):
        return "a span without start/end/labels: " + json.dumps(value, ensure_ascii=False)[:120]
    try:
        start, end = int(value["start"]), int(value["end"])
        labels = value.get("labels") or value.get("hypertextlabels") or [""]
        label = str(labels[0])
    except (KeyError, TypeError, ValueError, IndexError):
        return "a span without start/end/labels: " + json.dumps(value, ensure_ascii=False)[:120]
    want = value.get("text")
    if want is None and require_text:
        return f"span {start}-{end} has no text to check"
    found = locate_span(text, start, end, None if want is None else str(want))
    if found is None:
        return str(span_error(text, start, end, None if want is None else str(want), label))
    return Span(start=found[0], end=found[1], label=label, text=text[found[0] : found[1]])


def _span_fields(tasks: Iterable[Any]) -> list[str]:
    """Every field a span was put on anywhere in the export (the texts of foreign projects)."""
    found: set[str] = set()
    for task in tasks:
        anns = task.get("annotations") if isinstance(task, dict) else None
        for ann in anns if isinstance(anns, list) else []:
            results = ann.get("result") if isinstance(ann, dict) else None
            for res in results if isinstance(results, list) else []:
                if isinstance(res, dict) and res.get("type") == "labels" and isinstance(res.get("to_name"), str):
                    found.add(res["to_name"])
    return sorted(found)


def read_task(
    task: Any, n: int, span_fields: Sequence[str], wanted: set[str], known: set[str]
) -> AnnotatedTask | str | None:
    """One task of an export: its records, None when it has no annotation, or why it is unusable.

    The error is one line naming the task (``task 7, field 'src': ...``), for
    the caller to place in its file.
    """
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return f"task #{n}: not a Label Studio task (no 'data' object)"
    tid, data = task.get("id", n), task["data"]
    ann = _latest_annotation(task)
    if ann is None:
        return None
    texts = {t.name: t for t in task_texts(data, span_fields, guess=guess_lang)}
    labels = _Labels(texts, wanted, known)
    results = ann.get("result")
    for res in results if isinstance(results, list) else []:
        problem = labels.add(res) if isinstance(res, dict) else None
        if problem:
            return f"task {tid}{problem}"
    records = [
        AnnotatedText(
            text=t.text,
            lang=t.lang,
            spans=sorted(labels.spans[name], key=lambda s: (s.start, s.end)),
            field_name=name,
            doc=str(data.get(DOC) or tid),
            record_id=str(data.get(RECORD_ID) or ""),
            task_id=tid if isinstance(tid, int) else None,
            rating=labels.ratings.get(name),
            correction=labels.corrections.get(name),
        )
        for name, t in texts.items()
    ]
    return AnnotatedTask(tid, records, labels.dropped)


class _Labels:
    """What an annotation says about each text of its task: spans, ratings, corrections."""

    def __init__(self, texts: dict[str, TaskText], wanted: set[str], known: set[str]):
        self.texts, self.wanted, self.known = texts, wanted, known
        self.by_target = {t.target: t.name for t in texts.values() if t.target}
        self.spans: dict[str, list[Span]] = {name: [] for name in texts}
        self.ratings: dict[str, str] = {}
        self.corrections: dict[str, str] = {}
        self.dropped: Counter = Counter()

    def add(self, res: dict[str, Any]) -> str | None:
        """Take one result in; a problem comes back as ``": ..."`` or ``", field 'x': ..."``."""
        kind, from_name, value = res.get("type"), str(res.get("from_name", "")), res.get("value") or {}
        if kind == "labels":
            to_name = res.get("to_name", "")
            if to_name not in self.texts:
                return (
                    f": span on field {to_name!r}, which the task's data does not hold; "
                    "name Text tags after their data fields"
                )
            span = _labelled_span(self.texts[to_name].text, value, self.known)
            if isinstance(span, str):
                return f", field {to_name!r}: {span}"
            if span.label in self.wanted:
                self.spans[to_name].append(span)
            else:
                self.dropped[span.label] += 1
        elif kind == "choices" and isinstance(value, dict):
            name = self.by_target.get(rating_target(from_name) or "")
            if name and value.get("choices"):
                self.ratings[name] = str(value["choices"][0])
        elif kind == "textarea" and isinstance(value, dict):
            name = self.by_target.get(correction_target(from_name) or "")
            said = value.get("text") or []
            if name and said and str(said[0]).strip():
                self.corrections[name] = str(said[0])
        return None


def _labelled_span(text: str, value: Any, known: set[str]) -> Span | str:
    span = read_span(text, value)
    if isinstance(span, str):
        return span + ("" if span.startswith("a span without") else "; fix the export or re-annotate")
    if not span.label:
        return "a span without start/end/labels: " + json.dumps(value, ensure_ascii=False)[:120]
    if span.label not in known:
        return f"unknown label {span.label!r}; use one of {', '.join(sorted(known))} or pass it in --labels"
    return span


def read_export(
    export: list[dict] | str | Path, labels: Iterable[str] | None = None
) -> tuple[list[AnnotatedText], ExportStats]:
    """Read one export; return its records and counts. Raises ``ExportError`` naming the file and task."""
    tasks, name = _load(export)
    if not tasks:
        raise ExportError(f"{name}: the export holds no tasks")
    wanted = set(labels) if labels is not None else set(ALL_LABELS)
    known = set(ALL_LABELS) | wanted
    stats = ExportStats(tasks=len(tasks))
    span_fields = _span_fields(tasks)
    records: list[AnnotatedText] = []
    for n, task in enumerate(tasks):
        got = read_task(task, n, span_fields, wanted, known)
        if isinstance(got, str):
            raise ExportError(f"{name}: {got}")
        if got is None:
            stats.skipped_unannotated += 1
            continue
        stats.annotated += 1
        records += got.records
        stats.spans += sum(len(r.spans) for r in got.records)
        stats.dropped_labels.update(got.dropped)
    if stats.annotated == 0:
        raise ExportError(
            f"{name}: none of its {len(tasks)} tasks has an annotation; label some tasks in Label Studio, then export again"
        )
    stats.records = len(records)
    return records, stats


def to_records(export: list[dict] | str | Path, labels: Iterable[str] | None = None) -> list[AnnotatedText]:
    """One ``AnnotatedText`` per Text field of each annotated task."""
    return read_export(export, labels)[0]


def to_bio(records: Sequence[AnnotatedText]) -> list[tuple[list[str], list[str]]]:
    """(tokens, BIO tags) per record; see ``toolkit.segment.tokens`` for the rules."""
    out = []
    for rec in records:
        toks = tokenize(rec.text)
        out.append(([t.text for t in toks], spans_to_tags(toks, rec.spans)))
    return out


def to_dataset(records: Sequence[AnnotatedText]) -> Any:
    """A ``datasets.Dataset`` with one row per record: text, lang, spans, tokens, tags, offsets."""
    import datasets

    rows: dict[str, list] = {
        k: []
        for k in (
            "text",
            "lang",
            "field_name",
            "doc",
            "record_id",
            "task_id",
            "spans",
            "tokens",
            "token_starts",
            "token_ends",
            "tags",
            "rating",
            "correction",
        )
    }
    for rec in records:
        toks = tokenize(rec.text)
        rows["text"].append(rec.text)
        rows["lang"].append(rec.lang)
        rows["field_name"].append(rec.field_name)
        rows["doc"].append(rec.doc)
        rows["record_id"].append(rec.record_id)
        rows["task_id"].append(rec.task_id if rec.task_id is not None else -1)
        rows["spans"].append([{"start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in rec.spans])
        rows["tokens"].append([t.text for t in toks])
        rows["token_starts"].append([t.start for t in toks])
        rows["token_ends"].append([t.end for t in toks])
        rows["tags"].append(spans_to_tags(toks, rec.spans))
        rows["rating"].append(rec.rating or "")
        rows["correction"].append(rec.correction or "")
    return datasets.Dataset.from_dict(rows)
