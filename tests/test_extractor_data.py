"""Tokens with offsets and BIO (toolkit.segment.tokens) as the extractor uses them; windows, lines."""

from __future__ import annotations

import pytest

from toolkit.extractor.data import lines_of, windows
from toolkit.records import Span
from toolkit.segment.tokens import spans_to_tags, tags_to_spans, tokenize


@pytest.mark.parametrize(
    "text",
    [
        "Herr Le Quang Hat – visesekretær i Thang Binh-distriktets partikomité – sa at",
        "นายเหงียน วัน ฮวีเญน รองเลขาธิการคณะกรรมการพรรค ชุมชน Cam Due (Cam Xuyen) 😀 ห่าติ๋ญ",
        "Ông Nguyễn Văn A 😀 ở Hà Nội, 1.000 người",
        "",
    ],
)
def test_tokens_sit_on_their_text(text):
    toks = tokenize(text)
    for t in toks:
        assert text[t.start : t.end] == t.text and t.text.strip() == t.text
    assert [t.start for t in toks] == sorted(t.start for t in toks)


def test_hyphen_splits_designator():
    assert [t.text for t in tokenize("Thang Binh-distriktet")] == ["Thang", "Binh", "-", "distriktet"]


def test_mixed_thai_latin():
    toks = [t.text for t in tokenize("ชุมชน Cam Due (Cam Xuyen)")]
    assert toks[:3] == ["ชุมชน", "Cam", "Due"]


def test_bio_round_trip():
    text = "Bapak Le Van Sinh - Ketua Komite Rakyat Distrik Nui Thanh"
    spans = [Span(6, 17, "PER", "Le Van Sinh"), Span(26, 57, "ORG", text[26:57])]
    toks = tokenize(text)
    tags = spans_to_tags(toks, spans)
    assert tags[:5] == ["O", "B-PER", "I-PER", "I-PER", "O"]
    back = tags_to_spans(text, toks, tags)
    assert [(s.start, s.end, s.label) for s in back] == [(6, 17, "PER"), (26, 57, "ORG")]


def test_partial_token_span_takes_whole_token():
    text = "นครห่าติ๋ญ"  # if newmm glues the designator, the token joins the span
    toks = tokenize(text)
    tags = spans_to_tags(toks, [Span(3, 10, "LOC", text[3:10])])
    spans = tags_to_spans(text, toks, tags)
    assert len(spans) == 1 and "ห่าติ๋ญ" in spans[0].text


def test_i_without_b_opens_a_span():
    toks = tokenize("a b c")
    assert [(s.text, s.label) for s in tags_to_spans("a b c", toks, ["O", "I-LOC", "I-LOC"])] == [("b c", "LOC")]


def test_windows_cover_everything():
    assert windows(5, 10, 4) == [(0, 5)]
    ws = windows(25, 10, 6)
    assert ws[0] == (0, 10) and ws[-1][1] == 25 and all(e - s == 10 for s, e in ws)
    covered = {i for s, e in ws for i in range(s, e)}
    assert covered == set(range(25))


def test_lines_of():
    assert lines_of("ab\n\n cd\n") == [(0, "ab"), (4, " cd")]
