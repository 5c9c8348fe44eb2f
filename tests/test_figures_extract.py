"""extract_figures per language: the issue's cases, the seeds' cases, and negatives."""

from __future__ import annotations

import pytest

from toolkit.figures import extract_figures


def found(text: str, lang: str) -> list[tuple[str, str, object]]:
    figs = extract_figures(text, lang)
    for f in figs:
        assert text[f.start : f.end] == f.text
    assert [f.start for f in figs] == sorted(f.start for f in figs)
    assert all(a.end <= b.start for a, b in zip(figs, figs[1:], strict=False))
    return [(f.text, f.kind, f.value) for f in figs]


def one(text: str, lang: str):
    figs = extract_figures(text, lang)
    assert len(figs) == 1, [(f.text, f.kind, f.value) for f in figs]
    return figs[0]


CASES = [
    # Indonesian
    ("id", "menyelenggarakan 127 konferensi kontra-argumen", "127", "COUNT", 127),
    ("id", "akan mencapai 88,8 poin", "88,8 poin", "SCORE", 88.8),
    ("id", "(masa jabatan 2020 - 2025)", "2020 - 2025", "YEAR", {"low": 2020, "high": 2025}),
    ("id", "Taman Industri THACO Chu Lai (451 ha);", "451 ha", "QUANTITY", 451),
    ("id", "menduduki peringkat ke-3 dari", "ke-3", "ORDINAL", 3),
    ("id", "Pada tahun 2023, indeks", "2023", "YEAR", 2023),
    ("id", "dua ribu orang", "dua ribu", "COUNT", 2000),
    ("id", "sebesar Rp 1,5 triliun", "Rp 1,5 triliun", "MONEY", 1_500_000_000_000),
    ("id", "naik 12,5 persen", "12,5 persen", "PERCENT", 12.5),
    # Portuguese
    ("pt", "com um valor total de 165,34 bilhões de VND...", "165,34 bilhões de VND", "MONEY", 165_340_000_000),
    ("pt", "receberam periodicamente 301/314 cidadãos", "301/314", "RATIO", {"num": 301, "den": 314}),
    ("pt", "(15 de outubro de 1930 a", "15 de outubro de 1930", "DATE", "1930-10-15"),
    ("pt", "o 15º Congresso Provincial", "15º", "ORDINAL", 15),
    ("pt", "implementando o Regulamento nº 6 do Comitê", "nº 6", "OTHER", 6),
    ("pt", "dois mil e vinte e cinco", "dois mil e vinte e cinco", "COUNT", 2025),
    ("pt", "no período de 2021 a 2025.", "2021 a 2025", "YEAR", {"low": 2021, "high": 2025}),
    ("pt", "Assim, 100% dos procedimentos", "100%", "PERCENT", 100),
    ("pt", "entre 10 e 20 reais", "10 e 20 reais", "MONEY", {"low": 10, "high": 20}),
    # Norwegian
    ("nb", "støtte på 120 milliarder VND, og", "120 milliarder VND", "MONEY", 120_000_000_000),
    ("nb", "Việt NamViệt Nam07/01/2025", "07/01/2025", "DATE", "2025-01-07"),
    ("nb", "komité 15. november 2024 seg", "15. november 2024", "DATE", "2024-11-15"),
    ("nb", "i perioden 2025–2030.", "2025–2030", "YEAR", {"low": 2025, "high": 2030}),
    ("nb", "hvorav to modeller", "to", "COUNT", 2),
    ("nb", "100 000 kroner", "100 000 kroner", "MONEY", 100000),
    ("nb", "oppgradere riksvei 14E, Tay", "14E", "OTHER", 14),
    # Thai
    ("th", "ในช่วงปี 2561-2566 แขวง", "2561-2566", "YEAR", {"low": 2018, "high": 2023}),
    ("th", "ส่งผลกระทบต่อครัวเรือนกว่า 500 หลังคาเรือน", "500", "COUNT", {"low": 500}),
    ("th", "ตามมติเลขที่ 657-QD/TU ลงวันที่", "เลขที่ 657-QD/TU", "OTHER", 657),
    ("th", "ตามมติ 217-QD/TW ของ", "217-QD/TW", "OTHER", 217),
    ("th", "โปลิตบูโร ครั้งที่ 11 โดย", "ครั้งที่ 11", "ORDINAL", 11),
    ("th", "(คิดเป็นอัตรา 96.14%)", "96.14%", "PERCENT", 96.14),
    ("th", "ลงวันที่ 4 เมษายน 2561 ของ", "4 เมษายน 2561", "DATE", "2018-04-04"),
    ("th", "สำเร็จในปี ๒๕๖๗ เพื่อ", "๒๕๖๗", "YEAR", 2024),
    ("th", "รวม 10,665 ครั้ง", "10,665", "COUNT", 10665),
    ("th", "สูงถึง 55 ล้านดองต่อคนต่อปี", "55 ล้านดอง", "MONEY", 55_000_000),
    ("th", "มูลค่า สองล้าน บาท", "สองล้าน บาท", "MONEY", 2_000_000),
    ("th", "หลังจาก 5 ปี (ตั้งแต่", "5 ปี", "QUANTITY", 5),
    # Vietnamese
    ("vi", "hai mươi người", "hai mươi", "COUNT", 20),
    ("vi", "tổng 165,34 tỷ đồng", "165,34 tỷ đồng", "MONEY", 165_340_000_000),
    ("vi", "ngày 7 tháng 1 năm 2025", "7 tháng 1 năm 2025", "DATE", "2025-01-07"),
    ("vi", "trong năm 2024 tỉnh", "2024", "YEAR", 2024),
    ("vi", "đạt 96,14%", "96,14%", "PERCENT", 96.14),
    ("vi", "lần thứ 15", "thứ 15", "ORDINAL", 15),
    # English
    ("en", "a total of 165.34 billion VND", "165.34 billion VND", "MONEY", 165_340_000_000),
    ("en", "October 15, 1930", "October 15, 1930", "DATE", "1930-10-15"),
    ("en", "more than 500 households", "500", "COUNT", {"low": 500}),
    ("en", "10-20 dollars", "10-20 dollars", "MONEY", {"low": 10, "high": 20}),
    ("en", "the 15th Congress", "15th", "ORDINAL", 15),
    ("en", "two million people", "two million", "COUNT", 2_000_000),
]


@pytest.mark.parametrize(("lang", "text", "span", "kind", "value"), CASES, ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_case(lang: str, text: str, span: str, kind: str, value: object) -> None:
    figs = [f for f in extract_figures(text, lang) if f.text == span]
    assert figs, found(text, lang)
    assert (figs[0].kind, figs[0].value) == (kind, value)


def test_counted_noun_and_units() -> None:
    assert one("127 konferensi", "id").unit == "konferensi"
    assert one("165,34 bilhões de VND", "pt").unit == "VND"
    assert one("451 ha", "id").unit == "ha"
    assert one("รับพลเมือง 2 ครั้ง มอบ", "th").unit == "ครั้ง"


def test_thai_buddhist_era() -> None:
    f = one("ในช่วง พ.ศ. 2566", "th")
    assert (f.kind, f.value, f.era) == ("YEAR", 2023, "BE")
    f = one("ตั้งแต่ปี 2018 แล้ว", "th")
    assert (f.value, f.era) == (2018, None)


def test_nllb_codes_and_thai_digits() -> None:
    assert found("Em 2024", "por_Latn") == [("2024", "YEAR", 2024)]
    assert found("ครบรอบ ๗๐ ปี", "tha_Thai") == [("๗๐ ปี", "QUANTITY", 70)]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nb", "dsc01120.jpg"),
        ("nb", "[annonse_1]"),
        ("pt", "Fonte: https://baobinhthuan.com.vn/phat-trien-ben-vung-127057.html"),
        ("id", "kirim ke redaksi2024@contoh.id"),
        ("th", "ความสามารถในการทำงาน"),  # "สาม" (three) inside "สามารถ" (able)
        ("th", "ห้ามเข้า"),  # "ห้า" (five) inside "ห้าม" (forbid)
        ("vi", "trong năm nay không có"),  # "năm" = year, "không" = not
        ("nb", "en rapport og et møte"),  # articles
        ("pt", "uma reunião com um grupo"),
        ("en", "a meeting with an official"),
        ("pt", "segundo o relatório"),  # "according to"
        ("nb", "de andre partiene"),  # "the other parties"
        ("en", "no figures here at all"),
    ],
)
def test_negatives(lang: str, text: str) -> None:
    assert found(text, lang) == []


def test_whole_text_weak_words_count() -> None:
    assert found("en", "nb") == [("en", "COUNT", 1)]
    assert found("um", "pt") == [("um", "COUNT", 1)]


def test_seeds_have_figures_and_no_url_numbers() -> None:
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    text = (seeds / "002_f8ee477c81dbbf1d.txt").read_text(encoding="utf-8")
    figs = extract_figures(text, "nb")
    texts = [f.text for f in figs]
    assert "07/01/2025" in texts
    assert not any("01120" in t or "3147163" in t for t in texts)
    assert "120 milliarder VND" in texts


# Grouped numbers around a slash are one ratio, with the language's own group mark.
RATIOS = [
    ("th", "มีการแก้ไขคำแนะนำและข้อเสนอ 4,459/4,671 รายการ", "4,459/4,671", 4459, 4671),
    ("th", "12,547/13,251 รายการ (คิดเป็น 94.7%)", "12,547/13,251", 12547, 13251),
    ("en", "resolved 4,459/4,671 petitions", "4,459/4,671", 4459, 4671),
    ("en", "4,459/4671 cases", "4,459/4671", 4459, 4671),
    ("vi", "giải quyết 4.459/4.671 kiến nghị", "4.459/4.671", 4459, 4671),
    ("id", "menyelesaikan 1.234/5.678 rekomendasi", "1.234/5.678", 1234, 5678),
    ("pt", "resolveu 1.234/5.678 recomendações", "1.234/5.678", 1234, 5678),
    ("nb", "løste 1.234/5.678 saker", "1.234/5.678", 1234, 5678),
    ("nb", "løste 1 234/5 678 saker", "1 234/5 678", 1234, 5678),
]


@pytest.mark.parametrize(("lang", "text", "span", "num", "den"), RATIOS, ids=[f"{c[0]}:{c[2]}" for c in RATIOS])
def test_grouped_ratio(lang: str, text: str, span: str, num: int, den: int) -> None:
    ratios = [f for f in extract_figures(text, lang) if f.kind == "RATIO"]
    assert [(f.text, f.value) for f in ratios] == [(span, {"num": num, "den": den})], found(text, lang)
    assert len(extract_figures(text, lang)) == 1 + text.count("%")


def test_not_ratios() -> None:
    # A decimal over a number is two figures (a rating "4.5/10"); in Portuguese "4,459" is a decimal.
    assert [k for _, k, _ in found("rating 4.5/10", "en")] == ["COUNT", "COUNT"]
    assert found("4,459/4,671", "pt") == [("4,459", "COUNT", 4.459), ("4,671", "COUNT", 4.671)]
    # A vulgar fraction before a unit has a small ungrouped numerator.
    assert found("3/4 cup", "en") == [("3/4 cup", "QUANTITY", 0.75)]
    assert found("1,000/4 cup", "en") == [("1,000", "COUNT", 1000), ("4 cup", "QUANTITY", 4)]
    assert found("12/2024", "en") == [("12/2024", "DATE", "2024-12")]


def test_seed_thai_ratios() -> None:
    """seeds/004: the three "resolved/received" pairs of one sentence are all ratios."""
    from pathlib import Path

    seed = Path(__file__).resolve().parents[1] / "seeds" / "004_4794c9dcba31779d.txt"
    line = next(x for x in seed.read_text(encoding="utf-8").splitlines() if "4,459" in x)
    figs = extract_figures(line, "th")
    got = [(f.text, f.value) for f in figs if f.kind == "RATIO"]
    assert got == [
        ("159/165", {"num": 159, "den": 165}),
        ("4,459/4,671", {"num": 4459, "den": 4671}),
        ("12,547/13,251", {"num": 12547, "den": 13251}),
    ]
    assert not any(f.text in ("4,459", "4,671", "12,547", "13,251") for f in figs)
    assert [f.kind for f in figs].count("PERCENT") == 3
