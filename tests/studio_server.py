"""One real Label Studio server for the whole test session.

Started on a free loopback port with a data folder in a temporary directory
by the toolkit's own ``toolkit.studio.server.start`` (so the tests exercise
it), stopped by its pid at the end. Without the server installed, studio
tests fail in CI (``CI=true``) and are skipped elsewhere, saying how to
install it.
"""

from __future__ import annotations

import os
import time

import pytest

from toolkit.studio import server

_ENV = ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY")


def require_server_binary() -> None:
    try:
        server.find_binary()
    except server.ServerError as e:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI needs the Label Studio server: {e}")
        pytest.skip(str(e))


@pytest.fixture(scope="session")
def studio_server(tmp_path_factory):
    """``ServerInfo`` of a running server (credentials in ``info.credentials``)."""
    require_server_binary()
    saved = {k: os.environ.pop(k) for k in _ENV if k in os.environ}  # tests talk to their own server
    data_dir = tmp_path_factory.mktemp("studio")
    info = server.start(port=server.free_port(), data_dir=data_dir, timeout=600)
    t0 = time.monotonic()
    try:
        yield info
    finally:
        server.stop(data_dir)
        os.environ.update(saved)
        print(f"\n[studio] first start {info.seconds:.1f}s, session {time.monotonic() - t0:.1f}s")
