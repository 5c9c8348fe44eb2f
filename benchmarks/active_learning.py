"""Active learning on the seed gold: are tasks chosen by priority worth more labels than tasks chosen by chance?

Leave one article out (five folds over annotations/gold/seeds_gold.json). From
the other articles' lines a small labelled share is drawn at random; then
batches are added either by priority (``toolkit.select.uncertainty`` over the
current CRF's token marginals, most uncertain first: the uncertainty signal of
``toolkit push``; the gold has no translations, so flags and disagreement do not
apply) or by chance (several seeds). The CRF is retrained after every batch
and scored on the held-out article (exact-match span F1, PER/ORG/LOC).

    .venv/bin/python benchmarks/active_learning.py [--start 8] [--batch 8] [--batches 4] [--seeds 3]

Prints the learning curves (mean F1 over the folds at each labelled count) and
the share of labels saved: the fewest lines the priority curve needs to reach
the F1 that chance reaches with all its batches.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from toolkit.extractor.crf import CRFExtractor  # noqa: E402
from toolkit.records import ENTITY_LABELS, AnnotatedText  # noqa: E402
from toolkit.select import uncertainty  # noqa: E402
from toolkit.studio.export import to_records  # noqa: E402

GOLD = REPO / "annotations" / "gold" / "seeds_gold.json"
SETTINGS = {"max_iterations": 60}  # fewer than the default 150: 100+ trainings must fit in minutes on 2 cores


def span_f1(model: CRFExtractor, test: list[AnnotatedText]) -> float:
    tp = fp = fn = 0
    for r in test:
        gold = {(s.start, s.end, s.label) for s in r.spans}
        pred = {(s.start, s.end, s.label) for s in model.predict(r.text, r.lang)}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def train(lines: list[AnnotatedText]) -> CRFExtractor:
    m = CRFExtractor(list(ENTITY_LABELS), SETTINGS)
    m.fit(lines, seed=0)
    return m


def curve(pool, test, start_idx, batch, batches, rng: random.Random | None) -> list[float]:
    """F1 after the start and after each batch; ``rng`` None: by priority."""
    chosen = list(start_idx)
    left = [i for i in range(len(pool)) if i not in set(chosen)]
    scores = []
    for step in range(batches + 1):
        model = train([pool[i] for i in chosen])
        scores.append(span_f1(model, test))
        if step == batches:
            break
        if rng is None:
            left.sort(key=lambda i: -uncertainty(p for _, p in model.token_confidence(pool[i].text, pool[i].lang)))
        else:
            rng.shuffle(left)
        chosen += left[:batch]
        left = left[batch:]
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--start", type=int, default=8, help="lines labelled at the start (drawn at random)")
    ap.add_argument("--batch", type=int, default=8, help="lines added per batch")
    ap.add_argument("--batches", type=int, default=4)
    ap.add_argument("--seeds", type=int, default=3, help="random seeds (start draws, and the chance baseline)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    records = [r for r in to_records(GOLD) if r.text.strip()]
    docs = sorted({r.doc for r in records})
    prio: list[list[float]] = []
    rand: list[list[float]] = []
    for doc in docs:
        pool = [r for r in records if r.doc != doc]
        test = [r for r in records if r.doc == doc]
        for seed in range(args.seeds):
            rng = random.Random(seed)
            start = rng.sample(range(len(pool)), args.start)
            prio.append(curve(pool, test, start, args.batch, args.batches, None))
            rand.append(curve(pool, test, start, args.batch, args.batches, random.Random(1000 + seed)))
        print(f"fold {doc}: {len(pool)} pool lines, {len(test)} test lines done", file=sys.stderr)
    sizes = [args.start + k * args.batch for k in range(args.batches + 1)]
    mp = [statistics.mean(c[k] for c in prio) for k in range(len(sizes))]
    mr = [statistics.mean(c[k] for c in rand) for k in range(len(sizes))]
    print(
        f"{len(docs)} folds (leave one article out) x {args.seeds} seeds; CRF, span F1 PER/ORG/LOC on the held-out article"
    )
    print("labelled lines  priority F1  chance F1")
    for n, a, b in zip(sizes, mp, mr, strict=True):
        print(f"{n:>14}  {a:11.3f}  {b:9.3f}")
    target = mr[-1]
    reached = next((n for n, a in zip(sizes, mp, strict=True) if a >= target), None)
    if reached is None:
        print(f"priority never reached chance's final F1 {target:.3f} within {sizes[-1]} lines: no labels saved")
    else:
        print(
            f"chance reaches F1 {target:.3f} with {sizes[-1]} lines; priority with {reached}: "
            f"{1 - reached / sizes[-1]:.0%} of the labels saved"
        )
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
