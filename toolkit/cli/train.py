"""`toolkit train`: train an entity extractor on Label Studio exports."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from toolkit.cli.app import EXIT_PARTIAL, app, fail, info, warn


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
    batch_size: int = typer.Option(8, "--batch-size", help="Transformer: batch size."),
    learning_rate: float = typer.Option(5e-5, "--lr", help="Transformer: learning rate."),
    max_length: int = typer.Option(
        256, "--max-length", help="Transformer: tokens per window (long texts are windowed with a stride)."
    ),
    c1: float = typer.Option(0.05, "--c1", help="CRF: L1 regularisation."),
    c2: float = typer.Option(0.05, "--c2", help="CRF: L2 regularisation."),
    features: str = typer.Option(
        "full", "--features", help="CRF: 'full' (cross-language cues) or 'shape' (plain word-shape baseline)."
    ),
    leave_one_doc_out: bool = typer.Option(
        False, "--leave-one-doc-out", help="Also score by leaving each document out in turn (saved in metrics.json)."
    ),
) -> None:
    """Train an extractor for PER/ORG/LOC, evaluate it and write MODEL/{extractor.json,metrics.json,README.md}."""
    from toolkit.extractor.base import ExtractorError
    from toolkit.extractor.evaluation import format_table
    from toolkit.extractor.train import read_exports, train_extractor
    from toolkit.records import ALL_LABELS
    from toolkit.studio.export import ExportError

    label_list = [x.strip() for x in labels.split(",") if x.strip()]
    if not label_list:
        fail("--labels is empty; give e.g. --labels PER,ORG,LOC")
    unknown = [x for x in label_list if x not in ALL_LABELS]
    if unknown:
        warn(f"labels {unknown} are not toolkit labels; they will be learned if the export has them")
    if base == "crf":
        settings = {"c1": c1, "c2": c2, "features": features}
    else:
        settings = {
            "epochs": epochs,
            "batch_size": batch_size,
            "learning_rate": learning_rate,
            "max_length": max_length,
        }
    try:
        result = train_extractor(
            exports,
            out,
            base=base,
            labels=label_list,
            eval_exports=eval_export or None,
            eval_fraction=eval_fraction,
            seed=seed,
            settings=settings,
            progress=info,
        )
    except (ExportError, ExtractorError) as e:
        fail(str(e))
    for s in result.skipped_files:
        warn(f"skipped {s}")
    info(f"saved {result.path} ({result.version}), trained in {result.train_seconds:.1f} s")
    if "eval" in result.metrics:
        typer.echo(format_table(result.metrics["eval"]))
    else:
        warn("no evaluation set (one document only and no --eval): no scores")
    if leave_one_doc_out:
        from toolkit.extractor.crossval import leave_one_doc_out as loo

        records, _ = read_exports(exports, label_list)
        backend = "crf" if base == "crf" else "transformer"
        settings = settings if base == "crf" else {**settings, "base": base}
        scores = loo(records, label_list, backend, settings, seed=seed, progress=info)
        typer.echo("leave-one-document-out:")
        typer.echo(format_table(scores))
        metrics_path = result.path / "metrics.json"
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
        metrics["leave_one_doc_out"] = scores
        from toolkit.io.atomic import atomic_write_text

        atomic_write_text(metrics_path, json.dumps(metrics, ensure_ascii=False, indent=2) + "\n")
    if result.skipped_files:
        raise typer.Exit(EXIT_PARTIAL)
