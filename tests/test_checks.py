"""Translation checks: each flag fires on the failure it names and stays quiet on a good pair."""

from toolkit.checks import check_pair, language_flags, length_flags, repetition_flags
from toolkit.detect import detect_language
from toolkit.figures import extract_figures


def codes(flags):
    return sorted({f.code for f in flags})


def test_repetition_loop_is_flagged():
    mt = "The committee said that the the the the people people people people must work."
    assert codes(repetition_flags(mt, "eng_Latn")) == ["repetition"]


def test_repeated_phrase_is_flagged():
    mt = "mass mobilization work, mass mobilization work, mass mobilization work, mass mobilization work"
    assert codes(repetition_flags(mt, "eng_Latn")) == ["repetition"]


def test_normal_sentence_is_not_a_repetition():
    mt = "In 2024, Binh Thuan achieved extraordinary results in mass mobilization work."
    assert repetition_flags(mt, "eng_Latn", "Em 2024, Binh Thuan alcançou resultados extraordinários.") == []


def test_empty_and_truncated_and_ratio():
    src = "Dari tahun 2020 hingga 2023, seluruh distrik Nui Thanh menyelenggarakan 127 konferensi."
    assert codes(length_flags(src, "", "ind_Latn", "eng_Latn")) == ["empty"]
    assert codes(length_flags(src, "From 2020 to", "ind_Latn", "eng_Latn")) == ["length_ratio", "truncated"]
    long = src + " " + " ".join(["extra words that were never in the source"] * 10)
    assert codes(length_flags(src, long, "ind_Latn", "eng_Latn")) == ["length_ratio"]
    good = "From 2020 to 2023, the whole Nui Thanh district held 127 conferences."
    assert length_flags(src, good, "ind_Latn", "eng_Latn") == []


def _iso(text):
    d = detect_language(text)
    return d.iso if d.score >= 0.5 else None


def test_wrong_language_uses_the_real_detector():
    copied = "Dari tahun 2020 hingga 2023, seluruh distrik Nui Thanh menyelenggarakan 127 konferensi kontra-argumen."
    assert codes(language_flags(copied, "eng_Latn", _iso)) == ["wrong_language"]
    english = "From 2020 to 2023, the whole district of Nui Thanh held 127 counter-argument conferences."
    assert language_flags(english, "eng_Latn", _iso) == []


def test_lost_and_changed_figures_are_flagged():
    src = "Dari tahun 2020 hingga 2023, distrik Nui Thanh menyelenggarakan 127 konferensi (451 ha)."
    good = "From 2020 to 2023, Nui Thanh district held 127 conferences (451 ha)."
    bad = "From 2020 to 2023, Nui Thanh district held 12 conferences."
    sf = extract_figures(src, "id")
    ok = check_pair(src, good, "ind_Latn", "eng_Latn", sf, extract_figures(good, "en"), _iso)
    assert not [f for f in ok if f.code.startswith("figure")]
    flags = check_pair(src, bad, "ind_Latn", "eng_Latn", sf, extract_figures(bad, "en"), _iso)
    figure_codes = {f.code for f in flags if f.code.startswith("figure")}
    # 127 became 12 and "451 ha" was dropped: both are due.
    assert figure_codes == {"figure_missing", "figure_changed"}
    assert any(f.code == "figure_changed" and "127" in f.detail and "12" in f.detail for f in flags)
    assert any(f.code == "figure_missing" and "451" in f.detail for f in flags)


# (source language, source, English, Vietnamese): human translations of seed sentences.
SEED_PAIRS = [
    (
        "ind_Latn",
        "Dari tahun 2020 hingga 2023, seluruh distrik Nui Thanh menyelenggarakan 127 konferensi kontra-argumen.",
        "From 2020 to 2023, the whole Nui Thanh district held 127 counter-argument conferences.",
        "Từ năm 2020 đến năm 2023, toàn huyện Núi Thành đã tổ chức 127 hội nghị phản biện.",
    ),
    (
        "por_Latn",
        "Em 2024, Binh Thuan alcançou resultados extraordinários no trabalho de mobilização em massa.",
        "In 2024, Binh Thuan achieved extraordinary results in mass mobilization work.",
        "Năm 2024, Bình Thuận đạt được những kết quả nổi bật trong công tác dân vận.",
    ),
    (
        "nob_Latn",
        "I 2024 organiserte hele distriktet 71 dialoger med folket (10 på distriktsnivå, 61 på kommunenivå).",
        "In 2024, the whole district held 71 dialogues with the people (10 at district level, 61 at commune level).",
        "Năm 2024, toàn huyện đã tổ chức 71 cuộc đối thoại với nhân dân (10 cuộc cấp huyện, 61 cuộc cấp xã).",
    ),
    (
        "tha_Thai",
        "ในช่วงปี 2561-2566 แขวงห่าหุยแท็ปได้ดำเนินโครงการ 15 โครงการ ส่งผลกระทบต่อครัวเรือนกว่า 500 หลังคาเรือน",
        "In the period 2018-2023, Ha Huy Tap ward carried out 15 projects, affecting more than 500 households.",
        "Giai đoạn 2018 - 2023, phường Hà Huy Tập đã triển khai 15 dự án, ảnh hưởng đến hơn 500 hộ dân.",
    ),
]


def test_check_translation_finds_figures_and_language_itself():
    from toolkit.checks import check_translation

    for src_lang, src, en, vi in SEED_PAIRS:
        for target, good in (("eng_Latn", en), ("vie_Latn", vi)):
            assert check_translation(src, good, src_lang, target) == [], (src_lang, target)
            copied = check_translation(src, src, src_lang, target)
            assert {"untranslated", "wrong_language"} <= {f.code for f in copied}, (src_lang, target)
            assert all(f.target == target for f in copied)
    # ISO codes work too; a glossary is applied.
    from toolkit.checks import parse_glossary

    glossary = parse_glossary("Nui Thanh\tvi\tNúi Thành\n")
    src, en, vi = SEED_PAIRS[0][1:]
    assert check_translation(src, vi, "id", "vi", glossary) == []
    flags = check_translation(src, vi.replace("Núi Thành", "Nui Thanh"), "id", "vi", glossary)
    assert [f.code for f in flags] == ["term_missing"]
