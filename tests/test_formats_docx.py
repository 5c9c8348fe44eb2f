"""Word files in (paragraphs, table cells) and out (the same file: styles, runs' formatting, tables kept)."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from formats_helpers import records_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.io.formats import docx as docx_format
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


# -- every text a person sees, written back into its own nodes (issue 24), bounded (issue 27) -------------

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def word_file(path: Path, body: str, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal .docx whose body is ``body`` (WordprocessingML), with ``extra`` zip members."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}</w:body></w:document>',
        )
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


WRAPPERS = [
    ('<w:hyperlink r:id="rId9">', "</w:hyperlink>"),
    ('<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="country-region">', "</w:smartTag>"),
    ("<w:sdt><w:sdtPr/><w:sdtContent>", "</w:sdtContent></w:sdt>"),
    ('<w:ins w:id="1" w:author="a">', "</w:ins>"),
    ('<w:moveTo w:id="2" w:author="a">', "</w:moveTo>"),
    ('<w:customXml w:element="x">', "</w:customXml>"),
    ('<w:fldSimple w:instr=" PAGE ">', "</w:fldSimple>"),
]
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéø", min_size=1, max_size=8)


@st.composite
def paragraphs(draw) -> tuple[str, str]:
    """A paragraph of words in runs, each run wrapped in what Word wraps runs in, with deletions between."""
    xml, seen = [], []
    for _ in range(draw(st.integers(1, 6))):
        words = " ".join(draw(st.lists(WORDS, min_size=1, max_size=3)))
        piece = run(words + " ")
        for k in draw(st.lists(st.integers(0, len(WRAPPERS) - 1), max_size=2)):
            piece = WRAPPERS[k][0] + piece + WRAPPERS[k][1]
        xml.append(piece)
        seen.append(words + " ")
        if draw(st.booleans()):
            xml.append('<w:del w:id="3" w:author="a"><w:r><w:delText>gone </w:delText></w:r></w:del>')
    return "<w:p>" + "".join(xml) + "</w:p>", " ".join("".join(seen).split())


def _visible(data: bytes) -> str:
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return "".join(t.text or "" for t in root.iter(w + "t"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs())
def test_every_wrapped_run_is_read_and_written_back(tmp_path: Path, para: tuple[str, str]) -> None:
    xml, expected = para
    path = word_file(tmp_path / "p.docx", xml)
    doc = docx_format.read(path.read_bytes(), "p.docx", str(path))
    assert isinstance(doc, Document) and doc.text == expected
    records = records_for(doc, "por_Latn", str.upper)
    out = docx_format.write(doc, records, "eng_Latn")
    assert Counter(_visible(out).replace(" ", "")) == Counter(expected.upper().replace(" ", ""))
    assert zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml").count(
        b"<w:delText>gone </w:delText>"
    ) == xml.count("gone")
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for link in root.iter(w + "hyperlink"):
        assert "".join(link.itertext()).strip(), "a hyperlink came back empty"


def test_text_box_shown_once_and_fallback_kept(tmp_path: Path) -> None:
    box = "<w:txbxContent><w:p>" + run("Inside the box") + "</w:p></w:txbxContent>"
    body = (
        "<w:p>"
        + run("Before the box. ")
        + f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{box}</w:drawing></mc:Choice>'
        + f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    path = word_file(tmp_path / "box.docx", body)
    doc = docx_format.read(path.read_bytes(), "box.docx", str(path))
    assert isinstance(doc, Document) and doc.text == "Before the box.\nInside the box"
    out = docx_format.write(doc, records_for(doc, "por_Latn", str.upper), "eng_Latn")
    assert _visible(out).count("INSIDE THE BOX") == 1  # the choice translated; the fallback left as it was
    assert _visible(out).count("Inside the box") == 1


def test_huge_grid_span_and_merge_in_first_row_are_cheap(tmp_path: Path) -> None:
    import time

    cell = '<w:tc><w:tcPr><w:gridSpan w:val="100000000"/><w:vMerge/></w:tcPr><w:p>' + run("Cell text") + "</w:p></w:tc>"
    body = f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>{cell}</w:tr><w:tr>{cell}</w:tr></w:tbl>"
    path = word_file(tmp_path / "grid.docx", body)
    start = time.perf_counter()
    doc = docx_format.read(path.read_bytes(), "grid.docx", str(path))
    assert isinstance(doc, Document) and doc.text == "Cell text\nCell text"
    docx_format.write(doc, records_for(doc, "por_Latn", str.upper), "eng_Latn")
    assert time.perf_counter() - start < 5


def test_a_part_that_inflates_without_bound_is_refused_unread(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(docx_format, "MAX_TOTAL_BYTES", 10_000_000)
    zeros = b"\0" * 20_000_000  # 20 MB of zeros: a few kB in the zip
    path = word_file(tmp_path / "bomb.docx", "<w:p>" + run("Text") + "</w:p>", {"word/media/image1.png": zeros})
    assert path.stat().st_size < 200_000
    got = docx_format.read(path.read_bytes(), "bomb.docx", str(path))
    assert isinstance(got, Skip) and "inflate" in got.reason


def test_headers_footnotes_and_comments_are_translated(tmp_path: Path) -> None:
    part = '<?xml version="1.0" encoding="UTF-8"?><w:{0} {1}><w:p>{2}</w:p></w:{0}>'
    extra = {
        "word/header1.xml": part.format("hdr", NS, run("Header words")),
        "word/footnotes.xml": part.format("footnotes", NS, run("A footnote")),
        "word/comments.xml": part.format("comments", NS, run("A comment")),
    }
    path = word_file(tmp_path / "parts.docx", "<w:p>" + run("Body text") + "</w:p>", extra)
    doc = docx_format.read(path.read_bytes(), "parts.docx", str(path))
    assert isinstance(doc, Document)
    assert doc.text.split("\n") == ["Body text", "Header words", "A footnote", "A comment"]
    out = zipfile.ZipFile(io.BytesIO(docx_format.write(doc, records_for(doc, "por_Latn", str.upper), "eng_Latn")))
    assert b"HEADER WORDS" in out.read("word/header1.xml")
    assert b"A FOOTNOTE" in out.read("word/footnotes.xml") and b"A COMMENT" in out.read("word/comments.xml")


def test_main_part_found_by_its_relationship(tmp_path: Path) -> None:
    path = tmp_path / "alt.docx"
    body = f'<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body><w:p>{run("Moved main part")}</w:p></w:body></w:document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.replace("/word/document.xml", "/word/document2.xml"))
        z.writestr("_rels/.rels", RELS.replace("word/document.xml", "word/document2.xml"))
        z.writestr("word/document2.xml", body)
    doc = docx_format.read(path.read_bytes(), "alt.docx", str(path))
    assert isinstance(doc, Document) and doc.text == "Moved main part"
    out = zipfile.ZipFile(io.BytesIO(docx_format.write(doc, records_for(doc, "por_Latn", str.upper), "eng_Latn")))
    assert b"MOVED MAIN PART" in out.read("word/document2.xml")


def test_an_untranslated_paragraph_keeps_its_nodes_exactly(tmp_path: Path) -> None:
    para = '<w:p><w:hyperlink r:id="rId5"><w:r><w:t xml:space="preserve">one  </w:t></w:r><w:r><w:t xml:space="preserve"> that</w:t></w:r></w:hyperlink></w:p>'
    path = word_file(tmp_path / "same.docx", para)
    doc = docx_format.read(path.read_bytes(), "same.docx", str(path))
    out = docx_format.write(doc, records_for(doc, "por_Latn", lambda s: s), "eng_Latn")
    assert b'<w:t xml:space="preserve">one  </w:t>' in zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml")
