"""Are the figure finder's kinds right? Scored on gold figure spans.

    .venv/bin/python benchmarks/figure_kinds_eval.py [--data annotations/parallel/parallel.jsonl]
                                                     [--gold EXPORT.json ...] [--errors]

Two golds. ``annotations/parallel/parallel.jsonl`` (the default) labels every
figure on the source, English and Vietnamese side of 48 seed sentences with
its kind (COUNT, MONEY, PERCENT, ...). ``--gold`` reads Label Studio exports
instead (``toolkit.studio.export``; every text of every task with its figure
labels), e.g. a held-out annotation of the seeds; an export whose tasks hold
no figure label scores nothing and says so (``annotations/gold/seeds_gold.json``
holds PER/ORG/LOC only).

Each figure the finder (``toolkit.figures.extract_figures``) returns that
overlaps a gold figure span is scored: its kind is right when it is the gold
span's, its span when its edges are the gold's. On the parallel set's
translations the kinds are first reconciled with the source's figures
(``toolkit.figures.reconcile_kinds``: a bare "2024" paired with a source year
is a YEAR), as the translate pipeline does. Also counted: found figures with
no gold span (the finder's extra numbers, e.g. references the guidelines
leave out) and gold spans not found.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from toolkit.figures import extract_figures, reconcile_kinds  # noqa: E402
from toolkit.records import FIGURE_KINDS, Figure, Span  # noqa: E402

DATA = REPO / "annotations" / "parallel" / "parallel.jsonl"


def parallel_texts(path: Path) -> Iterator[tuple[str, str, list[Figure], list[Span]]]:
    """(where, lang, found, gold) per side of each parallel sentence."""
    from toolkit.projection.parallel import load_parallel

    for rec in load_parallel(path):
        source = extract_figures(rec.texts["src"], rec.src_lang)
        for side, text in rec.texts.items():
            found = extract_figures(text, rec.lang(side))
            if side != "src":
                found = reconcile_kinds(source, found, rec.lang(side))
            gold = [s for s in rec.spans.get(side, []) if s.label in FIGURE_KINDS]
            yield f"{rec.id} {side}", rec.lang(side), found, gold


def export_texts(paths: Sequence[Path]) -> Iterator[tuple[str, str, list[Figure], list[Span]]]:
    """(where, lang, found, gold) per text of Label Studio exports (the latest annotation of each task)."""
    from toolkit.studio.export import read_exports

    batch = read_exports(paths, list(FIGURE_KINDS))
    for line in batch.problems:
        print(f"skipped {line}", file=sys.stderr)
    for rec in batch.records:
        found = extract_figures(rec.text, rec.lang)
        yield f"{rec.doc} task {rec.task_id} {rec.field_name}", rec.lang, found, list(rec.spans)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--gold", type=Path, nargs="+", help="Label Studio exports with figure labels, instead of --data")
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    right: Counter = Counter()
    same_span: Counter = Counter()
    scored: Counter = Counter()
    extra: Counter = Counter()
    missed: Counter = Counter()
    gold_total: Counter = Counter()
    errors = []
    texts = export_texts(args.gold) if args.gold else parallel_texts(args.data)
    for where, lang, found, gold in texts:
        gold_total[lang] += len(gold)
        for f in found:
            hit = [g for g in gold if g.start < f.end and f.start < g.end]
            if not hit:
                extra[lang] += 1
                continue
            scored[lang] += 1
            same_span[lang] += (f.start, f.end) == (hit[0].start, hit[0].end)
            if f.kind == hit[0].label:
                right[lang] += 1
            else:
                errors.append(f"{where}: {f.text!r} found {f.kind}, gold {hit[0].label} ({hit[0].text!r})")
            if (f.start, f.end) != (hit[0].start, hit[0].end):
                errors.append(f"{where}: span {f.text!r} ({f.kind}), gold {hit[0].text!r} ({hit[0].label})")
        for g in gold:
            if not any(g.start < f.end and f.start < g.end for f in found):
                missed[lang] += 1
    if not sum(gold_total.values()):
        print("no gold figure spans in the given data: nothing to score (an export with PER/ORG/LOC labels only?)")
        return
    print(f"{'':10} {'right':>6} {'scored':>6} {'share':>6} {'span':>6} {'extra':>6} {'missed':>6}")
    for lang in sorted(scored | extra | missed):
        share = right[lang] / scored[lang] if scored[lang] else 0.0
        span = same_span[lang] / scored[lang] if scored[lang] else 0.0
        print(f"{lang:10} {right[lang]:6} {scored[lang]:6} {share:6.3f} {span:6.3f} {extra[lang]:6} {missed[lang]:6}")
    total = sum(scored.values())
    print(
        f"{'all':10} {sum(right.values()):6} {total:6} {sum(right.values()) / max(1, total):6.3f} "
        f"{sum(same_span.values()) / max(1, total):6.3f} {sum(extra.values()):6} {sum(missed.values()):6}"
    )
    if args.errors:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
