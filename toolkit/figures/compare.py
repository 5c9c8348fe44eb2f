"""Cross-checking the figures of a source sentence against those of its translation.

The rule (also in docs/FIGURES.md):

1. **matched**: same value and compatible kind and unit. Values are compared
   after normalisation (so "165,34 bilhões de VND" = "165.34 billion VND" =
   165340000000), Thai Buddhist-era years by their Gregorian value *or* as
   written (2567 BE matches 2024 and a literal 2567). Kinds are fuzzy where
   translations are: COUNT, QUANTITY, SCORE, YEAR, ORDINAL and OTHER match
   one another when the value is equal ("5 ปี" may come back as "five years"
   or "5"). MONEY, PERCENT, DATE and RATIO must keep their kind; currencies
   must agree where both are known ("$" agrees with USD, "£" with GBP).
2. A range in one text matches two single figures of the other holding its
   two ends ("2020 - 2025" vs "2020 ... 2025").
3. **changed**: a pair that shares a number but not the rest (the currency
   or the "%" was lost, "more than 500" became "500"), then the leftovers of
   the same kind family paired in order of appearance ("165,34 bilhões"
   became "165.34 million").
4. What is left is **missing** (source only) or **added** (translation only),
   except figures written without a digit ("first", "one of", Norwegian "to"):
   translations add and drop those freely, so they go to ``unchecked``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from toolkit.records import Figure

FUZZY_KINDS = frozenset({"COUNT", "QUANTITY", "SCORE", "YEAR", "ORDINAL", "OTHER"})
_CURRENCY_CLASS = {"$": "USD", "£": "GBP"}


@dataclass
class FigureComparison:
    """What a translation did to the source's figures."""

    matched: list[tuple[Figure, Figure]] = field(default_factory=list)
    missing: list[Figure] = field(default_factory=list)
    added: list[Figure] = field(default_factory=list)
    changed: list[tuple[Figure, Figure]] = field(default_factory=list)
    unchecked: list[Figure] = field(default_factory=list)  # unmatched figures written without digits

    @property
    def ok(self) -> bool:
        return not (self.missing or self.added or self.changed)


def _n(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(f"{float(v):.9g}")  # equal up to float noise


def _exact_keys(f: Figure) -> set[Any]:
    v = f.value
    keys: set[Any] = set()
    if isinstance(v, dict):
        if "num" in v:
            keys.add(("ratio", _n(v.get("num")), _n(v.get("den"))))
        else:
            lo, hi = _n(v.get("low")), _n(v.get("high"))
            keys.add(("range", lo, hi))
            if f.era == "BE":
                keys.add(("range", lo + 543 if lo is not None else None, hi + 543 if hi is not None else None))
    elif isinstance(v, str):
        keys.add(("date", v))
    else:
        x = _n(v)
        if x is not None:
            keys.add(("n", x))
            if f.era == "BE":
                keys.add(("n", x + 543))
    return keys


def _loose_numbers(f: Figure) -> set[float]:
    v = f.value
    out: set[float] = set()
    if isinstance(v, dict):
        for k in ("low", "high", "num", "den"):
            x = _n(v.get(k))
            if x is not None:
                out.add(x)
                if f.era == "BE":
                    out.add(x + 543)
    elif isinstance(v, str):
        parts = v.lstrip("-").split("-")
        if parts and parts[0].isdigit():
            out.add(float(parts[0]))
    else:
        x = _n(v)
        if x is not None:
            out.add(x)
            if f.era == "BE":
                out.add(x + 543)
    return out


def _has_digit(f: Figure) -> bool:
    return any(c.isdigit() for c in f.text)


def _family(kind: str) -> str:
    return "FUZZY" if kind in FUZZY_KINDS else kind


def _units_agree(a: Figure, b: Figure) -> bool:
    if a.kind != "MONEY" or b.kind != "MONEY":
        return True
    ua = _CURRENCY_CLASS.get(a.unit or "", a.unit)
    ub = _CURRENCY_CLASS.get(b.unit or "", b.unit)
    return ua is None or ub is None or ua == ub


def compare_figures(source: list[Figure], target: list[Figure]) -> FigureComparison:
    """Pair the figures of a source text with those of its translation (see the module doc)."""
    out = FigureComparison()
    src = list(source)
    tgt = list(target)
    used_s: set[int] = set()
    used_t: set[int] = set()
    skeys = [_exact_keys(f) for f in src]
    tkeys = [_exact_keys(f) for f in tgt]

    # 1. exact value, same kind family, agreeing units.
    for i, f in enumerate(src):
        for j, g in enumerate(tgt):
            if j in used_t:
                continue
            if _family(f.kind) == _family(g.kind) and skeys[i] & tkeys[j] and _units_agree(f, g):
                out.matched.append((f, g))
                used_s.add(i)
                used_t.add(j)
                break

    # 2. a range against its two ends written apart.
    for side_a, side_b, used_a, used_b, swap in ((src, tgt, used_s, used_t, False), (tgt, src, used_t, used_s, True)):
        for i, f in enumerate(side_a):
            if i in used_a or not isinstance(f.value, dict) or "low" not in f.value or "high" not in f.value:
                continue
            ends = [_n(f.value["low"]), _n(f.value["high"])]
            if f.era == "BE":
                ends_written = [e + 543 for e in ends if e is not None]
            else:
                ends_written = []
            hits = []
            for want in ends:
                for j, g in enumerate(side_b):
                    if j in used_b or j in hits or isinstance(g.value, dict | str):
                        continue
                    x = _n(g.value)
                    if x is not None and (
                        x == want or (x in ends_written and ends.index(want) == ends_written.index(x))
                    ):
                        hits.append(j)
                        break
            if len(hits) == 2:
                used_a.add(i)
                for j in hits:
                    used_b.add(j)
                    out.matched.append((side_b[j], f) if swap else (f, side_b[j]))

    # 3a. sharing a number but not the kind, the unit or the bound.
    for i, f in enumerate(src):
        if i in used_s:
            continue
        nf = _loose_numbers(f)
        for j, g in enumerate(tgt):
            if j in used_t:
                continue
            if nf & _loose_numbers(g):
                out.changed.append((f, g))
                used_s.add(i)
                used_t.add(j)
                break
    # 3b. what is left of the same family, in order.
    for i, f in enumerate(src):
        if i in used_s:
            continue
        for j, g in enumerate(tgt):
            if j not in used_t and f.kind == g.kind:
                out.changed.append((f, g))
                used_s.add(i)
                used_t.add(j)
                break

    # Figures written only in words ("first", "one of", "to" in Norwegian) come
    # and go freely in translation; unmatched, they are noted but not flagged.
    for i, f in enumerate(src):
        if i not in used_s:
            (out.missing if _has_digit(f) else out.unchecked).append(f)
    for j, g in enumerate(tgt):
        if j not in used_t:
            (out.added if _has_digit(g) else out.unchecked).append(g)
    return out
