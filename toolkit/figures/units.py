"""Currencies and units shared by every language (symbols, ISO codes, SI abbreviations).

Per-language words ("kroner", "đồng", "ringgit") are in ``langs/<iso>.py``;
what is written the same in every language is here. Codes are ISO 4217 where
one exists; the bare dollar and pound signs stay "$" and "£" because the text
does not say which dollar, and "cent" stands for any hundredth (cent, øre, xu).
"""

from __future__ import annotations

from babel.numbers import get_currency_symbol

# The currencies the seeds and the conformance suite meet; babel gives their
# local symbols ("R$", "US$", "₫") so that we do not keep a list by hand.
ISO_CODES = [
    "USD",
    "EUR",
    "GBP",
    "JPY",
    "CNY",
    "INR",
    "IDR",
    "VND",
    "THB",
    "NOK",
    "SEK",
    "DKK",
    "BRL",
    "MYR",
    "SGD",
    "AUD",
    "CAD",
    "CHF",
    "NZD",
    "HKD",
    "KRW",
    "CZK",
    "PLN",
    "ZAR",
    "PKR",
    "AED",
    "KWD",
    "LBP",
    "EGP",
    "QAR",
    "SAR",
    "BGN",
    "ILS",
    "MNT",
    "UAH",
    "PTS",
    "KHR",
    "LAK",
    "MMK",
    "PHP",
    "RUB",
    "TWD",
]

SYMBOLS: dict[str, str] = {
    "$": "$",
    "£": "£",
    "€": "EUR",
    "¥": "JPY",
    "₫": "VND",
    "฿": "THB",
    "₹": "INR",
    "₩": "KRW",
    "¢": "cent",
    "US$": "USD",
    "U$": "USD",
    "R$": "BRL",
    "VN$": "VND",
    "VNĐ": "VND",
    "VND": "VND",
    "Rp": "IDR",
    "Rp.": "IDR",
    "Rs": "INR",
    "Rs.": "INR",
    "RM": "MYR",
    "S$": "SGD",
    "A$": "AUD",
    "C$": "CAD",
    "HK$": "HKD",
    "NZ$": "NZD",
    "kr": "NOK",
    "kr.": "NOK",
    "L.E": "EGP",
    "L.E.": "EGP",
}
for _code in ISO_CODES:
    SYMBOLS.setdefault(_code, _code)
    for _loc in ("en", "pt", "id", "vi"):
        try:
            _sym = get_currency_symbol(_code, locale=_loc)
        except Exception:  # babel lacks a few historic codes (PTS): keep the code
            continue
        # Single letters ("R", "E") are too ambiguous in running text.
        if len(_sym) > 1 or not _sym.isalpha():
            SYMBOLS.setdefault(_sym, _code)

# Symbols and codes may stand after the number too ("20€", "10 NOK", "3.14US$").
SUFFIX_SYMBOLS: dict[str, str] = {k: v for k, v in SYMBOLS.items() if k not in ("Rp.", "Rs.")}

# Physical and time units written alike in all six languages.
UNITS: dict[str, str] = {
    "ha": "ha",
    "km": "km",
    "km2": "km2",
    "km²": "km2",
    "m2": "m2",
    "m²": "m2",
    "m3": "m3",
    "m³": "m3",
    "m": "m",
    "cm": "cm",
    "mm": "mm",
    "kg": "kg",
    "k.g.": "kg",
    "k.gs": "kg",
    "kgs": "kg",
    "g": "g",
    "g.": "g",
    "gs": "g",
    "mg": "mg",
    "lb": "lb",
    "lbs": "lb",
    "oz": "oz",
    "l": "l",
    "ml": "ml",
    "kw": "kW",
    "mw": "MW",
    "kwh": "kWh",
    "mwh": "MWh",
    "km/h": "km/h",
    "°c": "°C",
    "tcn": "tcn",
}

# For comparing quantities written in different units, and for the
# conformance suite (Duckling reports masses in grams).
TO_BASE: dict[str, tuple[str, float]] = {
    "kg": ("g", 1000.0),
    "g": ("g", 1.0),
    "mg": ("g", 0.001),
    "ton": ("g", 1e6),
    "km": ("m", 1000.0),
    "m": ("m", 1.0),
    "cm": ("m", 0.01),
    "mm": ("m", 0.001),
}
