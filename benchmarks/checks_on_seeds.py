"""How many seed records each check flags.

    python benchmarks/checks_on_seeds.py                 # seeds/, each translation a copy of its source
    python benchmarks/checks_on_seeds.py --run RUN_DIR   # the translations of a `toolkit translate` run
    python benchmarks/checks_on_seeds.py --glossary FILE.tsv [--json out.json]

Without ``--run`` the seeds are read and segmented as the pipeline does, and
every body sentence's "translation" into each target is its source, which is
what the tiny test model (``models/tiny_nllb.py``) writes: ``untranslated``
and ``wrong_language`` are then expected on most records, and the other
checks show their false alarms on copies. With ``--run`` the run's own
translations are checked again with ``toolkit.checks.check_translation``
(the flags stored in the run are not used: they may predate a check).

A record counts once per code and target however many flags of that code it has.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from toolkit.checks import FLAG_CODES, check_translation, read_glossary  # noqa: E402
from toolkit.checks.glossary import Glossary  # noqa: E402
from toolkit.checks.markup import bracket_counts, links  # noqa: E402
from toolkit.checks.names import latin_names  # noqa: E402
from toolkit.detect import detect_language  # noqa: E402
from toolkit.io.read import iter_documents  # noqa: E402
from toolkit.languages import DEFAULT_TARGETS  # noqa: E402
from toolkit.records import Document  # noqa: E402
from toolkit.run import iter_records  # noqa: E402
from toolkit.segment import segment_document  # noqa: E402


def seed_pairs(seeds: Path, targets: tuple[str, ...]) -> Iterator[tuple[str, str, str, str, str]]:
    """(record id, source language, source, target, translation) with the translation a copy."""
    for doc in iter_documents(seeds):
        if not isinstance(doc, Document):
            continue
        lang = detect_language(doc.text).nllb
        if lang is None:
            continue
        for s in segment_document(doc, lang):
            if s.is_body:
                for target in targets:
                    yield s.id, lang, s.text, target, s.text


def run_pairs(run: Path) -> Iterator[tuple[str, str, str, str, str]]:
    for rec in iter_records(run):
        if rec.translate:
            for target, mt in rec.mt.items():
                yield rec.id, rec.src_lang, rec.src, target, mt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=REPO / "seeds")
    ap.add_argument("--run", type=Path, help="a run folder: check its translations instead of copies")
    ap.add_argument("--glossary", type=Path)
    ap.add_argument("--json", type=Path, help="write the counts here as well")
    args = ap.parse_args()
    glossary: Glossary | None = read_glossary(args.glossary) if args.glossary else None
    for line in glossary.problems if glossary else []:
        print(f"warning: {line}", file=sys.stderr)
    pairs = run_pairs(args.run) if args.run else seed_pairs(args.seeds, DEFAULT_TARGETS)
    flagged: dict[str, Counter[str]] = {code: Counter() for code in FLAG_CODES}
    records: set[str] = set()
    examples: dict[str, str] = {}
    # Records whose source holds something a new check looks at: what it could fire on.
    has: dict[str, set[str]] = {"Latin-script names": set(), "URLs or e-mails": set(), "brackets or quotes": set()}
    t0 = time.perf_counter()
    for rid, src_lang, src, target, mt in pairs:
        records.add(rid)
        if latin_names(src, src_lang):
            has["Latin-script names"].add(rid)
        if links(src):
            has["URLs or e-mails"].add(rid)
        if any(sum(c) for c in bracket_counts(src).values()):
            has["brackets or quotes"].add(rid)
        for code in {f.code for f in check_translation(src, mt, src_lang, target, glossary)}:
            flagged.setdefault(code, Counter())[target] += 1
            examples.setdefault(code, f"{rid} -> {target}")
    took = time.perf_counter() - t0
    targets = sorted({t for c in flagged.values() for t in c} | set(DEFAULT_TARGETS))
    print(f"{len(records)} records ({'run ' + str(args.run) if args.run else 'copies of the seeds'}), {took:.1f} s")
    print(f"| code | {' | '.join(targets)} | first example |")
    print(f"|---|{'---:|' * len(targets)}---|")
    for code, counts in flagged.items():
        print(f"| {code} | {' | '.join(str(counts[t]) for t in targets)} | {examples.get(code, '')} |")
    print("records whose source has " + ", ".join(f"{k}: {len(v)}" for k, v in has.items()))
    if args.json:
        out = {"records": len(records), "seconds": round(took, 2), "flagged": {c: dict(n) for c, n in flagged.items()}}
        out["sources_with"] = {k: len(v) for k, v in has.items()}
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
