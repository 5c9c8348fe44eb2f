"""Build parallel.jsonl from sentences.txt (see README.md): exact offsets, checked against the seed gold.

    .venv/bin/python annotations/parallel/build_parallel.py [--check]

The source of every sentence is read from seeds/ through the toolkit's own
segmenter, so it is exactly the text a run would hold under that record id.
Each span string is looked up as a whole word (``STRING@N``: the N-th
occurrence); the source side's PER/ORG/LOC spans must be exactly the
hand-made gold of annotations/gold/seeds_gold.json inside that sentence.
With ``--check`` nothing is written: the script fails if parallel.jsonl is
not what sentences.txt builds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from toolkit.projection.parallel import SIDES, LinkedSpan, ParallelRecord, check_record  # noqa: E402
from toolkit.projection.text import at_boundary  # noqa: E402
from toolkit.records import ENTITY_LABELS, Document  # noqa: E402
from toolkit.segment import segment_document  # noqa: E402

LANGS = {"000": "ind_Latn", "001": "por_Latn", "002": "nob_Latn", "003": "tha_Thai", "004": "tha_Thai"}


def seed_sentences() -> dict[str, tuple[str, str, int]]:
    """record id -> (source language, sentence text, offset in the file)."""
    out = {}
    for path in sorted((REPO / "seeds").glob("*.txt")):
        lang = LANGS[path.name[:3]]
        for s in segment_document(Document(path=path.name, text=path.read_text(encoding="utf-8"), lang=lang), lang):
            out[s.id] = (lang, s.text, s.start)
    return out


def gold_entities() -> dict[str, set[tuple[int, int, str]]]:
    """doc -> (start, end, label) in file offsets, from the seed gold."""
    out: dict[str, set[tuple[int, int, str]]] = {}
    for task in json.loads((REPO / "annotations/gold/seeds_gold.json").read_text(encoding="utf-8")):
        d = task["data"]
        for ann in task["annotations"]:
            for r in ann["result"]:
                v = r["value"]
                out.setdefault(d["doc"], set()).add(
                    (d["src_start"] + v["start"], d["src_start"] + v["end"], v["labels"][0])
                )
    return out


def locate(text: str, spec: str, where: str) -> tuple[int, int]:
    target, _, nth = spec.rpartition("@") if "@" in spec and spec.rsplit("@", 1)[1].isdigit() else (spec, "", "1")
    want, seen, pos = int(nth), 0, text.find(target)
    while pos >= 0:
        if at_boundary(text, pos, pos + len(target)):
            seen += 1
            if seen == want:
                return pos, pos + len(target)
        pos = text.find(target, pos + 1)
    raise SystemExit(f"{where}: {spec!r} not found (occurrence {want}) in {text!r}")


def parse(path: Path, seeds: dict[str, tuple[str, str, int]]) -> list[tuple[ParallelRecord, int]]:
    records: list[tuple[ParallelRecord, int]] = []
    rec: ParallelRecord | None = None
    links: dict[str, int] = {}  # span lines seen per record: the link ids
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        where = f"{path.name}:{n}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("= "):
            rid = line[2:].strip()
            if rid not in seeds:
                raise SystemExit(f"{where}: no body sentence {rid!r} in seeds/")
            lang, text, start = seeds[rid]
            rec = ParallelRecord(rid, lang, {"src": text}, {side: [] for side in SIDES})
            records.append((rec, start))
        elif rec is None:
            raise SystemExit(f"{where}: a line before the first '= RECORD_ID'")
        elif line[:4] in ("eng:", "vie:"):
            rec.texts[line[:3]] = line[4:].strip()
        else:
            label, *parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3:
                raise SystemExit(f"{where}: want 'LABEL | source | English | Vietnamese', got {line!r}")
            links[rec.id] = links.get(rec.id, 0) + 1
            link = f"L{links[rec.id]}"
            for side, spec in zip(SIDES, parts, strict=True):
                if spec != "-":
                    a, b = locate(rec.texts[side], spec, f"{where} ({side})")
                    rec.spans[side].append(LinkedSpan(a, b, label, rec.texts[side][a:b], link=link))
    return records


def build() -> list[str]:
    seeds = seed_sentences()
    gold = gold_entities()
    lines = []
    for rec, start in parse(HERE / "sentences.txt", seeds):
        for side in SIDES:
            rec.spans[side].sort(key=lambda s: s.start)
        problems = check_record(rec)
        doc = rec.id.split("#")[0]
        end = start + len(rec.texts["src"])
        want = {(a - start, b - start, lab) for a, b, lab in gold.get(doc, set()) if start <= a and b <= end}
        have = {(s.start, s.end, s.label) for s in rec.spans["src"] if s.label in ENTITY_LABELS}
        if want != have:
            problems.append(
                f"source entities differ from the seed gold: missing {sorted(want - have)}, extra {sorted(have - want)}"
            )
        if problems:
            raise SystemExit(f"{rec.id}: " + "; ".join(problems))
        lines.append(rec.to_json())
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="fail if parallel.jsonl is not up to date")
    args = ap.parse_args()
    text = "\n".join(build()) + "\n"
    out = HERE / "parallel.jsonl"
    if args.check:
        if not out.is_file() or out.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{out} is not what sentences.txt builds: run build_parallel.py")
        print(f"{out}: up to date")
        return
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({text.count(chr(10))} sentences)")


if __name__ == "__main__":
    main()
