"""Code points <-> UTF-16 units (toolkit.segment.tokens), as Label Studio's border needs them (emoji, Thai combining marks)."""

from __future__ import annotations

import pytest

from toolkit.segment.tokens import from_utf16, locate_span, span_error, to_utf16, utf16_len

# Thai with combining vowels and tone marks (ั ิ ่ ้ ๊ ๋), an astral emoji, a BMP symbol.
THAI = "นายเหงียน ดึ๊ก ซุง 🎉 ประชุมที่จังหวัดห่าติ๋ญ ✓ 15 โครงการ"
EMOJI = "👨🏻‍🚒 firemen in Nui Thanh 🚒 drive 451 ha"


def test_utf16_len_counts_astral_characters_twice():
    assert utf16_len("abc") == 3
    assert utf16_len("🎉") == 2
    assert utf16_len("ติ๋ญ") == len("ติ๋ญ") == 4  # combining marks are BMP code points
    assert utf16_len(EMOJI) == len(EMOJI.encode("utf-16-le")) // 2


@pytest.mark.parametrize("text", [THAI, EMOJI, "plain ascii", ""])
def test_round_trip_every_offset(text):
    for i in range(len(text) + 1):
        assert from_utf16(text, to_utf16(text, i)) == i
        assert to_utf16(text, i) == len(text[:i].encode("utf-16-le")) // 2


def test_thai_offsets_do_not_shift_before_the_emoji_and_shift_by_one_after():
    before = THAI.index("ดึ๊ก")
    after = THAI.index("ห่าติ๋ญ")
    assert to_utf16(THAI, before) == before
    assert to_utf16(THAI, after) == after + 1


def test_from_utf16_rejects_offsets_inside_a_surrogate_pair_or_past_the_end():
    with pytest.raises(ValueError, match="splits"):
        from_utf16("a🎉b", 2)
    with pytest.raises(ValueError, match="outside"):
        from_utf16("a🎉b", 5)
    with pytest.raises(ValueError):
        to_utf16("abc", 4)


def test_locate_span_accepts_code_points_and_converts_utf16():
    s, e = EMOJI.index("Nui Thanh"), EMOJI.index("Nui Thanh") + len("Nui Thanh")
    assert locate_span(EMOJI, s, e, "Nui Thanh") == (s, e)
    s16, e16 = to_utf16(EMOJI, s), to_utf16(EMOJI, e)
    assert (s16, e16) != (s, e)
    assert locate_span(EMOJI, s16, e16, "Nui Thanh") == (s, e)
    t = THAI.index("ห่าติ๋ญ")
    assert locate_span(THAI, to_utf16(THAI, t), to_utf16(THAI, t + 7), "ห่าติ๋ญ") == (t, t + 7)


def test_locate_span_rejects_text_that_is_not_there():
    assert locate_span(EMOJI, 0, 4, "fire") is None
    assert locate_span("abc", 5, 9, "x") is None


def test_span_error_says_why_a_span_is_off_its_text():
    assert span_error(EMOJI, 0, 4, "fire", "PER") == f"span 0-4 PER says 'fire' but the text there is {EMOJI[:4]!r}"
    assert span_error("abc", 5, 9, "x") == "span 5-9 says 'x' but lies outside a text of 3 characters"
    assert span_error("abc", 5, 9, None) == "span 5-9 lies outside a text of 3 characters"
    s = EMOJI.index("Nui Thanh")
    assert span_error(EMOJI, to_utf16(EMOJI, s), to_utf16(EMOJI, s + 9), "Nui Thanh") is None  # UTF-16: repairable
