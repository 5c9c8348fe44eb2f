"""url_missing and bracket_mismatch: pairs that must and must not fire, from every source language into en and vi."""

from __future__ import annotations

import pytest

from toolkit.checks import bracket_flags, url_flags
from toolkit.checks.markup import links

ID_URL = (
    "Pembaca dapat mengirimkan pendapat melalui surel toasoan@baoquangnam.vn atau situs "
    "https://baoquangnam.vn/quang-nam-van-dung-hieu-qua-3147163.html."
)
PT_URL = "Fonte: https://baobinhthuan.com.vn/doan-ket-qua-cong-tac-dan-van-de-phat-trien-ben-vung-127057.html"
NB_URL = (
    "Kilde: https://baoquangnam.vn/quang-nam-van-dung-hieu-qua-cong-tac-dan-van-tao-su-doan-ket-dong-thuan-3147163.html"
)
TH_URL = "ที่มา: https://kinhtedothi.vn/ha-noi-vi-the-vai-tro-cua-cong-tac-dan-van-tiep-tuc-duoc-nang-len.html"

# (source language, source, target, translation, codes due)
URL_CASES = [
    (
        "ind_Latn",
        ID_URL,
        "eng_Latn",
        "Readers can send their opinions by e-mail to toasoan@baoquangnam.vn or via the website "
        "https://baoquangnam.vn/quang-nam-van-dung-hieu-qua-3147163.html.",
        0,
    ),
    (
        "ind_Latn",
        ID_URL,
        "eng_Latn",
        "Readers can send their opinions by e-mail or through the newspaper's website.",
        2,
    ),
    (
        "ind_Latn",
        ID_URL,
        "vie_Latn",
        "Bạn đọc có thể gửi ý kiến qua thư điện tử toasoan@baoquangnam.vn hoặc trang "
        "https://baoquangnam.vn/quang-nam-van-dung-hieu-qua-3147163.html.",
        0,
    ),
    (
        "ind_Latn",
        ID_URL,
        "vie_Latn",
        "Bạn đọc có thể gửi ý kiến qua thư điện tử toasoan @ baoquangnam.vn hoặc trang "
        "https://baoquangnam.vn/quang-nam-van-dung-hieu-qua-3147163.html.",
        1,
    ),
    (
        "por_Latn",
        PT_URL,
        "eng_Latn",
        "Source: https://baobinhthuan.com.vn/doan-ket-qua-cong-tac-dan-van-de-phat-trien-ben-vung-127057.html",
        0,
    ),
    ("por_Latn", PT_URL, "eng_Latn", "Source: baobinhthuan.com.vn", 1),
    (
        "por_Latn",
        PT_URL,
        "vie_Latn",
        "Nguồn: https://baobinhthuan.com.vn/doan-ket-qua-cong-tac-dan-van-de-phat-trien-ben-vung-127057.html",
        0,
    ),
    (
        "por_Latn",
        PT_URL,
        "vie_Latn",
        "Nguồn: https://baobinhthuan.com.vn/doan-ket-qua-cong-tac-dan-van-de-phat-trien-ben-vung-127057",
        1,
    ),
    (
        "nob_Latn",
        NB_URL,
        "eng_Latn",
        "Source: https://baoquangnam.vn/quang-nam-van-dung-hieu-qua-cong-tac-dan-van-tao-su-doan-ket-dong-thuan-3147163.html",
        0,
    ),
    (
        "nob_Latn",
        NB_URL,
        "eng_Latn",
        "Source: https://baoquangnam.vn/quang-nam-van-dung-hieu-qua-cong-tac-dan-van-tao-su-doan-ket-dong-thuan-3147163. html",
        1,
    ),
    (
        "nob_Latn",
        NB_URL,
        "vie_Latn",
        "Nguồn: https://baoquangnam.vn/quang-nam-van-dung-hieu-qua-cong-tac-dan-van-tao-su-doan-ket-dong-thuan-3147163.html",
        0,
    ),
    ("nob_Latn", NB_URL, "vie_Latn", "Nguồn: Báo Quảng Nam", 1),
    (
        "tha_Thai",
        TH_URL,
        "eng_Latn",
        "Source: https://kinhtedothi.vn/ha-noi-vi-the-vai-tro-cua-cong-tac-dan-van-tiep-tuc-duoc-nang-len.html",
        0,
    ),
    ("tha_Thai", TH_URL, "eng_Latn", "Source: Kinh te Do thi newspaper", 1),
    (
        "tha_Thai",
        TH_URL,
        "vie_Latn",
        "Nguồn: https://kinhtedothi.vn/ha-noi-vi-the-vai-tro-cua-cong-tac-dan-van-tiep-tuc-duoc-nang-len.html",
        0,
    ),
    (
        "tha_Thai",
        TH_URL,
        "vie_Latn",
        "Nguồn: https://kinhtedothi.vn/hà-nội-vị-thế-vai-trò-của-công-tác-dân-vận-tiếp-tục-được-nâng-lên.html",
        1,
    ),
]


@pytest.mark.parametrize(("src_lang", "src", "target", "mt", "due"), URL_CASES)
def test_url_missing(src_lang: str, src: str, target: str, mt: str, due: int) -> None:
    flags = url_flags(src, mt, target)
    assert [f.code for f in flags] == ["url_missing"] * due
    assert all(f.target == target for f in flags)


def test_links_leave_sentence_punctuation_and_case_out() -> None:
    assert links(ID_URL) == [
        "https://baoquangnam.vn/quang-nam-van-dung-hieu-qua-3147163.html",
        "toasoan@baoquangnam.vn",
    ]
    # Case and a trailing slash do not make a URL missing; no URL, no flag.
    assert url_flags("Lihat WWW.BAOQUANGNAM.VN/ untuk berita.", "See www.baoquangnam.vn for news.", "eng_Latn") == []
    assert (
        url_flags("Fokus pada mobilisasi massa pemerintah.", "Focus on government mass mobilization.", "eng_Latn") == []
    )


ID_PAREN = "Dari tahun 2020 hingga 2023, seluruh distrik Nui Thanh menyelenggarakan 127 konferensi kontra-argumen (6 di tingkat distrik, 121 di tingkat komune)."
ID_QUOTE = (
    'Terus bangun dan tiru model "Mobilisasi Massa Terampil" di berbagai sektor, Front Tanah Air, dan organisasi massa.'
)
PT_QUOTE = (
    'implementando o tema do Comitê Provincial do Partido em 2024, "Melhorar a competitividade e a satisfação das '
    'pessoas e empresas", associado ao modelo de "Mobilização de Massas Qualificada" no período de 2021 a 2025.'
)
NB_GUILLEMETS = (
    "I tillegg til dette ble emuleringsbevegelsen «Faglært massemobilisering» bredt utviklet med nesten 300 modeller."
)
NB_PAREN = "I 2024 organiserte hele distriktet 71 dialoger med folket (10 på distriktsnivå, 61 på kommunenivå)."
# The segmenter cut this Thai quotation at a sentence end: the source opens a quote it does not close.
TH_OPEN_QUOTE = (
    "ประธานสมาคมเกษตรกรของชุมชน Cam Due (Cam Xuyen) Dau Thi Huyen กล่าวว่า “การประชุมเสวนานี้เป็นโอกาสอันแท้จริงสำหรับเรา"
)

BRACKET_CASES = [
    (
        "ind_Latn",
        ID_PAREN,
        "eng_Latn",
        "From 2020 to 2023, the whole Nui Thanh district held 127 counter-argument conferences "
        "(6 at district level, 121 at commune level).",
        [],
    ),
    (
        "ind_Latn",
        ID_PAREN,
        "eng_Latn",
        "From 2020 to 2023, the whole Nui Thanh district held 127 counter-argument conferences "
        "(6 at district level, 121 at commune level.",
        ["round"],
    ),
    (
        "ind_Latn",
        ID_QUOTE,
        "vie_Latn",
        "Tiếp tục xây dựng và nhân rộng mô hình “Dân vận khéo” trong các ngành, Mặt trận Tổ quốc và các đoàn thể.",
        [],
    ),
    (
        "ind_Latn",
        ID_QUOTE,
        "vie_Latn",
        "Tiếp tục xây dựng và nhân rộng mô hình “Dân vận khéo trong các ngành, Mặt trận Tổ quốc và các đoàn thể.",
        ["quote"],
    ),
    (
        "por_Latn",
        PT_QUOTE,
        "eng_Latn",
        "implementing the Provincial Party Committee's theme for 2024, “Improving competitiveness and the satisfaction "
        "of people and businesses”, together with the “Skilled Mass Mobilization” model in the period 2021 to 2025.",
        [],
    ),
    (
        "por_Latn",
        PT_QUOTE,
        "eng_Latn",
        "implementing the Provincial Party Committee's theme for 2024, Improving competitiveness and the satisfaction "
        "of people and businesses, together with the “Skilled Mass Mobilization” model in the period 2021 to 2025.",
        ["quote"],
    ),
    (
        "por_Latn",
        PT_QUOTE,
        "vie_Latn",
        'thực hiện chủ đề năm 2024 của Tỉnh ủy "Nâng cao năng lực cạnh tranh và sự hài lòng của người dân, doanh nghiệp", '
        'gắn với mô hình "Dân vận khéo" giai đoạn 2021 - 2025.',
        [],
    ),
    (
        "por_Latn",
        PT_QUOTE,
        "vie_Latn",
        'thực hiện chủ đề năm 2024 của Tỉnh ủy "Nâng cao năng lực cạnh tranh và sự hài lòng của người dân, doanh nghiệp", '
        'gắn với mô hình "Dân vận khéo giai đoạn 2021 - 2025.',
        ["quote"],
    ),
    (
        "nob_Latn",
        NB_GUILLEMETS,
        "eng_Latn",
        'In addition, the emulation movement "Skilled Mass Mobilization" was widely developed with nearly 300 models.',
        [],
    ),
    (
        "nob_Latn",
        NB_GUILLEMETS,
        "eng_Latn",
        "In addition, the emulation movement Skilled Mass Mobilization was widely developed with nearly 300 models.",
        ["quote"],
    ),
    (
        "nob_Latn",
        NB_PAREN,
        "vie_Latn",
        "Năm 2024, toàn huyện tổ chức 71 cuộc đối thoại với nhân dân (10 cuộc cấp huyện, 61 cuộc cấp xã).",
        [],
    ),
    (
        "nob_Latn",
        NB_PAREN,
        "vie_Latn",
        "Năm 2024, toàn huyện tổ chức 71 cuộc đối thoại với nhân dân (10 cuộc cấp huyện), (61 cuộc cấp xã).",
        ["round"],
    ),
    (
        "tha_Thai",
        TH_OPEN_QUOTE,
        "eng_Latn",
        "Dau Thi Huyen, chairwoman of the Farmers' Association of Cam Due commune (Cam Xuyen), said: \"This dialogue "
        "is a real opportunity for us",
        [],
    ),
    (
        "tha_Thai",
        TH_OPEN_QUOTE,
        "eng_Latn",
        "Dau Thi Huyen, chairwoman of the Farmers' Association of Cam Due commune (Cam Xuyen), said: \"This dialogue "
        'is a real opportunity for us"',
        ["quote"],
    ),
    (
        "tha_Thai",
        TH_OPEN_QUOTE,
        "vie_Latn",
        "Bà Đậu Thị Huyền, Chủ tịch Hội Nông dân xã Cẩm Duệ (Cẩm Xuyên), cho biết: “Buổi đối thoại này là cơ hội thực sự "
        "để chúng tôi",
        [],
    ),
    (
        "tha_Thai",
        TH_OPEN_QUOTE,
        "vie_Latn",
        "Bà Đậu Thị Huyền, Chủ tịch Hội Nông dân xã Cẩm Duệ [Cẩm Xuyên], cho biết: “Buổi đối thoại này là cơ hội thực sự "
        "để chúng tôi",
        ["round", "square"],
    ),
]


@pytest.mark.parametrize(("src_lang", "src", "target", "mt", "kinds"), BRACKET_CASES)
def test_bracket_mismatch(src_lang: str, src: str, target: str, mt: str, kinds: list[str]) -> None:
    flags = bracket_flags(src, mt, target)
    assert [f.code for f in flags] == ["bracket_mismatch"] * len(kinds)
    for flag, kind in zip(flags, kinds, strict=True):
        assert ("quote" in flag.detail) == (kind == "quote")
