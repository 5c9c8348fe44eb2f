"""`toolkit serve MODEL_DIR`: the extractor as a Label Studio ML backend that learns from annotations.

A thin command over ``toolkit.backend.service``; see docs/BACKEND.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from toolkit.cli.app import app, fail, info

AUTH_ENV = "TOOLKIT_BACKEND_AUTH"


def read_secret(auth_file: Path | None) -> str | None:
    """The backend's secret: the first line of ``auth_file``, else $TOOLKIT_BACKEND_AUTH, else None."""
    if auth_file is not None:
        try:
            lines = auth_file.read_text(encoding="utf-8").splitlines()
        except OSError as e:
            fail(f"{auth_file}: cannot be read ({e.strerror or e})")
        if not lines or not lines[0].strip():
            fail(f"{auth_file}: empty; write USER:PASSWORD (or a token) on its first line")
        return lines[0]
    return os.environ.get(AUTH_ENV) or None


@app.command()
def serve(
    model_dir: Path = typer.Argument(..., help="Trained extractor folder (`toolkit train --out`)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; other than loopback needs a secret."),
    port: int = typer.Option(9090, "--port", "-p", help="Port."),
    data: Path | None = typer.Option(
        None, "--data", help="The backend's folder: training set, retrained models (default: MODEL_DIR-backend)."
    ),
    studio_data_dir: Path | None = typer.Option(
        None, "--studio-data-dir", help="Data folder of `toolkit studio start`, to pull annotated tasks from."
    ),
    auth_file: Path | None = typer.Option(
        None, "--auth-file", help=f"File whose first line is USER:PASSWORD or a token (else ${AUTH_ENV})."
    ),
    debounce: float = typer.Option(
        5.0, "--debounce", min=0.0, help="Seconds without new annotations before a retrain."
    ),
    max_wait: float = typer.Option(60.0, "--max-wait", min=0.0, help="Retrain at the latest this long after a change."),
    seed: list[Path] = typer.Option(
        [], "--seed", help="Label Studio JSON export(s) the model was trained on: kept in every retrain."
    ),
    refresh_limit: int = typer.Option(
        500, "--refresh-limit", min=0, help="After a retrain, ask Label Studio for new predictions on this many tasks."
    ),
) -> None:
    """Serve a trained extractor to Label Studio and retrain it from submitted annotations."""
    from toolkit.backend.app import Auth
    from toolkit.backend.service import build, run

    secret = read_secret(auth_file)
    backend = build(
        model_dir,
        data,
        host=host,
        auth=Auth.parse(secret) if secret is not None else None,
        studio_data_dir=studio_data_dir,
        debounce=debounce,
        max_wait=max_wait,
        seed_exports=seed,
        refresh_limit=refresh_limit,
    )
    info(f"serving {backend.learner.served.version} at http://{host}:{port} (data in {backend.home.root})")
    info(f"connect it: toolkit studio connect --project NAME --backend http://{host}:{port}")
    run(backend, host, port)
