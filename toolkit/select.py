"""Task priority: which tasks would teach the extractor most, so annotators see them first.

Four signals, each in [0, 1]:

- **uncertainty** (only with a model that has ``token_confidence``: the CRF's
  marginals, the transformer's token probabilities): over every text of the
  task, 1 minus the mean of the three least sure tokens' probabilities. A
  sentence the model tags confidently teaches it little; one where it
  hesitates is where a label moves the boundary.
- **flags**: the translation's check flags (``toolkit.checks``),
  ``1 - 0.5 ** n`` for n flags: a flagged translation needs a person anyway
  (rating, correction), and labels on it are where the texts differ.
- **disagreement**: of every (guess, other text) pair of the task (figures and
  entity guesses on any text, each against every other text), the share
  where ``toolkit.projection.project_spans`` cannot place the guess: a figure
  or name on one side that another side lacks is a lost or invented figure, a
  mangled name, or a wrong guess.

- **translation doubt**: 1 minus the translation model's confidence (the
  geometric-mean token probability, ``exp`` of ``BitextRecord.scores``) of the
  task's least sure translation: a translation the engine hesitated over is
  the likeliest to be wrong, and a rating or correction there is worth most.

``priority`` is their weighted mean (uncertainty 0.4, disagreement 0.24,
translation doubt 0.2, flags 0.16, over the signals there are; with the rule
guesser the extractor's uncertainty is absent; a run without scores has no
translation doubt), rounded to 4 places; ``why`` names the signals that are
not zero.

>>> from toolkit.select import rank_run
>>> for p in rank_run("runs/seeds", model="models/crf")[:5]:   # doctest: +SKIP
...     print(p.record_id, p.priority, p.why)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.projection import project_spans_detailed
from toolkit.records import Span
from toolkit.run import Run, load_run
from toolkit.segment.tokens import Token
from toolkit.studio.contract import Task
from toolkit.studio.tasks import FigureFinder, Predictor, iter_typed_tasks, source_guesses

WEIGHTS = {"uncertainty": 0.4, "disagreement": 0.24, "mt_doubt": 0.2, "flags": 0.16}
LEAST_SURE = 3  # tokens averaged for a text's uncertainty: one odd token is noise, the sentence's worst few are not

Confidence = Callable[[str, str], list[tuple[Token, float]]]


@dataclass(frozen=True)
class Priority:
    """A task's priority with its signals and the line that explains it."""

    record_id: str
    priority: float
    why: str
    signals: dict[str, float]


def uncertainty(confidences: Iterable[float]) -> float:
    """1 minus the mean of the ``LEAST_SURE`` lowest token probabilities (0.0 without tokens)."""
    low = sorted(confidences)[:LEAST_SURE]
    return round(max(0.0, min(1.0, 1.0 - sum(low) / len(low))), 4) if low else 0.0


def flag_signal(n_flags: int) -> float:
    return 1.0 - 0.5**n_flags


def unmatched_guesses(task: Task) -> tuple[list[tuple[str, Span, list[str]]], int]:
    """((text field, guess, the other texts projection cannot place it on) for each such guess, pairs tried)."""
    out = []
    pairs = 0
    texts = [t for t in task.texts if t.text.strip()]
    for t in texts:
        guesses = source_guesses(task, t.name)
        if not guesses:
            continue
        spans = [(g.start, g.end, g.label) for g in guesses]
        missing: dict[int, list[str]] = {}
        for other in texts:
            if other.name == t.name:
                continue
            pairs += len(guesses)
            placed = {p.source for p in project_spans_detailed(t.text, other.text, spans, t.lang, other.lang).placed}
            for i in range(len(guesses)):
                if i not in placed:
                    missing.setdefault(i, []).append(other.name)
        out += [(t.name, guesses[i], names) for i, names in sorted(missing.items())]
    return out, pairs


def task_signals(task: Task, confidence: Confidence | None = None) -> tuple[dict[str, float], list[str]]:
    """The task's signals and the short phrases that say what raised them."""
    signals: dict[str, float] = {}
    phrases: list[str] = []
    if confidence is not None:
        per_text = [(t.name, confidence(t.text, t.lang)) for t in task.texts if t.text.strip()]
        u = max((uncertainty(p for _, p in toks) for _, toks in per_text), default=0.0)
        signals["uncertainty"] = round(u, 4)
        worst = min(((p, tok.text, name) for name, toks in per_text for tok, p in toks), default=None)
        if worst is not None and u > 0.05:
            phrases.append(f"model unsure {u:.2f} ({worst[1]!r} on {worst[2]})")
    scores = [v for v in task.confidence.values() if isinstance(v, (int, float)) and math.isfinite(v)]
    if scores:
        doubt = 1.0 - math.exp(min(scores))
        signals["mt_doubt"] = round(max(0.0, min(1.0, doubt)), 4)
        if doubt > 0.2:
            phrases.append(f"translation doubt {doubt:.2f}")
    codes = [f.code for f in task.flags]
    signals["flags"] = round(flag_signal(len(codes)), 4)
    if codes:
        uniq = sorted(set(codes))
        phrases.append("flags: " + ", ".join(uniq[:3]) + (f" +{len(uniq) - 3}" if len(uniq) > 3 else ""))
    lone, pairs = unmatched_guesses(task)
    n_missing = sum(len(names) for _, _, names in lone)
    signals["disagreement"] = round(n_missing / pairs, 4) if pairs else 0.0
    if lone:
        name, first, where = lone[0]  # the first only: the line must stay short
        more = " …" if len(lone) > 1 else ""
        phrases.append(f"unmatched {n_missing}/{pairs}: {first.text[:30]!r} on {name} not on {'/'.join(where)}{more}")
    return signals, phrases


def combine(signals: dict[str, float]) -> float:
    """The weighted mean of the signals present (``WEIGHTS``), in [0, 1]."""
    used = {k: v for k, v in signals.items() if k in WEIGHTS}
    weight = sum(WEIGHTS[k] for k in used)
    return round(sum(WEIGHTS[k] * v for k, v in used.items()) / weight, 4) if weight else 0.0


def model_confidence(predictor: Any) -> Confidence | None:
    """The predictor's ``token_confidence`` (trained extractors), None for the rule guesser."""
    fn = getattr(predictor, "token_confidence", None)
    return fn if callable(fn) else None


def make_ranker(predictor: Any = None) -> Callable[[Task], tuple[float, str]]:
    """A ranker for ``toolkit.studio.tasks`` (``push_run(ranker=...)``): task -> (priority, why)."""
    confidence = model_confidence(predictor)

    def rank(task: Task) -> tuple[float, str]:
        signals, phrases = task_signals(task, confidence)
        return combine(signals), "; ".join(phrases) or "no signal: model sure, no flags, texts agree"

    return rank


def task_priority(task: Task, predictor: Any = None) -> Priority:
    """The priority of one typed task (``toolkit.studio.tasks.make_task``)."""
    signals, phrases = task_signals(task, model_confidence(predictor))
    why = "; ".join(phrases) or "no signal: model sure, no flags, texts agree"
    return Priority(task.record_id, combine(signals), why, signals)


def load_predictor(model: Any) -> Predictor:
    """A predictor from a model folder (``toolkit.extractor.load_extractor``), an extractor, or None (rules)."""
    if model is None:
        from toolkit.extractor.rules import RuleGuesser

        return RuleGuesser()
    if isinstance(model, (str, Path)):
        from toolkit.extractor import load_extractor

        return load_extractor(model)
    return model


def iter_priorities(
    run: Run | str | Path,
    model: Any = None,
    figure_finder: FigureFinder | None = None,
    errors: list[str] | None = None,
) -> Iterator[Priority]:
    """The priority of every task of ``run``, in document order, streamed."""
    if not isinstance(run, Run):
        run = load_run(run)
    predictor = load_predictor(model)
    if figure_finder is None:
        from toolkit.figures import extract_figures

        figure_finder = extract_figures
    for task in iter_typed_tasks(run, predictor, figure_finder, errors):
        yield task_priority(task, predictor)


def rank_run(
    run: Run | str | Path,
    model: Any = None,
    figure_finder: FigureFinder | None = None,
    errors: list[str] | None = None,
) -> list[Priority]:
    """Every task's priority, most useful first (ties keep document order).

    ``model``: a trained extractor's folder, an extractor, or None for the
    rule guesser (then flags and disagreement only).
    """
    return sorted(iter_priorities(run, model, figure_finder, errors), key=lambda p: -p.priority)
