"""Word clusters learnt from the user's text, and the gazetteer's matcher (issue 22)."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.extractor.clusters import WordClusters
from toolkit.extractor.features import Gazetteer, full_features, is_thai
from toolkit.segment.tokens import tokenize

CITIES = [f"kota{c}" for c in "abcdefghijklmnopqrstuvwxyz"]
PEOPLE = [f"orang{c}" for c in "abcdefghijklmnopqrstuvwxyz"]


def _sentences(seed: int) -> list[list[str]]:
    """Cities come after "di" and before "kemarin"; people after "kata" and before "bahwa"."""
    rng = random.Random(seed)
    out = []
    for _ in range(1500):
        if rng.random() < 0.5:
            out.append(["mereka", "tinggal", "di", rng.choice(CITIES), "kemarin", "."])
        else:
            out.append(["menurut", "kata", rng.choice(PEOPLE), "bahwa", "harga", "naik", "."])
    return out


def test_words_of_the_same_contexts_share_a_cluster():
    clusters = WordClusters.learn(_sentences(0), sizes=(2, 8), dims=8)
    coarse = [clusters.table[w][0] for w in CITIES], [clusters.table[w][0] for w in PEOPLE]
    # every city in one coarse cluster, every person in the other
    assert len(set(coarse[0])) == 1 and len(set(coarse[1])) == 1 and coarse[0][0] != coarse[1][0]
    assert clusters.features("KotaA") == [f"cl2={coarse[0][0]}", f"cl8={clusters.table['kotaa'][1]}"]
    assert clusters.features("kotaa", "-1:")[0].startswith("-1:cl2=")
    assert clusters.features("never-seen") == []


def test_clusters_are_deterministic_and_round_trip():
    a = WordClusters.learn(_sentences(1), sizes=(2, 4), dims=6, seed=3)
    b = WordClusters.learn(_sentences(1), sizes=(2, 4), dims=6, seed=3)
    assert a.table == b.table
    again = WordClusters.from_json(a.to_json())
    assert again.table == a.table and again.sizes == a.sizes


def test_too_little_text_gives_no_clusters():
    assert len(WordClusters.learn([["satu", "dua"], ["satu"]])) == 0


def test_lexical_features_carry_clusters_and_rarity():
    clusters = WordClusters.learn(_sentences(0), sizes=(2, 8), dims=8)
    text = "mereka tinggal di kotab kemarin ."
    toks = tokenize(text)
    feats = full_features(text, toks, "ind_Latn", clusters=clusters, lexical=True)
    city = feats[3]
    assert any(f.startswith("cl2=") for f in city) and any(f.startswith("-1:cl2=") for f in city)
    assert "-2:w=tinggal" in city and "2:w=." in city
    assert any(f.startswith("zipf=") for f in feats[0])  # "mereka": wordfreq knows it
    plain = full_features(text, toks, "ind_Latn")
    assert not any(f.startswith(("cl2=", "zipf=", "-2:w=")) for f in plain[3])


def _reference_match(entries: dict[str, set[str]], text: str) -> list[tuple[int, int]]:
    """What the gazetteer matched before issue 22: one regex alternation, longest first."""
    labels: dict[str, str] = {}
    for label, items in sorted(entries.items()):
        for s in items:
            s = s.strip()
            if len(s) >= 2:
                labels.setdefault(s.lower(), label)
    alts = sorted(labels, key=len, reverse=True)
    parts = [(re.escape(s) if is_thai(s[:1]) else r"(?<!\w)" + re.escape(s) + r"(?!\w)") for s in alts]
    if not parts:
        return []
    return [m.span() for m in re.finditer("|".join(parts), text, re.IGNORECASE)]


_WORDS = ["Jakarta", "Jak", "Budi", "Budi Hartono", "Hartono", "PT", "Bank Mandiri", "กรุงเทพ", "กรุง", "ทพ"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS), max_size=6),
    st.lists(st.sampled_from([*_WORDS, "di", "x", " ", ",", "jakartanya", "ก", "ที่"]), max_size=12),
)
def test_gazetteer_matches_like_the_regex_it_replaced(names, words):
    entries = {"LOC": set(names[::2]), "PER": set(names[1::2])}
    text = " ".join(words)
    gaz = Gazetteer(entries)
    found = gaz.match(text, tokenize(text))
    spans = _reference_match(entries, text)
    covered = {i for i, t in enumerate(tokenize(text)) if any(t.start < e and t.end > s for s, e in spans)}
    assert {i for i, f in enumerate(found) if f} == covered


def test_the_crf_learns_clusters_from_unlabelled_text_and_keeps_them(tmp_path):
    from extractor_synthetic import make_records

    from toolkit.extractor import load_extractor
    from toolkit.extractor.crf import CRFExtractor

    records = make_records(60, seed=1, doc_prefix="train")
    unlabelled = ["\n".join(" ".join(s) for s in _sentences(2))]
    ext = CRFExtractor(["PER", "ORG", "LOC"], {"max_iterations": 20, "lexical": True})
    ext.fit(records, unlabelled=unlabelled)
    assert "kotaa" in ext.clusters.table and len(ext.clusters) > 50
    path = ext.save(tmp_path / "m")
    assert (path / "clusters.json").is_file()
    loaded = load_extractor(path)
    assert loaded.clusters.table == ext.clusters.table
    r = records[0]
    assert loaded.predict(r.text, r.lang) == ext.predict(r.text, r.lang)
    # no unlabelled text: no clusters ("auto"), nothing saved for them
    plain = CRFExtractor(["PER", "ORG", "LOC"], {"max_iterations": 20, "lexical": True})
    plain.fit(records)
    assert len(plain.clusters) == 0 and not (plain.save(tmp_path / "p") / "clusters.json").exists()
