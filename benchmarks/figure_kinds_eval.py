"""Are the figure finder's kinds right? Scored on the parallel set's figure spans.

    .venv/bin/python benchmarks/figure_kinds_eval.py [--data annotations/parallel/parallel.jsonl] [--errors]

``annotations/parallel/parallel.jsonl`` labels every figure on the source,
English and Vietnamese side of 48 seed sentences with its kind (COUNT,
MONEY, PERCENT, ...). Each figure the finder (``toolkit.figures.extract_figures``)
returns that overlaps a gold figure span is scored: its kind is right when it
is the gold span's. On the translations the kinds are first reconciled with
the source's figures (``toolkit.figures.reconcile_kinds``: a bare "2024"
paired with a source year is a YEAR), as the translate pipeline does. Also
counted: found figures with no gold span (the finder's extra numbers, e.g.
references the guidelines leave out) and gold spans not found.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from toolkit.figures import extract_figures, reconcile_kinds  # noqa: E402
from toolkit.projection.parallel import load_parallel  # noqa: E402
from toolkit.records import FIGURE_KINDS  # noqa: E402

DATA = REPO / "annotations" / "parallel" / "parallel.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    right: Counter = Counter()
    scored: Counter = Counter()
    extra: Counter = Counter()
    missed: Counter = Counter()
    errors = []
    for rec in load_parallel(args.data):
        source = extract_figures(rec.texts["src"], rec.src_lang)
        for side, text in rec.texts.items():
            found = extract_figures(text, rec.lang(side))
            if side != "src":
                found = reconcile_kinds(source, found, rec.lang(side))
            gold = [s for s in rec.spans.get(side, []) if s.label in FIGURE_KINDS]
            lang = rec.lang(side)
            for f in found:
                hit = [g for g in gold if g.start < f.end and f.start < g.end]
                if not hit:
                    extra[lang] += 1
                    continue
                scored[lang] += 1
                if f.kind == hit[0].label:
                    right[lang] += 1
                else:
                    errors.append(f"{rec.id} {side}: {f.text!r} found {f.kind}, gold {hit[0].label} ({hit[0].text!r})")
            for g in gold:
                if not any(g.start < f.end and f.start < g.end for f in found):
                    missed[lang] += 1
    print(f"{'':10} {'right':>6} {'scored':>6} {'share':>6} {'extra':>6} {'missed':>6}")
    for lang in sorted(scored | extra | missed):
        share = right[lang] / scored[lang] if scored[lang] else 0.0
        print(f"{lang:10} {right[lang]:6} {scored[lang]:6} {share:6.3f} {extra[lang]:6} {missed[lang]:6}")
    total = sum(scored.values())
    print(
        f"{'all':10} {sum(right.values()):6} {total:6} {sum(right.values()) / max(1, total):6.3f} "
        f"{sum(extra.values()):6} {sum(missed.values()):6}"
    )
    if args.errors:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
