"""Figure kinds by family, across languages (issue 22): each family a rule in the
language tables (``toolkit/figures/langs``), tested over its words and numbers,
not over the seed sentence that showed it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.figures import extract_figures
from toolkit.figures.langs import lexicon

LANGS = ["id", "pt", "nb", "th", "vi", "en"]


def only(text: str, lang: str):
    figs = extract_figures(text, lang)
    assert len(figs) == 1, (text, figs)
    return figs[0]


# -- a percentage with the word before the number ("ร้อยละ 0.42") is a PERCENT -------


def _decimal(lang: str, whole: int, frac: int) -> str:
    return f"{whole}{lexicon(lang).decimal}{frac:02d}"


@pytest.mark.parametrize("lang", LANGS)
@settings(max_examples=25, deadline=None)
@given(whole=st.integers(0, 99), frac=st.integers(1, 99))
def test_percent_word_before_the_number(lang, whole, frac):
    lx = lexicon(lang)
    # one-word percent words ("por cento", "percentage point" are written after the number only)
    for word in sorted(lx.percent_prefix | {w for w in lx.percent_words if " " not in w}):
        num = _decimal(lang, whole, frac)
        sep = "" if lx.thai_script else " "
        f = only(f"naik {word} {num}{sep}" if not lx.thai_script else f"อัตรา{word} {num} ", lang)
        assert f.kind == "PERCENT" and f.text.endswith(num), (word, f)
        assert float(f.value) == pytest.approx(whole + frac / 100)


@pytest.mark.parametrize(
    "text,lang",
    [("อัตราเงินเฟ้อร้อยละ 0.42 ในปี 2567", "th"), ("ร้อยละ0.42", "th"), ("5 persen", "id"), ("5 por cento", "pt"),
     ("5 prosent", "nb"), ("5 phần trăm", "vi"), ("5 percent", "en")],
)  # fmt: skip
def test_percent_word_after_or_before(text, lang):
    assert extract_figures(text, lang)[0].kind == "PERCENT"


# -- a year as the subject ("2025 er et viktig år") is a YEAR, a count of things stays a COUNT --

YEAR_SENTENCES = {
    "id": "Bahkan {y} {w} tahun penting",
    "pt": "Para nós, {y} {w} um ano importante",
    "nb": "Han sa at {y} {w} et viktig år",
    "en": "He said {y} {w} an important year",
}


@pytest.mark.parametrize("lang", sorted(YEAR_SENTENCES))
@settings(max_examples=20, deadline=None)
@given(y=st.integers(1900, 2100))
def test_year_before_a_verb_is_a_year(lang, y):
    for w in sorted(lexicon(lang).year_after):
        f = extract_figures(YEAR_SENTENCES[lang].format(y=y, w=w), lang)[0]
        assert (f.kind, f.value, f.unit) == ("YEAR", y, None), (w, f)


@pytest.mark.parametrize(
    "text,lang,unit",
    [("hele provinsen 2052 modeller for", "nb", "modeller"), ("inkludert 1071 etniske minoriteter", "nb", "etniske"),
     ("Dari 1950 warga desa", "id", "warga"), ("foram 2010 pessoas", "pt", "pessoas")],
)  # fmt: skip
def test_a_year_like_count_before_its_noun_stays_a_count(text, lang, unit):
    f = extract_figures(text, lang)[0]
    assert (f.kind, f.unit) == ("COUNT", unit)


# -- phase/stage/round/step/level + number is an ORDINAL; the noun stays outside -----


@pytest.mark.parametrize("lang", LANGS)
@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 99))
def test_phase_number_is_an_ordinal(lang, n):
    lx = lexicon(lang)
    assert lx.ordinal_nouns, f"{lang}: no ordinal nouns"
    for noun in sorted(lx.ordinal_nouns):
        text = f"{noun} {n}" + ("" if lx.thai_script else " berikutnya")
        figs = extract_figures(f"x {text}", lang)
        assert [(f.kind, f.value, f.text) for f in figs] == [("ORDINAL", n, str(n))], (noun, figs)


@pytest.mark.parametrize(
    "text,lang", [("giai đoạn 2020 - 2025", "vi"), ("fase 2020-2025", "pt"), ("tahap 2021 hingga 2025", "id")]
)
def test_a_period_of_years_after_a_phase_noun_stays_years(text, lang):
    assert only(text, lang).kind == "YEAR"


def test_phase_in_the_seed_sentence():
    text = "pengerukan saluran ke pelabuhan Ky Ha tahap 2; investasi"
    assert [(f.text, f.kind) for f in extract_figures(text, "id")] == [("2", "ORDINAL")]


# -- number (word or digits) + time unit, any form of the unit, is a QUANTITY of time --

NB_TIME = {"år": "year", "året": "year", "årene": "year", "måneder": "month", "månedene": "month",
           "ukene": "week", "dagene": "day", "timene": "hour", "minuttene": "minute"}  # fmt: skip


@pytest.mark.parametrize("unit,canon", sorted(NB_TIME.items()))
@pytest.mark.parametrize("number,value", [("to", 2), ("tre", 3), ("fem", 5), ("12", 12)])
def test_norwegian_time_quantity(unit, canon, number, value):
    f = only(f"de siste {number} {unit} har", "nb")
    assert (f.kind, f.value, f.unit, f.text) == ("QUANTITY", value, canon, f"{number} {unit}")


@pytest.mark.parametrize(
    "text,lang,value,unit",
    [("selama dua tahun", "id", 2, "year"), ("durante dois anos", "pt", 2, "year"), ("trong hai năm qua", "vi", 2, "year"),
     ("for two years", "en", 2, "year"), ("เป็นเวลา 5 ปี", "th", 5, "year"), ("de to årene som kommer", "nb", 2, "year")],
)  # fmt: skip
def test_time_quantity_across_languages(text, lang, value, unit):
    f = only(text, lang)
    assert (f.kind, f.value, f.unit) == ("QUANTITY", value, unit)


# -- Indonesian "ke": an ordinal glued ("ke-37"), after "yang", or before no counted noun --


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 999))
def test_ke_before_a_counted_noun_is_to(n):
    f = only(f"bantuan dikirim ke {n} lokasi", "id")
    assert (f.kind, f.value, f.text, f.unit) == ("COUNT", n, str(n), "lokasi")
    for text, span in [(f"yang ke {n} lokasi", f"ke {n}"), (f"ulang tahun ke-{n} desa", f"ke-{n}"),
                       (f"peringkat ke {n} dari", f"ke {n}"), (f"Kongres ke {n} Komite", f"ke {n}"),
                       (f"menempati urutan ke {n}.", f"ke {n}")]:  # fmt: skip
        g = only(text, "id")
        assert (g.kind, g.value, g.text) == ("ORDINAL", n, span), text


# -- no span ends in punctuation --------------------------------------------------------


@pytest.mark.parametrize(
    "text,lang,want",
    [("pada tanggal 20 Januari.", "id", "20 Januari"), ("em 15 de outubro.", "pt", "15 de outubro"),
     ("den 15. november.", "nb", "15. november"), ("on 5 March, 2024.", "en", "5 March, 2024"),
     ("vào 7 tháng 1.", "vi", "7 tháng 1"), ("naik 5 persen.", "id", "5 persen"), ("Rp 1,5 juta.", "id", "Rp 1,5 juta"),
     ("30 kr.", "nb", "30 kr")],
)  # fmt: skip
def test_no_trailing_punctuation_in_a_span(text, lang, want):
    f = only(text, lang)
    assert f.text == want and text[f.start : f.end] == want


@settings(max_examples=50, deadline=None)
@given(
    lang=st.sampled_from(LANGS),
    words=st.lists(st.sampled_from(["20", "Januari", "2024", "5", "%", "ke-3", "tahun", "juta", "dan", ".", ",", ";"]),
                   min_size=1, max_size=8),
)  # fmt: skip
def test_no_span_ends_in_punctuation_anywhere(lang, words):
    text = " ".join(words)
    for f in extract_figures(text, lang):
        if f.kind != "ORDINAL":  # nb "4." carries its ordinal dot
            assert f.text[-1] not in ".,;:!?", f


def test_norwegian_ordinal_keeps_its_dot():
    assert (only("4.", "nb").kind, only("4.", "nb").text) == ("ORDINAL", "4.")


# -- the counted noun is the unit of a COUNT, also after a scale word and its "of" ----


@pytest.mark.parametrize(
    "text,lang,unit",
    [("sebanyak 12.500 warga", "id", "warga"), ("39,2 milhões de sacas", "pt", "sacas"), ("2 juta warga", "id", "warga"),
     ("1 milhão de pessoas", "pt", "pessoas"), ("12.500 pessoas", "pt", "pessoas"), ("3 millioner innbyggere", "nb", "innbyggere"),
     ("2 million people", "en", "people"), ("2 triệu người", "vi", "người"), ("500 หลังคาเรือน", "th", "หลังคาเรือน")],
)  # fmt: skip
def test_counted_noun_is_the_unit(text, lang, unit):
    f = only(text, lang)
    assert (f.kind, f.unit) == ("COUNT", unit)


@pytest.mark.parametrize(
    "text,lang", [("39,2 milhões de reais", "pt"), ("2 juta rupiah", "id"), ("165,34 bilhões de VND", "pt")]
)
def test_a_currency_after_the_scale_is_money_not_a_unit(text, lang):
    assert only(text, lang).kind == "MONEY"


# -- a bare decimal in a clause opened by a rate word is a PERCENT ---------------------


@pytest.mark.parametrize(
    "text,lang",
    [("อัตราความยากจนลดลงเหลือ 0.42\nนอกจากนี้", "th"), ("tỷ lệ hộ nghèo giảm còn 0,42.", "vi"),
     ("the poverty rate fell to 0.42.", "en"), ("tingkat kemiskinan turun menjadi 9,36", "id"),
     ("a taxa de pobreza caiu para 0,42", "pt"), ("andelen fattige falt til 0,42", "nb")],
)  # fmt: skip
def test_rate_then_decimal_is_a_percent(text, lang):
    f = only(text, lang)
    assert (f.kind, f.value) == ("PERCENT", 0.42 if "9,36" not in text else 9.36)


@pytest.mark.parametrize(
    "text,lang,kind",
    [("(6 di tingkat distrik, 121 di tingkat komune)", "id", "COUNT"), ("di tingkat distrik 1,5 juta warga", "id", "COUNT"),
     ("the rate fell to 0.42 points", "en", "SCORE"), ("the rate of 5 cases", "en", "COUNT"),
     ("tỷ lệ. Còn 0,42", "vi", "COUNT")],
)  # fmt: skip
def test_rate_word_leaves_integers_nouns_and_other_clauses_alone(text, lang, kind):
    assert extract_figures(text, lang)[-1].kind == kind


# -- a number naming a document is an identifier (OTHER), and wins over a unit after it ----


@pytest.mark.parametrize("lang", LANGS)
@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 999))
def test_document_noun_then_number_is_an_identifier(lang, n):
    lx = lexicon(lang)
    assert lx.reference_nouns, f"{lang}: no reference nouns"
    for noun in sorted(lx.reference_nouns):
        figs = extract_figures(f"x {noun} {n}" + ("" if lx.thai_script else " x"), lang)
        assert [(f.kind, f.value, f.text) for f in figs] == [("OTHER", n, str(n))], (noun, figs)


@pytest.mark.parametrize(
    "text,lang,want",
    [("Undang-Undang Nomor 11 Tahun 2020", "id", [("Nomor 11", "OTHER"), ("2020", "YEAR")]),
     ("Instruksi 5 Tahun 2021", "id", [("5", "OTHER"), ("2021", "YEAR")]),
     ("i henhold til direktiv 27 fra Phuoc Son", "nb", [("27", "OTHER")]),
     ("Quyết định số 27 của", "vi", [("số 27", "OTHER")]), ("Regulamento nº 6 do", "pt", [("nº 6", "OTHER")]),
     ("Resolution 2024 was", "en", [("2024", "YEAR")])],
)  # fmt: skip
def test_identifiers_in_context(text, lang, want):
    assert [(f.text, f.kind) for f in extract_figures(text, lang)] == want


@pytest.mark.parametrize("noun", ["người", "hộ", "xã"])
@pytest.mark.parametrize("n", [5, 127, 500])
def test_vietnamese_so_before_a_counted_noun_is_a_count(noun, n):
    f = only(f"tổng số {n} {noun} tham gia", "vi")
    assert (f.kind, f.value, f.text) == ("COUNT", n, str(n))


@pytest.mark.parametrize(
    "text,want",
    [("yang ke tiga", ("ke tiga", "ORDINAL", 3)), ("peringkat ke tiga dari", ("ke tiga", "ORDINAL", 3)),
     ("dikirim ke tiga lokasi", ("tiga", "COUNT", 3)), ("ke-tiga", ("ke-tiga", "ORDINAL", 3)),
     ("ketiga", ("ketiga", "ORDINAL", 3))],
)  # fmt: skip
def test_ke_before_a_number_word_follows_the_same_rule(text, want):
    f = only(text, "id")
    assert (f.text, f.kind, f.value) == want
