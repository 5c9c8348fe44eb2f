"""Thai: no capitals and no spaces between words, so names are found by the
words around them (titles, designators, heads: whole newmm words) and by how
Thai writes Vietnamese syllables.
"""

from __future__ import annotations

from pythainlp.corpus import thai_stopwords

from toolkit.extractor.entity_lexicon import EntityLexicon

# Function words and the verbs that follow a name in news prose end it.
_NAME_ENDERS = {"ดำเนิน", "มุ่งเน้น", "เป็น", "มี", "ได้", "จะ", "ให้", "ว่า"}

LEXICON = EntityLexicon(
    lang="th",
    titles=("นาย", "นาง", "นางสาว", "คุณ", "สหาย"),
    roles=("ประธาน", "เลขาธิการ", "รองเลขาธิการ", "หัวหน้า", "รองประธาน", "ผู้อำนวยการ"),
    org_heads_before=("คณะกรรมการ", "พรรค", "แนวร่วม", "สภา", "สมาคม", "สหภาพ", "กระทรวง", "รัฐบาล", "โปลิตบูโร"),
    places_before=(
        "จังหวัด", "อำเภอ", "ตำบล", "เมือง", "นคร", "แขวง", "ประเทศ", "เขต", "ถนน", "ชุมชน", "หมู่บ้าน", "ท่าเรือ",
    ),
    stop_words=frozenset(thai_stopwords()) | _NAME_ENDERS,
)  # fmt: skip

# Vietnamese syllables and names as Thai writes them (transliterations seen in Thai news about Vietnam).
VN_SYLLABLES = frozenset(
    [
        "เหงียน", "ตรัน", "เจิ่น", "เล", "ฝ่าม", "ฟาม", "ฮวง", "หวาง", "ฟาน", "หวู", "หวอ", "ดัง", "บุ้ย", "บุ่ย",
        "โด่", "โห่", "โง", "เซือง", "เดือง", "ลี", "วัน", "ถิ", "ทิ", "ดึ๊ก", "ดึก", "ก๊วก", "กวาง", "มินห์",
        "มิงห์", "ทันห์", "แทงห์", "บิ่งห์", "บิ่ญ", "ไห่", "หุ่ง", "ดุง", "ซุง", "ตวน", "อันห์", "อัญ", "นาม",
        "เซิน", "ลอง", "ห่า", "ฮา", "ติ๋ญ", "ติ๋งห์", "ยาง", "ซาง", "ฮานอย", "เวียดนาม", "ไซ่ง่อน", "ดานัง",
        "เว้", "เหวียน", "ฮวี", "เญน", "ดาญ", "ลิงห์", "เฮือง", "จุง", "ฮุย",
    ]
)  # fmt: skip

# The common Vietnamese surnames as Thai writes them (``vi.SURNAMES``): a person's name starts with one.
VN_SURNAMES = frozenset(
    ["เหงียน", "ตรัน", "เจิ่น", "เล", "ฝ่าม", "ฟาม", "ฮวง", "หวาง", "ฟาน", "หวู", "หวอ", "ดัง", "บุ้ย", "บุ่ย",
     "โด่", "โห่", "โง", "เซือง", "เดือง", "ลี", "เจือง", "ดิงห์", "ดิ่ญ", "มาย", "จิญ", "โดน", "เลือง"]
)  # fmt: skip
