"""NllbTokens (the CTranslate2 engine's tokenizer) against transformers' NllbTokenizerFast.

Both read the tiny model's tokenizer files; every seed sentence, in every
source language, must give the same pieces and decode to the same text.
"""

from __future__ import annotations

import json
import shutil

import pytest
from helpers import SEEDS

from toolkit.translate.nllb_tokens import NllbTokens

pytestmark = pytest.mark.e2e

LANGS = ("ind_Latn", "por_Latn", "nob_Latn", "tha_Thai", "vie_Latn", "eng_Latn")


def _lines() -> list[str]:
    lines = []
    for f in sorted(SEEDS.glob("*.txt")):
        lines += [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines + ["", "  two  spaces ", "don 't stop , please !", "1.071,5 km²"]


def _hf(folder):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(folder))


@pytest.mark.parametrize("lang", LANGS)
def test_pieces_match_transformers(tiny_model, lang):
    hf, ours = _hf(tiny_model), NllbTokens(tiny_model)
    hf.src_lang = lang
    lines = _lines()
    want = [hf.convert_ids_to_tokens(ids) for ids in hf(lines)["input_ids"]]
    got = ours.encode(lines, lang)
    assert got == want
    assert got[0][0] == lang and got[0][-1] == "</s>"


def test_decoding_matches_transformers(tiny_model):
    hf, ours = _hf(tiny_model), NllbTokens(tiny_model)
    for pieces in ours.encode(_lines(), "vie_Latn"):
        ids = hf.convert_tokens_to_ids(pieces)
        assert ours.decode(pieces) == hf.decode(ids, skip_special_tokens=True)


@pytest.mark.parametrize("forced", [False, True])
def test_config_flags_are_honoured(tiny_model, tmp_path, forced):
    folder = tmp_path / "tok"
    shutil.copytree(tiny_model, folder, ignore=shutil.ignore_patterns("*.safetensors", "*.bin"))
    cfg = json.loads((folder / "tokenizer_config.json").read_text())
    cfg.update(legacy_behaviour=True, clean_up_tokenization_spaces=True)
    if forced:
        cfg["clean_up_tokenization_spaces_for_bpe_even_though_it_will_corrupt_output"] = True
    (folder / "tokenizer_config.json").write_text(json.dumps(cfg))
    hf, ours = _hf(folder), NllbTokens(folder)
    hf.src_lang = "ind_Latn"
    line = "Harga naik , kata dia !"
    pieces = ours.encode([line], "ind_Latn")[0]
    assert [pieces] == [hf.convert_ids_to_tokens(hf(line)["input_ids"])]
    assert pieces[-2:] == ["</s>", "ind_Latn"]
    text = ours.decode(pieces)
    assert text == hf.decode(hf.convert_tokens_to_ids(pieces), skip_special_tokens=True)
    assert (" ," in text) is not forced  # the clean-up ran only when forced


def test_unknown_language_and_missing_file_are_clear(tiny_model, tmp_path):
    with pytest.raises(ValueError, match="xyz_Latn"):
        NllbTokens(tiny_model).encode(["a"], "xyz_Latn")
    with pytest.raises(FileNotFoundError, match="tokenizer.json"):
        NllbTokens(tmp_path)
