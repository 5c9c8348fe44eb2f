"""`toolkit rank RUN --model M`: the run's tasks, most useful to label first (``toolkit.select``)."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.app import EXIT_PARTIAL, app, warn
from toolkit.display import json_line, shown


@app.command()
def rank(
    run_dir: Path = typer.Argument(..., help="Run folder written by `toolkit translate`."),
    model: Path | None = typer.Option(
        None,
        "--model",
        "-m",
        help="Trained extractor whose uncertainty counts (default: rules: flags and disagreement only).",
    ),
    top: int = typer.Option(0, "--top", min=0, help="Print only the N most useful tasks (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line (record_id, priority, why, signals)."),
) -> None:
    """Print record id, priority and why for every task of a run, most useful first."""
    from toolkit.select import rank_run

    errors: list[str] = []
    ranked = rank_run(run_dir, model=model, errors=errors)
    for err in errors:
        warn(shown(err))
    for p in ranked[: top or None]:
        if as_json:
            typer.echo(
                json_line({"record_id": p.record_id, "priority": p.priority, "why": p.why, "signals": p.signals})
            )
        else:
            typer.echo(f"{shown(p.record_id)}\t{p.priority:.4f}\t{shown(p.why)}")
    if errors:
        raise typer.Exit(EXIT_PARTIAL)
