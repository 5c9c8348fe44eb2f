"""term_missing: glossary terms of the source without an allowed target form, every source language into en and vi."""

from __future__ import annotations

import pytest

from toolkit.checks import check_pair, parse_glossary, term_flags

GLOSSARY = parse_glossary(
    "# test glossary\n"
    "Nui Thanh\teng_Latn\tNui Thanh\n"
    "Nui Thanh\tvie_Latn\tNúi Thành\n"
    "mobilisasi massa\ten\tmass mobilization|mass mobilisation\tid\n"
    "mobilisasi massa\tvie_Latn\tdân vận\tind_Latn\n"
    "mobilização em massa\teng_Latn\tmass mobilization\tpor_Latn\n"
    "mobilização em massa\tvie_Latn\tdân vận\tpor_Latn\n"
    "Thang Binh\teng_Latn\tThang Binh\n"
    "Thang Binh\tvie_Latn\tThăng Bình\n"
    "massemobiliseringsarbeidet\teng_Latn\tmass mobilization work\tnob_Latn\n"
    "massemobiliseringsarbeidet\tvie_Latn\tcông tác dân vận\tnob_Latn\n"
    "ระดมมวลชน\teng_Latn\tmass mobilization\ttha_Thai\n"
    "ระดมมวลชน\tvie_Latn\tdân vận\ttha_Thai\n",
    "test.tsv",
)

ID_SRC = "Seluruh distrik Nui Thanh telah fokus pada pelaksanaan kerja mobilisasi massa administratif."
PT_SRC = "Em 2024, Binh Thuan alcançou resultados extraordinários no trabalho de mobilização em massa."
NB_SRC = "Herr Le Quang Hat – visesekretær i Thang Binh-distriktets partikomité – leder massemobiliseringsarbeidet."
TH_SRC = "คณะกรรมการพรรคฮานอยมุ่งเน้นไปที่การนำงานระดมมวลชนไปปฏิบัติอย่างมีประสิทธิภาพ"

# (source language, source, target, translation, terms due to be reported)
CASES = [
    (
        "ind_Latn",
        ID_SRC,
        "eng_Latn",
        "The whole Nui Thanh district has focused on carrying out administrative mass mobilization work.",
        [],
    ),
    (
        "ind_Latn",
        ID_SRC,
        "eng_Latn",
        "The whole Nui Thanh district has focused on carrying out administrative mass mobilisation work.",
        [],
    ),
    (
        "ind_Latn",
        ID_SRC,
        "eng_Latn",
        "The whole Nui Thanh district has focused on carrying out administrative work to mobilize the masses.",
        ["mobilisasi massa"],
    ),
    ("ind_Latn", ID_SRC, "vie_Latn", "Toàn huyện Núi Thành đã tập trung thực hiện công tác dân vận chính quyền.", []),
    (
        "ind_Latn",
        ID_SRC,
        "vie_Latn",
        "Toàn huyện Nui Thanh đã tập trung thực hiện công tác vận động quần chúng.",
        ["Nui Thanh", "mobilisasi massa"],
    ),
    (
        "por_Latn",
        PT_SRC,
        "eng_Latn",
        "In 2024, Binh Thuan achieved extraordinary results in mass mobilization work.",
        [],
    ),
    (
        "por_Latn",
        PT_SRC,
        "eng_Latn",
        "In 2024, Binh Thuan achieved extraordinary results in mobilizing the masses.",
        ["mobilização em massa"],
    ),
    ("por_Latn", PT_SRC, "vie_Latn", "Năm 2024, Bình Thuận đạt kết quả nổi bật trong công tác dân vận.", []),
    (
        "por_Latn",
        PT_SRC,
        "vie_Latn",
        "Năm 2024, Bình Thuận đạt kết quả nổi bật trong công tác vận động quần chúng.",
        ["mobilização em massa"],
    ),
    (
        "nob_Latn",
        NB_SRC,
        "eng_Latn",
        "Mr. Le Quang Hat, deputy secretary of the Thang Binh district party committee, leads the mass mobilization work.",
        [],
    ),
    (
        "nob_Latn",
        NB_SRC,
        "eng_Latn",
        "Mr. Le Quang Hat, deputy secretary of the Thang Binh district party committee, leads the mass mobilisation.",
        ["massemobiliseringsarbeidet"],
    ),
    (
        "nob_Latn",
        NB_SRC,
        "vie_Latn",
        "Ông Lê Quang Hát, Phó Bí thư Huyện ủy Thăng Bình, lãnh đạo công tác dân vận.",
        [],
    ),
    (
        "nob_Latn",
        NB_SRC,
        "vie_Latn",
        "Ông Lê Quang Hát, Phó Bí thư Huyện ủy Thang Binh, lãnh đạo công tác dân vận.",
        ["Thang Binh"],
    ),
    (
        "tha_Thai",
        TH_SRC,
        "eng_Latn",
        "The Hanoi Party Committee focused on putting mass mobilization work into practice effectively.",
        [],
    ),
    (
        "tha_Thai",
        TH_SRC,
        "eng_Latn",
        "The Hanoi Party Committee focused on effectively mobilizing the people.",
        ["ระดมมวลชน"],
    ),
    ("tha_Thai", TH_SRC, "vie_Latn", "Thành ủy Hà Nội tập trung triển khai hiệu quả công tác dân vận.", []),
    ("tha_Thai", TH_SRC, "vie_Latn", "Thành ủy Hà Nội tập trung vận động nhân dân một cách hiệu quả.", ["ระดมมวลชน"]),
]


@pytest.mark.parametrize(("src_lang", "src", "target", "mt", "terms"), CASES)
def test_term_missing(src_lang: str, src: str, target: str, mt: str, terms: list[str]) -> None:
    flags = term_flags(src, mt, src_lang, target, GLOSSARY)
    assert [f.code for f in flags] == ["term_missing"] * len(terms)
    for flag, term in zip(flags, terms, strict=True):
        assert repr(term) in flag.detail


def test_entries_apply_only_to_their_pair_and_whole_words() -> None:
    assert GLOSSARY.problems == []
    # The Portuguese term is not looked for in an Indonesian source.
    mt = "Mobilização em massa in 2024."
    assert term_flags("Mobilização em massa di 2024.", mt, "ind_Latn", "eng_Latn", GLOSSARY) == []
    # A term inside another word is not the term.
    assert term_flags("Nui Thanhs 2024.", "2024.", "ind_Latn", "eng_Latn", GLOSSARY) == []
    # No glossary, no term check; check_pair passes its glossary on.
    assert term_flags(ID_SRC, "Work.", "ind_Latn", "eng_Latn", None) == []
    flags = check_pair(
        ID_SRC, "Mass mobilization in the district.", "ind_Latn", "eng_Latn", [], [], lambda t: "en", GLOSSARY
    )
    assert [f.detail for f in flags if f.code == "term_missing"] == ["'Nui Thanh' should stay as it is"]
