"""Text helpers the name, term and glossary checks share: folding and bounded matching.

``fold`` makes the comparison the name checks need: case and diacritics
removed (Vietnamese tone and vowel marks, Portuguese accents), ``đ`` read as
``d``, hyphens as spaces, runs of spaces as one. "Núi Thành", "NUI THANH" and
"Nui-Thanh" all fold to "nui thanh".
"""

from __future__ import annotations

import re
import unicodedata

# A Latin letter or digit (ASCII, Latin-1/Extended, Vietnamese's Latin Extended
# Additional). A match must not continue into one of these on either side; Thai
# letters do not count, so a Thai term is found inside unspaced Thai text.
_LATIN_WORD_CHAR = r"0-9A-Za-z\u00C0-\u024F\u1E00-\u1EFF"
_SPECIAL = {"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss", "-": " ", "‐": " ", "–": " "}


def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch.isspace():
        return " "
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base.lower()


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` folded, and for each folded character the index of the original it came from.

    Spaces are collapsed, so that the map lets a match in the folded text be
    cut out of the original (``build_glossary`` keeps the translation's own
    spelling of a name).
    """
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in _fold_char(ch):
            if c == " " and (not out or out[-1] == " "):
                continue
            out.append(c)
            where.append(i)
    return "".join(out), where


def fold(text: str) -> str:
    """Case, diacritics, hyphens and spacing folded away (see the module docstring)."""
    return fold_with_map(text)[0].strip()


def bounded(needle: str) -> re.Pattern[str]:
    """A pattern for ``needle`` that does not start or end inside a Latin word, case-insensitive."""
    return re.compile(rf"(?<![{_LATIN_WORD_CHAR}]){re.escape(needle)}(?![{_LATIN_WORD_CHAR}])", re.IGNORECASE)


def find_folded(needle: str, text: str) -> tuple[int, int] | None:
    """Where ``needle`` occurs in ``text`` when both are folded: original (start, end), or None."""
    want = fold(needle)
    if not want:
        return None
    folded, where = fold_with_map(text)
    m = bounded(want).search(folded)
    if m is None:
        return None
    return where[m.start()], where[m.end() - 1] + 1


def contains_exact(needle: str, text: str) -> bool:
    """``needle`` in ``text``, case-insensitive, NFC-normalised, not inside a Latin word."""
    n, t = unicodedata.normalize("NFC", needle.strip()), unicodedata.normalize("NFC", text)
    return bool(n) and bounded(n).search(t) is not None
