"""A local Label Studio server: start, stop, status, credentials.

The server (``label-studio`` 1.23.x) lives in a virtualenv of its own
(``.venv-studio``, made by ``scripts/install.sh``) because its pins clash
with ``datasets``. It runs on 127.0.0.1 with SQLite in a data folder that
also keeps ``server.json`` (pid, port, url) and ``credentials.json`` (url,
username, password, API token; mode 0600).

Secrets never reach a command line: on the first start, a short-lived
``label-studio init`` creates the admin user, the organisation (with legacy
API tokens enabled) and the token from environment variables
(``LABEL_STUDIO_USERNAME``/``_PASSWORD``/``_USER_TOKEN``, which Label Studio
reads through ``get_env``); the long-lived ``label-studio start`` gets no
secret at all, in its arguments or its environment.

With ``start(database=...)`` naming a PostgreSQL database
(``toolkit.studio.database``) the data stays in PostgreSQL instead; its
password is then the one secret both processes' environments hold, since
Label Studio reads its database settings from there alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from toolkit.errors import ToolkitError
from toolkit.io.atomic import atomic_write_text
from toolkit.studio import database as dbs

REPO = Path(__file__).resolve().parents[2]
DEFAULT_PORT = 8080
ADMIN_USERNAME = "admin@toolkit.local"
STATE_FILE = "server.json"
CREDENTIALS_FILE = "credentials.json"
LOG_FILE = "server.log"

# Label Studio phones home unless told not to: version check, analytics and
# Sentry (backend and frontend have their own DSN defaults; empty disables).
QUIET_ENV = {
    "LATEST_VERSION_CHECK": "false",
    "COLLECT_ANALYTICS": "false",
    "SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
    "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
}
# Label Studio 1.23 refuses an ML backend on a loopback address, and silently drops the
# webhook it makes for it, unless both are off (seen with `toolkit serve`; docs/BACKEND.md).
LOCAL_ML_ENV = {"ML_BLOCK_LOCAL_IP": "false", "SSRF_PROTECTION_ENABLED": "false"}
_SECRET_ENV = ("LABEL_STUDIO_USERNAME", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN", "LABEL_STUDIO_API_KEY")
_SECRET_ENV += dbs.PASSWORD_ENV + dbs.LS_DATABASE_ENV  # the database settings are ours to set, or none


class ServerError(ToolkitError, RuntimeError):
    """The local server cannot be found, started or stopped; the message says what to do."""


@dataclass
class Credentials:
    url: str
    token: str
    username: str = ""
    password: str = ""

    def __repr__(self) -> str:  # never show the secrets, even in a traceback
        return f"Credentials(url={self.url!r}, username={self.username!r}, token={mask(self.token)!r})"


@dataclass
class ServerInfo:
    url: str
    port: int
    pid: int
    data_dir: str
    credentials: str  # path of the credentials file
    first_start: bool = False
    seconds: float = 0.0
    already_running: bool = False
    database: str = "sqlite"  # its URL, never with a password


def mask(secret: str) -> str:
    """``abcd…`` : enough to tell two tokens apart, never enough to use one."""
    return f"{secret[:4]}…({len(secret)} chars)" if secret else "(none)"


def redact_url(url: str) -> str:
    """``url`` fit for a message: a password (or a token as user name) inside it becomes ``***``.

    Every message that shows a server's URL goes through this, since
    ``LABEL_STUDIO_URL`` may be written ``https://user:password@host``.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    netloc, slash, path = rest.partition("/")
    userinfo, at, hostport = netloc.rpartition("@")
    if not at:
        return url
    user, colon, _secret = userinfo.partition(":")
    shown = f"{user}:***" if colon else "***"
    return f"{scheme}://{shown}@{hostport}{slash}{path}"


def _without_userinfo(url: str) -> str:
    """``url`` without ``user:password@``: urllib cannot open such a URL, and /health/ needs no login."""
    scheme, sep, rest = url.partition("://")
    netloc, slash, path = rest.partition("/")
    return f"{scheme}{sep}{netloc.rpartition('@')[2]}{slash}{path}" if sep else url


def default_data_dir() -> Path:
    """``<repo>/.studio`` in a source checkout, else ``~/.local/share/toolkit/studio``."""
    env = os.environ.get("TOOLKIT_STUDIO_DIR")
    if env:
        return Path(env)
    if (REPO / "pyproject.toml").is_file() and os.access(REPO, os.W_OK):
        return REPO / ".studio"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "toolkit" / "studio"


def find_binary() -> Path:
    """The ``label-studio`` executable: $LABEL_STUDIO_BIN, ``<repo>/.venv-studio``, or PATH."""
    env = os.environ.get("LABEL_STUDIO_BIN")
    if env:
        if not os.access(env, os.X_OK):
            raise ServerError(f"LABEL_STUDIO_BIN={env} is not an executable file; fix it or unset it")
        return Path(env)
    local = REPO / ".venv-studio" / "bin" / "label-studio"
    if os.access(local, os.X_OK):
        return local
    found = shutil.which("label-studio")
    if found:
        return Path(found)
    raise ServerError(
        "the Label Studio server is not installed: run `bash scripts/install.sh` (it creates .venv-studio)"
    )


def studio_python() -> Path:
    """The Python of the server's virtualenv (to run Label Studio's own code, e.g. config validation)."""
    return find_binary().parent / "python"


def _quiet_env(data_dir: Path, db_env: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SECRET_ENV}
    env.update(QUIET_ENV)
    env.update(db_env or dbs.server_env(dbs.SQLITE))
    env["LABEL_STUDIO_BASE_DATA_DIR"] = str(data_dir)
    # The toolkit's venv must not leak into the server's interpreter.
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    return env


def read_credentials(data_dir: str | Path | None = None) -> Credentials | None:
    path = Path(data_dir or default_data_dir()) / CREDENTIALS_FILE
    damaged = f"{path} is damaged; delete the data folder {path.parent} to start afresh"
    raw = _read_json(path, damaged)
    if raw is None:
        return None
    fields = {k: raw.get(k, "") for k in ("url", "token", "username", "password")}
    if not all(isinstance(v, str) for v in fields.values()) or not fields["token"]:
        raise ServerError(damaged)
    return Credentials(**fields)


def _read_json(path: Path, damaged: str) -> dict | None:
    """A JSON object the toolkit wrote into the data folder, read as untrusted input:
    None if absent; anything else that is not an object is ``ServerError(damaged)``."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):  # unreadable, not UTF-8 or JSON, too deep, a huge number
        raise ServerError(damaged) from None
    if not isinstance(raw, dict):
        raise ServerError(damaged)
    return raw


def _write_credentials(path: Path, creds: Credentials) -> None:
    # Create the file 0600 before writing a byte of it, so the secret is never world-readable.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(creds), fh, indent=2)
    os.chmod(path, 0o600)


_MAX_PID = 2**22  # Linux's pid_max limit (/proc/sys/kernel/pid_max is at most 4,194,304)


def _read_state(data_dir: Path) -> dict | None:
    """``server.json``, every field checked (a damaged file is one ``ServerError``), or None."""
    path = data_dir / STATE_FILE
    damaged = (
        f"{path} is damaged; if a Label Studio of this folder still runs, stop it by hand, "
        f"then delete {path} and start again"
    )
    raw = _read_json(path, damaged)
    if raw is None:
        return None
    pid, port, url = raw.get("pid"), raw.get("port"), raw.get("url", "")
    db = raw.get("database", "sqlite")
    if not _int_in(pid, 1, _MAX_PID) or not _int_in(port, 1, 65535):
        raise ServerError(damaged)
    if (
        not isinstance(url, str)
        or not isinstance(db, str)
        or not url.startswith(("http://127.0.0.1:", "http://localhost:"))
    ):
        raise ServerError(damaged)  # the server is ours and on loopback: a URL elsewhere is not one we wrote
    return {**raw, "pid": pid, "port": port, "url": url, "database": db}


def _int_in(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _is_our_server(pid: int) -> bool:
    """Is ``pid`` alive and a Label Studio process (not a recycled pid)?"""
    try:
        import psutil

        proc = psutil.Process(pid)
        return (
            proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE and "label-studio" in " ".join(proc.cmdline())
        )
    except Exception:
        return False


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{_without_userinfo(url).rstrip('/')}/health/", timeout=timeout) as r:  # noqa: S310 (loopback URL)
            return r.status == 200 and b"UP" in r.read()
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _tail(path: Path, n: int = 5) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return ""
    return " | ".join(line.strip() for line in lines[-n:] if line.strip())


def _initialise(
    binary: Path, data_dir: Path, creds: Credentials, log: Path, timeout: float, db_env: dict[str, str]
) -> None:
    env = _quiet_env(data_dir, db_env)
    env.update(
        {
            "LABEL_STUDIO_USERNAME": creds.username,
            "LABEL_STUDIO_PASSWORD": creds.password,
            "LABEL_STUDIO_USER_TOKEN": creds.token,
        }
    )
    with log.open("ab") as out:
        try:
            proc = subprocess.run(
                [str(binary), "init", "--quiet", "--enable-legacy-api-token", "--data-dir", str(data_dir)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                cwd=data_dir,
            )
        except subprocess.TimeoutExpired:
            raise ServerError(f"initialising Label Studio took more than {timeout:.0f}s; see {log}") from None
    if proc.returncode != 0:
        raise ServerError(f"initialising Label Studio failed (exit {proc.returncode}): {_tail(log)}; see {log}")


def status(data_dir: str | Path | None = None) -> dict:
    """``{"running": bool, "healthy": bool, "url", "pid", "port", "data_dir"}`` of the local server."""
    d = Path(data_dir or default_data_dir())
    st = _read_state(d) or {}
    pid = st.get("pid")
    running = bool(pid) and _is_our_server(pid)
    url = st.get("url", "")
    return {
        "running": running,
        "healthy": running and healthy(url),
        "url": url,
        "pid": pid if running else None,
        "port": st.get("port"),
        "data_dir": str(d),
        "database": st.get("database", "sqlite"),
    }


def start(
    port: int = DEFAULT_PORT,
    data_dir: str | Path | None = None,
    timeout: float = 300.0,
    database: dbs.Database | None = None,
    database_password: str | None = None,
    local_ml_backend: bool = False,
) -> ServerInfo:
    """Start Label Studio on 127.0.0.1:``port`` (or find it running) and wait for ``/health/``.

    ``local_ml_backend``: start it with ``LOCAL_ML_ENV`` so that it accepts an
    ML backend on this machine (``toolkit serve``) and its webhook; a server
    already running keeps the settings it was started with.

    On the first start in ``data_dir``: generate the admin password and API
    token (``secrets``), write them to ``credentials.json`` (0600), and
    initialise the database (migrations take ~30-40 s once).

    ``database``: a PostgreSQL database (its password ``database_password``,
    by default from the environment, see ``database.read_password``); None
    means the one ``data_dir`` was set up with, else SQLite in ``data_dir``.
    """
    t0 = time.monotonic()
    d = Path(data_dir or default_data_dir()).resolve()
    d.mkdir(parents=True, exist_ok=True)
    os.chmod(d, 0o700)
    cred_path = d / CREDENTIALS_FILE
    log = d / LOG_FILE

    st = status(d)
    if st["running"]:
        if not healthy(st["url"], timeout=5):
            raise ServerError(
                f"Label Studio (pid {st['pid']}) is running but not answering at {st['url']}; run `toolkit studio stop` and start again"
            )
        if database is not None and database.url != st["database"]:
            raise ServerError(f"Label Studio already runs here on {st['database']}; run `toolkit studio stop` first")
        return ServerInfo(
            st["url"], st["port"], st["pid"], str(d), str(cred_path), False, time.monotonic() - t0, True, st["database"]
        )

    db = dbs.choose(d, database)
    db_env = dbs.server_env(db, dbs.read_password() if database_password is None else database_password)
    hint = f" (check {db.url} and its password: ${dbs.PASSWORD_ENV[0]} or --database-password-file)"
    hint = hint if db.is_postgres else ""
    binary = find_binary()
    if port_in_use(port):
        raise ServerError(f"port {port} on 127.0.0.1 is in use by another program; pass --port with a free one")
    url = f"http://127.0.0.1:{port}"
    try:
        first = _prepare(binary, d, url, log, timeout, db, db_env)
    except ServerError as e:
        raise ServerError(f"{e}{hint}") from None
    proc = _launch(binary, d, port, log, {**db_env, **(LOCAL_ML_ENV if local_ml_backend else {})})
    atomic_write_text(
        d / STATE_FILE,
        json.dumps({"pid": proc.pid, "port": port, "url": url, "started_at": time.time(), "database": db.url}),
    )

    deadline = t0 + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(
                f"Label Studio exited with code {proc.returncode} while starting: {_tail(log)}; see {log}{hint}"
            )
        if healthy(url, timeout=1):
            if first and db.is_postgres:
                _check_token_took(d, db, url, proc.pid)
            return ServerInfo(url, port, proc.pid, str(d), str(cred_path), first, time.monotonic() - t0, False, db.url)
        time.sleep(0.5)
    _terminate(proc.pid)
    raise ServerError(f"Label Studio did not answer {url}/health/ within {timeout:.0f}s; see {log}")


def _prepare(
    binary: Path, d: Path, url: str, log: Path, timeout: float, db: dbs.Database, db_env: dict[str, str]
) -> bool:
    """Make sure ``d`` has credentials for ``url`` and a database; True on the first start."""
    cred_path = d / CREDENTIALS_FILE
    creds = read_credentials(d)
    # A PostgreSQL database is ours once `init` succeeded in it from this folder (database.json says so).
    has_db = dbs.recorded(d) == db if db.is_postgres else (d / dbs.SQLITE_FILE).exists()
    if has_db and creds is None:
        raise ServerError(
            f"{d} holds a Label Studio database but no {CREDENTIALS_FILE}; restore it or use another --data-dir"
        )
    first = not has_db
    if first:
        creds = Credentials(
            url=url, token=secrets.token_hex(20), username=ADMIN_USERNAME, password=secrets.token_urlsafe(18)
        )
        _write_credentials(cred_path, creds)  # before init: a crash after it loses nothing
        _initialise(binary, d, creds, log, timeout, db_env)
        if db.is_postgres:
            dbs.record(d, db)
    assert creds is not None
    if creds.url != url:
        creds.url = url
        _write_credentials(cred_path, creds)
    return first


def _check_token_took(d: Path, db: dbs.Database, url: str, pid: int) -> None:
    """After a first start on PostgreSQL: does the server accept the token we made?

    It does not when the database already held a Label Studio with our admin
    user (set up from another data folder): `init` then keeps the old token.
    """
    creds = read_credentials(d)
    req = urllib.request.Request(f"{url}/api/current-user/whoami", headers={"Authorization": f"Token {creds.token}"})
    try:
        with urllib.request.urlopen(req, timeout=30):  # noqa: S310 (loopback URL)
            return
    except urllib.error.HTTPError as e:
        if e.code not in (401, 403):
            return  # not a question of the token; the client will say what is wrong
    except (urllib.error.URLError, OSError):
        return
    _terminate(pid)
    (d / STATE_FILE).unlink(missing_ok=True)
    dbs.forget(d)
    (d / CREDENTIALS_FILE).unlink(missing_ok=True)
    raise ServerError(
        f"{db.url} already holds a Label Studio set up from another data folder, whose credentials are not in {d}: "
        "start with that data folder, or give this one an empty database (createdb)"
    )


def _launch(binary: Path, d: Path, port: int, log: Path, db_env: dict[str, str]) -> subprocess.Popen:
    """``label-studio start`` in the background; of secrets, its environment holds the database password alone."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                str(binary),
                "start",
                "--no-browser",
                "--internal-host",
                "127.0.0.1",
                "--port",
                str(port),
                "--data-dir",
                str(d),
            ],
            env=_quiet_env(d, db_env),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=d,
            start_new_session=True,  # its own process group: `stop` ends it and its children, nothing else
        )


def _terminate(pid: int, grace: float = 15.0) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    except PermissionError:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
        if not _is_our_server(pid):
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def stop(data_dir: str | Path | None = None) -> bool:
    """Stop the server started in ``data_dir`` (by its pid); False if none was running."""
    d = Path(data_dir or default_data_dir())
    st = _read_state(d)
    if not st or not st.get("pid"):
        return False
    pid = st["pid"]
    was_running = _is_our_server(pid)
    if was_running:
        _terminate(pid)
    (d / STATE_FILE).unlink(missing_ok=True)
    return was_running


if __name__ == "__main__":  # pragma: no cover - a debugging aid
    print(json.dumps(status(sys.argv[1] if len(sys.argv) > 1 else None)))
