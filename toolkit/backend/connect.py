"""``toolkit studio connect``: register a running backend with a project and turn predictions on.

What it does, in order, each said by the command:

1. asks the backend's ``/health`` (with its secret) for the version it serves,
   so a wrong URL fails here, not silently inside Label Studio;
2. registers it with the project (``ml.create``; one already registered at
   that URL is kept), with HTTP Basic auth when the secret is USER:PASSWORD;
3. sets the project to fetch and show predictions
   (``show_collab_predictions=True``) of the backend (``model_version`` = its
   title, so Label Studio asks it when a task is opened);
4. asks for the backend's predictions on the project's tasks (the data
   manager's "Retrieve Predictions", up to ``limit`` tasks): tasks pushed
   with the rule guesser's static predictions would otherwise never reach the
   backend, since Label Studio asks only for tasks without any prediction.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.backend.app import Auth
from toolkit.studio.client import StudioClient, StudioError, resolve_credentials

TITLE = "toolkit"


@dataclass
class Connected:
    project_id: int
    backend_id: int
    created: bool
    model_version: str
    retrieved: int = 0
    notes: list[str] = field(default_factory=list)


def backend_health(url: str, auth: Auth | None, timeout: float = 5.0) -> dict:
    """The backend's ``/health``; ``StudioError`` saying what to do when it does not answer as a backend."""
    import base64

    req = urllib.request.Request(url.rstrip("/") + "/health")
    if auth is not None and auth.user:
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{auth.user}:{auth.password}".encode()).decode())
    elif auth is not None:
        req.add_header("Authorization", f"Bearer {auth.token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 (the URL the user gave)
            body = json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        why = (
            "refused the secret: pass the same --auth-file as `toolkit serve`"
            if e.code == 401
            else f"answered {e.code}"
        )
        raise StudioError(f"the backend at {url} {why}") from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise StudioError(f"no ML backend answers at {url} ({e}): start it with `toolkit serve MODEL_DIR`") from None
    if not isinstance(body, dict) or body.get("status") != "UP":
        raise StudioError(f"{url}/health did not answer as an ML backend: is the URL `toolkit serve`'s?")
    return body


def connect(
    project: str,
    backend_url: str,
    auth: Auth | None = None,
    data_dir: str | Path | None = None,
    limit: int = 1000,
    timeout: float = 120.0,
) -> Connected:
    health = backend_health(backend_url, auth)
    client = StudioClient(resolve_credentials(data_dir), timeout=timeout)
    client.check()
    proj = client.find_project(project)
    if proj is None:
        raise StudioError(f"no project is titled {project!r} on {client.shown_url}: push a run first (`toolkit push`)")
    basic = (auth.user, auth.password) if auth is not None and auth.user else None
    ml, created = client.connect_ml_backend(proj.id, backend_url, TITLE, basic)
    got = Connected(proj.id, ml.id, created, str(health.get("model_version", "")))
    if auth is not None and not auth.user:
        got.notes.append(
            "Label Studio sends HTTP Basic auth only: a token-guarded backend refuses it (use USER:PASSWORD)"
        )
    client.show_predictions_of(proj.id, ml.title or TITLE)
    ids = client.task_ids(proj.id)[:limit] if limit > 0 else []
    for i in range(0, len(ids), 50):
        client.retrieve_predictions(proj.id, ids[i : i + 50])
    got.retrieved = len(ids)
    return got
