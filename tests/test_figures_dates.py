"""DateReader (figures/dates.py) on its own: each date pattern, the Buddhist era, and what is not a date."""

from __future__ import annotations

import pytest

from toolkit.figures.dates import DateReader
from toolkit.figures.langs import lexicon
from toolkit.figures.numbers import NumberReader


def reader(lang: str) -> DateReader:
    lx = lexicon(lang)
    return DateReader(lx, NumberReader(lx))


def date_at(lang: str, text: str, at: str) -> tuple[str, object, str | None] | None:
    """The date read where ``at`` starts in ``text``: (span, value, era)."""
    s = text.index(at)
    d = reader(lang).read(text, s, 0)
    if d is None:
        return None
    return text[d.start : d.end], d.value, d.era


CASES = [
    ("nb", "publisert 07/01/2025 kl", "07", ("07/01/2025", "2025-01-07", None)),
    ("en", "on 15.07.2024 the", "15", ("15.07.2024", "2024-07-15", None)),
    ("pt", "em 2024-07-15 foi", "2024", ("2024-07-15", "2024-07-15", None)),
    ("vi", "trong tháng 7/2024 tỉnh", "7", ("tháng 7/2024", "2024-07", None)),
    ("vi", "trong tháng 7 năm 2024", "7", ("tháng 7 năm 2024", "2024-07", None)),
    ("vi", "ngày 7 tháng 1 năm 2025", "7", ("7 tháng 1 năm 2025", "2025-01-07", None)),
    ("vi", "ngày 7 tháng 1 tới", "7", ("7 tháng 1", "--01-07", None)),
    ("id", "pada 7/2024 lalu", "7", ("7/2024", "2024-07", None)),
    ("pt", "(15 de outubro de 1930 a", "15", ("15 de outubro de 1930", "1930-10-15", None)),
    ("nb", "komité 15. november 2024 seg", "15", ("15. november 2024", "2024-11-15", None)),
    ("en", "on 5 March the", "5", ("5 March", "--03-05", None)),
    ("en", "October 15, 1930 was", "15", ("October 15, 1930", "1930-10-15", None)),
    ("en", "in March 2024 the", "2024", ("March 2024", "2024-03", None)),
    ("pt", "em outubro de 2024 o", "2024", ("outubro de 2024", "2024-10", None)),
    ("th", "ลงวันที่ 4 เมษายน 2561 ของ", "4", ("4 เมษายน 2561", "2018-04-04", "BE")),
    ("th", "เมื่อ 1/7/2567 ที่", "1", ("1/7/2567", "2024-07-01", "BE")),
    ("th", "ในเดือน 7/2567", "7", ("7/2567", "2024-07", "BE")),
]


@pytest.mark.parametrize(("lang", "text", "at", "want"), CASES, ids=[f"{c[0]}:{c[3][0]}" for c in CASES])
def test_dates(lang: str, text: str, at: str, want: tuple[str, object, str | None]) -> None:
    assert date_at(lang, text, at) == want


@pytest.mark.parametrize(
    ("lang", "text", "at"),
    [
        ("en", "on 13/13/2024", "13"),  # no month 13
        ("en", "on 32 March", "32"),  # no day 32
        ("en", "page 7/20 of", "7"),  # a ratio, not a month and year
        ("en", "in 1,5 March", "1"),  # decimals are no day
        ("pt", "code ab12 maio", "12"),  # glued to letters
        ("vi", "tháng 13/2024", "13"),
        ("en", "March 15 1930", "15"),  # "October 15, 1930" needs the comma
        ("en", "in 5 mai", "5"),  # "mai" is no English month
    ],
)
def test_not_dates(lang: str, text: str, at: str) -> None:
    assert date_at(lang, text, at) is None


def test_era_year() -> None:
    th = reader("th")
    assert th.era_year(2567, "ปี 2567", 3) == (2024, "BE")
    assert th.era_year(1990, "พ.ศ. 1990", 5) == (1447, "BE")  # written after "พ.ศ.": Buddhist whatever its size
    assert th.era_year(2018, "ปี 2018", 3) == (2018, None)
    assert reader("en").era_year(2567, "in 2567", 3) == (2567, None)


def test_floor_is_respected() -> None:
    """Nothing before ``floor`` (the end of the previous figure) is read as a month name."""
    text = "October 15, 1930"
    assert reader("en").read(text, text.index("15"), text.index("15")) is None
