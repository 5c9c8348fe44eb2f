"""The Duckling conformance suite: the issue's aims per language and dimension."""

from __future__ import annotations

import pytest

from toolkit.cli.figures import CONFORMANCE_ENV, conformance_dir
from toolkit.figures.conformance import AIMS, run_conformance

# The library reads only the folder it is handed; the CLI's default finds it here too.
CASES = conformance_dir()
pytestmark = pytest.mark.skipif(
    not (CASES / "cases.jsonl").is_file(),
    reason=f"conformance cases not found at {CASES} (set ${CONFORMANCE_ENV} or put them at <repo>/../shared/conformance/duckling)",
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


def test_bad_folder_and_bad_line(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="cases.jsonl"):
        run_conformance(tmp_path)
    (tmp_path / "cases.jsonl").write_text('{"text": "5", "lang": "en", "dim": "numeral", "value": 5}\n{"text":\n')
    with pytest.raises(ValueError, match=r"cases.jsonl:2: not a JSON line"):
        run_conformance(tmp_path)
