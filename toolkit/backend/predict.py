"""One Label Studio task -> the backend's one prediction: regions, ``model_version``, ``score``.

The regions are those ``toolkit push`` imports (``toolkit.studio.tasks``):
the figure finder's figures and the extractor's entities on the source and on
every translation, an entity overlapping a figure dropped, and the source's
guesses projected onto each translation where its own guesses left room
(``project_guesses``), each projected region marked in its ``meta``. Only
regions the project's labeling config can show are kept (a ``Labels`` tag
for the text, a ``Label`` of that name in it), so a config with fewer
translations or labels than the extractor knows still gets a valid result.

``score`` is the extractor's confidence as ``toolkit.select`` measures it:
1 minus the task's ``uncertainty`` (the mean of the three least sure tokens'
probabilities, worst text of the task). Label Studio sorts by it, so the
least sure tasks, the ones ``toolkit.select`` would put first, come first in
an ascending sort.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.records import Figure, Span
from toolkit.select import model_confidence, uncertainty
from toolkit.studio.contract import (
    CONTEXT_AFTER,
    CONTEXT_BEFORE,
    DOC,
    KEY,
    RECORD_ID,
    RUN,
    SRC,
    SRC_LANG,
    Task,
    TaskText,
    task_texts,
)
from toolkit.studio.tasks import FigureFinder, Predictor, model_version, project_guesses


@dataclass(frozen=True)
class LabelConfig:
    """What a labeling config can show: ``Labels`` tag name -> (the text it labels, its label names)."""

    tags: dict[str, tuple[str, frozenset[str]]]

    def allows(self, region: Mapping[str, Any]) -> bool:
        tag = self.tags.get(region.get("from_name", ""))
        if tag is None or tag[0] != region.get("to_name"):
            return False
        return all(label in tag[1] for label in region["value"]["labels"])

    @property
    def text_names(self) -> set[str]:
        return {to_name for to_name, _ in self.tags.values()}


def read_label_config(xml: str | None) -> LabelConfig | None:
    """The ``Labels`` tags of a labeling config; None when there is none to read (then every region is kept).

    Raises ``ValueError`` for a config that is not XML (the request is then refused as malformed).
    """
    if not xml or not xml.strip():
        return None
    root = ET.fromstring(xml)
    tags: dict[str, tuple[str, frozenset[str]]] = {}
    for node in root.iter("Labels"):
        name, to_name = node.get("name"), node.get("toName")
        if name and to_name:
            tags[name] = (to_name, frozenset(x.get("value", "") for x in node.iter("Label")))
    return LabelConfig(tags)


def _figures(finder: FigureFinder | None, text: TaskText) -> list[Figure]:
    return finder(text.text, text.lang) if finder is not None and text.text.strip() else []


def _entities(predictor: Predictor, texts: Sequence[TaskText]) -> dict[str, list[Span]]:
    group = getattr(predictor, "predict_texts", None)
    if callable(group):
        return group({t.name: (t.text, t.lang) for t in texts})
    return {t.name: predictor.predict(t.text, t.lang) if t.text.strip() else [] for t in texts}


def typed_task(data: Mapping[str, Any], predictor: Predictor, finder: FigureFinder | None) -> Task | None:
    """The typed task of a task's ``data`` with the guesses ``push`` would give it; None when it holds no text."""
    texts = [t for t in task_texts(data) if t.lang]
    if not texts:
        return None
    if texts[0].name != SRC:  # the source first, as ``project_guesses`` expects
        texts.sort(key=lambda t: t.name != SRC)
    guesses = _entities(predictor, texts)
    figures: dict[str, list[Figure]] = {}
    entities: dict[str, list[Span]] = {}
    for t in texts:
        figures[t.name] = figs = _figures(finder, t)
        # As push: figures come from tested rules; an entity guess overlapping one is dropped.
        entities[t.name] = [
            e for e in guesses.get(t.name, []) if all(e.end <= f.start or e.start >= f.end for f in figs)
        ]
    task = Task(
        key=str(data.get(KEY) or ""),
        record_id=str(data.get(RECORD_ID) or ""),
        doc=str(data.get(DOC) or ""),
        run=str(data.get(RUN) or ""),
        src_lang=str(data.get(SRC_LANG) or texts[0].lang),
        texts=texts,
        context_before=str(data.get(CONTEXT_BEFORE) or ""),
        context_after=str(data.get(CONTEXT_AFTER) or ""),
        figures=figures,
        entities=entities,
        model_version=model_version(predictor),
    )
    if texts[0].name == SRC:
        task.projected = project_guesses(task)
    return task


def task_score(task: Task, predictor: Predictor) -> float:
    """1 - ``toolkit.select.uncertainty`` of the task's least sure text (1.0 for a model without confidences)."""
    confidence = model_confidence(predictor)
    if confidence is None:
        return 1.0
    worst = max(
        (uncertainty(p for _, p in confidence(t.text, t.lang)) for t in task.texts if t.text.strip()), default=0.0
    )
    return round(1.0 - worst, 4)


def predict_task(
    task: Mapping[str, Any], predictor: Predictor, finder: FigureFinder | None, config: LabelConfig | None
) -> dict[str, Any]:
    """The one prediction of one Label Studio task: ``{"result", "score", "model_version"}``.

    A task without texts the toolkit can read gets an empty result (Label
    Studio drops a whole batch whose answer lacks one task).
    """
    version = model_version(predictor)
    data = task.get("data")
    typed = typed_task(data, predictor, finder) if isinstance(data, Mapping) else None
    if typed is None:
        return {"result": [], "score": 0.0, "model_version": version}
    if not typed.key:  # a task pushed by another tool: region ids from its Label Studio id
        typed.key = f"task-{task.get('id')}"
    if config is not None:
        keep = config.text_names
        typed.texts = [t for t in typed.texts if t.name in keep] or typed.texts
    regions = typed.results()
    if config is not None:
        regions = [r for r in regions if config.allows(r)]
    return {"result": regions, "score": task_score(typed, predictor), "model_version": version}
