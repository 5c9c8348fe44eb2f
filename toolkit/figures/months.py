"""Month names from babel's CLDR data, so that no language's months are typed by hand."""

from __future__ import annotations

from babel.dates import get_month_names


def months_of(iso: str) -> dict[str, int]:
    """Wide and abbreviated month names (lower case, with and without a final dot) -> 1..12."""
    out: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for ctx in ("format", "stand-alone"):
            for num, name in get_month_names(width, ctx, locale=iso).items():
                low = name.lower()
                out[low] = num
                out[low.rstrip(".")] = num
    # "May" and "Mar" are fine, but single short abbreviations that are
    # everyday words would make every "mai"/"des" a date anchor; they only
    # count inside a date pattern, which always has a day or a year beside them.
    return out
