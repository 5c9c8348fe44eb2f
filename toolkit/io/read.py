"""Reading a folder of articles into ``Document`` records, whatever their format.

Nothing here raises for one bad file: every file yields either a
``Document`` (a table file: one per row) or a ``Skip`` with a reason that
names what to do, so that the rest of the batch goes on. Only a missing or
unreadable input *folder* raises (``InputError``): then nothing can be done
at all.

Which files: every file whose extension a reader in ``toolkit.io.formats``
knows (``.txt``, ``.html``/``.htm``, ``.md``/``.markdown``, ``.docx``,
``.jsonl``, ``.csv``/``.tsv``, ``.parquet``), and every folder written by
``datasets.Dataset.save_to_disk`` (read as one table, not walked into);
other files are left alone. The content overrides a lying extension (see
``toolkit.io.formats.sniff``).

Single-document files are read whole (``MAX_BYTES`` at most) and
de-duplicated by their bytes; tables are streamed row by row with no size
limit, and de-duplicated by their bytes too (hashed in a streaming pass).
How bytes become text: ``toolkit.io.formats.txt``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.display import shown
from toolkit.errors import ToolkitError
from toolkit.io import formats
from toolkit.io.formats import rows
from toolkit.io.formats.txt import decode_bytes
from toolkit.records import Document, Skip

__all__ = ["InputError", "MAX_BYTES", "decode_bytes", "iter_documents", "list_input_files", "read_document"]

log = logging.getLogger(__name__)

# A news article is a few kB; a 50 MB "article" is a wrong file (a dump, a
# log) and would sit whole in memory.
MAX_BYTES = 50 * 1024 * 1024


class InputError(ToolkitError):
    """The input folder itself cannot be read: nothing can be done."""


@dataclass
class _Walk:
    files: list[tuple[str, Path]]  # (relative POSIX path, path to open)
    skips: list[Skip]


def _is_input(name: str) -> bool:
    return formats.format_of(name) is not None


def looks_like_run_folder(path: Path) -> bool:
    """A folder ``toolkit translate`` wrote (its ``run.json`` and ``bitext.jsonl``): outputs, not articles."""
    return (path / "run.json").is_file() and (path / "bitext.jsonl").is_file()


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _walk(in_dir: Path, exclude: Path | None = None, follow_symlinks: bool = False) -> _Walk:
    """Every input file (and dataset folder) under ``in_dir``, never looping.

    A directory is entered once per real (device, inode): a symlink back to
    an ancestor, or a second link to a directory already read, is reported
    and skipped. ``exclude`` (the run folder, when ``--out`` lies inside the
    input) is never entered, nor is any folder that looks like a run folder,
    so that a run never reads its own outputs as articles. Symbolic links
    are followed only where they stay inside ``in_dir``, unless
    ``follow_symlinks``: a link to any readable file on the machine would
    otherwise end up in the bitext.
    """
    in_dir = Path(in_dir)
    if not in_dir.exists():
        raise InputError(f"input folder {in_dir} does not exist — check the path")
    if in_dir.is_file() or (in_dir.is_dir() and rows.is_dataset_dir(in_dir)):
        # One file (or one dataset) given instead of a folder: read just that one.
        return _Walk([(in_dir.name, in_dir)], [])
    if not in_dir.is_dir():
        raise InputError(f"input {in_dir} is neither a folder nor a file")

    files: list[tuple[str, Path]] = []
    skips: list[Skip] = []
    seen_dirs: dict[tuple[int, int], str] = {}
    root = Path(os.path.realpath(in_dir))
    excluded = Path(os.path.realpath(exclude)) if exclude is not None else None

    def visit(directory: Path, rel: str) -> None:
        try:
            st = directory.stat()
        except OSError as exc:
            skips.append(Skip(rel or ".", f"cannot read folder ({exc.strerror}) — check it exists and its permissions"))
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            first = seen_dirs[key] or "."
            skips.append(Skip(rel, f"folder already read as {first!r} (symlink loop or second link) — nothing lost"))
            return
        seen_dirs[key] = rel
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except PermissionError:
            skips.append(Skip(rel or ".", "cannot list folder: permission denied — check its permissions"))
            return
        except OSError as exc:
            skips.append(Skip(rel or ".", f"cannot list folder ({exc.strerror}) — check it"))
            return
        for entry in entries:
            child_rel = f"{rel}/{entry.name}" if rel else entry.name
            path = Path(entry.path)
            real = Path(os.path.realpath(path))
            if entry.is_symlink() and not follow_symlinks and not _within(real, root):
                if entry.is_dir() or _is_input(entry.name):
                    skips.append(Skip(child_rel, _OUTSIDE_LINK))
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir and excluded is not None and real == excluded:
                continue  # this run's own folder: its outputs are not articles
            if is_dir and looks_like_run_folder(path):
                skips.append(Skip(child_rel, _RUN_FOLDER))
            elif is_dir and rows.is_dataset_dir(path):
                files.append((child_rel, path))
            elif is_dir:
                visit(path, child_rel)
            elif _is_input(entry.name):
                files.append((child_rel, path))

    visit(in_dir, "")
    files.sort(key=lambda item: item[0])
    return _Walk(files, skips)


_OUTSIDE_LINK = "symbolic link to outside the input folder — not followed; copy the file in, or pass --follow-symlinks"
_RUN_FOLDER = "a run folder (run.json and bitext.jsonl), not articles — not read; move it out of the input folder"


def list_input_files(in_dir: Path, exclude: Path | None = None, follow_symlinks: bool = False) -> list[Path]:
    """Every input file (and dataset folder) under ``in_dir`` (recursively), sorted by relative POSIX path.

    Symbolic links are followed when they stay inside ``in_dir`` (all of them
    with ``follow_symlinks``); a folder is never entered twice, so symlink
    loops end. Folders that cannot be read are left out
    here and reported by ``iter_documents``.
    """
    return [path for _, path in _walk(Path(in_dir), exclude, follow_symlinks).files]


def iter_documents(
    in_dir: Path,
    max_bytes: int = MAX_BYTES,
    *,
    text_field: str | None = None,
    id_field: str | None = None,
    exclude: Path | None = None,
    follow_symlinks: bool = False,
) -> Iterator[Document | Skip]:
    """Yield a ``Document`` per readable article under ``in_dir``, a ``Skip`` per other file (or row).

    Documents come in ``list_input_files`` order (a table's rows in their
    order), with ``lang=None``. A file with the same bytes as an earlier one
    is skipped as a duplicate. ``text_field``/``id_field`` name a table's
    text and id columns (``toolkit.io.formats.rows``); ``exclude`` and
    ``follow_symlinks``: see ``_walk``.
    """
    walk = _walk(Path(in_dir), exclude, follow_symlinks)
    yield from walk.skips
    seen: dict[str, str] = {}  # sha256 -> first path
    for rel, path in walk.files:
        fmt = "rows" if path.is_dir() else formats.format_of(path.name)
        if fmt == "rows":
            items = _guarded(rel, _read_table(path, rel, seen, text_field, id_field))
        else:
            try:
                item = read_document(path, rel, max_bytes=max_bytes)
            except Exception as e:  # noqa: BLE001  (one file's reader error costs that file; the log has the traceback)
                item = _failed(rel, e)
            if isinstance(item, Document):
                first = seen.get(item.sha256)
                if first is not None:
                    item = Skip(rel, duplicate_reason(first))
                else:
                    seen[item.sha256] = rel
            items = iter([item])
        for item in items:
            if isinstance(item, Skip):
                log.warning("%s%s: %s", shown(item.path), f":{item.line}" if item.line else "", shown(item.reason))
            yield item


def duplicate_reason(first: str) -> str:
    """The skip reason of an input with the bytes of an earlier one (``toolkit extract`` reads it back)."""
    return f"duplicate of {first} (same bytes) — read once, as {first}"


def _failed(rel: str, e: BaseException) -> Skip:
    log.error("%s: its reader failed", shown(rel), exc_info=e)
    return Skip(rel, f"could not be read ({type(e).__name__}: {shown(str(e)[:200])}) — please report this")


def _guarded(rel: str, items: Iterator[Document | Skip]) -> Iterator[Document | Skip]:
    """A table's rows until its reader fails: then one Skip for the rest, the rows before kept."""
    try:
        yield from items
    except Exception as e:  # noqa: BLE001  (see iter_documents)
        yield _failed(rel, e)


def _read_table(
    path: Path, rel: str, seen: dict[str, str], text_field: str | None, id_field: str | None
) -> Iterator[Document | Skip]:
    problem = _check_file(path, rel) if path.is_file() else None
    if problem is not None:
        yield problem
        return
    try:
        digest = _hash_table(path)
    except OSError as exc:
        yield Skip(rel, f"cannot read ({exc.strerror}) — check the file")
        return
    first = seen.get(digest)
    if first is not None:
        yield Skip(rel, duplicate_reason(first))
        return
    seen[digest] = rel
    kind = "dataset" if path.is_dir() else rows.KINDS[path.suffix.lower()]
    yield from rows.read(path, rel, kind, text_field, id_field)


def _hash_table(path: Path) -> str:
    """SHA-256 of a table file, or of a dataset folder's files (names and bytes), streamed."""
    h = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        if f != path:
            h.update(f.relative_to(path).as_posix().encode() + b"\0")
        with open(f, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


def _gone(path: Path) -> str:
    """Why a listed file is not found: a link to nothing, or a file removed since the folder was listed."""
    if os.path.islink(path):
        return "broken symbolic link (target missing) — fix or remove the link"
    return "disappeared while reading (deleted or moved after the folder was listed) — check it and run again"


def _check_file(path: Path, rel: str, max_bytes: int | None = None) -> Skip | None:
    """Why ``path`` cannot be read as a file (name, link, type, size), or None."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        # os.fsdecode() leaves undecodable bytes as surrogates; they cannot
        # be written to UTF-8 JSON downstream.
        readable = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return Skip(readable, "file name is not valid UTF-8 — rename the file")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return Skip(rel, _gone(path))
    except PermissionError:
        return Skip(rel, "permission denied — check its permissions")
    except OSError as exc:
        return Skip(rel, f"cannot read ({exc.strerror}) — check the file")
    if not stat.S_ISREG(st.st_mode):
        # Opening a FIFO or a device would block or never end.
        return Skip(rel, "not a regular file (pipe, socket or device) — copy the text into a .txt file")
    if max_bytes is not None and st.st_size > max_bytes:
        return Skip(
            rel, f"too large ({st.st_size / 1e6:.0f} MB, limit {max_bytes / 1e6:.0f} MB) — split it into articles"
        )
    return None


def read_document(path: Path, rel: str | None = None, max_bytes: int = MAX_BYTES) -> Document | Skip:
    """Read one single-document file (txt, html, md, docx); ``rel`` is its identity (default: its name).

    A table file holds many documents: read it with ``iter_documents``.
    """
    rel = rel if rel is not None else Path(path).name
    fmt = formats.format_of(Path(path).name) or "txt"
    if fmt == "rows" or Path(path).is_dir():
        if Path(path).is_dir() and not rows.is_dataset_dir(Path(path)):
            return Skip(rel, "is a folder named like a file — rename it")
        return Skip(rel, "a table of rows, one document each — read it with iter_documents")
    problem = _check_file(Path(path), rel, max_bytes)
    if problem is not None:
        return problem
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        return Skip(rel, _gone(Path(path)))
    except PermissionError:
        return Skip(rel, "permission denied — check its permissions")
    except IsADirectoryError:
        return Skip(rel, "is a folder named like a file — rename it")
    except OSError as exc:
        return Skip(rel, f"cannot read ({exc.strerror}) — check the file")
    if not data:
        return Skip(rel, "empty file")
    return formats.read_bytes(data, rel, fmt, Path(path).resolve())
