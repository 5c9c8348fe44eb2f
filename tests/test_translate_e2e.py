"""End to end: the `toolkit translate` CLI on seeds/ with the tiny NLLB model.

Real files, real transformers/CTranslate2, real subprocesses; nothing mocked.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import SEEDS, cli

from toolkit.records import BitextRecord
from toolkit.run import RunInfo, load_run

# The main run uses the reference engine (transformers); the default engine
# (CTranslate2) is tested against it. Kill-and-resume: tests/test_faults_translate.py.
HF = ("--engine", "transformers")

pytestmark = pytest.mark.e2e


def records(run: Path) -> list[BitextRecord]:
    return [BitextRecord.from_json(line) for line in (run / "bitext.jsonl").read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def full_run(tiny_model, tmp_path_factory):
    run = tmp_path_factory.mktemp("run") / "full"
    p = cli("translate", str(SEEDS), "--out", str(run), "--model", str(tiny_model), *HF, "--quiet")
    assert p.returncode == 0, p.stderr
    return run, p


def test_run_folder_contents(full_run):
    run, p = full_run
    meta = json.loads((run / "run.json").read_text())
    assert meta["targets"] == ["eng_Latn", "vie_Latn"]
    assert meta["languages"] == {"ind_Latn": 1, "nob_Latn": 1, "por_Latn": 1, "tha_Thai": 2}
    assert meta["engine"]["model_hash"]
    assert meta["signature"].startswith("toolkit:")
    assert meta["counts"]["documents_translated"] == 5
    for src in ("ind_Latn", "nob_Latn", "por_Latn", "tha_Thai"):
        for tgt in ("eng_Latn", "vie_Latn"):
            assert (run / "tmx" / f"{src}-{tgt}.tmx").is_file()
    for seed in SEEDS.glob("*.txt"):
        for tgt in ("eng_Latn", "vie_Latn"):
            text = (run / "translations" / tgt / seed.name).read_text("utf-8")
            # paragraph breaks are the source's: as many lines as the source has non-blank lines or more
            assert text.count("\n") >= sum(1 for line in seed.read_text("utf-8").splitlines() if line.strip())
    assert "sentences/s" in p.stderr


def test_records_cover_every_body_character_once(full_run):
    run, _ = full_run
    by_doc: dict[str, list[BitextRecord]] = {}
    for r in records(run):
        by_doc.setdefault(r.doc, []).append(r)
    assert sorted(by_doc) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for doc, recs in by_doc.items():
        text = (SEEDS / doc).read_text("utf-8")
        covered = [0] * len(text)
        for r in recs:
            assert text[r.src_start : r.src_end] == r.src, r.id
            for i in range(r.src_start, r.src_end):
                covered[i] += 1
            if r.translate:
                assert set(r.mt) == {"eng_Latn", "vie_Latn"} and all(r.mt.values()), r.id
                assert "src" in r.figures and "eng_Latn" in r.figures
            else:
                assert r.mt == {} and r.skip_reason
        for i, ch in enumerate(text):
            if not ch.isspace():
                assert covered[i] == 1, (doc, i, text[max(0, i - 20) : i + 20])
        assert len({r.id for r in recs}) == len(recs)


def test_copy_model_keeps_digits_and_names(full_run):
    run, _ = full_run
    recs = {r.src: r for r in records(run) if r.translate}
    r = next(r for s, r in recs.items() if "127 konferensi" in s)
    assert "127" in r.mt["eng_Latn"]
    assert "Nui Thanh" in r.mt["eng_Latn"]


def test_default_engine_is_ctranslate2(full_run, tiny_model, seeds_run):
    full, _ = full_run
    run = seeds_run  # `toolkit translate seeds --model TINY`: the default engine, exit 0
    meta = json.loads((run / "run.json").read_text())
    assert meta["engine"]["engine"] == "ctranslate2" and meta["engine"]["quantization"] == "int8"
    assert f"model:{tiny_model}" in meta["signature"]
    # the arithmetic it ran in is in the provenance and the signature (int8 weights run as int8 on a CPU)
    assert meta["engine"]["compute_type"].startswith("int8")
    assert f"compute:{meta['engine']['compute_type']}" in meta["signature"]
    # the same sentences, aligned the same way, whatever the engine
    assert [(r.id, r.src_start, r.src_end) for r in records(run)] == [
        (r.id, r.src_start, r.src_end) for r in records(full)
    ]
    r = next(r for r in records(run) if "127 konferensi" in r.src)
    assert "127" in r.mt["eng_Latn"]


def test_run_json_round_trips_through_load_run(seeds_run, full_run, tiny_model):
    """What `toolkit translate` wrote is a RunInfo: read back, written again, the same."""
    for folder in (seeds_run, full_run[0]):
        meta = json.loads((folder / "run.json").read_text("utf-8"))
        run = load_run(folder)
        assert run.info.to_dict() == meta
        assert RunInfo.from_dict(run.info.to_dict()) == run.info
        assert run.name == folder.name == meta["name"]
        assert run.targets == ["eng_Latn", "vie_Latn"]
        assert run.info.signature == meta["signature"] and run.info.counts["documents_translated"] == 5
        assert run.info.skipped == []
        assert run.model == str(tiny_model.resolve()) == meta["model"]
        prov = run.info.provenance
        assert prov.targets == ["eng_Latn", "vie_Latn"] and prov.src_lang == "auto"
        assert prov.versions["toolkit"] and prov.versions["python"] and prov.compute_type
    ct2, hf = load_run(seeds_run).info.provenance, load_run(full_run[0]).info.provenance
    assert (ct2.engine, hf.engine) == ("ctranslate2", "transformers")
    assert "ctranslate2" in ct2.versions and "torch" not in ct2.versions  # the CTranslate2 path needs no torch
    assert hf.compute_type == "float32" and hf.versions["torch"]
    assert ct2.cache_key() != hf.cache_key()


def test_compute_type_option_keys_the_run_and_its_cache(tiny_model, seeds_run, tmp_path):
    """The converted folder of the default run, in int8 and then in float32
    into the same run folder: another signature, and not one translation of
    the int8 run is taken from the cache; int8 again takes them all."""
    one = tmp_path / "in"
    one.mkdir()
    (one / "id.txt").write_text((SEEDS / "000_4c948b14667160bd.txt").read_text("utf-8")[:400], "utf-8")
    converted = load_run(seeds_run).info.provenance.model
    run = tmp_path / "run"
    infos = []
    for ct in ("int8", "float32", "int8"):
        p = cli("translate", str(one), "--out", str(run), "--model", converted, "--compute-type", ct, "-q")
        assert p.returncode == 0, p.stderr
        infos.append(load_run(run).info)
    a, b, again = infos
    assert a.provenance.model == b.provenance.model == converted
    assert a.provenance.compute_type.startswith("int8") and b.provenance.compute_type == "float32"
    assert a.signature != b.signature and "compute:float32" in b.signature
    assert a.counts["translations"] > 0 and a.counts["cache_hits"] == 0
    assert b.counts["cache_hits"] == 0  # float32 shares no entry with int8
    assert again.counts["cache_hits"] == a.counts["translations"] and again.signature == a.signature
    bad = cli("translate", str(one), "--out", str(tmp_path / "x"), "--model", converted, "--compute-type", "int3")
    assert bad.returncode == 2 and "--compute-type" in bad.stderr and "Traceback" not in bad.stderr


def test_max_hyp_tokens_option_sizes_the_chunks(tiny_model, seeds_run, tmp_path):
    """--max-hyp-tokens reaches the engine (recorded in the provenance's
    runtime, not in the signature: it bounds memory, the translations are
    the model's); on the reference engine it is a one-line error."""
    from toolkit.translate.ct2 import CPU_HYP_TOKENS

    one = tmp_path / "in"
    one.mkdir()
    (one / "id.txt").write_text((SEEDS / "000_4c948b14667160bd.txt").read_text("utf-8")[:400], "utf-8")
    converted = load_run(seeds_run).info.provenance.model
    infos = []
    for run, extra in (("small", ("--max-hyp-tokens", "300")), ("default", ())):
        p = cli("translate", str(one), "--out", str(tmp_path / run), "--model", converted, *extra, "-q")
        assert p.returncode == 0, p.stderr
        infos.append(load_run(tmp_path / run).info)
    small, default = infos
    assert small.provenance.runtime["max_hyp_tokens"] == 300
    assert default.provenance.runtime["max_hyp_tokens"] == CPU_HYP_TOKENS
    assert small.signature == default.signature
    bad = cli(
        "translate", str(one), "--out", str(tmp_path / "y"), "--model", str(tiny_model), *HF, "--max-hyp-tokens", "9"
    )
    assert bad.returncode == 2 and "--max-hyp-tokens needs the ctranslate2 engine" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_usage_errors_are_one_line(tiny_model, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    p = cli("translate", str(empty), "--out", str(tmp_path / "r"), "--model", str(tiny_model))
    assert p.returncode == 2 and "no .txt files" in p.stderr and "Traceback" not in p.stderr
    p = cli("translate", str(SEEDS), "--out", str(tmp_path / "r"), "--to", "klingon", "--model", str(tiny_model))
    assert p.returncode == 2 and "unknown language code" in p.stderr and "Traceback" not in p.stderr
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    p = cli("translate", str(SEEDS), "--out", str(tmp_path / "r"), "--model", "nobody/no-such-model", env=env)
    assert p.returncode == 2 and "--model PATH" in p.stderr and "Traceback" not in p.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    p = cli("translate", str(SEEDS), "--out", str(blocker / "run"), "--model", str(tiny_model))
    assert p.returncode == 2 and "cannot write" in p.stderr and "Traceback" not in p.stderr


def test_bad_documents_are_skipped_and_exit_1(tiny_model, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text((SEEDS / "000_4c948b14667160bd.txt").read_text("utf-8")[:600], "utf-8")
    (src / "empty.txt").write_text("")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00\x00")
    (src / "german.txt").write_text(
        "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für Schulen deutlich zu erhöhen. "
        "Das teilte das Ministerium in Berlin mit.",
        "utf-8",
    )
    run = tmp_path / "run"
    p = cli("translate", str(src), "--out", str(run), "--model", str(tiny_model), "-q")
    assert p.returncode == 1, p.stderr
    for name in ("empty.txt", "binary.txt", "german.txt"):
        assert name in p.stderr
    assert {r.doc for r in records(run)} == {"good.txt"}
