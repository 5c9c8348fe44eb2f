"""Indonesian."""

from __future__ import annotations

from toolkit.figures.langs import DASHES
from toolkit.figures.lexicon import Lexicon
from toolkit.figures.months import months_of

BASE = {"nol": 0, "kosong": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
        "tujuh": 7, "delapan": 8, "sembilan": 9}  # fmt: skip
ADDS = {**BASE, "sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000, "sejuta": 10**6, "se": 1}
ORDINALS = {"pertama": 1, "kesatu": 1, "kesepuluh": 10, "kesebelas": 11, "keseratus": 100}
for _w, _v in BASE.items():
    if _v > 1:
        ORDINALS["ke" + _w] = _v

CURRENCIES = {
    "dolar": "$", "dollar": "$", "dolar as": "USD", "dolar amerika": "USD", "dolar amerika serikat": "USD",
    "sen": "cent", "euro": "EUR", "euros": "EUR", "rupiah": "IDR", "pound": "£", "pound sterling": "£",
    "poundsterling": "£", "yen": "JPY", "¥.": "JPY", "dong": "VND", "dong vietnam": "VND", "ringgit": "MYR",
    "baht": "THB", "yuan": "CNY", "won": "KRW", "rupee": "INR", "rupe": "INR",
}  # fmt: skip

LEXICON = Lexicon(
    lang="id",
    decimal=",",
    adds=ADDS,
    mults={"puluh": 10, "ratus": 100},
    scales={"ribu": 1000, "juta": 10**6, "miliar": 10**9, "milyar": 10**9, "triliun": 10**12},
    teens={"belas": 10},
    dozens={"lusin": 12},
    weak={"se", "kosong"},
    connectors=set(),
    point_words={"koma"},
    negative_words={"minus", "negatif"},
    ordinals=ORDINALS,
    ordinal_prefix=r"(?:ke-\s?|ke(?=\d))",  # "ke 37": see loose_ordinal_prefix
    currencies=CURRENCIES,
    subunits={"sen"},
    units={
        "hektar": "ha",
        "hektare": "ha",
        "kilometer": "km",
        "meter": "m",
        "ton": "ton",
        "kilogram": "kg",
        "gram": "g",
        "liter": "l",
        "tahun": "year",
        "bulan": "month",
        "minggu": "week",
        "hari": "day",
        "jam": "hour",
        "menit": "minute",
    },  # fmt: skip
    percent_words={"persen", "per sen", "prosen"},
    score_words={"poin", "angka"},
    year_markers={
        "tahun",
        "pada",
        "sejak",
        "hingga",
        "sampai",
        "sebelum",
        "setelah",
        "dan",
        "periode",
        "masa",
        "akhir",
        "awal",
    },
    range_connectors=DASHES | {"hingga", "sampai", "s/d", "s.d.", "sampai dengan"},
    between_words={"antara"},
    and_words={"dan"},
    from_words={"dari", "mulai"},
    above_words={
        "lebih dari",
        "di atas",
        "melebihi",
        "melewati",
        "minimal",
        "sedikitnya",
        "setidaknya",
        "paling sedikit",
    },
    below_words={
        "kurang dari",
        "di bawah",
        "tidak sampai",
        "lebih murah dari",
        "maksimal",
        "paling banyak",
        "tidak lebih dari",
    },
    approx_words={"sekitar", "kira-kira", "kurang lebih", "sebanyak", "hampir", "tepat", "sejumlah"},
    id_markers={"no.", "nomor", "no", "nr."},
    months=months_of("id"),
    noun_stop={
        "di",
        "pada",
        "dan",
        "dari",
        "ke",
        "yang",
        "untuk",
        "dengan",
        "dalam",
        "atau",
        "ini",
        "itu",
        "per",
        "oleh",
    },
    ordinal_nouns={
        "tahap",
        "tahapan",
        "fase",
        "babak",
        "putaran",
        "ronde",
        "langkah",
        "tingkat",
        "level",
        "gelombang",
        "termin",
        "etape",
        "jilid",
    },  # fmt: skip
    loose_ordinal_prefix=r"ke\s",
    ordinal_lead=r"yang",
    year_after={
        "adalah",
        "merupakan",
        "menjadi",
        "akan",
        "telah",
        "sudah",
        "lalu",
        "ini",
        "silam",
        "mendatang",
        "nanti",
    },  # fmt: skip
    rate_words={"tingkat", "angka", "persentase", "rasio", "laju"},
    reference_nouns={
        "peraturan",
        "instruksi",
        "inpres",
        "perpres",
        "keppres",
        "perda",
        "permen",
        "uu",
        "undang-undang",
        "pasal",
        "ayat",
        "resolusi",
        "direktif",
        "surat edaran",
    },  # fmt: skip
)
