"""Folding texts for matching, with a map back to the original offsets.

Names are matched on a *folded* form of both texts: case folded, Latin
diacritics removed ("Núi Thành" -> "nui thanh", "đ" -> "d"), hyphens,
dashes and whitespace runs made one space, curly apostrophes made straight.
Thai combining vowels and tone marks are kept: they are letters of the
word, not accents. Every folded character remembers the original
character it came from, so that a match on the folded text is a span of
the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from toolkit.languages import is_thai_char

_SPACE_LIKE = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212_")
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"}
_LETTER_MAP = {"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss", "ł": "l", "Ł": "l"}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _LETTER_MAP:
        return _LETTER_MAP[ch]
    if ch in _APOSTROPHES:
        return _APOSTROPHES[ch]
    if ch.isspace() or ch in _SPACE_LIKE:
        return " "
    if is_thai_char(ch):
        return ch
    out = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return out.casefold()


@dataclass(frozen=True)
class Folded:
    """``text`` folded; ``index[i]`` is the original offset of ``text[i]``, ``index[len]`` the original length."""

    text: str
    index: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span ``[start, end)``."""
        return self.index[start], self.index[end - 1] + 1


@lru_cache(maxsize=512)
def fold(text: str) -> Folded:
    """Fold ``text`` for matching (see the module doc); space runs become one space."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for c in _fold_char(ch):
            if c == " " and chars and chars[-1] == " ":
                continue
            chars.append(c)
            index.append(i)
    index.append(len(text))
    return Folded("".join(chars), tuple(index))


def fold_key(text: str) -> str:
    """The folded form of a name, trimmed: what two spellings of one name share."""
    return fold(text).text.strip(" .,;:'\"()")


def _is_word(ch: str) -> bool:
    return ch.isalnum() and not is_thai_char(ch)


def at_boundary(s: str, start: int, end: int) -> bool:
    """Whether ``s[start:end]`` is whole words: no Latin letter or digit glued on either side.

    Thai has no spaces, so a Thai neighbour is no obstacle ("นคร" + "ห่าติ๋ญ").
    """
    if start > 0 and _is_word(s[start - 1]) and _is_word(s[start]):
        return False
    return not (end < len(s) and _is_word(s[end]) and _is_word(s[end - 1]))


def find_all(haystack: Folded, key: str) -> list[tuple[int, int]]:
    """Original spans of every whole-word occurrence of the folded ``key``, left to right, not overlapping."""
    out: list[tuple[int, int]] = []
    if not key:
        return out
    s = haystack.text
    pos = s.find(key)
    while pos >= 0:
        end = pos + len(key)
        if at_boundary(s, pos, end):
            out.append(haystack.span(pos, end))
            pos = s.find(key, end)
        else:
            pos = s.find(key, pos + 1)
    return out


_CAP_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w]*)*|[0-9]+[A-Za-z]+")


def capitalised_runs(text: str, max_words: int = 5) -> list[tuple[int, int]]:
    """Spans of runs of capitalised words ("Hà Huy Tập", "Kỳ Anh"), and every sub-run of them.

    These are the candidate names in a Latin-script text for a name written
    in another script; sub-runs let "Nguyễn Đức Danh" be found inside
    "Comrade Nguyễn Đức Danh".
    """
    words = [(m.start(), m.end()) for m in _CAP_WORD.finditer(text)]
    runs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    prev_end = -1
    for a, b in words:
        cap = text[a].isupper() or text[a].isdigit()
        joined = current and text[prev_end:a].strip() == ""
        if cap and (joined or not current):
            current.append((a, b))
        elif cap:
            runs.append(current)
            current = [(a, b)]
        else:
            if current:
                runs.append(current)
            current = []
        prev_end = b
    if current:
        runs.append(current)
    out: list[tuple[int, int]] = []
    for run in runs:
        for i in range(len(run)):
            for j in range(i, min(len(run), i + max_words)):
                out.append((run[i][0], run[j][1]))
    return out


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
