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

A pull streams (issue 17: 100,000 tasks in bounded memory): the export is
downloaded to a temporary file, read from it one task at a time
(``toolkit.studio.export_stream``) and each good task written as it is
checked, to the bytes the whole-list functions (``check_export``,
``write_pulled``) write. Only "dataset" holds its rows at once.

Every format, and ``--project-labels`` (``toolkit.studio.project_labels``,
a ``prepare`` step), takes one path (``pull_tasks``): a scan of the fields
and labels (no span read), then ``iter_checked``, where each span is
validated once and each kept task read once by the export reader, whose
records the records, BIO and dataset writers take as they come.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import shutil
import tempfile
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.io.atomic import atomic_open
from toolkit.records import ALL_LABELS, AnnotatedText
from toolkit.studio.client import StudioClient, StudioError, resolve_credentials
from toolkit.studio.export import (
    AnnotatedTask,
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
from toolkit.studio.export_stream import ArrayWriter

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


@dataclass
class CheckTally:
    """What checking a stream of tasks counted: tasks seen, spans checked and converted, one line per bad task."""

    tasks: int = 0
    spans: int = 0
    converted: int = 0
    bad: list[str] = field(default_factory=list)


def check_export(export: list[Any]) -> tuple[list[dict[str, Any]], list[str], int, int]:
    """(good tasks, one message per bad task, spans checked, spans converted).

    A good task is a checked copy (UTF-16 offsets converted); ``export`` is
    left as it was. Any label is accepted: pull does not know which labels a
    project uses (``toolkit train --labels`` does). Predictions are not
    checked: they are the machine's and not exported as labels.
    """
    tally = CheckTally()
    good = list(check_tasks(export, span_fields_of(export), set(ALL_LABELS) | _labels_in(export), tally))
    return good, tally.bad, tally.spans, tally.converted


def scan_export(tasks: Iterable[Any]) -> tuple[list[str], set[str]]:
    """(every field a span is on, every label) of a stream of tasks: what ``check_tasks`` needs before the first one."""
    fields: set[str] = set()
    labels: set[str] = set()
    for task in tasks:
        fields.update(span_fields_of([task]))
        labels |= _labels_in([task])
    return sorted(fields), labels


@dataclass
class Checked:
    """A task that passed: its checked copy (UTF-16 offsets converted) and
    what the export reader made of it (None: no annotation but cancelled ones)."""

    task: dict[str, Any]
    read: AnnotatedTask | None


#: Called on each task whose spans passed, before the reader reads it (so the
#: records hold what it adds: ``pull --project-labels``' projected spans, the
#: annotators' emails); what it returns is called once the task is kept.
Prepare = Callable[[dict[str, Any]], Callable[[], None] | None]


def iter_checked(
    tasks: Iterable[Any], span_fields: list[str], labels: set[str], tally: CheckTally, prepare: Prepare | None = None
) -> Iterator[Checked]:
    """The one check of pull, one task at a time: each span validated once
    (``check_task``: on its own task's text, UTF-16 offsets converted), then
    the task read once by the export reader (``read_task``: its verdict, and
    the records that the records, BIO and dataset formats write).

    ``span_fields`` and ``labels`` are the whole export's (``scan_export``),
    so a task is judged as it is in ``check_export``. Counts and one line
    per bad task go to ``tally``.
    """
    labels = set(ALL_LABELS) | labels
    for n, task in enumerate(tasks):
        tally.tasks += 1
        problems, spans, moved, read = [], 0, 0, None
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            problems = [f"task #{n}: not a Label Studio task (no 'data' object)"]
        elif problem := shape_problem(task):  # before the copy: a task nested without end cannot be copied
            problems = [problem]
        else:
            task = copy.deepcopy(task)
            problems, spans, moved = _checked_spans(task)
        keep = None
        if not problems:
            keep = prepare(task) if prepare is not None else None
            read = read_task(task, n, span_fields, labels, labels)
            problems = [read] if isinstance(read, str) else []
        tally.spans += spans
        tally.converted += moved
        if problems:
            tally.bad.append(_named(task, n, problems))
        else:
            if keep is not None:
                keep()
            yield Checked(task, read if isinstance(read, AnnotatedTask) else None)


def check_tasks(
    tasks: Iterable[Any], span_fields: list[str], labels: set[str], tally: CheckTally
) -> Iterator[dict[str, Any]]:
    """``check_export`` one task at a time: each good task's checked copy (``iter_checked``)."""
    return (c.task for c in iter_checked(tasks, span_fields, labels, tally))


def _labels_in(export: Iterable[Any]) -> set[str]:
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
    return _checked_spans(task)


def _checked_spans(task: dict[str, Any]) -> tuple[list[str], int, int]:
    """``_check_spans`` of a task shaped as Label Studio's (``shape_problem`` said nothing)."""
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


class HashSet:
    """A set of ``hash()`` values in one array: 8 bytes a slot, at most two
    thirds of them used (open addressing, linear probing), where a ``set``
    of ints takes about 60 bytes a value. Pull tells a task seen twice in
    the pass that checks it, so what it keeps a task is what its memory
    grows by (``tests/test_pull_stream.py`` bounds it)."""

    def __init__(self) -> None:
        self.slots = array("q", bytes(8 * 1024))  # 0 marks a free slot
        self.used = 0

    def _slot(self, h: int) -> int:
        mask = len(self.slots) - 1
        i = h & mask
        while self.slots[i] not in (0, h):
            i = (i + 1) & mask
        return i

    def __contains__(self, h: int) -> bool:
        h = h or 1  # 0 is the free mark: hash 0 is kept as 1 (a collision costs only the in-memory way)
        return self.slots[self._slot(h)] == h

    def add(self, h: int) -> None:
        h = h or 1
        i = self._slot(h)
        if self.slots[i] == h:
            return
        self.slots[i] = h
        self.used += 1
        if 3 * self.used > 2 * len(self.slots):
            old, self.slots = self.slots, array("q", bytes(16 * len(self.slots)))
            for v in old:
                if v:
                    self.slots[self._slot(v)] = v


class _SameTask(Exception):
    """Two tasks of a stream are one (``read_export`` pools their annotations): the records need every task at once."""


def iter_task_records(
    tasks: Iterable[dict[str, Any]], span_fields: list[str], labels: set[str], every: bool
) -> Iterator[AnnotatedText]:
    """``_records`` of checked tasks, one task at a time, given the fields and labels of all of them.

    Raises ``_SameTask`` at the first task that ``read_export`` would pool
    with an earlier one (see ``records_of``).
    """
    wanted = set(ALL_LABELS) | labels
    return records_of((read_task(task, n, span_fields, wanted, wanted) for n, task in enumerate(tasks)), every)


def records_of(read: Iterable[AnnotatedTask | str | None], every: bool) -> Iterator[AnnotatedText]:
    """The records of tasks as the export reader read them (a str or None, a
    task without any, is passed over): every annotation's, or each task's latest.

    Raises ``_SameTask`` at the first task that ``read_export`` would pool
    with an earlier one (the same id, data.key or texts; compared by hash,
    so a collision only costs the in-memory way).
    """
    seen = HashSet()
    for got in read:
        if not isinstance(got, AnnotatedTask):  # no annotation (a checked task cannot be bad)
            continue
        keys = (hash(("id", str(got.task_id))), hash(got.ident))  # 16-32 bytes a task, not the task
        if any(k in seen for k in keys):
            raise _SameTask
        for k in keys:
            seen.add(k)
        if every:
            yield from (r for ann in got.annotations for r in ann.records)
        else:
            yield from got.records  # the latest annotation's, as ``read_export``'s default rule


# What would end a BIO line or column early: every control, line or paragraph
# separator and space; in ids and labels (which come from the export, anyone's
# text) also the invisible and bidi characters ``toolkit.display`` escapes.
_BIO_BREAKS = frozenset({"Cc", "Zl", "Zp", "Zs"})
_BIO_STRICT = _BIO_BREAKS | {"Cf", "Co", "Cn", "Cs"}


def bio_cell(text: str, strict: bool = False) -> str:
    """``text`` as one BIO cell: a backslash doubled, each character that would
    break the line or the columns (and, ``strict``, any invisible one) as
    ``\\xNN``/``\\uNNNN``; letters of every script stay as they are."""
    cats = _BIO_STRICT if strict else _BIO_BREAKS
    if text.isprintable() and " " not in text and "\\" not in text and not strict:
        return text
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif unicodedata.category(ch) in cats:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def _bio(records: Iterable[AnnotatedText], out: Path) -> int:
    """Token-level BIO, one text at a time; the bytes of ``"\n".join`` over all texts' lines."""
    count = 0
    with atomic_open(out) as fh:
        for rec in records:
            ((tokens, tags),) = to_bio([rec])
            head = (rec.record_id or rec.doc, rec.field_name, rec.lang)
            lines = ["# " + "\t".join(bio_cell(x, strict=True) for x in head)]
            lines += [f"{bio_cell(tok)}\t{bio_cell(tag, strict=True)}" for tok, tag in zip(tokens, tags, strict=True)]
            fh.write(("\n" if count else "") + "\n".join([*lines, ""]))
            count += 1
    return count


def _jsonl(records: Iterable[AnnotatedText], out: Path) -> int:
    count = 0
    with atomic_open(out) as fh:
        for rec in records:
            fh.write(rec.to_json() + "\n")
            count += 1
    return count


def _dataset(records: Callable[[], Iterable[AnnotatedText]], out: Path) -> int:
    """A Hugging Face dataset folder (``datasets.load_from_disk(out)``) of the records ``records()`` gives.

    Typed by ``toolkit.studio.export.dataset_features``: BIO tags as a
    ``ClassLabel`` sequence, spans as a list of structs. Built beside ``out``
    and renamed into place, so a reader sees the old folder or the whole new
    one. An existing ``out`` is replaced only when it is empty or a dataset
    folder (a pull again); anything else is refused, never deleted (checked
    before ``records()`` is called). Returns the number of texts.
    """
    from datasets import disable_progress_bars

    # Anything there that is not a folder (a file, a link, a device such as /dev/null, a FIFO)
    # would be replaced by the rename below: refused, as a folder that holds something else is.
    there = out.exists() or out.is_symlink()
    if (there and (out.is_symlink() or not out.is_dir())) or (
        out.is_dir() and any(out.iterdir()) and not (out / "dataset_info.json").is_file()
    ):
        raise ExportError(f"{out} exists and is not a dataset folder; choose another --out for --format dataset")
    rows = list(records())  # a dataset is built from all its rows at once (its tag names span them all)
    disable_progress_bars()  # pull's summary line says what was written
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        to_dataset(rows).save_to_disk(str(tmp / "out"))
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp / "out", out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return len(rows)


def name_annotators(tasks: Iterable[dict[str, Any]], emails: dict[int, str]) -> int:
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


def write_json(tasks: Iterable[Any], out: Path) -> int:
    """Tasks as ``json.dumps(tasks, ensure_ascii=False, indent=1)``, written one at a time (atomic)."""
    with atomic_open(out) as fh:
        writer = ArrayWriter(fh)
        for task in tasks:
            writer.write(task)
        writer.close()
    return writer.count


def _write_records_of(
    tasks: Callable[[], Iterable[dict[str, Any]]], span_fields: list[str], labels: set[str], out: Path, fmt: str
) -> int:
    """Records, BIO or a dataset of checked tasks (``tasks()`` gives them, again if need be), one task at a time.

    Where two tasks are one (``_SameTask``: a task imported twice outside the
    toolkit) the writing starts again the in-memory way, which pools them.
    """
    every = fmt == "records"
    write = {"records": _jsonl, "bio": _bio}.get(fmt)
    try:
        if write is None:
            return _dataset(lambda: iter_task_records(tasks(), span_fields, labels, every), out)
        return write(iter_task_records(tasks(), span_fields, labels, every), out)
    except _SameTask:
        if write is None:
            return _dataset(lambda: _records(list(tasks()), every), out)
        return write(_records(list(tasks()), every), out)


def write_pulled(tasks: list[dict[str, Any]], out: Path, fmt: str) -> int:
    """Write checked tasks as ``fmt``; returns how many tasks (json) or texts (records, bio, dataset) were written."""
    if fmt == "json":
        return write_json(tasks, out)
    return _write_records_of(lambda: tasks, span_fields_of(tasks), _labels_in(tasks), out, fmt)


class _OtherFields(Exception):
    """A field only bad tasks put spans on: the good tasks' records are read
    again with the fields of the good tasks, as ``write_pulled`` reads them."""


def _write_checked(checked: Iterable[Checked], span_fields: list[str], out: Path, fmt: str, tmp: Path) -> int:
    """Write a stream of checked tasks as ``fmt``, holding one task at a time (a dataset: its rows).

    The records are those the check's read made. ``write_pulled`` of the
    good tasks reads them with the fields of the good tasks only: where
    these differ from the whole export's (``_OtherFields``), or two tasks
    are one (``_SameTask``), the good tasks, kept in ``tmp`` as they
    passed, are read again by ``_write_records_of`` (its fallbacks).
    """
    if fmt == "json":
        return write_json((c.task for c in checked), out)
    good = tmp / "good.jsonl"
    fields: set[str] = set()
    labels: set[str] = set()

    def read() -> Iterator[AnnotatedTask | None]:
        with good.open("w", encoding="utf-8") as fh:
            for c in checked:
                fields.update(span_fields_of([c.task]))
                labels.update(_labels_in([c.task]))
                fh.write(json.dumps(c.task, ensure_ascii=False) + "\n")
                yield c.read
        # A field only bad tasks label would add a text to a good task's records. (One the
        # good tasks add, a projected span's, is a text of the task already: no change.)
        if set(span_fields) - fields:
            raise _OtherFields

    def reread() -> Iterator[dict[str, Any]]:
        with good.open(encoding="utf-8") as fh:
            yield from (json.loads(line) for line in fh)

    every = fmt == "records"
    write = {"records": _jsonl, "bio": _bio}.get(fmt)
    stream = read()
    try:
        if write is None:
            return _dataset(lambda: records_of(stream, every), out)
        return write(records_of(stream, every), out)
    except _SameTask:  # it stopped the stream early: the rest is checked and kept
        with contextlib.suppress(_OtherFields):
            for _ in stream:
                pass
    except _OtherFields:
        pass
    return _write_records_of(reread, sorted(fields), labels, out, fmt)


def pull_project(
    project: str,
    out: str | Path,
    fmt: str = "json",
    data_dir: str | Path | None = None,
    timeout: float = 120.0,
    retries: int = 3,
    all_tasks: bool = False,
    prepare: Prepare | None = None,
) -> PullSummary:
    """Export the annotated tasks (every task with ``all_tasks``) of the project titled ``project`` into ``out``.

    ``fmt``: "json" (Label Studio JSON, checked, every annotation with its
    annotator), "records" (``AnnotatedText`` JSON lines, one per text per
    annotation) or "bio" (CoNLL-style BIO of the latest annotations; Thai
    tokenised with pythainlp) or "dataset" (a Hugging Face dataset folder of
    the latest annotations, BIO tags as a ``ClassLabel`` sequence).

    The export is downloaded to a temporary file and read from it one task
    at a time, twice (the fields and labels of all tasks, then each task
    checked and written: ``pull_tasks``), so memory does not grow with the
    project. ``prepare`` changes each task that passed before it is read
    and written (``toolkit.studio.project_labels``).
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
    summary = PullSummary(project_id=proj.id, out=str(out))
    with tempfile.TemporaryDirectory(prefix="toolkit-pull-") as tmp:
        raw = Path(tmp) / "export.json"
        client.export_to(proj.id, raw, all_tasks=all_tasks)
        try:
            emails = client.user_emails()
        except StudioError as e:  # annotators stay named by id
            emails, summary.no_emails = {}, str(e)
        return pull_tasks(lambda: client.iter_export(raw), Path(out), fmt, emails, summary, Path(tmp), prepare)


def pull_tasks(
    tasks: Callable[[], Iterable[Any]],
    out: Path,
    fmt: str,
    emails: dict[int, str],
    summary: PullSummary,
    tmp: Path,
    prepare: Prepare | None = None,
) -> PullSummary:
    """Check the tasks ``tasks()`` gives and write the good ones to ``out``: pull's one path.

    ``tasks()`` is called twice: a scan of the fields and labels of them all
    (no span is read; a broken file is read to its end before anything is
    written), then ``iter_checked``, which validates each span once and hands
    each good task, ``prepare``d (``pull --project-labels``) and its
    annotators named from ``emails``, to the writer of ``fmt``; ``tmp`` is a
    folder for the good tasks of the records formats' fallbacks.
    """
    span_fields, labels = scan_export(tasks())
    tally = CheckTally()

    def named(task: dict[str, Any]) -> Callable[[], None] | None:
        keep = prepare(task) if prepare is not None else None
        name_annotators([task], emails)
        return keep

    summary.written = _write_checked(
        iter_checked(tasks(), span_fields, labels, tally, named), span_fields, out, fmt, tmp
    )
    summary.tasks, summary.spans, summary.converted, summary.bad_tasks = (
        tally.tasks,
        tally.spans,
        tally.converted,
        tally.bad,
    )
    return summary
