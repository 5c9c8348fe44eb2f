"""The CTranslate2 engine and the converter, on the tiny NLLB model.

Real conversion (CTranslate2's converter), real translators, real files.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.run import Provenance
from toolkit.translate.convert import QUANTIZATIONS, convert_model, ensure_converted, is_ct2_model
from toolkit.translate.engine import GenerationSettings, ModelNotFoundError

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.e2e


def _sentences(n: int) -> list[str]:
    sys.path.insert(0, str(REPO / "models"))
    import tiny_nllb

    return tiny_nllb.eval_sentences(n)


@pytest.fixture(scope="module")
def ct2_f32(tiny_model, tmp_path_factory):
    return convert_model(str(tiny_model), tmp_path_factory.mktemp("ct2") / "f32", quantization="float32")


@pytest.fixture(scope="module")
def ct2_int8(tiny_model, tmp_path_factory):
    return convert_model(str(tiny_model), tmp_path_factory.mktemp("ct2") / "int8", quantization="int8")


def test_converted_folder_is_self_contained(tiny_model, ct2_f32):
    names = {p.name for p in ct2_f32.iterdir()}
    assert {"model.bin", "config.json", "tokenizer.json", "tokenizer_config.json", "toolkit-convert.json"} <= names
    assert is_ct2_model(ct2_f32) and not is_ct2_model(tiny_model)
    meta = json.loads((ct2_f32 / "toolkit-convert.json").read_text())
    assert meta["source_model"] == str(tiny_model)
    assert meta["quantization"] == "float32" and meta["ctranslate2_version"]
    assert (
        meta["max_source_positions"] == json.loads((tiny_model / "config.json").read_text())["max_position_embeddings"]
    )
    assert len(meta["source_hash"]) == 16
    assert not list(ct2_f32.parent.glob(".*tmp"))  # the temporary folder was renamed into place


def test_convert_refuses_to_overwrite_and_reports_missing_models(tiny_model, ct2_f32, tmp_path):
    with pytest.raises(FileExistsError, match="--force"):
        convert_model(str(tiny_model), ct2_f32, quantization="float32")
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        convert_model(str(tmp_path / "no-such-model"), tmp_path / "out")
    with pytest.raises(ValueError, match="quantization"):
        convert_model(str(tiny_model), tmp_path / "out", quantization="int3")
    assert "int8" in QUANTIZATIONS and "float16" in QUANTIZATIONS


def test_ensure_converted_converts_once(tiny_model, tmp_path):
    first = ensure_converted(str(tiny_model), "int8", cache_dir=tmp_path)
    mtime = (first / "model.bin").stat().st_mtime_ns
    again = ensure_converted(str(tiny_model), "int8", cache_dir=tmp_path)
    assert again == first and (again / "model.bin").stat().st_mtime_ns == mtime
    assert first.name.endswith("-int8") and first.parent == tmp_path
    assert ensure_converted(str(first), "int8") == first  # a converted folder is used as is


def test_tokens_carry_language_code_and_eos(ct2_f32):
    from toolkit.translate.ct2 import CT2Engine

    e = CT2Engine(ct2_f32, device="cpu")
    toks = e.tokenize(["Nui Thanh 2020", "Halo"], "ind_Latn")
    assert all(t[0] == "ind_Latn" and t[-1] == "</s>" for t in toks)
    assert e.count_tokens(["Nui Thanh 2020", "Halo"], "ind_Latn") == [len(t) for t in toks]
    assert e.max_source_tokens == 256  # the tiny model's limit, from toolkit-convert.json


def test_same_output_as_transformers_greedy(tiny_model, ct2_f32):
    """Same weights (float32), greedy, same length cap and n-gram guard, same
    batches: the two engines give identical strings."""
    import torch

    from toolkit.translate.ct2 import CT2Engine
    from toolkit.translate.hf import HFEngine

    torch.set_num_threads(1)
    settings = GenerationSettings(num_beams=1)
    hf = HFEngine(str(tiny_model), device="cpu", settings=settings)
    ct = CT2Engine(ct2_f32, device="cpu", settings=settings)
    sents = _sentences(20)
    compared = 0
    for src, tgt in (("ind_Latn", "eng_Latn"), ("tha_Thai", "vie_Latn")):
        for i in range(0, len(sents), 5):
            batch = sents[i : i + 5]
            a = hf.translate_batch(batch, src, tgt)
            b = ct.translate_batch(batch, src, tgt)
            assert a == b
            compared += len(batch)
    assert compared == 40
    assert any(s.strip() for s in b)


def test_int8_translates_and_strips_the_language_code(ct2_int8):
    from toolkit.translate.ct2 import CT2Engine

    e = CT2Engine(ct2_int8, device="cpu", settings=GenerationSettings(num_beams=2))
    assert e.compute_type.startswith("int8")
    sents = _sentences(4)
    out = e.translate_batch(sents, "ind_Latn", "vie_Latn")
    assert len(out) == 4 and all(isinstance(s, str) and "vie_Latn" not in s for s in out)
    toks = e.translate_tokens(e.tokenize(sents, "ind_Latn"), "vie_Latn", max_new_tokens=5, min_new_tokens=5)
    assert [len(t) for t in toks] == [5, 5, 5, 5]  # lengths count tokens after the language code
    assert e.translate_batch([], "ind_Latn", "vie_Latn") == []


def test_provenance_and_cache_key(ct2_f32, ct2_int8):
    from toolkit.translate.ct2 import CT2Engine

    p = CT2Engine(ct2_f32, device="cpu").provenance()
    assert isinstance(p, Provenance)
    assert p.engine == "ctranslate2" and p.device == "cpu" and p.shortlist is None
    assert p.quantization == "float32" and p.runtime["threads"] >= 1 and p.versions["ctranslate2"]
    assert p.settings["num_beams"] == GenerationSettings().num_beams
    assert p.to_dict()["engine"] == "ctranslate2" and Provenance.from_dict(p.to_dict()) == p
    keys = {
        CT2Engine(ct2_f32, device="cpu").cache_key(),
        CT2Engine(ct2_int8, device="cpu").cache_key(),
        CT2Engine(ct2_f32, device="cpu", settings=GenerationSettings(num_beams=4)).cache_key(),
    }
    assert len(keys) == 3


def test_compute_type_keys_the_cache_and_the_signature(ct2_int8):
    """The same converted folder run in int8 and in float32 translates
    differently: the two runs share no cache entries and say so in their
    signatures."""
    from toolkit.translate.ct2 import CT2Engine

    as_int8 = CT2Engine(ct2_int8, device="cpu", compute_type="int8")
    as_f32 = CT2Engine(ct2_int8, device="cpu", compute_type="float32")
    a, b = as_int8.provenance(), as_f32.provenance()
    # What ran, as CTranslate2 resolved it: int8 on a CPU is int8 weights with float32 activations.
    assert (a.compute_type, b.compute_type) == ("int8_float32", "float32")
    assert a.model_hash == b.model_hash and a.quantization == b.quantization == "int8"  # the same weights
    assert as_int8.cache_key() != as_f32.cache_key()
    assert "compute:int8_float32" in a.signature() and "compute:float32" in b.signature()
    assert a.signature() != b.signature()
    # Asked for again, the same compute type gives the same key.
    assert CT2Engine(ct2_int8, device="cpu", compute_type="int8").cache_key() == as_int8.cache_key()


def test_not_a_ct2_folder_is_a_clear_error(tiny_model):
    from toolkit.translate.ct2 import CT2Engine

    with pytest.raises(ModelNotFoundError, match="toolkit models convert"):
        CT2Engine(tiny_model, device="cpu")


def test_pick_device(monkeypatch):
    import ctranslate2

    from toolkit.translate.ct2 import pick_device

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    assert pick_device("auto") == "cpu" and pick_device("cpu") == "cpu"
    with pytest.raises(ValueError, match="--device cpu"):
        pick_device("cuda")
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 2)
    assert pick_device("auto") == "cuda" and pick_device("cuda") == "cuda" and pick_device("cpu") == "cpu"
    with pytest.raises(ValueError, match="auto, cpu or cuda"):
        pick_device("tpu")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "models", *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )


def test_cli_convert(tiny_model, tmp_path):
    out = tmp_path / "cli-ct2"
    p = _cli("convert", str(tiny_model), "--out", str(out), "--quantization", "int8")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == str(out) and is_ct2_model(out)
    again = _cli("convert", str(tiny_model), "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr and "Traceback" not in again.stderr
    assert _cli("convert", str(tiny_model), "--out", str(out), "--force").returncode == 0
    bad = _cli("convert", str(tiny_model), "--out", str(tmp_path / "x"), "--quantization", "int3")
    assert bad.returncode == 2 and "--quantization" in bad.stderr
    missing = _cli("convert", str(tmp_path / "nothing"), "--out", str(tmp_path / "y"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_chunks_bound_the_batch_and_keep_the_order(ct2_f32):
    from toolkit.translate.ct2 import CPU_HYP_TOKENS, CT2Engine

    settings = GenerationSettings(num_beams=2)
    small = CT2Engine(ct2_f32, device="cpu", settings=settings, max_hyp_tokens=150)
    whole = CT2Engine(ct2_f32, device="cpu", settings=settings, max_hyp_tokens=0)
    assert CT2Engine(ct2_f32, device="cpu").max_hyp_tokens == CPU_HYP_TOKENS
    sents = _sentences(10)
    sources = small.tokenize(sents, "ind_Latn")
    chunks = small._chunks(sources, 2)
    assert len(chunks) > 1 and sorted(i for c in chunks for i in c) == list(range(10))
    for c in chunks:
        assert len(c) == 1 or max(len(sources[i]) for i in c) * len(c) * 2 <= 150
    assert small.translate_batch(sents, "ind_Latn", "eng_Latn") == whole.translate_batch(sents, "ind_Latn", "eng_Latn")


def test_chunks_keep_every_replica_busy(ct2_f32):
    from toolkit.translate.ct2 import CT2Engine

    e = CT2Engine(ct2_f32, device="cpu", max_hyp_tokens=2304, replicas=2)
    sources = [["ind_Latn"] + ["▁a"] * 38 + ["</s>"]] * 64  # 40 tokens each
    sizes = [len(c) for c in e._chunks(sources, 1)]
    assert sizes == [16, 16, 16, 16]  # not 28 + 28 + 8
    one = CT2Engine(ct2_f32, device="cpu", max_hyp_tokens=2304, replicas=1)
    assert [len(c) for c in one._chunks(sources, 1)] == [57, 7]


def test_scores_match_transformers_greedy_and_beam(tiny_model, ct2_f32):
    """The same mean log-probability per token from both engines (float32):
    greedy, and each hypothesis of a beam's n-best list."""
    import math

    import torch

    from toolkit.translate.ct2 import CT2Engine
    from toolkit.translate.hf import HFEngine

    torch.set_num_threads(1)
    settings = GenerationSettings(num_beams=1)
    hf = HFEngine(str(tiny_model), device="cpu", settings=settings)
    ct = CT2Engine(ct2_f32, device="cpu", settings=settings)
    sents = _sentences(6)
    a = hf.translate_scored(sents, "ind_Latn", "eng_Latn")
    b = ct.translate_scored(sents, "ind_Latn", "eng_Latn")
    assert [h.text for h in a] == [h.text for h in b] == ct.translate_batch(sents, "ind_Latn", "eng_Latn")
    for x, y in zip(a, b, strict=True):
        assert math.isfinite(y.score) and y.score < 0 and x.tokens == y.tokens
        assert y.score == pytest.approx(x.score, abs=1e-3)
    na = hf.n_best(sents[:2], "ind_Latn", "vie_Latn", n=3, beam=4)
    nb = ct.n_best(sents[:2], "ind_Latn", "vie_Latn", n=3, beam=4)
    for xs, ys in zip(na, nb, strict=True):
        assert len(ys) == 3 and [h.text for h in xs] == [h.text for h in ys]
        assert [h.score for h in ys] == pytest.approx([h.score for h in xs], abs=1e-3)
        assert [h.score for h in ys] == sorted((h.score for h in ys), reverse=True)


def test_int8_scores_are_sane(ct2_int8):
    import math

    from toolkit.translate.ct2 import CT2Engine

    e = CT2Engine(ct2_int8, device="cpu")
    for h in e.translate_scored(_sentences(4), "tha_Thai", "eng_Latn"):
        assert math.isfinite(h.score) and h.score < 0 and h.tokens >= 1
