"""Thai: no capitals and no spaces between words, so names are found by the
words around them (titles, designators, heads: whole newmm words) and by how
Thai writes Vietnamese syllables.
"""

from __future__ import annotations

from pythainlp.corpus import thai_stopwords

from toolkit.extractor.entity_lexicon import EntityLexicon

# Function words and the verbs that follow a name in news prose end it.
_NAME_ENDERS = {
    "ดำเนิน", "มุ่งเน้น", "เป็น", "มี", "ได้", "จะ", "ให้", "ว่า", "กล่าว", "เปิดเผย", "ระบุ", "ชี้แจง", "ยืนยัน",
    "เดินทาง", "แถลง", "ตอบ", "บอก", "เผย", "ยอมรับ", "ออกมา", "พร้อม", "ถูก", "ซึ่ง", "ที่", "และ", "กับ",
    "ใด", "ไหน", "นี้", "นั้น", "แล้ว", "ก็",
}  # fmt: skip

# What news prose glues on right after a person's name, written without a space: a verb of
# saying ("นายจรัลกล่าวว่า", Mr Jaran said) or the age ("นางสายชล หลวงแสงอายุ 45 ปี"). newmm
# makes one word of "กล่าวว่า", so these end a name as a word's start; the long ones only,
# since a name may start like a short one ("มีเพียร" starts like "มี", to have).
GLUED_ENDERS = tuple(sorted(w for w in _NAME_ENDERS if len(w) >= 4)) + ("อายุ",)

LEXICON = EntityLexicon(
    lang="th",
    titles=(
        "นาย", "นาง", "นางสาว", "คุณ", "สหาย",
        # academic, medical and noble titles, military and police ranks (written before the name, often glued on)
        "น.ส.", "ด.ช.", "ด.ญ.", "นพ.", "น.พ.", "พญ.", "พ.ญ.", "ดร.", "ศ.", "รศ.", "ผศ.", "นายแพทย์", "แพทย์หญิง",
        "คุณหญิง", "ม.ร.ว.", "ม.ล.", "พลเอก", "พลโท", "พลตรี", "พลเรือเอก", "พลอากาศเอก", "พลตำรวจเอก",
        "พล.อ.", "พล.ท.", "พล.ต.", "พล.ร.อ.", "พล.อ.อ.", "พล.ต.อ.", "พล.ต.ท.", "พล.ต.ต.", "พ.ต.อ.", "พ.ต.ท.",
        "พ.ต.ต.", "ร.ต.อ.", "ร.ต.ท.", "ร.ต.ต.", "พ.อ.", "พ.ท.", "พ.ต.", "ร.อ.", "ร.ท.", "ร.ต.", "จ.ส.อ.", "ส.ต.อ.",
    ),
    roles=(
        "ประธาน", "เลขาธิการ", "รองเลขาธิการ", "หัวหน้า", "รองประธาน", "ผู้อำนวยการ", "รัฐมนตรี", "นายกรัฐมนตรี",
        "ผู้ว่าราชการ", "ผู้ว่าฯ", "โฆษก", "อธิบดี", "ปลัด", "ผู้บัญชาการ", "ผู้กำกับ", "อธิการบดี", "ผู้จัดการ",
    ),
    org_heads_before=(
        "คณะกรรมการ", "พรรค", "แนวร่วม", "สภา", "สมาคม", "สหภาพ", "กระทรวง", "รัฐบาล", "โปลิตบูโร",
        "กรม", "ธนาคาร", "มหาวิทยาลัย", "บริษัท", "สำนักงาน", "สถาบัน", "มูลนิธิ", "องค์การ", "สำนักข่าว", "สหพันธ์",
        "ชมรม",
    ),
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

# Heads whose next words name one body ("กระทรวงสาธารณสุข", the Ministry of Public
# Health; "บริษัทการบินไทย"), unlike "คณะกรรมการพรรค" (the Party committee): the
# guesser takes the head and the words after it up to a space or a function word.
BODY_HEADS = frozenset(
    ["กระทรวง", "กรม", "ธนาคาร", "มหาวิทยาลัย", "บริษัท", "สถาบัน", "มูลนิธิ", "องค์การ", "สำนักข่าว", "สำนักงาน",
     "สมาคม", "สหภาพ", "สหพันธ์", "ชมรม"]
)  # fmt: skip

# Designators abbreviated with a full stop (จ. จังหวัด province, อ. อำเภอ district, ต. ตำบล
# subdistrict): whole newmm tokens for the guesser only; as one-letter words they
# would match inside any word where the CRF's features look for a designator prefix.
ABBREVIATED_PLACES = frozenset(["จ.", "อ.", "ต."])

# Thailand's own units, which Thai writes glued on as part of the name: "จังหวัดเชียงใหม่"
# (Chiang Mai Province), "จ.เชียงใหม่", "อ.ขาณุวรลักษบุรี", "เขตบึงกุ่ม" (a district of
# Bangkok), "ประเทศไทย", the way Indonesian capitalises "Provinsi Jawa Barat" (inside the
# name by the guidelines; inside in ThaiNER too).
# The abbreviations are Thai administrative usage only; a full word counts when the name is a
# known place. เมือง, นคร, แขวง, ถนน stay outside: in our news they translate a Vietnamese
# common noun before a transliterated name ("นครห่าติ๋ญ", the guidelines' example).
ADMIN_UNITS = frozenset(["จังหวัด", "อำเภอ", "ตำบล", "เขต", "ประเทศ"]) | ABBREVIATED_PLACES

# Facilities and bodies whose name ends on a place, glued on: "โรงพยาบาลอ่างทอง" (Ang Thong
# Hospital), "วิทยาเขตหนองคาย" (the Nong Khai campus), "ศาลจังหวัดสมุทรปราการ" (the provincial
# court). The place is part of that name, which the guidelines do not label again, and where
# the name starts is not known: the guesser leaves the place out rather than guess either.
FACILITY_HEADS = (
    "โรงพยาบาล", "รพ.", "โรงเรียน", "วิทยาเขต", "ศาลจังหวัด", "ศาลอาญา", "ศาลแขวง", "ศาลากลาง", "สถานี",
    "สหกรณ์", "เครือข่าย", "เทศบาล", "ตำรวจภูธร", "กาชาด", "สำนักงาน",
)  # fmt: skip

# Heads that newmm keeps glued to the rest of the name when the whole is a
# dictionary word ("กระทรวงสาธารณสุข", "กรมปศุสัตว์", "องค์การอนามัยโลก"): a
# longer word that starts with one is a body (ThaiNER train: 560 of 580).
COMPOUND_HEADS = ("กระทรวง", "กรม", "องค์การ", "สำนัก", "มหาวิทยาลัย", "การรถไฟ", "การไฟฟ้า", "การท่าเรือ", "กองทัพ")
