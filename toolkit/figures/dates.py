"""Reading a date at a position, beside ``NumberReader`` for the numbers.

Dates are tried before numbers at every digit anchor: numeric dates
("07/01/2025", "2024-07-15", day first), a month and a year ("7/2024",
Vietnamese "tháng 7/2024", "March 2024"), a day and a month name with or
without a year ("15 de outubro de 1930", "15. november 2024", "October 15,
1930") and Vietnamese "7 tháng 1 năm 2025". Values are ISO strings:
``YYYY-MM-DD``, ``YYYY-MM``, or ``--MM-DD`` when no year is written. Thai
years in the Buddhist era (2400 and above, or after "พ.ศ.") are given in
the Gregorian calendar with ``era="BE"``.
"""

from __future__ import annotations

import re

from toolkit.figures.lexicon import Lexicon, alternation, word_bounds
from toolkit.figures.numbers import NumberReader
from toolkit.records import Figure

_NUMERIC_DATE = re.compile(
    r"(?P<a>[0-9]{1,2})(?P<s>[/.\-])(?P<b>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4})(?![0-9])"
    r"|(?P<iy>[0-9]{4})-(?P<im>[0-9]{2})-(?P<id>[0-9]{2})(?![0-9])"
)
_MONTH_YEAR = re.compile(r"(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})(?![0-9/])")
_DAY_YEAR_AFTER = re.compile(r",?[ \t]*(?P<y>[0-9]{4})(?![0-9])")
_VI_YEAR_AFTER = re.compile(r"[ \t]*(?:năm|/|-)[ \t]*(?P<y>[0-9]{4})(?![0-9])", re.IGNORECASE)
_VI_DAY_MONTH = re.compile(
    r"[ \t]+tháng[ \t]+(?P<m>[0-9]{1,2})(?:[ \t]*(?:năm|,|/)[ \t]*(?P<y>[0-9]{4}))?", re.IGNORECASE
)


def _date(start: int, end: int, value: str, era: str | None = None) -> Figure:
    return Figure(start=start, end=end, text="", kind="DATE", value=value, era=era)


class DateReader:
    """The compiled date patterns of one language."""

    def __init__(self, lx: Lexicon, reader: NumberReader) -> None:
        self.lx = lx
        self.reader = reader
        b, e = word_bounds(lx)
        i = re.IGNORECASE
        self.era_be = re.compile(rf"{lx.era_be}[ \t]*$")
        self.month_map = lx.months
        # Only full names (and every Vietnamese one) may stand before a day:
        # "mai", "des" alone are everyday words.
        mw = alternation({k: v for k, v in lx.months.items() if len(k) > 3 or lx.lang == "vi"})
        ma = alternation(lx.months)
        era = rf"(?:{lx.era_be}|{lx.era_ce})?"
        sep_y = rf"(?:,?[ \t]*(?:de[ \t]+|năm[ \t]+)?{era}[ \t]*(?P<{{g}}>[0-9]{{{{4}}}})(?![0-9]))"
        self.day_month = re.compile(
            rf"(?:[ \t]*(?:de[ \t]+)?|\.[ \t]*|[ \t]*tháng[ \t]*)"
            rf"(?:(?P<mw>{mw}){e}\.?{sep_y.format(g='y')}?|(?P<ma>{ma}){e}\.?{sep_y.format(g='y2')})",
            i,
        )
        self.month_before = re.compile(rf"{b}(?P<m>{mw})\.?[ \t]*(?:de[ \t]+|,[ \t]*)?{era}[ \t]*$", i)
        self.month_prefix = re.compile(rf"{b}{lx.month_prefix}$", i) if lx.month_prefix != "(?!)" else None

    def era_year(self, y: int, text: str, at: int) -> tuple[int, str | None]:
        """The Gregorian year and era of a year ``y`` written at ``text[at]``."""
        if self.lx.lang == "th" and (y >= 2400 or self.era_be.search(text, max(0, at - 8), at)):
            return y - 543, "BE"
        return y, None

    def _year_ok(self, y: int, low: int, high: int) -> bool:
        return low <= y <= high or (self.lx.lang == "th" and 2400 <= y <= 2700)

    def read(self, text: str, s: int, floor: int) -> Figure | None:
        """The date starting at ``text[s]`` (a digit), or None; nothing before ``floor`` is looked at."""
        d = self._numeric(text, s)
        if d is not None:
            return d
        if s > 0 and text[s - 1].isalnum() and not self.lx.thai_script:
            return None
        dm = self.reader.digits.match(text, s)
        if not dm or dm.group("frac") or dm.group("len") or dm.group("lead") or not dm.group("int").isdigit():
            return None
        digits = dm.group("int")
        n, after, lo = int(digits), dm.end(), max(floor, s - 30)
        mp = self.month_prefix.search(text, lo, s) if self.month_prefix else None
        if mp and 1 <= n <= 12:
            return self._vi_month(text, mp.start(), n, after)
        if self.lx.lang == "vi" and 1 <= n <= 31:
            d = self._vi_day(text, s, n, after)
            if d is not None:
                return d
        if 1 <= n <= 12:
            d = self._month_slash_year(text, s, n)
            if d is not None:
                return d
        if 1 <= n <= 31 and len(digits) <= 2:
            d = self._day_month_name(text, s, n, after) or self._month_name_day_year(text, s, n, after, lo)
            if d is not None:
                return d
        if len(digits) == 4 and not text[after : after + 1].isalnum():
            return self._month_name_year(text, s, n, after, lo)
        return None

    def _numeric(self, text: str, s: int) -> Figure | None:
        """ "07/01/2025", "15.07.2024", "2024-07-15"."""
        m = _NUMERIC_DATE.match(text, s)
        if not m:
            return None
        if m.group("iy"):
            y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
        else:
            d, mo, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        y, era = self.era_year(y, text, s)
        return _date(s, m.end(), f"{y:04d}-{mo:02d}-{d:02d}", era)

    def _vi_month(self, text: str, start: int, mo: int, after: int) -> Figure | None:
        """ "tháng 7/2024", "tháng 7 năm 2024": a month written as a number."""
        ym = _VI_YEAR_AFTER.match(text, after)
        if not ym:
            return None
        y, era = self.era_year(int(ym.group("y")), text, ym.start("y"))
        return _date(start, ym.end(), f"{y:04d}-{mo:02d}", era)

    def _vi_day(self, text: str, s: int, day: int, after: int) -> Figure | None:
        """ "7 tháng 1 năm 2025", "7 tháng 1"."""
        vm = _VI_DAY_MONTH.match(text, after)
        if not vm or not 1 <= int(vm.group("m")) <= 12:
            return None
        mo = int(vm.group("m"))
        if vm.group("y"):
            return _date(s, vm.end(), f"{int(vm.group('y')):04d}-{mo:02d}-{day:02d}")
        return _date(s, vm.end(), f"--{mo:02d}-{day:02d}")

    def _month_slash_year(self, text: str, s: int, mo: int) -> Figure | None:
        """ "7/2024"."""
        mm = _MONTH_YEAR.match(text, s)
        if not mm or not self._year_ok(int(mm.group("y")), 1900, 2100):
            return None
        y, era = self.era_year(int(mm.group("y")), text, s)
        return _date(s, mm.end(), f"{y:04d}-{mo:02d}", era)

    def _day_month_name(self, text: str, s: int, day: int, after: int) -> Figure | None:
        """ "15 de outubro de 1930", "15. november 2024", "4 เมษายน 2561", "5 March"."""
        tm = self.day_month.match(text, after)
        if not tm:
            return None
        name = (tm.group("mw") or tm.group("ma")).lower()
        mo = self.month_map.get(name) or self.month_map.get(name.rstrip("."))
        if not mo:
            return None
        yg = "y" if tm.group("y") else "y2"
        if tm.group(yg):
            y, era = self.era_year(int(tm.group(yg)), text, tm.start(yg))
            return _date(s, tm.end(), f"{y:04d}-{mo:02d}-{day:02d}", era)
        return _date(s, tm.end(), f"--{mo:02d}-{day:02d}")

    def _month_name_day_year(self, text: str, s: int, day: int, after: int, lo: int) -> Figure | None:
        """ "October 15, 1930": the month name before the day, a comma before the year."""
        mb = self.month_before.search(text, lo, s)
        if not mb or mb.group().rstrip().endswith(","):
            return None
        mo = self.month_map.get(mb.group("m").lower())
        ym = _DAY_YEAR_AFTER.match(text, after)
        if not (mo and ym and text[after : after + 1] == ","):
            return None
        y, era = self.era_year(int(ym.group("y")), text, ym.start("y"))
        return _date(mb.start(), ym.end(), f"{y:04d}-{mo:02d}-{day:02d}", era)

    def _month_name_year(self, text: str, s: int, y0: int, after: int, lo: int) -> Figure | None:
        """ "March 2024", "outubro de 2024"."""
        mb = self.month_before.search(text, lo, s)
        if not mb:
            return None
        mo = self.month_map.get(mb.group("m").lower())
        if not mo or not self._year_ok(y0, 1000, 2199):
            return None
        y, era = self.era_year(y0, text, s)
        return _date(mb.start(), after, f"{y:04d}-{mo:02d}", era)
