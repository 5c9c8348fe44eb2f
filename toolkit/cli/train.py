"""`toolkit train`: train an entity extractor on Label Studio exports.

The command reads the exports (``toolkit.studio.export``) into records and
hands them to ``toolkit.extractor.train.train_extractor``, which knows no
export format.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from toolkit.cli.app import EXIT_PARTIAL, app, fail, info, warn
from toolkit.cli.out_path import check_writable
from toolkit.display import shown
from toolkit.extractor.crf import FEATURE_SETS
from toolkit.records import ALL_LABELS, AnnotatedText

if TYPE_CHECKING:
    from toolkit.extractor.train import TrainResult

FeatureSet = Enum("FeatureSet", {f: f for f in FEATURE_SETS}, type=str)  # type: ignore[misc]


def read_exports(
    paths: list[Path], labels: list[str], resolve: str = "latest"
) -> tuple[list[AnnotatedText], list[str]]:
    """Records of every readable export, one annotation per task by ``resolve``; the rest listed.

    The list holds "FILE: reason" for an unreadable export and "FILE: task 7:
    reason" for a bad or unresolvable task; duplicate tasks (used once) and
    tasks whose annotators disagree are printed, not skipped.
    """
    from toolkit.studio.export import read_exports as read_all

    batch = read_all(paths, labels, rule=resolve)  # an unknown rule is a RuleError: one line, exit 2
    for name, stats in batch.stats:
        dropped = f", dropped labels {dict(stats.dropped_labels)}" if stats.dropped_labels else ""
        info(
            f"{name}: {stats.annotated}/{stats.tasks} tasks annotated ({stats.skipped_unannotated} without, "
            f"{len(stats.bad_tasks)} bad), "
            f"{stats.annotations} annotations, {stats.records} texts, {stats.spans} spans{dropped}"
        )
    for line in batch.duplicates:
        info(shown(line))  # record ids and e-mails are the export's: escaped (toolkit.display)
    if batch.disagreements:
        info(f"{len(batch.disagreements)} tasks where annotators disagree (--resolve {shown(resolve)} picked one):")
        for line in batch.disagreements:
            info(f"  {shown(line)}")
    return batch.records, batch.problems


def read_unlabelled(folder: Path) -> list[str]:
    """The texts of every ``*.txt`` under ``folder``; a file that is not UTF-8 is skipped with a warning."""
    if not folder.is_dir():
        fail(f"--unlabelled {folder}: not a folder; give a folder of .txt files")
    texts = []
    for path in sorted(folder.rglob("*.txt")):
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as e:
            warn(f"--unlabelled: {path} is not UTF-8 text (byte {e.start}); skipped")
    if not texts:
        fail(f"--unlabelled {folder}: no .txt files in it")
    info(f"unlabelled: {len(texts)} texts from {folder}")
    return texts


def _label_list(labels: str) -> list[str]:
    label_list = [x.strip() for x in labels.split(",") if x.strip()]
    if not label_list:
        fail("--labels is empty; give e.g. --labels PER,ORG,LOC")
    unknown = [x for x in label_list if x not in ALL_LABELS]
    if unknown:
        warn(f"labels {unknown} are not toolkit labels; they will be learned if the export has them")
    return label_list


@app.command()
def train(
    exports: list[Path] = typer.Argument(..., help="Label Studio JSON exports to train on."),
    out: Path = typer.Option(..., "--out", help="Model folder to write, e.g. models/NAME."),
    base: str = typer.Option(
        "crf",
        "--base",
        help="'crf' (no pretrained weights), or a Hugging Face token-classification checkpoint: hub id (e.g. xlm-roberta-base) or local folder.",
    ),
    labels: str = typer.Option(
        "PER,ORG,LOC", "--labels", help="Comma-separated labels to learn; other known labels in the export are dropped."
    ),
    eval_export: list[Path] = typer.Option(
        None, "--eval", help="Export(s) to evaluate on instead of a held-out split."
    ),
    eval_fraction: float = typer.Option(
        0.2, "--eval-fraction", min=0.0, max=0.9, help="Share of documents held out for evaluation (split by document)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed for the split and the training."),
    epochs: float = typer.Option(5.0, "--epochs", help="Transformer: training epochs."),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="Transformer: batch size."),
    learning_rate: float = typer.Option(5e-5, "--lr", help="Transformer: learning rate."),
    max_length: int = typer.Option(
        256, "--max-length", help="Transformer: tokens per window (long texts are windowed with a stride)."
    ),
    c1: float = typer.Option(0.05, "--c1", help="CRF: L1 regularisation."),
    c2: float = typer.Option(0.05, "--c2", help="CRF: L2 regularisation."),
    features: FeatureSet = typer.Option(  # type: ignore[valid-type]
        "full", "--features", help="CRF: 'full' (cross-language cues) or 'shape' (plain word-shape baseline)."
    ),
    leave_one_doc_out: bool = typer.Option(
        False, "--leave-one-doc-out", help="Also score by leaving each document out in turn (saved in metrics.json)."
    ),
    unlabelled: Path = typer.Option(
        None,
        "--unlabelled",
        help="CRF: a folder of .txt files (any of the export's languages) to learn word clusters from, besides the training texts.",
    ),
    resolve: str = typer.Option(
        "latest",
        "--resolve",
        help="Which annotation of a task to train on: latest, majority, reviewed or annotator:EMAIL.",
    ),
) -> None:
    """Train an extractor for PER/ORG/LOC, evaluate it and write MODEL/{extractor.json,metrics.json,README.md}."""
    from toolkit.extractor.base import ExtractorError
    from toolkit.extractor.train import train_extractor
    from toolkit.translate.hub import looks_like_path

    label_list = _label_list(labels)
    # What can be checked is, before the exports are read and reported on:
    # a refusal is the command's one line.
    check_writable(out)
    if base != "crf" and looks_like_path(base) and not Path(base).expanduser().is_dir():
        fail(f"cannot load the base model --base {base}: no such folder; pass a model folder, a hub id, or --base crf")
    unlabelled_texts = read_unlabelled(unlabelled) if unlabelled else []
    records, skipped = read_exports(exports, label_list, resolve)
    if not records:
        fail(shown("; ".join(skipped)) or "no exports given")
    eval_records = None
    if eval_export:
        eval_records, eval_skipped = read_exports(eval_export, label_list, resolve)
        skipped += eval_skipped
        if not eval_records:
            fail("no --eval export is usable: " + shown("; ".join(eval_skipped)))
    settings: dict[str, Any] = (
        {"c1": c1, "c2": c2, "features": features.value}
        if base == "crf"
        else {"epochs": epochs, "batch_size": batch_size, "learning_rate": learning_rate, "max_length": max_length}
    )
    try:
        result = train_extractor(
            records,
            out,
            base=base,
            labels=label_list,
            eval_records=eval_records,
            eval_fraction=eval_fraction,
            seed=seed,
            settings=settings,
            leave_one_doc_out=leave_one_doc_out,
            sources=[str(p) for p in exports],
            eval_sources=[str(p) for p in eval_export or []],
            progress=info,
            unlabelled=unlabelled_texts,
        )
    except ExtractorError as e:
        fail(str(e))
    _report(result, skipped)


def _report(result: TrainResult, skipped: list[str]) -> None:
    """Warnings, the saved model and its score tables; exit 1 when an export was skipped."""
    from toolkit.extractor.evaluation import format_table

    for s in skipped:
        warn(f"skipped {shown(s)}")
    info(f"saved {result.path} ({result.version}), trained in {result.train_seconds:.1f} s")
    if "eval" in result.metrics:
        typer.echo(format_table(result.metrics["eval"]))
    else:
        warn("no evaluation set (one document only and no --eval): no scores")
    if "leave_one_doc_out" in result.metrics:
        typer.echo("leave-one-document-out:")
        typer.echo(format_table(result.metrics["leave_one_doc_out"]))
    if skipped:
        raise typer.Exit(EXIT_PARTIAL)
