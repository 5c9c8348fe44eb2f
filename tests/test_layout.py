"""The house rules the project's shared tools check (``../shared/tools``, read
from there, beside the checkout): no module imports another module's private
(``_name``) names, and the import graph has no cycle and no arrow into the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import REPO

TOOLS = REPO.parent / "shared" / "tools"


@pytest.mark.parametrize("tool", ["private_imports.py", "import_cycles.py"])
def test_no_private_reach_ins_and_no_import_cycles(tool):
    """``../shared/tools``: no module imports another's ``_name``; no import cycle."""
    p = subprocess.run(
        [sys.executable, str(TOOLS / tool), "toolkit"], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert p.returncode == 0, p.stdout + p.stderr
    if tool == "private_imports.py":
        assert p.stdout.strip() == "0 imports of another module's private names", p.stdout
    else:
        assert " 0 module cycles, 0 package cycles" in p.stdout, p.stdout
