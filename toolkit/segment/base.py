"""The Segmenter base class and the span helpers every segmenter shares.

A segmenter splits ONE paragraph (a line, without its line break) into
sentences and returns character spans into that paragraph. Spans are
stripped of surrounding whitespace and invisible format characters, are in
order, do not overlap, and together cover every other character of the
paragraph: segmenters only choose *where* sentences start, and
``spans_from_starts`` turns those starts into spans, so that no character
can fall between two sentences, whatever a third-party splitter drops.
"""

from __future__ import annotations

import unicodedata
from abc import ABC, abstractmethod

# No sentence is let through longer than this: a 1 MB line without
# punctuation would otherwise reach the translator whole. Normal long
# sentences (a few hundred characters) are left alone: the translator splits
# those at clause boundaries itself.
HARD_MAX_CHARS = 2000


def is_ignorable(ch: str) -> bool:
    """Whitespace or an invisible format character (ZWSP, ZWJ, BOM, RLM, ...)."""
    return ch.isspace() or unicodedata.category(ch) == "Cf"


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past ignorable characters at both ends."""
    while start < end and is_ignorable(text[start]):
        start += 1
    while end > start and is_ignorable(text[end - 1]):
        end -= 1
    return start, end


def spans_from_starts(text: str, starts: list[int]) -> list[tuple[int, int]]:
    """Sentence spans from sentence start offsets; each runs to the next start.

    Empty (all-ignorable) pieces are dropped, so the result covers every
    visible character of ``text`` exactly once.
    """
    cuts = sorted({s for s in starts if 0 < s < len(text)})
    bounds = [0, *cuts, len(text)]
    spans = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        s, e = strip_span(text, a, b)
        if s < e:
            spans.append((s, e))
    return spans


def safe_cut(text: str, pos: int, low: int) -> int:
    """A cut near ``pos`` (not below ``low``): at whitespace if there is some, never inside a character cluster."""
    space = text.rfind(" ", low + 1, pos + 1)
    if space > low:
        return space
    cut = pos
    # Do not separate a base letter from its combining marks (Thai vowels and tones, accents).
    while cut > low + 1 and unicodedata.category(text[cut]).startswith("M"):
        cut -= 1
    return cut


def cap_lengths(text: str, spans: list[tuple[int, int]], max_chars: int = HARD_MAX_CHARS) -> list[tuple[int, int]]:
    """Cut spans longer than ``max_chars`` at whitespace (or anywhere, if there is none)."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if end - start <= max_chars:
            out.append((start, end))
            continue
        starts = [start]
        pos = start
        while end - pos > max_chars:
            pos = safe_cut(text, pos + max_chars, pos)
            starts.append(pos)
        pieces = spans_from_starts(text[start:end], [s - start for s in starts])
        out.extend((start + a, start + b) for a, b in pieces)
    return out


class Segmenter(ABC):
    """Splits a paragraph into sentence spans. One subclass per script family."""

    name: str = "base"

    def __init__(self, lang: str) -> None:
        self.lang = lang  # NLLB code

    @abstractmethod
    def sentence_starts(self, text: str) -> list[int]:
        """Offsets in ``text`` (one paragraph, no line breaks) where sentences start."""

    def spans(self, text: str, max_chars: int | None = HARD_MAX_CHARS) -> list[tuple[int, int]]:
        """Stripped, ordered, non-overlapping sentence spans covering all of ``text``.

        Sentences longer than ``max_chars`` are cut at whitespace (None: never).
        """
        if not text or all(is_ignorable(ch) for ch in text):
            return []
        spans = spans_from_starts(text, self.sentence_starts(text))
        if max_chars is not None and any(e - s > max_chars for s, e in spans):
            spans = cap_lengths(text, spans, max_chars)
        return spans

    def split(self, text: str) -> list[str]:
        """The sentences of ``text`` as strings."""
        return [text[s:e] for s, e in self.spans(text)]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.lang!r})"
