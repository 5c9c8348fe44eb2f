"""Vietnamese: the lexicon of Vietnamese text (a translation target), and what
the extractor knows about Vietnamese names, which the seeds carry in every
language ("Nguyen Tri An" in Indonesian, Portuguese and Norwegian alike).
"""

from __future__ import annotations

import re
import unicodedata

from toolkit.extractor.entity_lexicon import EntityLexicon

LEXICON = EntityLexicon(
    lang="vi",
    titles=("ông", "bà", "anh", "chị", "đồng chí"),
    roles=("chủ tịch", "bí thư", "phó", "giám đốc"),
    org_heads_before=("ủy ban", "mặt trận", "đảng", "hội", "sở", "bộ", "ban"),
    places_before=("tỉnh", "huyện", "xã", "phường", "quận", "thành phố", "thị xã", "cảng", "đường"),
    connectors=("và", "của"),
    sentence_case_orgs=True,
)

# Common name and place syllables, unaccented, lower case. Most Vietnamese
# people share ~15 surnames; given names and place names reuse a few hundred
# syllables, of which these are the frequent ones.
SYLLABLES = frozenset(
    [
        "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
        "duong", "ly", "dinh", "doan", "lam", "mai", "trinh", "truong", "ha", "cao", "chu", "luong", "quach",
        "ta", "thai", "thach", "lai", "kieu", "van", "thi", "duc", "quoc", "tri", "quang", "minh", "thanh",
        "binh", "hai", "hung", "dung", "tuan", "anh", "nam", "son", "long", "phuoc", "thuan", "tinh", "giang",
        "ninh", "khanh", "hoa", "phu", "yen", "dien", "bien", "lao", "cai", "tay", "bac", "dong", "trung", "ky",
        "chi", "cong", "sinh", "an", "thuy", "huyen", "xuyen", "huong", "loc", "tan", "tam", "dan", "tien", "lan",
        "linh", "hong", "ngoc", "phuong", "nga", "hanh", "hieu", "hoai", "huy", "tap", "thang", "nhung", "nhat",
        "tuyen", "khe", "hau", "hue", "vinh", "kien", "cuong", "dat", "hiep", "hoan", "khoa", "khai", "manh",
        "nghia", "nhan", "phong", "phuc", "quy", "sang", "tai", "thao", "thien", "thinh", "thu", "toan", "trang",
        "tu", "tuyet", "uyen", "viet", "xuan", "bao", "chau", "diep", "giao", "hien", "kim", "lien", "my", "nhi",
        "oanh", "quyen", "tham", "trieu", "vy", "ngan", "ca", "mau", "tho", "can", "dak", "lak", "krong", "kon",
        "tum", "gia", "pleiku", "hanoi", "saigon", "da", "nang", "ngai", "nghe", "ba", "ria", "vung", "tau",
    ]
)  # fmt: skip

# The surnames common enough that a kept run starting with one is a person
# (the guesser's rule 4), unaccented. Narrower than the surnames among
# SYLLABLES on purpose: Ha, Cao, Thai, Lai are surnames but also open
# province names (Ha Tinh, Cao Bang, Thai Binh, Lai Chau).
SURNAMES = frozenset(
    ["nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
     "duong", "ly", "truong", "dinh", "mai", "trinh", "doan", "luong"]
)  # fmt: skip

# The shape of one unaccented syllable: an optional initial consonant (cluster), a vowel, a short rest.
SYLLABLE_SHAPE = re.compile(r"^(?:[BCDGHKLMNPQRSTVXĐ]|Ch|Gh|Gi|Kh|Ng|Ngh|Nh|Ph|Qu|Th|Tr)?[aeiouy][a-z]{0,4}$")

# The middle names that mark a person's name ("Dau Thi Huyen", "Nguyen Van An"), unaccented.
MIDDLE_NAMES = frozenset(["thi", "van"])

# Middle names some writers keep in lower case ("Nguyen van Thieu"): allowed inside a name run in any language.
NAME_CONNECTORS = ("van",)


def unaccented(word: str) -> str:
    """``word`` without tone and vowel marks, đ as d: how the seeds' languages write Vietnamese names."""
    nfd = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in nfd if not unicodedata.combining(c))
