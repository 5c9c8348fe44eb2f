"""Figures lost, changed or added by a translation (``toolkit.figures`` finds and pairs them)."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.figures import compare_figures
from toolkit.records import Figure, Flag


def figure_flags(src_figs: Sequence[Figure], mt_figs: Sequence[Figure], target: str) -> list[Flag]:
    """A flag per source figure missing or changed in the translation, and per added figure."""
    cmp = compare_figures(list(src_figs), list(mt_figs))
    flags = [Flag("figure_missing", target, f"{f.kind} {f.text!r} not found in the translation") for f in cmp.missing]
    flags += [Flag("figure_changed", target, f"{s.kind} {s.text!r} became {t.text!r}") for s, t in cmp.changed]
    flags += [Flag("figure_added", target, f"{f.kind} {f.text!r} is not in the source") for f in cmp.added]
    return flags
