"""HTML pages in (trafilatura: the article without the page around it) and out (a clean article)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from formats_helpers import records_for
from lxml import html as lxml_html

from toolkit.io.formats import html, read_bytes
from toolkit.io.read import iter_documents
from toolkit.records import Document, Skip
from toolkit.segment import segment_document

DATA = Path(__file__).parent / "data" / "formats"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
sys.path.insert(0, str(DATA))
from make_pages import LANG_OF, chrome_texts  # noqa: E402

NLLB = {"id": "ind_Latn", "pt": "por_Latn", "nb": "nob_Latn", "th": "tha_Thai"}
PAGES = sorted(DATA.glob("*.html"))


def body_sentences(doc: Document, lang: str) -> set[str]:
    return {s.text for s in segment_document(doc, lang) if s.is_body}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name[:3])
def test_page_gives_the_article_and_not_the_page(page: Path) -> None:
    iso = LANG_OF[page.name[:3]]
    doc = html.read(page.read_bytes(), page.name)
    assert isinstance(doc, Document) and doc.format == "html"
    assert doc.meta["url"].startswith("https://news.example/") and doc.meta["date"][:4] in ("2024", "2025")
    assert doc.meta["title"] and doc.blocks[0]["kind"] == "title"
    for chrome in chrome_texts(iso):
        assert chrome not in doc.text, chrome
    # every block is one line of the text, at its offsets
    assert doc.text.count("\n") == len(doc.blocks) - 1
    for b in doc.blocks:
        assert "\n" not in doc.text[b["start"] : b["end"]] and doc.text[b["start"] : b["end"]].strip()
    seed = SEEDS / (page.stem + ".txt")
    txt = Document(seed.name, seed.read_text("utf-8"))
    want = body_sentences(txt, NLLB[iso])
    got = body_sentences(doc, NLLB[iso])
    assert len(want & got) >= 0.9 * len(want), sorted(want - got)[:3]


def test_source_line_left_in_by_extraction_is_kept_untranslated() -> None:
    page = DATA / "001_eb38eec008c21456.html"
    doc = html.read(page.read_bytes(), page.name)
    assert "Fonte: https://baobinhthuan.com.vn" in doc.text
    reasons = {s.text[:6]: s.reason for s in segment_document(doc, "por_Latn") if not s.is_body}
    assert reasons.get("Fonte:") in ("source_line", "url"), reasons


def test_clean_article_out() -> None:
    page = DATA / "000_4c948b14667160bd.html"
    doc = html.read(page.read_bytes(), page.name)
    recs = records_for(doc, "ind_Latn", lambda s: f"EN<{s}>")
    out = html.write(doc, recs, "eng_Latn")
    tree = lxml_html.fromstring(out.encode())
    assert tree.get("lang") == "en"
    assert tree.findtext(".//title").startswith("EN<Resolusi Kongres")
    assert tree.findtext(".//h1") == tree.findtext(".//title")
    assert tree.find(".//meta[@name='author']").get("content") == "Rina Kartika"
    assert tree.find(".//link[@rel='canonical']").get("href") == doc.meta["url"]
    heads = [h.text_content() for h in tree.findall(".//h2")]
    assert "EN<Menuju pangkalan>" in heads
    paras = [p.text_content() for p in tree.findall(".//article//p")]
    body = [b for b in doc.blocks if b["kind"] == "p"]
    assert len(paras) == len(body) and all(p.startswith("EN<") or p == "Sumber" for p in paras)


def test_lists_and_tables_come_out_structured() -> None:
    page = b"""<html><head><title>Daftar harga</title></head><body><article><h1>Daftar harga</h1>
    <p>Harga bahan pokok di pasar tradisional naik pada pekan ini menurut pedagang setempat di kota.</p>
    <ul><li>Beras naik sepuluh persen dari pekan lalu.</li><li>Minyak goreng stabil di pasar.</li></ul>
    <table><tr><th>Barang</th><th>Harga</th></tr><tr><td>Beras</td><td>Rp 15.000</td></tr></table>
    <p>Pedagang berharap pemerintah segera melakukan operasi pasar untuk menstabilkan harga.</p></article></body></html>"""
    doc = html.read(page, "harga.html")
    assert isinstance(doc, Document)
    kinds = [b["kind"] for b in doc.blocks]
    assert kinds.count("li") == 2 and kinds.count("cell") == 4
    out = html.write(doc, records_for(doc, "ind_Latn", str.upper), "eng_Latn")
    tree = lxml_html.fromstring(out.encode())
    assert [li.text for li in tree.findall(".//ul/li")] == [
        "BERAS NAIK SEPULUH PERSEN DARI PEKAN LALU.",
        "MINYAK GORENG STABIL DI PASAR.",
    ]
    assert [c.text for c in tree.findall(".//table//th")] == ["BARANG", "HARGA"]
    assert len(tree.findall(".//table//tr")) == 2


def test_page_without_article_is_skipped(tmp_path: Path) -> None:
    page = b"""<!DOCTYPE html><html><head><title>Beranda</title></head><body>
    <nav><ul><li><a href="/">Beranda</a></li><li><a href="/p">Politik</a></li></ul></nav>
    <div class="cookie">Kami menggunakan cookie.</div><footer>(c) 2024 Situs</footer></body></html>"""
    item = html.read(page, "kosong.html")
    assert isinstance(item, Skip) and "no article text" in item.reason and item.path == "kosong.html"


def test_html_saved_as_txt_is_read_as_html(tmp_path: Path) -> None:
    data = (DATA / "002_f8ee477c81dbbf1d.html").read_bytes()
    (tmp_path / "page.txt").write_bytes(data)
    (doc,) = list(iter_documents(tmp_path))
    assert isinstance(doc, Document) and doc.format == "html" and "<p>" not in doc.text
    assert read_bytes(data, "x.md", "md", tmp_path / "x.md").format == "html"


def test_line_breaks_stay_boundaries_and_no_date_is_guessed() -> None:
    html_format = html

    story = " ".join(["Uma frase longa sobre o assunto do dia, com bastante texto para ser um artigo."] * 6)
    page = (
        "<html><head><title>Notícia</title></head><body><article><h1>Notícia</h1>"
        f"<p>{story}</p><p>Primeira linha do poema<br>segunda linha do poema<br/>terceira linha</p>"
        f"<p>{story}</p></article><footer>© 2024 Jornal</footer></body></html>"
    )
    doc = html_format.read(page.encode(), "p.html")
    assert isinstance(doc, Document)
    lines = doc.text.split("\n")
    assert "Primeira linha do poema" in lines and "segunda linha do poema" in lines
    assert "poemasegunda" not in doc.text and "date" not in doc.meta


def test_list_items_outside_a_list_stay_lines() -> None:
    story = " ".join(["Uma frase longa sobre o assunto do dia, com bastante texto para ser um artigo."] * 6)
    items = "<li>Nível: 80</li><li>Requisito: a missão deve estar terminada.</li><li>Descrição: em grupo.</li>"
    page = f"<html><head><title>T</title></head><body><article><h1>T</h1><p>{story}</p><blockquote>{items}</blockquote><p>{story}</p></article></body></html>"
    doc = html.read(page.encode(), "p.html")
    assert isinstance(doc, Document)
    lines = doc.text.split("\n")
    assert "Requisito: a missão deve estar terminada." in lines and "terminada.Descrição" not in doc.text
