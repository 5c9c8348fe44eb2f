"""Security: the API token stays secret, the local server stays local, file names stay data.

- the token never appears in logs (every logger at DEBUG), outputs, run or
  config folders, exceptions, or process listings; no command takes it on
  its command line; the credentials file is created 0600 whatever the umask;
- the local Label Studio listens on 127.0.0.1 only and refuses sign-up
  without an invitation link;
- no module of the toolkit starts a shell; file names with shell syntax are
  read as data; output paths derived from input names cannot leave the run.
"""

from __future__ import annotations

import ast
import inspect
import logging
import os
import re
import stat
import threading
import traceback
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import psutil
import pytest
import typer
from helpers import REPO, cli
from run_folder import write_run

from toolkit.records import BitextRecord
from toolkit.studio import server
from toolkit.studio.client import StudioClient, StudioError
from toolkit.translate.outputs import _safe_output_path
from toolkit.translate.pipeline import RunError

TOOLKIT = REPO / "toolkit"
TARGETS = ["eng_Latn", "vie_Latn"]


def small_run(path: Path) -> Path:
    path.mkdir(parents=True)
    recs = [
        BitextRecord(
            id=f"s.txt#p{i}s0",
            doc="s.txt",
            para=i,
            idx=0,
            src_lang="ind_Latn",
            src=f"Komite Nui Thanh mengadakan {i + 3} konferensi.",
            src_start=0,
            src_end=10,
            mt={t: f"Committee Nui Thanh held {i + 3} conferences." for t in TARGETS},
        )
        for i in range(5)
    ]
    return write_run(path, recs, TARGETS)


def files_holding(root: Path, secret: str) -> list[str]:
    hits = []
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink() and secret.encode() in p.read_bytes():
            hits.append(str(p))
    return hits


# -- the token ----------------------------------------------------------------


def watched_cli_runs(studio_server, run: Path, tmp_path: Path) -> tuple[list, list[str]]:
    """Push and pull in every way a user may (data folder, environment, wrong token, server down),
    watching every process's command line meanwhile: (completed processes, lines holding the token)."""
    creds = server.read_credentials(studio_server.data_dir)
    token = creds.token
    dd = ["--data-dir", studio_server.data_dir]
    seen_in_ps: list[str] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            for proc in psutil.process_iter(["cmdline"]):
                line = " ".join(proc.info["cmdline"] or [])
                if token in line:
                    seen_in_ps.append(line)
            stop.wait(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        outputs = [
            cli("push", str(run), "--project", "sec-e2e", "--config-dir", str(tmp_path / "cfg"), *dd),
            cli("pull", "--project", "sec-e2e", "--out", str(tmp_path / "out.json"), *dd),
            cli("pull", "--project", "sec-e2e", "--out", str(tmp_path / "out.bio"), "--format", "bio", *dd),
            # by environment: a wrong token, an unreachable server, a good token
            cli(
                "push",
                str(run),
                "--project",
                "sec-e2e",
                env={"LABEL_STUDIO_URL": creds.url, "LABEL_STUDIO_API_KEY": "x" + token[1:]},
            ),
            cli(
                "pull",
                "--project",
                "sec-e2e",
                "--out",
                str(tmp_path / "o2.json"),
                env={"LABEL_STUDIO_URL": f"http://127.0.0.1:{server.free_port()}", "LABEL_STUDIO_API_KEY": token},
            ),
            cli(
                "push",
                str(run),
                "--project",
                "sec-e2e",
                "--config-dir",
                str(tmp_path / "cfg"),
                env={"LABEL_STUDIO_URL": creds.url, "LABEL_STUDIO_API_KEY": token},
            ),
            cli("studio", "start", "--port", str(studio_server.port), *dd),
            cli("studio", "status", *dd),
        ]
    finally:
        stop.set()
        watcher.join()
    return outputs, seen_in_ps


@pytest.mark.e2e
@pytest.mark.studio
def test_token_never_leaks(studio_server, tmp_path):
    creds = server.read_credentials(studio_server.data_dir)
    token = creds.token
    run = small_run(tmp_path / "run")

    # Process listings: watch every command line while push and pull run.
    outputs, seen_in_ps = watched_cli_runs(studio_server, run, tmp_path)
    assert [p.returncode for p in outputs] == [0, 0, 0, 2, 2, 0, 0, 0], [p.stderr for p in outputs]
    assert seen_in_ps == []
    for p in outputs:
        assert token not in p.stdout + p.stderr
        assert "x" + token[1:] not in p.stdout + p.stderr
    assert files_holding(tmp_path, token) == []
    assert token not in (Path(studio_server.data_dir) / server.LOG_FILE).read_text(errors="replace")

    # Exceptions and logs, in-process, with every logger at DEBUG.
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    root = logging.getLogger()
    handler, old_level = Keep(logging.DEBUG), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        client = StudioClient(creds, timeout=5)
        client.check()
        client.find_project("sec-e2e")
        bad = StudioClient(server.Credentials(url=creds.url, token="y" + token[1:]), retries=1)
        with pytest.raises(StudioError) as err:
            bad.find_project("sec-e2e")
        down = StudioClient(server.Credentials(url=f"http://127.0.0.1:{server.free_port()}", token=token), retries=1)
        with pytest.raises(StudioError) as err2:
            down.find_project("sec-e2e")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    assert records, "nothing was logged: the check would prove nothing"
    for e in (err.value, err2.value):
        text = "".join(traceback.format_exception(e)) + repr(e.__context__) + repr(e.__cause__)
        assert token[1:] not in text
    assert not [r for r in records if token[1:] in r]
    assert token not in repr(creds) and token not in str(vars(client).get("url"))


def test_no_command_takes_a_secret_on_its_command_line():
    from toolkit.cli.main import app

    def params(group: typer.Typer, prefix: str = ""):
        for cmd in group.registered_commands:
            name = prefix + (cmd.name or cmd.callback.__name__)
            yield from ((name, p) for p in inspect.signature(cmd.callback).parameters)
        for sub in group.registered_groups:
            yield from params(sub.typer_instance, prefix + (sub.name or "") + " ")

    names = list(params(app))
    assert names
    secret = re.compile(r"(^|_)(token|api_key|key|password|secret)($|_)")  # not "batch_tokens"
    risky = [(c, p) for c, p in names if secret.search(p.lower())]
    assert risky == []


def test_credentials_file_is_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        path = tmp_path / "d" / server.CREDENTIALS_FILE
        server._write_credentials(path, server.Credentials(url="http://127.0.0.1:1", token="t" * 40, password="p"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# -- the local server ---------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.studio
def test_local_server_listens_on_loopback_only_and_signup_is_closed(studio_server):
    assert stat.S_IMODE(Path(studio_server.data_dir).stat().st_mode) == 0o700
    assert stat.S_IMODE(Path(studio_server.credentials).stat().st_mode) == 0o600
    proc = psutil.Process(studio_server.pid)
    listening = [
        c.laddr
        for p in [proc, *proc.children(recursive=True)]
        for c in p.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]
    assert listening, "the server listens nowhere?"
    assert {a.ip for a in listening} == {"127.0.0.1"}, listening

    creds = server.read_credentials(studio_server.data_dir)
    from label_studio_sdk import LabelStudio

    ls = LabelStudio(base_url=creds.url, api_key=creds.token)
    before = [u.email for u in ls.users.list()]

    # A browser's sign-up: fetch the form (CSRF cookie), post it without an invitation link.
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{creds.url}/user/signup/", timeout=30).read()
    csrf = next((c.value for c in jar if c.name == "csrftoken"), "")
    assert csrf, "no CSRF cookie: the post below would be refused for the wrong reason"
    form = urllib.parse.urlencode(
        {"email": "intruder@example.com", "password": "Intruder-passw0rd!", "csrfmiddlewaretoken": csrf}
    ).encode()
    req = urllib.request.Request(
        f"{creds.url}/user/signup/", data=form, headers={"Referer": f"{creds.url}/user/signup/", "X-CSRFToken": csrf}
    )
    try:
        status = opener.open(req, timeout=30).status
    except urllib.error.HTTPError as e:
        status = e.code
    assert status == 403
    after = [u.email for u in ls.users.list()]
    assert after == before and "intruder@example.com" not in after


# -- file names and paths -------------------------------------------------------


def test_no_module_starts_a_shell():
    offenders = []
    for path in TOOLKIT.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            owner = getattr(f.value, "id", "") if isinstance(f, ast.Attribute) else ""
            if (owner, name) in {("os", "system"), ("os", "popen"), ("subprocess", "getoutput")} or name in (
                "getstatusoutput",
                "check_output_shell",
            ):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno} {owner}.{name}")
            for kw in node.keywords:
                if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno} shell=")
            if name in ("Popen", "run", "call", "check_call", "check_output") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant | ast.JoinedStr | ast.BinOp):
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno} a command given as one string")
    assert offenders == []


@pytest.mark.parametrize(
    "rel",
    ["../escape.txt", "../../etc/passwd.txt", "a/../../b.txt", "/tmp/absolute.txt", "sub/../../x.txt"],
)
def test_output_paths_cannot_escape_the_run_folder(tmp_path, rel):
    with pytest.raises(RunError, match="outside"):
        _safe_output_path(tmp_path / "run" / "translations" / "eng_Latn", rel, ".txt")


def test_output_paths_inside_are_kept(tmp_path):
    root = tmp_path / "run" / "translations" / "eng_Latn"
    for rel in ("a.txt", "sub/dir/b.txt", "..dots..txt", "$(touch x).txt", "name with 'quotes'.txt"):
        out = _safe_output_path(root, rel, ".txt")
        assert root.resolve() in out.parents and out.name.endswith(".txt")


@pytest.mark.e2e
def test_symlinked_folder_outside_input_writes_inside_run(tiny_model, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text("Komite Partai Distrik Nui Thanh mengadakan 127 konferensi dialog.\n", "utf-8")
    src = tmp_path / "in"
    src.mkdir()
    os.symlink(outside, src / "up")
    os.symlink("../outside", src / "up2")  # the same folder twice: read once
    run = tmp_path / "run"
    p = cli(
        "translate",
        str(src),
        "--out",
        str(run),
        "--model",
        str(tiny_model),
        "--to",
        "eng_Latn",
        "--num-beams",
        "1",
        "--follow-symlinks",  # links leaving the input are skipped unless asked (issue 16)
        "-q",
    )
    assert p.returncode == 1, p.stderr  # the second link is reported
    assert "skipped up2: folder already read as 'up'" in p.stderr
    assert (run / "translations" / "eng_Latn" / "up" / "x.txt").is_file()
    assert sorted(q.name for q in outside.iterdir()) == ["x.txt"]  # nothing written beside the source


# --- issue 16: tokens the server rejects or the SDK cannot parse; passwords in LABEL_STUDIO_URL ---------


class _RejectingStudio:
    """A stand-in Label Studio that is up (``/health/``) and answers 401 to every API call."""

    def __init__(self) -> None:
        import http.server

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                if self.path.rstrip("/") == "/health":
                    body, status = b'{"status": "UP"}', 200
                else:
                    body, status = b'{"detail": "Invalid token.", "code": "token_not_valid"}', 401
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PATCH = _answer  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def rejecting_studio():
    s = _RejectingStudio()
    yield s
    s.close()


def _jwt(claims: dict) -> str:
    import base64
    import json

    def part(d: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


_TOKENS = {
    "legacy_rejected": "0123456789abcdef0123456789abcdef01234567",
    "jwt_rejected": _jwt({"exp": 4102444800, "token_type": "refresh", "jti": "x"}),
    "jwt_expired": _jwt({"exp": 1000000000, "token_type": "refresh"}),
    "jwt_no_expiry": _jwt({"token_type": "refresh"}),
    "jwt_exp_not_a_number": _jwt({"exp": "soon", "token_type": "refresh"}),
    "jwt_exp_out_of_range": _jwt({"exp": 10**20, "token_type": "refresh"}),
    "not_ascii": "t\u00f8ken-\u00e6\u00f8\u00e5-0123456789",
    "with_newline": "0123456789abcdef\n0123456789abcdef",
}


@pytest.mark.parametrize("kind", sorted(_TOKENS))
def test_rejected_or_unparsable_token_is_one_line_exit_2(rejecting_studio, tmp_path, kind):
    token = _TOKENS[kind]
    url = f"http://admin:hunter2-secret@127.0.0.1:{rejecting_studio.port}"
    env = {"LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": token}
    for args in (
        ["pull", "--project", "p", "--out", str(tmp_path / "x.json")],
        ["push", str(small_run(tmp_path / "run")), "--project", "p"],
    ):
        proc = cli(*args, "--timeout", "5", env=env, timeout=120)
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
        assert "token" in lines[0] and "not reachable" not in lines[0] and "not answering" not in lines[0], lines[0]
        assert "LABEL_STUDIO_API_KEY" in lines[0], lines[0]
        assert "hunter2-secret" not in proc.stderr + proc.stdout, "the URL's password was printed"
        for piece in token.split("\n"):
            assert piece not in proc.stderr + proc.stdout, "the token was printed"


def test_password_in_url_is_never_printed_when_unreachable(tmp_path):
    url = f"http://admin:hunter2-secret@127.0.0.1:{server.free_port()}"
    env = {"LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": "0" * 40}
    proc = cli("pull", "--project", "p", "--out", str(tmp_path / "x.json"), "--timeout", "2", env=env, timeout=120)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "hunter2-secret" not in proc.stderr + proc.stdout, proc.stderr
    assert "127.0.0.1" in proc.stderr, "the message should still say which server"


@pytest.mark.parametrize(
    "url, shown",
    [
        ("http://admin:pw@host:8080/ls", "http://admin:***@host:8080/ls"),
        ("https://tok@host", "https://***@host"),
        ("http://host:8080", "http://host:8080"),
        ("http://a:b@[::1]:9/x?q=1", "http://a:***@[::1]:9/x?q=1"),
        ("not a url", "not a url"),
    ],
)
def test_redact_url(url, shown):
    assert server.redact_url(url) == shown
