"""``push``: a run folder -> a Label Studio project, idempotently.

The library function behind ``toolkit push``; callable from notebooks. The
entity predictor and the figure finder are handed in (``toolkit push``
composes the rule guesser or a trained extractor with
``toolkit.figures.extract_figures``), so that this room knows no extractor;
so is the ranker that gives each task its priority (``toolkit.select``).

``order="priority"`` imports the most useful tasks first. The run is streamed
twice over: each task's Label Studio JSON is spooled to a temporary file and
only (priority, position, offset) keys are kept and sorted in memory, so a run
of 100k tasks costs a few megabytes of keys, not 100k tasks.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from toolkit.run import Run, load_run
from toolkit.studio import server
from toolkit.studio.client import PushSummary, StudioClient, resolve_credentials
from toolkit.studio.config import save_config
from toolkit.studio.contract import PRIORITY
from toolkit.studio.tasks import FigureFinder, Predictor, Ranker, iter_tasks

ORDERS = ("document", "priority")


def by_priority(tasks: Iterable[dict[str, Any]], spool_dir: str | Path | None = None) -> Iterator[dict[str, Any]]:
    """``tasks`` again, highest ``data.priority`` first (ties and tasks without one keep their order).

    Tasks wait in a temporary file, one JSON line each; memory holds three
    numbers per task (see the module doc).
    """
    keys: list[tuple[float, int, int]] = []
    with tempfile.TemporaryFile(mode="w+b", dir=spool_dir) as spool:
        for i, task in enumerate(tasks):
            keys.append((-float(task["data"].get(PRIORITY) or 0.0), i, spool.tell()))
            spool.write(json.dumps(task, ensure_ascii=False).encode("utf-8") + b"\n")
        keys.sort()
        for _, _, offset in keys:
            spool.seek(offset)
            yield json.loads(spool.readline())


def config_folder(data_dir: str | Path | None = None) -> Path:
    """Where push keeps a copy of the labeling config it sends: the data
    folder of `toolkit studio start` (``.studio/labeling`` in a checkout, git-ignored),
    as what a command writes belongs to its data, not among the sources."""
    return (Path(data_dir) if data_dir is not None else server.default_data_dir()) / "labeling"


def project_description(run: Run) -> str:
    """What the project says it holds: the run and the model that translated it."""
    return f"toolkit run {run.name} ({run.model})"


def push_run(
    run: Run | str | Path,
    project: str,
    predictor: Predictor | None = None,
    figure_finder: FigureFinder | None = None,
    config_dir: str | Path | None = None,
    batch_size: int = 200,
    data_dir: str | Path | None = None,
    progress: Callable[[int], None] | None = None,
    timeout: float = 120.0,
    retries: int = 3,
    ranker: Ranker | None = None,
    order: str = "document",
) -> PushSummary:
    """Push ``run`` (an opened run or its folder) to the project titled ``project`` (created if missing).

    ``predictor`` makes the entity pre-annotations and ``figure_finder`` the
    figures of texts whose record carries none; without them the tasks carry
    only the run's own figures. Raises ``RunFolderError`` for a folder that
    is not a run and ``StudioError`` when Label Studio cannot be used; bad
    bitext lines are skipped and listed in ``summary.errors``. ``timeout``
    bounds each request (seconds); failed requests are tried ``retries``
    times in all. ``ranker`` (``toolkit.select.make_ranker``) gives every
    task ``priority`` and ``priority_why``; ``order`` is "document" (the
    run's order) or "priority" (most useful first: needs the ranker).
    The labeling config is saved under ``config_dir``: by default the data
    folder's ``labeling/`` (``config_folder``), never the source checkout.
    """
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; use one of {', '.join(ORDERS)}")
    if order == "priority" and ranker is None:
        raise ValueError("order='priority' needs a ranker (toolkit.select.make_ranker)")
    if not isinstance(run, Run):
        run = load_run(run)
    _, xml = save_config(run.targets, config_folder(data_dir) if config_dir is None else config_dir)
    client = StudioClient(resolve_credentials(data_dir), batch_size=batch_size, retries=retries, timeout=timeout)
    client.check()
    proj, created = client.ensure_project(project, xml, description=project_description(run))
    errors: list[str] = []
    tasks = iter_tasks(run, predictor, figure_finder, errors, ranker)
    summary = client.push(proj, by_priority(tasks) if order == "priority" else tasks, progress=progress)
    summary.created_project = created
    summary.errors = errors
    return summary
