"""The rule guesser's precision and recall before any label exists, per label and per language.

    .venv/bin/python benchmarks/rules_eval.py [--gold annotations/gold/seeds_gold.json]
                                              [--parallel annotations/parallel/parallel.jsonl] [--errors] [--json out.json]

Scored like the extractor (strict seqeval on the toolkit's tokens,
``toolkit.extractor.evaluation.evaluate_guesser``) on two golds: the seed
articles' source lines (``seeds_gold.json``), and the English and Vietnamese
sides of the parallel set, where the guesser sees each sentence with its
translations (``RuleGuesser.predict_texts``, as ``toolkit push`` does) so that
its cross-text rule runs. ``--errors`` lists every wrong or missed span.

``--external [DIR]`` scores the guesser instead on the five human-annotated
news corpora of ``../shared/external-ner`` (their official test split;
``--split train`` for tuning), as the first batch of a new project is
guessed: no label, each document's lines together (``predict_document``:
one sense per document). DIR holds ``prepare.py``'s exports; without it they
are built into a temporary folder (``../shared`` is read-only). One row per
corpus and label: overlap P/R (a guess counts when it overlaps a gold span of
its label), strict P/R/F1 (exact spans on the toolkit's tokens), guesses and
sentences per second::

    .venv/bin/python benchmarks/rules_eval.py --external [--split test] [--corpora id-idner,th-thainer]
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


SHARED = REPO.parent / "shared" / "external-ner"
CORPORA = ("id-idner", "id-nergrit", "nb-norne", "pt-harem", "th-thainer")


def external_exports(folder: Path | None) -> Path:
    """The folder of the external corpora's exports: ``folder``, else built by their ``prepare.py`` in a temp dir."""
    if folder is not None:
        return folder
    import subprocess
    import tempfile

    out = Path(tempfile.mkdtemp(prefix="external-ner-"))
    subprocess.run(
        [sys.executable, str(SHARED / "prepare.py"), "--out", str(out)], check=True, stdout=subprocess.DEVNULL
    )
    return out


def guess_documents(records: list[AnnotatedText]) -> list[list[Span]]:
    """The guesser's spans per record, each document's records guessed together in their order."""
    guesser = RuleGuesser()
    docs: dict[str, list[int]] = {}
    for k, r in enumerate(records):
        docs.setdefault(r.doc, []).append(k)
    predicted: list[list[Span]] = [[] for _ in records]
    for idx in docs.values():
        for k, spans in zip(
            idx, guesser.predict_document([(records[k].text, records[k].lang) for k in idx]), strict=True
        ):
            predicted[k] = spans
    return predicted


def external(folder: Path, split: str, corpora: list[str]) -> dict[str, dict]:
    """Overlap and strict scores of the guesser on each corpus' ``split``, per label."""
    import time

    from toolkit.extractor.evaluation import evaluate_predictions
    from toolkit.studio.export import read_export

    labels = list(ENTITY_LABELS)
    result = {}
    rows = [("corpus", "label", "overlap P", "overlap R", "strict P", "strict R", "strict F1", "gold", "guessed")]
    for name in corpora:
        records, _ = read_export(folder / f"{name}-{split}.json", labels)
        t0 = time.perf_counter()
        predicted = guess_documents(records)
        seconds = time.perf_counter() - t0
        scores = evaluate_predictions(records, predicted, labels)
        scores["sentences_per_second"] = round(len(records) / seconds, 1)
        result[name] = scores
        loose, strict = scores["overlap"]["overall"], scores["strict"]["overall"]
        for label, o, s in [("all", loose, strict)] + [
            (lab, loose["per_label"].get(lab, {}), strict["per_label"].get(lab, {})) for lab in labels
        ]:
            rows.append(
                (
                    name if label == "all" else "",
                    label,
                    f"{o.get('precision', 0):.3f}",
                    f"{o.get('recall', 0):.3f}",
                    f"{s.get('precision', 0):.3f}",
                    f"{s.get('recall', 0):.3f}",
                    f"{s.get('f1', 0):.3f}",
                    str(o.get("number", 0)),
                    str(o.get("predicted", 0)),
                )
            )
        print(f"{name}: {len(records)} sentences, {scores['sentences_per_second']:.0f}/s", file=sys.stderr)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print(f"rules {RuleGuesser.version} on the {split} splits of {folder}:")
    print(
        "\n".join(
            "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
            for r in rows
        )
    )
    return result


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
    ap.add_argument("--external", nargs="?", type=Path, const=Path(), default=None, metavar="DIR")
    ap.add_argument("--split", choices=("test", "train"), default="test")
    ap.add_argument("--corpora", default=",".join(CORPORA))
    args = ap.parse_args()
    if args.external is not None:
        folder = external_exports(None if args.external == Path() else args.external)
        result = external(folder, args.split, [c for c in args.corpora.split(",") if c])
        if args.json:
            args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
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
