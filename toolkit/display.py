"""Showing untrusted text (file names, paths, reasons that quote them) on a terminal or in a log.

A file name may hold escape sequences (``\\x1b]0;...\\x07`` retitles the
window, ``\\x1b[2J`` clears it) or bidirectional overrides that make a name
read as another; printed raw they act on the user's terminal. ``shown``
writes every such character as a Python-style escape, and leaves letters of
every script, and punctuation, as they are.
"""

from __future__ import annotations

import unicodedata

# Controls, format characters (bidi overrides, zero-width), line and
# paragraph separators, surrogates, private use and unassigned code points.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def shown(text: object) -> str:
    """``text`` safe to print: every control or invisible character escaped (``\\x1b``, ``\\u202e``)."""
    s = str(text)
    if s.isprintable():
        return s  # the common case, at no cost
    return "".join(_escape(ch) if unicodedata.category(ch) in _ESCAPED_CATEGORIES else ch for ch in s)


def shown_lines(text: object) -> str:
    """``shown`` for text of several lines (a table, a log record with its
    traceback): each line escaped, the line breaks (LF) between them kept."""
    return "\n".join(shown(line) for line in str(text).split("\n"))


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells a supplementary character as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_line(obj: object, indent: int | None = None) -> str:
    """``obj`` as one line of JSON, readable (``ensure_ascii=False``) yet safe to print:
    the characters ``shown`` escapes are written as ``\\uXXXX`` escapes, which
    any JSON reader turns back into the same text."""
    import json

    s = json.dumps(obj, ensure_ascii=False, indent=indent)
    if s.isprintable() or (indent is not None and s.replace("\n", "").isprintable()):
        return s
    # "\n" outside strings is the indentation's (json.dumps escapes those inside them)
    return "".join(
        _json_escape(ch) if unicodedata.category(ch) in _ESCAPED_CATEGORIES and ch != "\n" else ch for ch in s
    )


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, singular or plural as English wants: "1 language",
    "2 languages", "0 documents", "1,204 sentences". The one place messages
    count things, so that none says "1 languages"; an irregular plural is given
    (``counted(n, "entry", "entries")``)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
