"""`toolkit studio start|stop|status`: the local Label Studio server."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.app import EXIT_PARTIAL, app, info, warn
from toolkit.display import shown
from toolkit.studio import database, server

studio_app = typer.Typer(
    help="Run a local Label Studio server (127.0.0.1; SQLite, or PostgreSQL with --database).", no_args_is_help=True
)
app.add_typer(studio_app, name="studio")

DATA_DIR_HELP = "Where the database, server state and credentials live (default: <repo>/.studio)."
DATABASE_HELP = (
    "postgresql://USER@HOST:PORT/DB: keep the data in this PostgreSQL database instead of SQLite in the data folder "
    f"(which then remembers it). No password in the URL: it comes from ${database.PASSWORD_ENV[0]}, "
    f"${database.PASSWORD_ENV[1]} or --database-password-file."
)


@studio_app.command("start")
def start(
    port: int = typer.Option(server.DEFAULT_PORT, "--port", "-p", help="Port on 127.0.0.1."),
    data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP),
    timeout: float = typer.Option(
        300.0, "--timeout", help="Seconds to wait for /health/ (the first start migrates a database)."
    ),
    database_url: str | None = typer.Option(None, "--database", help=DATABASE_HELP),
    # Named for the file, not the secret: no command takes a secret itself (tests/test_security.py).
    db_auth_file: Path | None = typer.Option(
        None, "--database-password-file", help="An owner-only file whose first line is the PostgreSQL password."
    ),
    local_ml_backend: bool = typer.Option(
        False,
        "--local-ml-backend",
        help="Let Label Studio call an ML backend on this machine (`toolkit serve`): "
        "sets ML_BLOCK_LOCAL_IP=false and SSRF_PROTECTION_ENABLED=false.",
    ),
) -> None:
    """Start Label Studio (or find it running) and print its URL."""
    db = database.parse_url(database_url) if database_url else None
    pg_auth = database.read_password(db_auth_file)
    got = server.start(
        port=port,
        data_dir=data_dir,
        timeout=timeout,
        database=db,
        database_password=pg_auth,
        local_ml_backend=local_ml_backend,
    )
    creds = server.read_credentials(got.data_dir)
    state = "already running" if got.already_running else f"started in {got.seconds:.1f}s"
    info(
        f"Label Studio {state} (pid {got.pid}){' — first start: admin user and API token created' if got.first_start else ''}"
    )
    info(f"database: {got.database}")
    if local_ml_backend and got.already_running:
        warn("--local-ml-backend: the running server keeps its settings; `toolkit studio stop` and start again")
    elif local_ml_backend:
        info(
            "local ML backend allowed: "
            + ", ".join(f"{k}={v}" for k, v in server.LOCAL_ML_ENV.items())
            + " (Label Studio may now call addresses on this machine: backends and webhooks)"
        )
    info(f"credentials (owner-only file): {got.credentials}")
    if creds is not None:
        info(f"log in as {creds.username}; the password and API token ({server.mask(creds.token)}) are in that file")
    typer.echo(shown(got.url))


@studio_app.command("stop")
def stop(data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP)) -> None:
    """Stop the local Label Studio started by `toolkit studio start`."""
    stopped = server.stop(data_dir)
    info("Label Studio stopped" if stopped else "Label Studio was not running")


@studio_app.command("status")
def status(data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP)) -> None:
    """Say whether the local Label Studio runs and answers (exit 1 if not)."""
    st = server.status(data_dir)
    if st["running"] and st["healthy"]:
        typer.echo(shown(f"running (pid {st['pid']}) at {st['url']} on {st['database']}; data in {st['data_dir']}"))
        return
    if st["running"]:
        typer.echo(
            shown(
                f"running (pid {st['pid']}) but not answering at {st['url']}; see {Path(st['data_dir']) / server.LOG_FILE}"
            )
        )
    else:
        typer.echo(shown(f"not running (data folder {st['data_dir']}); start it with `toolkit studio start`"))
    raise typer.Exit(EXIT_PARTIAL)


@studio_app.command("connect")
def connect(
    project: str = typer.Option(..., "--project", "-p", help="Project title (exactly)."),
    backend: str = typer.Option(..., "--backend", help="URL of `toolkit serve`, e.g. http://127.0.0.1:9090."),
    auth_file: Path | None = typer.Option(
        None,
        "--auth-file",
        help="The backend's secret file (as `toolkit serve --auth-file`), else $TOOLKIT_BACKEND_AUTH.",
    ),
    data_dir: Path | None = typer.Option(None, "--data-dir", help=DATA_DIR_HELP),
    limit: int = typer.Option(1000, "--retrieve", min=0, help="Ask the backend's predictions for this many tasks now."),
) -> None:
    """Connect an ML backend (`toolkit serve`) to a project: predictions on, then fetched for its tasks."""
    from toolkit.backend.app import Auth
    from toolkit.backend.connect import connect as connect_backend
    from toolkit.cli.serve import read_secret

    secret = read_secret(auth_file)
    got = connect_backend(project, backend, Auth.parse(secret) if secret else None, data_dir, limit)
    verb = "registered" if got.created else "already registered"
    info(
        f"backend {backend} {verb} with project {project!r} (ML backend id {got.backend_id}); it serves {got.model_version}"
    )
    info("project set to fetch and show the backend's predictions (show_collab_predictions, model_version)")
    info(f"asked Label Studio to retrieve predictions for {got.retrieved} tasks (Retrieve Predictions)")
    for note in got.notes:
        warn(note)
