"""Put a backend together and run it: what ``toolkit serve`` calls.

Label Studio credentials for pulling annotated tasks: ``LABEL_STUDIO_URL`` +
``LABEL_STUDIO_API_KEY`` or the local server of ``toolkit studio start``
(``resolve_credentials``), else the ``hostname`` and ``access_token`` Label
Studio sent in ``/setup``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.backend.app import Auth, SetupCredentials, create_app
from toolkit.backend.home import Home
from toolkit.backend.learner import Learner
from toolkit.errors import ToolkitError
from toolkit.extractor.base import MANIFEST, load_extractor
from toolkit.studio.client import StudioClient, StudioError, resolve_credentials


class BackendError(ToolkitError, ValueError):
    """The backend cannot be started as asked; the message says what to do."""


@dataclass
class Backend:
    app: object
    learner: Learner
    home: Home


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def default_home(model_dir: Path) -> Path:
    """``<model folder>-backend`` beside the model: the model folder itself is never written."""
    model_dir = Path(model_dir).resolve()
    return model_dir.parent / f"{model_dir.name}-backend"


def client_factory(studio_data_dir: str | Path | None, setup: SetupCredentials):
    def make() -> StudioClient:
        try:
            creds = resolve_credentials(studio_data_dir)
        except StudioError:
            if setup.creds is None:
                raise
            creds = setup.creds
        return StudioClient(creds, retries=1, timeout=30.0)

    return make


def build(
    model_dir: str | Path,
    data: str | Path | None = None,
    *,
    host: str = "127.0.0.1",
    auth: Auth | None = None,
    studio_data_dir: str | Path | None = None,
    debounce: float = 5.0,
    max_wait: float = 60.0,
    seed_exports: Sequence[str | Path] = (),
    refresh_limit: int = 500,
    pull: bool = True,
) -> Backend:
    """The app and its learner; ``ExtractorError`` for a model that cannot be loaded."""
    from toolkit.figures import extract_figures

    if not is_loopback(host) and auth is None:
        raise BackendError(
            f"binding to {host} (not loopback) needs a secret: set TOOLKIT_BACKEND_AUTH or pass --auth-file "
            "(USER:PASSWORD for Label Studio's basic auth, or a token)"
        )
    for p in seed_exports:
        if not Path(p).is_file():
            raise BackendError(f"{p}: no such export file (--seed takes Label Studio JSON exports)")
    if not (Path(model_dir) / MANIFEST).is_file():
        load_extractor(model_dir)  # says what is wrong with the folder, before any folder of ours is made
    home = Home(data or default_home(Path(model_dir)))
    setup = SetupCredentials()
    learner = Learner(
        home,
        model_dir,
        client=client_factory(studio_data_dir, setup) if pull else None,
        debounce=debounce,
        max_wait=max_wait,
        seed_exports=seed_exports,
        refresh_limit=refresh_limit,
    )
    app = create_app(learner, extract_figures, auth=auth, setup_credentials=setup)
    return Backend(app, learner, home)


def run(backend: Backend, host: str, port: int, log_level: str = "warning") -> None:
    import uvicorn

    uvicorn.run(backend.app, host=host, port=port, log_level=log_level, access_log=False)
