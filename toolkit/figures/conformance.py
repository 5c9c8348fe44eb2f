"""Running the finder over Duckling's number, ordinal, money and quantity corpora.

The cases live outside the package (BSD-licensed, see their README): the
caller hands :func:`run_conformance` their folder, and the library reads
nothing else (``toolkit figures conformance`` finds the default one). A case *passes* when the text holds exactly
one figure, of the right kind and value (and currency or unit), and the text
outside that figure is nothing but the modifier words our span rules leave
outside on purpose ("about", "more than", "between", "từ ... trở xuống").
``strict`` counts the cases whose figure is the whole text, character for
character, for comparison.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.figures.extract import extract_figures
from toolkit.figures.langs import lexicon
from toolkit.figures.lexicon import alternation, word_bounds
from toolkit.figures.units import TO_BASE
from toolkit.records import Figure

# The aims of the figures issue, per dimension (quantity has none).
AIMS = {"numeral": 0.95, "ordinal": 0.95, "money": 0.90}
# Our currency units in Duckling's names.
_CURRENCY_NAMES = {"$": "Dollar", "£": "Pound", "cent": "Cent", "dinar": "Dinar", "riyal": "Riyal", "rial": "Rial"}
_QUANTITY_UNITS = {"g": "gram", "kg": "gram", "mg": "gram", "lb": "pound", "oz": "ounce", "cup": "cup"}


class ConformanceError(ToolkitError, ValueError):
    """A conformance case file that cannot be read; the message names the file and line."""


class CasesNotFound(ConformanceError, FileNotFoundError):
    """No ``cases.jsonl`` where the cases were looked for."""


@dataclass
class Row:
    lang: str
    dim: str
    total: int = 0
    passed: int = 0
    strict: int = 0
    latent: int = 0  # English cases Duckling itself resolves only on request: not counted
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 1.0


@dataclass
class Table:
    rows: dict[tuple[str, str], Row]
    negatives_passed: int = 0
    negatives_total: int = 0

    def format(self) -> str:
        lines = [
            "| lang | dimension | cases | pass | rate | strict span | aim |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for (lang, dim), r in sorted(self.rows.items()):
            aim = AIMS.get(dim)
            lines.append(
                f"| {lang} | {dim} | {r.total} | {r.passed} | {r.rate:.1%} | {r.strict / r.total if r.total else 1:.1%} "
                f"| {'' if aim is None else f'{aim:.0%}'} |"
            )
        tot = sum(r.total for r in self.rows.values())
        ok = sum(r.passed for r in self.rows.values())
        lines.append(f"| all | all | {tot} | {ok} | {ok / tot if tot else 1:.1%} | | |")
        if self.negatives_total:
            lines.append(
                f"\nnegatives (must give no figure of the dimension): {self.negatives_passed}/{self.negatives_total}"
            )
        latent = sum(r.latent for r in self.rows.values())
        if latent:
            lines.append(f"latent cases left out (Duckling resolves them only on request): {latent}")
        return "\n".join(lines)

    def below_aims(self) -> list[Row]:
        return [r for (lang, dim), r in self.rows.items() if dim in AIMS and r.rate < AIMS[dim]]


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, dict) or isinstance(b, dict):
        return False
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def _number_of(f: Figure) -> Any:
    v = f.value
    if isinstance(v, dict) and "num" in v:
        return v["num"] / v["den"] if v["den"] else None
    return v


def _modifiers(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    lx = lexicon(lang)
    lead = lx.approx_words | lx.above_words | lx.below_words | lx.between_words | lx.from_words | {"~"}
    trail = lx.above_after | lx.below_after
    b, e = word_bounds(lx)
    lead_re = re.compile(rf"^(?:\s*{b}(?:{alternation(lead)}){e})*\s*$", re.IGNORECASE)
    trail_re = re.compile(
        rf"^\s*(?:{b}(?:{alternation(trail)}){e})?\s*(?:(?:of|de)\s+[^\W\d_][\w\s]*)?[\s.]*$",
        re.IGNORECASE,
    )
    return lead_re, trail_re


def check_case(case: dict[str, Any]) -> tuple[bool, bool, list[Figure]]:
    """(passes, strict span, the figures found) for one case of ``cases.jsonl``."""
    text, lang, dim = case["text"], case["lang"], case["dim"]
    figs = extract_figures(text, lang)
    if len(figs) != 1:
        return False, False, figs
    f = figs[0]
    lead_re, trail_re = _modifiers(lang)
    stripped = text.strip()
    strict = f.text == stripped
    span_ok = strict or (lead_re.match(text[: f.start]) is not None and trail_re.match(text[f.end :]) is not None)
    if not span_ok:
        return False, False, figs
    if dim == "numeral":
        ok = not isinstance(f.value, str) and _close(_number_of(f), case["value"])
    elif dim == "ordinal":
        ok = f.kind == "ORDINAL" and _close(f.value, case["value"])
    elif dim == "money":
        ok = (
            f.kind == "MONEY"
            and _CURRENCY_NAMES.get(f.unit or "", f.unit) == case["currency"]
            and _value_ok(f.value, case)
        )
    else:
        unit = _QUANTITY_UNITS.get(f.unit or "", f.unit)
        factor = TO_BASE[f.unit][1] if f.unit in TO_BASE and TO_BASE[f.unit][0] == "g" else 1.0
        ok = f.kind == "QUANTITY" and unit == case.get("unit") and _value_ok(f.value, case, factor)
    return ok, ok and strict, figs


def _value_ok(value: Any, case: dict[str, Any], factor: float = 1.0) -> bool:
    kind = case.get("kind", "simple")

    def scaled(x: Any) -> Any:
        return None if x is None else x * factor

    if kind == "simple":
        return not isinstance(value, dict) and _close(scaled(value), case["value"])
    if not isinstance(value, dict):
        return False
    if kind == "between":
        return _close(scaled(value.get("low")), case["min"]) and _close(scaled(value.get("high")), case["max"])
    if kind == "under":
        return "low" not in value and _close(scaled(value.get("high")), case["max"])
    if kind == "above":
        return "high" not in value and _close(scaled(value.get("low")), case["min"])
    return False


def _read_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ConformanceError(f"{path}:{lineno}: not a JSON line ({exc.msg}); fix or remove it") from None


def run_conformance(directory: str | Path) -> Table:
    """Run every case of ``directory/cases.jsonl`` (and ``negatives.jsonl``) and return the table.

    Raises FileNotFoundError naming the folder when the cases are not there,
    ValueError naming the file and line of a case that is not JSON.
    """
    d = Path(directory)
    cases_path = d / "cases.jsonl"
    if not cases_path.is_file():
        raise CasesNotFound(f"no conformance cases at {cases_path}; pass the folder holding cases.jsonl")
    rows: dict[tuple[str, str], Row] = {}
    for case in _read_jsonl(cases_path):
        row = rows.setdefault((case["lang"], case["dim"]), Row(case["lang"], case["dim"]))
        if case.get("latent"):
            row.latent += 1
            continue
        row.total += 1
        ok, strict, figs = check_case(case)
        if ok:
            row.passed += 1
            row.strict += strict
        else:
            row.failures.append(
                {
                    "text": case["text"],
                    "expected": {k: case[k] for k in ("value", "min", "max", "currency", "unit") if k in case},
                    "got": [f"{f.text!r} {f.kind} {f.value} {f.unit or ''}".strip() for f in figs],
                }
            )
    table = Table(rows=rows)
    neg_path = d / "negatives.jsonl"
    if neg_path.is_file():
        for case in _read_jsonl(neg_path):
            table.negatives_total += 1
            kinds = {"money": "MONEY", "quantity": "QUANTITY", "ordinal": "ORDINAL"}
            figs = extract_figures(case["text"], case["lang"])
            want = kinds.get(case["dim"])
            if not any(want is None or f.kind == want for f in figs):
                table.negatives_passed += 1
    return table
