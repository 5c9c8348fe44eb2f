"""Label Studio on PostgreSQL: the settings, and the push/pull guarantees on a real server.

The unit part checks the database URL, where the password may come from,
what the server's environment gets and that a data folder keeps to its
database. The end-to-end part starts a throwaway PostgreSQL
(tests/postgres_server.py) and a Label Studio on it through
`toolkit studio start --database`, then: the password is in no argument, log
or file; a server killed (SIGKILL) in the middle of `toolkit push` and
restarted leaves every task exactly once after the next push; a push again
adds nothing; a pull returns what was pushed; bad starts fail in one line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import psutil
import pytest
from helpers import REPO, cli, label_region
from postgres_server import postgres_server  # noqa: F401  (the fixture)
from proxy import wait_until
from test_faults_studio import TARGETS, make_run, project_keys, sdk

from toolkit.records import BitextRecord
from toolkit.studio import contract, server
from toolkit.studio import database as dbs
from toolkit.studio.client import StudioClient, resolve_credentials
from toolkit.studio.pull import check_export

PG_URL = "postgresql://ls@127.0.0.1:5433/labels"


def test_database_urls():
    db = dbs.parse_url(PG_URL)
    assert (db.engine, db.user, db.host, db.port, db.name) == ("postgresql", "ls", "127.0.0.1", 5433, "labels")
    assert db.url == PG_URL and dbs.parse_url(db.url) == db
    assert dbs.parse_url("postgres://ls@db.example.org/labels").port == 5432
    sock = dbs.parse_url("postgresql://ls@%2FVar%2Frun%2Fpostgresql/labels")
    assert sock.host == "/Var/run/postgresql" and dbs.parse_url(sock.url) == sock
    assert dbs.parse_url("sqlite") == dbs.SQLITE
    for bad, says in [
        ("postgresql://ls:hunter2@127.0.0.1/labels", "holds a password"),
        ("mysql://ls@127.0.0.1/labels", "unsupported scheme"),
        ("postgresql://127.0.0.1/labels", "name the user"),
        ("postgresql://ls@127.0.0.1/", "name the user"),
        ("postgresql://ls@127.0.0.1/labels?sslmode=require", "PGSSLMODE"),
    ]:
        with pytest.raises(dbs.DatabaseError, match=says) as e:
            dbs.parse_url(bad)
        assert "hunter2" not in str(e.value)


def test_password_sources(tmp_path):
    assert dbs.read_password(environ={}) == ""
    assert dbs.read_password(environ={"PGPASSWORD": "b"}) == "b"
    assert dbs.read_password(environ={"PGPASSWORD": "b", "TOOLKIT_PG_PASSWORD": "a"}) == "a"
    f = tmp_path / "pw"
    f.write_text("s3cret\nsecond line\n", encoding="utf-8")
    os.chmod(f, 0o600)
    assert dbs.read_password(f, environ={"TOOLKIT_PG_PASSWORD": "a"}) == "s3cret"  # the file wins
    os.chmod(f, 0o644)
    with pytest.raises(dbs.DatabaseError, match="chmod 600"):
        dbs.read_password(f)
    f.write_text("", encoding="utf-8")
    os.chmod(f, 0o600)
    with pytest.raises(dbs.DatabaseError, match="empty"):
        dbs.read_password(f)
    with pytest.raises(dbs.DatabaseError, match="cannot read"):
        dbs.read_password(tmp_path / "missing")


def test_server_environment_holds_our_database_settings_only(tmp_path, monkeypatch):
    # The caller's own settings must not redirect the server (LABEL_STUDIO_-prefixed names win in Label Studio).
    monkeypatch.setenv("LABEL_STUDIO_POSTGRE_HOST", "elsewhere.example.org")
    monkeypatch.setenv("DJANGO_DB", "default")
    monkeypatch.setenv("PGPASSWORD", "from-caller")
    sqlite_env = server._quiet_env(tmp_path)
    assert sqlite_env["DJANGO_DB"] == "sqlite"
    assert not any(k in sqlite_env for k in dbs.PASSWORD_ENV) and "POSTGRE_PASSWORD" not in sqlite_env
    assert "LABEL_STUDIO_POSTGRE_HOST" not in sqlite_env
    env = server._quiet_env(tmp_path, dbs.server_env(dbs.parse_url(PG_URL), "pw"))
    assert {k: env[k] for k in ("DJANGO_DB", "POSTGRE_NAME", "POSTGRE_USER", "POSTGRE_HOST", "POSTGRE_PORT")} == {
        "DJANGO_DB": "default",
        "POSTGRE_NAME": "labels",
        "POSTGRE_USER": "ls",
        "POSTGRE_HOST": "127.0.0.1",
        "POSTGRE_PORT": "5433",
    }
    assert env["POSTGRE_PASSWORD"] == "pw" and "PGPASSWORD" not in env and "LABEL_STUDIO_POSTGRE_HOST" not in env
    # No password: empty, so that libpq's own ways apply instead of Label Studio's default "postgres".
    assert dbs.server_env(dbs.parse_url(PG_URL))["POSTGRE_PASSWORD"] == ""


def test_a_data_folder_keeps_to_its_database(tmp_path):
    pg = dbs.parse_url(PG_URL)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert dbs.choose(fresh, None) == dbs.SQLITE and dbs.choose(fresh, pg) == pg
    on_sqlite = tmp_path / "sqlite"
    on_sqlite.mkdir()
    (on_sqlite / dbs.SQLITE_FILE).touch()
    with pytest.raises(dbs.DatabaseError, match="keeps its Label Studio in SQLite"):
        dbs.choose(on_sqlite, pg)
    dbs.record(fresh, pg)
    assert dbs.choose(fresh, None) == pg  # a later `toolkit studio start` finds it again
    with pytest.raises(dbs.DatabaseError, match="was set up with postgresql://ls@127.0.0.1:5433/labels"):
        dbs.choose(fresh, dbs.parse_url("postgresql://ls@127.0.0.1:5433/other"))
    (fresh / dbs.MARKER_FILE).write_text("{", encoding="utf-8")
    with pytest.raises(dbs.DatabaseError, match="damaged"):
        dbs.choose(fresh, None)


def test_cli_refuses_a_password_in_the_url(tmp_path):
    p = cli("studio", "start", "--database", "postgresql://ls:hunter2@127.0.0.1:9/labels", "--data-dir", str(tmp_path))
    assert p.returncode == 2
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: --database: the URL holds a password"), p.stderr
    assert "hunter2" not in p.stderr + p.stdout
    assert not (tmp_path / server.STATE_FILE).exists()  # nothing was started


# --- on a real PostgreSQL and Label Studio -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_studio(postgres_server, tmp_path_factory):  # noqa: F811 (the imported fixture)
    """A Label Studio started on a fresh PostgreSQL database by `toolkit studio start --database`."""
    from studio_server import require_server_binary

    require_server_binary()
    pg = postgres_server
    db = pg.create_database("labels")
    data_dir = tmp_path_factory.mktemp("studio-pg")
    port = server.free_port()
    env = {"TOOLKIT_PG_PASSWORD": pg.password, "LABEL_STUDIO_URL": "", "LABEL_STUDIO_API_KEY": ""}
    p = cli("studio", "start", "--database", db.url, "--data-dir", str(data_dir), "--port", str(port), env=env)
    try:
        assert p.returncode == 0, p.stderr
        yield {"pg": pg, "db": db, "data_dir": data_dir, "port": port, "start": p}
    finally:
        server.stop(data_dir)


def _server_tree(pid: int) -> list[psutil.Process]:
    proc = psutil.Process(pid)
    return [proc, *proc.children(recursive=True)]


@pytest.mark.e2e
@pytest.mark.studio
def test_first_start_on_postgres_keeps_the_password_out_of_sight(pg_studio):
    pg, db, data_dir, start = pg_studio["pg"], pg_studio["db"], pg_studio["data_dir"], pg_studio["start"]
    assert "first start: admin user and API token created" in start.stderr
    assert f"database: {db.url}" in start.stderr and start.stdout.strip() == f"http://127.0.0.1:{pg_studio['port']}"
    # The data is in PostgreSQL, not in a SQLite file: migrations ran and `init` made our user and token.
    assert not (data_dir / dbs.SQLITE_FILE).exists()
    assert dbs.recorded(data_dir) == db
    creds = server.read_credentials(data_dir)
    users = pg.psql("SELECT u.email, t.key FROM htx_user u JOIN authtoken_token t ON t.user_id = u.id", "labels")
    assert users == f"{server.ADMIN_USERNAME}|{creds.token}"
    st = server.status(data_dir)
    assert st["healthy"] and st["database"] == db.url
    # The password: in no argument, no file of the data folder, no output; only in the server's environment.
    assert pg.password not in start.stdout + start.stderr
    files = [f for f in data_dir.rglob("*") if f.is_file()]
    assert {f.name for f in files} >= {server.LOG_FILE, server.CREDENTIALS_FILE, dbs.MARKER_FILE}
    for f in files:
        assert pg.password.encode() not in f.read_bytes(), f
    for proc in _server_tree(st["pid"]):
        assert pg.password not in " ".join(proc.cmdline())
        env = proc.environ()
        assert env.get("POSTGRE_PASSWORD") == pg.password and env["DJANGO_DB"] == "default"
        assert not {"TOOLKIT_PG_PASSWORD", "PGPASSWORD", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN"} & set(env)


def _pg_counts(pg, title: str) -> tuple[int, int]:
    """(tasks, distinct keys) of project ``title``, read from PostgreSQL directly; (-1, -1) if it cannot say."""
    sql = (
        "SELECT count(*), count(DISTINCT t.data->>'key') FROM task t JOIN project p ON p.id = t.project_id "
        f"WHERE p.title = '{title}'"
    )
    try:
        n, keys = pg.psql(sql, "labels").split("|")
        return int(n), int(keys)
    except (subprocess.CalledProcessError, ValueError):
        return -1, -1


@pytest.mark.e2e
@pytest.mark.studio
def test_server_killed_mid_push_on_postgres_then_every_task_once(pg_studio, tmp_path, monkeypatch):
    pg, data_dir, port = pg_studio["pg"], pg_studio["data_dir"], pg_studio["port"]
    n = 1500
    run = make_run(tmp_path / "run", n, doc="pgkilled")
    env = {k: v for k, v in os.environ.items() if k not in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY")}
    push = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "push", str(run), "--project", "pgkilled", "--batch-size", "25"]
        + ["--data-dir", str(data_dir), "--timeout", "10"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert wait_until(lambda: _pg_counts(pg, "pgkilled")[0] >= 200 or push.poll() is not None, timeout=300)
    assert push.poll() is None, "the push finished before the server could be killed"
    os.killpg(server.status(data_dir)["pid"], signal.SIGKILL)  # the server and its workers, not PostgreSQL
    _, err = push.communicate(timeout=300)
    assert push.returncode == 2, err
    assert err.strip().splitlines()[-1].startswith("error: Label Studio at") and "Traceback" not in err
    at_kill, _ = _pg_counts(pg, "pgkilled")
    print(f"\n[postgres] {at_kill} of {n} tasks in PostgreSQL when the server was killed")
    assert 0 < at_kill < n

    # The data folder remembers its database; the password comes from the environment again.
    monkeypatch.setenv("TOOLKIT_PG_PASSWORD", pg.password)
    again = server.start(port=port, data_dir=data_dir, timeout=600)
    assert not again.already_running and not again.first_start and again.database == pg_studio["db"].url
    p = cli("push", str(run), "--project", "pgkilled", "--batch-size", "25", "--data-dir", str(data_dir), env=env)
    assert p.returncode == 0, p.stderr
    print(f"[postgres] after restart: {p.stderr.strip()[-200:]}")
    keys = project_keys(data_dir, "pgkilled")
    assert len(keys) == n and set(keys.values()) == {1}, "a task is missing or was imported twice"
    assert _pg_counts(pg, "pgkilled") == (n, n)

    p = cli("push", str(run), "--project", "pgkilled", "--batch-size", "200", "--data-dir", str(data_dir), env=env)
    assert p.returncode == 0 and f"added 0, skipped {n}" in p.stderr, p.stderr
    assert _pg_counts(pg, "pgkilled") == (n, n)

    _pull_returns_what_was_pushed(data_dir, run, "pgkilled", tmp_path, env)


def _pull_returns_what_was_pushed(data_dir: Path, run: Path, title: str, tmp_path: Path, env: dict) -> None:
    """Every task's sentence comes back as pushed; `toolkit pull` returns the two labelled tasks."""
    pushed = {}
    for line in (run / "bitext.jsonl").read_text(encoding="utf-8").splitlines():
        rec = BitextRecord.from_json(line)
        pushed[rec.id] = (rec.src, *(rec.mt[t] for t in TARGETS))
    client = StudioClient(resolve_credentials(data_dir), timeout=120)
    export = client.export(client.find_project(title).id, all_tasks=True)
    good, bad, _, _ = check_export(export)
    assert not bad and len(good) == len(pushed)
    fields = [contract.SRC, *(contract.translation_field(t) for t in TARGETS)]
    assert {t["data"][contract.RECORD_ID]: tuple(t["data"][f] for f in fields) for t in good} == pushed

    ls = sdk(data_dir)
    (proj,) = [x for x in ls.projects.list(title=title) if x.title == title]
    tasks = list(ls.tasks.list(project=proj.id, fields="task_only", page_size=5))[:2]
    for t in tasks:
        ls.annotations.create(id=t.id, result=[label_region(t.data["src"], "Nui Thanh", "LOC")])
    out = tmp_path / "labels.json"
    p = cli("pull", "--project", title, "--out", str(out), "--data-dir", str(data_dir), env=env)
    assert p.returncode == 0, p.stderr
    got = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(t["id"] for t in got) == sorted(t.id for t in tasks)


@pytest.mark.e2e
@pytest.mark.studio
def test_bad_starts_on_postgres_fail_in_one_line(pg_studio, tmp_path):
    pg, db = pg_studio["pg"], pg_studio["db"]
    env = {"TOOLKIT_PG_PASSWORD": "not-the-password", "PGPASSWORD": ""}
    empty = pg.create_database("empty")
    a = ["--data-dir", str(tmp_path / "a"), "--port", str(server.free_port())]
    p = cli("studio", "start", "--database", empty.url, *a, env=env)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    (line,) = [x for x in p.stderr.splitlines() if x.strip()]
    assert "password authentication failed" in line and "--database-password-file" in line, line
    assert "not-the-password" not in p.stderr and pg.password not in p.stderr

    # Another data folder on the database the first one set up: our new token would not be the one in there.
    b = tmp_path / "b"
    pw = tmp_path / "pw"
    pw.write_text(pg.password + "\n", encoding="utf-8")
    os.chmod(pw, 0o600)
    port = server.free_port()
    p = cli(
        "studio", "start", "--database", db.url, "--database-password-file", str(pw), "--data-dir", str(b),
        "--port", str(port), env={"TOOLKIT_PG_PASSWORD": ""},
    )  # fmt: skip
    assert p.returncode == 2 and "Traceback" not in p.stderr
    (line,) = [x for x in p.stderr.splitlines() if x.strip()]
    assert "already holds a Label Studio set up from another data folder" in line, line
    assert not server.status(b)["running"] and not (b / server.CREDENTIALS_FILE).exists()
    assert not (b / dbs.MARKER_FILE).exists()
    # ... and the first folder's server and token are untouched.
    creds = server.read_credentials(pg_studio["data_dir"])
    req = urllib.request.Request(
        f"{creds.url}/api/current-user/whoami", headers={"Authorization": f"Token {creds.token}"}
    )
    with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 (loopback)
        assert json.loads(r.read())["email"] == server.ADMIN_USERNAME

    # A running server is not silently taken for one on another database.
    p = cli("studio", "start", "--database", empty.url, "--data-dir", str(pg_studio["data_dir"]), env=env)
    assert p.returncode == 2 and f"already runs here on {db.url}" in p.stderr
