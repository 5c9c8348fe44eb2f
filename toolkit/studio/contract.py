"""The task contract with Label Studio: every field name of a task, and its parsing, in one place.

A toolkit task's ``data`` (what the labeling config of ``toolkit.studio.config`` shows)::

    key              "<record id>|<hash of the texts>" (``tasks.task_key``): how a re-push knows a task
    record_id, doc, run, src_lang
    src              the source sentence
    mt_<target>      its translation into each target (an NLLB code)
    langs            {text field: NLLB code} for every text field, so that no reader has to
                     derive a language from a field name (tasks pushed before it lack it)
    context_before, context_after
    flags, flags_<target>   the check flags, readable
    conf_<target>    the model's confidence in that translation, readable (``confidence_text``)
    priority, priority_why  how much labelling the task would teach the model (a number in [0, 1],
                     ``toolkit.select``) and one line saying which signals made it (tasks
                     pushed without a ranker lack both)

and the names of the results: ``<text field>_labels`` (spans), ``rating_<target>`` (choices) and
``correction_<target>`` (a text area). Nothing else in the toolkit spells these names: the task
builder, the labeling config and the export reader all ask this module.

A text of a task is a ``TaskText`` (field name, text, language, and the target when it is a
translation). Figures, entity guesses and flags stay typed records (``Figure``, ``Span``,
``Flag``) in a ``Task`` until ``Task.to_label_studio`` writes the JSON Label Studio imports.

A region placed by projection (``toolkit.projection``: a source span carried onto a
translation) carries ``meta = {"projected_from": <text field>, "method": ..., "text": ...}``;
``meta.text`` is what Label Studio's editor shows beside the region, so an annotator sees
which guesses were carried over rather than found on the translation itself.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from toolkit.records import Figure, Flag, Span

SRC = "src"
KEY = "key"
RECORD_ID = "record_id"
DOC = "doc"
RUN = "run"
SRC_LANG = "src_lang"
LANGS = "langs"
CONTEXT_BEFORE = "context_before"
CONTEXT_AFTER = "context_after"
FLAGS = "flags"
PRIORITY = "priority"
PRIORITY_WHY = "priority_why"
PROJECTED_FROM = "projected_from"

_MT = "mt_"
_RATING = "rating_"
_CORRECTION = "correction_"


def translation_field(target: str) -> str:
    """The data field (and Text tag) holding the translation into ``target``."""
    return f"{_MT}{target}"


def labels_field(text_name: str) -> str:
    """The Labels tag that puts spans on the text field ``text_name``."""
    return f"{text_name}_labels"


def rating_field(target: str) -> str:
    return f"{_RATING}{target}"


def correction_field(target: str) -> str:
    return f"{_CORRECTION}{target}"


def flags_field(target: str) -> str:
    return f"{FLAGS}_{target}"


def confidence_field(target: str) -> str:
    return f"conf_{target}"


def confidence_text(score: float | None) -> str:
    """The model's confidence as an annotator reads it: the geometric-mean token
    probability and the mean log-probability it comes from ("" when unknown)."""
    if score is None:
        return ""
    return f"model confidence {math.exp(score):.2f} (mean token log-prob {score:.2f})"


def rating_target(from_name: str) -> str | None:
    """The target a ``rating_<target>`` result is about; None for any other result."""
    return from_name[len(_RATING) :] if from_name.startswith(_RATING) else None


def correction_target(from_name: str) -> str | None:
    """The target a ``correction_<target>`` result is about; None for any other result."""
    return from_name[len(_CORRECTION) :] if from_name.startswith(_CORRECTION) else None


def record_id_of(key: str) -> str:
    """The record id of a task key (``<record id>|<hash>``)."""
    return key.rsplit("|", 1)[0]


@dataclass(frozen=True)
class TaskText:
    """One text of a task: its data field, the text, its language (NLLB code).

    ``target`` is the target of a translation (its language), None for the
    source and for the texts of projects the toolkit did not make.
    """

    name: str
    text: str
    lang: str
    target: str | None = None

    @property
    def figure_key(self) -> str:
        """The key of this text's figures in ``BitextRecord.figures``: "src" or the target."""
        return self.target or SRC


def flags_text(flags: Sequence[Flag], target: str | None = None) -> str:
    """Flags as a short readable string ("⚠ figure missing (451 ha); repetition").

    With ``target``, only that translation's flags; without, all of them, each
    prefixed with its target.
    """
    parts = []
    for f in flags:
        if target is not None and f.target != target:
            continue
        prefix = "" if target is not None else f"{f.target}: "
        code = f.code.replace("_", " ")
        parts.append(f"{prefix}{code}" + (f" ({f.detail})" if f.detail else ""))
    return "⚠ " + "; ".join(parts) if parts else ""


@dataclass(frozen=True)
class Projected:
    """A pre-annotation carried from another text of the task (``source``, a field name) by ``method``."""

    span: Span
    source: str
    method: str


def projected_meta(source: str, method: str) -> dict[str, str]:
    """The ``meta`` of a projected region (see the module doc)."""
    return {PROJECTED_FROM: source, "method": method, "text": f"projected from {source} ({method})"}


@dataclass
class Task:
    """A toolkit task before it becomes Label Studio JSON.

    ``texts`` are the source first, then each translation. ``figures`` and
    ``entities`` map a text's field name to its pre-annotations (already
    checked against the text); ``model_version`` names what made them.
    """

    key: str
    record_id: str
    doc: str
    run: str
    src_lang: str
    texts: list[TaskText]
    context_before: str = ""
    context_after: str = ""
    flags: list[Flag] = field(default_factory=list)
    figures: dict[str, list[Figure]] = field(default_factory=dict)
    entities: dict[str, list[Span]] = field(default_factory=dict)
    projected: dict[str, list[Projected]] = field(default_factory=dict)
    model_version: str = ""
    priority: float | None = None
    priority_why: str = ""
    confidence: dict[str, float | None] = field(default_factory=dict)  # target -> BitextRecord.scores

    def data(self) -> dict[str, Any]:
        """The task's ``data`` object, in the layout the labeling config reads."""
        data: dict[str, Any] = {
            KEY: self.key,
            RECORD_ID: self.record_id,
            DOC: self.doc,
            RUN: self.run,
            SRC_LANG: self.src_lang,
        }
        for t in self.texts:
            if t.target is None:
                data[t.name] = t.text
        data[CONTEXT_BEFORE] = self.context_before
        data[CONTEXT_AFTER] = self.context_after
        data[FLAGS] = flags_text(self.flags)
        for t in self.texts:
            if t.target is not None:
                data[t.name] = t.text
                data[flags_field(t.target)] = flags_text(self.flags, t.target)
                data[confidence_field(t.target)] = confidence_text(self.confidence.get(t.target))
        data[LANGS] = {t.name: t.lang for t in self.texts}
        if self.priority is not None:
            data[PRIORITY] = self.priority
            data[PRIORITY_WHY] = self.priority_why
        return data

    def results(self) -> list[dict[str, Any]]:
        """The prediction's regions: figures and entities of every text, in text order."""
        uid = _uid(self.key)
        out: list[dict[str, Any]] = []
        for t in self.texts:
            spans = [Span(start=f.start, end=f.end, label=f.kind, text=f.text) for f in self.figures.get(t.name, [])]
            spans += self.entities.get(t.name, [])
            meta = {id(p.span): projected_meta(p.source, p.method) for p in self.projected.get(t.name, [])}
            spans += [p.span for p in self.projected.get(t.name, [])]
            spans.sort(key=lambda s: (s.start, s.end))
            out += [_region(t.name, s, f"{uid}{t.name[:6]}{i}", meta.get(id(s))) for i, s in enumerate(spans)]
        return out

    def to_label_studio(self) -> dict[str, Any]:
        """``{"data": ..., "predictions": [...]}``, as Label Studio imports a task."""
        return {"data": self.data(), "predictions": [{"model_version": self.model_version, "result": self.results()}]}


def _uid(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:4]


def _region(text_name: str, span: Span, rid: str, meta: dict[str, str] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": rid,
        "from_name": labels_field(text_name),
        "to_name": text_name,
        "type": "labels",
        "origin": "prediction",
        "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]},
    }
    if span.score is not None:
        item["score"] = span.score
    if meta:
        item["meta"] = meta
    return item


# --- reading a task's data back -------------------------------------------


def task_texts(
    data: Mapping[str, Any], extra: Sequence[str] = (), guess: Callable[[str], str] | None = None
) -> list[TaskText]:
    """The texts of a task's ``data``: the toolkit's own fields, then those in ``extra``.

    A task pushed with ``langs`` names its text fields and their languages. An
    older toolkit task names them by layout: ``src`` (in ``src_lang``) and
    ``mt_<target>``. A field in ``extra`` (a field some span was put on, in a
    project the toolkit did not make) takes its language from
    ``<field>_lang``, ``lang``, or else from ``guess``. Fields that do not hold
    a string are not texts.
    """
    langs = data.get(LANGS)
    texts = _listed_texts(data, langs) if isinstance(langs, dict) else _layout_texts(data)
    have = {t.name for t in texts}
    for name in extra:
        value = data.get(name)
        if name in have or not isinstance(value, str):
            continue
        lang = data.get(f"{name}_lang") or data.get("lang")
        texts.append(TaskText(name, value, str(lang or "")))
        have.add(name)
    if guess is not None:
        texts = [t if t.lang else replace(t, lang=guess(t.text)) for t in texts]
    return texts


def _listed_texts(data: Mapping[str, Any], langs: Mapping[str, Any]) -> list[TaskText]:
    out = []
    for name, lang in langs.items():
        value = data.get(name)
        if isinstance(value, str) and isinstance(lang, str):
            out.append(TaskText(name, value, lang, None if name == SRC else lang))
    return out


def _layout_texts(data: Mapping[str, Any]) -> list[TaskText]:
    # Tasks pushed before ``langs`` existed: the one place that reads a
    # language from a field name, and only for them.
    out = []
    for name, value in data.items():
        if not isinstance(value, str):
            continue
        if name == SRC:
            lang = data.get(SRC_LANG) or data.get(f"{SRC}_lang") or data.get("lang")
            out.append(TaskText(name, value, str(lang or ""), None))
        elif name.startswith(_MT) and len(name) > len(_MT) and not name.endswith("_lang"):
            target = name[len(_MT) :]
            out.append(TaskText(name, value, target, target))
    return out
