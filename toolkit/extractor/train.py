"""Train an extractor on labelled texts: split, fit, score, save.

``toolkit train`` reads the Label Studio exports into ``AnnotatedText``
records and hands them to ``train_extractor``; this module knows no export
format. The model folder gets the backend's files, ``extractor.json``,
``metrics.json`` and a model card ``README.md``.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.extractor.base import Extractor, ExtractorError, Progress, backend_class, library_versions
from toolkit.extractor.crossval import leave_one_doc_out as score_leave_one_doc_out
from toolkit.extractor.crossval import require_documents
from toolkit.extractor.evaluation import evaluate_extractor, format_table
from toolkit.io.atomic import atomic_write_text
from toolkit.records import ENTITY_LABELS, AnnotatedText


@dataclass
class TrainResult:
    path: Path
    version: str
    metrics: dict[str, Any]
    train_seconds: float


def split_by_doc(
    records: Sequence[AnnotatedText], fraction: float, seed: int
) -> tuple[list[AnnotatedText], list[AnnotatedText]]:
    """Hold out ``fraction`` of the documents (at least one, never all):
    the same article is never on both sides."""
    docs = sorted({r.doc for r in records})
    if fraction <= 0 or len(docs) < 2:
        return list(records), []
    rng = random.Random(seed)
    rng.shuffle(docs)
    n_eval = min(len(docs) - 1, max(1, math.ceil(fraction * len(docs))))
    held = set(docs[:n_eval])
    return [r for r in records if r.doc not in held], [r for r in records if r.doc in held]


def backend_settings(base: str, settings: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
    """``crf``, or a Hugging Face checkpoint (hub id or local folder) for
    token classification -> (backend name, its settings)."""
    settings = dict(settings or {})
    if base == "crf":
        return "crf", settings
    return "transformer", {**settings, "base": base}


def make_extractor(base: str, labels: Sequence[str], settings: dict[str, Any] | None = None) -> Extractor:
    """An untrained extractor for ``base`` (see ``backend_settings``)."""
    backend, settings = backend_settings(base, settings)
    return backend_class(backend)(labels, settings)


def train_extractor(
    records: Sequence[AnnotatedText],
    out: str | Path,
    *,
    base: str = "crf",
    labels: Sequence[str] = ENTITY_LABELS,
    eval_records: Sequence[AnnotatedText] | None = None,
    eval_fraction: float = 0.2,
    seed: int = 0,
    settings: dict[str, Any] | None = None,
    leave_one_doc_out: bool = False,
    sources: Sequence[str] = (),
    eval_sources: Sequence[str] = (),
    progress: Progress | None = None,
    unlabelled: Sequence[str] = (),
) -> TrainResult:
    """Train on ``records``, evaluate, save to ``out``.

    Evaluation is on ``eval_records`` when given, else on held-out documents;
    ``leave_one_doc_out`` also scores each document left out in turn (saved
    in ``metrics.json``). ``sources``/``eval_sources`` name where the records
    came from, for the model card. ``unlabelled`` texts feed the crf's word
    clusters (``toolkit.extractor.clusters``). Raises ``ExtractorError`` when training
    cannot start (no labels, one document for leave-one-document-out, an
    unloadable base model); nothing is written then.
    """
    say = progress or (lambda _m: None)
    labels = list(labels)
    if leave_one_doc_out:
        require_documents(records)
    if eval_records is not None:
        train, test = list(records), list(eval_records)
    else:
        train, test = split_by_doc(records, eval_fraction, seed)
    if not any(r.spans for r in train):
        raise ExtractorError(f"the training texts hold no {'/'.join(labels)} spans; label some entities first")
    say(
        f"train: {len(train)} texts from {len({r.doc for r in train})} documents; "
        f"eval: {len(test)} texts from {len({r.doc for r in test})} documents"
    )
    ext = make_extractor(base, labels, settings)
    t0 = time.perf_counter()
    if unlabelled and backend_settings(base)[0] != "crf":
        raise ExtractorError("unlabelled text is used by the crf backend only (its word clusters); drop --unlabelled")
    if unlabelled:
        ext.fit(train, seed=seed, progress=say, unlabelled=unlabelled)  # type: ignore[call-arg]
    else:
        ext.fit(train, seed=seed, progress=say)
    secs = time.perf_counter() - t0
    path = ext.save(out)
    metrics: dict[str, Any] = {"model": ext.version, "train_seconds": round(secs, 2), "seed": seed}
    if test:
        say("evaluating")
        metrics["eval"] = evaluate_extractor(ext, test)
    metrics["data"] = describe(train, test)
    if leave_one_doc_out:
        backend, loo_settings = backend_settings(base, settings)
        metrics["leave_one_doc_out"] = score_leave_one_doc_out(
            records, labels, backend, loo_settings, seed=seed, progress=say
        )
    atomic_write_text(path / "metrics.json", json.dumps(metrics, ensure_ascii=False, indent=2) + "\n")
    card = model_card(ext, metrics, sources, eval_sources if eval_records is not None else None)
    atomic_write_text(path / "README.md", card)
    return TrainResult(path=path, version=ext.version, metrics=metrics, train_seconds=secs)


def describe(train: Sequence[AnnotatedText], test: Sequence[AnnotatedText]) -> dict[str, Any]:
    def part(recs: Sequence[AnnotatedText]) -> dict[str, Any]:
        return {
            "texts": len(recs),
            "documents": sorted({r.doc for r in recs}),
            "spans": dict(sorted(Counter(s.label for r in recs for s in r.spans).items())),
            "languages": dict(sorted(Counter(r.lang for r in recs).items())),
        }

    return {"train": part(train), "eval": part(test)}


def model_card(
    ext: Extractor, metrics: dict[str, Any], sources: Sequence[str], eval_sources: Sequence[str] | None
) -> str:
    """The model folder's README.md; ``eval_sources`` None: evaluated on held-out documents."""
    data = metrics["data"]
    langs = sorted(set(data["train"]["languages"]) | set(data["eval"]["languages"]))
    lines = [
        f"# {ext.name}",
        "",
        f"An entity extractor trained by `toolkit train` ({ext.backend} backend). Version `{ext.version}`.",
        "",
        "## Use",
        "",
        "```",
        f"toolkit extract INPUT --model {ext.name}",
        f"toolkit push RUN_DIR --project NAME --model {ext.name}",
        "```",
        "",
        "## Data",
        "",
        f"- training data: {', '.join(sources) or 'labelled texts handed over in code'}",
        "- evaluation: "
        + (
            "held-out documents of the same data (split by document)"
            if eval_sources is None
            else ", ".join(eval_sources) or "a separate set of labelled texts"
        ),
        f"- train: {data['train']['texts']} texts, {len(data['train']['documents'])} documents, spans {data['train']['spans']}",
        f"- eval: {data['eval']['texts']} texts, {len(data['eval']['documents'])} documents, spans {data['eval']['spans']}",
        "",
        "## Labels and languages",
        "",
        f"- labels: {', '.join(ext.labels)} (figures come from the rule-based figure finder at extract time)",
        f"- languages: {', '.join(langs)}",
        "",
        "## Settings",
        "",
        "```json",
        json.dumps({"backend": ext.backend, **ext.settings, "seed": metrics["seed"]}, ensure_ascii=False, indent=2),
        "```",
        "",
        f"Training took {metrics['train_seconds']} s.",
        "",
        "## Scores",
        "",
    ]
    if "eval" in metrics:
        lines += [
            "Strict entity-level precision/recall/F1 (seqeval, IOB2) on the evaluation texts, with each F1's"
            " 95% bootstrap interval (1,000 resamples of the texts; `*_ci` in metrics.json):",
            "",
            "```",
            format_table(metrics["eval"]),
            "```",
        ]
    else:
        lines.append("No evaluation set (a single document and no `--eval`): no scores.")
    if "leave_one_doc_out" in metrics:
        lines += [
            "",
            "Leave-one-document-out (train on all documents but one, tag it, each in turn; scored together):",
            "",
            "```",
            format_table(metrics["leave_one_doc_out"]),
            "```",
        ]
    lines += ["", "## Versions", "", "```json", json.dumps(library_versions(), indent=2), "```", ""]
    return "\n".join(lines)
