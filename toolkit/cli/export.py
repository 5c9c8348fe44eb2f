"""`toolkit export RUN --format parquet|dataset --out DIR`: a run's records as a table for data work."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.app import EXIT_PARTIAL, app, fail, info, warn
from toolkit.display import shown


@app.command()
def export(
    run: Path = typer.Argument(..., help="Run folder written by `toolkit translate`."),
    fmt: str = typer.Option("dataset", "--format", "-f", help="parquet (OUT/bitext.parquet) or dataset."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write (a datasets.load_from_disk folder)."),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it exists."),
) -> None:
    """Export RUN's records as Parquet or a Hugging Face dataset with typed features."""
    from toolkit.io.export import ExportError, export_records
    from toolkit.run import RunFolderError, iter_records, load_run

    errors: list[str] = []  # a damaged line costs that line: said below, exit 1
    try:
        opened = load_run(run)
        records = iter_records(opened, errors)
        written = export_records(
            records, opened.targets, fmt, out, signature=opened.info.signature, force=force, source=run
        )
    except (ExportError, RunFolderError) as e:
        fail(shown(e))
    for err in errors:
        warn(shown(err))
    info(f"wrote {shown(written)}" + (f" ({len(errors)} damaged lines left out)" if errors else ""))
    if errors:
        raise typer.Exit(EXIT_PARTIAL)
