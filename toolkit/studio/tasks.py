"""A run folder -> Label Studio tasks with predictions, each with a stable key.

One task per source sentence that was translated (``BitextRecord.translate``).
The task's ``data`` follows the contract shared with ``toolkit.studio.export``
(see ``toolkit/studio/config.py``); its one prediction holds the figures found
on every text and the entity candidates of a predictor, with a
``model_version`` naming both ("figures-0.1.0+rules-1"): Label Studio shows
one prediction per model version, and an annotator wants both kinds of
guesses in the same place.

Offsets in predictions are code points, which is what Label Studio 1.23's
editor counts (see ``toolkit.studio.offsets``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from toolkit import __version__
from toolkit.records import BitextRecord, Figure, Span


class RunFolderError(ValueError):
    """A folder that is not a usable run; the message says what to do."""


class Predictor(Protocol):
    """What makes entity pre-annotations: the rule guesser or a trained extractor."""

    version: str

    def predict(self, text: str, lang: str) -> list[Span]: ...


FigureFinder = Callable[[str, str], list[Figure]]


@dataclass
class Run:
    """A translation run folder: ``bitext.jsonl`` + ``run.json``."""

    path: Path
    name: str
    targets: list[str]
    model: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def bitext(self) -> Path:
        return self.path / "bitext.jsonl"


def load_run(path: str | Path) -> Run:
    """Read a run folder's ``run.json``; raise ``RunFolderError`` with a clear message if it is not one."""
    p = Path(path)
    if not p.is_dir():
        raise RunFolderError(
            f"{p} is not a run folder (no such folder): run `toolkit translate IN_DIR --out {p}` first"
        )
    if not (p / "bitext.jsonl").is_file():
        raise RunFolderError(f"{p} is not a run folder (no bitext.jsonl): run `toolkit translate` first")
    meta_path = p / "run.json"
    if not meta_path.is_file():
        raise RunFolderError(f"{p} is not a finished run (no run.json): run `toolkit translate` again to finish it")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise RunFolderError(f"{meta_path}: not valid JSON ({e}); run `toolkit translate` again") from None
    targets = meta.get("targets") if isinstance(meta, dict) else None
    if not targets or not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise RunFolderError(f'{meta_path}: no "targets" list of NLLB codes; run `toolkit translate` again')
    name = str(meta.get("run_name") or p.resolve().name)
    return Run(path=p, name=name, targets=list(targets), model=str(meta.get("model") or ""), meta=meta)


def iter_records(run: Run, errors: list[str] | None = None) -> Iterator[BitextRecord]:
    """Stream ``bitext.jsonl``; a bad line is reported in ``errors`` (file:line: why) and skipped."""
    with run.bitext.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield BitextRecord.from_json(line)
            except (json.JSONDecodeError, TypeError, ValueError) as e:
                msg = f"{run.bitext}:{n}: not a bitext record ({e}); the line is skipped"
                if errors is None:
                    raise RunFolderError(msg) from None
                errors.append(msg)


def task_key(record: BitextRecord, targets: Sequence[str]) -> str:
    """``<record id>|<first 16 hex of sha256 over the source and each translation>``.

    The hash changes when any text changes (a new translation), so a re-run
    with other output is an update, and the same output is recognised.
    """
    h = hashlib.sha256(record.src.encode("utf-8"))
    for t in targets:
        h.update(b"\x00" + t.encode() + b"\x00" + record.mt.get(t, "").encode("utf-8"))
    return f"{record.id}|{h.hexdigest()[:16]}"


def record_id_of(key: str) -> str:
    return key.rsplit("|", 1)[0]


def flags_text(flags: Sequence[Mapping[str, Any]], target: str | None = None) -> str:
    """Flags as a short human-readable string ("figure_missing: 451 ha; repetition")."""
    parts = []
    for f in flags:
        if target is not None and f.get("target") != target:
            continue
        code = str(f.get("code", "?")).replace("_", " ")
        prefix = "" if target is not None else f"{f.get('target', '?')}: "
        detail = f.get("detail") or ""
        parts.append(f"{prefix}{code}" + (f" ({detail})" if detail else ""))
    return "⚠ " + "; ".join(parts) if parts else ""


def _with_context(records: Iterator[BitextRecord]) -> Iterator[tuple[BitextRecord, str, str]]:
    """Each translated record with the previous and next translated sentence of its document.

    Streams with a window of three, so a large run never sits in memory.
    """
    prev: BitextRecord | None = None
    cur: BitextRecord | None = None
    for rec in records:
        if not rec.translate:
            continue
        if cur is not None:
            before = prev.src if prev is not None and prev.doc == cur.doc else ""
            after = rec.src if rec.doc == cur.doc else ""
            yield cur, before, after
        prev, cur = cur, rec
    if cur is not None:
        before = prev.src if prev is not None and prev.doc == cur.doc else ""
        yield cur, before, ""


def _figure_spans(record: BitextRecord, key: str, text: str, lang: str, finder: FigureFinder | None) -> list[Span]:
    if key in record.figures:
        figures = record.figures_of(key)
    elif finder is not None:
        figures = finder(text, lang)
    else:
        return []
    spans = []
    for f in figures:
        # A figure whose offsets do not fit its text (a stale record) is dropped, not shifted.
        if 0 <= f.start < f.end <= len(text) and text[f.start : f.end] == f.text:
            spans.append(Span(start=f.start, end=f.end, label=f.kind, text=f.text))
    return spans


def _results(from_name: str, to_name: str, spans: Sequence[Span], uid: str) -> list[dict[str, Any]]:
    out = []
    for i, s in enumerate(spans):
        value: dict[str, Any] = {"start": s.start, "end": s.end, "text": s.text, "labels": [s.label]}
        item: dict[str, Any] = {
            "id": f"{uid}{to_name[:6]}{i}",
            "from_name": from_name,
            "to_name": to_name,
            "type": "labels",
            "origin": "prediction",
            "value": value,
        }
        if s.score is not None:
            item["score"] = s.score
        out.append(item)
    return out


def _entity_spans(predictor: Predictor | None, texts: dict[str, tuple[str, str]]) -> dict[str, list[Span]]:
    if predictor is None:
        return {k: [] for k in texts}
    group = getattr(predictor, "predict_texts", None)
    if callable(group):
        return group(texts)
    return {k: predictor.predict(text, lang) for k, (text, lang) in texts.items()}


def model_version(predictor: Predictor | None) -> str:
    base = f"figures-{__version__}"
    return f"{base}+{predictor.version}" if predictor is not None else base


def build_task(
    record: BitextRecord,
    run: Run,
    before: str = "",
    after: str = "",
    predictor: Predictor | None = None,
    figure_finder: FigureFinder | None = None,
) -> dict[str, Any]:
    """One Label Studio task (``{"data": ..., "predictions": [...]}``) for a translated record."""
    data: dict[str, Any] = {
        "key": task_key(record, run.targets),
        "record_id": record.id,
        "doc": record.doc,
        "run": run.name,
        "src_lang": record.src_lang,
        "src": record.src,
        "context_before": before,
        "context_after": after,
        "flags": flags_text(record.flags),
    }
    texts: dict[str, tuple[str, str]] = {"src": (record.src, record.src_lang)}
    for t in run.targets:
        data[f"mt_{t}"] = record.mt.get(t, "")
        data[f"flags_{t}"] = flags_text(record.flags, t)
        texts[f"mt_{t}"] = (data[f"mt_{t}"], t)

    entities = _entity_spans(predictor, texts)
    result: list[dict[str, Any]] = []
    uid = hashlib.sha1(data["key"].encode()).hexdigest()[:4]
    for name, (text, lang) in texts.items():
        fig_key = "src" if name == "src" else name[3:]
        figures = _figure_spans(record, fig_key, text, lang, figure_finder)
        # Figures are found by tested rules; an entity guess that overlaps one is dropped.
        ents = [e for e in entities.get(name, []) if all(e.end <= f.start or e.start >= f.end for f in figures)]
        spans = sorted(figures + ents, key=lambda s: (s.start, s.end))
        result += _results(f"{name}_labels", name, spans, uid)
    return {"data": data, "predictions": [{"model_version": model_version(predictor), "result": result}]}


def iter_tasks(
    run: Run,
    predictor: Predictor | None = None,
    figure_finder: FigureFinder | None = None,
    errors: list[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every task of ``run``, in document order, streamed."""
    for record, before, after in _with_context(iter_records(run, errors)):
        yield build_task(record, run, before, after, predictor, figure_finder)


def default_figure_finder() -> FigureFinder | None:
    """``toolkit.figures.extract_figures`` when the figures module is installed, else None."""
    try:
        from toolkit.figures import extract_figures
    except ImportError:
        return None
    return extract_figures
