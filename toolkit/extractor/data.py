"""How the models walk a text: line by line, and in overlapping windows.

Tokens and BIO tags are ``toolkit.segment.tokens`` (one tokeniser for the
CRF, the export's BIO view and the evaluation, so that gold and predicted
tags always sit on the same tokens).
"""

from __future__ import annotations


def windows(n: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Overlapping ``[start, end)`` windows over ``n`` items, ``stride`` apart.

    The last window is shifted back to end at ``n`` so that no window is
    short and every item is covered.
    """
    if n <= size:
        return [(0, n)]
    out = []
    start = 0
    while True:
        end = min(start + size, n)
        out.append((max(0, end - size), end))
        if end == n:
            return out
        start += stride


def lines_of(text: str) -> list[tuple[int, str]]:
    """Non-blank lines of ``text`` with their offsets: models tag line by line,
    so no entity ever runs across a line break."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out
