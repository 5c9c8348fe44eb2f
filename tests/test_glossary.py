"""Glossary files (good, bad lines, unsupported languages, empty, unreadable), build_glossary, `toolkit glossary`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.checks import GlossaryEntry, GlossaryError, build_glossary, parse_glossary, read_glossary
from toolkit.checks.glossary import ACCEPTABLE_RATINGS
from toolkit.cli.main import app
from toolkit.records import AnnotatedText, Span
from toolkit.studio.config import RATINGS

EXPORTS = Path(__file__).parent / "data" / "exports"

GOOD = (
    "\ufeff# source term\ttarget language\tforms\tsource language\n"
    "source\ttarget\tforms\n"
    "\n"
    "Nui Thanh\tvie_Latn\tNúi Thành | Nui Thanh\n"
    "Nui Thanh\ten\tNui Thanh\n"
    "Komite Rakyat\teng_Latn\tPeople's Committee\tid\n"
    "Nui Thanh\tvie_Latn\tNúi Thành\n"
)


def test_good_file(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(GOOD, encoding="utf-8")
    g = read_glossary(path)
    assert g.problems == []
    assert g.entries == [
        GlossaryEntry("Nui Thanh", "vie_Latn", ("Núi Thành", "Nui Thanh")),
        GlossaryEntry("Nui Thanh", "eng_Latn", ("Nui Thanh",)),
        GlossaryEntry("Komite Rakyat", "eng_Latn", ("People's Committee",), "ind_Latn"),
    ]
    assert [e.keep for e in g.entries] == [False, True, False]
    assert g.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [e.term for e in g.for_pair("ind_Latn", "eng_Latn")] == ["Nui Thanh", "Komite Rakyat"]
    assert [e.term for e in g.for_pair("por_Latn", "eng_Latn")] == ["Nui Thanh"]
    # Written and read again: the same entries, and the hash of what was written.
    again = parse_glossary(g.to_tsv())
    assert sorted(again.entries, key=str) == sorted(g.entries, key=str)
    assert again.sha256 == hashlib.sha256(g.to_tsv().encode()).hexdigest()


def test_bad_lines_are_reported_and_the_rest_is_kept() -> None:
    text = (
        "Nui Thanh\teng_Latn\tNui Thanh\n"
        "Tam Ky eng_Latn Tam Ky\n"  # spaces, not tabs
        "\teng_Latn\tsomething\n"  # no term
        "Chu Lai\tvie_Latn\t | \n"  # no forms
        "Ky Ha\teng_Latn\tKy Ha\tid\textra\n"  # five columns
        "Binh Thuan\tfr\tBinh Thuan\n"  # unsupported target
        "Binh Thuan\teng_Latn\tBinh Thuan\tzz_Latn\n"  # unsupported source
    )
    g = parse_glossary(text, "g.tsv")
    assert [e.term for e in g.entries] == ["Nui Thanh"]
    assert len(g.problems) == 6
    assert [p.split(":")[1] for p in g.problems] == ["2", "3", "4", "5", "6", "7"]
    assert all(p.startswith("g.tsv:") and p.endswith("line skipped") for p in g.problems)
    assert "separate the columns with tabs" in g.problems[0]
    assert "no source term" in g.problems[1]
    assert "write the term itself" in g.problems[2]
    assert "got 5" in g.problems[3]
    assert "target language 'fr' is not supported" in g.problems[4]
    assert "source language 'zz_Latn' is not supported" in g.problems[5]


def test_empty_glossary_says_so() -> None:
    for text in ("", "# only a comment\n\n", "Tam Ky eng_Latn Tam Ky\n"):
        g = parse_glossary(text, "empty.tsv")
        assert len(g) == 0
        assert g.problems[-1].startswith("empty.tsv: the glossary has no entries")


def test_unreadable_file_raises(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="missing.tsv: cannot be read"):
        read_glossary(tmp_path / "missing.tsv")
    with pytest.raises(GlossaryError, match="cannot be read"):
        read_glossary(tmp_path)
    latin1 = tmp_path / "latin1.tsv"
    latin1.write_bytes("Núi Thành\tvie_Latn\tNúi Thành\n".encode("latin-1", errors="replace"))
    with pytest.raises(GlossaryError, match="not UTF-8"):
        read_glossary(latin1)


def test_acceptable_ratings_are_label_studio_ratings() -> None:
    assert set(ACCEPTABLE_RATINGS) <= set(RATINGS)


def _span(text: str, name: str, label: str) -> Span:
    start = text.index(name)
    return Span(start, start + len(name), label, name)


def _task(rid: str, src: str, src_lang: str, names: list[tuple[str, str]], mts: list[tuple]) -> list[AnnotatedText]:
    out = [AnnotatedText(src, src_lang, [_span(src, n, lab) for n, lab in names], "src", "a.txt", rid)]
    for target, text, rating, correction in mts:
        out.append(AnnotatedText(text, target, [], f"mt_{target}", "a.txt", rid, rating=rating, correction=correction))
    return out


def test_build_glossary_keeps_the_names_reviewed_translations_kept() -> None:
    src = "Bapak Le Van Sinh - Ketua Komite Rakyat Distrik Nui Thanh mengatakan 127 konferensi."
    names = [("Le Van Sinh", "PER"), ("Komite Rakyat Distrik Nui Thanh", "ORG"), ("Nui Thanh", "LOC"), ("127", "COUNT")]
    records = _task(
        "a#p0s0",
        src,
        "ind_Latn",
        names,
        [
            (
                "eng_Latn",
                "Mr. Le Van Sinh, Chairman of the Nui Thanh District People's Committee, spoke.",
                "good",
                None,
            ),
            # Rated badly, but corrected: the correction is what the annotator vouches for.
            (
                "vie_Latn",
                "Ông Lê Văn Sinh nói.",
                "major errors",
                "Ông Lê Văn Sinh, Chủ tịch UBND huyện Núi Thành, nói.",
            ),
        ],
    )
    # Another sentence: a second spelling for Vietnamese, and a rejected translation that is ignored.
    src2 = "Nui Thanh telah memberi tahu masyarakat di Tam Ky."
    records += _task(
        "a#p1s0",
        src2,
        "ind_Latn",
        [("Nui Thanh", "LOC"), ("Tam Ky", "LOC")],
        [
            ("vie_Latn", "Nui Thanh đã thông báo cho người dân ở Tam Kỳ.", "minor errors", None),
            ("eng_Latn", "Nui Thanh informed the people of Tam Ky.", "major errors", None),
        ],
    )
    # A Thai-script name is not kept by a Latin translation: no entry.
    th = "นายเหงียน วัน ฮวีเญน กล่าว"
    records += _task(
        "b#p0s0",
        th,
        "tha_Thai",
        [("เหงียน วัน ฮวีเญน", "PER")],
        [
            ("eng_Latn", "Mr. Nguyen Van Huyen said.", "good", None),
        ],
    )
    g = build_glossary(records)
    got = {(e.term, e.target): e.forms for e in g.entries}
    assert got == {
        ("Le Van Sinh", "eng_Latn"): ("Le Van Sinh",),
        ("Le Van Sinh", "vie_Latn"): ("Lê Văn Sinh",),
        ("Nui Thanh", "eng_Latn"): ("Nui Thanh",),
        ("Nui Thanh", "vie_Latn"): ("Nui Thanh", "Núi Thành"),  # each confirmed once: alphabetical
        ("Tam Ky", "vie_Latn"): ("Tam Kỳ",),
    }
    assert all(e.src_lang is None for e in g.entries)
    assert build_glossary(records).sha256 == g.sha256


def test_cli_builds_a_glossary_from_an_export(tmp_path: Path) -> None:
    out = tmp_path / "g.tsv"
    res = CliRunner().invoke(app, ["glossary", str(EXPORTS / "toolkit_project.json"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    g = read_glossary(out)
    assert g.problems == []
    # Task 1's latest annotation labels "Le Van Sinh"; both translations keep it (vi as "Lê Văn Sinh").
    assert {(e.term, e.target, e.forms) for e in g.entries} == {
        ("Le Van Sinh", "eng_Latn", ("Le Van Sinh",)),
        ("Le Van Sinh", "vie_Latn", ("Lê Văn Sinh",)),
    }
    assert g.sha256[:12] in res.output


@pytest.mark.parametrize("name", ["empty.json", "no_annotations.json", "missing.json"])
def test_cli_bad_export_is_a_usage_error(tmp_path: Path, name: str) -> None:
    out = tmp_path / "g.tsv"
    res = CliRunner().invoke(app, ["glossary", str(EXPORTS / name), "--out", str(out)])
    assert res.exit_code == 2
    assert "error:" in res.output and name in res.output
    assert not out.exists()


def test_cli_export_with_no_reviewed_names_writes_an_empty_glossary(tmp_path: Path) -> None:
    export = tmp_path / "labels.json"
    task = {
        "id": 1,
        "data": {"src": "Em 2024, Binh Thuan alcançou resultados.", "src_lang": "por_Latn"},
        "annotations": [{"id": 1, "result": []}],
    }
    export.write_text(json.dumps([task]), encoding="utf-8")
    out = tmp_path / "g.tsv"
    res = CliRunner().invoke(app, ["glossary", str(export), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "0 entries" in res.output
    assert (
        read_glossary(out)
        .problems[-1]
        .endswith("the glossary has no entries; add lines 'term<TAB>target language<TAB>forms'")
    )
