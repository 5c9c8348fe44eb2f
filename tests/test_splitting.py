"""Splitting over-long sentences at clause boundaries, and joining them again."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from toolkit.translate.splitting import join_pieces, split_long

REPO = Path(__file__).resolve().parents[1]


def words(texts):
    """A stand-in tokenizer: a token per word, plus the language code and </s>."""
    return [len(t.split()) + 2 for t in texts]


def chars(texts):
    """A stand-in tokenizer for scripts without spaces: a token per 3 characters."""
    return [len(t) // 3 + 2 for t in texts]


def nospace(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _check(text, lang, count, max_tokens):
    pieces = split_long(text, lang, count, max_tokens)
    assert nospace("".join(pieces)) == nospace(text)  # nothing lost, nothing reordered
    assert all(p.strip() == p and p for p in pieces)
    assert max(count(pieces)) <= max_tokens
    return pieces


def test_short_text_is_untouched():
    assert split_long("  Halo dunia.  ", "ind_Latn", words, 10) == ["  Halo dunia.  "]


def test_strongest_boundary_first():
    text = "Pada tahun 2024, kami pergi ke Hanoi; lalu kami makan dan minum di sana bersama"
    assert _check(text, "ind_Latn", words, 10) == [
        "Pada tahun 2024, kami pergi ke Hanoi;",
        "lalu kami makan dan minum di sana bersama",
    ]


def test_commas_then_conjunctions_then_spaces():
    text = "Binh Thuan membangun jalan, jembatan dan pelabuhan baru serta sekolah untuk rakyat di desa"
    pieces = _check(text, "ind_Latn", words, 7)
    assert pieces[0] == "Binh Thuan membangun jalan,"
    assert any(p.startswith(("dan ", "serta ", "untuk ")) for p in pieces[1:])
    _check(text, "ind_Latn", words, 3)  # down to single words


def test_dash_and_portuguese_conjunctions():
    text = "O comitê provincial - presidido por Nguyen Duc Dung - aprovou o plano e os recursos para 2025"
    pieces = _check(text, "por_Latn", words, 8)
    assert pieces[0].endswith("-") and "Nguyen Duc Dung" in " ".join(pieces)


def test_thai_spaces_are_clause_boundaries():
    clause = "คณะกรรมการพรรคจังหวัดได้จัดการประชุม"
    text = " ".join([clause] * 10)
    pieces = _check(text, "tha_Thai", chars, 40)
    assert all(p.replace(" ", "") and set(p.split()) == {clause} for p in pieces)


def test_thai_5000_characters_without_spaces_cut_between_words():
    clause = "คณะกรรมการพรรคจังหวัดได้จัดการประชุมและทำงานระดมมวลชน"
    text = (clause * (5000 // len(clause) + 1))[:5000]
    t0 = time.perf_counter()
    pieces = _check(text, "tha_Thai", chars, 100)
    assert time.perf_counter() - t0 < 10
    # Never a combining vowel or tone mark at the start of a piece.
    import unicodedata

    assert all(unicodedata.category(p[0])[0] != "M" for p in pieces)


def test_one_megabyte_line_without_punctuation_is_fast():
    text = " ".join(["kata"] * 200_000)  # 1 MB, no punctuation
    t0 = time.perf_counter()
    pieces = _check(text, "ind_Latn", words, 200)
    assert time.perf_counter() - t0 < 10 and len(pieces) == -(-200_000 // 198)  # full pieces of 198 words


def test_one_megabyte_without_spaces_falls_back_to_characters():
    text = "a" * 1_000_000
    t0 = time.perf_counter()
    pieces = _check(text, "ind_Latn", chars, 100)
    assert time.perf_counter() - t0 < 10
    assert len(pieces) > 10_000


def test_no_room_for_text():
    with pytest.raises(ValueError, match="special tokens"):
        split_long("a b c d", "ind_Latn", words, 2)


def test_join_pieces():
    assert join_pieces([" In 2024, ", "we went; ", "", "home."], "eng_Latn") == "In 2024, we went; home."
    assert join_pieces(["我们", "回家"], "zho_Hans") == "我们回家"


@pytest.mark.e2e
def test_real_tokenizer_on_a_seed_paragraph(tiny_model_untrained):
    """With the NLLB tokenizer's own counts, a long Thai seed paragraph splits
    into pieces that all fit."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(tiny_model_untrained))
    tok.src_lang = "tha_Thai"

    def count(texts):
        return [len(ids) for ids in tok(list(texts), verbose=False)["input_ids"]]

    para = max((REPO / "seeds").glob("003_*.txt")).read_text(encoding="utf-8")
    para = " ".join(para.split())[:5000]
    t0 = time.perf_counter()
    pieces = _check(para, "tha_Thai", count, 48)
    assert time.perf_counter() - t0 < 20 and len(pieces) > 5
