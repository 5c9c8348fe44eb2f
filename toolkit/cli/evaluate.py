"""`toolkit evaluate`: score a trained model, or the rule guesser, on gold exports, without training.

The command reads the exports as ``toolkit train`` does (``toolkit.cli.train.read_exports``:
a bad export or task is one line naming the file and task, the rest goes on)
and hands the records to ``toolkit.extractor.evaluation``, which knows no
export format.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from toolkit.cli.app import EXIT_PARTIAL, app, fail, info, warn
from toolkit.display import shown_lines

RULES = "rules"


@app.command()
def evaluate(
    model: str = typer.Argument(
        ...,
        help="A model folder written by `toolkit train` (./rules for a folder of that name), or 'rules' for the rule guesser.",
    ),
    exports: list[Path] = typer.Argument(..., help="Gold Label Studio JSON exports to score on."),
    json_out: Path = typer.Option(None, "--json", help="Also write the scores to this JSON file."),
    labels: str = typer.Option(
        None, "--labels", help="Comma-separated labels to score (default: the model's; rules: PER,ORG,LOC)."
    ),
    errors: bool = typer.Option(
        False, "--errors", help="Also list every missed and wrong span (~: overlaps one of its label)."
    ),
    resolve: str = typer.Option(
        "latest", "--resolve", help="Which annotation of a task is gold: latest, majority, reviewed or annotator:EMAIL."
    ),
) -> None:
    """Strict (exact span) and overlap P/R/F1 per label, per language and overall; exit 1 when an export was skipped."""
    from toolkit.cli.train import read_exports
    from toolkit.extractor.base import ExtractorError, load_extractor
    from toolkit.extractor.evaluation import (
        evaluate_predictions,
        format_errors,
        format_evaluation,
        model_predictions,
        rule_predictions,
        span_errors,
    )
    from toolkit.io.atomic import atomic_write_text
    from toolkit.records import ENTITY_LABELS

    extractor = None
    if model != RULES:
        try:
            extractor = load_extractor(Path(model))
        except ExtractorError as e:
            fail(str(e))
    if labels is not None:
        label_list = [x.strip() for x in labels.split(",") if x.strip()]
        if not label_list:
            fail("--labels is empty; give e.g. --labels PER,ORG,LOC")
    else:
        label_list = list(extractor.labels) if extractor is not None else list(ENTITY_LABELS)
    records, skipped = read_exports(exports, label_list, resolve)
    for line in skipped:
        warn(f"skipped {line}")
    if not records:
        fail("no gold text to score: " + ("; ".join(skipped) or "the exports hold no annotated task"))
    predicted = rule_predictions(records) if extractor is None else model_predictions(extractor, records)
    result = evaluate_predictions(records, predicted, label_list)
    result["model"] = RULES if extractor is None else str(model)
    result["version"] = "rules" if extractor is None else extractor.version
    result["exports"] = [str(p) for p in exports]
    result["labels"] = label_list
    result["skipped"] = skipped
    if errors:
        result["errors"] = span_errors(records, predicted, label_list)
    info(f"{result['model']} on {result['texts']} gold texts ({', '.join(label_list)})")
    typer.echo(shown_lines(format_evaluation(result)))  # labels and span texts are the exports'
    if errors:
        typer.echo(shown_lines(format_errors(result["errors"])))
    if json_out is not None:
        atomic_write_text(json_out, json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        info(f"scores written to {json_out}")
    if skipped:
        raise typer.Exit(EXIT_PARTIAL)
