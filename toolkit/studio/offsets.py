"""Character offsets at Label Studio's border: code points <-> UTF-16 units.

Python counts code points; JavaScript strings count UTF-16 code units, so a
character outside the Basic Multilingual Plane (most emoji, some CJK) is one
position in Python and two in the browser. Thai combining marks (ั ิ ่ ้ ...)
are separate code points in both, so they never shift offsets; only astral
characters do.

What Label Studio 1.23 does (read in its editor's source, shipped as the
source map of ``web/dist/apps/labelstudio/358.js``, file
``libs/editor/src/tags/object/RichText/domManager.ts``): the editor splits a
text with ``[...text]`` (code points) and converts the DOM's UTF-16 selection
offsets into code points (``getGlobalOffsetByRelative``) before it stores a
region, and the JSON export writes what was stored. So the toolkit sends
predictions in code points, unchanged. Checked in Chromium with Label Studio
1.23.2 (``scripts/screenshot_task.py``, docs/screenshots/README.md): predictions
after an emoji are painted on the right characters, and a browser selection at
UTF-16 12-23 is stored as 11-22. Exports made by older versions (before the editor's fix)
or by tools that count UTF-16 units are repaired by ``locate_span``, which
tries the UTF-16 reading when the code-point reading does not match.
"""

from __future__ import annotations


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what ``text.length`` is in JS)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_utf16(text: str, offset: int) -> int:
    """Code-point ``offset`` into ``text`` -> the same position in UTF-16 units."""
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} outside a text of {len(text)} characters")
    return utf16_len(text[:offset])


def from_utf16(text: str, offset: int) -> int:
    """UTF-16 ``offset`` into ``text`` -> code points.

    Raises ``ValueError`` for an offset past the end or one that falls between
    the two halves of a surrogate pair (no code-point position matches it).
    """
    units = 0
    for i, ch in enumerate(text):
        if units == offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > offset:
            raise ValueError(f"UTF-16 offset {offset} splits the character {ch!r} at {i}")
    if units == offset:
        return len(text)
    raise ValueError(f"UTF-16 offset {offset} outside a text of {units} UTF-16 units")


def locate_span(text: str, start: int, end: int, expected: str) -> tuple[int, int] | None:
    """Code-point offsets of a span whose ``start``/``end`` may be in either unit.

    Returns ``(start, end)`` in code points when ``text[start:end] == expected``
    read as code points or, failing that, as UTF-16 units; ``None`` when
    neither reading gives ``expected`` (the span does not belong to ``text``).
    """
    if 0 <= start <= end <= len(text) and text[start:end] == expected:
        return start, end
    try:
        s, e = from_utf16(text, start), from_utf16(text, end)
    except ValueError:
        return None
    if text[s:e] == expected:
        return s, e
    return None
