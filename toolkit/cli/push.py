"""`toolkit push RUN_DIR --project NAME`: a translation run -> Label Studio tasks with pre-annotations.

The command composes what ``toolkit.studio`` is handed: the entity predictor
(the rule guesser, or the trained extractor of ``--model``) and the figure
finder, as spaCy's CLI composes its pipeline; the studio room knows neither.
It also hands push the ranker of ``toolkit.select``, so that every task
carries its ``priority`` and ``priority_why``.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from toolkit.cli.app import EXIT_PARTIAL, app, info, warn
from toolkit.display import counted, shown
from toolkit.run import load_run
from toolkit.studio.push import ORDERS, push_run

#: The import orders of ``toolkit.studio.push.ORDERS`` as a typer choice.
Order = Enum("Order", {o: o for o in ORDERS}, type=str)


@app.command()
def push(
    run_dir: Path = typer.Argument(..., help="Run folder written by `toolkit translate` (bitext.jsonl + run.json)."),
    project: str = typer.Option(
        ..., "--project", "-p", help="Project title (created when no project has exactly this title)."
    ),
    model: Path | None = typer.Option(
        None, "--model", "-m", help="Trained extractor for entity pre-annotations (default: rules)."
    ),
    batch_size: int = typer.Option(200, "--batch-size", min=1, help="Tasks per import request."),
    config_dir: Path | None = typer.Option(
        None, "--config-dir", help="Where to save the labeling config (default: the data folder's labeling/)."
    ),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Data folder of `toolkit studio start` (when not using LABEL_STUDIO_URL)."
    ),
    timeout: float = typer.Option(
        120.0, "--timeout", min=1.0, help="Seconds to wait for each request; failed ones are tried 3 times."
    ),
    order: Order = typer.Option(  # type: ignore[valid-type]
        "document", "--order", help="Import order: document, or priority (most useful tasks first)."
    ),
) -> None:
    """Push a run's translated sentences to Label Studio; again later, only what is new."""
    # Imported here, not at the top: every command of the CLI would pay for them.
    from toolkit.figures import extract_figures
    from toolkit.select import load_predictor, make_ranker

    run = load_run(run_dir)  # before loading a model: a wrong folder is said at once
    predictor = load_predictor(model)
    s = push_run(
        run,
        project,
        predictor=predictor,
        ranker=make_ranker(predictor),
        order=order.value,
        figure_finder=extract_figures,
        config_dir=config_dir,
        batch_size=batch_size,
        data_dir=data_dir,
        timeout=timeout,
    )
    for err in s.errors:
        warn(err)
    if s.kept_annotated:
        warn(f"{counted(s.kept_annotated, 'annotated task')} whose texts changed in this run were left as they are")
    made = "created" if s.created_project else "found"
    info(f"project {project!r} {made}: added {s.added}, skipped {s.skipped} (already there), updated {s.updated}")
    typer.echo(shown(s.project_url))
    if s.errors:
        raise typer.Exit(EXIT_PARTIAL)
