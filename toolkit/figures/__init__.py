"""Figures: find the numbers of a text with their values, and compare two texts' figures.

>>> from toolkit.figures import extract_figures
>>> [(f.text, f.kind, f.value) for f in extract_figures("127 konferensi (masa jabatan 2020 - 2025)", "id")]
[('127', 'COUNT', 127), ('2020 - 2025', 'YEAR', {'low': 2020, 'high': 2025})]
"""

from __future__ import annotations

from toolkit.figures.compare import FigureComparison, compare_figures, reconcile_kinds
from toolkit.figures.extract import extract_figures

__all__ = ["FigureComparison", "compare_figures", "extract_figures", "reconcile_kinds"]
