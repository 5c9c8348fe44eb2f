"""untranslated and name_missing: pairs that must and must not fire, from every source language into en and vi."""

from __future__ import annotations

import pytest

from toolkit.checks import name_flags, untranslated_flags
from toolkit.checks.names import latin_names
from toolkit.checks.text import fold

ID_SINH = (
    "Bapak Le Van Sinh - Ketua Komite Rakyat Distrik Nui Thanh mengatakan bahwa seluruh distrik telah fokus "
    "pada kerja mobilisasi massa."
)
PT_BINH_THUAN = "Em 2024, Binh Thuan alcançou resultados extraordinários no trabalho de mobilização em massa."
NB_HAT = (
    "Herr Le Quang Hat – visesekretær i Thang Binh-distriktets partikomité – sa at den stående komiteen fokuserer "
    "på massemobiliseringsarbeidet."
)
TH_HUYEN = "ประธานสมาคมเกษตรกรของชุมชน Cam Due (Cam Xuyen) Dau Thi Huyen กล่าวว่าการประชุมเสวนานี้เป็นโอกาสอันแท้จริง"
TH_THAI_NAMES = "นายเหงียน วัน ฮวีเญน กล่าวที่ห่าติ๋ญว่า นายบุ้ย หนัาซาม มาแล้ว"

# (source language, source, target, translation, names due to be reported missing)
NAME_CASES = [
    (
        "ind_Latn",
        ID_SINH,
        "eng_Latn",
        "Mr. Le Van Sinh, Chairman of the Nui Thanh District People's Committee, said that the whole district had "
        "focused on mass mobilization work.",
        [],
    ),
    (
        "ind_Latn",
        ID_SINH,
        "eng_Latn",
        "Mr. Le Van Sinh, Chairman of the District People's Committee, said that the whole district had focused on "
        "mass mobilization work.",
        ["Nui Thanh"],
    ),
    (
        "ind_Latn",
        ID_SINH,
        "vie_Latn",
        "Ông Lê Văn Sinh, Chủ tịch UBND huyện Núi Thành, cho biết toàn huyện đã tập trung vào công tác dân vận.",
        [],
    ),
    (
        "ind_Latn",
        ID_SINH,
        "vie_Latn",
        "Ông Lê Văn Sinh, Chủ tịch UBND huyện, cho biết toàn huyện đã tập trung vào công tác dân vận.",
        ["Nui Thanh"],
    ),
    (
        "por_Latn",
        PT_BINH_THUAN,
        "eng_Latn",
        "In 2024, Binh Thuan achieved extraordinary results in mass mobilization work.",
        [],
    ),
    (
        "por_Latn",
        PT_BINH_THUAN,
        "eng_Latn",
        "In 2024, Binh Duong achieved extraordinary results in mass mobilization work.",
        ["Binh Thuan"],
    ),
    ("por_Latn", PT_BINH_THUAN, "vie_Latn", "Năm 2024, Bình Thuận đạt kết quả nổi bật trong công tác dân vận.", []),
    (
        "por_Latn",
        PT_BINH_THUAN,
        "vie_Latn",
        "Năm 2024, Bình Dương đạt kết quả nổi bật trong công tác dân vận.",
        ["Binh Thuan"],
    ),
    (
        "nob_Latn",
        NB_HAT,
        "eng_Latn",
        "Mr. Le Quang Hat, deputy secretary of the Thang Binh District Party Committee, said that the standing "
        "committee focuses on mass mobilization work.",
        [],
    ),
    (
        "nob_Latn",
        NB_HAT,
        "eng_Latn",
        "Mr. Le Quang, deputy secretary of the Thang Binh District Party Committee, said that the standing "
        "committee focuses on mass mobilization work.",
        ["Le Quang Hat"],
    ),
    (
        "nob_Latn",
        NB_HAT,
        "vie_Latn",
        "Ông Lê Quang Hát, Phó Bí thư Huyện ủy Thăng Bình, cho biết Ban Thường vụ tập trung vào công tác dân vận.",
        [],
    ),
    (
        "nob_Latn",
        NB_HAT,
        "vie_Latn",
        "Ông Lê Quang Hát, Phó Bí thư Huyện ủy Thăng Long, cho biết Ban Thường vụ tập trung vào công tác dân vận.",
        ["Thang Binh"],
    ),
    (
        "tha_Thai",
        TH_HUYEN,
        "eng_Latn",
        "Dau Thi Huyen, chairwoman of the Farmers' Association of Cam Due commune (Cam Xuyen), said that this "
        "dialogue was a real opportunity.",
        [],
    ),
    (
        "tha_Thai",
        TH_HUYEN,
        "eng_Latn",
        "The chairwoman of the commune's Farmers' Association said that this dialogue was a real opportunity.",
        ["Cam Due", "Cam Xuyen", "Dau Thi Huyen"],
    ),
    (
        "tha_Thai",
        TH_HUYEN,
        "vie_Latn",
        "Bà Đậu Thị Huyền, Chủ tịch Hội Nông dân xã Cẩm Duệ (Cẩm Xuyên), cho biết buổi đối thoại này là cơ hội thực sự.",
        [],
    ),
    (
        "tha_Thai",
        TH_HUYEN,
        "vie_Latn",
        "Bà Đậu Thị Huyền, Chủ tịch Hội Nông dân xã (Cẩm Xuyên), cho biết buổi đối thoại này là cơ hội thực sự.",
        ["Cam Due"],
    ),
    # Names in Thai script are not this check's business.
    ("tha_Thai", TH_THAI_NAMES, "eng_Latn", "Mr. Nguyen Van Huyen said in Ha Tinh that Mr. Bui Nam Sam had come.", []),
    ("tha_Thai", TH_THAI_NAMES, "vie_Latn", "Ông nói rằng ông đã đến.", []),
]


@pytest.mark.parametrize(("src_lang", "src", "target", "mt", "missing"), NAME_CASES)
def test_name_missing(src_lang: str, src: str, target: str, mt: str, missing: list[str]) -> None:
    flags = name_flags(src, mt, src_lang, target)
    assert [f.code for f in flags] == ["name_missing"] * len(missing)
    for flag, name in zip(flags, missing, strict=True):
        assert repr(name) in flag.detail


def test_names_are_vietnamese_syllables_not_capitalised_words() -> None:
    assert latin_names(ID_SINH, "ind_Latn") == ["Le Van Sinh", "Nui Thanh"]
    src = "Resolusi Kongres ke-22 Komite Partai Distrik Nui Thanh (masa jabatan 2020 - 2025) telah menunjukkan tugas."
    assert latin_names(src, "ind_Latn") == ["Nui Thanh"]
    src = "investasi dalam bisnis infrastruktur Taman Industri THACO Chu Lai (451 ha); jalan pesisir Vo Chi Cong..."
    assert latin_names(src, "ind_Latn") == ["Chu Lai", "Vo Chi Cong"]
    # A sentence-initial common word is not part of the name ("Em", "I"); all capitals count (a photo credit).
    assert latin_names(PT_BINH_THUAN, "por_Latn") == ["Binh Thuan"]
    src = "I Thang Binh-distriktet har gjennomføringen av prosjekter møtt mange vanskeligheter. Foto: TAM DAN"
    assert latin_names(src, "nob_Latn") == ["Thang Binh", "TAM DAN"]
    assert latin_names(NB_HAT, "nob_Latn") == ["Le Quang Hat", "Thang Binh"]
    assert latin_names(TH_HUYEN, "tha_Thai") == ["Cam Due", "Cam Xuyen", "Dau Thi Huyen"]
    assert latin_names(TH_THAI_NAMES, "tha_Thai") == []


def test_name_matching_is_folded() -> None:
    assert fold("Núi Thành") == fold("NUI THANH") == fold("Nui-Thanh") == "nui thanh"
    assert fold("Đậu Thị Huyền") == "dau thi huyen"
    # Written together, as English does with some city names.
    assert name_flags("Ha Noi er hovedstaden.", "Hanoi is the capital.", "nob_Latn", "eng_Latn") == []
    # Sentence-initial "Ha" is also a Norwegian word: the name still must not vanish.
    assert [f.code for f in name_flags("Ha Noi er hovedstaden.", "The capital.", "nob_Latn", "eng_Latn")] == [
        "name_missing"
    ]
    # A name inside another word is not found.
    assert [f.code for f in name_flags(PT_BINH_THUAN, "In 2024, Binh Thuanese results.", "por_Latn", "eng_Latn")] == [
        "name_missing"
    ]
    # A non-Latin target is not checked.
    assert name_flags(ID_SINH, "นายเล วัน ซินห์ กล่าว", "ind_Latn", "tha_Thai") == []


ID_FOCUS = "Fokus pada mobilisasi massa pemerintah yang dipadukan dengan reformasi prosedur administrasi."
PT_CONTEXT = (
    "No contexto de inovação e integração, o trabalho de mobilização em massa não é apenas uma tarefa política."
)
NB_FOCUS = "Fokuset er på å effektivt koordinere gjennomføringen av arbeidet med å mobilisere folk."
TH_WORK = "การทำงานของระบบระดมมวลชนมีความสอดคล้องและมีประสิทธิภาพ"

UNTRANSLATED_CASES = [
    (
        "ind_Latn",
        ID_FOCUS,
        "eng_Latn",
        "Focus on government mass mobilization combined with the reform of administrative procedures.",
        False,
    ),
    ("ind_Latn", ID_FOCUS, "eng_Latn", ID_FOCUS, True),
    (
        "ind_Latn",
        ID_FOCUS,
        "eng_Latn",
        "Focus on mobilisasi massa pemerintah yang dipadukan dengan reformasi prosedur administrasi.",
        True,
    ),
    (
        "ind_Latn",
        ID_FOCUS,
        "vie_Latn",
        "Tập trung công tác dân vận chính quyền gắn với cải cách thủ tục hành chính.",
        False,
    ),
    ("ind_Latn", ID_FOCUS, "vie_Latn", ID_FOCUS, True),
    (
        "por_Latn",
        PT_CONTEXT,
        "eng_Latn",
        "In the context of innovation and integration, mass mobilization work is not just a political task.",
        False,
    ),
    ("por_Latn", PT_CONTEXT, "eng_Latn", PT_CONTEXT, True),
    (
        "por_Latn",
        PT_CONTEXT,
        "vie_Latn",
        "Trong bối cảnh đổi mới và hội nhập, công tác dân vận không chỉ là nhiệm vụ chính trị.",
        False,
    ),
    (
        "por_Latn",
        PT_CONTEXT,
        "vie_Latn",
        "Trong contexto de inovação e integração, o trabalho de mobilização em massa não é apenas uma tarefa política.",
        True,
    ),
    (
        "nob_Latn",
        NB_FOCUS,
        "eng_Latn",
        "The focus is on effectively coordinating the implementation of the work of mobilizing people.",
        False,
    ),
    ("nob_Latn", NB_FOCUS, "eng_Latn", NB_FOCUS, True),
    (
        "nob_Latn",
        NB_FOCUS,
        "vie_Latn",
        "Trọng tâm là phối hợp hiệu quả việc thực hiện công tác vận động người dân.",
        False,
    ),
    ("nob_Latn", NB_FOCUS, "vie_Latn", NB_FOCUS, True),
    ("tha_Thai", TH_WORK, "eng_Latn", "The work of the mass mobilization system is consistent and effective.", False),
    ("tha_Thai", TH_WORK, "eng_Latn", TH_WORK, True),
    ("tha_Thai", TH_WORK, "vie_Latn", "Hoạt động của hệ thống dân vận đồng bộ và hiệu quả.", False),
    ("tha_Thai", TH_WORK, "vie_Latn", TH_WORK, True),
    # Names and numbers stay: a translation that keeps them is not untranslated.
    ("tha_Thai", "ชุมชน Cam Due (Cam Xuyen)", "eng_Latn", "Cam Due commune (Cam Xuyen)", False),
    ("ind_Latn", "Nui Thanh", "eng_Latn", "Nui Thanh", False),
    ("por_Latn", "Binh Thuan, 07/01/2025", "vie_Latn", "Binh Thuan, 07/01/2025", False),
    ("nob_Latn", "Herr Le Quang Hat (TAM DAN)", "eng_Latn", "Herr Le Quang Hat (TAM DAN)", False),
    # A short heading copied is still a copy when it has words to translate.
    ("ind_Latn", "Fokus pada mobilisasi massa pemerintah", "eng_Latn", "Fokus pada mobilisasi massa pemerintah", True),
    ("nob_Latn", "Rettidig fjerning av hindringer", "vie_Latn", "Rettidig fjerning av hindringer", True),
]


@pytest.mark.parametrize(("src_lang", "src", "target", "mt", "due"), UNTRANSLATED_CASES)
def test_untranslated(src_lang: str, src: str, target: str, mt: str, due: bool) -> None:
    flags = untranslated_flags(src, mt, src_lang, target)
    assert [f.code for f in flags] == (["untranslated"] if due else [])
