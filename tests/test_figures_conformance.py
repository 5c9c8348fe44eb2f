"""The Duckling conformance suite: the issue's aims per language and dimension."""

from __future__ import annotations

import pytest

from toolkit.figures.conformance import AIMS, default_dir, run_conformance

CASES = default_dir()
pytestmark = pytest.mark.skipif(
    not (CASES / "cases.jsonl").is_file(),
    reason=f"conformance cases not found at {CASES} (expected <repo>/../shared/conformance/duckling)",
)


@pytest.fixture(scope="module")
def table():
    return run_conformance(CASES)


def test_aims_are_reached(table) -> None:
    low = [(r.lang, r.dim, f"{r.rate:.1%}") for r in table.below_aims()]
    assert not low, low
    # Every language/dimension the aims name is present (the suite was read at all).
    dims = {(lang, dim) for (lang, dim) in table.rows if dim in AIMS}
    assert {"numeral"} <= {d for _, d in dims}
    assert all(r.total > 0 for r in table.rows.values())


def test_negatives(table) -> None:
    assert table.negatives_passed == table.negatives_total


def test_table_prints(table) -> None:
    text = table.format()
    assert "| nb | money |" in text and "| th | numeral |" in text
