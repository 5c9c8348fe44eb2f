"""Score an extractor on labelled texts: strict seqeval P/R/F1 per label, per
language and overall, through the local ``evaluate`` metric.

Gold and predicted spans are both turned into BIO on the same tokens
(``toolkit.segment.tokens``), so the scores are what seqeval says about
entities at token boundaries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from toolkit.extractor.base import Extractor
from toolkit.extractor.context import DocumentContexts, PredictItems
from toolkit.records import AnnotatedText, Span
from toolkit.segment.tokens import iob2_entities, spans_to_tags, tokenize


def doc_contexts(records: Sequence[AnnotatedText]) -> Sequence[str]:
    """For each record, the other texts of its document (source and translations).

    Joined only when read (``DocumentContexts``): a list of them all would
    grow with the square of a document.
    """
    return DocumentContexts(records)


def score_tags(references: list[list[str]], predictions: list[list[str]]) -> dict[str, Any]:
    from toolkit.extractor.metrics import load_seqeval

    return load_seqeval().compute(predictions=predictions, references=references)


def score_spans(
    records: Sequence[AnnotatedText], predicted: Sequence[Sequence[Span]], labels: Sequence[str] | None = None
) -> dict[str, Any]:
    """Scores of ``predicted`` spans against the records' gold spans."""
    keep = set(labels) if labels else None
    refs: dict[str, list[list[str]]] = defaultdict(list)
    preds: dict[str, list[list[str]]] = defaultdict(list)
    for rec, pred in zip(records, predicted, strict=True):
        tokens = tokenize(rec.text)
        if not tokens:
            continue
        gold = [s for s in rec.spans if keep is None or s.label in keep]
        pr = [s for s in pred if keep is None or s.label in keep]
        for key in ("all", rec.lang):
            refs[key].append(spans_to_tags(tokens, gold))
            preds[key].append(spans_to_tags(tokens, pr))
    result: dict[str, Any] = {"texts": len(refs["all"]), "per_language": {}}
    result["overall"] = _tidy(score_tags(refs["all"], preds["all"]))
    _add_intervals(result["overall"], refs["all"], preds["all"])
    for lang in sorted(k for k in refs if k != "all"):
        result["per_language"][lang] = _tidy(score_tags(refs[lang], preds[lang]))
        _add_intervals(result["per_language"][lang], refs[lang], preds[lang])
    result["bootstrap"] = {"resamples": BOOTSTRAP_RESAMPLES, "level": 0.95, "unit": "text", "seed": 0}
    return result


BOOTSTRAP_RESAMPLES = 1000


def _add_intervals(scores: dict[str, Any], refs: list[list[str]], preds: list[list[str]]) -> None:
    """95% bootstrap intervals over texts (resampled with replacement) for the
    micro P/R/F1 and each label's F1: ``*_ci = [low, high]``. With five
    articles a point score alone says little; the interval says how little."""
    import numpy as np

    labels = sorted(scores["per_label"])
    counts = np.zeros((len(refs), len(labels), 3))  # tp, fp, fn per text and label
    for n, (r, p) in enumerate(zip(refs, preds, strict=True)):
        gold, got = iob2_entities(r), iob2_entities(p)
        for k, lab in enumerate(labels):
            g = {e for e in gold if e[2] == lab}
            q = {e for e in got if e[2] == lab}
            counts[n, k] = (len(g & q), len(q - g), len(g - q))
    if not len(refs) or not labels:
        return
    rng = np.random.default_rng(0)
    sums = counts[rng.integers(0, len(refs), size=(BOOTSTRAP_RESAMPLES, len(refs)))].sum(axis=1)

    def prf(c):  # c: (..., 3)
        tp, fp, fn = c[..., 0], c[..., 1], c[..., 2]
        with np.errstate(invalid="ignore", divide="ignore"):
            p = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
            r = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
            f = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
        return p, r, f

    def ci(x) -> list[float]:
        return [round(float(np.percentile(x, 2.5)), 4), round(float(np.percentile(x, 97.5)), 4)]

    p, r, f = prf(sums.sum(axis=1))
    scores["precision_ci"], scores["recall_ci"], scores["f1_ci"] = ci(p), ci(r), ci(f)
    _, _, f_lab = prf(sums)
    for k, lab in enumerate(labels):
        scores["per_label"][lab]["f1_ci"] = ci(f_lab[:, k])


def _tidy(raw: dict[str, Any]) -> dict[str, Any]:
    out = {k[len("overall_") :]: round(v, 4) for k, v in raw.items() if k.startswith("overall_")}
    out["per_label"] = {
        k: {m: (round(x, 4) if isinstance(x, float) else x) for m, x in v.items()}
        for k, v in raw.items()
        if isinstance(v, dict)
    }
    out["number"] = sum(v["number"] for v in out["per_label"].values())
    return out


def evaluate_extractor(extractor: Extractor, records: Sequence[AnnotatedText]) -> dict[str, Any]:
    """Run ``extractor`` on each record (with its document as context) and score it."""
    contexts = doc_contexts(records)
    predicted = extractor.predict_many(PredictItems(records, contexts))
    return score_spans(records, predicted, extractor.labels)


def format_table(scores: dict[str, Any]) -> str:
    """A plain-text table: one row per label and per language, then overall,
    with the F1's 95% bootstrap interval over texts."""
    rows = [("", "precision", "recall", "f1", "number", "f1 95% CI")]

    def add(name: str, s: dict[str, Any]) -> None:
        lo_hi = s.get("f1_ci")
        ci = f"{lo_hi[0]:.2f}-{lo_hi[1]:.2f}" if lo_hi else ""
        rows.append((name, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["number"]), ci))

    for label, s in sorted(scores["overall"]["per_label"].items()):
        add(label, s)
    for lang, s in scores["per_language"].items():
        add(lang, s)
    add("micro (all)", scores["overall"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in rows
    )


def evaluate_guesser(records: Sequence[AnnotatedText], guesser: Any = None) -> dict[str, Any]:
    """Score the rule guesser (``toolkit.extractor.rules.RuleGuesser`` unless
    another with its ``predict(text, lang)`` is given) on labelled texts, as
    the first batch's pre-annotations are made: before any label exists."""
    if guesser is None:
        from toolkit.extractor.rules import RuleGuesser

        guesser = RuleGuesser()
    labels = sorted({s.label for r in records for s in r.spans} & {"PER", "ORG", "LOC"}) or None
    return score_spans(records, [guesser.predict(r.text, r.lang) for r in records], labels)


# --- `toolkit evaluate`: an existing model, or the rule guesser, on gold texts ---


def overlap_scores(
    records: Sequence[AnnotatedText], predicted: Sequence[Sequence[Span]], labels: Sequence[str] | None = None
) -> dict[str, Any]:
    """Lenient P/R/F1: a predicted span is right when it overlaps a gold span of its label
    (by one character or more), and a gold span is found when a prediction of its label
    overlaps it. Corpora draw span edges differently (a title inside PER or not), so this
    says whether the thing was found at all, where ``score_spans`` also asks for its edges.

    Same shape as ``score_spans``: ``overall`` and ``per_language``, each with
    ``precision``, ``recall``, ``f1``, ``number`` (gold spans), ``predicted`` and ``per_label``.
    """
    keep = set(labels) if labels else None
    # counts[lang][label] = [right predictions, predictions, found gold, gold]
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    for rec, pred in zip(records, predicted, strict=True):
        gold = [s for s in rec.spans if keep is None or s.label in keep]
        got = [s for s in pred if keep is None or s.label in keep]
        for key in ("all", rec.lang):
            for s in got:
                c = counts[key][s.label]
                c[0] += any(_overlaps(s, g) for g in gold)
                c[1] += 1
            for g in gold:
                c = counts[key][g.label]
                c[2] += any(_overlaps(s, g) for s in got)
                c[3] += 1
    result: dict[str, Any] = {"overall": _prf_of(counts["all"]), "per_language": {}}
    for lang in sorted(k for k in counts if k != "all"):
        result["per_language"][lang] = _prf_of(counts[lang])
    return result


def _overlaps(a: Span, b: Span) -> bool:
    return a.label == b.label and a.start < b.end and b.start < a.end


def _prf(right: int, predicted: int, found: int, gold: int) -> dict[str, Any]:
    p = right / predicted if predicted else 0.0
    r = found / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "number": gold, "predicted": predicted}


def _prf_of(by_label: dict[str, list[int]]) -> dict[str, Any]:
    totals = [sum(c[i] for c in by_label.values()) for i in range(4)]
    out = _prf(*totals)
    out["per_label"] = {lab: _prf(*c) for lab, c in sorted(by_label.items())}
    return out


def rule_predictions(records: Sequence[AnnotatedText]) -> list[list[Span]]:
    """The rule guesser's spans for each record, as ``toolkit push`` makes them: the texts
    of one task (source and translations) guessed together, so its cross-text rule runs."""
    from toolkit.extractor.rules import RuleGuesser

    guesser = RuleGuesser()
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, rec in enumerate(records):
        groups[(rec.doc, rec.task_id, rec.record_id, rec.annotation_id)].append(i)
    out: list[list[Span]] = [[] for _ in records]
    for idx in groups.values():
        texts = {str(n): (records[i].text, records[i].lang) for n, i in enumerate(idx)}
        got = guesser.predict_texts(texts)
        for n, i in enumerate(idx):
            out[i] = got[str(n)]
    return out


def model_predictions(extractor: Extractor, records: Sequence[AnnotatedText]) -> list[list[Span]]:
    """A trained extractor's spans for each record, with its document as context."""
    return [list(p) for p in extractor.predict_many(PredictItems(records, doc_contexts(records)))]


def evaluate_predictions(
    records: Sequence[AnnotatedText], predicted: Sequence[Sequence[Span]], labels: Sequence[str] | None = None
) -> dict[str, Any]:
    """``strict`` (exact spans on the toolkit's tokens: ``score_spans``, as ``toolkit train``
    reports, with 95% bootstrap intervals) and ``overlap`` (``overlap_scores``) scores."""
    strict = score_spans(records, predicted, labels)
    for scores in (strict["overall"], *strict["per_language"].values()):
        # seqeval's "number" is gold entities; the predictions are counted here, for the table
        scores["predicted"] = 0
    for rec, pred in zip(records, predicted, strict=True):
        n = sum(1 for s in pred if not labels or s.label in labels)
        strict["overall"]["predicted"] += n
        if rec.lang in strict["per_language"]:
            strict["per_language"][rec.lang]["predicted"] += n
    return {"texts": strict["texts"], "strict": strict, "overlap": overlap_scores(records, predicted, labels)}


def format_evaluation(result: dict[str, Any]) -> str:
    """One row per label, per language and overall: strict P/R/F1 (and the F1's 95% interval),
    overlap P/R/F1, gold and predicted spans."""
    strict, loose = result["strict"], result["overlap"]
    head = ("", "strict P", "R", "F1", "F1 95% CI", "overlap P", "R", "F1", "gold", "predicted")
    rows = [head]

    def add(name: str, s: dict[str, Any], o: dict[str, Any]) -> None:
        ci = s.get("f1_ci")
        rows.append(
            (
                name,
                f"{s.get('precision', 0.0):.3f}",
                f"{s.get('recall', 0.0):.3f}",
                f"{s.get('f1', 0.0):.3f}",
                f"{ci[0]:.2f}-{ci[1]:.2f}" if ci else "",
                f"{o['precision']:.3f}",
                f"{o['recall']:.3f}",
                f"{o['f1']:.3f}",
                str(o["number"]),
                str(o["predicted"]),
            )
        )

    empty = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "number": 0, "predicted": 0}
    for label, o in loose["overall"]["per_label"].items():
        add(label, strict["overall"]["per_label"].get(label, {}), o)
    for lang, o in loose["per_language"].items():
        add(lang, strict["per_language"].get(lang, {}), o)
    add("micro (all)", strict["overall"], loose["overall"] or empty)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in rows
    )


def span_errors(
    records: Sequence[AnnotatedText], predicted: Sequence[Sequence[Span]], labels: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Every span that is not an exact hit, one dict each, in text order: ``kind`` "missed" (a
    gold span no prediction has exactly) or "wrong" (a prediction no gold span has exactly),
    ``overlap`` when it overlaps a span of its label on the other side (an edge error, not a
    miss), with the label, text, offsets and where (doc, field, lang)."""
    keep = set(labels) if labels else None
    out: list[dict[str, Any]] = []
    for rec, pred in zip(records, predicted, strict=True):
        gold = [s for s in rec.spans if keep is None or s.label in keep]
        got = [s for s in pred if keep is None or s.label in keep]
        gold_keys = {(s.start, s.end, s.label) for s in gold}
        got_keys = {(s.start, s.end, s.label) for s in got}
        found: list[tuple[Span, str, list[Span]]] = [
            (s, "missed", got) for s in gold if (s.start, s.end, s.label) not in got_keys
        ]
        found += [(s, "wrong", gold) for s in got if (s.start, s.end, s.label) not in gold_keys]
        for s, kind, other in sorted(found, key=lambda x: (x[0].start, x[0].end)):
            out.append(
                {
                    "kind": kind,
                    "label": s.label,
                    "text": rec.text[s.start : s.end],
                    "start": s.start,
                    "end": s.end,
                    "overlap": any(_overlaps(s, o) for o in other),
                    "doc": rec.doc,
                    "field": rec.field_name,
                    "lang": rec.lang,
                    "task_id": rec.task_id,
                }
            )
    return out


def format_errors(errors: Sequence[dict[str, Any]]) -> str:
    """One line per error: ``lang doc: missed LOC 'Jakarta'`` (``~`` marks an edge error)."""
    return "\n".join(
        f"{e['lang']} {e['doc']}"
        + (f" task {e['task_id']}" if e["task_id"] is not None else "")
        + f": {e['kind']:6} {e['label']} {e['text']!r}"
        + (" ~" if e["overlap"] else "")
        for e in errors
    )
