"""Figure spans carried across by value.

Both texts' figures are found by ``toolkit.figures.extract_figures`` and
paired by ``compare_figures`` (same value across scripts, separators,
scale words and eras: "165,34 bilhões de VND" = "165,34 tỷ đồng",
"2561-2566" = "2018-2023"). A figure span of the source lands on the
figure its source figure was *matched* with; pairs the comparison calls
"changed" are a translation error, not a place to put a label. A span
covering several source figures ("4,459/4,671", which the finder reads as
two counts) lands on their partners when those stand together in the same
order.
"""

from __future__ import annotations

import re

from toolkit.figures import compare_figures, extract_figures
from toolkit.projection.text import overlaps
from toolkit.records import Figure

Interval = tuple[int, int]
_JOINER = re.compile(r"\s*[/\-–—:]?\s*")


class FigurePairs:
    """The matched figures of one source and one target text."""

    def __init__(self, src: str, tgt: str, src_lang: str, tgt_lang: str) -> None:
        self.src_figs = extract_figures(src, src_lang)
        self.tgt_figs = extract_figures(tgt, tgt_lang)
        self.tgt = tgt
        cmp = compare_figures(self.src_figs, self.tgt_figs)
        self.partner: dict[int, Figure] = {id(s): t for s, t in cmp.matched}

    def place(self, start: int, end: int) -> Interval | None:
        """Where the source span ``[start, end)`` goes in the target, or None."""
        covered = [f for f in self.src_figs if overlaps((f.start, f.end), (start, end))]
        if not covered or any(id(f) not in self.partner for f in covered):
            return None
        # A span must be (about) its figures: a figure inside a longer span is
        # not the span ("Kongres ke-22" is a name, not an ORDINAL).
        inside = sum(min(end, f.end) - max(start, f.start) for f in covered)
        if inside < 0.6 * (end - start):
            return None
        partners = sorted({id(p): p for p in (self.partner[id(f)] for f in covered)}.values(), key=lambda p: p.start)
        if len(partners) != len(covered):
            return None
        if [p for p in (self.partner[id(f)] for f in covered)] != partners:
            return None  # the order changed: the hull would hold something else
        for a, b in zip(partners, partners[1:], strict=False):
            if not _JOINER.fullmatch(self.tgt[a.end : b.start]):
                return None
        return partners[0].start, partners[-1].end
