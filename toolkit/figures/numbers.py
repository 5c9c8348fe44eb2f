"""Reading one number at a position: digits with a language's separators, or words.

``read_number`` is the only place that turns text into a value. It reads
digits ("165,34", "1.200.000", "100 000", "3M"), number words ("dois mil e
vinte e cinco", "สองล้าน", "hai mươi mốt") and their mixtures ("5 ribu",
"1,2 juta", "2 chấm 23") into a :class:`decimal.Decimal`, so that Norwegian
quadrillions and "0,0012G" stay exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from toolkit.figures.lexicon import Lexicon, alternation

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Thai marks that continue a syllable: a number word followed by one of
# these is the start of another word ("สาม" in "สามารถ").
THAI_FOLLOWERS = set("ะัาำิีึืฺุู็่้๊๋์ํ๎ๅ")
THAI_LEADING_VOWELS = set("เแโใไ")
_SUFFIX_SCALE = {"k": 1000, "K": 1000, "M": 10**6, "G": 10**9}


@dataclass
class Num:
    """A number read from the text: ``text[start:end]`` and its value."""

    start: int
    end: int
    value: Decimal
    has_digits: bool
    weak: bool  # an article-like word alone ("en", "um", "a"): a figure only with a unit or alone
    plain: str | None  # the digit string when the number is bare digits ("2024", "0033")
    scale: int = 1  # product of the scale words at its end ("9 lakh" -> 100000)
    words: int = 0  # number of word tokens


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

    def value_of(self, word: str) -> int:
        w = word.lower()
        lx = self.lx
        for table in (lx.adds, lx.mults, lx.scales, lx.teens, lx.dozens):
            if w in table:
                return table[w]
        return 0

    def read_digits(self, text: str, pos: int) -> tuple[int, Decimal, str | None, int] | None:
        """Digits at ``pos``: (end, value, plain digit string or None, suffix scale)."""
        m = self.digits.match(text, pos)
        if not m:
            return None
        if m.group("lead"):
            s = "0." + m.group("lead")[1:]
            plain = None
        else:
            whole = re.sub(r"[^0-9]", "", m.group("int"))
            frac = m.group("frac") or m.group("len")
            s = whole + ("." + frac[1:] if frac else "")
            plain = whole if (not frac and whole == m.group("int")) else None
        value = Decimal(s)
        k = 1
        end = m.end()
        km = self.suffix_k.match(text, end)
        if km:
            k = _SUFFIX_SCALE[km.group()]
            value *= k
            end = km.end()
            plain = None
        return end, value, plain, k

    def read(self, text: str, pos: int, whole: bool = False) -> Num | None:
        """Read the longest number starting exactly at ``pos``.

        ``whole`` says the caller will accept weak words (the number is the
        whole text). Returns None when nothing numeric starts there.
        """
        total = Decimal(0)
        current = Decimal(0)
        last_scale = 0
        last: str | None = None  # kind of the previous token
        last_val = Decimal(0)
        negative = False
        has_digits = False
        plain: str | None = None
        n_tokens = 0
        n_words = 0
        weak_all = True
        scale_tail = 1
        end = pos
        p = pos
        lx = self.lx
        while True:
            q = self.sep.match(text, p).end() if n_tokens else p
            if n_tokens and not lx.thai_script and q > p and "\n" in text[p:q]:
                break
            dm = None
            if text[q : q + 1].isdigit() or (
                text[q : q + 1] in ",." and text[q + 1 : q + 2].isdigit() and n_tokens == 0
            ):
                dm = self.read_digits(text, q)
            if dm is not None:
                d_end, d_val, d_plain, k = dm
                if last in (None, "neg"):
                    pass
                elif last == "scale":
                    # "1 tỷ 200 triệu": digits after a scale only before a smaller scale.
                    nxt = self.word.match(text, self.sep.match(text, d_end).end())
                    if (
                        not nxt
                        or self.kinds.get(nxt.group().lower()) != "scale"
                        or self.value_of(nxt.group()) >= last_scale
                    ):
                        break
                else:
                    break
                if q > p and "-" in text[p:q]:
                    break
                current += d_val
                has_digits = True
                plain = d_plain if n_tokens == 0 or last == "neg" else None
                weak_all = False
                last, last_val = "num", d_val
                scale_tail = k
                n_tokens += 1
                p = end = d_end
                continue
            wm = self.word.match(text, q)
            if not wm:
                break
            if q > p and "-" in text[p:q] and last == "num":
                break  # "2020-dua" is not one number
            w = wm.group().lower()
            kind = self.kinds[w]
            v = self.value_of(w)
            if kind == "neg":
                if n_tokens:
                    break
                negative = True
                last = "neg"
                n_tokens += 1
                p = wm.end()
                continue
            if kind == "conn":
                # "vinte e cinco", "fem tusen og tjue": only when a smaller word follows.
                nq = self.sep.match(text, wm.end()).end()
                nm = self.word.match(text, nq)
                if not nm or last in (None, "neg", "num", "conn"):
                    break
                nk = self.kinds[nm.group().lower()]
                nv = self.value_of(nm.group())
                ref = current if current else total
                if nk not in ("add", "mul") or not ref or nv >= ref or (current and current % 10 != 0):
                    break
                last = "conn"
                p = wm.end()
                continue
            if kind == "point":
                if last in ("point", "neg", "conn", "dozen") or (
                    last == "num" and plain is None and current != int(current)
                ):
                    break
                frac = self._read_fraction(text, wm.end())
                if frac is None:
                    break
                f_end, f_val = frac
                current += f_val
                has_digits = has_digits or text[wm.end() : f_end].strip()[:1].isdigit()
                plain = None
                weak_all = False
                last = "point"
                n_tokens += 1
                p = end = f_end
                continue
            if kind == "add":
                if last == "num" or last == "teen" or last == "dozen" or last == "point":
                    break
                if last == "add":
                    pv = last_val
                    if lx.lang == "en" and 0 < pv < 20 and 10 <= v < 100 and current < 100:
                        current = current * 100  # "one twenty two" = 122, "nineteen eighty" = 1980
                    elif not _fits_after(pv, v):
                        break
                current += v
            elif kind == "mul":
                if last in ("num", "point") and current != int(current):
                    break
                if last in ("add", "num", "teen"):
                    low = current % v if v > 1 else current
                    current = current - low + low * v
                elif last == "dozen":
                    break
                else:
                    current += v
            elif kind == "teen":
                if last != "add" or last_val >= 10:
                    break
                current += v
            elif kind == "dozen":
                if last in ("point",):
                    break
                current = (current if last in ("add", "num", "mul", "teen") else Decimal(1)) * v
            elif kind == "scale":
                if last in (None, "neg", "conn") and n_tokens == 0:
                    coef = Decimal(1)
                else:
                    coef = current
                if last == "scale" and not current:
                    if v >= last_scale:
                        total = total * v  # "ล้านล้าน", "thousand millions"
                    else:
                        break
                elif last_scale and v >= last_scale:
                    total = (total + coef) * v
                elif not last_scale and last is None:
                    total = Decimal(v)
                else:
                    total = total + coef * v
                current = Decimal(0)
                last_scale = v if v > last_scale or not last_scale else last_scale
                scale_tail = scale_tail * v if last == "scale" else v
            else:
                scale_tail = 1
            if w not in lx.weak and kind not in ("mul", "dozen"):
                weak_all = False
            if kind == "scale" and n_tokens:
                weak_all = False
            last, last_val = kind, Decimal(v)
            n_tokens += 1
            n_words += 1
            p = end = wm.end()
        if n_tokens == 0 or last in ("neg", "conn"):
            return None
        if lx.thai_script and n_words and not has_digits:
            nxt = text[end : end + 1]
            prv = text[pos - 1 : pos] if pos else ""
            if nxt in THAI_FOLLOWERS or prv in THAI_LEADING_VOWELS:
                return None
            # A single Thai number word glued inside a run of letters is most
            # often part of another word ("ห้าม", "แสนสวย"): demand space around it.
            if n_words == 1 and ((prv and _is_thai_letter(prv)) or (nxt and _is_thai_letter(nxt))):
                weak_all = True
        value = total + current
        if negative:
            value = -value
        return Num(
            start=pos,
            end=end,
            value=value,
            has_digits=has_digits,
            weak=weak_all and not has_digits,
            plain=plain if n_tokens == 1 or (negative and n_tokens == 2) else None,
            scale=scale_tail,
            words=n_words,
        )

    def _read_fraction(self, text: str, pos: int) -> tuple[int, Decimal] | None:
        """The part after "point": digits, or words read as a digit string."""
        q = self.sep.match(text, pos).end()
        m = re.compile(r"[0-9]+").match(text, q)
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


def _is_thai_letter(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4e"
