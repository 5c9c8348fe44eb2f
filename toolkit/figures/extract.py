"""Finding figures in a text: the engine over the per-language tables.

The text is scanned for *anchors* (a digit or a number word) with one
precompiled regex; only around an anchor does the finder do more work:
read a date (``dates.py``) or the number (``numbers.py``), look left for
what comes before the number (a currency sign, "ke-", "nº", a year marker,
"more than") and right for what follows (a scale word, a currency, "%", a
unit, "/314", a second number making a range). Text without digits or number words costs one
regex scan, which is what keeps the finder above 1 MB/s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from toolkit.figures.dates import DateReader
from toolkit.figures.langs import lexicon
from toolkit.figures.lexicon import Lexicon, alternation, trie_pattern, word_bounds
from toolkit.figures.numbers import THAI_DIGITS, Num, NumberReader
from toolkit.figures.units import SUFFIX_SYMBOLS, SYMBOLS, UNITS
from toolkit.languages import is_thai_char, to_iso
from toolkit.records import Figure

# URLs, e-mail addresses and file names: numbers inside them are not figures.
_MASK_HINT = re.compile(
    r"https?://|www\.|@\w|\.(?:jpe?g|png|gif|webp|svg|html?|php|aspx?|pdf|docx?|xlsx?|mp4|mp3)(?!\w)",
    re.IGNORECASE,
)
_THAI_DIGIT = re.compile("[\u0e50-\u0e59]")


def _name_word(text: str, start: int, end: int) -> bool:
    """A capitalised unit before another capitalised word is a name: "2018-2023 Ha Huy Tap"
    holds the commune Ha Huy Tap, not hectares."""
    nxt = text[end : end + 2]
    return text[start : start + 1].isupper() and nxt[:1] == " " and nxt[1:2].isupper()


def _masks(text: str) -> list[tuple[int, int]]:
    """The whitespace-delimited tokens holding a URL, an e-mail address or a file name."""
    out: list[tuple[int, int]] = []
    for m in _MASK_HINT.finditer(text):
        a = m.start()
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        b = m.end()
        n = len(text)
        while b < n and not text[b].isspace():
            b += 1
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


_TRAILING = frozenset(".,;:!?")
_PUNCT_AFTER = re.compile(r"\s*(?:[.,;:!?)\]}\"'»”’]|$)")
_PAREN_ECHO = re.compile(r"\s*\(\s*")
_CLOSE = re.compile(r"\s*\)")
_GLUED_ID = re.compile(r"-?[^\W\d_][\w]*(?:[/\-.][\w]+)*")
_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_][\w\-]*)")
_THAI_RUN = re.compile(r"[ \t]?([\u0e01-\u0e4e]+)")


def _to_json_number(v: Decimal) -> int | float:
    if v == v.to_integral_value():
        return int(v)
    return float(v)


@dataclass
class _Core:
    """A number with what is glued to it, before kinds are decided."""

    start: int
    end: int
    num: Num
    value: Decimal
    currency: str | None = None
    percent: bool = False
    score: bool = False
    unit: str | None = None
    ordinal: bool = False
    other: bool = False
    ratio_den: Decimal | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tagged(self) -> str | None:
        if self.currency:
            return "MONEY:" + self.currency
        if self.percent:
            return "PERCENT"
        if self.score:
            return "SCORE"
        if self.unit:
            return "QUANTITY:" + self.unit
        return None


class Finder:
    """The compiled finder for one language."""

    def __init__(self, lx: Lexicon) -> None:
        self.lx = lx
        self.reader = NumberReader(lx)
        self.dates = DateReader(lx, self.reader)
        b, e = word_bounds(lx)
        self._compile_anchor(b, e)
        self._compile_money(e)
        self._compile_marks(b, e)
        self._compile_ranges(b, e)
        self.not_figure = (
            re.compile(rf"{b}(?:{alternation(lx.not_figures)}){e}", re.IGNORECASE) if lx.not_figures else None
        )

    def _compile_anchor(self, b: str, e: str) -> None:
        anchor_words = set(self.reader.kinds) - self.lx.connectors
        anchor_words |= set(self.lx.ordinals)
        # A class of first letters before the alternation lets the regex engine
        # reject most positions with one test instead of trying every word.
        firsts = sorted({c for w in anchor_words for c in (w[:1].lower(), w[:1].upper())})
        first_class = "[" + "".join(re.escape(c) for c in firsts) + "]"
        self.anchor = re.compile(
            rf"[0-9]|(?<![\w.,])[.,][0-9]|{b}(?={first_class})(?:{trie_pattern(anchor_words)}){e}", re.IGNORECASE
        )

    def _compile_money(self, e: str) -> None:
        lx = self.lx
        i = re.IGNORECASE
        cur_words = dict(SUFFIX_SYMBOLS)
        cur_words.update(lx.currencies)
        self.cur_map = {k.lower(): v for k, v in cur_words.items()}
        self.suffix_cur = re.compile(rf"(?:[ \t\u00a0]*){lx.currency_of}(?P<c>{alternation(cur_words)}){e}", i)
        pre = dict(SYMBOLS)
        pre.update(lx.prefix_currencies)
        self.pre_map = {k.lower(): v for k, v in pre.items()}
        self.prefix_cur = re.compile(rf"(?<![^\W\d_])(?P<c>{alternation(pre)})[ \t\u00a0]?$", i)
        self.prefix_cur_fwd = re.compile(rf"(?P<c>{alternation(pre)})[ \t\u00a0]?(?=[0-9])", i)
        self.subunit = re.compile(rf"[ \t]*(?P<c>{alternation(lx.subunits | {'¢'})}){e}", i)
        self.and_sub = re.compile(
            rf"[ \t]*,?[ \t]*(?:(?:{alternation(lx.and_words | {'and', 'og', 'e', 'dan', 'và'})})[ \t]+)?", i
        )
        self.mass_of = re.compile(r"[ \t]+(?:of|de)[ \t]+[^\W\d_]", i)

    def _compile_marks(self, b: str, e: str) -> None:
        """What tags a number: "%", points, units, ordinal and identifier marks, year markers."""
        lx = self.lx
        i = re.IGNORECASE
        self.percent = re.compile(rf"[ \t\u00a0]?%|[ \t]*(?:{alternation(lx.percent_words)}){e}", i)
        self.score = re.compile(rf"[ \t]*(?:{alternation(lx.score_words)}){e}", i)
        units = dict(UNITS)
        units.update(lx.units)
        self.unit_map = {k.lower(): v for k, v in units.items()}
        self.unit = re.compile(rf"(?:[ \t\u00a0]*|-)(?P<u>{alternation(units)})(?![²³]){e}", i)
        self.ord_suffix = re.compile(rf"(?:{lx.ordinal_suffix})(?![^\W\d_])", i)
        self.ord_prefix = re.compile(rf"{b}(?:{lx.ordinal_prefix})$", i)
        self.ord_word_after = re.compile(rf"[ \t]*[-\u2014]?[ \t]*(?P<w>{alternation(lx.ordinals)}){e}", i)
        self.ordinal_word = re.compile(rf"{b}(?P<w>{alternation(lx.ordinals)}){e}", i)
        self.id_prefix = re.compile(rf"{b}(?:{alternation(lx.id_markers)})[ \t]*$", i)
        self.year_marker = re.compile(
            rf"{b}(?:{alternation(lx.year_markers)})[ \t]*(?:{lx.era_be}|{lx.era_ce})?[ \t]*$", i
        )
        self.classifier = re.compile(rf"[ \t]?(?P<c>{alternation(lx.classifiers)})") if lx.classifiers else None
        # A percent word before the number, in every language: Thai "ร้อยละ 0.42", "persen 5"
        # (one-word ones: "por cento", "percentage point" hold a number word or "point").
        before = lx.percent_prefix | {w for w in lx.percent_words if " " not in w}
        self.percent_pre = re.compile(rf"{b}(?:{alternation(before)})[ \t]*$", i)
        self.ordinal_noun = (
            re.compile(rf"{b}(?:{alternation(lx.ordinal_nouns)})[ \t\u00a0]*$", i) if lx.ordinal_nouns else None
        )
        self.loose_ord_prefix = re.compile(rf"{b}(?:{lx.loose_ordinal_prefix})$", i)
        self.ordinal_lead = re.compile(rf"{b}(?:{lx.ordinal_lead})[ \t]+$", i)
        self.year_after = re.compile(rf"[ \t]+(?:{alternation(lx.year_after)}){e}", i) if lx.year_after else None
        # the rate word, then anything but a clause break or another digit, up to the number
        self.rate_before = (
            re.compile(rf"{b}(?:{alternation(lx.rate_words)}){e}[^.,;:()\[\]\n0-9]{{0,60}}$", i)
            if lx.rate_words
            else None
        )
        self.reference_noun = (
            re.compile(rf"{b}(?:{alternation(lx.reference_nouns)})[ \t\u00a0]*$", i) if lx.reference_nouns else None
        )
        self.loose_id_prefix = (
            re.compile(rf"{b}(?:{alternation(lx.loose_id_markers)})[ \t]*$", i) if lx.loose_id_markers else None
        )
        self.scale_of = re.compile(rf"[ \t]+(?:{alternation(lx.scale_of)})(?=[ \t])", i) if lx.scale_of else None

    def _compile_ranges(self, b: str, e: str) -> None:
        """Range connectors and the bound words before and after a number."""
        lx = self.lx
        i = re.IGNORECASE
        conn = alternation(lx.range_connectors)
        self.range_conn = re.compile(
            rf"[ \t]*(?:{conn})[ \t]*" if lx.thai_script else rf"[ \t]*(?:[-–—~]|{b}(?:{conn}){e})[ \t]*", i
        )
        self.and_conn = re.compile(rf"[ \t]*{b}(?:{alternation(lx.and_words)}){e}[ \t]*", i)
        self.between = re.compile(rf"{b}(?:{alternation(lx.between_words | lx.from_words)})[ \t]*$", i)
        self.above = re.compile(rf"{b}(?:{alternation(lx.above_words)})[ \t]*$", i)
        self.below = re.compile(rf"{b}(?:{alternation(lx.below_words)})[ \t]*$", i)
        self.above_after = re.compile(rf"[ \t]*(?:{alternation(lx.above_after)}){e}", i)
        self.below_after = re.compile(rf"[ \t]*(?:{alternation(lx.below_after)}){e}", i)

    # -- the scan -------------------------------------------------------------

    def find(self, text: str) -> list[Figure]:
        norm = text.translate(THAI_DIGITS) if _THAI_DIGIT.search(text) else text
        masks = _masks(norm)
        if self.not_figure is not None:
            masks = sorted(masks + [m.span() for m in self.not_figure.finditer(norm)])
        self._not_figure_at = {a for a, _ in masks}
        self._whole = (len(norm) - len(norm.lstrip()), len(norm.rstrip()))
        out: list[Figure] = []
        pos = 0
        last_end = 0
        mi = 0
        n = len(norm)
        while pos < n:
            m = self.anchor.search(norm, pos)
            if not m:
                break
            s = m.start()
            while mi < len(masks) and masks[mi][1] <= s:
                mi += 1
            if mi < len(masks) and masks[mi][0] <= s:
                pos = masks[mi][1]
                continue
            fig = self._figure_at(norm, s, last_end)
            if fig is None:
                # Skip the rest of an alphanumeric token ("dsc01120", "annonse_1").
                if norm[s].isdigit():
                    j = m.end()
                    while j < n and (norm[j].isalnum() or norm[j] == "_"):
                        j += 1
                    pos = j
                else:
                    pos = m.end()
                continue
            if fig.kind != "ORDINAL":  # "4." (nb): the dot is the ordinal's mark
                # No span ends in punctuation: "tanggal 20 Januari." is the DATE "20 Januari".
                while fig.end > fig.start + 1 and text[fig.end - 1] in _TRAILING:
                    fig.end -= 1
            fig.text = text[fig.start : fig.end]
            out.append(fig)
            pos = last_end = fig.end
        return out

    def _is_whole(self, start: int, end: int) -> bool:
        return (start, end) == self._whole

    # -- one figure -----------------------------------------------------------

    def _figure_at(self, text: str, s: int, floor: int) -> Figure | None:
        lx = self.lx
        ch = text[s]
        glued = s > 0 and (text[s - 1].isalpha() or text[s - 1] == "_") and not lx.thai_script
        if ch.isdigit() or ch in ".,":
            d = self.dates.read(text, s, floor)
            if d is not None:
                return d
            if glued and not self.prefix_cur.search(text, max(0, s - 8), s):
                return None
        else:
            om = self.ordinal_word.match(text, s)
            if om and not self.reader.word.match(text, s) or (om and om.end() >= self.reader.word.match(text, s).end()):
                return self._ordinal_words(text, s)
        num = self.reader.read(text, s)
        if num is None:
            return None
        if num.words and not num.has_digits and num.value % 10 == 0 and num.value > 0:
            om = self.ord_word_after.match(text, num.end)
            if om and self.lx.ordinals[om.group("w").lower()] < 10:
                value = _to_json_number(num.value) + self.lx.ordinals[om.group("w").lower()]
                return Figure(start=s, end=om.end(), text="", kind="ORDINAL", value=value)
        # Glued or spaced sign before digits: "-504", and "- 1.200.000" when it is the whole text.
        start = s
        if num.has_digits and s > 0 and text[s - 1] == "-" and num.value > 0:
            before = text[s - 2] if s >= 2 else " "
            if (before.isspace() or before in "(") and (s - 1) >= floor:
                num.value = -num.value
                start = s - 1
        elif num.has_digits and s >= 2 and text[s - 2 : s] == "- " and s - 2 == self._whole[0] and num.value > 0:
            num.value = -num.value
            start = s - 2
        core = self._core(text, start, num, floor)
        if core is None:
            return None
        # A range: "2020 - 2025", "10-20 dollars", "entre 10 e 20 reais".
        rng = self._range(text, core, floor)
        if rng is not None:
            return rng
        return self._single(text, core, floor)

    def _core(self, text: str, start: int, num: Num, floor: int) -> _Core | None:
        """The number at ``start`` with the signs, words and marks glued to it, or None for a lone weak word."""
        lo = max(floor, start - 40)
        core = _Core(start=start, end=num.end, num=num, value=num.value)
        self._mark_before(text, core, floor)
        if not core.tagged and self._names_a_document(text, core, lo):
            e = num.end  # "Nomor 5 Tahun 2020": "Tahun 2020" is the year it was issued, not a unit
        else:
            e = self._tags_after(text, core, num.end)
        if not core.tagged and not core.other and self._is_rate(text, core, floor):
            core.percent = True
        e = self._ordinal_mark(text, core, e, lo)
        e = self._ratio(text, core, e)
        e = self._identifier(text, core, e, lo)
        core.end = e
        if num.weak and not core.tagged and not self._is_whole(core.start, core.end):
            return None
        return core

    def _names_a_document(self, text: str, core: _Core, lo: int) -> bool:
        """ "nº 6", "Nomor 5", "direktiv 27", "Chỉ thị 27": a bare integer after an identifier
        marker (in the span) or a document noun (outside it) is an identifier."""
        num = core.num
        if not num.has_digits or num.plain is None:
            return False
        im = self.id_prefix.search(text, lo, core.start)
        if im:
            core.other = True
            core.start = im.start()
            return True
        if (
            self.reference_noun is not None
            and self._year_like(num) is None  # "Resolution 2024 was": a year
            and self.reference_noun.search(text, lo, core.start)
        ):
            core.other = True
            return True
        return False

    def _is_rate(self, text: str, core: _Core, floor: int) -> bool:
        """A bare decimal (no unit, no counted noun) in a clause that opened with a rate word."""
        num = core.num
        if self.rate_before is None or not num.has_digits or num.value == num.value.to_integral_value():
            return False
        if self._noun_after(text, num.end) is not None:
            return False
        return bool(self.rate_before.search(text, max(floor, core.start - 80), core.start))

    def _mark_before(self, text: str, core: _Core, floor: int) -> None:
        """A currency ("Rp 1,5", "US$4.7") or a percent word (Thai "ร้อยละ 20") before the number."""
        start = core.start
        pm = self.prefix_cur.search(text, max(floor, start - 28), start)
        if pm:
            core.currency = self.pre_map[pm.group("c").lower()]
            core.start = pm.start()
            return
        pp = self.percent_pre.search(text, max(floor, start - 24), start)
        if pp:
            core.percent = True
            core.start = pp.start()

    def _tags_after(self, text: str, core: _Core, e: int) -> int:
        """A currency (and its cents), "%", points or a unit after the number; returns the new end."""
        num = core.num
        if not core.currency:
            cm = self.suffix_cur.match(text, e)
            # "a US$4.7 billion": a sign right before digits belongs to them, not to "a".
            if cm and not (num.weak and text[cm.end() : cm.end() + 2].strip()[:1].isdigit()):
                core.currency = self.cur_map[cm.group("c").lower()]
                e = cm.end()
        if core.currency:
            e = self._cents(text, e, core)
        if not core.tagged:
            pm = self.percent.match(text, e)
            if pm:
                core.percent = True
                e = pm.end()
        if not core.tagged:
            sm = self.score.match(text, e)
            if sm and not self._starts_not_figure(text, sm):
                core.score = True
                e = sm.end()
        if core.currency == "£" and self.mass_of.match(text, e):
            core.currency = None
            core.unit = "lb"
        if not core.tagged:
            um = self.unit.match(text, e)
            if um and not _name_word(text, um.start("u"), um.end()):
                core.unit = self.unit_map[um.group("u").lower()]
                e = um.end()
        return e

    def _starts_not_figure(self, text: str, m: re.Match[str]) -> bool:
        """Does the tag word ``m`` open one of the language's ``not_figures`` ("điểm nhấn")?"""
        a = m.start() + len(m.group()) - len(m.group().lstrip())
        return a in self._not_figure_at

    def _ordinal_mark(self, text: str, core: _Core, e: int, lo: int) -> int:
        """ "15º", "15th", "4." after, or "ke-", "thứ", "ที่" before an untagged number."""
        num = core.num
        if core.tagged or core.other:
            return e
        if num.has_digits and num.plain is not None:
            om = self.ord_suffix.match(text, e)
            # Norwegian "4." is an ordinal only as the whole text or before a lowercase word.
            if om and (
                om.group() != "." or self._is_whole(core.start, om.end()) or text[om.end() :].strip()[:1].islower()
            ):
                core.ordinal = True
                return om.end()
            pm = self.ord_prefix.search(text, lo, core.start)
            if pm and not self._looks_id(text, lo, core.start, e):
                core.ordinal = True
                core.start = pm.start()
                return e
            lm = self.loose_ord_prefix.search(text, lo, core.start)
            # "yang ke 37", "ke 3 dari 18", "Kongres ke 22 Komite": the 37th; "ke 37 lokasi": to 37 places
            if (
                lm
                and not self._looks_id(text, lo, core.start, e)
                and (self.ordinal_lead.search(text, lo, lm.start()) or self._noun_after(text, e) is None)
            ):
                core.ordinal = True
                core.start = lm.start()
                return e
            if (
                self.ordinal_noun is not None
                and self._year_like(num) is None  # "giai đoạn 2020-2025" is a period of years
                and self.ordinal_noun.search(text, lo, core.start)
            ):
                core.ordinal = True  # "tahap 2", "fase 2": the noun stays outside the span
        elif not num.has_digits:
            pm = self.ord_prefix.search(text, lo, core.start)
            if pm:
                core.ordinal = True
                core.start = pm.start()
                return e
            lm = self.loose_ord_prefix.search(text, lo, core.start)
            # "yang ke tiga", "peringkat ke tiga dari": the third; "ke tiga lokasi": to three places
            if lm and (self.ordinal_lead.search(text, lo, lm.start()) or self._noun_after(text, e) is None):
                core.ordinal = True
                core.start = lm.start()
        return e

    def _ratio(self, text: str, core: _Core, e: int) -> int:
        """ "301/314", "4,459/4,671": an integer over digits is a ratio; "3/4 cup" is 0.75 cups.

        The numerator may carry the language's group marks: "4,459/4,671
        รายการ" (Thai), "1.234/5.678" (Indonesian) are one ratio each.
        """
        if core.tagged or core.ordinal or core.other or core.num.integer is None:
            return e
        if not (text.startswith("/", e) and text[e + 1 : e + 2].isdigit()):
            return e
        dm = self.reader.read_digits(text, e + 1)
        if dm is None or text[dm.end : dm.end + 1].isalnum() or dm.value == 0:
            return e
        um = self.unit.match(text, dm.end)
        if um:
            if core.num.plain is None:  # a vulgar fraction has a small ungrouped numerator: "1,000/4 cup" is not one
                return e
            core.value = core.value / dm.value
            core.unit = self.unit_map[um.group("u").lower()]
            return um.end()
        core.ratio_den = dm.value
        return dm.end

    def _identifier(self, text: str, core: _Core, e: int, lo: int) -> int:
        """ "nº 6", "เลขที่ 657", "657-QD/TU", "14E": the number names something."""
        num = core.num
        if core.tagged or core.ordinal or core.ratio_den is not None or not num.has_digits:
            return e
        im = self.id_prefix.search(text, lo, core.start)
        if im:
            core.other = True
            core.start = im.start()
        elif self.loose_id_prefix is not None and self._noun_after(text, e) is None:
            lm = self.loose_id_prefix.search(text, lo, core.start)
            if lm:  # "Quyết định số 27 của", but "tổng số 500 người" counts people
                core.other = True
                core.start = lm.start()
        nxt = text[e + 1 : e + 2] if text[e : e + 1] == "-" else text[e : e + 1]
        if nxt.isalpha() and not is_thai_char(nxt):
            gm = _GLUED_ID.match(text, e)
            if gm:
                core.other = True
                e = gm.end()
        return e

    def _looks_id(self, text: str, lo: int, start: int, end: int) -> bool:
        """ "เลขที่ 657" (number 657) ends like the ordinal "ที่ 11": the identifier reading wins."""
        if self.id_prefix.search(text, lo, start):
            return True
        return text[end : end + 1] == "-" and text[end + 1 : end + 2].isalpha()

    def _cents(self, text: str, e: int, core: _Core) -> int:
        """ "20 dollars 43 cents", "2 kroner og 23 øre", "$20 and 43c": add the hundredths."""
        am = self.and_sub.match(text, e)
        q = am.end() if am else e
        if not (text[q : q + 1].isdigit() or text[q : q + 1].isalpha()):
            return e
        sub = self.reader.read(text, q)
        if sub is None or sub.value >= 100 or sub.value != int(sub.value) or sub.value <= 0:
            return e
        sm = self.subunit.match(text, sub.end)
        if sm:
            end = sm.end()
        elif text[sub.end :].strip() == "" and core.currency != "cent":
            end = sub.end
        else:
            return e
        core.value = core.value + sub.value / 100
        return end

    def _range(self, text: str, core: _Core, floor: int) -> Figure | None:
        lx = self.lx
        e = core.end
        cm = self.range_conn.match(text, e)
        if cm is None and self.between.search(text, max(floor, core.start - 20), core.start):
            cm = self.and_conn.match(text, e)
        if cm is None or cm.end() == e:
            return None
        q = cm.end()
        cur2 = None
        pm = self.prefix_cur_fwd.match(text, q)
        if pm:
            cur2 = self.pre_map[pm.group("c").lower()]
            q = pm.end()
        if not (text[q : q + 1].isdigit() or text[q : q + 1].isalpha()):
            return None
        num2 = self.reader.read(text, q)
        if num2 is None:
            return None
        core2 = self._core(text, q, num2, q)
        if core2 is None:
            return None
        if cur2:
            core2.currency = cur2
        if core2.ordinal or core2.other or core2.ratio_den is not None or core.ordinal or core.other:
            return None
        t1, t2 = core.tagged, core2.tagged
        if t1 and t2 and t1 != t2:
            return None
        low, high = core.value, core2.value
        # "7-9 lakh", "10-20 triệu": the scale of the second end applies to the first.
        if core.num.scale == 1 and core2.num.scale > 1 and low * core2.num.scale <= high:
            low = low * core2.num.scale
        if not low < high:
            return None
        tag_from = core2 if t2 else core
        fig_kind, unit, era = self._kind_of(tag_from, text)
        if fig_kind in ("COUNT", "YEAR"):
            y1, y2 = self._year_like(core.num), self._year_like(core2.num)
            if y1 and y2:
                fig_kind = "YEAR"
                era = "BE" if (lx.lang == "th" and y1 >= 2400) else None
                if era:
                    low, high = low - 543, high - 543
                unit = None
        if fig_kind == "COUNT":
            unit = self._noun_after(text, core2.end, core2.num.scale > 1)
        value = {"low": _to_json_number(low), "high": _to_json_number(high)}
        return Figure(start=core.start, end=core2.end, text="", kind=fig_kind, value=value, unit=unit, era=era)

    def _single(self, text: str, core: _Core, floor: int) -> Figure:
        kind, unit, era = self._kind_of(core, text)
        value: Any = _to_json_number(core.value)
        end = core.end
        if kind == "RATIO":
            value = {"num": _to_json_number(core.value), "den": _to_json_number(core.ratio_den or Decimal(1))}
        elif kind in ("COUNT", "YEAR") and core.num.plain is not None and not core.num.weak:
            y = self._year_like(core.num)
            if y and self._is_year(text, core, y):
                kind = "YEAR"
                unit = None
                value, era = self.dates.era_year(y, text, core.start)
        if kind == "COUNT":
            unit = self._noun_after(text, end, core.num.scale > 1)
        # "forty-five (45)": the same number repeated in brackets is one figure.
        pm = _PAREN_ECHO.match(text, end)
        if pm and pm.end() > end and "(" in text[end : pm.end()]:
            q = pm.end()
            if text[q : q + 1].isalnum():
                n2 = self.reader.read(text, q)
                if n2 is not None and n2.value == core.value:
                    cm = _CLOSE.match(text, n2.end)
                    if cm:
                        end = cm.end()
        # Bounds: "more than 500" -> {"low": 500}; the words stay outside the span.
        if kind not in ("DATE", "YEAR", "ORDINAL", "RATIO", "OTHER") and not isinstance(value, dict):
            lo = max(floor, core.start - 30)
            am = self.above.search(text, lo, core.start)
            bm = self.below.search(text, lo, core.start)
            if am and bm:  # "no more than" holds "more than": the longer phrase wins
                am, bm = (am, None) if am.start() < bm.start() else (None, bm)
            if am or self.above_after.match(text, end):
                value = {"low": value}
            elif bm or self.below_after.match(text, end):
                value = {"high": value}
        return Figure(start=core.start, end=end, text="", kind=kind, value=value, unit=unit, era=era)

    def _kind_of(self, core: _Core, text: str) -> tuple[str, str | None, str | None]:
        if core.currency:
            return "MONEY", core.currency, None
        if core.percent:
            return "PERCENT", None, None
        if core.score:
            return "SCORE", "point", None
        if core.unit:
            return "QUANTITY", core.unit, None
        if core.ordinal:
            return "ORDINAL", None, None
        if core.ratio_den is not None:
            return "RATIO", None, None
        if core.other:
            return "OTHER", None, None
        return "COUNT", None, None

    def _year_like(self, num: Num) -> int | None:
        if num.plain is None or len(num.plain) != 4 or num.plain[0] == "0":
            return None
        y = int(num.plain)
        if 1000 <= y <= 2199 or (self.lx.lang == "th" and 2400 <= y <= 2700):
            return y
        return None

    def _is_year(self, text: str, core: _Core, y: int) -> bool:
        lo = max(0, core.start - 30)
        if self.year_marker.search(text, lo, core.start):
            return True
        if self.lx.lang == "th" and 2450 <= y <= 2650:
            return not (self.classifier and self.classifier.match(text, core.end))
        if not 1900 <= y <= 2100:
            return False
        return bool(_PUNCT_AFTER.match(text, core.end) or (self.year_after and self.year_after.match(text, core.end)))

    def _noun_after(self, text: str, end: int, scaled: bool = False) -> str | None:
        """The counted noun after a COUNT (its ``unit``), in every language the same rule: the
        next lower-case word that is not a function word; after a scale word the language's
        "of" may come between ("39,2 milhões de sacas" -> sacas, as "12.500 warga" -> warga)."""
        if scaled and self.scale_of is not None:
            om = self.scale_of.match(text, end)
            if om:
                end = om.end()
        if self.lx.thai_script:
            if self.classifier:
                cm = self.classifier.match(text, end)
                if cm:
                    return cm.group("c")
            return None
        wm = _WORD_AFTER.match(text, end)
        if wm:
            w = wm.group(1)
            if w.lower() not in self.lx.noun_stop and not w[:1].isupper():
                return w
        return None

    # -- ordinals written as words ---------------------------------------------

    def _ordinal_words(self, text: str, s: int) -> Figure | None:
        total = 0
        p = s
        end = s
        words = []
        while True:
            om = self.ordinal_word.match(text, p)
            if not om:
                break
            total += self.lx.ordinals[om.group("w").lower()]
            words.append(om.group("w").lower())
            end = om.end()
            nm = self.ord_word_after.match(text, end)
            if not nm:
                break
            p = nm.start("w")
        if not words:
            return None
        if len(words) == 1 and words[0] in self.lx.weak_ordinals and not self._is_whole(s, end):
            return None
        return Figure(start=s, end=end, text="", kind="ORDINAL", value=total)


@cache
def finder(iso: str) -> Finder:
    return Finder(lexicon(iso))


def extract_figures(text: str, lang: str) -> list[Figure]:
    """Find the figures of ``text`` written in ``lang`` (ISO 639-1 or NLLB code).

    Returns :class:`~toolkit.records.Figure` records sorted by ``start``, not
    overlapping, with ``text[f.start:f.end] == f.text``.
    """
    return finder(to_iso(lang)).find(text)
