"""compare_figures: value matching across languages, fuzzy kinds, lost and changed figures."""

from __future__ import annotations

import pytest

from toolkit.figures import compare_figures, extract_figures


def cmp(src: str, src_lang: str, tgt: str, tgt_lang: str):
    return compare_figures(extract_figures(src, src_lang), extract_figures(tgt, tgt_lang))


def test_money_across_languages() -> None:
    r = cmp("um valor total de 165,34 bilhões de VND", "pt", "a total value of 165.34 billion VND", "en")
    assert r.ok and len(r.matched) == 1
    r = cmp("um valor total de 165,34 bilhões de VND", "pt", "tổng giá trị 165,34 tỷ đồng", "vi")
    assert r.ok


def test_thai_buddhist_year_matches_gregorian_and_literal() -> None:
    assert cmp("ในช่วง 6 เดือนแรกของปี 2567", "th", "in the first 6 months of 2024", "en").ok
    assert cmp("ในปี 2567", "th", "in the year 2567", "en").ok
    assert cmp("ในช่วงปี 2561-2566", "th", "in the period 2018-2023", "en").ok


def test_fuzzy_kinds_and_number_words() -> None:
    assert cmp("hvorav to modeller", "nb", "of which 2 models", "en").ok
    assert cmp("(451 ha)", "id", "451 hectares", "en").ok
    assert cmp("peringkat ke-3", "id", "ranked 3rd", "en").ok


def test_range_against_two_ends() -> None:
    assert cmp("(masa jabatan 2020 - 2025)", "id", "term from 2020 until 2025 ends", "en").ok
    r = compare_figures(extract_figures("masa jabatan 2020 - 2025", "id"), extract_figures("in 2020 and in 2025", "en"))
    assert r.ok, r


def test_missing_added_changed() -> None:
    r = cmp("127 konferensi dan 121 forum", "id", "127 conferences", "en")
    assert [f.value for f in r.missing] == [121] and not r.added and not r.changed
    r = cmp("127 konferensi", "id", "127 conferences and 5 forums", "en")
    assert [f.value for f in r.added] == [5]
    r = cmp("165,34 bilhões de VND", "pt", "165.34 million VND", "en")
    assert len(r.changed) == 1 and not r.matched
    r = cmp("100% dos procedimentos", "pt", "100 procedures", "en")  # the % was lost
    assert len(r.changed) == 1
    r = cmp("กว่า 500 หลังคาเรือน", "th", "500 households", "en")  # "more than" was lost
    assert len(r.changed) == 1
    r = cmp("120 milliarder VND", "nb", "120 billion USD", "en")  # currency changed
    assert len(r.changed) == 1 and not r.ok


def test_word_only_figures_are_not_flagged() -> None:
    r = cmp("ในช่วง 6 เดือนแรก", "th", "in the first 6 months", "en")
    assert r.ok and [f.text for f in r.unchecked] == ["first"]


def test_reconcile_kinds_makes_a_bare_number_a_year_when_the_source_has_that_year():
    from toolkit.figures import reconcile_kinds
    from toolkit.records import Figure

    src = extract_figures("Pada tahun 2024, 127 konferensi", "ind_Latn")
    # What the finder says of a bare number it cannot place: a count.
    en = [
        Figure(0, 4, "2024", "COUNT", 2024),
        Figure(9, 12, "127", "COUNT", 127),
        Figure(20, 24, "2025", "COUNT", 2025),
    ]
    got = reconcile_kinds(src, en)
    assert [(f.text, f.kind) for f in got] == [("2024", "YEAR"), ("127", "COUNT"), ("2025", "COUNT")]
    th = reconcile_kinds(
        src, [Figure(0, 4, "2567", "COUNT", 2567), Figure(5, 9, "2567", "COUNT", 2567, unit="รายการ")], "tha_Thai"
    )
    assert [(f.kind, f.value, f.era) for f in th] == [("YEAR", 2024, "BE"), ("COUNT", 2567, None)]
    assert reconcile_kinds([], en) == en


@pytest.mark.parametrize(
    "text, lang, kinds",
    [
        ("the 2018-2023 Ha Huy Tap term", "eng_Latn", [("2018-2023", "YEAR")]),
        ("this is a real opportunity", "eng_Latn", []),
        ("cost 5 real", "eng_Latn", [("5 real", "MONEY")]),
        ("có hai điểm nhấn", "vie_Latn", [("hai", "COUNT")]),
        ("đội thắng 3 điểm", "vie_Latn", [("3 điểm", "SCORE")]),
        ("đạt tỷ lệ 95%", "vie_Latn", [("95%", "PERCENT")]),
        ("2 tỷ đồng", "vie_Latn", [("2 tỷ đồng", "MONEY")]),
        ("20 ha rice", "eng_Latn", [("20 ha", "QUANTITY")]),
    ],
)
def test_kinds_of_names_and_compounds_that_look_like_figures(text, lang, kinds):
    assert [(f.text, f.kind) for f in extract_figures(text, lang)] == kinds


def test_reconcile_kinds_reads_the_buddhist_era_only_in_thai():
    from toolkit.figures import reconcile_kinds
    from toolkit.records import Figure

    src = extract_figures("Pada tahun 2024", "ind_Latn")
    assert reconcile_kinds(src, [Figure(0, 4, "2567", "COUNT", 2567)], "eng_Latn")[0].kind == "COUNT"
