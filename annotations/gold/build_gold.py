"""Build ``seeds_gold.json`` (a Label Studio JSON export) from ``seeds_entities.tsv``.

    .venv/bin/python annotations/gold/build_gold.py

A task is one body line of a seed article (the toolkit's task contract, with
``src`` only). Offsets are computed here from the strings in the TSV, so
they are exact; a string that does not occur in its article is an error.
Lines that are not article body (the site's header, photo file names, ad
markers, the source line and everything after it) are left out.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LANGS = {"000": "ind_Latn", "001": "por_Latn", "002": "nob_Latn", "003": "tha_Thai", "004": "tha_Thai"}
_END = re.compile(r"^(Sumber|Fonte:|Kilde:|ที่มา|แหล่งที่มา)")
_NOT_BODY = re.compile(r"^(\[an\w+_\d\]|\S+\.(jpg|png)|Vietnam\.vn - |Việt NamViệt Nam|Komentar|Comentário|Kommentar)")


def body_lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        s = line.strip()
        if not s:
            continue
        if _END.match(s):
            break
        if not _NOT_BODY.match(s):
            out.append((start + line.index(s), s))
    return out


def read_entities(path: Path) -> dict[str, list[tuple[str, str]]]:
    ents: dict[str, list[tuple[str, str]]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            sys.exit(f"{path}:{n}: expected doc<TAB>label<TAB>string")
        ents.setdefault(parts[0], []).append((parts[1], parts[2]))
    return ents


def find_spans(text: str, entities: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Every occurrence of each string, longest first, never overlapping."""
    taken = [False] * len(text)
    spans = []
    for label, s in sorted(entities, key=lambda e: -len(e[1])):
        latin = s[0].isascii() or not ("\u0e00" <= s[0] <= "\u0e7f")
        pat = re.compile((r"(?<!\w)" + re.escape(s) + r"(?!\w)") if latin else re.escape(s))
        for m in pat.finditer(text):
            if not any(taken[m.start() : m.end()]):
                spans.append((m.start(), m.end(), label))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    return sorted(spans)


def build() -> list[dict]:
    ents = read_entities(HERE / "seeds_entities.tsv")
    tasks = []
    tid = 0
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        doc = path.stem
        text = path.read_text(encoding="utf-8")
        lines = body_lines(text)
        body = "\n".join(t for _, t in lines)
        for _, s in ents.get(doc, []):
            if s not in body:
                sys.exit(f"seeds_entities.tsv: {s!r} does not occur in the body of {doc}")
        for i, (start, line) in enumerate(lines):
            tid += 1
            rid = f"{path.name}#p{i}s0"
            result = [
                {
                    "id": f"g{tid}_{k}",
                    "from_name": "src_labels",
                    "to_name": "src",
                    "type": "labels",
                    "origin": "manual",
                    "value": {"start": a, "end": b, "text": line[a:b], "labels": [label]},
                }
                for k, (a, b, label) in enumerate(find_spans(line, ents.get(doc, [])))
            ]
            tasks.append(
                {
                    "id": tid,
                    "data": {
                        "key": f"{rid}|{hashlib.sha256(line.encode()).hexdigest()[:16]}",
                        "record_id": rid,
                        "doc": path.name,
                        "run": "seeds",
                        "src_lang": LANGS[doc[:3]],
                        "src": line,
                        "src_start": start,
                        "context_before": lines[i - 1][1] if i else "",
                        "context_after": lines[i + 1][1] if i + 1 < len(lines) else "",
                    },
                    "annotations": [
                        {
                            "id": tid,
                            "completed_by": 1,
                            "result": result,
                            "was_cancelled": False,
                            "ground_truth": True,
                            "created_at": "2025-01-01T00:00:00.000000Z",
                            "updated_at": "2025-01-01T00:00:00.000000Z",
                            "lead_time": 0,
                        }
                    ],
                    "predictions": [],
                }
            )
    return tasks


if __name__ == "__main__":
    tasks = build()
    out = HERE / "seeds_gold.json"
    out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n = sum(len(t["annotations"][0]["result"]) for t in tasks)
    print(f"{out.relative_to(ROOT)}: {len(tasks)} tasks, {n} spans")
