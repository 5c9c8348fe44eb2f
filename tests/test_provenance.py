"""Provenance: what keys the translation cache and what the run's signature says.

Two runs must share cache entries exactly when they would translate alike:
the key changes with the compute type, the decoding settings and the
shortlist, and stays the same when only how the run was made changes
(device, threads, versions, the languages, which are keyed per entry).
"""

from __future__ import annotations

from dataclasses import asdict, replace

from toolkit.run import Provenance
from toolkit.translate.engine import GenerationSettings

BASE = Provenance(
    engine="ctranslate2",
    model="/models/nllb-600m-int8",
    model_hash="0123456789abcdef",
    compute_type="int8_float32",
    quantization="int8",
    source_model="facebook/nllb-200-distilled-600M",
    source_hash="fedcba9876543210",
    device="cpu",
    settings=asdict(GenerationSettings()),
    shortlist={"path": "/models/nllb-600m-int8/vmap.txt", "hash": "aaaaaaaaaaaaaaaa"},
    versions={"toolkit": "0.1.0", "python": "3.12.0", "ctranslate2": "4.8.5"},
    runtime={"threads": 2, "replicas": 2, "max_hyp_tokens": 2048},
)


def test_cache_key_changes_with_what_changes_the_output():
    key = BASE.cache_key()
    changed = {
        "compute_type": replace(BASE, compute_type="float32"),
        "settings": replace(BASE, settings=asdict(GenerationSettings(num_beams=4))),
        "no_repeat_ngram": replace(BASE, settings=asdict(GenerationSettings(no_repeat_ngram_size=0))),
        "shortlist hash": replace(BASE, shortlist={**BASE.shortlist, "hash": "bbbbbbbbbbbbbbbb"}),
        "no shortlist": replace(BASE, shortlist=None),
        "model hash": replace(BASE, model_hash="1111111111111111"),
        "quantization": replace(BASE, quantization="float32"),
        "engine": replace(BASE, engine="transformers"),
        "extra": replace(BASE, extra={"glossary": "cccc"}),
    }
    keys = {name: p.cache_key() for name, p in changed.items()}
    assert all(k != key for k in keys.values()), keys
    assert len(set(keys.values())) == len(keys)


def test_cache_key_is_the_same_when_only_how_the_run_was_made_changes():
    key = BASE.cache_key()
    same = [
        replace(BASE),
        replace(BASE, device="cuda"),
        replace(BASE, runtime={"threads": 16, "replicas": 4, "max_hyp_tokens": 0}),
        replace(BASE, versions={**BASE.versions, "python": "3.13.1"}),
        BASE.with_languages("ind_Latn", ["eng_Latn", "vie_Latn"]),
        Provenance.from_dict(BASE.to_dict()),
    ]
    assert [p.cache_key() for p in same] == [key] * len(same)
    assert len(key) == 16 and int(key, 16) >= 0


def test_signature_names_the_model_and_the_compute_type():
    sig = BASE.with_languages("ind_Latn", ["eng_Latn", "vie_Latn"]).signature("0.1.0")
    parts = sig.split("|")
    assert parts[0] == "toolkit:0.1.0" and "engine:ctranslate2" in parts
    # a converted model is named by the checkpoint it came from
    assert "model:facebook/nllb-200-distilled-600M" in parts and "hash:fedcba987654" in parts
    assert "compute:int8_float32" in parts and "quant:int8" in parts
    assert "src:ind_Latn" in parts and "tgt:eng_Latn,vie_Latn" in parts and "beams:1" in parts
    assert "shortlist:aaaaaaaaaaaa" in parts
    assert replace(BASE, compute_type="float32").signature("0.1.0") != BASE.signature("0.1.0")
