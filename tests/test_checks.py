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
    assert "figure_missing" in figure_codes or "figure_changed" in figure_codes
    assert any("127" in f.detail or "451" in f.detail for f in flags)
