"""``push``: a run folder -> a Label Studio project, idempotently.

The library function behind ``toolkit push``; callable from notebooks. The
entity predictor and the figure finder are handed in (``toolkit push``
composes the rule guesser or a trained extractor with
``toolkit.figures.extract_figures``), so that this room knows no extractor.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from toolkit.run import Run, load_run
from toolkit.studio.client import PushSummary, StudioClient, resolve_credentials
from toolkit.studio.config import save_config
from toolkit.studio.tasks import FigureFinder, Predictor, iter_tasks

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parents[2] / "annotations"


def project_description(run: Run) -> str:
    """What the project says it holds: the run and the model that translated it."""
    return f"toolkit run {run.name} ({run.model})"


def push_run(
    run: Run | str | Path,
    project: str,
    predictor: Predictor | None = None,
    figure_finder: FigureFinder | None = None,
    config_dir: str | Path = DEFAULT_CONFIG_DIR,
    batch_size: int = 200,
    data_dir: str | Path | None = None,
    progress: Callable[[int], None] | None = None,
    timeout: float = 120.0,
    retries: int = 3,
) -> PushSummary:
    """Push ``run`` (an opened run or its folder) to the project titled ``project`` (created if missing).

    ``predictor`` makes the entity pre-annotations and ``figure_finder`` the
    figures of texts whose record carries none; without them the tasks carry
    only the run's own figures. Raises ``RunFolderError`` for a folder that
    is not a run and ``StudioError`` when Label Studio cannot be used; bad
    bitext lines are skipped and listed in ``summary.errors``. ``timeout``
    bounds each request (seconds); failed requests are tried ``retries``
    times in all.
    """
    if not isinstance(run, Run):
        run = load_run(run)
    _, xml = save_config(run.targets, config_dir)
    client = StudioClient(resolve_credentials(data_dir), batch_size=batch_size, retries=retries, timeout=timeout)
    client.check()
    proj, created = client.ensure_project(project, xml, description=project_description(run))
    errors: list[str] = []
    summary = client.push(proj, iter_tasks(run, predictor, figure_finder, errors), progress=progress)
    summary.created_project = created
    summary.errors = errors
    return summary
