"""A throwaway PostgreSQL server for tests and benchmarks.

``initdb`` and ``pg_ctl`` from Debian's ``postgresql`` package (installed by
``bash scripts/install.sh --with-postgres``) make a cluster in a temporary
folder: TCP on 127.0.0.1 only, on a free port, with password (SCRAM)
authentication; the unix socket lives in that folder too, with trust, for
the tests' own ``psql``. It is stopped by the PID in ``postmaster.pid`` and
the folder removed. PostgreSQL refuses to run as root, so as root the
cluster belongs to the ``postgres`` user the package creates (``runuser``);
the folder is made in /tmp, not in pytest's root-only temporary folder, so
that user can reach it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from toolkit.studio import database, server

SUPERUSER = "toolkit"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries, or no unprivileged user to run them as."""


def bin_dir() -> Path:
    """The folder of ``initdb``/``pg_ctl``/``psql``: $TOOLKIT_PG_BIN, Debian's newest, or PATH."""
    env = os.environ.get("TOOLKIT_PG_BIN")
    candidates = [env] if env else sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version)[::-1]
    found = shutil.which("initdb")
    candidates += [str(Path(found).resolve().parent)] if found else []
    for c in candidates:
        if all(os.access(Path(c) / b, os.X_OK) for b in ("initdb", "pg_ctl", "psql")):
            return Path(c)
    raise PostgresUnavailable(
        "PostgreSQL is not installed: run `bash scripts/install.sh --with-postgres` (Debian's postgresql package)"
    )


def _version(path: str) -> float:
    with contextlib.suppress(ValueError):
        return float(Path(path).parent.name)
    return 0.0


class ThrowawayPostgres:
    """``with ThrowawayPostgres() as pg: pg.create_database("ls")`` -> a Database on 127.0.0.1:pg.port."""

    def __init__(self) -> None:
        self.bin = bin_dir()
        self.password = secrets.token_urlsafe(18)
        self.port = 0
        self.pid = 0
        self.dir: Path | None = None
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root and there is no `postgres` user to run PostgreSQL as"
                ) from None
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def __enter__(self) -> ThrowawayPostgres:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _run(self, *cmd: str, as_owner: bool = True, **kw) -> subprocess.CompletedProcess:
        argv = [*(self.as_user if as_owner else []), *cmd]
        return subprocess.run(argv, check=True, capture_output=True, text=True, timeout=120, **kw)

    def start(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="toolkit-pg-"))
        pwfile = self.dir / "pw"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        os.chmod(pwfile, 0o600)
        if self.as_user:
            for p in (self.dir, pwfile):
                os.chown(p, self.owner.pw_uid, self.owner.pw_gid)
        data = self.dir / "data"
        self._run(
            str(self.bin / "initdb"), "-D", str(data), "-U", SUPERUSER, f"--pwfile={pwfile}", "-E", "UTF8",
            "--locale=C.UTF-8", "--auth-host=scram-sha-256", "--auth-local=trust",
        )  # fmt: skip
        pwfile.unlink()
        self.port = server.free_port()
        opts = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.dir}"
        log = self.dir / "postgres.log"
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", opts, "start")
        except subprocess.CalledProcessError as e:
            tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {e.stderr.strip()} {tail}") from None
        self.pid = int((data / "postmaster.pid").read_text().splitlines()[0])

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Run ``sql`` as the superuser over the unix socket; its output, unaligned."""
        cmd = [str(self.bin / "psql"), "-h", str(self.dir), "-p", str(self.port), "-U", SUPERUSER, "-d", dbname]
        return self._run(*cmd, "-v", "ON_ERROR_STOP=1", "-Atc", sql, as_owner=False).stdout.strip()

    def create_database(self, name: str) -> database.Database:
        self.psql(f'CREATE DATABASE "{name}"')
        return database.Database("postgresql", name=name, user=SUPERUSER, host="127.0.0.1", port=self.port)

    def stop(self, grace: float = 30.0) -> None:
        """Fast shutdown (SIGINT) by PID, then SIGKILL if it lingers; the folder is removed."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGINT)
            deadline = time.monotonic() + grace
            while _alive(self.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if _alive(self.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
            self.pid = 0
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _unavailable(e: Exception) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI needs PostgreSQL: {e}")
    pytest.skip(str(e))


@pytest.fixture(scope="session")
def postgres_server():
    """A running ThrowawayPostgres for the session (skipped without PostgreSQL, failed in CI)."""
    try:
        pg = ThrowawayPostgres()
        pg.start()
    except PostgresUnavailable as e:
        _unavailable(e)
    try:
        yield pg
    finally:
        pg.stop()
