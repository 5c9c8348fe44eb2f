"""Writing files so that a crash never leaves half a file behind.

Readers (and a resumed run) either see the old file or the whole new one:
we write to a temporary file in the same folder, fsync it, then rename it
over the target, which is atomic on POSIX file systems.

A killed process leaves its temporary file behind. The names follow one
pattern, ``.tk-tmp-<pid>-<random>.tmp``, so that the next run in the folder
can find and remove them (``remove_stale_temps``); they do not hold the
target's name, so a target whose name is near the file system's 255-byte
limit can still be written.

Whether an ``OSError`` while writing one document's output is that
document's problem (its name, its permissions) or the run's (the disk is
full) is decided here, in ``document_skip``, for every writer.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from toolkit.records import Skip

TEMP_PREFIX = ".tk-tmp-"
_TEMP_NAME = re.compile(r"^\.tk-tmp-(\d+)-[A-Za-z0-9_]+\.tmp$")

# No space, no quota, a file-size limit: every later write fails alike, so
# the run stops (with its finished translations kept in the cache).
RUN_LEVEL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it over ``path`` on success.

    On an exception the temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp", dir=target.parent)
    binary = "b" in mode
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else "") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def remove_stale_temps(folder: Path, before: float) -> list[Path]:
    """Remove the temporary files a killed run left under ``folder``; returns them.

    Only files named by ``atomic_open``, last changed before ``before`` (the
    start of this run) and whose process is gone: a live writer's file is
    never touched.
    """
    removed: list[Path] = []
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            m = _TEMP_NAME.match(name)
            if m is None:
                continue
            p = Path(dirpath) / name
            with contextlib.suppress(OSError):
                if p.lstat().st_mtime < before and not _alive(int(m.group(1))):
                    p.unlink()
                    removed.append(p)
    return removed


def document_skip(exc: OSError, rel: str) -> Skip | None:
    """The ``Skip`` for document ``rel`` whose output could not be written, or None if the run must stop.

    One document's output path the file system refuses (a name past 255
    bytes, a path past PATH_MAX, a file or folder it may not write) is that
    document's problem; a full disk, a quota or a size limit is the run's.
    """
    if exc.errno in RUN_LEVEL_ERRNOS:
        return None
    if exc.errno == errno.ENAMETOOLONG:
        return Skip(rel, "its output's name or path is too long for the file system — shorten the file or folder name")
    what = exc.strerror or str(exc)
    return Skip(rel, f"cannot write its output ({what}) — check the run folder's permissions and run again")
