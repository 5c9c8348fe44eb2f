"""Model families behind the one engine interface (issue 25): language tokens,
family detection, licences, the ``--model`` plan, and the two engines giving
the same strings for every family in float32 greedy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from family_models import tiny_family_model
from hypothesis import given
from hypothesis import strategies as st

from toolkit.languages import ISO_TO_NLLB, SOURCE_LANGS
from toolkit.translate.families import FAMILIES, FamilyError, LanguageNotInModelError, detect_family, iso_candidates
from toolkit.translate.licence import (
    UNKNOWN,
    LicenceError,
    card_licence,
    check_commercial,
    commercial_ok,
    model_licence,
)
from toolkit.translate.routing import EngineSpec, ModelPlanError, ModelRoute, plan_directions

SEED_SENTENCES = [
    "Pemerintah mengumumkan anggaran baru sebesar 5,2 triliun rupiah pada Senin.",
    "Regjeringen la fram et nytt budsjett på 2,4 milliarder kroner i Oslo.",
    "O governo anunciou 12 novas medidas em Lisboa.",
    "Ok",
]

# -- language tokens -------------------------------------------------------------


def test_iso_candidates_use_cldr_not_a_typed_list():
    assert iso_candidates("nob_Latn")[:2] == ["nb", "no"]  # M2M-100 and MADLAD spell Norwegian "no"
    assert "ms" not in iso_candidates("ind_Latn")  # Indonesian is never sent as Malay
    assert iso_candidates("vie_Latn") == ["vi", "vie"]


@pytest.mark.parametrize(
    "family, vocab, lang, token",
    [
        ("nllb", {"eng_Latn", "vie_Latn"}, "vie_Latn", "vie_Latn"),
        ("m2m100", {"__en__", "__no__", "__vi__"}, "nob_Latn", "__no__"),
        ("marian", {">>eng<<", ">>nob<<", ">>vie<<"}, "nob_Latn", ">>nob<<"),
        ("madlad", {"<2en>", "<2no>", "<2th>"}, "tha_Thai", "<2th>"),
    ],
)
def test_each_family_finds_its_token(family, vocab, lang, token):
    assert FAMILIES[family].token_for(lang, vocab, "m") == token


@given(st.sampled_from(sorted(ISO_TO_NLLB.values())), st.sampled_from(["nllb", "m2m100", "marian", "madlad"]))
def test_a_missing_language_is_one_line_naming_model_and_code(lang, family):
    fam = FAMILIES[family]
    vocab = {fam.token_forms("zz")[0] if fam.token_forms("zz") else "zzz_Zzzz"}  # a model of another language
    with pytest.raises(LanguageNotInModelError) as e:
        fam.token_for(lang, vocab, "some/model")
    assert "some/model" in str(e.value) and lang in str(e.value) and "\n" not in str(e.value)


def test_one_pair_marian_model_has_no_target_token():
    assert FAMILIES["marian"].token_for("eng_Latn", {"▁the", "</s>"}) is None


def test_unknown_model_type_is_refused(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(FamilyError, match="bert"):
        detect_family(tmp_path)


@pytest.mark.parametrize("family", ["marian", "m2m100", "madlad"])
def test_family_detected_from_config(family, tiny_model):
    assert detect_family(tiny_family_model(family)).name == family
    assert detect_family(tiny_model).name == "nllb"  # model_type m2m_100 too: the tokenizer tells


# -- licences --------------------------------------------------------------------


def test_licence_from_card_table_or_unknown(tmp_path):
    (tmp_path / "README.md").write_text("---\nlanguage: [no, en]\nlicense: CC-BY-4.0\ntags: [translation]\n---\n# x\n")
    assert card_licence(tmp_path) == "cc-by-4.0" and model_licence(str(tmp_path)) == "cc-by-4.0"
    assert model_licence("facebook/nllb-200-distilled-600M") == "cc-by-nc-4.0"
    assert model_licence("facebook/nllb-200-3.3B") == "cc-by-nc-4.0"
    assert model_licence("facebook/m2m100_1.2B") == "mit"
    assert model_licence("google/madlad400-3b-mt") == "apache-2.0"
    assert model_licence("Helsinki-NLP/opus-mt-tc-big-gmq-en") == UNKNOWN  # per model: its card says
    assert model_licence(str(tmp_path / "nowhere")) == UNKNOWN


@pytest.mark.parametrize(
    "licence, ok",
    [
        ("mit", True),
        ("apache-2.0", True),
        ("cc-by-4.0", True),
        ("cc-by-nc-4.0", False),
        ("cc-by-nc-sa-4.0", False),
        (UNKNOWN, False),
    ],
)
def test_commercial_guard(licence, ok):
    assert commercial_ok(licence) is ok
    if ok:
        check_commercial("m", licence)
    else:
        with pytest.raises(LicenceError, match=r"^--commercial: m has"):
            check_commercial("m", licence)


@pytest.mark.parametrize("family, licence", [("marian", "apache-2.0"), ("m2m100", "mit"), ("madlad", "apache-2.0")])
def test_tiny_models_carry_their_family_licence(family, licence):
    assert model_licence(str(tiny_family_model(family))) == licence


# -- the plan --------------------------------------------------------------------


def test_model_option_forms():
    assert ModelRoute.parse("facebook/m2m100_418M") == ModelRoute("facebook/m2m100_418M")
    assert ModelRoute.parse("nob_Latn-eng_Latn=Helsinki-NLP/opus-mt-tc-big-gmq-en").direction == (
        "nob_Latn",
        "eng_Latn",
    )
    assert ModelRoute.parse("nb-en=models/x") == ModelRoute("models/x", ("nob_Latn", "eng_Latn"))
    for bad in ("xx-en=models/x", "en-en=models/x", ""):
        with pytest.raises(ModelPlanError):
            ModelRoute.parse(bad)


def test_spec_refuses_ambiguous_or_incomplete_plans():
    with pytest.raises(ModelPlanError, match="twice"):
        EngineSpec.from_options(["a", "b"])
    with pytest.raises(ModelPlanError, match="two models for nob_Latn-eng_Latn"):
        EngineSpec.from_options(["nb-en=a", "nob_Latn-eng_Latn=b"])
    spec = EngineSpec.from_options(["nb-en=marian", "th-en=m2m"])
    spec.check_directions([("nob_Latn", "eng_Latn"), ("tha_Thai", "eng_Latn")])
    with pytest.raises(ModelPlanError, match="no model translates ind_Latn-eng_Latn"):
        spec.check_directions(plan_directions(None, ["eng_Latn"]))
    full = EngineSpec.from_options(["nb-en=marian", "nllb"])
    assert full.model_for("nob_Latn", "eng_Latn") == "marian" and full.model_for("tha_Thai", "vie_Latn") == "nllb"
    assert full.distinct_models() == ["marian", "nllb"] and full.primary == "nllb"
    assert EngineSpec.from_options([]).primary == "facebook/nllb-200-distilled-600M"


def test_plan_directions_cover_detection_and_the_round_trip():
    auto = plan_directions(None, ["eng_Latn", "vie_Latn"])
    assert len(auto) == len(SOURCE_LANGS) * 2
    assert plan_directions("nob_Latn", ["eng_Latn"], round_trip=True) == (
        ("nob_Latn", "eng_Latn"),
        ("eng_Latn", "nob_Latn"),
    )


# -- the engines agree, every family ---------------------------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Each tiny family model converted to CTranslate2 in float32."""
    from toolkit.translate.convert import convert_model

    out = {}
    for family in ("marian", "m2m100", "madlad"):
        src = tiny_family_model(family)
        out[family] = (src, convert_model(str(src), tmp_path_factory.mktemp(family) / "ct2", quantization="float32"))
    return out


@pytest.mark.parametrize(
    "family, src, tgt",
    [("marian", "nob_Latn", "eng_Latn"), ("m2m100", "tha_Thai", "eng_Latn"), ("madlad", "por_Latn", "vie_Latn")],
)
def test_both_engines_give_the_same_strings(converted, family, src, tgt):
    """float32 greedy: the transformers engine and CTranslate2 on the converted
    folder give the same translations (random weights, so every token counts),
    the same token counts, and the converted folder keeps family and licence."""
    from toolkit.translate.ct2 import CT2Engine
    from toolkit.translate.hf import HFEngine

    hf_dir, ct2_dir = converted[family]
    hf = HFEngine(hf_dir, device="cpu", threads=1)
    ct = CT2Engine(ct2_dir, device="cpu", threads=1)
    assert ct.family.name == hf.family.name == family
    assert ct.count_tokens(SEED_SENTENCES, src) == hf.count_tokens(SEED_SENTENCES, src)
    a = hf.translate_scored(SEED_SENTENCES, src, tgt)
    b = ct.translate_scored(SEED_SENTENCES, src, tgt)
    assert [h.text for h in a] == [h.text for h in b]
    assert all(h.text.strip() for h in a)
    assert not any(tok in h.text for h in a for tok in ("__en__", ">>eng<<", "<2vi>", "<pad>", "</s>"))
    if family != "madlad":
        # MADLAD: both suppress <pad>, but transformers renormalises the
        # probabilities after it and CTranslate2 does not; a trained model
        # gives <pad> no probability (random weights do), so only there do
        # the scores differ.
        assert [round(h.score, 3) for h in a] == [round(h.score, 3) for h in b]
        assert [h.tokens for h in a] == [h.tokens for h in b]
    pa, pb = hf.provenance(), ct.provenance()
    assert pa.family == pb.family == family and pa.licence == pb.licence != UNKNOWN
    assert Path(ct2_dir, "README.md").is_file()  # the card travels with the conversion


def test_a_target_the_model_lacks_is_one_line(converted):
    from toolkit.translate.ct2 import CT2Engine

    ct = CT2Engine(converted["madlad"][1], device="cpu", threads=1)
    with pytest.raises(LanguageNotInModelError, match="no language code for zul_Latn"):
        ct.translate_batch(["Ok"], "por_Latn", "zul_Latn")


def test_one_folder_named_two_ways_is_loaded_once(tmp_path, monkeypatch):
    (tmp_path / "m").mkdir()
    monkeypatch.chdir(tmp_path)
    spec = EngineSpec.from_options(["nb-en=./m", "m/"])
    assert spec.distinct_models() == [str((tmp_path / "m").resolve())]
