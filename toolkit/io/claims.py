"""Which input each output path of a run belongs to, so that no two inputs write one file.

Output names derive from input names: ``a.html`` and ``a.html.txt`` both
become ``translations/<target>/a.html.txt``; a table folder named
``eng_Latn`` would become ``translations/eng_Latn``, the folder of every
document's English translation. ``OutputClaims`` gives each path to the
first input that asks for it; a later input asking for a path that is taken
(the same file, a folder holding claimed files, or a file inside a claimed
one) is given the same name with ``~`` and 8 hex digits of its own name's
hash before the extension (``a.html~3f2a9c01.txt``): stable from run to run,
and said in a warning.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path

from toolkit.display import shown

log = logging.getLogger(__name__)


class OutputClaims:
    """The run's output paths and their owners (an input's relative path)."""

    def __init__(self, reserved: Iterable[Path] = ()) -> None:
        self.files: dict[Path, str] = {}
        self.dirs: set[Path] = set()  # folders that hold claimed files, and those reserved (the target folders)
        for d in reserved:
            self.dirs.add(d)
            self.dirs.update(d.parents)

    def _taken(self, path: Path, owner: str) -> bool:
        if path in self.files:
            return self.files[path] != owner
        return path in self.dirs or self._blocking(path, owner) is not None

    def _blocking(self, path: Path, owner: str) -> Path | None:
        """The shallowest folder of ``path`` that is another input's file, if any."""
        for parent in reversed(path.parents):
            if parent in self.files and self.files[parent] != owner:
                return parent
        return None

    def claim(self, path: Path, owner: str) -> Path:
        """``path`` if it is free (or already ``owner``'s), else ``owner``'s own variant of it:
        of the folder in its way when that is another input's file, else of its own name."""
        out = path
        while self._taken(out, owner):
            block = self._blocking(out, owner)
            if block is None:
                out = variant(out, owner)
            else:
                out = variant(block, owner) / out.relative_to(block)
        if out != path:
            log.warning(
                "%s: its output %s is another input's; written as %s instead",
                shown(owner),
                shown(path.name),
                shown(out),
            )
        self.files[out] = owner
        self.dirs.update(out.parents)
        return out


def variant(path: Path, owner: str) -> Path:
    """``path`` with ``~`` and a hash of ``owner`` before its last extension."""
    tag = "~" + hashlib.sha256(owner.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    name = path.name
    dot = name.rfind(".")
    if dot > 0:
        return path.with_name(name[:dot] + tag + name[dot:])
    return path.with_name(name + tag)


def owner(doc) -> str:
    """Who claims a document's outputs: its path, and for a table's row the row as well
    (a row ``t.csv#1.html`` and a file named ``t.csv#1.html`` are two inputs)."""
    meta = getattr(doc, "meta", None) or {}
    if doc.format == "rows" and "table" in meta:
        return f"{doc.path} (row {meta.get('row')} of {meta['table']})"
    return doc.path
