"""Scores of first-batch guesses against gold spans, on characters: a guess
counts when it overlaps a gold span of its label ("overlap", which forgives
corpora that draw span edges differently from our guidelines: titles inside
PER in ThaiNER) or when it has the gold span's exact edges ("exact").

Overlap precision: guesses that overlap a gold span of their label / guesses;
overlap recall: gold spans overlapped by a guess of their label / gold spans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from toolkit.records import AnnotatedText, Span


@dataclass
class Counts:
    """Tallies for one label (or all): guesses, gold spans and their hits."""

    guessed: int = 0
    gold: int = 0
    guess_overlaps: int = 0  # guesses overlapping a gold span of their label
    gold_overlapped: int = 0  # gold spans overlapped by a guess of their label
    exact: int = 0  # guesses with a gold span's edges and label

    def add(self, other: Counts) -> None:
        for f in ("guessed", "gold", "guess_overlaps", "gold_overlapped", "exact"):
            setattr(self, f, getattr(self, f) + getattr(other, f))

    def as_dict(self) -> dict[str, float | int]:
        def div(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        p, r = div(self.guess_overlaps, self.guessed), div(self.gold_overlapped, self.gold)
        ep, er = div(self.exact, self.guessed), div(self.exact, self.gold)
        return {
            "guessed": self.guessed,
            "gold": self.gold,
            "overlap_precision": p,
            "overlap_recall": r,
            "overlap_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "exact_precision": ep,
            "exact_recall": er,
            "exact_f1": round(2 * ep * er / (ep + er), 4) if ep + er else 0.0,
        }


@dataclass
class GuessScores:
    """Counts per label and over all labels."""

    per_label: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))

    @property
    def overall(self) -> Counts:
        total = Counts()
        for c in self.per_label.values():
            total.add(c)
        return total

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.as_dict(),
            "per_label": {lab: c.as_dict() for lab, c in sorted(self.per_label.items())},
        }


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def score_guesses(
    records: Sequence[AnnotatedText], predicted: Sequence[Sequence[Span]], labels: Sequence[str]
) -> GuessScores:
    """Overlap and exact scores of ``predicted`` against each record's gold spans, per label."""
    keep = set(labels)
    scores = GuessScores()
    for rec, pred in zip(records, predicted, strict=True):
        gold = [s for s in rec.spans if s.label in keep]
        guesses = [s for s in pred if s.label in keep]
        for lab in keep:
            g = [s for s in gold if s.label == lab]
            q = [s for s in guesses if s.label == lab]
            c = scores.per_label[lab]
            c.gold += len(g)
            c.guessed += len(q)
            c.guess_overlaps += sum(any(_overlaps(x, y) for y in g) for x in q)
            c.gold_overlapped += sum(any(_overlaps(y, x) for x in q) for y in g)
            edges = {(y.start, y.end) for y in g}
            c.exact += sum((x.start, x.end) in edges for x in q)
    return scores
