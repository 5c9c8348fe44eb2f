"""`toolkit glossary LABELS.json --out FILE.tsv`: names that reviewed translations kept -> a glossary."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.checks.glossary import build_glossary
from toolkit.cli.app import EXIT_PARTIAL, app, fail, info, warn
from toolkit.display import shown
from toolkit.io.atomic import atomic_write_text
from toolkit.studio.export import read_export


@app.command("glossary")
def glossary_command(
    labels: Path = typer.Argument(..., help="A Label Studio JSON export (`toolkit pull --format json`)."),
    out: Path = typer.Option(..., "--out", "-o", help="The glossary to write (TSV)."),
) -> None:
    """Build a glossary from labels: the names whose reviewed translation keeps them."""
    records, _ = read_export(labels)
    glossary = build_glossary(records)
    for problem in glossary.problems:  # entries no file can hold (an unknown language): left out
        warn(shown(problem))
    try:
        atomic_write_text(out, glossary.to_tsv())
    except OSError as e:
        fail(f"{shown(out)}: cannot be written ({e.strerror or e})")
    keep = sum(1 for e in glossary.entries if e.keep)
    info(
        f"{len(glossary)} entries ({keep} do-not-translate) from {len(records)} texts; "
        f"wrote {shown(out)} (sha256 {glossary.sha256[:12]})"
    )
    if glossary.problems:
        raise typer.Exit(EXIT_PARTIAL)
