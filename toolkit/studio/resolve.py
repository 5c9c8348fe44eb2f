"""Several annotations of one task: the rule that picks the one to train on, and where annotators disagree.

Label Studio keeps every annotator's annotation of a task; a model learns
from one. The rules (``--resolve``):

- ``latest``: the most recently updated annotation that has results (an
  empty one only when none has); what the toolkit always did;
- ``majority``: the annotation that agrees best with the task's other
  annotations (mean exact-match span F1 against each of them), so two
  annotators out of three who agree outvote the third; the latest among
  equals (with two annotators who disagree, that is ``latest``);
- ``reviewed``: the latest annotation a reviewer accepted (Label Studio
  Enterprise's review fields); a task without one is left out, and named;
- ``annotator:EMAIL`` (or ``annotator:ID``, the user id): that annotator's
  latest annotation; a task they did not label is left out, and named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.errors import ToolkitError
from toolkit.records import AnnotatedText

RULES = ("latest", "majority", "reviewed", "annotator:EMAIL")

SpanKey = tuple[str, int, int, str]  # text field, start, end, label


class RuleError(ToolkitError, ValueError):
    """An unknown ``--resolve`` rule; the message names the choices."""


@dataclass
class Annotation:
    """One annotation of a task (not cancelled), as the export reader read it."""

    id: int | str | None
    records: list[AnnotatedText]
    annotator: str = ""  # email, else "user <id>", else ""
    annotator_id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    accepted: bool | None = None  # None: the export has no review fields
    has_result: bool = True
    order: int = 0  # place in the task's list of annotations, for ties

    @property
    def when(self) -> str:
        return self.updated_at or self.created_at or ""

    @property
    def who(self) -> str:
        return self.annotator or f"annotation {self.id if self.id is not None else '#' + str(self.order)}"

    def span_set(self) -> set[SpanKey]:
        return {(r.field_name, s.start, s.end, s.label) for r in self.records for s in r.spans}


@dataclass(frozen=True)
class ResolveRule:
    kind: str  # latest, majority, reviewed, annotator
    who: str = ""

    @classmethod
    def parse(cls, text: str) -> ResolveRule:
        """``latest``, ``majority``, ``reviewed`` or ``annotator:EMAIL``; ``ValueError`` names the choices."""
        kind, _, who = text.strip().partition(":")
        if kind in ("latest", "majority", "reviewed") and not who:
            return cls(kind)
        if kind == "annotator" and who.strip():
            return cls(kind, who.strip())
        raise RuleError(f"unknown resolve rule {text!r}; use one of {', '.join(RULES)}")

    def __str__(self) -> str:
        return f"annotator:{self.who}" if self.kind == "annotator" else self.kind


LATEST = ResolveRule("latest")


def span_f1(a: set[SpanKey], b: set[SpanKey]) -> float:
    """Exact-match span F1 between two annotations (symmetric); two empty ones agree fully."""
    return 1.0 if not a and not b else 2 * len(a & b) / (len(a) + len(b))


def latest(anns: Sequence[Annotation]) -> Annotation | None:
    pool = [a for a in anns if a.has_result] or list(anns)
    return max(pool, key=lambda a: (a.when, a.order)) if pool else None


def _by(a: Annotation, who: str) -> bool:
    # "²".isdigit() is true but int() refuses it: only ASCII digits are a user id
    numeric = who.isascii() and who.isdigit() and len(who) <= 18
    return a.annotator.lower() == who.lower() or (numeric and a.annotator_id == int(who))


def resolve(anns: Sequence[Annotation], rule: ResolveRule = LATEST) -> Annotation | str:
    """The annotation ``rule`` picks, or why it picks none (a line for the caller to name the task in)."""
    if not anns:
        return "no annotation"
    if rule.kind == "majority":
        sets = [a.span_set() for a in anns]

        def support(i: int) -> float:
            others = [span_f1(sets[i], s) for j, s in enumerate(sets) if j != i]
            return sum(others) / len(others) if others else 1.0

        best = max(range(len(anns)), key=lambda i: (support(i), anns[i].when, anns[i].order))
        return anns[best]
    if rule.kind == "reviewed":
        pool = [a for a in anns if a.accepted]
        if not pool:
            if all(a.accepted is None for a in anns):
                return "no review in the export (Label Studio Enterprise's reviews); use --resolve latest or majority"
            return "no annotation accepted in review; review it in Label Studio or use another --resolve rule"
        return latest(pool) or "no annotation"
    if rule.kind == "annotator":
        pool = [a for a in anns if _by(a, rule.who)]
        if not pool:
            names = ", ".join(sorted({a.who for a in anns}))
            return f"not labelled by {rule.who} (only by {names})"
        return latest(pool) or "no annotation"
    return latest(anns) or "no annotation"


@dataclass
class Disagreement:
    """Annotators of one task whose spans differ: each one's latest annotation."""

    annotators: list[str]
    spans: list[int]
    differing: int  # spans that not every annotator gave
    chosen: str = ""

    def line(self) -> str:
        who = " vs ".join(f"{a} ({n} spans)" for a, n in zip(self.annotators, self.spans, strict=True))
        picked = f"; used {self.chosen}'s" if self.chosen else ""
        return f"annotators disagree on {self.differing} spans: {who}{picked}"


def disagreement(anns: Sequence[Annotation]) -> Disagreement | None:
    """Where the task's annotators (each by their latest annotation) do not give the same spans."""
    mine: dict[str, Annotation] = {}
    for a in sorted(anns, key=lambda a: (a.when, a.order)):
        mine[a.who] = a
    if len(mine) < 2:
        return None
    sets = {who: a.span_set() for who, a in mine.items()}
    union = set().union(*sets.values())
    common = set.intersection(*sets.values())
    if union == common:
        return None
    return Disagreement(list(sets), [len(s) for s in sets.values()], len(union - common))
