"""The rule guesser's precision and recall before any label exists, per label and per language.

    .venv/bin/python benchmarks/rules_eval.py [--gold annotations/gold/seeds_gold.json]
                                              [--parallel annotations/parallel/parallel.jsonl] [--errors] [--json out.json]

Scored like the extractor (strict seqeval on the toolkit's tokens,
``toolkit.extractor.evaluation.evaluate_guesser``) on two golds: the seed
articles' source lines (``seeds_gold.json``), and the English and Vietnamese
sides of the parallel set, where the guesser sees each sentence with its
translations (``RuleGuesser.predict_texts``, as ``toolkit push`` does) so that
its cross-text rule runs. ``--errors`` lists every wrong or missed span.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from toolkit.extractor.evaluation import format_table, score_spans  # noqa: E402
from toolkit.extractor.rules import RuleGuesser  # noqa: E402
from toolkit.records import ENTITY_LABELS, AnnotatedText, Span  # noqa: E402

GOLD = REPO / "annotations" / "gold" / "seeds_gold.json"
PARALLEL = REPO / "annotations" / "parallel" / "parallel.jsonl"


def seeds(path: Path) -> tuple[list[AnnotatedText], list[list[Span]]]:
    from toolkit.studio.export import read_export

    records, _ = read_export(path, list(ENTITY_LABELS))
    guesser = RuleGuesser()
    return records, [guesser.predict(r.text, r.lang) for r in records]


def parallel(path: Path) -> tuple[list[AnnotatedText], list[list[Span]]]:
    """Every side of every sentence, guessed together (source + translations)."""
    from toolkit.projection.parallel import load_parallel

    guesser = RuleGuesser()
    records: list[AnnotatedText] = []
    predicted: list[list[Span]] = []
    for rec in load_parallel(path):
        sides = {side: (text, rec.lang(side)) for side, text in rec.texts.items()}
        guessed = guesser.predict_texts(sides)
        for side, (text, lang) in sides.items():
            gold = [
                Span(start=s.start, end=s.end, label=s.label, text=s.text)
                for s in rec.spans.get(side, [])
                if s.label in ENTITY_LABELS
            ]
            records.append(
                AnnotatedText(task_id=0, doc=rec.id.split("#")[0], field_name=side, text=text, lang=lang, spans=gold)
            )
            predicted.append(guessed[side])
    return records, predicted


def errors(records: list[AnnotatedText], predicted: list[list[Span]]) -> list[str]:
    out = []
    for r, p in zip(records, predicted, strict=True):
        gold = {(s.start, s.end, s.label) for s in r.spans}
        got = {(s.start, s.end, s.label) for s in p}
        out += [f"{r.lang} missed {lab} {r.text[a:b]!r}" for a, b, lab in sorted(gold - got)]
        out += [f"{r.lang} wrong  {lab} {r.text[a:b]!r}" for a, b, lab in sorted(got - gold)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--parallel", type=Path, default=PARALLEL)
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    result = {}
    for name, (records, predicted) in (("seeds", seeds(args.gold)), ("parallel", parallel(args.parallel))):
        scores = score_spans(records, predicted, list(ENTITY_LABELS))
        result[name] = scores
        print(f"{name} ({len(records)} texts, rules {RuleGuesser.version}):")
        print(format_table(scores))
        if args.errors:
            print("\n".join(errors(records, predicted)))
        print()
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
