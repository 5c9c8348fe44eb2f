"""Token features for the CRF that carry across the toolkit's languages.

The seeds are Vietnamese news in Indonesian, Portuguese, Norwegian and Thai:
the names in them are Vietnamese, whatever the language around them. So
besides word shape, the features say what a name *is* here: Vietnamese
syllables (in Latin letters, accents or not, and in Thai transliteration),
a run of capitalised words, a title before it, a designator beside it
(distrik, província, -distriktet, จังหวัด), an organisation head word
(Komite, Comitê, คณะกรรมการ), a word the language's dictionary does not
know, a word that recurs in the same document, and gazetteers learned from
the training labels.

Two feature sets: ``shape`` (the plain word-shape baseline) and ``full``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from toolkit.extractor.data import Token

# Common Vietnamese name and place syllables, unaccented, lower case. Most
# Vietnamese people share ~15 surnames; given names and place names reuse a
# few hundred syllables, of which these are the frequent ones.
VN_SYLLABLES = frozenset(
    [
        "nguyen",
        "tran",
        "le",
        "pham",
        "hoang",
        "huynh",
        "phan",
        "vu",
        "vo",
        "dang",
        "bui",
        "do",
        "ho",
        "ngo",
        "duong",
        "ly",
        "dinh",
        "doan",
        "lam",
        "mai",
        "trinh",
        "truong",
        "ha",
        "cao",
        "chu",
        "luong",
        "quach",
        "ta",
        "thai",
        "thach",
        "lai",
        "kieu",
        "van",
        "thi",
        "duc",
        "quoc",
        "tri",
        "quang",
        "minh",
        "thanh",
        "binh",
        "hai",
        "hung",
        "dung",
        "tuan",
        "anh",
        "nam",
        "son",
        "long",
        "phuoc",
        "thuan",
        "tinh",
        "giang",
        "ninh",
        "khanh",
        "hoa",
        "phu",
        "yen",
        "dien",
        "bien",
        "lao",
        "cai",
        "tay",
        "bac",
        "dong",
        "trung",
        "ky",
        "chi",
        "cong",
        "sinh",
        "an",
        "thuy",
        "huyen",
        "xuyen",
        "huong",
        "loc",
        "tan",
        "tam",
        "dan",
        "tien",
        "lan",
        "linh",
        "hong",
        "ngoc",
        "phuong",
        "nga",
        "hanh",
        "hieu",
        "hoai",
        "huy",
        "tap",
        "thang",
        "nhung",
        "nhat",
        "tuyen",
        "khe",
        "hau",
        "hue",
        "vinh",
        "thuy",
        "kien",
        "cuong",
        "dat",
        "hiep",
        "hoan",
        "khoa",
        "khai",
        "manh",
        "nghia",
        "nhan",
        "phong",
        "phuc",
        "quy",
        "sang",
        "tai",
        "thao",
        "thien",
        "thinh",
        "thu",
        "toan",
        "trang",
        "tu",
        "tuyet",
        "uyen",
        "viet",
        "xuan",
        "yen",
        "bao",
        "chau",
        "diep",
        "giao",
        "hien",
        "kim",
        "lien",
        "my",
        "nhi",
        "oanh",
        "quyen",
        "tham",
        "trieu",
        "vy",
        "ngan",
        "hau",
        "ca",
        "mau",
        "tho",
        "can",
        "dak",
        "lak",
        "krong",
        "kon",
        "tum",
        "gia",
        "lai",
        "pleiku",
        "hanoi",
        "saigon",
        "hai",
        "phong",
        "da",
        "nang",
        "quang",
        "ngai",
        "nghe",
        "tuyen",
        "ba",
        "ria",
        "vung",
        "tau",
    ]
)

# Vietnamese syllables and names as Thai writes them (transliterations seen
# in Thai news about Vietnam).
VN_THAI = frozenset(
    [
        "เหงียน",
        "ตรัน",
        "เจิ่น",
        "เล",
        "ฝ่าม",
        "ฟาม",
        "ฮวง",
        "หวาง",
        "ฟาน",
        "หวู",
        "หวอ",
        "ดัง",
        "บุ้ย",
        "บุ่ย",
        "โด่",
        "โห่",
        "โง",
        "เซือง",
        "เดือง",
        "ลี",
        "วัน",
        "ถิ",
        "ทิ",
        "ดึ๊ก",
        "ดึก",
        "ก๊วก",
        "กวาง",
        "มินห์",
        "มิงห์",
        "ทันห์",
        "แทงห์",
        "บิ่งห์",
        "บิ่ญ",
        "ไห่",
        "หุ่ง",
        "ดุง",
        "ซุง",
        "ตวน",
        "อันห์",
        "อัญ",
        "นาม",
        "เซิน",
        "ลอง",
        "ห่า",
        "ฮา",
        "ติ๋ญ",
        "ติ๋งห์",
        "ยาง",
        "ซาง",
        "ฮานอย",
        "เวียดนาม",
        "ไซ่ง่อน",
        "ดานัง",
        "เว้",
        "เหวียน",
        "ฮวี",
        "เญน",
        "ดาญ",
        "ลิงห์",
        "เฮือง",
        "จุง",
        "ฮุย",
    ]
)

TITLES = frozenset(
    [
        "bapak",
        "bpk",
        "pak",
        "ibu",
        "bu",
        "tn",
        "ny",
        "sdr",
        "saudara",
        "kawan",
        "sr",
        "sra",
        "senhor",
        "senhora",
        "dona",
        "camarada",
        "herr",
        "fru",
        "frøken",
        "kamerat",
        "mr",
        "mrs",
        "ms",
        "dr",
        "comrade",
        "ông",
        "bà",
        "anh",
        "chị",
        "đồng",
        "นาย",
        "นาง",
        "นางสาว",
        "สหาย",
        "คุณ",
    ]
)
ROLES = frozenset(
    [
        "ketua",
        "sekretaris",
        "wakil",
        "kepala",
        "direktur",
        "presiden",
        "gubernur",
        "presidente",
        "secretário",
        "secretária",
        "vice",
        "diretor",
        "governador",
        "chefe",
        "leder",
        "sekretær",
        "visesekretær",
        "formann",
        "nestleder",
        "direktør",
        "guvernør",
        "president",
        "chairman",
        "secretary",
        "deputy",
        "director",
        "governor",
        "head",
        "chủ",
        "tịch",
        "bí",
        "thư",
        "phó",
        "giám",
        "đốc",
        "ประธาน",
        "เลขาธิการ",
        "รองเลขาธิการ",
        "หัวหน้า",
        "รองประธาน",
        "ผู้อำนวยการ",
    ]
)
DESIGNATORS = frozenset(
    [
        "distrik",
        "provinsi",
        "kota",
        "desa",
        "kecamatan",
        "kelurahan",
        "komune",
        "pelabuhan",
        "jalan",
        "jl",
        "kabupaten",
        "negara",
        "wilayah",
        "distrito",
        "província",
        "provincia",
        "cidade",
        "comuna",
        "município",
        "porto",
        "estrada",
        "rodovia",
        "bairro",
        "vila",
        "país",
        "região",
        "distriktet",
        "distrikt",
        "distriktets",
        "provinsen",
        "provins",
        "provinsens",
        "kommunen",
        "kommune",
        "kommunens",
        "byen",
        "by",
        "havn",
        "riksvei",
        "veien",
        "gaten",
        "broen",
        "regionen",
        "district",
        "province",
        "city",
        "commune",
        "ward",
        "town",
        "port",
        "road",
        "street",
        "region",
        "tỉnh",
        "huyện",
        "xã",
        "phường",
        "thành",
        "phố",
        "quận",
        "thị",
        "đường",
        "cảng",
        "จังหวัด",
        "อำเภอ",
        "เขต",
        "ตำบล",
        "นคร",
        "เมือง",
        "แขวง",
        "ถนน",
        "ชุมชน",
        "หมู่บ้าน",
        "ประเทศ",
        "ท่าเรือ",
    ]
)
ORG_HEADS = frozenset(
    [
        "komite",
        "partai",
        "front",
        "majelis",
        "pemerintah",
        "dewan",
        "badan",
        "kementerian",
        "departemen",
        "asosiasi",
        "serikat",
        "persatuan",
        "comitê",
        "comite",
        "comitês",
        "partido",
        "frente",
        "governo",
        "centro",
        "conselho",
        "assembleia",
        "ministério",
        "departamento",
        "associação",
        "politburo",
        "união",
        "komité",
        "komiteen",
        "partikomité",
        "partikomiteen",
        "partikomiteens",
        "fedrelandsfront",
        "fedrelandsfronten",
        "fedrelandsfrontkomité",
        "råd",
        "rådet",
        "departement",
        "forening",
        "committee",
        "party",
        "council",
        "government",
        "assembly",
        "ministry",
        "association",
        "union",
        "ủy",
        "ban",
        "đảng",
        "mặt",
        "trận",
        "hội",
    ]
)
THAI_ORG_HEADS = ("คณะกรรมการ", "พรรค", "แนวร่วม", "สภา", "สมาคม", "สหภาพ", "กระทรวง", "รัฐบาล", "โปลิตบูโร")
THAI_DESIGNATORS = tuple(w for w in DESIGNATORS if "\u0e00" <= w[0] <= "\u0e7f")
THAI_TITLES = ("นาย", "นาง", "สหาย")


def strip_accents(word: str) -> str:
    nfd = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in nfd if not unicodedata.combining(c))


def is_thai(tok: str) -> bool:
    return any("\u0e00" <= c <= "\u0e7f" for c in tok)


def shape(tok: str) -> str:
    s = re.sub(r"[A-ZÀ-ÞĀ-Ỹ]", "X", tok)
    s = re.sub(r"[a-zß-ÿā-ỹ]", "x", s)
    s = re.sub(r"\d", "d", s)
    s = re.sub(r"[\u0E00-\u0E7F]", "t", s)
    return re.sub(r"(.)\1{2,}", r"\1\1", s)


def is_cap(tok: str) -> bool:
    return tok[:1].isupper()


@lru_cache(maxsize=1)
def _thai_dict() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


@lru_cache(maxsize=200_000)
def is_common(word: str, lang: str) -> bool:
    """Is ``word`` an ordinary word of ``lang``? Names mostly are not."""
    if is_thai(word):
        return word in _thai_dict() and len(word) > 2
    iso = _ISO.get(lang, lang[:2])
    if iso == "th":  # a Latin word inside Thai text: wordfreq has no Thai list
        iso = "en"
    try:
        from wordfreq import zipf_frequency

        return zipf_frequency(word.lower(), iso) >= 3.0
    except LookupError:
        return False


_ISO = {"ind_Latn": "id", "por_Latn": "pt", "nob_Latn": "nb", "eng_Latn": "en", "vie_Latn": "vi", "tha_Thai": "th"}


class Gazetteer:
    """Entity strings per label, learned from training labels.

    Matching is on characters (so Thai names match whatever newmm makes of
    them), whole words in Latin script, longest first.
    """

    def __init__(self, entries: dict[str, set[str]] | None = None) -> None:
        self.entries: dict[str, set[str]] = {k: set(v) for k, v in (entries or {}).items()}
        self._re: re.Pattern[str] | None = None
        self._labels: dict[str, str] = {}
        self._tokens: dict[str, set[str]] = {}

    def add(self, label: str, text: str) -> None:
        text = text.strip()
        if len(text) >= 2:
            self.entries.setdefault(label, set()).add(text)
            self._re = None

    def _compile(self) -> None:
        self._labels = {}
        for label, items in sorted(self.entries.items()):
            for s in items:
                self._labels.setdefault(s.lower(), label)
        alts = sorted(self._labels, key=len, reverse=True)
        parts = [(re.escape(s) if is_thai(s[:1]) else r"(?<!\w)" + re.escape(s) + r"(?!\w)") for s in alts]
        self._re = re.compile("|".join(parts), re.IGNORECASE) if parts else re.compile(r"(?!x)x")
        self._tokens = {}
        from toolkit.extractor.data import tokenize

        for s, label in self._labels.items():
            for t in tokenize(s):
                if len(t.text) >= 2 and t.text.lower() not in ORG_HEADS and t.text not in DESIGNATORS:
                    self._tokens.setdefault(t.text.lower(), set()).add(label)

    def match(self, text: str, tokens: Sequence[Token]) -> list[str]:
        """Per token: "B-LABEL"/"I-LABEL" where a known entity covers it, else ""."""
        if self._re is None:
            self._compile()
        out = [""] * len(tokens)
        for m in self._re.finditer(text):  # type: ignore[union-attr]
            label = self._labels.get(m.group().lower())
            first = True
            for i, t in enumerate(tokens):
                if t.start < m.end() and t.end > m.start() and not out[i]:
                    out[i] = ("B-" if first else "I-") + str(label)
                    first = False
        return out

    def token_labels(self, tok: str) -> set[str]:
        if self._re is None:
            self._compile()
        return self._tokens.get(tok.lower(), set())

    def to_json(self) -> dict[str, list[str]]:
        return {k: sorted(v) for k, v in sorted(self.entries.items())}


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4+"


def _namelike(tok: str, lang: str) -> bool:
    """A token that may be part of a name: capitalised Latin, or Thai that is
    a Vietnamese transliteration or unknown to the Thai dictionary."""
    if is_thai(tok):
        return tok in VN_THAI or not is_common(tok, lang) or any(c in tok for c in "\u0e4b\u0e4a")
    return is_cap(tok) and tok[:1].isalpha()


def doc_counts(texts: Iterable[str]) -> Counter:
    """How often each token (lower case) occurs in a document's texts."""
    from toolkit.extractor.data import tokenize

    c: Counter = Counter()
    for text in texts:
        c.update(t.text.lower() for t in tokenize(text) if len(t.text) >= 2)
    return c


def shape_features(tokens: Sequence[Token], lang: str) -> list[list[str]]:
    """The plain baseline: the word, its shape, affixes and its neighbours' shapes."""
    words = [t.text for t in tokens]
    out = []
    for i, w in enumerate(words):
        f = ["bias", f"w={w.lower()}", f"shape={shape(w)}", f"pre3={w[:3].lower()}", f"suf3={w[-3:].lower()}"]
        f.append(f"title={w.istitle()}")
        f.append(f"upper={w.isupper()}")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(words):
                f.append(f"{d}:shape={shape(words[j])}")
                if abs(d) == 1:
                    f.append(f"{d}:w={words[j].lower()}")
            else:
                f.append(f"{d}:pad")
        out.append(f)
    return out


def full_features(
    text: str, tokens: Sequence[Token], lang: str, gazetteer: Gazetteer | None = None, counts: Counter | None = None
) -> list[list[str]]:
    """Shape features plus the cross-language cues described in the module doc."""
    words = [t.text for t in tokens]
    n = len(words)
    base = shape_features(tokens, lang)
    script = "thai" if lang.endswith("_Thai") else "latn"
    low = [w.lower() for w in words]
    plain = [strip_accents(w) for w in low]
    common = [is_common(w, lang) for w in words]
    vn = [(p in VN_SYLLABLES) if not is_thai(w) else (w in VN_THAI) for w, p in zip(words, plain, strict=True)]
    namey = [_namelike(w, lang) for w in words]
    # A sentence-initial capital says little in Latin script.
    sent_start = [i == 0 or words[i - 1] in '.!?:;"«“' for i in range(n)]
    # Runs of name-like tokens (Latin: capitalised; Thai: transliterated/unknown).
    run_id, run_len, run_pos = [-1] * n, [0] * n, [""] * n
    i = 0
    r = 0
    while i < n:
        if namey[i]:
            j = i
            while j + 1 < n and namey[j + 1] and (tokens[j + 1].start - tokens[j].end) <= 1:
                j += 1
            for k in range(i, j + 1):
                run_id[k], run_len[k] = r, j - i + 1
                run_pos[k] = "S" if i == j else ("B" if k == i else ("E" if k == j else "I"))
            r += 1
            i = j + 1
        else:
            i += 1
    gaz = gazetteer.match(text, tokens) if gazetteer else [""] * n
    out = []
    for i, w in enumerate(words):
        f = base[i]
        f += [f"script={script}", f"lang={lang}", f"common={common[i]}", f"vn={vn[i]}", f"namey={namey[i]}"]
        f.append(f"sent_start={sent_start[i]}")
        f.append(f"cap_mid={is_cap(w) and not sent_start[i]}")
        if run_pos[i]:
            f += [f"run_pos={run_pos[i]}", f"run_len={_bucket(run_len[i])}"]
            members = [k for k in range(n) if run_id[k] == run_id[i]]
            f.append(f"run_vn={sum(vn[k] for k in members)}")
            f.append(f"run_common={all(common[k] for k in members)}")
            f.append(f"run_orghead={any(low[k] in ORG_HEADS or words[k].startswith(THAI_ORG_HEADS) for k in members)}")
        if is_thai(w):
            f += [f"th_len={_bucket(len(w))}", f"th_tone_rare={any(c in w for c in chr(0x0E4B) + chr(0x0E4A))}"]
            f.append(f"th_karan={w.endswith(chr(0x0E4C))}")
            f.append(f"th_orghead={w.startswith(THAI_ORG_HEADS)}")
            f.append(f"th_desig={w.startswith(THAI_DESIGNATORS)}")
            f.append(f"th_title={w in THAI_TITLES}")
        if low[i] in ORG_HEADS:
            f.append("orghead")
        if low[i] in DESIGNATORS:
            f.append("desig")
        if low[i] in TITLES or low[i].rstrip(".") in TITLES:
            f.append("title_word")
        if low[i] in ROLES:
            f.append("role_word")
        for d in (-3, -2, -1, 1, 2):
            j = i + d
            if not 0 <= j < n:
                continue
            if low[j] in TITLES or (low[j] == "." and j > 0 and low[j - 1] in TITLES):
                f.append(f"{d}:title")
            if low[j] in DESIGNATORS or words[j].startswith(THAI_DESIGNATORS):
                f.append(f"{d}:desig")
            if low[j] in ORG_HEADS or words[j].startswith(THAI_ORG_HEADS):
                f.append(f"{d}:orghead")
            if low[j] in ROLES:
                f.append(f"{d}:role")
            if abs(d) == 1:
                f += [f"{d}:vn={vn[j]}", f"{d}:namey={namey[j]}", f"{d}:common={common[j]}"]
        # "Thang Binh-distriktet": a designator glued on by a hyphen.
        if (
            i + 2 < n
            and words[i + 1] == "-"
            and (
                low[i + 2] in DESIGNATORS
                or low[i + 2].endswith(("distriktet", "broen", "kommunen", "gaten", "distriktets"))
            )
        ):
            f.append("hyphen_desig")
        if gaz[i]:
            f.append(f"gaz={gaz[i]}")
        if gazetteer:
            for lab in gazetteer.token_labels(w):
                f.append(f"gaztok={lab}")
        if counts is not None and len(w) >= 2 and not common[i] and w[:1].isalpha():
            f.append(f"recur={_bucket(counts.get(low[i], 0))}")
        out.append(f)
    return out
