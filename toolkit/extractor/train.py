"""Train an extractor from Label Studio exports: split, fit, score, save.

``toolkit train`` is a thin wrapper over ``train_extractor``. The model
folder gets the backend's files, ``extractor.json``, ``metrics.json`` and a
model card ``README.md``.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.extractor.base import Extractor, ExtractorError, Progress, backend_class, library_versions
from toolkit.extractor.evaluation import evaluate_extractor, format_table
from toolkit.io.atomic import atomic_write_text
from toolkit.records import ENTITY_LABELS, AnnotatedText
from toolkit.studio.export import ExportError, read_export


@dataclass
class TrainResult:
    path: Path
    version: str
    metrics: dict[str, Any]
    train_seconds: float
    skipped_files: list[str] = field(default_factory=list)  # "FILE: reason"


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


def read_exports(
    paths: Sequence[str | Path], labels: Sequence[str], progress: Progress | None = None
) -> tuple[list[AnnotatedText], list[str]]:
    """Records of every readable export; the others are listed as "FILE: reason"."""
    say = progress or (lambda _m: None)
    records: list[AnnotatedText] = []
    skipped: list[str] = []
    for p in paths:
        try:
            recs, stats = read_export(p, labels)
        except ExportError as e:
            skipped.append(str(e))
            continue
        say(
            f"{p}: {stats.annotated}/{stats.tasks} tasks annotated ({stats.skipped_unannotated} skipped), "
            f"{stats.records} texts, {stats.spans} spans"
            + (f", dropped labels {dict(stats.dropped_labels)}" if stats.dropped_labels else "")
        )
        records.extend(recs)
    return records, skipped


def make_extractor(base: str, labels: Sequence[str], settings: dict[str, Any] | None = None) -> Extractor:
    """``crf`` or a Hugging Face checkpoint (hub id or local folder) for token classification."""
    settings = dict(settings or {})
    if base == "crf":
        return backend_class("crf")(labels, settings)
    settings["base"] = base
    return backend_class("transformer")(labels, settings)


def train_extractor(
    exports: Sequence[str | Path],
    out: str | Path,
    *,
    base: str = "crf",
    labels: Sequence[str] = ENTITY_LABELS,
    eval_exports: Sequence[str | Path] | None = None,
    eval_fraction: float = 0.2,
    seed: int = 0,
    settings: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> TrainResult:
    """Train on ``exports``, evaluate, save to ``out``. Raises ``ExportError``
    when no export is usable, ``ExtractorError`` when training cannot start."""
    say = progress or (lambda _m: None)
    labels = list(labels)
    records, skipped = read_exports(exports, labels, say)
    if not records:
        raise ExportError("; ".join(skipped) or "no exports given")
    if eval_exports:
        eval_records, eval_skipped = read_exports(eval_exports, labels, say)
        skipped += eval_skipped
        train, test = records, eval_records
    else:
        train, test = split_by_doc(records, eval_fraction, seed)
    if not any(r.spans for r in train):
        raise ExtractorError(f"the training texts hold no {'/'.join(labels)} spans; label some entities first")
    say(
        f"train: {len(train)} texts from {len({r.doc for r in train})} documents; eval: {len(test)} texts from {len({r.doc for r in test})} documents"
    )
    ext = make_extractor(base, labels, settings)
    t0 = time.perf_counter()
    ext.fit(train, seed=seed, progress=say)
    secs = time.perf_counter() - t0
    path = ext.save(out)
    metrics: dict[str, Any] = {"model": ext.version, "train_seconds": round(secs, 2), "seed": seed}
    if test:
        say("evaluating")
        metrics["eval"] = evaluate_extractor(ext, test)
    metrics["data"] = describe(train, test)
    atomic_write_text(path / "metrics.json", json.dumps(metrics, ensure_ascii=False, indent=2) + "\n")
    atomic_write_text(path / "README.md", model_card(ext, metrics, exports, eval_exports))
    return TrainResult(path=path, version=ext.version, metrics=metrics, train_seconds=secs, skipped_files=skipped)


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
    ext: Extractor, metrics: dict[str, Any], exports: Sequence[str | Path], eval_exports: Sequence[str | Path] | None
) -> str:
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
        f"- training exports: {', '.join(str(p) for p in exports)}",
        f"- evaluation: {', '.join(str(p) for p in eval_exports) if eval_exports else 'held-out documents of the same exports (split by document)'}",
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
            "Strict entity-level precision/recall/F1 (seqeval, IOB2) on the evaluation texts:",
            "",
            "```",
            format_table(metrics["eval"]),
            "```",
        ]
    else:
        lines.append("No evaluation set (a single document and no `--eval`): no scores.")
    lines += ["", "## Versions", "", "```json", json.dumps(library_versions(), indent=2), "```", ""]
    return "\n".join(lines)
