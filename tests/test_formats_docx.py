"""Word files in (paragraphs, table cells) and out (the same file: styles, runs' formatting, tables kept)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from formats_helpers import records_for

from toolkit.io.formats import write_source_text, write_translated
from toolkit.io.read import iter_documents
from toolkit.records import Document, Skip
from toolkit.run import RunPaths

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_4c948b14667160bd.txt"


def make_docx(path: Path) -> list[str]:
    """A report as an editor writes one: title, heading, styled runs, a list, a table with a merged cell."""
    lines = [x for x in SEED.read_text("utf-8").splitlines() if x.strip()]
    d = docx.Document()
    d.core_properties.title = "Mobilisasi massa di Nui Thanh"
    d.core_properties.author = "Redaksi"
    d.add_heading("Mobilisasi massa di Nui Thanh", level=1)
    p = d.add_paragraph()
    bold = p.add_run(lines[1][:40])
    bold.bold = True
    bold.font.size = Pt(13)
    p.add_run(lines[1][40:])
    d.add_heading(lines[3], level=2)
    d.add_paragraph(lines[4])
    d.add_paragraph("")  # an empty paragraph: not a block, still counted in the walk
    d.add_paragraph("Komite Front Tanah Air di tingkat distrik.", style="List Bullet")
    table = d.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Kegiatan"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Jumlah konferensi dialog"
    table.cell(1, 0).text = "Dialog langsung dengan rakyat"
    table.cell(1, 1).text = "175"
    table.cell(1, 2).text = "Tingkat distrik"
    d.add_paragraph(lines[5])
    d.save(path)
    return lines


def test_paragraphs_and_cells_in(tmp_path: Path) -> None:
    lines = make_docx(tmp_path / "laporan.docx")
    (doc,) = list(iter_documents(tmp_path))
    assert isinstance(doc, Document) and doc.format == "docx"
    assert doc.meta["title"] == "Mobilisasi massa di Nui Thanh" and doc.meta["author"] == "Redaksi"
    text = doc.text.split("\n")
    assert text[:4] == ["Mobilisasi massa di Nui Thanh", lines[1], lines[3], lines[4]]
    assert text[5:10] == [
        "Kegiatan",
        "Jumlah konferensi dialog",
        "Dialog langsung dengan rakyat",
        "175",
        "Tingkat distrik",
    ]
    assert [b["style"] for b in doc.blocks[:3]] == ["Heading 1", "Normal", "Heading 2"]
    recs = records_for(doc, "ind_Latn", str.upper)
    source = write_source_text(doc, RunPaths(tmp_path / "run")).read_text("utf-8")
    assert all(source[r.src_start : r.src_end] == r.src for r in recs)


def test_same_document_out_with_translated_text(tmp_path: Path) -> None:
    lines = make_docx(tmp_path / "laporan.docx")
    (doc,) = list(iter_documents(tmp_path))
    paths = RunPaths(tmp_path / "run")
    (out,) = write_translated(doc, records_for(doc, "ind_Latn", str.upper), paths, ["eng_Latn"])
    assert out == paths.translations("eng_Latn") / "laporan.docx"
    d = docx.Document(out)
    paras = d.paragraphs
    assert [p.style.name for p in paras] == [p.style.name for p in docx.Document(tmp_path / "laporan.docx").paragraphs]
    assert paras[0].text == "MOBILISASI MASSA DI NUI THANH" and paras[0].style.name == "Heading 1"
    assert paras[1].text == lines[1].upper()
    assert paras[1].runs[0].bold and paras[1].runs[0].font.size == Pt(13)  # the first run's formatting
    assert paras[5].style.name == "List Bullet" and paras[5].text == "KOMITE FRONT TANAH AIR DI TINGKAT DISTRIK."
    (table,) = d.tables
    assert table.cell(0, 1).text == "JUMLAH KONFERENSI DIALOG" and table.cell(0, 2).text == "JUMLAH KONFERENSI DIALOG"
    assert table.cell(1, 0).text == "DIALOG LANGSUNG DENGAN RAKYAT" and table.cell(1, 1).text == "175"
    assert d.core_properties.author == "Redaksi"


def test_changed_original_is_reported_not_written(tmp_path: Path) -> None:
    from toolkit.io.formats import TranslatedWriter

    make_docx(tmp_path / "laporan.docx")
    (doc,) = list(iter_documents(tmp_path))
    (tmp_path / "laporan.docx").write_bytes(b"PK\x03\x04 changed")
    with TranslatedWriter(RunPaths(tmp_path / "run"), ["eng_Latn"]) as writer:
        (skip,) = writer.add(doc, records_for(doc, "ind_Latn", str.upper))
    assert skip.path == "laporan.docx" and "changed since it was read" in skip.reason


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"Ini bukan dokumen Word, hanya teks biasa.", "not a zip archive"),
        (b"PK\x03\x04\x14\x00broken zip", "damaged .docx"),
        (None, "not a Word document"),
    ],
)
def test_damaged_docx_is_skipped_and_the_rest_read(tmp_path: Path, data: bytes | None, why: str) -> None:
    if data is None:  # a valid zip that is not a Word file (an .xlsx renamed, say)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
        data = buf.getvalue()
    (tmp_path / "rusak.docx").write_bytes(data)
    (tmp_path / "baik.txt").write_text(SEED.read_text("utf-8"), "utf-8")
    items = {i.path: i for i in iter_documents(tmp_path)}
    assert isinstance(items["baik.txt"], Document)
    assert isinstance(items["rusak.docx"], Skip) and why in items["rusak.docx"].reason
