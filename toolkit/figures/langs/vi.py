"""Vietnamese."""

from __future__ import annotations

from toolkit.figures.langs import DASHES
from toolkit.figures.lexicon import Lexicon
from toolkit.figures.months import months_of

ADDS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
        "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9, "mười": 10}  # fmt: skip

CURRENCIES = {
    "đồng": "VND", "vnđ": "VND", "vnd": "VND", "việt nam đồng": "VND", "đ": "VND",
    "đô": "$", "đô la": "$", "đôla": "$", "đô-la": "$", "usd": "USD", "đô la mỹ": "USD", "đô mỹ": "USD",
    "xen": "cent", "xu": "cent", "cent": "cent", "euro": "EUR", "euros": "EUR", "bảng": "£",
    "pounds": "£", "bảng anh": "GBP", "rupees": "INR", "rupee": "INR", "dirham": "AED", "yên": "JPY",
    "nhân dân tệ": "CNY", "tệ": "CNY", "baht": "THB", "bạt": "THB", "won": "KRW", "rupiah": "IDR",
    "ringgit": "MYR", "krone": "NOK", "kroner": "NOK",
}  # fmt: skip

LEXICON = Lexicon(
    lang="vi",
    decimal=",",
    adds=ADDS,
    mults={"mươi": 10, "chục": 10, "trăm": 100},
    scales={"nghìn": 1000, "ngàn": 1000, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9, "nghìn tỷ": 10**12},
    weak={"không", "một", "năm", "tư", "lăm", "nhăm", "mốt"},
    connectors={"linh", "lẻ", "và"},
    point_words={"phẩy", "chấm"},
    negative_words={"âm", "trừ"},
    ordinals={"đầu tiên": 1, "thứ nhất": 1, "thứ nhì": 2, "thứ tư": 4},
    ordinal_prefix=r"(?:thứ\s)",
    currencies=CURRENCIES,
    currency_of="",
    subunits={"xen", "xu", "cent", "cents"},
    units={
        "ha": "ha",
        "héc-ta": "ha",
        "hécta": "ha",
        "hecta": "ha",
        "km": "km",
        "ki-lô-mét": "km",
        "mét": "m",
        "tấn": "ton",
        "kg": "kg",
        "ki-lô-gam": "kg",
        "gam": "g",
        "lít": "l",
        "năm": "year",
        "tháng": "month",
        "tuần": "week",
        "ngày": "day",
        "giờ": "hour",
        "phút": "minute",
    },  # fmt: skip
    percent_words={"phần trăm"},
    score_words={"điểm"},
    not_figures={
        "tỷ lệ",
        "tỉ lệ",
        "điểm nhấn",
        "điểm đến",
        "điểm sáng",
        "điểm yếu",
        "điểm mạnh",
        "điểm nóng",
        "điểm tựa",
        "điểm mới",
        "điểm chung",
    },  # fmt: skip
    year_markers={"năm", "từ", "đến", "tới", "và", "giai đoạn", "nhiệm kỳ", "cuối", "đầu"},
    range_connectors=DASHES | {"đến", "tới"},
    between_words={"giữa"},
    and_words={"và"},
    from_words={"từ"},
    above_words={"hơn", "trên", "nhiều hơn", "ít nhất", "không ít hơn", "cao hơn", "tối thiểu", "vượt"},
    below_words={"dưới", "ít hơn", "kém hơn", "không tới", "không cao hơn", "không hơn", "không quá", "tối đa"},
    above_after={"trở lên"},
    below_after={"trở xuống"},
    approx_words={"khoảng", "chừng", "tầm", "xấp xỉ", "gần", "khoảng chừng", "tầm khoảng", "hơn", "tổng cộng", "từ"},
    id_markers=set(),  # "số": see loose_id_markers
    months=months_of("vi"),
    month_prefix=r"(?:tháng\s?)",
    noun_stop={"và", "của", "ở", "trong", "là", "có", "được", "cho", "với", "tại", "từ", "đến"},
    ordinal_nouns={"giai đoạn", "vòng", "bước", "đợt", "cấp", "chặng"},
    rate_words={"tỷ lệ", "tỉ lệ"},
    reference_nouns={
        "chỉ thị",
        "nghị quyết",
        "nghị định",
        "quyết định",
        "thông tư",
        "quy định",
        "kết luận",
        "luật",
        "công văn",
    },  # fmt: skip
    loose_id_markers={"số"},
)
