"""A loopback HTTP proxy that injects faults on a deterministic schedule.

Put it in front of a real Label Studio (``FaultProxy(upstream_port)``) and
point the client at ``proxy.url``. Every request gets a number (1, 2, ...) in
arrival order, and the schedule maps that number (and the request line) to
what happens:

- ``forward``: passed to the server, the answer passed back;
- ``error``: answered 500 by the proxy; the server never sees it;
- ``error_after``: passed to the server, which does the work, but the
  client gets a 502 (a gateway that failed on the way back: the dangerous
  case for imports, since a blind retry would import twice);
- ``stall``: passed to the server, the answer held back for ``stall_s``
  seconds (longer than the client's timeout), then the connection closed;
- ``drop``: passed to the server, then the connection closed without an
  answer (``RemoteProtocolError`` in httpx);
- ``refuse``: the connection closed before the request is read or sent.

Each connection carries one request (``Connection: close`` both ways), so a
fault never bleeds into the next request. ``log`` holds ``(n, method, path,
action, request body bytes)`` for every request, for the tests' assertions
and the load benchmark's request sizes.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

ACTIONS = ("forward", "error", "error_after", "stall", "drop", "refuse")

Schedule = Callable[[int, str, str], str]


def every(n: int, action: str, offset: int = 0) -> Schedule:
    """``action`` for requests offset+n, offset+2n, ...; ``forward`` for the rest."""
    return lambda i, method, path: action if i > offset and (i - offset) % n == 0 else "forward"


def scripted(actions: dict[int, str], default: str = "forward") -> Schedule:
    """``actions[i]`` for request i, ``default`` otherwise."""
    return lambda i, method, path: actions.get(i, default)


@dataclass
class Logged:
    n: int
    method: str
    path: str
    action: str
    body_bytes: int


class FaultProxy:
    def __init__(self, upstream_port: int, schedule: Schedule | None = None, stall_s: float = 10.0) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.schedule: Schedule = schedule or (lambda i, m, p: "forward")
        self.stall_s = stall_s
        self.log: list[Logged] = []
        self._lock = threading.Lock()
        self._count = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    # -- life --------------------------------------------------------------
    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.close()

    def actions(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for entry in self.log:
            out[entry.action] = out.get(entry.action, 0) + 1
        return out

    # -- serving -----------------------------------------------------------
    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(60)
            try:
                head, body = _read_request(conn)
            except (OSError, ValueError):
                return
            if head is None:
                return
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            method, path = (request_line.split(" ") + ["", ""])[:2]
            with self._lock:
                self._count += 1
                n = self._count
            action = self.schedule(n, method, path)
            assert action in ACTIONS, action
            self.log.append(Logged(n, method, path, action, len(body)))
            if action == "refuse":
                return
            if action == "error":
                _send_status(conn, 500, b'{"detail": "injected fault"}')
                return
            try:
                answer = self._forward(head, body)
            except OSError:
                _send_status(conn, 502, b'{"detail": "upstream unreachable"}')
                return
            if action == "error_after":
                _send_status(conn, 502, b'{"detail": "injected fault after the server answered"}')
            elif action == "stall":
                self._stop.wait(self.stall_s)
            elif action == "drop":
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            else:
                with contextlib.suppress(OSError):
                    conn.sendall(answer)

    def _forward(self, head: bytes, body: bytes) -> bytes:
        lines = head.split(b"\r\n")
        kept = [lines[0]]
        for line in lines[1:]:
            name = line.split(b":", 1)[0].strip().lower()
            if name in (b"connection", b"keep-alive", b"proxy-connection", b"host"):
                continue
            kept.append(line)
        kept += [b"Host: %s:%d" % (self.upstream[0].encode(), self.upstream[1]), b"Connection: close"]
        with socket.create_connection(self.upstream, timeout=300) as up:
            up.sendall(b"\r\n".join(kept) + b"\r\n\r\n" + body)
            chunks = []
            while True:
                data = up.recv(1 << 16)
                if not data:
                    break
                chunks.append(data)
        raw = b"".join(chunks)
        # Answer with Connection: close so that the client opens a new connection per request.
        end = raw.find(b"\r\n\r\n")
        if end < 0:
            return raw
        rhead = [
            line
            for line in raw[:end].split(b"\r\n")
            if line.split(b":", 1)[0].strip().lower() not in (b"connection", b"keep-alive")
        ]
        return b"\r\n".join([*rhead, b"Connection: close"]) + raw[end:]


def _read_request(conn: socket.socket) -> tuple[bytes | None, bytes]:
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = conn.recv(1 << 16)
        if not data:
            return None, b""
        buf += data
    head, rest = buf.split(b"\r\n\r\n", 1)
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        elif name.strip().lower() == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        raise ValueError("chunked request bodies are not supported by the test proxy")
    while len(rest) < length:
        data = conn.recv(1 << 16)
        if not data:
            break
        rest += data
    return head, rest


def _send_status(conn: socket.socket, status: int, body: bytes) -> None:
    reason = {500: "Internal Server Error", 502: "Bad Gateway"}.get(status, "Error")
    msg = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + body
    with contextlib.suppress(OSError):
        conn.sendall(msg)


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
