"""Norwegian Bokmål."""

from __future__ import annotations

from toolkit.figures.langs import DASHES
from toolkit.figures.lexicon import Lexicon
from toolkit.figures.months import months_of

BASE = {"null": 0, "en": 1, "én": 1, "ett": 1, "et": 1, "ei": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5,
        "seks": 6, "sju": 7, "syv": 7, "åtte": 8, "ni": 9}  # fmt: skip
ADDS = {**BASE, "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15,
        "seksten": 16, "sytten": 17, "søtten": 17, "atten": 18, "nitten": 19, "et par": 2, "par": 2}  # fmt: skip
TENS = {"tjue": 20, "tyve": 20, "tretti": 30, "tredve": 30, "førti": 40, "femti": 50, "seksti": 60,
        "sytti": 70, "søtti": 70, "åtti": 80, "nitti": 90}  # fmt: skip
ADDS.update(TENS)
for _t, _tv in TENS.items():  # "tjuefem", "trettién": Norwegian writes 21-99 as one word
    for _u, _uv in BASE.items():
        if 1 <= _uv <= 9 and _u not in ("ett", "et", "ei"):
            ADDS[_t + _u] = _tv + _uv

ORD_BASE = {"første": 1, "andre": 2, "annen": 2, "tredje": 3, "fjerde": 4, "femte": 5, "sjette": 6,
            "sjuende": 7, "syvende": 7, "åttende": 8, "niende": 9, "tiende": 10, "ellevte": 11,
            "tolvte": 12, "trettende": 13, "fjortende": 14, "femtende": 15, "sekstende": 16,
            "syttende": 17, "attende": 18, "nittende": 19, "tjuende": 20, "trettiende": 30,
            "førtiende": 40, "femtiende": 50, "hundrede": 100}  # fmt: skip
ORDINALS = dict(ORD_BASE)
for _t, _tv in TENS.items():
    for _o, _ov in ORD_BASE.items():
        if _ov < 10:
            ORDINALS[_t + _o] = _tv + _ov

# Currency phrases: an optional country adjective before the noun decides
# which krone or dollar ("svenske kroner" is SEK, "kroner" alone is NOK).
_NOUNS = {
    "dollar": ["dollar", "dollars"], "krone": ["kroner", "krone", "kr", "kr."], "krona": ["kronor", "krona"],
    "franc": ["franc", "francs"], "yuan": ["yuan"], "renminbi": ["renminbi"], "koruna": ["koruna"],
    "rupee": ["rupi", "rupier", "rupee", "rupees"], "yen": ["yen"], "zloty": ["zloty", "sloty"],
    "baht": ["baht", "bhat"], "rand": ["rand"], "euro": ["euro", "euros"], "pund": ["pund"],
    "dong": ["dong", "vietnamesiske dong"],
}  # fmt: skip
_ADJ = {
    None: {"dollar": "$", "krone": "NOK", "krona": "SEK", "franc": "CHF", "yuan": "CNY", "renminbi": "CNY",
           "koruna": "CZK", "rupee": "INR", "yen": "JPY", "zloty": "PLN", "baht": "THB", "rand": "ZAR",
           "euro": "EUR", "pund": "£", "dong": "VND"},
    "norske": {"krone": "NOK"}, "norsk": {"krone": "NOK"},
    "svenske": {"krone": "SEK", "krona": "SEK"}, "svensk": {"krone": "SEK", "krona": "SEK"},
    "danske": {"krone": "DKK"}, "dansk": {"krone": "DKK"},
    "amerikanske": {"dollar": "USD"}, "amerikansk": {"dollar": "USD"}, "us": {"dollar": "USD"},
    "australske": {"dollar": "AUD"}, "kanadiske": {"dollar": "CAD"}, "canadiske": {"dollar": "CAD"},
    "singapore": {"dollar": "SGD"}, "singaporske": {"dollar": "SGD"},
    "new zealand": {"dollar": "NZD"}, "new zealandske": {"dollar": "NZD"}, "nz": {"dollar": "NZD"},
    "hong kong": {"dollar": "HKD"}, "hongkong": {"dollar": "HKD"},
    "sveitsiske": {"franc": "CHF"}, "sveitsisk": {"franc": "CHF"},
    "kinesiske": {"yuan": "CNY", "renminbi": "CNY"}, "kinesisk": {"yuan": "CNY", "renminbi": "CNY"},
    "tsjekkiske": {"koruna": "CZK"}, "tsjekkisk": {"koruna": "CZK"},
    "indiske": {"rupee": "INR"}, "indisk": {"rupee": "INR"},
    "pakistanske": {"rupee": "PKR"}, "pakistansk": {"rupee": "PKR"},
    "japanske": {"yen": "JPY"}, "japansk": {"yen": "JPY"},
    "polske": {"zloty": "PLN"}, "polsk": {"zloty": "PLN"},
    "thai": {"baht": "THB"}, "thailand": {"baht": "THB"}, "thailandske": {"baht": "THB"},
    "sørafrikanske": {"rand": "ZAR"}, "sør-afrikanske": {"rand": "ZAR"},
    "britiske": {"pund": "GBP"}, "vietnamesiske": {"dong": "VND"},
}  # fmt: skip
CURRENCIES: dict[str, str] = {}
for _adj, _table in _ADJ.items():
    for _family, _code in _table.items():
        for _noun in _NOUNS[_family]:
            CURRENCIES[_noun if _adj is None else f"{_adj} {_noun}"] = _code
SUBUNITS = {"cent", "cents", "øre", "öre", "rappen", "rappens", "rp", "rap", "centime", "centimes", "c",
            "centesimo", "centesimi", "ct", "fen", "haleru", "groszy", "paise", "paisa", "satang", "pence",
            "penny", "pennies", "¢", "ører", "örer", "p"}  # fmt: skip
for _s in SUBUNITS:
    CURRENCIES.setdefault(_s, "cent")

LEXICON = Lexicon(
    lang="nb",
    decimal=",",
    space_groups=True,
    adds=ADDS,
    mults={"hundre": 100, "hundrede": 100},
    scales={
        "tusen": 1000,
        "million": 10**6,
        "millioner": 10**6,
        "mill.": 10**6,
        "mill": 10**6,
        "milliard": 10**9,
        "milliarder": 10**9,
        "mrd.": 10**9,
        "mrd": 10**9,
        "billion": 10**12,
        "billioner": 10**12,
        "billiard": 10**15,
        "billiarder": 10**15,
        "trillion": 10**18,
        "trillioner": 10**18,
        "trilliard": 10**21,
        "trilliarder": 10**21,
        "kvadrillion": 10**24,
        "kvadrillioner": 10**24,
        "kvadrilliard": 10**27,
        "kvadrilliarder": 10**27,
    },  # fmt: skip
    dozens={"dusin": 12},
    weak={"en", "én", "ett", "et", "ei", "et par", "par"},
    connectors={"og"},
    point_words={"komma"},
    negative_words={"minus", "negativ"},
    ordinals=ORDINALS,
    weak_ordinals={"andre", "annen"},
    ordinal_suffix=r"\.(?=\s+(?:plass|gang|klasse|etasje|runde|kongress|generasjon|utgave|årsdag|juledag|påskedag)\b|\s*$)",
    currencies=CURRENCIES,
    prefix_currencies={"kr": "NOK", "kr.": "NOK", "nok": "NOK"},
    subunits=SUBUNITS,
    units={
        "hektar": "ha",
        "dekar": "daa",
        "daa": "daa",
        "kilometer": "km",
        "meter": "m",
        "tonn": "ton",
        "kilo": "kg",
        "kilogram": "kg",
        "gram": "g",
        "liter": "l",
        # the definite and plural forms too: "de siste to årene" is a time span, as "to år" is
        "år": "year",
        "året": "year",
        "årene": "year",
        "års": "year",
        "måneden": "month",
        "månedene": "month",
        "uka": "week",
        "uken": "week",
        "ukene": "week",
        "dagen": "day",
        "dagene": "day",
        "døgn": "day",
        "døgnet": "day",
        "døgnene": "day",
        "timen": "hour",
        "timene": "hour",
        "minutt": "minute",
        "minuttet": "minute",
        "minuttene": "minute",
        "måneder": "month",
        "måned": "month",
        "uker": "week",
        "uke": "week",
        "dager": "day",
        "dag": "day",
        "timer": "hour",
        "time": "hour",
        "minutter": "minute",
    },  # fmt: skip
    percent_words={"prosent", "prosentpoeng"},
    score_words={"poeng"},
    year_markers={
        "i",
        "innen",
        "år",
        "siden",
        "fra",
        "til",
        "og",
        "før",
        "etter",
        "perioden",
        "høsten",
        "våren",
        "sommeren",
        "vinteren",
        "for",
    },
    range_connectors=DASHES | {"til"},
    between_words={"mellom"},
    and_words={"og"},
    from_words={"fra"},
    above_words={"over", "mer enn", "flere enn", "minst", "i overkant av"},
    below_words={"under", "mindre enn", "færre enn", "opptil", "inntil", "høyst"},
    approx_words={"rundt", "omtrent", "cirka", "ca.", "ca", "om lag", "nesten", "nøyaktig", "hele", "totalt"},
    id_markers={"nr.", "nr", "nummer", "no."},
    months=months_of("nb"),
    noun_stop={
        "i",
        "på",
        "og",
        "av",
        "til",
        "for",
        "med",
        "som",
        "er",
        "en",
        "et",
        "ei",
        "om",
        "fra",
        "har",
        "var",
        "ble",
        "det",
        "den",
        "de",
    },
    ordinal_nouns={"fase", "trinn", "runde", "steg", "nivå", "etappe", "omgang"},
    year_after={"er", "var", "blir", "ble", "blei", "vil", "skal", "har", "hadde"},
    scale_of={"av"},
    rate_words={"andel", "andelen", "rate", "raten", "prosentandel", "prosentandelen"},
    reference_nouns={
        "direktiv",
        "direktivet",
        "forskrift",
        "forskriften",
        "resolusjon",
        "resolusjonen",
        "lov",
        "paragraf",
        "artikkel",
        "instruks",
        "instruksen",
        "rundskriv",
        "kunngjøring",
    },  # fmt: skip
)
