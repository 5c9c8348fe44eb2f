"""Thai sentence splitting with crfcut: offsets, fragments, long paragraphs."""

from __future__ import annotations

import time
from pathlib import Path

from toolkit.segment import get_segmenter
from toolkit.segment.thai import MIN_CHARS, ThaiSegmenter

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _seed_lines(name: str) -> list[str]:
    return [line for line in (SEEDS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_thai_uses_crfcut() -> None:
    assert isinstance(get_segmenter("th"), ThaiSegmenter)


def test_seed_paragraphs_split_into_real_sentences() -> None:
    seg = get_segmenter("tha_Thai")
    lines = _seed_lines("003_16970dbbe9772abc.txt")
    line = lines[6]  # "ใน 6 เดือนแรกของปี 2567 ..." three sentences
    sentences = seg.split(line)
    assert len(sentences) == 3
    assert sentences[0].startswith("ใน 6 เดือนแรกของปี 2567")
    assert sentences[-1].endswith("ตามระเบียบปฏิบัติต่อไป")
    # crfcut's list-item fragments are merged back: no piece under MIN_CHARS in a long line.
    for line in lines:
        pieces = seg.split(line)
        if len(pieces) > 1:
            assert all(len(p.replace(" ", "")) >= MIN_CHARS for p in pieces), pieces


def test_conjunction_pieces_join_the_previous_sentence() -> None:
    seg = get_segmenter("tha_Thai")
    line = _seed_lines("003_16970dbbe9772abc.txt")[2]
    sentences = seg.split(line)
    # crfcut alone cuts before "และองค์กร" ("and organisations"); we keep it in the sentence.
    assert not any(s.startswith("และ") for s in sentences)


def test_spans_cover_the_paragraph() -> None:
    seg = get_segmenter("tha_Thai")
    for line in _seed_lines("004_4794c9dcba31779d.txt"):
        spans = seg.spans(line)
        covered = "".join(line[s:e] for s, e in spans)
        assert covered.replace(" ", "") == line.replace(" ", "")
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_a_5000_character_paragraph_is_fast() -> None:
    text = " ".join(_seed_lines("003_16970dbbe9772abc.txt"))[:5000]
    seg = get_segmenter("tha_Thai")
    seg.split("อุ่นเครื่อง")  # load the model first
    t0 = time.perf_counter()
    spans = seg.spans(text)
    elapsed = time.perf_counter() - t0
    assert len(spans) > 10 and elapsed < 5
    nospace = text.replace(" ", "")
    t0 = time.perf_counter()
    spans = seg.spans(nospace)
    elapsed = time.perf_counter() - t0
    assert elapsed < 10
    assert "".join(nospace[s:e] for s, e in spans) == nospace
