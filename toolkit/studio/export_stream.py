"""A Label Studio JSON export read and written one task at a time.

An export is one JSON array; Python's ``json`` can only parse it whole, so a
pull of 100,000 tasks would hold the text and the parsed list at once.
``iter_tasks`` reads the array from a file in chunks and hands out each
top-level element as ``json`` itself decodes it (``raw_decode`` on a sliding
buffer), so the tasks are exactly what ``json.loads`` of the whole file
would give, NaN and lone surrogates included (``export_shape`` judges those
per task). Memory is one chunk plus the task being read.

``ArrayWriter`` writes the array back as ``json.dumps(tasks,
ensure_ascii=False, indent=1)`` would, byte for byte, one task at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from toolkit.errors import ToolkitError

CHUNK = 1 << 20  # characters read at a time; a task is a few KB
_WS = re.compile(r"[ \t\n\r]*")  # the whitespace JSON allows between values
_AFTER = frozenset(" \t\n\r,]")  # what may follow an element of an array


class StreamError(ToolkitError, ValueError):
    """The file is not a JSON array; ``not_a_list`` tells "valid JSON but no array" from broken JSON."""

    def __init__(self, msg: str, not_a_list: bool = False):
        super().__init__(msg)
        self.msg, self.not_a_list = msg, not_a_list


class _Buffer:
    """The unread rest of a text file: ``text[pos:]`` plus what ``more`` reads next."""

    def __init__(self, fh: IO[str]):
        self.fh, self.text, self.pos, self.eof = fh, "", 0, False

    def more(self) -> bool:
        """Read one chunk more (dropping what was consumed); False at the end of the file.

        The chunk is at least as long as the unread rest, so a value that will
        not decode (a broken file) is retried a logarithmic number of times.
        """
        chunk = self.fh.read(max(CHUNK, len(self.text) - self.pos))
        self.text, self.pos = self.text[self.pos :] + chunk, 0
        self.eof = not chunk
        return bool(chunk)

    def peek(self) -> str:
        """The next character after whitespace ("" at the end of the file), reading on as needed."""
        while True:
            self.pos = _WS.match(self.text, self.pos).end()
            if self.pos < len(self.text) or not self.more():
                return self.text[self.pos : self.pos + 1]


def iter_tasks(path: str | Path) -> Iterator[Any]:
    """Each element of the JSON array in ``path``, in order; ``StreamError`` where the file stops being one.

    Errors come while iterating, so a caller that must not act on a broken
    file reads it through once before acting (``pull`` does: it scans first).
    """
    # utf-8-sig and surrogatepass: what ``json.loads`` of the file's bytes does.
    with open(path, encoding="utf-8-sig", errors="surrogatepass") as fh:
        yield from _elements(_Buffer(fh), json.JSONDecoder())


def _elements(buf: _Buffer, dec: json.JSONDecoder) -> Iterator[Any]:
    first = buf.peek()
    if first != "[":
        raise StreamError("Expecting value" if first == "" else "not a list", not_a_list=first != "")
    buf.pos += 1
    if buf.peek() == "]":
        buf.pos += 1
        return _end(buf)
    while True:
        yield _element(buf, dec)
        sep = buf.peek()
        buf.pos += 1
        if sep == "]":
            return _end(buf)
        if sep != ",":
            raise StreamError("Expecting ',' delimiter" if sep else "Expecting value: the export ends early")
        buf.peek()


def _element(buf: _Buffer, dec: json.JSONDecoder) -> Any:
    """Decode the value at ``buf.pos``, reading more while it may be cut off by the chunk's end."""
    while True:
        try:
            value, end = dec.raw_decode(buf.text, buf.pos)
        except json.JSONDecodeError as e:
            if buf.more():
                continue
            raise StreamError(e.msg) from None
        except RecursionError:
            raise StreamError("nested too deeply to read") from None
        except ValueError:  # an integer of more than 4,300 digits: Python refuses to convert it
            raise StreamError("a number of more than 4,300 digits") from None
        # A value not yet followed by what may follow it in an array may be a number
        # cut by the chunk's end ("1." of "1.5"): read on and decode it again.
        if buf.text[end : end + 1] in _AFTER or buf.eof:
            buf.pos = end
            return value
        buf.more()  # then decode again: ``more`` moves the text


def _end(buf: _Buffer) -> None:
    if buf.peek():
        raise StreamError("Extra data after the list")


class ArrayWriter:
    """Writes tasks to ``fh`` as ``json.dumps(tasks, ensure_ascii=False, indent=1)`` does; ``close`` ends the array."""

    def __init__(self, fh: IO[str]):
        self.fh, self.count = fh, 0
        fh.write("[")

    def write(self, task: Any) -> None:
        # JSON strings hold no raw line break, so every "\n" is between values: indent them one level.
        text = json.dumps(task, ensure_ascii=False, indent=1).replace("\n", "\n ")
        self.fh.write(("\n " if self.count == 0 else ",\n ") + text)
        self.count += 1

    def close(self) -> None:
        self.fh.write("\n]" if self.count else "]")
