"""Reading a folder of ``.txt`` articles into ``Document`` records.

Nothing here raises for one bad file: every file yields either a
``Document`` or a ``Skip`` with a reason that names what to do, so that the
rest of the batch goes on. Only a missing or unreadable input *folder* raises
(``InputError``): then nothing can be done at all.

Decoding policy, in this order:

1. A byte order mark decides: UTF-8-sig, UTF-32 LE/BE, UTF-16 LE/BE. The BOM
   is removed from ``Document.text``.
2. NUL bytes that sit (almost) only at odd or only at even positions are
   UTF-16 without a BOM (LE or BE). Thai in UTF-16 has few NULs (only its
   spaces and digits are ASCII), so the pattern, not the count, decides.
3. Any other NUL byte: a binary file.
4. Strict UTF-8.
5. Legacy 8-bit encodings, only where they are unambiguous for the
   languages we read: Windows-874/TIS-620 when the bytes decode to mostly
   Thai letters; Windows-1252 (a superset of Latin-1's printable range,
   which Indonesian, Portuguese and Norwegian files saved "as ANSI" use)
   when the result looks like text and ``charset-normalizer`` also finds a
   coherent single-byte reading. We do not take charset-normalizer's code
   page itself: on short Western texts it often answers cp1250 or
   ISO-8859-10, which turns "ç"/"å" into "č"/"ĺ". The encoding used is kept
   in ``Document.encoding`` so the run summary can warn about it.
6. Otherwise: skipped with "re-save it as UTF-8".

Line ends are NOT normalised: offsets downstream index ``Document.text``,
which must be the file's text (CRLF kept).
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.records import Document, Skip

log = logging.getLogger(__name__)

# A news article is a few kB; a 50 MB "article" is a wrong file (a dump, a
# log) and would sit whole in memory.
MAX_BYTES = 50 * 1024 * 1024

# Above this share of control characters (other than tab/CR/LF/FF/VT) a
# decoded file is binary data that happened to decode.
_MAX_CONTROL_SHARE = 0.01


class InputError(Exception):
    """The input folder itself cannot be read: nothing can be done."""


@dataclass
class _Walk:
    files: list[tuple[str, Path]]  # (relative POSIX path, path to open)
    skips: list[Skip]


def _is_txt(name: str) -> bool:
    return name.lower().endswith(".txt")


def _walk(in_dir: Path) -> _Walk:
    """Every ``*.txt`` under ``in_dir``, following symlinks but never looping.

    A directory is entered once per real (device, inode): a symlink back to
    an ancestor, or a second link to a directory already read, is reported
    and skipped.
    """
    in_dir = Path(in_dir)
    if not in_dir.exists():
        raise InputError(f"input folder {in_dir} does not exist — check the path")
    if in_dir.is_file():
        # One file given instead of a folder: read just that one.
        return _Walk([(in_dir.name, in_dir)], [])
    if not in_dir.is_dir():
        raise InputError(f"input {in_dir} is neither a folder nor a file")

    files: list[tuple[str, Path]] = []
    skips: list[Skip] = []
    seen_dirs: dict[tuple[int, int], str] = {}

    def visit(directory: Path, rel: str) -> None:
        try:
            st = directory.stat()
        except OSError as exc:
            skips.append(Skip(rel or ".", f"cannot read folder ({exc.strerror}) — check it exists and its permissions"))
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            first = seen_dirs[key] or "."
            skips.append(
                Skip(rel, f"folder already read as {first!r} (symlink loop or second link) — skipped, nothing lost")
            )
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
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                visit(path, child_rel)
            elif _is_txt(entry.name):
                files.append((child_rel, path))

    visit(in_dir, "")
    files.sort(key=lambda item: item[0])
    return _Walk(files, skips)


def list_text_files(in_dir: Path) -> list[Path]:
    """Every ``*.txt`` file under ``in_dir`` (recursively), sorted by relative POSIX path.

    Symlinked files and folders are followed; a folder is never entered
    twice, so symlink loops end. Folders that cannot be read are left out
    here and reported by ``iter_documents``.
    """
    return [path for _, path in _walk(Path(in_dir)).files]


def iter_documents(in_dir: Path, max_bytes: int = MAX_BYTES) -> Iterator[Document | Skip]:
    """Yield a ``Document`` per readable article under ``in_dir``, a ``Skip`` per other file.

    Documents come in ``list_text_files`` order, with ``lang=None``. A file
    with the same bytes as an earlier one is skipped as a duplicate.
    """
    walk = _walk(Path(in_dir))
    yield from walk.skips
    seen: dict[str, str] = {}  # sha256 -> first path
    for rel, path in walk.files:
        item = read_document(path, rel, max_bytes=max_bytes)
        if isinstance(item, Document):
            first = seen.get(item.sha256)
            if first is not None:
                item = Skip(rel, f"duplicate of {first} (same bytes) — skipped")
            else:
                seen[item.sha256] = rel
        if isinstance(item, Skip):
            log.warning("%s: %s", item.path, item.reason)
        yield item


def read_document(path: Path, rel: str | None = None, max_bytes: int = MAX_BYTES) -> Document | Skip:
    """Read and decode one file; ``rel`` is its identity (default: its name)."""
    rel = rel if rel is not None else Path(path).name
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        # os.fsdecode() leaves undecodable bytes as surrogates; they cannot
        # be written to UTF-8 JSON downstream.
        shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return Skip(shown, "file name is not valid UTF-8 — rename the file")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return Skip(rel, "broken symbolic link (target missing) — fix or remove the link")
    except PermissionError:
        return Skip(rel, "permission denied — check its permissions")
    except OSError as exc:
        return Skip(rel, f"cannot read ({exc.strerror}) — check the file")
    if not stat.S_ISREG(st.st_mode):
        # Opening a FIFO or a device would block or never end.
        return Skip(rel, "not a regular file (pipe, socket or device) — copy the text into a .txt file")
    if st.st_size > max_bytes:
        return Skip(
            rel, f"too large ({st.st_size / 1e6:.0f} MB, limit {max_bytes / 1e6:.0f} MB) — split it into articles"
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except PermissionError:
        return Skip(rel, "permission denied — check its permissions")
    except IsADirectoryError:
        return Skip(rel, "is a folder named like a file — rename it")
    except OSError as exc:
        return Skip(rel, f"cannot read ({exc.strerror}) — check the file")
    if not data:
        return Skip(rel, "empty file")
    decoded = decode_bytes(data)
    if isinstance(decoded, str):
        return Skip(rel, decoded)
    text, encoding = decoded
    if not text.strip() or all(_is_ignorable(ch) for ch in text):
        return Skip(rel, "empty file (only whitespace)")
    return Document(path=rel, text=text, lang=None, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())


def _is_ignorable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Cf"


_BOMS = (
    # UTF-32 before UTF-16: the UTF-32 LE BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CANNOT_DECODE = "cannot decode as UTF-8/UTF-16 — re-save it as UTF-8"
_BINARY_NUL = "binary file (NUL bytes) — not a text article"
_BINARY_CTRL = "binary file (control characters) — not a text article"


def decode_bytes(data: bytes) -> tuple[str, str] | str:
    """Decode a file's bytes: ``(text, encoding)``, or a skip reason (str).

    The returned text has no BOM; nothing else is changed.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                return f"starts with a {encoding} byte order mark but is not valid {encoding} (byte {exc.start + len(bom)}) — re-save it as UTF-8"
            name = "utf-8-sig" if encoding == "utf-8-sig" else encoding
            return _check_text(text, name)
    if b"\x00" in data:
        utf16 = _sniff_utf16(data)
        if utf16:
            try:
                return _check_text(data.decode(utf16), utf16)
            except UnicodeDecodeError:
                pass
        return _BINARY_NUL
    try:
        return _check_text(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    legacy = _decode_legacy(data)
    if legacy is not None:
        return _check_text(*legacy)
    return _CANNOT_DECODE


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NULs only at odd (LE) or only at even (BE) positions."""
    sample = data[: 1 << 16]
    if len(sample) % 2:
        sample = sample[:-1]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd and even <= odd * 0.02:
        return "utf-16-le"
    if even and odd <= even * 0.02:
        return "utf-16-be"
    return None


def _decode_legacy(data: bytes) -> tuple[str, str] | None:
    if not any(b >= 0x80 for b in data):
        return None  # pure ASCII would have decoded as UTF-8
    try:
        thai = data.decode("cp874")
    except UnicodeDecodeError:
        thai = ""
    if thai:
        letters = [ch for ch in thai if ch.isalpha()]
        if letters and sum("\u0e00" <= ch <= "\u0e7f" for ch in letters) >= 0.5 * len(letters):
            return thai, "cp874"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [ch for ch in text if ord(ch) >= 0x80]
    # Western text: accented letters dominate the non-ASCII characters;
    # binary garbage gives a mix of symbols, box drawing, C1 punctuation.
    if sum(ch.isalpha() for ch in high) < 0.6 * len(high):
        return None
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data).best()
    except Exception:  # a heuristic, never a reason to fail a file
        best = None
    if best is None or best.chaos > 0.2:
        return None
    return text, "cp1252"


def _check_text(text: str, encoding: str) -> tuple[str, str] | str:
    if text:
        controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0b\x0c")
        if controls > _MAX_CONTROL_SHARE * len(text):
            return _BINARY_CTRL if "\x00" not in text else _BINARY_NUL
    return text, encoding
