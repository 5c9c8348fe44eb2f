"""Reading one number at a position: digits with a language's separators, or words.

``NumberReader.read`` is the only place that turns text into a value. It reads
digits ("165,34", "1.200.000", "100 000", "3M"), number words ("dois mil e
vinte e cinco", "สองล้าน", "hai mươi mốt") and their mixtures ("5 ribu",
"1,2 juta", "2 chấm 23") into a :class:`decimal.Decimal`, so that Norwegian
quadrillions and "0,0012G" stay exact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from toolkit.figures.lexicon import Lexicon, alternation
from toolkit.languages import is_thai_letter

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Thai marks that continue a syllable: a number word followed by one of
# these is the start of another word ("สาม" in "สามารถ").
THAI_FOLLOWERS = set("ะัาำิีึืฺุู็่้๊๋์ํ๎ๅ")
THAI_LEADING_VOWELS = set("เแโใไ")
_SUFFIX_SCALE = {"k": 1000, "K": 1000, "M": 10**6, "G": 10**9}
_DIGIT_RUN = re.compile(r"[0-9]+")


class Digits(NamedTuple):
    """One run of digits read by :meth:`NumberReader.read_digits`."""

    end: int
    value: Decimal
    plain: str | None  # the digits as written, when they are an integer without group marks ("2024")
    integer: str | None  # the digits of an integer, group marks dropped ("4459" for "4,459")
    scale: int  # a glued "k"/"M"/"G" (1 when none)


@dataclass
class Num:
    """A number read from the text: ``text[start:end]`` and its value."""

    start: int
    end: int
    value: Decimal
    has_digits: bool
    weak: bool  # an article-like word alone ("en", "um", "a"): a figure only with a unit or alone
    plain: str | None  # the digit string when the number is bare digits ("2024", "0033")
    integer: str | None = None  # the digits when it is an integer in digits alone, grouped or not ("4,459")
    scale: int = 1  # product of the scale words at its end ("9 lakh" -> 100000)
    words: int = 0  # number of word tokens


@dataclass(slots=True)
class _Acc:
    """What ``NumberReader.read`` has read so far of one number."""

    end: int  # end of the last token taken
    p: int  # where the next token may start
    total: Decimal = Decimal(0)  # the groups closed by a scale word
    current: Decimal = Decimal(0)  # the group being read
    last_scale: int = 0
    last: str | None = None  # kind of the previous token: "num", "neg", "conn", "point" or a word kind
    last_val: Decimal = Decimal(0)
    negative: bool = False
    has_digits: bool = False
    plain: str | None = None
    integer: str | None = None
    n_tokens: int = 0
    n_words: int = 0
    weak_all: bool = True
    scale_tail: int = 1


class NumberReader:
    """Compiled regexes for one language's numbers."""

    def __init__(self, lx: Lexicon) -> None:
        self.lx = lx
        flags = re.IGNORECASE
        if lx.decimal == ",":
            groups = [r"[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9])", r"[0-9]{1,3}(?:[\u00a0\u202f][0-9]{3})+(?![0-9])"]
            if lx.space_groups:
                groups.append(r"[0-9]{1,3}(?: [0-9]{3})+(?![0-9])")
            dec, other = ",", r"\."
        else:
            groups = [r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])", r"[0-9]{1,3}(?:[\u00a0\u202f][0-9]{3})+(?![0-9])"]
            dec, other = r"\.", ","
        # The other separator before anything but a group of three is read as a
        # decimal mark: machine translation often keeps the source's "88,8".
        self.digits = re.compile(
            rf"(?P<int>{'|'.join(groups)}|[0-9]+)(?P<frac>{dec}[0-9]+)?(?P<len>{other}[0-9]+(?![0-9]))?"
            rf"|(?P<lead>{dec}[0-9]+)"
        )
        self.suffix_k = re.compile(r"[kK](?![^\W\d_])|[MG](?![^\W\d_])")
        self.kinds: dict[str, str] = {}
        for table, kind in (
            (lx.adds, "add"),
            (lx.mults, "mul"),
            (lx.scales, "scale"),
            (lx.teens, "teen"),
            (lx.dozens, "dozen"),
        ):
            for w in table:
                self.kinds[w] = kind
        for w in lx.connectors:
            self.kinds.setdefault(w, "conn")
        for w in lx.point_words:
            self.kinds.setdefault(w, "point")
        for w in lx.negative_words:
            self.kinds.setdefault(w, "neg")
        words = alternation(self.kinds)
        if lx.thai_script:
            self.word = re.compile(f"(?:{words})")
            self.sep = re.compile(r"[ \t]*")
        else:
            self.word = re.compile(rf"(?<![^\W\d_])(?:{words})(?![^\W\d_])", flags)
            self.sep = re.compile(r"[ \t\u00a0]*(?:[-\u2010\u2014][ \t]*)?")
        self._steps: dict[str, Callable[[_Acc, int], bool]] = {
            "add": self._add,
            "mul": self._mul,
            "teen": self._teen,
            "dozen": self._dozen,
            "scale": self._scale,
        }

    def value_of(self, word: str) -> int:
        w = word.lower()
        lx = self.lx
        for table in (lx.adds, lx.mults, lx.scales, lx.teens, lx.dozens):
            if w in table:
                return table[w]
        return 0

    def read_digits(self, text: str, pos: int) -> Digits | None:
        """The digits at ``pos`` with the language's separators, and a "k"/"M"/"G" glued after."""
        m = self.digits.match(text, pos)
        if not m:
            return None
        integer: str | None = None
        if m.group("lead"):
            s = "0." + m.group("lead")[1:]
        else:
            whole = re.sub(r"[^0-9]", "", m.group("int"))
            frac = m.group("frac") or m.group("len")
            s = whole + ("." + frac[1:] if frac else "")
            integer = None if frac else whole
        value = Decimal(s)
        k = 1
        end = m.end()
        km = self.suffix_k.match(text, end)
        if km:
            k = _SUFFIX_SCALE[km.group()]
            value *= k
            end = km.end()
            integer = None
        plain = integer if integer == m.group("int") else None
        return Digits(end, value, plain, integer, k)

    def read(self, text: str, pos: int) -> Num | None:
        """Read the longest number starting exactly at ``pos``; None when nothing numeric starts there.

        One token (digits or a number word) at a time; each ``_take_*`` step
        folds it into the running :class:`_Acc` or says the number ended.
        """
        st = _Acc(end=pos, p=pos)
        thai = self.lx.thai_script
        while True:
            p = st.p
            q = self.sep.match(text, p).end() if st.n_tokens else p
            if st.n_tokens and not thai and q > p and "\n" in text[p:q]:
                break
            dm = None
            if text[q : q + 1].isdigit() or (
                text[q : q + 1] in ",." and text[q + 1 : q + 2].isdigit() and st.n_tokens == 0
            ):
                dm = self.read_digits(text, q)
            if dm is not None:
                if not self._take_digits(st, text, p, q, dm):
                    break
                continue
            wm = self.word.match(text, q)
            if not wm:
                break
            if q > p and "-" in text[p:q] and st.last == "num":
                break  # "2020-dua" is not one number
            w = wm.group().lower()
            kind = self.kinds[w]
            if kind == "neg":
                if st.n_tokens:
                    break
                st.negative = True
                st.last = "neg"
                st.n_tokens += 1
                st.p = wm.end()
            elif kind == "conn":
                if not self._take_conn(st, text, wm.end()):
                    break
            elif kind == "point":
                if not self._take_point(st, text, wm.end()):
                    break
            elif not self._take_word(st, w, kind, wm.end()):
                break
        return self._finish(st, text, pos)

    def _take_digits(self, st: _Acc, text: str, p: int, q: int, dm: Digits) -> bool:
        if st.last == "scale":
            # "1 tỷ 200 triệu": digits after a scale only before a smaller scale.
            nxt = self.word.match(text, self.sep.match(text, dm.end).end())
            if not nxt or self.kinds.get(nxt.group().lower()) != "scale" or self.value_of(nxt.group()) >= st.last_scale:
                return False
        elif st.last not in (None, "neg"):
            return False
        if q > p and "-" in text[p:q]:
            return False
        st.current += dm.value
        st.has_digits = True
        first = st.n_tokens == 0 or st.last == "neg"
        st.plain = dm.plain if first else None
        st.integer = dm.integer if first else None
        st.weak_all = False
        st.last, st.last_val = "num", dm.value
        st.scale_tail = dm.scale
        st.n_tokens += 1
        st.p = st.end = dm.end
        return True

    def _take_conn(self, st: _Acc, text: str, after: int) -> bool:
        """ "vinte e cinco", "fem tusen og tjue": a connector only when a smaller word follows."""
        nm = self.word.match(text, self.sep.match(text, after).end())
        if not nm or st.last in (None, "neg", "num", "conn"):
            return False
        nk = self.kinds[nm.group().lower()]
        nv = self.value_of(nm.group())
        ref = st.current if st.current else st.total
        if nk not in ("add", "mul") or not ref or nv >= ref or (st.current and st.current % 10 != 0):
            return False
        st.last = "conn"
        st.p = after
        return True

    def _take_point(self, st: _Acc, text: str, after: int) -> bool:
        """ "2 chấm 23", "tiga koma lima": the decimals after a point word."""
        if st.last in ("point", "neg", "conn", "dozen") or (
            st.last == "num" and st.plain is None and st.current != int(st.current)
        ):
            return False
        frac = self._read_fraction(text, after)
        if frac is None:
            return False
        f_end, f_val = frac
        st.current += f_val
        st.has_digits = st.has_digits or text[after:f_end].strip()[:1].isdigit()
        st.plain = st.integer = None
        st.weak_all = False
        st.last = "point"
        st.n_tokens += 1
        st.p = st.end = f_end
        return True

    def _take_word(self, st: _Acc, w: str, kind: str, after: int) -> bool:
        """A number word that adds, multiplies or closes a group."""
        v = self.value_of(w)
        if not self._steps[kind](st, v):
            return False
        if w not in self.lx.weak and kind not in ("mul", "dozen"):
            st.weak_all = False
        if kind == "scale" and st.n_tokens:
            st.weak_all = False
        st.last, st.last_val = kind, Decimal(v)
        st.n_tokens += 1
        st.n_words += 1
        st.p = st.end = after
        return True

    def _add(self, st: _Acc, v: int) -> bool:
        if st.last in ("num", "teen", "dozen", "point"):
            return False
        if st.last == "add":
            pv = st.last_val
            if self.lx.lang == "en" and 0 < pv < 20 and 10 <= v < 100 and st.current < 100:
                st.current = st.current * 100  # "one twenty two" = 122, "nineteen eighty" = 1980
            elif not _fits_after(pv, v):
                return False
        st.current += v
        return True

    def _mul(self, st: _Acc, v: int) -> bool:
        if st.last in ("num", "point") and st.current != int(st.current):
            return False
        if st.last in ("add", "num", "teen"):
            low = st.current % v if v > 1 else st.current
            st.current = st.current - low + low * v
        elif st.last == "dozen":
            return False
        else:
            st.current += v
        return True

    def _teen(self, st: _Acc, v: int) -> bool:
        if st.last != "add" or st.last_val >= 10:
            return False
        st.current += v
        return True

    def _dozen(self, st: _Acc, v: int) -> bool:
        if st.last == "point":
            return False
        st.current = (st.current if st.last in ("add", "num", "mul", "teen") else Decimal(1)) * v
        return True

    def _scale(self, st: _Acc, v: int) -> bool:
        coef = Decimal(1) if st.last in (None, "neg", "conn") and st.n_tokens == 0 else st.current
        if st.last == "scale" and not st.current:
            if v < st.last_scale:
                return False
            st.total = st.total * v  # "ล้านล้าน", "thousand millions"
        elif st.last_scale and v >= st.last_scale:
            st.total = (st.total + coef) * v
        elif not st.last_scale and st.last is None:
            st.total = Decimal(v)
        else:
            st.total = st.total + coef * v
        st.current = Decimal(0)
        st.last_scale = v if v > st.last_scale or not st.last_scale else st.last_scale
        st.scale_tail = st.scale_tail * v if st.last == "scale" else v
        return True

    def _finish(self, st: _Acc, text: str, pos: int) -> Num | None:
        if st.n_tokens == 0 or st.last in ("neg", "conn"):
            return None
        weak_all = st.weak_all
        if self.lx.thai_script and st.n_words and not st.has_digits:
            nxt = text[st.end : st.end + 1]
            prv = text[pos - 1 : pos] if pos else ""
            if nxt in THAI_FOLLOWERS or prv in THAI_LEADING_VOWELS:
                return None
            # A single Thai number word glued inside a run of letters is most
            # often part of another word ("ห้าม", "แสนสวย"): demand space around it.
            if st.n_words == 1 and ((prv and is_thai_letter(prv)) or (nxt and is_thai_letter(nxt))):
                weak_all = True
        value = st.total + st.current
        single = st.n_tokens == 1 or (st.negative and st.n_tokens == 2)
        return Num(
            start=pos,
            end=st.end,
            value=-value if st.negative else value,
            has_digits=st.has_digits,
            weak=weak_all and not st.has_digits,
            plain=st.plain if single else None,
            integer=st.integer if single else None,
            scale=st.scale_tail,
            words=st.n_words,
        )

    def _read_fraction(self, text: str, pos: int) -> tuple[int, Decimal] | None:
        """The part after "point": digits, or words read as a digit string."""
        q = self.sep.match(text, pos).end()
        m = _DIGIT_RUN.match(text, q)
        if m:
            return m.end(), Decimal("0." + m.group())
        digits = ""
        end = None
        p = q
        while True:
            wm = self.word.match(text, p)
            if not wm or self.kinds[wm.group().lower()] != "add":
                break
            v = self.value_of(wm.group())
            # "ponto setenta e sete" = .77: a whole number after the point is read as its digits.
            digits += str(v)
            end = wm.end()
            nxt = self.sep.match(text, end).end()
            cm = self.word.match(text, nxt)
            if cm and self.kinds[cm.group().lower()] == "conn":
                p = self.sep.match(text, cm.end()).end()
                nm = self.word.match(text, p)
                if nm and self.kinds[nm.group().lower()] == "add" and v % 10 == 0:
                    digits = digits[:-1]  # "setenta e sete": 70 + 7 -> "77"
                    continue
                break
            if (
                cm
                and self.kinds[cm.group().lower()] == "add"
                and v % 10 == 0
                and v >= 20
                and self.value_of(cm.group()) < 10
            ):
                digits = digits[:-1]  # "seventy seven"
            p = nxt
        if not digits or end is None:
            return None
        return end, Decimal("0." + digits)


def _fits_after(prev: Decimal, v: int) -> bool:
    """May an add word of value ``v`` follow one of value ``prev``? ("twenty" "one": yes)."""
    if prev <= 0:
        return False
    p = int(prev)
    zeros = 0
    while p and p % 10 == 0:
        p //= 10
        zeros += 1
    return zeros > 0 and v < 10**zeros
