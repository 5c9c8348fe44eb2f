"""The parallel set: source sentences with hand-made translations and linked spans on every side.

One JSON object per line (``annotations/parallel/parallel.jsonl``)::

    {"id": "000_...txt#p0s0", "src_lang": "ind_Latn", "src": "...", "eng": "...", "vie": "...",
     "spans": {"src": [{"start": 23, "end": 54, "label": "ORG", "text": "...", "link": "L1"}, ...],
               "eng": [...], "vie": [...]}}

A span's ``link`` names the same entity or figure on the other sides; a
link missing from a side means that side does not hold it (or, by the
guidelines, labels it differently). ``load_parallel`` checks every line and
says what is wrong with which line, so a hand edit cannot slip through.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import ToolkitError
from toolkit.languages import LanguageError, to_nllb
from toolkit.records import ALL_LABELS, Span

SIDES = ("src", "eng", "vie")
SIDE_LANG = {"eng": "eng_Latn", "vie": "vie_Latn"}


class ParallelError(ToolkitError, ValueError):
    """A line of the parallel set that does not hold together."""


@dataclass
class LinkedSpan(Span):
    link: str = ""


@dataclass
class ParallelRecord:
    id: str
    src_lang: str
    texts: dict[str, str]
    spans: dict[str, list[LinkedSpan]] = field(default_factory=dict)

    def lang(self, side: str) -> str:
        return self.src_lang if side == "src" else SIDE_LANG[side]

    def by_link(self, side: str) -> dict[str, LinkedSpan]:
        return {s.link: s for s in self.spans.get(side, [])}

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "src_lang": self.src_lang,
                **{side: self.texts[side] for side in SIDES},
                "spans": {
                    side: [
                        {"start": s.start, "end": s.end, "label": s.label, "text": s.text, "link": s.link}
                        for s in self.spans.get(side, [])
                    ]
                    for side in SIDES
                },
            },
            ensure_ascii=False,
        )


def check_record(rec: ParallelRecord) -> list[str]:
    """What is wrong with one record (empty when it holds together)."""
    problems: list[str] = []
    try:
        to_nllb(rec.src_lang)
    except LanguageError as e:
        problems.append(str(e))
    for side in SIDES:
        text = rec.texts.get(side)
        if not text:
            problems.append(f"{side}: no text")
            continue
        seen: set[str] = set()
        prev_end = -1
        for s in sorted(rec.spans.get(side, []), key=lambda s: s.start):
            where = f"{side} span {s.start}-{s.end} {s.label} ({s.text!r})"
            if s.label not in ALL_LABELS:
                problems.append(f"{where}: unknown label; use one of {', '.join(ALL_LABELS)}")
            if not (0 <= s.start < s.end <= len(text)) or text[s.start : s.end] != s.text:
                problems.append(f"{where}: offsets do not match the text (it holds {text[s.start : s.end]!r})")
            if s.start < prev_end:
                problems.append(f"{where}: overlaps the span before it")
            if not s.link or s.link in seen:
                problems.append(f"{where}: link {s.link!r} missing or used twice on this side")
            seen.add(s.link)
            prev_end = max(prev_end, s.end)
    labels: dict[str, str] = {}
    for side in SIDES:
        for s in rec.spans.get(side, []):
            if labels.setdefault(s.link, s.label) != s.label:
                problems.append(f"link {s.link}: label {s.label} on {side} but {labels[s.link]} elsewhere")
    return problems


def record_from_dict(data: dict) -> ParallelRecord:
    spans = {
        side: [
            LinkedSpan(int(s["start"]), int(s["end"]), s["label"], s["text"], link=str(s.get("link", "")))
            for s in data.get("spans", {}).get(side, [])
        ]
        for side in SIDES
    }
    return ParallelRecord(
        id=data["id"], src_lang=data["src_lang"], texts={side: data.get(side, "") for side in SIDES}, spans=spans
    )


def load_parallel(path: str | Path) -> list[ParallelRecord]:
    """Read and check the parallel set; ParallelError lists every bad line (file:line: what)."""
    path = Path(path)
    records: list[ParallelRecord] = []
    problems: list[str] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = record_from_dict(json.loads(line))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
            problems.append(f"{path}:{n}: not a parallel record ({e}); rebuild it with build_parallel.py")
            continue
        problems.extend(f"{path}:{n}: {rec.id}: {p}" for p in check_record(rec))
        records.append(rec)
    if problems:
        raise ParallelError("\n".join(problems))
    return records
