"""Label Studio JSON export -> ``AnnotatedText`` records, BIO, ``datasets``.

Reads the toolkit's own projects (the texts and languages of the task
contract, ``toolkit.studio.contract``) and any text project whose ``Text``
tags are named after their data fields (``<Text name="text"
value="$text"/>``): a span result's ``to_name`` is then the data field
holding its text.

Rules:
- every annotation of a task that was not cancelled is read, with who made
  it (``completed_by``), when, and whether a reviewer accepted it; one is
  picked per task by a stated rule (``toolkit.studio.resolve``: ``latest``
  unless asked), or all are kept (``every=True``: pull's records, agreement);
  predictions are never labels; tasks without an annotation are skipped and
  counted;
- every text field of an annotated task becomes a record, spans or not: a
  field the annotator left without labels is a negative example;
- a span must lie on its text: ``text[start:end] == value.text`` in code
  points (what the JSON export writes); an export written in UTF-16 units
  (the browser's count, off only around characters outside the BMP) is
  converted when that makes it match (``toolkit.segment.tokens.locate_span``);
- labels outside ``records.ALL_LABELS`` and outside ``labels`` are unknown;
  known labels outside ``labels`` (e.g. figure kinds when training on
  PER/ORG/LOC) are dropped and counted;
- the same task twice (the same task id in one export, the same ``data.key``
  or, without one, the same task id and the same texts in two exports) is
  used once, its annotations pooled, and reported; tasks with different ids
  and no ``data.key`` stay different tasks even when their texts are equal.

A task that breaks any rule, or is shaped wrong at any level
(``toolkit.studio.export_shape``), is one bad-task line naming the file and
the task; the rest of the export goes on. Only a file that cannot be read as
a list of tasks at all is an ``ExportError``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.detect import guess_lang
from toolkit.errors import ToolkitError
from toolkit.records import ALL_LABELS, AnnotatedText, Span
from toolkit.segment.tokens import locate_span, span_error, spans_to_tags, tokenize
from toolkit.studio.contract import DOC, KEY, RECORD_ID, TaskText, correction_target, rating_target, task_texts
from toolkit.studio.export_shape import is_id, shape_problem
from toolkit.studio.resolve import LATEST, Annotation, ResolveRule, disagreement, resolve


class ExportError(ToolkitError, ValueError):
    """An export that cannot be used; the message names the file and task."""


@dataclass
class ExportStats:
    tasks: int = 0
    annotated: int = 0
    skipped_unannotated: int = 0
    records: int = 0
    spans: int = 0
    annotations: int = 0  # annotations read (not cancelled), over all annotated tasks
    dropped_labels: Counter = field(default_factory=Counter)
    bad_tasks: list[str] = field(default_factory=list)  # "FILE: task 7: why", one per task left out
    duplicates: list[str] = field(default_factory=list)  # tasks seen before, used once
    left_out: list[str] = field(default_factory=list)  # tasks the resolve rule found nothing in
    disagreements: list[str] = field(default_factory=list)  # tasks whose annotators disagree

    @property
    def problems(self) -> list[str]:
        """Every task left out, one line each: bad tasks and tasks the rule found nothing in.

        Duplicates are not among them: their annotations are used, once.
        """
        return self.bad_tasks + self.left_out


def _load(export: list[Any] | str | Path) -> tuple[list[Any], str]:
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
    except OSError as e:
        raise ExportError(f"{name}: cannot be read ({e.strerror or e}); check the path and its permissions") from None
    if not raw.strip():
        raise ExportError(f"{name}: empty file; export the project from Label Studio as JSON")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise ExportError(
            f"{name}: line {e.lineno}: not valid JSON ({e.msg}); the file may be truncated, export it again"
        ) from None
    except RecursionError:
        # Python's parser gives up past ~1000 levels, before any task can be told from another.
        raise ExportError(f"{name}: nested too deeply to read; not a Label Studio export") from None
    except ValueError as e:  # an integer of more than 4,300 digits (sys.get_int_max_str_digits)
        raise ExportError(f"{name}: a number too long to read ({str(e)[:80]}); not a Label Studio export") from None
    if isinstance(data, dict) and "data" in data:
        data = [data]  # a single task
    if not isinstance(data, list):
        raise ExportError(f"{name}: expected a list of tasks (Label Studio 'JSON' export), got {type(data).__name__}")
    return data, name


@dataclass
class AnnotatedTask:
    """What one annotated task gives: every annotation's records, and the known labels left out.

    ``ident`` tells the same task in two exports apart from two tasks with
    the same text: its ``data.key``, or its id and texts when it has none.
    """

    task_id: Any
    annotations: list[Annotation]
    dropped: Counter = field(default_factory=Counter)
    ident: tuple = ()

    @property
    def records(self) -> list[AnnotatedText]:
        """The records of the latest annotation (``resolve``'s default rule)."""
        chosen = resolve(self.annotations)
        return chosen.records if isinstance(chosen, Annotation) else []


def read_span(text: str, value: Any, require_text: bool = False) -> Span | str:
    """A labels region's value as a ``Span`` on ``text`` (code points), or why it is not one.

    A span written in UTF-16 units (an older editor, another tool) is
    converted when that makes it lie on its text. Without a ``text`` in the
    value, any non-empty span inside the text is taken, unless
    ``require_text``.
    """
    if not isinstance(value, dict):
        return "a span without start/end/labels: " + _excerpt(value)
    start, end = value.get("start"), value.get("end")
    labels = value.get("labels") or value.get("hypertextlabels") or [""]
    if not is_id(start) or isinstance(start, str) or not is_id(end) or isinstance(end, str):
        return "a span without start/end/labels: " + _excerpt(value)
    if not isinstance(labels, list) or not isinstance(labels[0], str):
        return "a span without start/end/labels: " + _excerpt(value)
    label = labels[0]
    want = value.get("text")
    if want is None and require_text:
        return f"span {start}-{end} has no text to check"
    found = locate_span(text, start, end, None if want is None else str(want))
    if found is None:
        return str(span_error(text, start, end, None if want is None else str(want), label))
    return Span(start=found[0], end=found[1], label=label, text=text[found[0] : found[1]])


def _excerpt(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)[:120]
    except (ValueError, TypeError, RecursionError):
        return type(value).__name__


def span_fields_of(tasks: Iterable[Any]) -> list[str]:
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


def task_name(task: Any, n: int) -> str:
    """How a line names a task: ``task 7`` by its id, ``task #3`` by its place when it has no usable id."""
    tid = task.get("id") if isinstance(task, dict) else None
    return f"task {tid}" if is_id(tid) and str(tid).strip() else f"task #{n}"


def read_task(
    task: Any, n: int, span_fields: Sequence[str], wanted: set[str], known: set[str]
) -> AnnotatedTask | str | None:
    """One task of an export: its annotations, None when it has none, or why it is unusable.

    The error is one line naming the task (``task 7, field 'src': ...``), for
    the caller to place in its file. Whatever goes wrong inside a task is
    that line, never an exception.
    """
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return f"task #{n}: not a Label Studio task (no 'data' object)"
    name = task_name(task, n)
    problem = shape_problem(task)
    if problem:
        return f"{name}: {problem}"
    try:
        return _read_task(task, n, span_fields, wanted, known)
    except Exception as e:  # noqa: BLE001 - the promise: any failure inside a task is that task's line
        return f"{name}: could not be read ({type(e).__name__}: {_excerpt(str(e))}); fix it in Label Studio"


def _read_task(
    task: dict[str, Any], n: int, span_fields: Sequence[str], wanted: set[str], known: set[str]
) -> AnnotatedTask | str | None:
    tid, data = task.get("id", n), task["data"]
    raw = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not raw:
        return None
    texts = {t.name: t for t in task_texts(data, span_fields, guess=guess_lang)}
    key = data.get(KEY)
    # Without a data.key, the same task exported twice has the same id and the same texts;
    # two tasks with the same texts but different ids are two tasks (two sentences that
    # happen to read alike, two rows of one table), never pooled into one.
    texts_ident = tuple((t.name, t.text) for t in texts.values())
    ident = ("key", key) if isinstance(key, str) and key else ("texts", str(tid), texts_ident)
    out = AnnotatedTask(tid, [], Counter(), ident)
    for i, ann in enumerate(raw):
        if ann.get("task") is not None and tid is not None and str(ann["task"]) != str(tid):
            return (
                f"task {tid}: annotation {ann.get('id')} belongs to task {ann['task']}, not this one "
                "(pasted from another run or project?); export the project again"
            )
        labels = _Labels(texts, wanted, known)
        for res in ann.get("result") or []:
            problem = labels.add(res)
            if problem:
                return f"task {tid}{problem}"
        meta = _annotation_meta(ann, i)
        records = [_record(t, labels, data, tid, meta) for t in texts.values()]
        out.annotations.append(Annotation(records=records, has_result=bool(ann.get("result")), order=i, **meta))
        out.dropped.update(labels.dropped)
    return out


def _annotation_meta(ann: dict[str, Any], order: int) -> dict[str, Any]:
    """Who made an annotation (``completed_by``: an id, or an object with id and email), when, and its review."""
    user = ann.get("completed_by")
    uid = user.get("id") if isinstance(user, dict) else user
    email = user.get("email") if isinstance(user, dict) else None
    # An id is a plain int, or ASCII digits that int() reads: "²".isdigit() is true, and
    # int() refuses more than 4,300 digits; a bool is no id.
    if isinstance(uid, bool) or not isinstance(uid, int | str):
        uid = None
    elif isinstance(uid, str):
        uid = int(uid) if uid.isascii() and uid.isdigit() and len(uid) <= 18 else None
    if email:
        who = str(email)
    elif isinstance(user, str) and not user.isdigit():
        who = user  # some tools write the email itself
    else:
        who = f"user {uid}" if uid is not None else ""
    reviews = [r for r in ann.get("reviews") or [] if isinstance(r, dict) and isinstance(r.get("accepted"), bool)]
    accepted = reviews[-1]["accepted"] if reviews else ann.get("accepted")
    return {
        "id": ann.get("id"),
        "annotator": who,
        "annotator_id": uid,
        "created_at": ann.get("created_at"),
        "updated_at": ann.get("updated_at"),
        "accepted": accepted if isinstance(accepted, bool) else None,
    }


def _record(t: TaskText, labels: _Labels, data: dict[str, Any], tid: Any, meta: dict[str, Any]) -> AnnotatedText:
    key = data.get(KEY)
    return AnnotatedText(
        text=t.text,
        lang=t.lang,
        spans=sorted(labels.spans[t.name], key=lambda s: (s.start, s.end)),
        field_name=t.name,
        doc=str(data.get(DOC) or tid),
        record_id=str(data.get(RECORD_ID) or ""),
        task_id=tid if isinstance(tid, int) else None,
        rating=labels.ratings.get(t.name),
        correction=labels.corrections.get(t.name),
        task_key=key if isinstance(key, str) else "",
        annotation_id=meta["id"],
        annotator=meta["annotator"],
        annotator_id=meta["annotator_id"],
        created_at=meta["created_at"],
        updated_at=meta["updated_at"],
        accepted=meta["accepted"],
    )


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
        """Take one result in (shaped as ``export_shape`` checks); a problem comes back as ``": ..."`` or ``", field 'x': ..."``."""
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
        elif kind == "choices":
            name = self.by_target.get(rating_target(from_name) or "")
            if name and value.get("choices"):
                self.ratings[name] = str(value["choices"][0])
        elif kind == "textarea":
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
        return "a span without start/end/labels: " + _excerpt(value)
    if span.label not in known:
        return f"unknown label {span.label!r}; use one of {', '.join(sorted(known))} or pass it in --labels"
    return span


@dataclass
class _Found:
    """An annotated task, where it was found, and the counts of its file."""

    file: str
    where: str  # "FILE: task 7"
    task: AnnotatedTask
    stats: ExportStats


def _read_file(export: list[Any] | str | Path, wanted: set[str], known: set[str]) -> tuple[ExportStats, list[_Found]]:
    tasks, name = _load(export)
    if not tasks:
        raise ExportError(f"{name}: the export holds no tasks")
    stats = ExportStats(tasks=len(tasks))
    span_fields = span_fields_of(tasks)
    found: list[_Found] = []
    for n, task in enumerate(tasks):
        got = read_task(task, n, span_fields, wanted, known)
        if isinstance(got, str):
            stats.bad_tasks.append(f"{name}: {got}")
        elif got is None:
            stats.skipped_unannotated += 1
        else:
            found.append(_Found(name, f"{name}: {task_name(task, n)}", got, stats))
            stats.annotated += 1
            stats.annotations += len(got.annotations)
            stats.dropped_labels.update(got.dropped)
    if stats.annotated == 0 and not stats.bad_tasks:
        raise ExportError(
            f"{name}: none of its {len(tasks)} tasks has an annotation; label some tasks in Label Studio, then export again"
        )
    return stats, found


def _pool(found: list[_Found]) -> list[_Found]:
    """The same task seen twice becomes one, with the annotations of both; the later one is reported."""
    groups: dict[tuple, _Found] = {}
    out: list[_Found] = []
    for f in found:
        keys = [("id", f.file, str(f.task.task_id)), f.task.ident]
        hit = next((k for k in keys if k in groups), None)
        if hit is None:
            out.append(f)
            groups.update(dict.fromkeys(keys, f))
            continue
        first = groups[hit]
        for k in keys:
            groups.setdefault(k, first)
        seen = {(a.id, a.who, a.when) for a in first.task.annotations}
        new = [a for a in f.task.annotations if (a.id, a.who, a.when) not in seen]
        first.task.annotations += new
        why = {"id": "the same task id", "key": "the same data.key"}.get(hit[0], "the same id and texts")
        pooled = f"; its {len(new)} other annotations joined the first" if new else ""
        f.stats.duplicates.append(f"{f.where}: the same task as {first.where} ({why}): used once{pooled}")
    return out


def _choose(found: list[_Found], rule: ResolveRule, every: bool) -> list[AnnotatedText]:
    """Each task's records by ``rule`` (or every annotation's), counting and naming what is left out."""
    records: list[AnnotatedText] = []
    for f in found:
        anns = f.task.annotations
        differ = disagreement(anns)
        if every:
            got = [r for a in anns for r in a.records]
        else:
            chosen = resolve(anns, rule)
            if isinstance(chosen, str):
                f.stats.left_out.append(f"{f.where}: {chosen}")
                continue
            got = chosen.records
            if differ:
                differ.chosen = chosen.who
        if differ:
            rid = next((r.record_id for a in anns for r in a.records if r.record_id), "")
            f.stats.disagreements.append(f"{f.where}{f' ({rid})' if rid else ''}: {differ.line()}")
        records += got
        f.stats.records += len(got)
        f.stats.spans += sum(len(r.spans) for r in got)
    return records


def _rule(rule: ResolveRule | str) -> ResolveRule:
    return rule if isinstance(rule, ResolveRule) else ResolveRule.parse(rule)


def _label_sets(labels: Iterable[str] | None) -> tuple[set[str], set[str]]:
    wanted = set(labels) if labels is not None else set(ALL_LABELS)
    return wanted, set(ALL_LABELS) | wanted


def read_export(
    export: list[Any] | str | Path,
    labels: Iterable[str] | None = None,
    rule: ResolveRule | str = LATEST,
    every: bool = False,
) -> tuple[list[AnnotatedText], ExportStats]:
    """Read one export: the records of one annotation per task by ``rule`` (all with ``every``), and counts.

    Bad tasks, duplicates and tasks the rule finds nothing in are lines in
    ``stats.problems``; raises ``ExportError`` only for a file that is not a
    readable list of tasks (or has no annotated task at all).
    """
    wanted, known = _label_sets(labels)
    stats, found = _read_file(export, wanted, known)
    return _choose(_pool(found), _rule(rule), every), stats


@dataclass
class ExportBatch:
    """Several exports read as one: tasks found in more than one are used once."""

    records: list[AnnotatedText]
    stats: list[tuple[str, ExportStats]]  # each readable file with its counts
    unreadable: list[str]  # "FILE: why", one per file that could not be read at all

    @property
    def problems(self) -> list[str]:
        """Every file and task left out, one line each."""
        return self.unreadable + [p for _, s in self.stats for p in s.problems]

    @property
    def duplicates(self) -> list[str]:
        return [d for _, s in self.stats for d in s.duplicates]

    @property
    def disagreements(self) -> list[str]:
        return [d for _, s in self.stats for d in s.disagreements]


def read_exports(
    exports: Sequence[list[Any] | str | Path],
    labels: Iterable[str] | None = None,
    rule: ResolveRule | str = LATEST,
    every: bool = False,
) -> ExportBatch:
    """Read several exports; a file that cannot be read is a line, and the others go on.

    A task in two exports (the same ``data.key``: pulled twice, or labelled
    in two projects) is one task with the annotations of both, resolved once.
    """
    rule = _rule(rule)  # an unknown rule fails before any file is read
    batch, found = _read_all(exports, labels)
    batch.records = _choose(_pool(found), rule, every)
    return batch


def read_tasks(
    exports: Sequence[list[Any] | str | Path], labels: Iterable[str] | None = None
) -> tuple[list[tuple[str, AnnotatedTask]], ExportBatch]:
    """Every annotated task of several exports ("FILE: task 7", its annotations), the same task once.

    What agreement compares: each task with all its annotations, pooled
    over the exports that hold it.
    """
    batch, found = _read_all(exports, labels)
    return [(f.where, f.task) for f in _pool(found)], batch


def _read_all(
    exports: Sequence[list[Any] | str | Path], labels: Iterable[str] | None
) -> tuple[ExportBatch, list[_Found]]:
    wanted, known = _label_sets(labels)
    found: list[_Found] = []
    batch = ExportBatch([], [], [])
    for export in exports:
        try:
            stats, got = _read_file(export, wanted, known)
        except ExportError as e:
            batch.unreadable.append(str(e))
            continue
        batch.stats.append((str(export) if not isinstance(export, list) else "<export>", stats))
        found += got
    return batch, found


def to_records(export: list[Any] | str | Path, labels: Iterable[str] | None = None) -> list[AnnotatedText]:
    """One ``AnnotatedText`` per Text field of each annotated task (its latest annotation).

    Strict: any bad task raises ``ExportError`` listing them (``read_export``
    reads the rest and lists them instead).
    """
    records, stats = read_export(export, labels)
    if stats.bad_tasks:
        raise ExportError("; ".join(stats.bad_tasks))
    return records


def to_bio(records: Sequence[AnnotatedText]) -> list[tuple[list[str], list[str]]]:
    """(tokens, BIO tags) per record; see ``toolkit.segment.tokens`` for the rules."""
    out = []
    for rec in records:
        toks = tokenize(rec.text)
        out.append(([t.text for t in toks], spans_to_tags(toks, rec.spans)))
    return out


def tag_names(records: Sequence[AnnotatedText] = ()) -> list[str]:
    """The BIO tag names of a dataset: "O", then B-/I- of every label in ``ALL_LABELS``, then any other label.

    The toolkit's labels come first and in a fixed order, so a tag's integer
    id means the same thing in every pulled dataset; labels a foreign
    project adds (pull accepts any label) follow, sorted.
    """
    others = sorted({s.label for r in records for s in r.spans} - set(ALL_LABELS))
    return ["O"] + [f"{p}-{label}" for label in (*ALL_LABELS, *others) for p in ("B", "I")]


def dataset_features(names: Sequence[str]) -> Any:
    """The typed ``datasets.Features`` of ``to_dataset``: ``tags`` a ``ClassLabel`` sequence over ``names``."""
    from datasets import ClassLabel, Features, Sequence, Value

    text = Value("string")
    span = {"start": Value("int64"), "end": Value("int64"), "label": text, "text": text}
    return Features(
        {
            **dict.fromkeys(("text", "lang", "field_name", "doc", "record_id"), text),
            "task_id": Value("int64"),  # null for a task without an integer id
            "annotator": text,
            "spans": [span],  # a list of structs (Sequence of a dict would be a struct of lists)
            "tokens": Sequence(text),
            "token_starts": Sequence(Value("int64")),
            "token_ends": Sequence(Value("int64")),
            "tags": Sequence(ClassLabel(names=list(names))),
            "rating": text,  # null when the text was not rated
            "correction": text,  # null when no correction was written
        }
    )


def to_dataset(records: Sequence[AnnotatedText]) -> Any:
    """A ``datasets.Dataset`` with one row per record, typed by ``dataset_features``.

    Offsets are code points (``text[start:end]``); ``tags`` are ``ClassLabel``
    ids (``ds.features["tags"].feature.int2str``), from
    ``toolkit.segment.tokens.spans_to_tags`` on the record's tokens.
    """
    import datasets

    names = tag_names(records)
    rows: list[dict[str, Any]] = []
    for rec in records:
        toks = tokenize(rec.text)
        rows.append(
            {
                "text": rec.text,
                "lang": rec.lang,
                "field_name": rec.field_name,
                "doc": rec.doc,
                "record_id": rec.record_id,
                "task_id": rec.task_id,
                "annotator": rec.annotator,
                "spans": [{"start": s.start, "end": s.end, "label": s.label, "text": s.text} for s in rec.spans],
                "tokens": [t.text for t in toks],
                "token_starts": [t.start for t in toks],
                "token_ends": [t.end for t in toks],
                "tags": spans_to_tags(toks, rec.spans),
                "rating": rec.rating,
                "correction": rec.correction,
            }
        )
    feats = dataset_features(names)
    # by columns: ``from_list`` of no rows makes a table without the columns
    return datasets.Dataset.from_dict({k: [r[k] for r in rows] for k in feats}, features=feats)
