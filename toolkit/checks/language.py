"""The translation is not in the target language (copied source, wrong BOS token)."""

from __future__ import annotations

from collections.abc import Callable

from toolkit.languages import to_iso
from toolkit.records import Flag

# Below this many characters, language identification says little.
MIN_CHARS_FOR_LANGID = 25


def language_flags(mt: str, target: str, identify: Callable[[str], str | None]) -> list[Flag]:
    """``wrong_language``: ``identify`` (text -> ISO 639-1 code or None when unsure) disagrees with ``target``."""
    if len(mt) < MIN_CHARS_FOR_LANGID:
        return []
    got = identify(mt)
    want = to_iso(target)
    if got is None or got == want:
        return []
    return [Flag("wrong_language", target, f"looks like {got!r}, expected {want!r}")]
