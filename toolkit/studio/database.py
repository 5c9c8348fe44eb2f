"""Where the local Label Studio keeps its data: SQLite (embedded, the default) or PostgreSQL.

Label Studio 1.23 chooses its database from environment variables only
(``core/settings/base.py`` and ``label_studio.py``): ``DJANGO_DB`` (``sqlite``,
or ``default`` = PostgreSQL) and ``POSTGRE_NAME``, ``POSTGRE_USER``,
``POSTGRE_PASSWORD``, ``POSTGRE_HOST``, ``POSTGRE_PORT``, each also read with a
``LABEL_STUDIO_`` or ``HEARTEX_`` prefix (which wins). So the server's
environment is the only way in, and the password goes there and nowhere
else: not in a URL, an argument, a log line or a file we write.

A data folder is tied to one database: once Label Studio was initialised in
PostgreSQL from it, ``database.json`` (the URL without a password) says
which, so a later start finds the same database and a start that names
another one is refused (its credentials would not be valid there).
"""

from __future__ import annotations

import json
import os
import re
import stat
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ToolkitError
from toolkit.io.atomic import atomic_write_text

MARKER_FILE = "database.json"
SQLITE_FILE = "label_studio.sqlite3"
# Where a PostgreSQL password may come from, in this order (PGPASSWORD is libpq's own name).
PASSWORD_ENV = ("TOOLKIT_PG_PASSWORD", "PGPASSWORD")
DEFAULT_PG_PORT = 5432

_LS_NAMES = ("DJANGO_DB", "DATABASE_NAME", "POSTGRE_NAME", "POSTGRE_USER", "POSTGRE_PASSWORD", "POSTGRE_HOST")
_LS_NAMES += ("POSTGRE_PORT",)
# Every spelling Label Studio reads, so that nothing in the caller's environment overrides ours.
LS_DATABASE_ENV = tuple(p + n for n in _LS_NAMES for p in ("", "LABEL_STUDIO_", "HEARTEX_"))


class DatabaseError(ToolkitError, ValueError):
    """A database URL, password or data folder that cannot be used; the message says what to do."""


@dataclass(frozen=True)
class Database:
    """A database for Label Studio; never holds a password."""

    engine: str = "sqlite"  # "sqlite" or "postgresql"
    name: str = ""
    user: str = ""
    host: str = ""
    port: int = DEFAULT_PG_PORT

    @property
    def is_postgres(self) -> bool:
        return self.engine == "postgresql"

    @property
    def url(self) -> str:
        """``postgresql://USER@HOST:PORT/DB`` (safe to print), or ``sqlite``."""
        if not self.is_postgres:
            return "sqlite"
        host = urllib.parse.quote(self.host, safe="") if self.host.startswith("/") else self.host
        host = f"[{host}]" if ":" in host else host  # an IPv6 address
        return f"postgresql://{urllib.parse.quote(self.user, safe='')}@{host}:{self.port}/{self.name}"


SQLITE = Database()


# libpq's connection URI (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS):
# ``postgresql://[userspec@][hostspec][/dbname][?paramspec]``, userspec ``user[:password]``. Only
# these two designators make libpq read a URI; anything else is not one (and is never echoed:
# ``postgresql:/me:pw@host/db`` holds a password as surely as the URI form does).
_URI = re.compile(r"(postgres(?:ql)?)://([^/?#]*)(/[^?#]*)?([?#].*)?", re.IGNORECASE | re.DOTALL)
_FORM = "write postgresql://USER@HOST:PORT/DB"
_NO_PASSWORD = (
    "--database: the URL holds a password, which would show in the process list and shell history; "
    f"drop it from the URL and set {PASSWORD_ENV[0]} or pass --database-password-file"
)


def parse_url(url: str) -> Database:
    """``postgresql://USER@HOST[:PORT]/DB`` -> Database, by libpq's URI rules; a password is refused.

    HOST may be a socket folder written with ``%2F`` (``postgresql://me@%2Fvar%2Frun%2Fpostgresql/ls``).
    No message repeats the URL: whatever it holds besides what libpq would read
    as a password may still be one (a mistyped URL), so only what was parsed is shown.
    """
    text = url.strip()
    if text.lower() == "sqlite":
        return SQLITE
    m = _URI.fullmatch(text)
    if m is None:
        # "postgresql:/me:pw@host/db", "postgresql:me:pw@host/db", a key=value string: not a URI libpq reads.
        secret = "@" in text or "password" in text.lower()
        if re.match(r"[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
            raise DatabaseError(f"--database: unsupported scheme (PostgreSQL only); {_FORM}")
        raise DatabaseError(
            f"--database: not a postgresql:// URL; {_FORM}"
            + ("; if it held a password, drop it and set it as for a URL (see --help)" if secret else "")
        )
    authority, path, rest = m.group(2), m.group(3) or "", m.group(4)
    userinfo, at, hostport = authority.rpartition("@")
    if (
        ":" in userinfo
        or "@" in userinfo
        or (not at and ":" in authority and "[" not in authority and _userish(authority))
    ):
        raise DatabaseError(_NO_PASSWORD)
    if rest:
        raise DatabaseError(
            "--database: options after '?' are not passed to Label Studio; set libpq's variables instead (e.g. PGSSLMODE)"
        )
    host, port = _host_port(hostport)
    user = urllib.parse.unquote(userinfo)
    name = urllib.parse.unquote(path[1:])
    if not user or not name or not host or "/" in name:
        raise DatabaseError(f"--database: name the user, the host and the database: {_FORM}")
    return Database("postgresql", name=name, user=user, host=host, port=port)


def _userish(authority: str) -> bool:
    """``user:pw`` without an ``@`` (``postgresql://me:pw``): a port is digits, anything else may be a password."""
    return not authority.rpartition(":")[2].isdigit()


def _host_port(hostport: str) -> tuple[str, int]:
    if "," in hostport:
        raise DatabaseError(f"--database: one host only (Label Studio connects to one); {_FORM}")
    if hostport.startswith("["):  # an IPv6 address
        host, _, after = hostport[1:].partition("]")
        port = after[1:] if after.startswith(":") else after
    else:
        host, _, port = hostport.partition(":")
    if port and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise DatabaseError(f"--database: the port must be a number from 1 to 65535; {_FORM}")
    # unquoted here, not by a URL library: a socket folder's path is case-sensitive
    return urllib.parse.unquote(host), int(port) if port else DEFAULT_PG_PORT


def read_password(password_file: str | Path | None = None, environ: dict[str, str] | None = None) -> str:
    """The PostgreSQL password: from ``password_file`` (owner-only, first line), else the environment.

    An empty result means "no password": libpq then uses its own ways
    (``~/.pgpass``, ``PGPASSFILE``, trust or peer authentication).
    """
    env = os.environ if environ is None else environ
    if password_file is None:
        return next((env[k] for k in PASSWORD_ENV if env.get(k)), "")
    path = Path(password_file)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DatabaseError(f"--database-password-file {path}: cannot read it ({e.__class__.__name__})") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise DatabaseError(f"--database-password-file {path}: others may read it; run `chmod 600 {path}` first")
    password = text.splitlines()[0] if text else ""
    if not password:
        raise DatabaseError(f"--database-password-file {path}: the file is empty; put the password on its first line")
    return password


def server_env(db: Database, password: str = "") -> dict[str, str]:
    """What Label Studio's environment must hold for ``db`` (remove LS_DATABASE_ENV first)."""
    if not db.is_postgres:
        return {"DJANGO_DB": "sqlite"}
    return {
        "DJANGO_DB": "default",
        "POSTGRE_NAME": db.name,
        "POSTGRE_USER": db.user,
        # Empty, not absent: Label Studio's default password is "postgres".
        "POSTGRE_PASSWORD": password,
        "POSTGRE_HOST": db.host,
        "POSTGRE_PORT": str(db.port),
    }


def recorded(data_dir: Path) -> Database | None:
    """The database ``data_dir`` was set up with; None for a folder never started."""
    damaged = DatabaseError(
        f"{data_dir / MARKER_FILE} is damaged; write the database URL back into it or use another --data-dir"
    )
    try:
        raw = json.loads((data_dir / MARKER_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SQLITE if (data_dir / SQLITE_FILE).exists() else None
    except (OSError, ValueError, RecursionError):  # unreadable, not UTF-8 or JSON, too deep, a huge number
        raise damaged from None
    # Read back as untrusted input: every field of the type written, the port a port (not Infinity).
    if not isinstance(raw, dict) or raw.get("engine") not in ("sqlite", "postgresql"):
        raise damaged
    fields = [raw.get(k, "") for k in ("name", "user", "host")]
    port = raw.get("port", DEFAULT_PG_PORT)
    if not all(isinstance(f, str) for f in fields) or isinstance(port, bool) or not isinstance(port, int):
        raise damaged
    if not 0 < port < 65536:
        raise damaged
    return Database(raw["engine"], *fields, port)


def record(data_dir: Path, db: Database) -> None:
    atomic_write_text(data_dir / MARKER_FILE, json.dumps({**db.__dict__, "url": db.url}, indent=2) + "\n")


def forget(data_dir: Path) -> None:
    (data_dir / MARKER_FILE).unlink(missing_ok=True)


def choose(data_dir: Path, asked: Database | None) -> Database:
    """The database to start on: the one asked for, else the one the folder was set up with, else SQLite."""
    have = recorded(data_dir)
    if asked is None or have is None or asked == have:
        return asked or have or SQLITE
    if not have.is_postgres:
        raise DatabaseError(f"{data_dir} keeps its Label Studio in SQLite; start PostgreSQL with another --data-dir")
    raise DatabaseError(
        f"{data_dir} was set up with {have.url}, not {asked.url}; its credentials hold only there: "
        "start with that URL, or use another --data-dir"
    )
