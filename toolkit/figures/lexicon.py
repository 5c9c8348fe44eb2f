"""The per-language tables the figure finder reads, and the regex helpers built from them.

One :class:`Lexicon` per language lives in ``toolkit/figures/langs/<iso>.py``;
the engine in ``extract.py`` knows no words of any language, only these tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def alternation(words: object) -> str:
    """A regex alternation of ``words``, longest first.

    Python's ``re`` takes the first alternative that matches, not the longest,
    so "milhões" must come before "mil" or it would never be seen.
    """
    uniq = sorted({w for w in words if w}, key=lambda w: (-len(w), w))  # type: ignore[attr-defined]
    if not uniq:
        return "(?!)"
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in uniq)


@dataclass
class Lexicon:
    """Everything language-specific the finder needs. Words are lower case."""

    lang: str  # ISO 639-1
    decimal: str  # "," or "."
    space_groups: bool = False  # "100 000" (Norwegian) is one number
    thai_script: bool = False  # words are not separated by spaces
    # Cardinal words. ``adds`` add their value ("twenty", "seratus"), ``mults``
    # multiply what is below them ("hundred", "mươi", Thai "พัน"), ``scales``
    # close a group ("thousand", "juta", Thai "ล้าน"), ``teens`` add ten
    # ("belas"), ``dozens`` multiply by twelve.
    adds: dict[str, int] = field(default_factory=dict)
    mults: dict[str, int] = field(default_factory=dict)
    scales: dict[str, int] = field(default_factory=dict)
    teens: dict[str, int] = field(default_factory=dict)
    dozens: dict[str, int] = field(default_factory=dict)
    # Words that are numbers only inside a larger number, before a currency
    # or unit, or as the whole text: articles ("en", "um", "a", "một") and
    # homographs ("năm" = five or year, "không" = zero or not).
    weak: set[str] = field(default_factory=set)
    connectors: set[str] = field(default_factory=set)  # "and", "e", "og", "linh"
    point_words: set[str] = field(default_factory=set)  # "point", "koma", "จุด"
    negative_words: set[str] = field(default_factory=set)
    ordinals: dict[str, int] = field(default_factory=dict)  # whole ordinal words
    weak_ordinals: set[str] = field(default_factory=set)  # "andre" (= other), only as whole text
    ordinal_prefix: str = "(?!)"  # regex before digits: "ke-", "thứ ", "ที่"
    ordinal_suffix: str = "(?!)"  # regex glued after digits: "st|nd|rd|th", "º"
    # Money: phrases after the number and symbols/codes before it, mapped to a
    # currency code (ISO 4217 where one exists; "$", "£" and "cent" otherwise).
    currencies: dict[str, str] = field(default_factory=dict)
    prefix_currencies: dict[str, str] = field(default_factory=dict)
    currency_of: str = r"(?:of\s+)?"  # "165,34 bilhões de VND"
    subunits: set[str] = field(default_factory=set)  # "cents", "øre", "xu"
    # Units: word -> canonical unit (QUANTITY).
    units: dict[str, str] = field(default_factory=dict)
    percent_words: set[str] = field(default_factory=set)
    percent_prefix: set[str] = field(default_factory=set)  # Thai "ร้อยละ 20"
    score_words: set[str] = field(default_factory=set)
    year_markers: set[str] = field(default_factory=set)  # words right before a year
    range_connectors: set[str] = field(default_factory=set)  # "-", "to", "hingga"
    between_words: set[str] = field(default_factory=set)  # "between", "antara": allow "and" after
    and_words: set[str] = field(default_factory=set)
    from_words: set[str] = field(default_factory=set)
    above_words: set[str] = field(default_factory=set)  # "more than" before the number
    below_words: set[str] = field(default_factory=set)
    above_after: set[str] = field(default_factory=set)  # "trở lên" after the figure
    below_after: set[str] = field(default_factory=set)
    approx_words: set[str] = field(default_factory=set)  # "about": outside the span, no effect
    id_markers: set[str] = field(default_factory=set)  # "nº", "số", "เลขที่": an identifier follows
    months: dict[str, int] = field(default_factory=dict)
    month_prefix: str = "(?!)"  # vi "tháng 7": month as a number
    era_be: str = "(?!)"  # Thai "พ.ศ."
    era_ce: str = "(?!)"
    noun_stop: set[str] = field(default_factory=set)  # words never taken as a counted noun
    classifiers: set[str] = field(default_factory=set)  # Thai counted-noun words
    # Words that hold a number word or a mark but name no figure: Vietnamese
    # "tỷ lệ" (rate, not "billion"), "điểm nhấn" (highlight, not "points"),
    # English "a real opportunity" (not one Brazilian real).
    not_figures: set[str] = field(default_factory=set)
    # Nouns that number a step in a sequence: "tahap 2", "fase 2", "runde 2",
    # "phase 2", "giai đoạn 2", Thai "ระยะ 2" are ORDINALs (the guidelines'
    # "ke-3", "thứ 3", "ที่ 2"); the noun stays outside the span, as ระยะ does
    # before "ที่ 2". Only right before the number.
    ordinal_nouns: set[str] = field(default_factory=set)
    # An ordinal prefix that is also a common preposition: Indonesian "ke 37"
    # is "the 37th" but "ke 37 lokasi" is "to 37 places". Read as an ordinal
    # only after ``ordinal_lead`` ("yang ke 37") or when no counted noun follows.
    loose_ordinal_prefix: str = "(?!)"
    ordinal_lead: str = "(?!)"
    # Words right after a bare 4-digit number that make it a year, as the
    # subject of "is/was/will/becomes" ("2025 er et viktig år", "2024 menjadi").
    year_after: set[str] = field(default_factory=set)
    # The word between a scale word and the counted noun: "39,2 milhões de
    # sacas" (pt "de"), "two million of them" (en "of"), "2 millioner av" (nb).
    scale_of: set[str] = field(default_factory=set)
    # Rate nouns: a bare decimal later in the same clause is a percentage
    # ("อัตราความยากจนลดลงเหลือ 0.42", "tỷ lệ hộ nghèo giảm còn 0,42", "the
    # poverty rate fell to 0.42"); integers are left alone ("rate of 5 cases").
    rate_words: set[str] = field(default_factory=set)
    # Documents a number names (directive, decree, resolution, article, law...):
    # "direktiv 27", "Instruksi 5 Tahun 2021", "Chỉ thị 27" are identifiers
    # (OTHER), the noun outside the span, as "nº 6" is one with its marker in.
    # They and ``id_markers`` win over a unit after the number: "Nomor 5 Tahun
    # 2020" is number 5 of the year 2020, not five years.
    reference_nouns: set[str] = field(default_factory=set)
    # An identifier marker that is also an everyday word: Vietnamese "số"
    # ("Quyết định số 27" but "tổng số 500 người", the total of 500 people):
    # an identifier only when no counted noun follows.
    loose_id_markers: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for name in (
            "adds",
            "mults",
            "scales",
            "teens",
            "dozens",
            "ordinals",
            "currencies",
            "prefix_currencies",
            "units",
            "months",
        ):
            setattr(self, name, {k.lower(): v for k, v in getattr(self, name).items()})


def word_bounds(lx: Lexicon) -> tuple[str, str]:
    """Regexes for the left and right edge of a word: letters may not touch it.

    Thai is written without spaces between words, so there it is no condition.
    """
    if lx.thai_script:
        return "", ""
    return r"(?<![^\W\d_])", r"(?![^\W\d_])"


def trie_pattern(words: object) -> str:
    """A regex matching any of ``words``, nested by common prefix ("m(?:il(?:h(?:ões|ão))?)").

    The regex engine then rejects a position after one character instead of
    trying each word in turn: the anchor scan over whole texts needs this to
    stay above 1 MB/s. Longer words are still preferred (greedy optional tails).
    """
    trie: dict[str, dict] = {}
    for w in {w for w in words if w}:  # type: ignore[attr-defined]
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            esc = r"\s+" if ch == " " else re.escape(ch)
            branches.append(esc + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    if not trie:
        return "(?!)"
    return build(trie)
