"""``push``: a run folder -> a Label Studio project, idempotently.

The library function behind ``toolkit push``; callable from notebooks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from toolkit.studio.client import PushSummary, StudioClient, resolve_credentials
from toolkit.studio.config import save_config
from toolkit.studio.tasks import Predictor, default_figure_finder, iter_tasks, load_run

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parents[2] / "annotations"


def load_predictor(model: str | Path | None) -> Predictor:
    """A trained extractor from ``model`` (``toolkit.extractor.load_extractor``), else the rule guesser."""
    if model is None:
        from toolkit.extractor.rules import RuleGuesser

        return RuleGuesser()
    try:
        from toolkit.extractor import load_extractor  # type: ignore[attr-defined]
    except ImportError:
        raise ValueError(
            "this toolkit has no trained-extractor loader yet (toolkit.extractor.load_extractor); push without --model"
        ) from None
    return load_extractor(model)


def push_run(
    run_dir: str | Path,
    project: str,
    model: str | Path | None = None,
    config_dir: str | Path = DEFAULT_CONFIG_DIR,
    batch_size: int = 200,
    data_dir: str | Path | None = None,
    progress: Callable[[int], None] | None = None,
    timeout: float = 120.0,
    retries: int = 3,
) -> PushSummary:
    """Push the run in ``run_dir`` to the project titled ``project`` (created if missing).

    Raises ``RunFolderError`` for a folder that is not a run and
    ``StudioError`` when Label Studio cannot be used; bad bitext lines are
    skipped and listed in ``summary.errors``. ``timeout`` bounds each
    request (seconds); failed requests are tried ``retries`` times in all.
    """
    run = load_run(run_dir)
    predictor = load_predictor(model)
    _, xml = save_config(run.targets, config_dir)
    client = StudioClient(resolve_credentials(data_dir), batch_size=batch_size, retries=retries, timeout=timeout)
    client.check()
    proj, created = client.ensure_project(
        project, xml, description=f"toolkit run {run.name} ({run.model or 'model unknown'})"
    )
    errors: list[str] = []
    summary = client.push(proj, iter_tasks(run, predictor, default_figure_finder(), errors), progress=progress)
    summary.created_project = created
    summary.errors = errors
    return summary
