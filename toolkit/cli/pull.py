"""`toolkit pull --project NAME --out FILE`: annotated tasks -> checked export, records, BIO or a dataset."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.app import EXIT_PARTIAL, app, fail, info, warn
from toolkit.cli.out_path import check_writable
from toolkit.display import counted, shown
from toolkit.studio.pull import FORMATS, pull_project


@app.command()
def pull(
    project: str = typer.Option(..., "--project", "-p", help="Project title (exact)."),
    out: Path = typer.Option(..., "--out", "-o", help="File to write (a folder for --format dataset)."),
    fmt: str = typer.Option("json", "--format", "-f", help=f"One of: {', '.join(FORMATS)}."),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Data folder of `toolkit studio start` (when not using LABEL_STUDIO_URL)."
    ),
    timeout: float = typer.Option(
        120.0, "--timeout", min=1.0, help="Seconds to wait for each request; failed ones are tried 3 times."
    ),
    project_labels: bool = typer.Option(
        False, "--project-labels", help="Carry source spans onto translations left unlabelled (marked as projected)."
    ),
) -> None:
    """Export a project's annotated tasks, checking every labelled span against its text."""
    if fmt not in FORMATS:
        fail(f"unknown --format {fmt!r}; use one of {', '.join(FORMATS)}")
    check_writable(out)  # before the server is asked for anything
    if project_labels:
        from toolkit.studio.project_labels import pull_projected

        s, proj = pull_projected(project, out, fmt=fmt, data_dir=data_dir, timeout=timeout)
        info(
            f"projected {proj.spans} source spans onto {proj.filled} unlabelled translations ({proj.kept} kept as labelled)"
        )
        for line in proj.problems:
            warn(shown(line))
    else:
        s = pull_project(project, out, fmt=fmt, data_dir=data_dir, timeout=timeout)
    if s.no_emails:
        warn(f"annotators are named by user id only (the user list could not be read: {shown(s.no_emails)})")
    for line in s.bad_tasks:
        warn(f"{shown(line)}: left out; fix it in Label Studio and pull again")
    if s.converted:
        info(f"{counted(s.converted, 'span')} had UTF-16 offsets and were converted to code points")
    info(
        f"{counted(s.tasks, 'annotated task')}, {counted(s.spans, 'span')} checked, "
        f"{counted(len(s.bad_tasks), 'task')} left out; wrote {counted(s.written, 'task' if fmt == 'json' else 'text')} "
        f"to {shown(out)}"
    )
    if s.bad_tasks:
        raise typer.Exit(EXIT_PARTIAL)
