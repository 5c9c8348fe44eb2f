"""`toolkit agreement EXPORT.json... [--json]`: how far annotators agree, pair by pair."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.app import EXIT_PARTIAL, app, fail, info, warn
from toolkit.display import json_line, shown


def _score(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


@app.command()
def agreement(
    exports: list[Path] = typer.Argument(..., help="Label Studio JSON exports (one project, or one per annotator)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
    labels: str = typer.Option(
        "", "--labels", help="Comma-separated labels beyond the toolkit's own that the exports may use."
    ),
) -> None:
    """Span F1 (exact and overlapping) per label and language, and Cohen's kappa over token tags, per annotator pair."""
    from toolkit.records import ALL_LABELS
    from toolkit.studio.agreement import agreement as measure

    extra = [x.strip() for x in labels.split(",") if x.strip()]
    result = measure(exports, [*ALL_LABELS, *extra])
    for line in result.problems:
        warn(f"skipped {shown(line)}")
    if not result.annotators and result.problems:
        fail("no export is usable: " + shown("; ".join(result.problems)))
    if len(result.annotators) < 2:
        who = shown(result.annotators[0]) if result.annotators else "nobody"
        info(f"only one annotator ({who}) in these exports: nothing to compare")
    if as_json:
        typer.echo(json_line(result.to_json(), indent=1))
    elif len(result.annotators) >= 2:
        typer.echo(f"annotators: {', '.join(map(shown, result.annotators))}; tasks compared: {result.tasks_compared}")
        o = result.overall
        typer.echo(f"overall: f1 {_score(o['f1'])}  overlap f1 {_score(o['overlap_f1'])}  kappa {_score(o['kappa'])}")
        for title, rows in (("label", result.labels), ("language", result.languages)):
            typer.echo(f"{title:<10} {'f1':>6} {'overlap':>8} {'n':>6}")
            for k, v in rows.items():
                typer.echo(f"{shown(k):<10} {_score(v['f1']):>6} {_score(v['overlap_f1']):>8} {v['n']:>6}")
        for p in result.pairs:
            a, b = p["annotators"]
            typer.echo(
                f"{shown(a)} vs {shown(b)}: {p['tasks']} tasks, f1 {_score(p['f1'])}, kappa {_score(p['kappa'])}"
            )
    if result.problems:
        raise typer.Exit(EXIT_PARTIAL)
