"""Whole documents: the coverage invariant on the seeds, non-body lines, nasty inputs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from toolkit.io.read import iter_documents
from toolkit.records import Document, Sentence
from toolkit.segment import HARD_MAX_CHARS, segment_document, split_lines
from toolkit.segment.base import is_ignorable
from toolkit.segment.boilerplate import classify_lines, line_reason

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LANGS = {"000": "ind_Latn", "001": "por_Latn", "002": "nob_Latn", "003": "tha_Thai", "004": "tha_Thai"}


def _seed_docs() -> list[Document]:
    docs = [d for d in iter_documents(SEEDS) if isinstance(d, Document)]
    for d in docs:
        d.lang = LANGS[d.path[:3]]
    return docs


def assert_covers(doc: Document, sentences: list[Sentence]) -> None:
    """Every visible character in exactly one sentence; sentences in order, exact, stripped."""
    owner = [0] * len(doc.text)
    last_end = -1
    for s in sentences:
        assert doc.text[s.start : s.end] == s.text
        assert s.text and not is_ignorable(s.text[0]) and not is_ignorable(s.text[-1])
        assert s.start >= last_end, "sentences overlap or are out of order"
        last_end = s.end
        for i in range(s.start, s.end):
            owner[i] += 1
    for i, ch in enumerate(doc.text):
        if not is_ignorable(ch):
            assert owner[i] == 1, (doc.path, i, ch)
    keys = [(s.para, s.idx) for s in sentences]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


@pytest.mark.parametrize("doc", _seed_docs(), ids=lambda d: d.path[:3])
def test_seed_invariant(doc: Document) -> None:
    sentences = segment_document(doc)
    assert_covers(doc, sentences)
    assert sum(s.is_body for s in sentences) > 10


def test_seed_non_body_lines() -> None:
    got = {d.path[:3]: [(s.reason, s.text) for s in segment_document(d) if not s.is_body] for d in _seed_docs()}
    assert got["000"] == [("source_line", "Sumber"), ("comment_counter", "Komentar (0)")]
    assert got["001"][0] == ("ad_placeholder", "[anúncio_2]")
    assert [r for r, _ in got["001"]] == ["ad_placeholder", "source_line", "comment_counter"]
    assert got["003"] == [
        (
            "source_line",
            "ที่มา: https://kinhtedothi.vn/ha-noi-vi-the-vai-tro-cua-cong-tac-dan-van-tiep-tuc-duoc-nang-len.html",
        ),
        ("comment_counter", "การแสดงความคิดเห็น (0)"),
    ]
    assert got["004"] == [
        ("byline", "ทู ฮา"),
        ("source_line", "แหล่งที่มา"),
        ("comment_counter", "การแสดงความคิดเห็น (0)"),
    ]
    nb = dict((t, r) for r, t in got["002"])
    assert nb["Vietnam.vn - Nền tảng quảng bá Việt Nam"] == "site_banner"
    assert nb["Việt NamViệt Nam07/01/2025"] == "dateline"
    assert nb["[annonse_1]"] == "ad_placeholder" and nb["dsc01120.jpg"] == "image_file"
    assert nb["Foto: TAM DAN"] == "photo_credit"
    assert nb["No data"] == "placeholder" and nb["I samme emne"] == "navigation"
    assert nb["Regnet øste ned, gatene ble til elver, folk fra Hanoi brakte båter ut i gatene"] == "page_footer"
    assert nb["Produkt"] == "page_footer"


def test_seed_headings_and_captions_are_body() -> None:
    body = {s.text for d in _seed_docs() for s in segment_document(d) if s.is_body}
    for heading in [
        "Fokus pada mobilisasi massa pemerintah",
        "Menuju pangkalan",
        "Plataforma de conexão de poder popular",
        "Rettidig fjerning av hindringer",
        "Quang Nam anvender effektivt massemobiliseringsarbeid for å skape solidaritet og konsensus.",
        "การทำงานของระบบระดมมวลชนมีความสอดคล้องและมีประสิทธิภาพ",
        "ครัวเรือนจำนวนมากบนถนนฟู่ฮ่าว (แขวงฮาฮุยทับ) บริจาคที่ดินเพื่อขยายถนน",
    ]:
        assert heading in body, heading


@pytest.mark.parametrize(
    "line",
    [
        "Sumber daya alam harus dijaga oleh seluruh masyarakat",
        "Fonte de renda das famílias aumentou em 2024",
        "Komentar warga sangat positif (dalam survei)",
        "Kilden til problemet er kjent",
    ],
)
def test_body_lines_that_look_like_boilerplate(line: str) -> None:
    assert line_reason(line) is None


def test_footer_only_in_second_half() -> None:
    lines = [
        "Komentar (0)",
        "Ini kalimat isi berita yang panjang sekali untuk tes ini.",
        "Dan satu lagi yang juga isi.",
    ]
    assert classify_lines(lines) == ["comment_counter", None, None]


def _doc(text: str, lang: str) -> Document:
    return Document(path="t.txt", text=text, lang=lang)


def test_crlf_and_blank_lines() -> None:
    text = "Judul berita\r\n\r\nTn. Vu datang. Dia senang.\r\n\r\n\r\nSumber\r\n"
    doc = _doc(text, "ind_Latn")
    sents = segment_document(doc)
    assert_covers(doc, sents)
    assert [(s.para, s.idx, s.text) for s in sents] == [
        (0, 0, "Judul berita"),
        (1, 0, "Tn. Vu datang."),
        (1, 1, "Dia senang."),
        (2, 0, "Sumber"),
    ]
    assert split_lines("a\r\nb\rc\nd") == [(0, 1), (3, 4), (5, 6), (7, 8)]


def test_emoji_zero_width_and_rtl() -> None:
    text = "\u200bHalo 👨‍👩‍👧 semua. Ini \u200fעברית\u200f dan مرحبا di tengah kalimat.\u200d\n\ufeff\u200b\n"
    doc = _doc(text, "ind_Latn")
    sents = segment_document(doc)
    assert_covers(doc, sents)
    assert [s.text for s in sents] == ["Halo 👨‍👩‍👧 semua.", "Ini \u200fעברית\u200f dan مرحبا di tengah kalimat."]


def test_megabyte_line_without_punctuation_is_capped() -> None:
    text = ("kata " * 200_000).strip()
    doc = _doc(text, "ind_Latn")
    t0 = time.perf_counter()
    sents = segment_document(doc)
    assert time.perf_counter() - t0 < 30
    assert_covers(doc, sents)
    assert max(len(s.text) for s in sents) <= HARD_MAX_CHARS


def test_thai_5000_characters_in_a_document() -> None:
    line = " ".join(s for s in (SEEDS / "003_16970dbbe9772abc.txt").read_text(encoding="utf-8").splitlines())[:5000]
    doc = _doc(line + "\n", "tha_Thai")
    sents = segment_document(doc)
    assert_covers(doc, sents)
    assert len(sents) > 10


def test_missing_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="t.txt: no language"):
        segment_document(_doc("Halo.", None))  # type: ignore[arg-type]
