"""``toolkit.display.counted``: the one place messages count things ("1 language", "2 languages")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from toolkit.display import counted
from toolkit.translate.summary import RunSummary


def test_singular_and_plural():
    assert counted(1, "language") == "1 language"
    assert counted(2, "language") == "2 languages"
    assert counted(0, "document") == "0 documents"
    assert counted(1204, "sentence") == "1,204 sentences"
    assert counted(1, "entry", "entries") == "1 entry" and counted(3, "entry", "entries") == "3 entries"


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["language", "task", "span", "record"]))
def test_the_noun_is_singular_exactly_for_one(n, noun):
    text = counted(n, noun)
    assert text.startswith(f"{n:,} ")
    assert text.endswith(noun if n == 1 else noun + "s")


def test_the_run_summary_says_one_language_and_one_document():
    s = RunSummary(documents=1, documents_translated=1, body_sentences=1, flagged_records=1, cache_hits=1)
    line = s.describe(1)
    assert "1/1 document " in line and "1 sentence translated into 1 language," in line
    assert "1 record flagged" in line and "1 translation from the cache" in line
    assert "languages" not in line.replace("(", "")
    assert "translated into 2 languages" in RunSummary().describe(2)
