"""`toolkit export RUN --format parquet|dataset --out DIR`: a run's records as a table for data work."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.app import app, fail, info


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

    try:
        opened = load_run(run)
        records = iter_records(opened)
        written = export_records(records, opened.targets, fmt, out, signature=opened.info.signature, force=force)
    except (ExportError, RunFolderError) as e:
        fail(str(e))
    info(f"wrote {written}")
