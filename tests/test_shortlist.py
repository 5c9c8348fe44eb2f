"""The vocabulary shortlist: its file format, its building, and CTranslate2 under it.

The unit tests need no model. The e2e ones convert the tiny NLLB model and
translate through CTranslate2 with and without a shortlist; nothing mocked.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.languages import LanguageError
from toolkit.translate.shortlist import Shortlist, build_shortlist, target_words

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


# -- unit ------------------------------------------------------------------------


def test_write_read_round_trip_and_ctranslate2_format(tmp_path):
    sl = Shortlist(always={"▁the", ",", "▁1"}, identity={"▁Nui", "▁Thanh"})
    path = sl.write(tmp_path / "vmap.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    # CTranslate2 reads the line with an empty key as "always candidates".
    assert lines[0] == "\t" + " ".join(sorted(sl.always))
    assert "▁Nui\t▁Nui" in lines
    back = Shortlist.read(path)
    assert back.always == sl.always and back.identity == sl.identity
    # Same content, same bytes: the hash in run.json is stable.
    assert sl.write(tmp_path / "again.txt").read_bytes() == path.read_bytes()


def test_allowed_is_always_plus_source_tokens_plus_target_code():
    sl = Shortlist(always={"▁the"}, identity={"▁Nui", "▁Thanh", "▁2"}, rules={"▁xin": {"▁hello"}})
    allowed = sl.allowed([["ind_Latn", "▁Nui", "▁xin", "</s>"]], "eng_Latn")
    assert {"▁the", "▁Nui", "▁hello", "eng_Latn", "</s>"} <= allowed
    assert "▁Thanh" not in allowed and "▁2" not in allowed


def test_read_rejects_a_line_without_tab(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text("\t▁a\nno tab here\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.txt:2"):
        Shortlist.read(p)


def test_target_words_are_offline():
    assert len(target_words("eng_Latn", 20000)) == 20000
    vi = target_words("vi", 20000)
    assert len(vi) > 10000 and "của" in vi  # Vietnamese words are syllables: ~10.6k
    with pytest.raises(LanguageError):
        target_words("tha_Thai", 100)  # wordfreq has no Thai list: say so, don't guess


# -- with the tiny model ------------------------------------------------------------


@pytest.fixture(scope="module")
def ct2_model(tiny_model, tmp_path_factory):
    from toolkit.translate.convert import convert_model

    return convert_model(str(tiny_model), tmp_path_factory.mktemp("sl") / "ct2", quantization="float32")


@pytest.fixture(scope="module")
def tight(ct2_model, tmp_path_factory):
    """A deliberately small shortlist (50 words per language, no short pieces),
    so that it restricts the tiny model's 3,200-entry vocabulary for real."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(ct2_model))
    sl = build_shortlist(tok, ["eng_Latn", "vie_Latn"], top=50, short_piece_len=0)
    path = sl.write(tmp_path_factory.mktemp("sl") / "tight.txt")
    return path, sl, tok


def _sentences(n: int = 16) -> list[str]:
    sys.path.insert(0, str(REPO / "models"))
    import tiny_nllb

    return tiny_nllb.eval_sentences(n)


@pytest.mark.e2e
def test_output_tokens_stay_inside_the_shortlist(ct2_model, tight, tmp_path):
    from toolkit.translate.ct2 import CT2Engine
    from toolkit.translate.engine import GenerationSettings

    path, sl, tok = tight
    assert len(sl.always) < len(tok.get_vocab()) / 2  # it really restricts
    # Without the identity rules, the copy-trained model cannot copy its source:
    # what it produces must come from the always-allowed list.
    no_copy = Shortlist(always=sl.always).write(tmp_path / "no-copy.txt")
    settings = GenerationSettings(num_beams=2)
    free = CT2Engine(ct2_model, device="cpu", settings=settings)
    engines = {
        "tight": (CT2Engine(ct2_model, device="cpu", settings=settings, shortlist=path), sl),
        "no_copy": (CT2Engine(ct2_model, device="cpu", settings=settings, shortlist=no_copy), Shortlist.read(no_copy)),
    }
    sents = _sentences()
    changed = {"tight": 0, "no_copy": 0}
    for i in range(0, len(sents), 4):
        sources = free.tokenize(sents[i : i + 4], "ind_Latn")
        out_free = free.translate_tokens(sources, "eng_Latn", max_new_tokens=60)
        for name, (engine, shortlist) in engines.items():
            allowed = shortlist.allowed(sources, "eng_Latn")
            out = engine.translate_tokens(sources, "eng_Latn", max_new_tokens=60)
            for toks in out:
                assert set(toks) <= allowed, (name, set(toks) - allowed)
            changed[name] += sum(a != b for a, b in zip(out, out_free, strict=True))
    # The map is applied: without copying the output changes...
    assert changed["no_copy"] >= len(sents) // 2
    # ...and with the source's tokens allowed, a copying model is not hurt.
    assert changed["tight"] <= len(sents) // 8


@pytest.mark.e2e
def test_numbers_and_names_are_still_copied(ct2_model, tight):
    """Source tokens map to themselves: where the unrestricted model copies a
    number or a capitalised name, the restricted one copies it too."""
    from toolkit.translate.ct2 import CT2Engine
    from toolkit.translate.engine import GenerationSettings

    path, _sl, _tok = tight
    settings = GenerationSettings(num_beams=1)
    free = CT2Engine(ct2_model, device="cpu", settings=settings)
    short = CT2Engine(ct2_model, device="cpu", settings=settings, shortlist=path)
    text = (SEEDS / "000_4c948b14667160bd.txt").read_text(encoding="utf-8")  # Indonesian
    sents = [s for s in re.split(r"(?<=[.!?])\s+", text) if re.search(r"\d|\s[A-Z]", s)][:12]
    sents = [" ".join(s.split()[:25]) for s in sents]
    assert sents
    got_free = free.translate_batch(sents, "ind_Latn", "eng_Latn")
    got_short = short.translate_batch(sents, "ind_Latn", "eng_Latn")
    checked = 0
    for src, a, b in zip(sents, got_free, got_short, strict=True):
        items = re.findall(r"\d[\d.,]*\d|\d|\b[A-Z][a-z]+\b", src)
        for item in items:
            if item in a:
                checked += 1
                assert item in b, (item, src, b)
    assert checked >= 5  # the copy-trained model copies these; otherwise the test proves nothing


@pytest.mark.e2e
def test_batch_after_batch_matches_a_fresh_translator(ct2_model, tight):
    """CTranslate2 4.8 maps the target prefix with the previous vmap batch's
    table; CT2Engine resets it. Without the reset the second batch's language
    code turns into another token, or the call raises."""
    from toolkit.translate.ct2 import CT2Engine
    from toolkit.translate.engine import GenerationSettings

    path, _sl, _tok = tight
    settings = GenerationSettings(num_beams=2)
    sents = _sentences(12)
    a, b = sents[:6], sents[6:]
    used = CT2Engine(ct2_model, device="cpu", settings=settings, shortlist=path)
    used.translate_batch(a, "ind_Latn", "vie_Latn")
    after = used.translate_batch(b, "ind_Latn", "eng_Latn")
    fresh = CT2Engine(ct2_model, device="cpu", settings=settings, shortlist=path).translate_batch(
        b, "ind_Latn", "eng_Latn"
    )
    assert after == fresh
    # and the other order, smaller candidate set after a larger one
    used.translate_batch(sents, "ind_Latn", "eng_Latn")
    assert used.translate_batch(b[:1], "ind_Latn", "eng_Latn") == fresh[:1]


@pytest.mark.e2e
def test_shortlist_in_the_model_folder_and_elsewhere_give_the_same(ct2_model, tight, tmp_path):
    import shutil

    from toolkit.translate.ct2 import CT2Engine

    path, _sl, _tok = tight
    inside = tmp_path / "m"
    shutil.copytree(ct2_model, inside)
    shutil.copy(path, inside / "vmap.txt")
    sents = _sentences(6)
    e1 = CT2Engine(inside, device="cpu", shortlist=inside / "vmap.txt")
    e2 = CT2Engine(ct2_model, device="cpu", shortlist=path)
    assert e1.translate_batch(sents, "ind_Latn", "eng_Latn") == e2.translate_batch(sents, "ind_Latn", "eng_Latn")
    p1, p2 = e1.provenance().shortlist, e2.provenance().shortlist
    assert p1["hash"] == p2["hash"] and p1["path"] != p2["path"]
    assert e1.cache_key() != CT2Engine(inside, device="cpu").cache_key()


@pytest.mark.e2e
def test_cli_shortlist_writes_vmap_into_the_model(ct2_model, tmp_path):
    import shutil

    model = tmp_path / "m"
    shutil.copytree(ct2_model, model)
    p = subprocess.run(
        [sys.executable, "-m", "toolkit", "models", "shortlist", str(model), "--to", "en,vi", "--top", "2000"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == str(model / "vmap.txt")
    sl = Shortlist.read(model / "vmap.txt")
    assert "▁the" in sl.always or "▁the" not in sl.identity  # the tiny vocabulary may lack it
    assert sl.identity and not any(re.match(r"^[a-z]{3}_[A-Z][a-z]{3}$", t) for t in sl.always | sl.identity)
    assert "tokens always allowed" in p.stderr

    bad = subprocess.run(
        [sys.executable, "-m", "toolkit", "models", "shortlist", str(model), "--to", "xx"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert bad.returncode == 2 and "unknown language code" in bad.stderr


@pytest.mark.e2e
def test_a_chunk_the_stale_table_reached_is_run_again(ct2_model, tight):
    """The reset before a chunk may land on another replica (CTranslate2
    picks which). Skipping it on purpose shows the safety net: the chunk's
    corrupted prefix is seen, the chunk is run again after a reset, and the
    output is what a fresh translator gives."""
    from toolkit.translate.ct2 import CT2Engine
    from toolkit.translate.engine import GenerationSettings

    path, _sl, _tok = tight
    settings = GenerationSettings(num_beams=2)
    sents = _sentences(12)
    # The same prefix with a smaller candidate set: its stale index is wrong.
    a, b = sents, sents[6:8]
    fresh = CT2Engine(ct2_model, device="cpu", settings=settings, shortlist=path, replicas=1)
    want = fresh.translate_batch(b, "ind_Latn", "eng_Latn")

    used = CT2Engine(ct2_model, device="cpu", settings=settings, shortlist=path, replicas=1)
    used.translate_batch(a, "ind_Latn", "eng_Latn")
    real_reset = used._reset_output_layers
    skipped = []

    def reset_but_miss_once(tgt_lang):
        if not skipped:
            skipped.append(tgt_lang)
            return
        real_reset(tgt_lang)

    used._reset_output_layers = reset_but_miss_once
    assert used.translate_batch(b, "ind_Latn", "eng_Latn") == want
    assert skipped and used.vmap_retries == 1
    assert used.provenance().runtime["replicas"] == 1
    assert used.provenance().runtime["vmap_retries"] == 1  # reported in run.json


@pytest.mark.e2e
def test_replicas_give_what_one_replica_gives(ct2_model, tight):
    from toolkit.translate.ct2 import CT2Engine
    from toolkit.translate.engine import GenerationSettings

    path, _sl, _tok = tight
    sents = _sentences(24)
    out = {}
    for n in (1, 2):
        e = CT2Engine(
            ct2_model, device="cpu", settings=GenerationSettings(), shortlist=path, replicas=n, max_hyp_tokens=300
        )
        assert len(e._chunks(e.tokenize(sents, "ind_Latn"), 1)) > 2
        out[n] = [e.translate_batch(sents, "ind_Latn", t) for t in ("eng_Latn", "vie_Latn", "eng_Latn")]
    assert out[1] == out[2]


@pytest.mark.e2e
def test_ensure_shortlist_per_targets_and_an_unwritable_model(ct2_model, tmp_path, monkeypatch):
    import shutil

    from toolkit.translate.shortlist import VMAP_NAME, ensure_shortlist

    model = tmp_path / "m"
    shutil.copytree(ct2_model, model)
    en_vi = ensure_shortlist(model, ["vie_Latn", "eng_Latn"], top=500)
    assert en_vi.parent == model / "shortlists" and en_vi.name == "eng_Latn+vie_Latn-top500.txt"
    assert ensure_shortlist(model, ["eng_Latn", "vie_Latn"], top=500) == en_vi
    en = ensure_shortlist(model, ["eng_Latn"], top=500)
    assert en != en_vi and len(Shortlist.read(en).always) < len(Shortlist.read(en_vi).always)
    # a vmap.txt of the user's own wins
    shutil.copy(en, model / VMAP_NAME)
    assert ensure_shortlist(model, ["tha_Thai"], top=500) == model / VMAP_NAME

    # A folder the toolkit cannot write into (here: "shortlists" is taken by
    # a file, which stops root too) gets its shortlist in the cache instead.
    blocked = tmp_path / "blocked"
    shutil.copytree(ct2_model, blocked)
    (blocked / "shortlists").write_text("not a folder")
    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path / "cache"))
    p = ensure_shortlist(blocked, ["eng_Latn"], top=500)
    assert (tmp_path / "cache") in p.parents and p.is_file()
    assert ensure_shortlist(blocked, ["eng_Latn"], top=500) == p


@pytest.mark.e2e
def test_load_engine_shortlist_is_on_by_default_for_ctranslate2_only(ct2_model, tiny_model, tmp_path):
    import shutil

    from toolkit.translate.loading import load_engine

    model = tmp_path / "m"
    shutil.copytree(ct2_model, model)
    default = load_engine(str(model), targets=["eng_Latn"])
    assert default.shortlist is not None and default.shortlist.name == "eng_Latn-top20000.txt"
    assert load_engine(str(model), shortlist=False).shortlist is None
    hf = load_engine(str(tiny_model), engine="transformers")
    assert hf.name == "transformers"


@pytest.mark.e2e
def test_a_per_target_shortlist_holds_its_targets_pieces_not_the_others(ct2_model, tmp_path):
    import shutil

    from transformers import AutoTokenizer

    from toolkit.translate.shortlist import ensure_shortlist

    model = tmp_path / "m"
    shutil.copytree(ct2_model, model)
    tok = AutoTokenizer.from_pretrained(str(model))
    en = Shortlist.read(ensure_shortlist(model, ["eng_Latn"], top=500)).always
    vi = Shortlist.read(ensure_shortlist(model, ["vie_Latn"], top=500)).always
    both = Shortlist.read(ensure_shortlist(model, ["eng_Latn", "vie_Latn"], top=500)).always
    for word, mine in (("the", en), ("của", vi)):
        pieces = tok.convert_ids_to_tokens(tok(word, add_special_tokens=False)["input_ids"])
        assert set(pieces) <= mine, (word, pieces)
    # pieces with Vietnamese letters are in the union, never in English's own map
    viet = {t for t in both if any(c in t for c in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")}
    assert viet and viet <= vi and not viet & en
    assert len(en) < len(both) and len(vi) < len(both)


@pytest.mark.e2e
def test_engine_with_one_map_per_target(ct2_model, tmp_path):
    """Each target decodes under its own map, as an engine holding only that
    map does; a switch rebuilds the translator; the hash covers every map."""
    from transformers import AutoTokenizer

    from toolkit.translate.ct2 import CT2Engine

    tok = AutoTokenizer.from_pretrained(str(ct2_model))
    maps = {
        t: build_shortlist(tok, [t], top=50, short_piece_len=0).write(tmp_path / f"{t}.txt")
        for t in ("eng_Latn", "vie_Latn")
    }
    per = CT2Engine(ct2_model, device="cpu", shortlist=maps)
    assert per.shortlist == maps["eng_Latn"] and per.reloads == 0  # the first target's map is loaded first
    sources = per.tokenize(_sentences(8), "ind_Latn")
    for target in ("eng_Latn", "vie_Latn", "eng_Latn"):
        alone = CT2Engine(ct2_model, device="cpu", shortlist=maps[target])
        out = per.translate_tokens(sources, target, max_new_tokens=30)
        assert out == alone.translate_tokens(sources, target, max_new_tokens=30), target
        allowed = Shortlist.read(maps[target]).allowed(sources, target)
        assert all(set(t) <= allowed for t in out)
    assert per.reloads == 2
    # a target without a map decodes over the whole vocabulary
    free = CT2Engine(ct2_model, device="cpu")
    assert per.translate_tokens(sources, "ind_Latn", max_new_tokens=30) == free.translate_tokens(
        sources, "ind_Latn", max_new_tokens=30
    )
    assert per.shortlist is None and per.reloads == 3
    prov = per.provenance()
    assert prov.shortlist["per_target"] == "yes" and prov.runtime["reloads"] == 3
    single = CT2Engine(ct2_model, device="cpu", shortlist=maps["eng_Latn"]).provenance()
    assert prov.shortlist["hash"] != single.shortlist["hash"] and prov.cache_key() != single.cache_key()
    maps["vie_Latn"].write_text(maps["vie_Latn"].read_text() + "\t,\n")  # another Vietnamese map...
    assert (
        CT2Engine(ct2_model, device="cpu", shortlist=maps).provenance().cache_key() != prov.cache_key()
    )  # ...another key
