"""Agreement between annotators: span F1 (exact and overlapping) per label and language, Cohen's kappa on tags.

For every pair of annotators, over the tasks both labelled (each by their
latest annotation of the task; the same task in several exports is one
task, ``toolkit.studio.export.read_tasks``):

- exact-match span F1: a span agrees when the other gave the same text
  field, start, end and label; ``2 * agreed / (spans of one + spans of the
  other)``, which needs no gold side;
- overlap F1: a span agrees when the other gave a span of the same label on
  the same text that overlaps it; precision and recall read each side as the
  other's gold;
- Cohen's kappa over token tags: every text of a shared task cut by
  ``toolkit.segment.tokens.tokenize``, the spans as BIO tags
  (``spans_to_tags``), the two annotators' tags compared token by token;
  chance agreement from each one's own tag frequencies.

Per label and per language the counts of all pairs are summed (micro
averages); ``n`` is the number of distinct spans either annotator of a pair
gave, summed over pairs. ``overall.f1`` is the exact-match F1 over all labels
and pairs. A score with nothing to compare is None.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from toolkit.segment.tokens import spans_to_tags, tokenize
from toolkit.studio.export import AnnotatedTask, read_tasks
from toolkit.studio.resolve import Annotation, SpanKey, latest


@dataclass
class Tally:
    """Span counts of compared annotations (side a and side b)."""

    agreed: int = 0  # exact matches
    a: int = 0
    b: int = 0
    a_overlapping: int = 0  # a's spans that overlap a b span of the same label and text
    b_overlapping: int = 0

    def add(self, a: set[SpanKey], b: set[SpanKey]) -> None:
        self.agreed += len(a & b)
        self.a += len(a)
        self.b += len(b)
        self.a_overlapping += _overlapping(a, b)
        self.b_overlapping += _overlapping(b, a)

    def merge(self, other: Tally) -> None:
        self.agreed += other.agreed
        self.a += other.a
        self.b += other.b
        self.a_overlapping += other.a_overlapping
        self.b_overlapping += other.b_overlapping

    @property
    def n(self) -> int:
        return self.a + self.b - self.agreed

    def f1(self) -> float | None:
        return round(2 * self.agreed / (self.a + self.b), 4) if self.a + self.b else None

    def overlap_f1(self) -> float | None:
        if not self.a or not self.b:
            return 0.0 if self.a + self.b else None
        p, r = self.b_overlapping / self.b, self.a_overlapping / self.a
        return round(2 * p * r / (p + r), 4) if p + r else 0.0

    def scores(self) -> dict[str, Any]:
        return {"f1": self.f1(), "overlap_f1": self.overlap_f1(), "n": self.n}


def _overlap(x: SpanKey, y: SpanKey) -> bool:
    return x[0] == y[0] and x[3] == y[3] and x[1] < y[2] and y[1] < x[2]


def _overlapping(a: set[SpanKey], b: set[SpanKey]) -> int:
    """How many spans of ``a`` overlap a span of ``b`` with the same field and label
    (``_overlap``), in O((|a| + |b|) log |b|), not |a| x |b|: b's spans of a field and
    label sorted by start, with the largest end so far; x overlaps one of them iff,
    among those starting before x ends, the largest end is past x's start."""
    groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for name, start, end, label in b:
        groups[(name, label)].append((start, end))
    index: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
    for key, spans in groups.items():
        spans.sort()
        starts, reach, top = [], [], None
        for start, end in spans:
            top = end if top is None else max(top, end)
            starts.append(start)
            reach.append(top)
        index[key] = (starts, reach)
    count = 0
    for name, start, end, label in a:
        got = index.get((name, label))
        if got is not None:
            k = bisect_left(got[0], end)  # b's spans that start before x ends
            count += k > 0 and got[1][k - 1] > start
    return count


def kappa(pairs: Counter) -> float | None:
    """Cohen's kappa of ``Counter({(tag of a, tag of b): count})``; None when chance agreement is total."""
    total = sum(pairs.values())
    if not total:
        return None
    observed = sum(c for (x, y), c in pairs.items() if x == y) / total
    left, right = Counter(), Counter()
    for (x, y), c in pairs.items():
        left[x] += c
        right[y] += c
    chance = sum(left[t] * right[t] for t in left) / total**2
    return None if chance >= 1 else round((observed - chance) / (1 - chance), 4)


@dataclass
class Agreement:
    annotators: list[str]
    tasks_compared: int = 0
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    languages: dict[str, dict[str, Any]] = field(default_factory=dict)
    pairs: list[dict[str, Any]] = field(default_factory=list)
    overall: dict[str, Any] = field(default_factory=lambda: {"f1": None, "overlap_f1": None, "kappa": None})
    problems: list[str] = field(default_factory=list)  # files and tasks left out, one line each

    def to_json(self) -> dict[str, Any]:
        return {
            "annotators": self.annotators,
            "tasks_compared": self.tasks_compared,
            "labels": self.labels,
            "languages": self.languages,
            "overall": self.overall,
            "pairs": self.pairs,
            "problems": self.problems,
        }


@dataclass
class _PairTally:
    tasks: int = 0
    spans: Tally = field(default_factory=Tally)
    tags: Counter = field(default_factory=Counter)


def _each_annotator(task: AnnotatedTask) -> dict[str, Annotation]:
    """Each annotator's latest annotation of the task."""
    mine: dict[str, list[Annotation]] = defaultdict(list)
    for a in task.annotations:
        mine[a.who].append(a)
    return {who: got for who, anns in mine.items() if (got := latest(anns)) is not None}


def _by_lang(ann: Annotation, spans: set[SpanKey]) -> dict[str, set[SpanKey]]:
    """The spans on each language's fields (a span counts under every language its field has)."""
    langs: dict[str, set[str]] = defaultdict(set)
    for r in ann.records:
        langs[r.field_name].add(r.lang)
    out: dict[str, set[SpanKey]] = defaultdict(set)
    for k in spans:
        for lang in langs.get(k[0], ()):
            out[lang].add(k)
    return out


def _grouped(spans: set[SpanKey], key) -> dict[Any, set[SpanKey]]:
    out: dict[Any, set[SpanKey]] = defaultdict(set)
    for k in spans:
        out[key(k)].add(k)
    return out


def _compare(a: Annotation, b: Annotation, tally: _PairTally, labels: dict, langs: dict) -> None:
    # Each annotation's spans grouped once (by label, by language): linear in the spans,
    # not labels x spans as a filter per label was.
    sa, sb = a.span_set(), b.span_set()
    tally.tasks += 1
    tally.spans.add(sa, sb)
    la, lb = _grouped(sa, lambda k: k[3]), _grouped(sb, lambda k: k[3])
    for label in la.keys() | lb.keys():
        labels[label].add(la.get(label, set()), lb.get(label, set()))
    ga, gb = _by_lang(a, sa), _by_lang(b, sb)
    for lang in {r.lang for r in a.records}:
        langs[lang].add(ga.get(lang, set()), gb.get(lang, set()))
    theirs = {r.field_name: r for r in b.records}
    for ra in a.records:
        rb = theirs.get(ra.field_name)
        if rb is None or rb.text != ra.text:
            continue
        toks = tokenize(ra.text)
        tally.tags.update(zip(spans_to_tags(toks, ra.spans), spans_to_tags(toks, rb.spans), strict=True))


def _other_runs(tasks: Sequence[tuple[str, AnnotatedTask]]) -> list[str]:
    """Tasks of one record whose texts differ between exports: another run or translation, never compared."""
    first: dict[str, tuple[str, tuple]] = {}
    lines = []
    for where, task in tasks:
        rid = next((r.record_id for a in task.annotations for r in a.records if r.record_id), "")
        if not rid:
            continue
        if rid in first and first[rid][1] != task.ident:
            lines.append(
                f"{where} ({rid}): its texts differ from {first[rid][0]} (another run or translation?); "
                "compared only with annotations of the same texts"
            )
        first.setdefault(rid, (where, task.ident))
    return lines


def agreement(exports: Sequence[str | Path | list[Any]], labels: Iterable[str] | None = None) -> Agreement:
    """Agreement of every pair of annotators over the tasks they share, in ``exports``."""
    tasks, batch = read_tasks(exports, labels)
    result = Agreement([], problems=batch.problems + _other_runs(tasks))
    by_pair: dict[tuple[str, str], _PairTally] = defaultdict(_PairTally)
    label_tally: dict[str, Tally] = defaultdict(Tally)
    lang_tally: dict[str, Tally] = defaultdict(Tally)
    names: set[str] = set()
    compared = 0
    for _, task in tasks:
        mine = _each_annotator(task)
        names.update(mine)
        for x, y in combinations(sorted(mine), 2):
            _compare(mine[x], mine[y], by_pair[(x, y)], label_tally, lang_tally)
        compared += len(mine) > 1
    result.annotators = sorted(names)
    result.tasks_compared = compared
    total, tags = Tally(), Counter()
    for (x, y), t in sorted(by_pair.items()):
        total.merge(t.spans)
        tags.update(t.tags)
        result.pairs.append({"annotators": [x, y], "tasks": t.tasks, **t.spans.scores(), "kappa": kappa(t.tags)})
    result.labels = {k: label_tally[k].scores() for k in sorted(label_tally)}
    result.languages = {k: lang_tally[k].scores() for k in sorted(lang_tally)}
    if by_pair:
        result.overall = {"f1": total.f1(), "overlap_f1": total.overlap_f1(), "kappa": kappa(tags)}
    return result
