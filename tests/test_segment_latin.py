"""Latin-script sentence splitting: the traps, per language."""

from __future__ import annotations

import pytest

from toolkit.segment import get_segmenter

CASES = {
    "ind_Latn": [
        ("Tn. Nguyen Quoc Vu mengatakan bahwa semua berjalan baik. Itu benar.", 2),
        ("Indeks mencapai 88,8 poin (meningkat 0,87 poin). Peringkatnya naik.", 2),
        ("Jalan pesisir Vo Chi Cong... secara bertahap telah selesai. Lalu berikutnya.", 2),
        ("Isu seperti kompensasi tanah, pemukiman kembali... Kegiatan ini terbuka.", 2),
        ("Harganya Rp. 15.000 per kilo, dll. dan itu mahal. Ny. Sari setuju.", 2),
        ("Dr. Budi dan Prof. Ani hadir di sana. Mereka berbicara.", 2),
    ],
    "por_Latn": [
        ("O Sr. Silva disse que sim. A Sra. Costa também concordou.", 2),
        ("Segundo o Regulamento nº 6 do Comitê, tudo certo. O Regulamento n.º 11 do Politburo vale.", 2),
        ("Foram 395.000 presentes e 165,34 bilhões de VND... com um valor total alto. Depois veio mais.", 2),
        ("O Dr. Pereira chegou em 15 de outubro de 1930. Ele ficou.", 2),
        ("Entre eles, p.ex. Hanói e Huế. Isso é tudo.", 2),
    ],
    "nob_Latn": [
        ("I følge prosjekt nr. 23 bestemte komiteen 15. november 2024 seg for å velge. Neste setning her.", 2),
        ("Den 1. mai er det fri. Det er fint.", 2),
        ("Herr Le Quang Hat – visesekretær – sa at det gikk bra. Han sa bl.a. Nguyen var der.", 2),
        ("Dr. Hansen kom hjem. Han sa f.eks. Oslo er fint.", 2),
        ("Totalt 37,5 milliarder VND ble samlet inn. Det er mye.", 2),
        ("Organisasjoner og bedrifter ... med mer ble nevnt. Slutt.", 2),
    ],
    "vie_Latn": [
        ("Ông Nguyễn Văn A cho biết, năm 2024 đạt 88,8 điểm. TP. Hồ Chí Minh là thành phố lớn nhất.", 2),
        ("PGS. Trần Văn B phát biểu tại hội nghị. Hội nghị kết thúc lúc 17 giờ.", 2),
    ],
    "eng_Latn": [
        ("Mr. Smith went to Washington. He said 3.5 percent... and then left. Dr. Who came?", 3),
        ("The resolution No. 57 was adopted on Jan. 5. It took effect.", 2),
    ],
}


@pytest.mark.parametrize(("lang", "text", "n"), [(lang, t, n) for lang, cases in CASES.items() for t, n in cases])
def test_traps(lang: str, text: str, n: int) -> None:
    seg = get_segmenter(lang)
    sentences = seg.split(text)
    assert len(sentences) == n, sentences
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "")


def test_spans_are_stripped_and_exact() -> None:
    text = "  Tn. Vu datang.   Dia senang.\u200b "
    spans = get_segmenter("ind_Latn").spans(text)
    assert [text[s:e] for s, e in spans] == ["Tn. Vu datang.", "Dia senang."]


def test_iso_codes_work() -> None:
    assert get_segmenter("pt") is get_segmenter("por_Latn")


def test_unsupported_script_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no sentence segmenter"):
        get_segmenter("zho_Hans")


@pytest.mark.parametrize("prefix", ["Rp.", "rp.", "RP.", "No.", "no.", "NO."])
def test_a_number_prefix_in_any_case_keeps_its_number(prefix: str) -> None:
    text = f"Harga beras naik menjadi {prefix} 55.000 per karung di pasar induk. Pedagang mengeluh."
    assert [s.startswith("Pedagang") for s in get_segmenter("ind_Latn").split(text)] == [False, True]
