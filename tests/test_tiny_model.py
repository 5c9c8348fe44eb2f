"""The tiny NLLB test model: real classes, NLLB conventions, a working copy."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.e2e


def test_loads_like_the_real_model(tiny_model_untrained):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, M2M100ForConditionalGeneration, NllbTokenizerFast
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    tok = AutoTokenizer.from_pretrained(str(tiny_model_untrained))
    model = AutoModelForSeq2SeqLM.from_pretrained(str(tiny_model_untrained))
    assert isinstance(tok, NllbTokenizerFast) and isinstance(model, M2M100ForConditionalGeneration)
    assert model.config.vocab_size == len(tok) and model.config.decoder_start_token_id == 2
    assert tok.convert_tokens_to_ids(["<s>", "<pad>", "</s>", "<unk>"]) == [0, 1, 2, 3]
    ids = tok.convert_tokens_to_ids(list(FAIRSEQ_LANGUAGE_CODES))
    assert len(set(ids)) == 202 and tok.unk_token_id not in ids
    # Source: [lang] X </s> (NLLB's non-legacy behaviour); decoding drops both.
    tok.src_lang = "tha_Thai"
    enc = tok("ในปี 2567 ห่าติ๋ญ")
    assert enc.input_ids[0] == tok.convert_tokens_to_ids("tha_Thai") and enc.input_ids[-1] == 2
    assert tok.decode(enc.input_ids, skip_special_tokens=True) == "ในปี 2567 ห่าติ๋ญ"
    # Vietnamese diacritics are in the vocabulary (no <unk>).
    assert tok.unk_token_id not in tok("Nguyễn Đức Dũng, Quảng Nam").input_ids


def test_copy_model_copies_digits_and_names(tiny_model):
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    info = json.loads((tiny_model / "tiny_nllb.json").read_text())
    assert info["copy_trained"] and info["copy_accuracy"]["char_similarity"] > 0.9
    tok = AutoTokenizer.from_pretrained(str(tiny_model))
    model = AutoModelForSeq2SeqLM.from_pretrained(str(tiny_model)).eval()
    tok.src_lang = "ind_Latn"
    src = ["Pada tahun 2024, Binh Thuan mencapai hasil luar biasa.", "Nguyen Duc Dung memberikan 15 sertifikat."]
    enc = tok(src, return_tensors="pt", padding=True)
    with torch.inference_mode():
        out = model.generate(
            **enc, forced_bos_token_id=tok.convert_tokens_to_ids("vie_Latn"), num_beams=2, max_new_tokens=40
        )
    assert out[0, 1].item() == tok.convert_tokens_to_ids("vie_Latn")  # forced BOS after decoder start </s>
    got = tok.batch_decode(out, skip_special_tokens=True)
    for s, g in zip(src, got, strict=True):
        for keep in ("2024", "Binh Thuan", "15", "Nguyen Duc Dung"):
            if keep in s:
                assert keep in g


def test_build_is_deterministic(tmp_path, tiny_model_untrained):
    sys.path.insert(0, str(REPO / "models"))
    import tiny_nllb

    again = tiny_nllb.build_tiny_nllb(tmp_path / "again", copy_trained=False, log=lambda *_: None)
    for name in ("model.safetensors", "tokenizer.json"):
        assert (again / name).read_bytes() == (tiny_model_untrained / name).read_bytes()


def test_eval_sentences_are_short_seed_sentences():
    sys.path.insert(0, str(REPO / "models"))
    import tiny_nllb

    sents = tiny_nllb.eval_sentences(8)
    assert len(sents) == 8 and all(5 <= len(s.split()) <= 20 for s in sents)
