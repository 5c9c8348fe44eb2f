"""The transformers engine, the runner (cache, split, batch, join) and model loading,
on the copy-trained tiny NLLB model: real transformers, real files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.translate.cache import TranslationCache
from toolkit.translate.engine import GenerationSettings, ModelNotFoundError
from toolkit.translate.hub import not_found_message
from toolkit.translate.loading import load_engine
from toolkit.translate.runner import translate_scored, translate_texts

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.e2e

SENTS = [
    "Pada tahun 2024, Binh Thuan mencapai hasil luar biasa.",
    "Nguyen Duc Dung memberikan 15 sertifikat kepada kolektif.",
    "Komite Partai Distrik Nui Thanh (masa jabatan 2020 - 2025) bekerja.",
]


@pytest.fixture(scope="module")
def engine(tiny_model):
    from toolkit.translate.hf import HFEngine

    return HFEngine(str(tiny_model), device="cpu", settings=GenerationSettings(num_beams=2), threads=1)


class Counting:
    """Wraps an engine to count the sentences it is asked to translate."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.max_source_tokens = inner.max_source_tokens
        self.batches: list[list[str]] = []

    def count_tokens(self, texts, src_lang):
        return self.inner.count_tokens(texts, src_lang)

    def translate_scored(self, texts, src_lang, tgt_lang):  # what the runner calls
        self.batches.append(list(texts))
        return self.inner.translate_scored(texts, src_lang, tgt_lang)

    def translate_batch(self, texts, src_lang, tgt_lang):
        return [h.text for h in self.translate_scored(texts, src_lang, tgt_lang)]

    @property
    def calls(self) -> int:
        return sum(len(b) for b in self.batches)


def test_translates_and_keeps_digits_and_names(engine):
    out = engine.translate_batch(SENTS, "ind_Latn", "eng_Latn")
    assert len(out) == 3
    for keep, text in (("2024", out[0]), ("Binh Thuan", out[0]), ("15", out[1]), ("Nguyen Duc Dung", out[1])):
        assert keep in text
    assert all("eng_Latn" not in t and "</s>" not in t for t in out)  # the forced BOS is not in the text
    assert engine.translate_batch([], "ind_Latn", "eng_Latn") == []
    with pytest.raises(ValueError, match="language code"):
        engine.translate_batch(SENTS[:1], "ind_Latn", "xx_Nope")


def test_forced_bos_and_length_cap(engine, monkeypatch):
    """generate() gets the target's code as forced BOS and a max_new_tokens tied to the source."""
    seen = {}
    real = engine.hf_model.generate

    def spy(**kw):
        seen.update(kw)
        return real(**kw)

    monkeypatch.setattr(engine.hf_model, "generate", spy)
    engine.translate_batch(SENTS[:1], "ind_Latn", "vie_Latn")
    n = engine.count_tokens(SENTS[:1], "ind_Latn")[0]
    assert seen["forced_bos_token_id"] == engine.tokenizer.convert_tokens_to_ids("vie_Latn")
    assert seen["max_new_tokens"] == GenerationSettings().max_new_tokens(n, engine.max_positions)
    assert seen["no_repeat_ngram_size"] == engine.settings.no_repeat_ngram_size and seen["num_beams"] == 2


def test_count_tokens_and_limits(engine):
    assert engine.count_tokens(["Halo", "Halo dunia"], "ind_Latn")[0] >= 3
    assert engine.count_tokens([], "ind_Latn") == []
    assert engine.max_source_tokens == 48  # the tiny model's declared limit (model_max_length)
    too_long = " ".join(["kata"] * 400)
    with pytest.raises(ValueError, match="split it first"):
        engine.translate_batch([too_long], "ind_Latn", "eng_Latn")


def test_long_sentence_is_split_and_joined(tiny_model):
    from toolkit.translate.hf import HFEngine

    # Pieces of at most 24 tokens: the tiny model copies short inputs best.
    engine = HFEngine(str(tiny_model), device="cpu", settings=GenerationSettings(num_beams=2), max_source_tokens=24)
    long = " ".join(SENTS * 2)  # ~80 tokens
    assert engine.count_tokens([long], "ind_Latn")[0] > 3 * engine.max_source_tokens
    counting = Counting(engine)
    (out,) = translate_texts(counting, [long], "ind_Latn", "eng_Latn")
    assert counting.calls >= 2 and all(
        n <= engine.max_source_tokens for b in counting.batches for n in engine.count_tokens(b, "ind_Latn")
    )
    assert counting.calls >= 4
    assert out.count("2024") == 2 and out.count("Nguyen Duc Dung") == 2 and out.count("2025") == 2  # nothing lost


def test_cache_hits_on_second_call(engine, tmp_path):
    texts = SENTS + [SENTS[0], "   "]
    with TranslationCache(tmp_path / "c.sqlite", engine.cache_key()) as cache:
        first = Counting(engine)
        progress: list[int] = []
        a = translate_texts(first, texts, "ind_Latn", "eng_Latn", cache=cache, on_progress=progress.append)
        assert first.calls == 3 and sum(progress) == 5 and a[3] == a[0] and a[4] == ""
        again = Counting(engine)
        b = translate_texts(again, texts, "ind_Latn", "eng_Latn", cache=cache)
        assert again.calls == 0 and b == a and cache.hits == 3
        # Another target is another entry.
        other = Counting(engine)
        translate_texts(other, SENTS, "ind_Latn", "vie_Latn", cache=cache)
        assert other.calls == 3


_RESUMED = """
import os, signal, sys
from toolkit.translate.cache import TranslationCache
from toolkit.translate.hf import HFEngine
from toolkit.translate.runner import translate_scored, translate_texts
from toolkit.translate.engine import GenerationSettings
model, cache_path, texts_path, kill_after = sys.argv[1:5]
texts = open(texts_path, encoding="utf-8").read().split("\\n")
engine = HFEngine(model, device="cpu", settings=GenerationSettings(num_beams=2), threads=1)
seen = 0
def progress(n):
    global seen
    seen += n
    if seen >= int(kill_after):
        os.kill(os.getpid(), signal.SIGKILL)  # killed between batches, mid-run
cache = TranslationCache(cache_path, engine.cache_key())
translate_texts(engine, texts, "ind_Latn", "eng_Latn", cache=cache, max_batch_tokens=256, on_progress=progress)
"""


def test_killed_run_resumes_to_the_same_output(engine, tiny_model, tmp_path):
    sys.path.insert(0, str(REPO / "models"))
    import tiny_nllb

    texts = tiny_nllb.eval_sentences(24) + [", ".join(SENTS * 3)]
    (tmp_path / "texts.txt").write_text("\n".join(texts), encoding="utf-8")
    cache_path = tmp_path / "resume.sqlite"
    r = subprocess.run(
        [sys.executable, "-c", _RESUMED, str(tiny_model), str(cache_path), str(tmp_path / "texts.txt"), "8"],
        cwd=REPO,
        capture_output=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert r.returncode == -signal.SIGKILL, r.stderr
    with TranslationCache(tmp_path / "fresh.sqlite", engine.cache_key()) as fresh:
        uninterrupted = Counting(engine)
        straight = translate_texts(uninterrupted, texts, "ind_Latn", "eng_Latn", cache=fresh, max_batch_tokens=256)
    with TranslationCache(cache_path, engine.cache_key()) as cache:
        finished_before = sum(v is not None for v in cache.get_many("ind_Latn", "eng_Latn", texts, count=False))
        assert 8 <= finished_before < len(texts)
        counting = Counting(engine)
        resumed = translate_texts(counting, texts, "ind_Latn", "eng_Latn", cache=cache, max_batch_tokens=256)
        assert cache.hits == finished_before
    # The batches finished before the kill were not run again ...
    assert 0 < counting.calls <= uninterrupted.calls - finished_before
    # ... and the output is that of a run that was never interrupted.
    assert resumed == straight


def test_provenance_and_cache_key(engine, tiny_model):
    from toolkit.translate.hf import HFEngine
    from toolkit.translate.hub import model_folder_hash

    p = engine.provenance()
    assert p.engine == "transformers" and p.model == str(Path(tiny_model).resolve())
    assert p.model_hash == model_folder_hash(tiny_model) and p.device == "cpu" and p.compute_type == "float32"
    assert p.settings["num_beams"] == 2 and p.versions["transformers"] and p.versions["torch"]
    assert p.runtime["threads"] == 1 and p.runtime["max_source_tokens"] == engine.max_source_tokens
    greedy = HFEngine(str(tiny_model), device="cpu", settings=GenerationSettings(num_beams=1), threads=1)
    assert greedy.cache_key() != engine.cache_key()


def test_model_hash_is_stable_across_copies(tiny_model, tmp_path):
    import shutil

    from toolkit.translate.hub import model_folder_hash

    copy = tmp_path / "copy"
    shutil.copytree(tiny_model, copy)
    assert model_folder_hash(copy) == model_folder_hash(tiny_model)
    (copy / "config.json").write_text((copy / "config.json").read_text().replace("128", "129"))
    assert model_folder_hash(copy) != model_folder_hash(tiny_model)


def test_load_engine_defaults_to_the_fast_path(tiny_model, tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path / "cache"))
    e = load_engine(str(tiny_model), device="cpu", threads=1)
    assert e.name == "ctranslate2"  # an HF folder is converted once (int8) and run with CTranslate2
    assert e.provenance().source_model == str(tiny_model.resolve())
    converted = e.model
    assert load_engine(converted, device="cpu", threads=1).name == "ctranslate2"
    assert load_engine(str(tiny_model), engine="transformers", device="cpu", threads=1).name == "transformers"
    with pytest.raises(ValueError, match="ctranslate2"):
        load_engine(str(tiny_model), engine="transformers", shortlist=True)
    with pytest.raises(ValueError, match="CTranslate2 folder"):
        load_engine(converted, engine="transformers")
    # --compute-type: a torch dtype on transformers, any CTranslate2 type there
    bf16 = load_engine(str(tiny_model), engine="transformers", device="cpu", compute_type="bfloat16", threads=1)
    assert (
        bf16.provenance().compute_type == "bfloat16"
        and bf16.cache_key() != load_engine(str(tiny_model), engine="transformers", device="cpu", threads=1).cache_key()
    )
    with pytest.raises(ValueError, match="needs the ctranslate2 engine"):
        load_engine(str(tiny_model), engine="transformers", compute_type="int8")
    assert (
        load_engine(converted, device="cpu", compute_type="float32", threads=1).provenance().compute_type == "float32"
    )


def test_pick_device(monkeypatch):
    import torch

    from toolkit.translate.hf import pick_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert pick_device("auto") == "cpu" and pick_device("cpu") == "cpu"
    with pytest.raises(ValueError, match="--device cpu"):
        pick_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert pick_device("auto") == "cuda" and pick_device("cuda:1") == "cuda:1"
    with pytest.raises(ValueError, match="auto, cpu or cuda"):
        pick_device("tpu")


def test_missing_hub_model_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache
    with pytest.raises(ModelNotFoundError) as err:
        load_engine("facebook/nllb-200-no-such-model", device="cpu")
    msg = str(err.value)
    assert msg == not_found_message("facebook/nllb-200-no-such-model") and "\n" not in msg
    assert "huggingface-cli download facebook/nllb-200-no-such-model" in msg and "--model PATH" in msg
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        load_engine(str(tmp_path / "no-such-folder"))


def test_scores_are_mean_log_probs_and_pieces_combine_by_tokens(tiny_model, engine):
    """Every translation keeps the model's score: negative, finite, the mean
    over its tokens; a split sentence's score is its pieces' token-weighted mean."""
    import math

    hyps = engine.translate_scored(SENTS, "ind_Latn", "eng_Latn")
    assert [h.text for h in hyps] == engine.translate_batch(SENTS, "ind_Latn", "eng_Latn")
    for h in hyps:
        assert math.isfinite(h.score) and h.score < 0 and h.tokens > 5
    # A beam's n-best list: n per text, best first (the decoder's ranking is by this mean).
    (nbest,) = engine.n_best(SENTS[:1], "ind_Latn", "vie_Latn", n=3, beam=4)
    assert len(nbest) == 3 and len({h.text for h in nbest}) == 3
    assert [h.score for h in nbest] == sorted((h.score for h in nbest), reverse=True)

    from toolkit.translate.hf import HFEngine

    small = HFEngine(str(tiny_model), device="cpu", settings=GenerationSettings(num_beams=2), max_source_tokens=24)
    long = " ".join(SENTS)
    counting = Counting(small)
    (whole,) = translate_scored(counting, [long], "ind_Latn", "eng_Latn")
    pieces = [h for b in counting.batches for h in small.translate_scored(b, "ind_Latn", "eng_Latn")]
    assert len(pieces) >= 2 and whole.tokens == sum(p.tokens for p in pieces)
    assert whole.score == pytest.approx(sum(p.score * p.tokens for p in pieces) / whole.tokens)


def test_cache_keeps_scores(engine, tmp_path):
    with TranslationCache(tmp_path / "c.sqlite", engine.cache_key()) as cache:
        first = translate_scored(engine, SENTS, "ind_Latn", "eng_Latn", cache=cache)
    with TranslationCache(tmp_path / "c.sqlite", engine.cache_key()) as cache:
        again = translate_scored(Counting(engine), SENTS, "ind_Latn", "eng_Latn", cache=cache)
        assert cache.hits == len(SENTS)
    assert [(h.text, h.tokens) for h in again] == [(h.text, h.tokens) for h in first]
    assert [h.score for h in again] == pytest.approx([h.score for h in first])
