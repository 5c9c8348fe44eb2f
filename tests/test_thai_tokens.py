"""The tokenizer's Thai runs: one newmm call over a text's runs gives what a call per run gives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.segment.tokens import thai_words, tokenize

_RUN = re.compile(r"[\u0E00-\u0E7F]+")


def _one_call_per_run(text: str) -> list[tuple[int, int, str]]:
    """The reference: the Thai runs cut one by one, the rest by the Latin rule (as before the batching)."""
    rest = [(t.start, t.end, t.text) for t in tokenize(_RUN.sub(lambda m: " " * len(m.group()), text))]
    runs = [
        (m.start() + w.start, m.start() + w.end, w.text)
        for m in _RUN.finditer(text)
        for w in thai_words(m.group(), False)
    ]
    return sorted(rest + runs)


def _thai_vocabulary() -> list[str]:
    from pythainlp.corpus import thai_words as dictionary

    # dictionary words that hold a space or ๆ are where one call over joined runs could differ
    words = sorted(dictionary())
    return [w for w in words if " " in w or "ๆ" in w][:200] + words[::500][:400]


_WORDS = _thai_vocabulary()
_PIECES = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(
        [" ", "  ", "ๆ", " ๆ ", ".", "จ.", "ด.ช.", "1,000", "2566", "ปี 2023", "Hà Nội", "(", ")", '"', "-", "\n"]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12))
def test_a_text_cut_in_one_call_is_cut_as_run_by_run(pieces):
    text = "".join(pieces)
    assert [(t.start, t.end, t.text) for t in tokenize(text)] == _one_call_per_run(text)


def test_repeated_and_spaced_words():
    for text in ["เรื่อย ๆ ไป", "พร้อมๆ กัน", "สุกๆ ดิบๆ", "ที่ จ.ปราจีนบุรี และ น.พ.จรัล", "ชุมชน Cam Due ปี 2566"]:
        assert [(t.start, t.end, t.text) for t in tokenize(text)] == _one_call_per_run(text)
        assert "".join(t.text for t in tokenize(text)) == "".join(text.split())


def test_one_newmm_call_for_all_the_runs_of_a_text(monkeypatch):
    """The point of the batching: a text with several Thai runs is cut in one call (a wrong
    offset would make its words cross runs and fall back to one call per run)."""
    import toolkit.segment.tokens as tokens

    calls: list[str] = []
    real = tokens.thai_words

    def counted(text: str, keep_whitespace: bool = True):
        calls.append(text)
        return real(text, keep_whitespace)

    monkeypatch.setattr(tokens, "thai_words", counted)
    text = "เมื่อวันที่ 7 ธ.ค. ที่ จ.ปราจีนบุรี นายสมชาย กล่าวว่า (ทดสอบ) 2566"  # not cut before in this process
    words = [t.text for t in tokens.tokenize(text)]
    assert len(calls) == 1 and "ปราจีนบุรี" in words and "2566" in words
