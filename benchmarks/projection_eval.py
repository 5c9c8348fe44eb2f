"""Projection precision and recall on the parallel set, per label and per source language.

    .venv/bin/python benchmarks/projection_eval.py [--data annotations/parallel/parallel.jsonl] [--json out.json]
                                                   [--errors]

For each sentence and each target (English, Vietnamese) all source spans
are projected with the offline methods (no engine: its quality needs real
weights). A projected span is right when it is exactly (same offsets, same
label) the target span linked to its source span. Precision = right /
placed; recall = right / source spans whose link exists on that target
(a figure or name the translation does not hold cannot be found). Also
counted per method, so the share of each method (figures, names by
spelling, names by parts through the lexicon, names by sound) is visible.
``--errors`` lists every wrong or missed span. ``--no-lexicon`` runs
without the heads of bodies (``toolkit.projection.lexicon.CONCEPTS``), which
were written while looking at these texts: it shows what the methods that
know nothing of them (figures, spelling, sound) do alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from toolkit.projection import lexicon, project_spans_detailed  # noqa: E402
from toolkit.projection.parallel import ParallelRecord, load_parallel  # noqa: E402

DEFAULT_DATA = REPO / "annotations" / "parallel" / "parallel.jsonl"
TARGETS = ("eng", "vie")


class Tally:
    def __init__(self) -> None:
        self.right = self.placed = self.gold = 0

    def as_dict(self) -> dict[str, float | int]:
        p = self.right / self.placed if self.placed else 0.0
        r = self.right / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "right": self.right,
                "placed": self.placed, "gold": self.gold}  # fmt: skip


def evaluate(records: list[ParallelRecord], errors: list[str] | None = None) -> dict:
    """Per target: overall, per label, per source language and per method tallies (as dicts)."""
    out: dict = {"sentences": len(records), "targets": {}}
    seconds = 0.0
    for side in TARGETS:
        overall, labels, langs, methods = Tally(), defaultdict(Tally), defaultdict(Tally), defaultdict(Tally)
        for rec in records:
            src_spans = rec.spans["src"]
            gold = rec.by_link(side)
            t0 = time.perf_counter()
            res = project_spans_detailed(
                rec.texts["src"],
                rec.texts[side],
                [(s.start, s.end, s.label) for s in src_spans],
                rec.src_lang,
                rec.lang(side),
            )
            seconds += time.perf_counter() - t0
            placed = {p.source: p for p in res.placed}
            for i, s in enumerate(src_spans):
                g, p = gold.get(s.link), placed.get(i)
                right = p is not None and g is not None and (p.start, p.end, p.label) == (g.start, g.end, g.label)
                for tally in (overall, labels[s.label], langs[rec.src_lang]):
                    tally.gold += g is not None
                    tally.placed += p is not None
                    tally.right += right
                if p is not None:
                    methods[p.method].placed += 1
                    methods[p.method].right += right
                if errors is not None and (p is not None or g is not None) and not right:
                    got = f"{p.text!r} ({p.method})" if p else "nothing"
                    want = repr(g.text) if g else "nothing"
                    errors.append(f"{rec.id} {side} {s.label} {s.text!r}: placed {got}, gold {want}")
        out["targets"][side] = {
            "overall": overall.as_dict(),
            "labels": {k: v.as_dict() for k, v in sorted(labels.items())},
            "languages": {k: v.as_dict() for k, v in sorted(langs.items())},
            "methods": {k: {"placed": v.placed, "right": v.right} for k, v in sorted(methods.items())},
        }
    out["seconds_per_sentence"] = round(seconds / max(1, len(records) * len(TARGETS)), 4)
    return out


def table(result: dict) -> str:
    lines = [f"projection on {result['sentences']} sentences ({result['seconds_per_sentence'] * 1000:.1f} ms per pair)"]
    for side, res in result["targets"].items():
        lines.append(f"\nsrc -> {side}   {'P':>6} {'R':>6} {'F1':>6} {'right':>6} {'placed':>6} {'gold':>6}")

        def row(name: str, d: dict) -> str:
            return f"  {name:<12} {d['precision']:6.3f} {d['recall']:6.3f} {d['f1']:6.3f} {d['right']:6d} {d['placed']:6d} {d['gold']:6d}"

        lines.append(row("ALL", res["overall"]))
        lines.extend(row(k, v) for k, v in res["labels"].items())
        lines.extend(row(k, v) for k, v in res["languages"].items())
        lines.append("  methods: " + ", ".join(f"{k} {v['right']}/{v['placed']}" for k, v in res["methods"].items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--json", dest="json_out", help="also write the figures as JSON here")
    ap.add_argument("--errors", action="store_true", help="list every wrong or missed span")
    ap.add_argument("--no-lexicon", action="store_true", help="without the heads of bodies (an ablation)")
    args = ap.parse_args(argv)
    errors: list[str] | None = [] if args.errors else None
    saved = dict(lexicon.CONCEPTS)
    if args.no_lexicon:
        lexicon.CONCEPTS.clear()
    try:
        result = evaluate(load_parallel(args.data), errors)
    finally:
        lexicon.CONCEPTS.update(saved)
    result["lexicon"] = not args.no_lexicon
    print(table(result))
    if errors:
        print("\n" + "\n".join(errors))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
