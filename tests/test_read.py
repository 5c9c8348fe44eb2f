"""Reading folders: encodings, binary/empty files, duplicates, odd names, links, permissions."""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

import pytest

from toolkit.io.formats.txt import REPLACED
from toolkit.io.read import InputError, decode_bytes, iter_documents, list_input_files, read_document
from toolkit.records import Document, Skip

PT = "Em 2024, Binh Thuan alcançou resultados extraordinários na mobilização.\nAção e coração: ótimo, São Tomé.\n"
TH = "ในช่วง 6 เดือนแรกของปี 2567 คณะกรรมการพรรคฮานอยมุ่งเน้นไปที่การนำ\n"
NB = "Første linje med æøå.\r\nAndre linje.\r\n"


def _items(folder: Path) -> dict[str, Document | Skip]:
    return {item.path: item for item in iter_documents(folder)}


def test_encodings_are_decoded_and_named(tmp_path: Path) -> None:
    (tmp_path / "utf8.txt").write_bytes(PT.encode("utf-8"))
    (tmp_path / "bom.txt").write_bytes(codecs.BOM_UTF8 + NB.encode("utf-8"))
    (tmp_path / "u16le.txt").write_bytes(codecs.BOM_UTF16_LE + TH.encode("utf-16-le"))
    (tmp_path / "u16be.txt").write_bytes(codecs.BOM_UTF16_BE + PT.encode("utf-16-be"))
    (tmp_path / "u16le_nobom.txt").write_bytes(TH.encode("utf-16-le"))
    (tmp_path / "u16be_nobom.txt").write_bytes(NB.encode("utf-16-be"))
    (tmp_path / "cp1252.txt").write_bytes(PT.encode("cp1252"))
    (tmp_path / "latin1.txt").write_bytes(NB.encode("latin-1"))
    (tmp_path / "cp874.txt").write_bytes(TH.encode("cp874"))
    items = _items(tmp_path)
    expect = {
        "utf8.txt": (PT, "utf-8"),
        "bom.txt": (NB, "utf-8-sig"),
        "u16le.txt": (TH, "utf-16-le"),
        "u16be.txt": (PT, "utf-16-be"),
        "u16le_nobom.txt": (TH, "utf-16-le"),
        "u16be_nobom.txt": (NB, "utf-16-be"),
        "cp1252.txt": (PT, "cp1252"),
        "latin1.txt": (NB, "cp1252"),
        "cp874.txt": (TH, "cp874"),
    }
    for name, (text, encoding) in expect.items():
        doc = items[name]
        assert isinstance(doc, Document), (name, doc)
        assert doc.text == text, name  # BOM removed, CRLF kept
        assert doc.encoding == encoding, name
        assert doc.lang is None
        assert doc.sha256 == hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()


def test_crlf_is_kept(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(NB.encode())
    doc = _items(tmp_path)["a.txt"]
    assert "\r\n" in doc.text and doc.text == NB


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\r\n\t ", "empty file (only whitespace)"),
        ("\u200b\n".encode(), "empty file (only whitespace)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file (NUL bytes) — not a text article"),
        (b"Ol\xe1 mundo \x81\x9d\x90 fim do texto", "cannot decode as UTF-8/UTF-16 — re-save it as UTF-8"),
        (bytes(range(1, 32)) * 20 + b"\xc3", "binary file (control characters) — not a text article"),
        (bytes(range(1, 9)) * 50, "binary file (control characters) — not a text article"),
    ],
)
def test_bad_files_are_skipped_with_a_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    (tmp_path / "bad.txt").write_bytes(data)
    (tmp_path / "good.txt").write_text(PT, encoding="utf-8")
    items = _items(tmp_path)
    assert isinstance(items["bad.txt"], Skip)
    assert items["bad.txt"].reason == reason
    assert isinstance(items["good.txt"], Document)


def test_random_high_bytes_are_not_taken_for_cp1252() -> None:
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(2000))
    assert isinstance(decode_bytes(data), str)


def test_duplicates_are_skipped_after_the_first(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(PT, encoding="utf-8")
    (tmp_path / "a.txt").write_text(PT, encoding="utf-8")
    items = list(iter_documents(tmp_path))
    assert isinstance(items[0], Document) and items[0].path == "a.txt"
    assert isinstance(items[1], Skip) and items[1].reason == "duplicate of a.txt (same bytes) — read once, as a.txt"


def test_stable_order_names_and_recursion(tmp_path: Path) -> None:
    names = ["b dir/z.txt", "a.txt", "b dir/ä ö 'quoted' \"x\".txt", "B.txt", "sub/deeper/c.TXT", "émile.txt"]
    for i, name in enumerate(names):
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"Tekst nummer {i} her.\n", encoding="utf-8")
    (tmp_path / "notes.odt").write_text("not an input format")  # .md is read since issue 12
    listed = [p.relative_to(tmp_path).as_posix() for p in list_input_files(tmp_path)]
    assert listed == sorted(names)
    docs = [d for d in iter_documents(tmp_path) if isinstance(d, Document)]
    assert [d.path for d in docs] == sorted(names)
    assert list_input_files(tmp_path) == list_input_files(tmp_path)


def test_symlink_loop_ends_and_is_reported(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(PT, encoding="utf-8")
    os.symlink("..", tmp_path / "sub" / "loop")
    os.symlink(tmp_path / "sub", tmp_path / "again")
    items = list(iter_documents(tmp_path))
    docs = [i for i in items if isinstance(i, Document)]
    skips = [i for i in items if isinstance(i, Skip)]
    assert [d.path for d in docs] == ["again/a.txt"]  # "again" sorts before "sub" and is read first
    assert {s.path for s in skips} == {"sub", "again/loop"}
    assert all("symlink loop" in s.reason for s in skips)


def test_symlinked_file_is_followed_and_broken_link_reported(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "real.txt").write_text(PT, encoding="utf-8")
    src = tmp_path / "in"
    src.mkdir()
    os.symlink(outside / "real.txt", src / "link.txt")
    os.symlink(outside / "missing.txt", src / "broken.txt")
    # Links that leave the input folder are followed only when asked (issue 16).
    items = {it.path: it for it in iter_documents(src, follow_symlinks=True)}
    assert isinstance(items["link.txt"], Document) and items["link.txt"].text == PT
    assert isinstance(items["broken.txt"], Skip) and "broken symbolic link" in items["broken.txt"].reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text(PT, encoding="utf-8")
    p.chmod(0)
    (tmp_path / "ok.txt").write_text(NB, encoding="utf-8")
    try:
        items = _items(tmp_path)
    finally:
        p.chmod(0o644)
    assert items["secret.txt"].reason == "permission denied — check its permissions"
    assert isinstance(items["ok.txt"], Document)


def test_fifo_is_skipped_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    item = read_document(tmp_path / "pipe.txt", "pipe.txt")
    assert isinstance(item, Skip) and item.reason.startswith("not a regular file")


def test_undecodable_file_name_is_skipped(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/bad\xff name.txt"
    with open(raw, "wb") as fh:
        fh.write(PT.encode())
    (items,) = list(iter_documents(tmp_path))
    assert isinstance(items, Skip) and items.reason == "file name is not valid UTF-8 — rename the file"
    items.to_json()  # the record itself must be writable


def test_too_large_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("a" * 2000, encoding="utf-8")
    (item,) = list(iter_documents(tmp_path, max_bytes=1000))
    assert isinstance(item, Skip) and item.reason.startswith("too large")


def test_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        list(iter_documents(tmp_path / "nope"))


def test_single_file_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "one.txt"
    p.write_text(PT, encoding="utf-8")
    (doc,) = list(iter_documents(p))
    assert isinstance(doc, Document) and doc.path == "one.txt"


def test_seeds_read_cleanly() -> None:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    items = list(iter_documents(seeds))
    assert len(items) == 5 and all(isinstance(i, Document) and i.encoding == "utf-8" for i in items)
    assert [i.path for i in items] == sorted(p.name for p in seeds.glob("*.txt"))


# -- issue 16: the decoder needs evidence before it leaves UTF-8 -------------------------------------------


def test_stray_nul_in_utf8_is_not_utf16() -> None:
    data = ("Halo dunia, ini adalah berita penting hari ini. " * 20).encode() + b"\x00" + b"Akhir.\n"
    text, encoding = decode_bytes(data)
    assert encoding == REPLACED
    assert text == data.decode("utf-8").replace("\x00", "\ufffd")


def test_almost_utf8_is_not_cp1252_mojibake() -> None:
    good = "Thành phố Hồ Chí Minh đã tổ chức hội nghị. " * 10
    data = good.encode() + b"\xff" + good.encode()
    text, encoding = decode_bytes(data)
    assert encoding == REPLACED
    assert text == good + "\ufffd" + good  # the Vietnamese kept, one replacement character


def test_real_utf16_without_bom_is_still_found() -> None:
    for text in ("Komite Partai Distrik mengadakan konferensi.\n" * 5, "ในช่วงปี 2561 ถึง 2566 มีการประชุม\n" * 5):
        for name in ("utf-16-le", "utf-16-be"):
            assert decode_bytes(text.encode(name)) == (text, name)


def test_encoding_is_counted_in_the_document(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(PT.encode() + b"\x00")
    (doc,) = list(iter_documents(tmp_path))
    assert isinstance(doc, Document) and doc.encoding == REPLACED


def test_links_leaving_the_input_folder_are_named_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.txt").write_text(PT, encoding="utf-8")
    (outside / "dir" / "more.txt").write_text(NB, encoding="utf-8")
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "own.txt").write_text(NB + " Og mer.", encoding="utf-8")
    os.symlink(outside / "secret.txt", src / "secret.txt")
    os.symlink(outside / "dir", src / "dir")
    os.symlink(src / "sub" / "own.txt", src / "inside.txt")  # stays inside: followed
    items = _items(src)
    for name in ("secret.txt", "dir"):
        assert isinstance(items[name], Skip) and "outside the input folder" in items[name].reason
        assert "--follow-symlinks" in items[name].reason
    assert isinstance(items["inside.txt"], Document)
    assert not any(isinstance(i, Document) and i.text == PT for i in items.values())
    assert {p.name for p in list_input_files(src)} == {"inside.txt", "own.txt"}


def test_file_deleted_after_listing_is_not_called_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(NB, encoding="utf-8")
    items = iter_documents(tmp_path)
    first = next(items)  # the folder is listed before the first item
    (tmp_path / "b.txt").unlink()
    second = next(items)
    assert isinstance(first, Document)
    assert isinstance(second, Skip) and second.reason.startswith("disappeared while reading"), second


def test_run_folders_inside_the_input_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PT, encoding="utf-8")
    own = tmp_path / "out"  # this run's --out: left out without a word
    old = tmp_path / "old-run"  # another run folder: named
    for run in (own, old):
        (run / "translations" / "eng_Latn").mkdir(parents=True)
        (run / "translations" / "eng_Latn" / "a.txt").write_text("Hello world.", encoding="utf-8")
        (run / "bitext.jsonl").write_text("", encoding="utf-8")
        (run / "run.json").write_text("{}", encoding="utf-8")
    (own / "run.json").unlink()  # a first run has not written it yet: excluded by its path
    items = {i.path: i for i in iter_documents(tmp_path, exclude=own)}
    assert set(items) == {"a.txt", "old-run"}
    assert isinstance(items["old-run"], Skip) and "a run folder" in items["old-run"].reason
    assert [p.name for p in list_input_files(tmp_path, exclude=own)] == ["a.txt"]


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux only")
def test_io_error_through_a_followed_link_is_named(tmp_path: Path) -> None:
    os.symlink("/proc/self/mem", tmp_path / "io_error.txt")
    (item,) = list(iter_documents(tmp_path, follow_symlinks=True))
    assert isinstance(item, Skip) and item.reason.startswith("cannot read (Input/output error)"), item
