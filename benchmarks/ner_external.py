"""The extractor against what a data scientist would train instead, on text no one here wrote.

    .venv/bin/pip install -e '.[bench]'     # spaCy and sklearn-crfsuite, the peers
    OMP_NUM_THREADS=1 nice .venv/bin/python benchmarks/ner_external.py \\
        [--corpora id-idner,nb-norne] [--limit N] [--skip-peers] [--json OUT.json] \\
        [--spacy-max-steps 20000] [--transformer-base CHECKPOINT] [--before] [--jobs 1]

Corpora: the five human-annotated news corpora of ``../shared/external-ner``
(sources, licences, official splits: its README). Their Label Studio exports
are read from ``../shared/external-ner/exports/`` when they are there, else
built into a temporary folder by its ``prepare.py --out`` (``../shared`` is
read-only; nothing is written into the checkout).

Each system trains on the corpus's train split and tags its test split; the
scores are strict exact-span micro P/R/F1 over PER/ORG/LOC (seqeval, IOB2,
on the toolkit's tokens for every system, so that gold and predictions of all
systems sit on the same tokens), per label too. Systems:

- ``rules``: the rule guesser (no training; what the first batch gets);
- ``crf``: ``toolkit train --base crf`` with its default settings;
  ``crf-issue14`` (with ``--before``): the same backend with the issue-14
  features (before the lexical window, wordfreq rarity, known names, and the
  rules' fill-in gated by their precision);
- ``transformer``: ``toolkit train --base CHECKPOINT``, only with
  ``--transformer-base`` (a local checkpoint; nothing comes from the hub);
- peers, the same tokens and spans: ``textbook-crf`` (sklearn-crfsuite with the
  standard CoNLL template: lower-cased word, 2/3-letter suffixes, shape, case
  and digit flags, a +-2 window; c1 = c2 = 0.1, 100 iterations, the
  sklearn-crfsuite tutorial's settings) and ``spacy`` (a blank pipeline with
  spaCy's default CPU NER config, ``spacy init config -p ner -o efficiency``;
  10% of the train documents are its dev set for model selection, as
  ``spacy train`` needs one; ``--spacy-max-steps`` caps its steps).

Nothing is tuned on a test split. Each system runs in a fresh process, so
``peak MB`` is that process's peak resident memory (Python and libraries
included); ``train s`` is fitting (features included); ``start s`` is the
first call, on one training text (a tagger opened, a language's gazetteer
built: what a run pays once); ``tag sent/s`` is test sentences tagged per
second after it (document context included).
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import random
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SHARED = REPO.parent / "shared" / "external-ner"
CORPORA = ("id-idner", "id-nergrit", "nb-norne", "pt-harem", "th-thainer")
LABELS = ["PER", "ORG", "LOC"]
PEERS = ("textbook-crf", "spacy")
# toolkit systems: settings on top of the backend's defaults
SETTINGS = {"crf": {}, "crf-issue14": {"lexical": False, "clusters": False, "rule_merge": True}}
SPACY_LANG = {"ind_Latn": "id", "nob_Latn": "nb", "por_Latn": "pt", "tha_Thai": "th"}


class BenchmarkError(RuntimeError):
    """An export that cannot be built or read."""


# --- data -------------------------------------------------------------------


def exports_dir(shared: Path, corpora: list[str], tmp: Path) -> Path:
    """The folder holding ``<name>-train.json``/``-test.json`` of ``corpora``: the shared one if complete, else built."""
    have = shared / "exports"
    if all((have / f"{c}-{split}.json").is_file() for c in corpora for split in ("train", "test")):
        return have
    prepare = shared / "prepare.py"
    if not prepare.is_file():
        raise BenchmarkError(f"{prepare}: not found; the external corpora live in ../shared/external-ner")
    out = tmp / "exports"
    done = subprocess.run(
        [sys.executable, str(prepare), "--out", str(out)], capture_output=True, text=True, check=False
    )
    missing = [c for c in corpora if not (out / f"{c}-train.json").is_file()]
    if done.returncode or missing:
        raise BenchmarkError(f"{prepare} --out {out} failed (missing {missing}): {done.stderr.strip()[-300:]}")
    return out


def load(folder: Path, corpus: str, limit: int | None) -> tuple[list, list]:
    from toolkit.studio.export import read_export

    train, _ = read_export(folder / f"{corpus}-train.json", LABELS)
    test, _ = read_export(folder / f"{corpus}-test.json", LABELS)
    return (train[:limit], test[:limit]) if limit else (train, test)


# --- systems (each runs in its own process) ---------------------------------


def _token_spans(text: str, tokens, tags: list[str]) -> list:
    from toolkit.segment.tokens import tags_to_spans

    return [s for s in tags_to_spans(text, tokens, tags) if s.label in LABELS]


def _first_call(tag_one, train) -> float:
    """Seconds of the first call, on a training text: what a run pays once (a model's
    tagger opened, a language's gazetteer built), kept out of the sentences per second."""
    t0 = time.perf_counter()
    tag_one(train[0])
    return time.perf_counter() - t0


def run_rules(train, test, opts) -> tuple[list, float, float, float]:
    from toolkit.extractor.rules import RuleGuesser

    guesser = RuleGuesser()
    start_s = _first_call(lambda r: guesser.predict(r.text, r.lang), train)
    t0 = time.perf_counter()
    pred = [guesser.predict(r.text, r.lang) for r in test]
    return pred, 0.0, time.perf_counter() - t0, start_s


def run_toolkit(train, test, opts) -> tuple[list, float, float, float]:
    from toolkit.extractor.context import DocumentContexts, PredictItems
    from toolkit.extractor.train import make_extractor

    if opts["system"] == "transformer":
        ext = make_extractor(opts["transformer_base"], LABELS, {})
    else:
        ext = make_extractor("crf", LABELS, SETTINGS[opts["system"]])
    t0 = time.perf_counter()
    ext.fit(train, seed=0)
    fit_s = time.perf_counter() - t0
    start_s = _first_call(lambda r: ext.predict(r.text, r.lang), train)
    t0 = time.perf_counter()
    pred = ext.predict_many(PredictItems(test, DocumentContexts(test)))
    return pred, fit_s, time.perf_counter() - t0, start_s


def _textbook_features(words: list[str]) -> list[dict[str, Any]]:
    """The standard CoNLL template (sklearn-crfsuite's tutorial, +-2 window, no POS: the corpora carry none)."""
    from toolkit.extractor.features import shape

    def one(w: str, p: str) -> dict[str, Any]:
        return {
            f"{p}word.lower()": w.lower(),
            f"{p}word.istitle()": w.istitle(),
            f"{p}word.isupper()": w.isupper(),
        }

    out = []
    for i, w in enumerate(words):
        f: dict[str, Any] = {
            "bias": 1.0,
            "word.lower()": w.lower(),
            "word[-3:]": w[-3:],
            "word[-2:]": w[-2:],
            "word.isupper()": w.isupper(),
            "word.istitle()": w.istitle(),
            "word.isdigit()": w.isdigit(),
            "word.shape": shape(w),
        }
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(words):
                f.update(one(words[j], f"{d:+d}:"))
        if i == 0:
            f["BOS"] = True
        if i == len(words) - 1:
            f["EOS"] = True
        out.append(f)
    return out


def run_textbook_crf(train, test, opts) -> tuple[list, float, float, float]:
    import sklearn_crfsuite

    from toolkit.segment.tokens import spans_to_tags, tokenize

    t0 = time.perf_counter()
    xs, ys = [], []
    for r in train:
        toks = tokenize(r.text)
        if toks:
            xs.append(_textbook_features([t.text for t in toks]))
            ys.append(spans_to_tags(toks, r.spans))
    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.1, max_iterations=100, all_possible_transitions=True)
    crf.fit(xs, ys)
    fit_s = time.perf_counter() - t0

    def tag_one(r) -> list:
        toks = tokenize(r.text)
        tags = crf.predict_single(_textbook_features([t.text for t in toks])) if toks else []
        return _token_spans(r.text, toks, tags)

    start_s = _first_call(tag_one, train)
    t0 = time.perf_counter()
    pred = [tag_one(r) for r in test]
    return pred, fit_s, time.perf_counter() - t0, start_s


def _spacy_doc(nlp, text: str, tokens, tags: list[str] | None):
    from spacy.tokens import Doc

    words = [t.text for t in tokens]
    spaces = [i + 1 < len(tokens) and tokens[i + 1].start > t.end for i, t in enumerate(tokens)]
    return Doc(nlp.vocab, words=words, spaces=spaces, ents=tags)


def run_spacy(train, test, opts) -> tuple[list, float, float, float]:
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.tokens import DocBin
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    from toolkit.segment.tokens import spans_to_tags, tokenize

    lang = SPACY_LANG.get(train[0].lang, "xx")
    t0 = time.perf_counter()
    docs = sorted({r.doc for r in train})
    random.Random(0).shuffle(docs)
    dev_docs = set(docs[: max(1, len(docs) // 10)])
    blank = spacy.blank(lang)
    with tempfile.TemporaryDirectory() as tmp:
        bins = {"train": DocBin(), "dev": DocBin()}
        for r in train:
            toks = tokenize(r.text)
            if toks:
                bins["dev" if r.doc in dev_docs else "train"].add(
                    _spacy_doc(blank, r.text, toks, spans_to_tags(toks, r.spans))
                )
        for name, b in bins.items():
            b.to_disk(Path(tmp) / f"{name}.spacy")
        config = init_config(lang=lang, pipeline=["ner"], optimize="efficiency", gpu=False)
        config["paths"]["train"] = str(Path(tmp) / "train.spacy")
        config["paths"]["dev"] = str(Path(tmp) / "dev.spacy")
        config["training"]["seed"] = 0
        if opts.get("spacy_max_steps"):
            config["training"]["max_steps"] = int(opts["spacy_max_steps"])
        nlp = init_nlp(config)
        (Path(tmp) / "out").mkdir()
        quiet = io.StringIO()  # spaCy's progress table (not os.devnull: it was once replaced on a shared machine)
        train_loop(nlp, Path(tmp) / "out", stdout=quiet, stderr=quiet)
        nlp = spacy.load(Path(tmp) / "out" / "model-best")
    fit_s = time.perf_counter() - t0

    def tag_one(r) -> list:
        toks = tokenize(r.text)
        if not toks:
            return []
        doc = nlp(_spacy_doc(nlp, r.text, toks, None))
        tags = ["O"] * len(toks)
        for e in doc.ents:
            tags[e.start : e.end] = [f"B-{e.label_}"] + [f"I-{e.label_}"] * (e.end - e.start - 1)
        return _token_spans(r.text, toks, tags)

    start_s = _first_call(tag_one, train)
    t0 = time.perf_counter()
    pred = [tag_one(r) for r in test]
    return pred, fit_s, time.perf_counter() - t0, start_s


RUNNERS = {"rules": run_rules, "textbook-crf": run_textbook_crf, "spacy": run_spacy}


def run_one(folder: str, corpus: str, limit: int | None, opts: dict[str, Any]) -> dict[str, Any]:
    """Train and score one system on one corpus (called in a fresh process)."""
    from toolkit.extractor.evaluation import score_spans

    train, test = load(Path(folder), corpus, limit)
    runner = RUNNERS.get(opts["system"], run_toolkit)
    pred, fit_s, tag_s, start_s = runner(train, test, opts)
    scores = score_spans(test, pred, LABELS)["overall"]
    return {
        "corpus": corpus,
        "system": opts["system"],
        "train_texts": len(train),
        "test_texts": len(test),
        "precision": scores["precision"],
        "recall": scores["recall"],
        "f1": scores["f1"],
        "f1_ci": scores.get("f1_ci"),
        "per_label": {
            k: {m: v[m] for m in ("precision", "recall", "f1", "number")} for k, v in scores["per_label"].items()
        },
        "train_seconds": round(fit_s, 1),
        "tag_per_second": round(len(test) / tag_s, 1) if tag_s > 0 else None,
        "start_seconds": round(start_s, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


# --- tables -----------------------------------------------------------------


def corpus_table(rows: list[dict[str, Any]]) -> str:
    head = "| system | P | R | F1 | PER P/R/F1 | ORG P/R/F1 | LOC P/R/F1 | train s | start s | tag sent/s | peak MB |"
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['system']} | {r['error']} |" + " |" * 9)
            continue
        labs = []
        for lab in LABELS:
            s = r["per_label"].get(lab)
            labs.append(f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f}" if s else "-")
        lines.append(
            f"| {r['system']} | {r['precision']:.3f} | {r['recall']:.3f} | **{r['f1']:.3f}** | "
            + " | ".join(labs)
            + f" | {r['train_seconds']} | {r['start_seconds']} | {r['tag_per_second']} | {r['peak_mb']} |"
        )
    return "\n".join(lines)


def summary(results: list[dict[str, Any]], corpora: list[str]) -> str:
    """F1 per corpus and system, the mean, and the aim: the default beats the better peer by 0.02."""
    systems = list(dict.fromkeys(r["system"] for r in results))
    f1 = {(r["corpus"], r["system"]): r["f1"] for r in results if "f1" in r}
    lines = ["| system | " + " | ".join(corpora) + " | mean |", "|" + "---|" * (len(corpora) + 2)]
    for s in systems:
        vals = [f1.get((c, s)) for c in corpora]
        mean = sum(vals) / len(vals) if all(v is not None for v in vals) else None
        cells = [f"{v:.3f}" if v is not None else "-" for v in vals]
        lines.append(f"| {s} | " + " | ".join(cells) + f" | {mean:.3f} |" if mean is not None else " | -")
    if all((c, p) in f1 for c in corpora for p in PEERS) and all((c, "crf") in f1 for c in corpora):
        margins = [f1[(c, "crf")] - max(f1[(c, p)] for p in PEERS) for c in corpora]
        lines.append("")
        lines.append(
            "crf minus the better peer: "
            + ", ".join(f"{c} {m:+.3f}" for c, m in zip(corpora, margins, strict=True))
            + f" (aim: each >= +0.020: {'met' if min(margins) >= 0.02 else 'not met'})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", default=",".join(CORPORA), help=f"comma-separated subset of {', '.join(CORPORA)}")
    ap.add_argument("--shared", type=Path, default=SHARED, help="the external-ner folder (read only)")
    ap.add_argument("--limit", type=int, default=None, help="first N train and N test texts of each corpus (tests)")
    ap.add_argument("--skip-peers", action="store_true", help="toolkit systems and rules only")
    ap.add_argument("--systems", default=None, help="comma-separated systems to run (default: all)")
    ap.add_argument("--spacy-max-steps", type=int, default=None, help="cap spaCy's training steps (default: its own)")
    ap.add_argument("--transformer-base", default=None, help="a local token-classification checkpoint to also train")
    ap.add_argument("--json", type=Path, default=None, help="write every result here")
    ap.add_argument("--before", action="store_true", help="also the crf with the issue-14 features (crf-issue14)")
    ap.add_argument("--jobs", type=int, default=1, help="systems trained at the same time (timings then share the CPU)")
    args = ap.parse_args(argv)
    corpora = [c.strip() for c in args.corpora.split(",") if c.strip()]
    unknown = [c for c in corpora if c not in CORPORA]
    if unknown or not corpora:
        print(f"error: unknown corpora {unknown}; known: {', '.join(CORPORA)}", file=sys.stderr)
        return 2
    systems = ["rules", "crf", *(["crf-issue14"] if args.before else [])]
    if args.transformer_base:
        systems.append("transformer")
    if not args.skip_peers:
        systems += list(PEERS)
    if args.systems:
        systems = [s for s in systems if s in args.systems.split(",")]
    t_start = time.perf_counter()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            folder = exports_dir(args.shared, corpora, Path(tmp))
        except BenchmarkError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        print(f"exports: {folder}", file=sys.stderr)
        ctx = multiprocessing.get_context("spawn")
        # one fresh process per system and corpus (its own peak memory); --jobs of them at a time
        with ProcessPoolExecutor(max_workers=args.jobs, mp_context=ctx, max_tasks_per_child=1) as pool:
            futures = {
                (corpus, system): pool.submit(
                    run_one,
                    str(folder),
                    corpus,
                    args.limit,
                    {
                        "system": system,
                        "spacy_max_steps": args.spacy_max_steps,
                        "transformer_base": args.transformer_base,
                    },
                )
                for corpus in corpora
                for system in systems
            }
            for corpus in corpora:
                rows = []
                for system in systems:
                    try:
                        row = futures[(corpus, system)].result()
                    except ImportError as e:  # a peer's package is not installed: say so, go on
                        row = {"corpus": corpus, "system": system, "error": f"not run ({e}; pip install -e '.[bench]')"}
                    except Exception as e:  # noqa: BLE001 (one system's failure must not lose the others' hours)
                        traceback.print_exception(e, file=sys.stderr)
                        row = {"corpus": corpus, "system": system, "error": f"failed ({type(e).__name__}: {e})"}
                    print(f"{corpus} {system}: " + json.dumps({k: row.get(k) for k in ("f1", "train_seconds", "error")}),
                          file=sys.stderr, flush=True)  # fmt: skip
                    rows.append(row)
                results += rows
                n_train, n_test = rows[0].get("train_texts"), rows[0].get("test_texts")
                print(f"\n### {corpus} (train {n_train} texts, test {n_test})\n")
                print(corpus_table(rows), flush=True)
    wall = time.perf_counter() - t_start
    print("\n### F1 (strict, micro over PER/ORG/LOC)\n")
    print(summary(results, corpora))
    print(f"\nwall time {wall:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "wall_seconds": round(wall)}, indent=1) + "\n")
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
