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

from collections.abc import Callable
from dataclasses import dataclass, field, replace
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


@dataclass
class _Pairing:
    """The two sides being paired and which of their figures are taken."""

    src: list[Figure]
    tgt: list[Figure]
    out: FigureComparison = field(default_factory=FigureComparison)
    used_s: set[int] = field(default_factory=set)
    used_t: set[int] = field(default_factory=set)

    def pair(self, i: int, j: int, into: list[tuple[Figure, Figure]]) -> None:
        into.append((self.src[i], self.tgt[j]))
        self.used_s.add(i)
        self.used_t.add(j)

    def first_free(self, i: int, fits: Callable[[Figure, Figure], bool]) -> int | None:
        """The first target not yet taken that ``fits`` source ``i``."""
        f = self.src[i]
        return next((j for j, g in enumerate(self.tgt) if j not in self.used_t and fits(f, g)), None)


def compare_figures(source: list[Figure], target: list[Figure]) -> FigureComparison:
    """Pair the figures of a source text with those of its translation (see the module doc)."""
    p = _Pairing(list(source), list(target))
    _match_exact(p)
    _match_range_ends(p.src, p.tgt, p.used_s, p.used_t, lambda f, g: p.out.matched.append((f, g)))
    _match_range_ends(p.tgt, p.src, p.used_t, p.used_s, lambda g, f: p.out.matched.append((f, g)))
    # 3a. sharing a number but not the kind, the unit or the bound.
    _pair_in_order(p, lambda f, g: bool(_loose_numbers(f) & _loose_numbers(g)), p.out.changed)
    # 3b. what is left of the same kind, in order.
    _pair_in_order(p, lambda f, g: f.kind == g.kind, p.out.changed)
    # Figures written only in words ("first", "one of", "to" in Norwegian) come
    # and go freely in translation; unmatched, they are noted but not flagged.
    out = p.out
    for i, f in enumerate(p.src):
        if i not in p.used_s:
            (out.missing if _has_digit(f) else out.unchecked).append(f)
    for j, g in enumerate(p.tgt):
        if j not in p.used_t:
            (out.added if _has_digit(g) else out.unchecked).append(g)
    return out


def _pair_in_order(p: _Pairing, fits: Callable[[Figure, Figure], bool], into: list[tuple[Figure, Figure]]) -> None:
    """Each source figure not yet taken with the first free target figure that ``fits`` it."""
    for i in range(len(p.src)):
        if i in p.used_s:
            continue
        j = p.first_free(i, fits)
        if j is not None:
            p.pair(i, j, into)


def _match_exact(p: _Pairing) -> None:
    """1. exact value, same kind family, agreeing units."""
    skeys = [_exact_keys(f) for f in p.src]
    tkeys = [_exact_keys(g) for g in p.tgt]
    for i, f in enumerate(p.src):
        for j, g in enumerate(p.tgt):
            if j not in p.used_t and _family(f.kind) == _family(g.kind) and skeys[i] & tkeys[j] and _units_agree(f, g):
                p.pair(i, j, p.out.matched)
                break


def _match_range_ends(
    side_a: list[Figure],
    side_b: list[Figure],
    used_a: set[int],
    used_b: set[int],
    add: Callable[[Figure, Figure], None],
) -> None:
    """2. a range of ``side_a`` against its two ends written apart in ``side_b``."""
    for i, f in enumerate(side_a):
        if i in used_a or not isinstance(f.value, dict) or "low" not in f.value or "high" not in f.value:
            continue
        hits = _range_end_hits(f.value, f.era == "BE", side_b, used_b)
        if len(hits) == 2:
            used_a.add(i)
            for j in hits:
                used_b.add(j)
                add(f, side_b[j])


def _range_end_hits(rng: dict[str, Any], buddhist: bool, side_b: list[Figure], used_b: set[int]) -> list[int]:
    """The figures of ``side_b`` (single numbers, not yet taken) holding the two ends of the range ``rng``."""
    ends = [_n(rng["low"]), _n(rng["high"])]
    ends_written = [e + 543 for e in ends if e is not None] if buddhist else []
    hits: list[int] = []
    for want in ends:
        for j, g in enumerate(side_b):
            if j in used_b or j in hits or isinstance(g.value, dict | str):
                continue
            x = _n(g.value)
            if x is not None and (x == want or (x in ends_written and ends.index(want) == ends_written.index(x))):
                hits.append(j)
                break
    return hits


# The Thai Buddhist era runs 543 years ahead of the Gregorian one.
_BE_OFFSET = 543


def _year_values(f: Figure) -> set[int]:
    v = f.value
    vals = [v.get("low"), v.get("high")] if isinstance(v, dict) else [v]
    return {int(x) for x in vals if isinstance(x, int) and not isinstance(x, bool)}


def reconcile_kinds(source: list[Figure], target: list[Figure], lang: str = "") -> list[Figure]:
    """``target`` with its bare numbers re-kinded by what the source says they are.

    Alone, "2024" in an English sentence or "2567" in a Thai one is a count;
    when the source holds that year (2567 BE = 2024), it is a YEAR (with
    ``era="BE"`` and the Gregorian value for the Buddhist-era spelling, when
    ``lang``, the target's NLLB or ISO code, is Thai). Only
    unitless integer COUNTs are touched; everything else is returned as is.
    """
    years = set().union(*(_year_values(f) for f in source if f.kind == "YEAR")) if source else set()
    if not years:
        return list(target)
    out = []
    for g in target:
        v = g.value
        if g.kind == "COUNT" and not g.unit and isinstance(v, int) and not isinstance(v, bool):
            if v in years:
                g = replace(g, kind="YEAR")
            elif v - _BE_OFFSET in years and lang in ("tha_Thai", "th"):
                g = replace(g, kind="YEAR", value=v - _BE_OFFSET, era="BE")
        out.append(g)
    return out
