"""What names are made of, per language: titles, designators, connectors, and org heads.

A Vietnamese body is named the same way in every language of the toolkit:
a head ("District Party Committee", "Huyện ủy", "Komite Partai Distrik",
"distriktets partikomité", "คณะกรรมการพรรคเขต") and a place name, joined
by a connector or nothing, in the order the language likes. ``CONCEPTS``
holds the heads of the bodies these news stories name, each with its
spellings per language (NLLB code), so that an ORG span can be read as
heads + names and found again in a translation in another order.

The list is written for Vietnamese public life (party committees, people's
committees and councils, the Fatherland Front, mass mobilisation boards);
a head missing here only costs recall: the ORG is then not projected.
Lowercase designators ("distrik", "huyện", "นคร") and titles ("Bapak",
"ông", "นาย") stay outside names by the annotation guidelines, so they are
stripped from a span before it is looked for.
"""

from __future__ import annotations

from toolkit.projection.text import fold_key

TITLES: dict[str, tuple[str, ...]] = {
    "ind_Latn": ("Bapak", "Bpk.", "Ibu", "Tn.", "Ny.", "Sdr.", "Kawan"),
    "por_Latn": ("Sr.", "Sra.", "Senhor", "Senhora", "camarada"),
    "nob_Latn": ("Herr", "Fru", "Kamerat"),
    "tha_Thai": ("นางสาว", "นาย", "นาง", "สหาย"),
    "eng_Latn": ("Mr.", "Mrs.", "Ms.", "Mr", "Mrs", "Ms", "Comrade"),
    "vie_Latn": ("ông", "bà", "đồng chí", "anh", "chị"),
}

DESIGNATORS: dict[str, tuple[str, ...]] = {
    "ind_Latn": (
        "distrik",
        "kabupaten",
        "provinsi",
        "kota",
        "desa",
        "kecamatan",
        "komune",
        "kelurahan",
        "pelabuhan",
        "jalan",
    ),
    "por_Latn": ("distrito", "província", "provincia", "cidade", "comuna", "município", "bairro", "rua", "porto"),
    "nob_Latn": ("distriktet", "distrikt", "provinsen", "kommunen", "kommune", "byen", "riksvei", "havn"),
    "tha_Thai": ("จังหวัด", "อำเภอ", "เขต", "ตำบล", "นคร", "เมือง", "แขวง", "ถนน", "ชุมชน"),
    "eng_Latn": (
        "district",
        "province",
        "city",
        "commune",
        "ward",
        "town",
        "port",
        "road",
        "street",
        "national highway",
        "highway",
    ),
    "vie_Latn": (
        "thành phố",
        "thị xã",
        "thị trấn",
        "huyện",
        "tỉnh",
        "xã",
        "phường",
        "quận",
        "cảng",
        "đường",
        "quốc lộ",
    ),
}

# Words allowed between the pieces of a name in each language ("Standing
# Committee *of the* Nui Thanh District Party Committee", "Ban Dân vận *của*").
CONNECTORS: dict[str, tuple[str, ...]] = {
    "ind_Latn": ("dari", "di"),
    "por_Latn": ("de", "do", "da", "dos", "das"),
    "nob_Latn": ("i", "til", "for"),
    "tha_Thai": ("ของ", "ประจำ", "แห่ง"),
    "eng_Latn": ("of", "the", "'s", "s"),
    "vie_Latn": ("của",),
}

# concept -> language -> spellings. Several spellings per language are the
# variants translators and the engine write; the longest match wins.
CONCEPTS: dict[str, dict[str, tuple[str, ...]]] = {
    "district_party_committee": {
        "ind_Latn": ("Komite Partai Distrik", "Komite Partai Kabupaten"),
        "por_Latn": ("Comitê Distrital do Partido", "Comitê do Partido do Distrito"),
        "nob_Latn": ("distriktspartikomiteen", "distriktets partikomité", "distriktspartiet", "distriktspartikomité"),
        "tha_Thai": ("คณะกรรมการพรรคเขต", "คณะกรรมการพรรคอำเภอ"),
        "eng_Latn": ("District Party Committee",),
        "vie_Latn": ("Huyện ủy", "Huyện uỷ", "Ban Chấp hành Đảng bộ huyện", "Đảng bộ huyện"),
    },
    "provincial_party_committee": {
        "ind_Latn": ("Komite Partai Provinsi",),
        "por_Latn": ("Comitê Provincial do Partido",),
        "nob_Latn": ("den provinsielle partikomiteen", "provinsielle partikomiteen", "provinspartikomiteen"),
        "tha_Thai": ("คณะกรรมการพรรคประจำจังหวัด", "คณะกรรมการพรรคจังหวัด"),
        "eng_Latn": ("Provincial Party Committee",),
        "vie_Latn": ("Tỉnh ủy", "Tỉnh uỷ", "Ban Chấp hành Đảng bộ tỉnh"),
    },
    "city_party_committee": {
        "ind_Latn": ("Komite Partai Kota",),
        "por_Latn": ("Comitê Municipal do Partido",),
        "nob_Latn": ("bypartikomiteen",),
        "tha_Thai": ("คณะกรรมการพรรคเมือง",),
        "eng_Latn": ("City Party Committee", "Municipal Party Committee"),
        "vie_Latn": ("Thành ủy", "Thành uỷ", "Thị ủy", "Thị uỷ"),
    },
    "party_committee": {
        "ind_Latn": ("Komite Partai",),
        "por_Latn": ("Comitê do Partido",),
        "nob_Latn": ("partikomiteen", "partikomité"),
        "tha_Thai": ("คณะกรรมการพรรค",),
        "eng_Latn": ("Party Committee",),
        "vie_Latn": ("Đảng ủy", "Đảng uỷ", "Thành ủy", "Thành uỷ", "Tỉnh ủy", "Huyện ủy"),
    },
    "provincial_party_standing_committee": {
        "por_Latn": ("Comitê Permanente Provincial do Partido",),
        "nob_Latn": ("den provinsielle partikomiteens stående komité", "den provinsielle partiets stående komité"),
        "tha_Thai": ("คณะกรรมการถาวรของพรรคประจำจังหวัด",),
        "eng_Latn": ("Provincial Party Standing Committee", "Standing Committee of the Provincial Party Committee"),
        "vie_Latn": ("Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh uỷ"),
    },
    "standing_committee": {
        "ind_Latn": ("Komite Tetap",),
        "por_Latn": ("Comitê Permanente",),
        "nob_Latn": ("den stående komiteen", "stående komité", "stående komiteen"),
        "tha_Thai": ("คณะกรรมการถาวร", "คณะกรรมการประจำ"),
        "eng_Latn": ("Standing Committee", "Standing Board"),
        "vie_Latn": ("Ban Thường vụ",),
    },
    "mass_mobilisation_commission": {
        "ind_Latn": ("Komite Mobilisasi Massa", "Komisi Mobilisasi Massa"),
        "por_Latn": ("Comitê de Mobilização de Massas", "Comissão de Mobilização de Massas"),
        "nob_Latn": (
            "massemobiliseringskommisjonen",
            "massemobiliseringskomiteen",
            "massemobiliseringskomité",
            "kommisjon for massemobilisering",
        ),
        "tha_Thai": ("คณะกรรมการระดมพลมวลชน", "คณะกรรมการระดมมวลชน", "คณะกรรมการระดมพล"),
        "eng_Latn": (
            "Mass Mobilization Commission",
            "Mass Mobilisation Commission",
            "Mass Mobilization Committee",
            "Mass Mobilization Board",
            "Mass Mobilization Department",
        ),
        "vie_Latn": ("Ban Dân vận",),
    },
    "district_peoples_committee": {
        "ind_Latn": ("Komite Rakyat Distrik", "Komite Rakyat Kabupaten"),
        "tha_Thai": ("คณะกรรมการประชาชนอำเภอ",),
        "eng_Latn": ("District People's Committee",),
        "vie_Latn": ("Ủy ban nhân dân huyện", "Uỷ ban nhân dân huyện", "UBND huyện"),
    },
    "ward_peoples_committee": {
        "tha_Thai": ("คณะกรรมการประชาชนแขวง", "คณะกรรมการประชาชนตำบล", "คณะกรรมการประชาชนเขต"),
        "eng_Latn": ("Ward People's Committee", "Commune People's Committee"),
        "vie_Latn": ("Ủy ban nhân dân phường", "Ủy ban nhân dân xã", "UBND phường", "UBND xã"),
    },
    "provincial_peoples_committee": {
        "por_Latn": ("Comitê Popular Provincial",),
        "nob_Latn": ("den provinsielle folkekomiteen", "provinsielle folkekomiteen"),
        "eng_Latn": ("Provincial People's Committee",),
        "vie_Latn": ("Ủy ban nhân dân tỉnh", "UBND tỉnh"),
    },
    "peoples_committee": {
        "ind_Latn": ("Komite Rakyat",),
        "por_Latn": ("Comitê Popular",),
        "nob_Latn": ("folkekomiteen", "folkekomité"),
        "tha_Thai": ("คณะกรรมการประชาชน",),
        "eng_Latn": ("People's Committee",),
        "vie_Latn": ("Ủy ban nhân dân", "Uỷ ban nhân dân", "UBND"),
    },
    "city_peoples_council": {
        "tha_Thai": ("สภาประชาชนเมือง",),
        "eng_Latn": ("City People's Council",),
        "vie_Latn": ("Hội đồng nhân dân thành phố", "HĐND thành phố"),
    },
    "provincial_peoples_council": {
        "nob_Latn": ("det provinsielle folkerådet",),
        "eng_Latn": ("Provincial People's Council",),
        "vie_Latn": ("Hội đồng nhân dân tỉnh", "HĐND tỉnh"),
    },
    "vff_committee": {
        "ind_Latn": ("Komite Front Tanah Air Vietnam",),
        "nob_Latn": ("Vietnams fedrelandsfrontkomité",),
        "eng_Latn": ("Vietnam Fatherland Front Committee", "Committee of the Vietnam Fatherland Front"),
        "vie_Latn": ("Ủy ban Mặt trận Tổ quốc Việt Nam", "Uỷ ban Mặt trận Tổ quốc Việt Nam"),
    },
    "city_ff_committee": {
        "tha_Thai": ("คณะกรรมการแนวร่วมปิตุภูมิเมือง",),
        "eng_Latn": ("City Fatherland Front Committee",),
        "vie_Latn": ("Ủy ban Mặt trận Tổ quốc thành phố", "Ủy ban MTTQ thành phố"),
    },
    "vietnam_fatherland_front": {
        "ind_Latn": ("Front Tanah Air Vietnam",),
        "por_Latn": ("Frente Pátria Vietnamita", "Frente Pátria do Vietnã", "Frente da Pátria do Vietnã"),
        "nob_Latn": ("Vietnams fedrelandsfront",),
        "tha_Thai": ("แนวร่วมปิตุภูมิเวียดนาม",),
        "eng_Latn": ("Vietnam Fatherland Front", "Vietnamese Fatherland Front"),
        "vie_Latn": ("Mặt trận Tổ quốc Việt Nam",),
    },
    "fatherland_front": {
        "ind_Latn": ("Front Tanah Air",),
        "por_Latn": ("Frente Pátria",),
        "nob_Latn": ("Fedrelandsfronten",),
        "tha_Thai": ("แนวร่วมปิตุภูมิ",),
        "eng_Latn": ("Fatherland Front",),
        "vie_Latn": ("Mặt trận Tổ quốc", "Mặt trận"),
    },
    "national_assembly": {
        "ind_Latn": ("Majelis Nasional",),
        "por_Latn": ("Assembleia Nacional",),
        "nob_Latn": ("nasjonalforsamlingen",),
        "tha_Thai": ("สมัชชาแห่งชาติ",),
        "eng_Latn": ("National Assembly",),
        "vie_Latn": ("Quốc hội",),
    },
    "politburo": {
        "ind_Latn": ("Politbiro", "Politburo"),
        "por_Latn": ("Politburo", "Politbureau"),
        "nob_Latn": ("politbyrået", "Politbyrået"),
        "tha_Thai": ("โปลิตบูโร",),
        "eng_Latn": ("Politburo",),
        "vie_Latn": ("Bộ Chính trị",),
    },
    "central_government": {
        "ind_Latn": ("Pemerintah Pusat",),
        "por_Latn": ("Governo Central",),
        "nob_Latn": ("sentralregjeringen",),
        "eng_Latn": ("Central Government",),
        "vie_Latn": ("Chính phủ Trung ương", "Trung ương"),
    },
    "central_committee": {
        "ind_Latn": ("Komite Sentral",),
        "por_Latn": ("Comitê Central",),
        "nob_Latn": ("sentralkomiteen",),
        "tha_Thai": ("คณะกรรมการกลาง",),
        "eng_Latn": ("Central Committee",),
        "vie_Latn": ("Ban Chấp hành Trung ương", "Trung ương"),
    },
    "provincial_public_admin_centre": {
        "por_Latn": ("Centro Provincial de Administração Pública",),
        "eng_Latn": ("Provincial Public Administration Center", "Provincial Public Administration Centre"),
        "vie_Latn": ("Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm Hành chính công tỉnh"),
    },
    "industrial_park": {
        "ind_Latn": ("Taman Industri", "Kawasan Industri"),
        "por_Latn": ("Parque Industrial",),
        "nob_Latn": ("industriparken",),
        "tha_Thai": ("นิคมอุตสาหกรรม",),
        "eng_Latn": ("Industrial Park", "Industrial Zone"),
        "vie_Latn": ("Khu công nghiệp",),
    },
    "farmers_association": {
        "ind_Latn": ("Asosiasi Petani",),
        "tha_Thai": ("สมาคมเกษตรกร",),
        "eng_Latn": ("Farmers' Association", "Farmers Association", "Farmers' Union"),
        "vie_Latn": ("Hội Nông dân",),
    },
}


def _by_length(forms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(forms, key=len, reverse=True))


def titles(lang: str) -> tuple[str, ...]:
    return _by_length(TITLES.get(lang, ()))


def designators(lang: str) -> tuple[str, ...]:
    return _by_length(DESIGNATORS.get(lang, ()))


def filler_words(lang: str) -> frozenset[str]:
    """Folded words that may stand between the pieces of a name: connectors and designators."""
    words: set[str] = set()
    for w in CONNECTORS.get(lang, ()) + DESIGNATORS.get(lang, ()):
        words.update(fold_key(w).split())
    return frozenset(words)


def heads(lang: str) -> list[tuple[str, str]]:
    """(folded spelling, concept) for every head spelled in ``lang``, longest first."""
    out = [(fold_key(form), concept) for concept, forms in CONCEPTS.items() for form in forms.get(lang, ())]
    return sorted(set(out), key=lambda p: (-len(p[0]), p[1]))


def spellings(concept: str, lang: str) -> tuple[str, ...]:
    """The folded spellings of ``concept`` in ``lang``, longest first; empty if the language has none."""
    return tuple(sorted({fold_key(f) for f in CONCEPTS.get(concept, {}).get(lang, ())}, key=len, reverse=True))
