"""Run a command in a network namespace of its own that has loopback alone.

Ray binds to the machine's network address whatever it is told (ray#26293,
ray#59110), and tests may send traffic only to loopback: inside
``unshare --net`` with ``lo`` up, the only address is 127.0.0.1, so Ray uses
it. Needs root (or user namespaces); ``netns_problem`` says why not.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess

#: Set inside the namespace, so that a test knows it may start Ray.
INSIDE = "TOOLKIT_RAY_NETNS"


def netns_problem() -> str | None:
    """None when ``unshare --net`` works here, else the reason it does not."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "needs unshare and ip (util-linux, iproute2)"
    p = subprocess.run(["unshare", "--net", "true"], capture_output=True, text=True)
    return None if p.returncode == 0 else f"unshare --net failed: {p.stderr.strip()[:200]} (run as root)"


def run_in_netns(
    argv: list[str], timeout: float, cwd: str | None = None, capture: bool = True
) -> subprocess.CompletedProcess:
    """``argv`` in a namespace of its own; ``capture`` False lets its output through (a benchmark's progress)."""
    cmd = f"ip link set lo up && exec {shlex.join(argv)}"
    env = {**os.environ, INSIDE: "1", "RAY_USAGE_STATS_ENABLED": "0"}
    return subprocess.run(
        ["unshare", "--net", "sh", "-c", cmd], capture_output=capture, text=True, env=env, timeout=timeout, cwd=cwd
    )
