"""An output path checked before a command does any work.

A command that reads, contacts a server or trains for minutes and only then
finds that its ``--out`` cannot be written has wasted that time and printed
its progress before the error; asked first, the refusal is its one line.
Nothing is created here: a refused command leaves nothing behind.
"""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.errors import ToolkitError


class OutPathError(ToolkitError, OSError):
    """An output path that cannot be written (one line: the CLI's boundary says it)."""


def check_writable(path: Path, option: str = "--out") -> None:
    """Raise ``OutPathError`` unless ``path`` (a file or a folder to write) can be made.

    Its nearest existing folder (``path`` itself when it is one, else its
    parent when it is a file, else the first ancestor that exists) must be a
    folder this process may write into.
    """
    p = Path(path).expanduser().absolute()
    there = next(a for a in (p, *p.parents) if a.exists() or a.is_symlink())
    folder = there if there == p and p.is_dir() else there.parent if there == p else there
    if not folder.is_dir():
        raise OutPathError(f"cannot write {option} {path}: {folder} is not a folder; choose another {option}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutPathError(f"cannot write {option} {path}: {folder} is not writable; choose another {option}")
