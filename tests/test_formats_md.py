"""Markdown in (text without markup, exact offsets) and out (headings, lists, links, emphasis kept)."""

from __future__ import annotations

import shutil
from pathlib import Path

from formats_helpers import records_for
from markdown_it import MarkdownIt

from toolkit.io.formats import md, write_source_text, write_translated
from toolkit.io.read import iter_documents
from toolkit.records import Document, Skip
from toolkit.run import RunPaths

ARTICLE = Path(__file__).parent / "data" / "formats" / "article.md"


def structure(text: str) -> list[tuple]:
    """What a Markdown renderer sees, text aside: block types, heading levels, links, emphasis."""
    out = []
    for t in MarkdownIt("commonmark").enable("table").parse(text):
        out.append((t.type, t.tag))
        for c in t.children or []:
            if c.type in ("link_open", "em_open", "strong_open", "code_inline", "image"):
                out.append((c.type, c.attrs.get("href") or c.attrs.get("src")))
    return out


def read_article(tmp_path: Path) -> Document:
    shutil.copy(ARTICLE, tmp_path / "article.md")
    (doc,) = list(iter_documents(tmp_path))
    assert isinstance(doc, Document)
    return doc


def test_text_without_markup_and_exact_offsets(tmp_path: Path) -> None:
    doc = read_article(tmp_path)
    assert doc.format == "md" and doc.meta == {
        "title": "Binh Thuan: resultados da mobilização de massas em 2024",
        "author": "Mariana Lopes",
        "date": "2025-01-15",
    }
    lines = doc.text.split("\n")
    assert lines[0] == "Binh Thuan alcançou resultados extraordinários"
    assert "Segundo o Comitê Permanente Provincial do Partido, todos os níveis" in doc.text
    assert "Implementar seriamente o Regulamento nº 6 do Comitê Permanente Provincial." in lines
    assert "Revisar os procedimentos administrativos." in lines and "2052" in lines
    for markup in ("**", "](", "# ", "```", "dados brutos", "reuniao.jpg", "|", "title:"):
        assert markup not in doc.text, markup
    recs = records_for(doc, "por_Latn", str.upper)
    paths = RunPaths(tmp_path / "run")
    source = write_source_text(doc, paths)
    assert source == paths.sources / "article.md.txt"
    text = source.read_text("utf-8")
    assert all(text[r.src_start : r.src_end] == r.src for r in recs)
    assert any(r.skip_reason for r in recs if r.src.startswith("Fonte:"))


def test_identity_translation_keeps_the_structure(tmp_path: Path) -> None:
    doc = read_article(tmp_path)
    source = ARTICLE.read_text("utf-8")
    out = md.write(doc, records_for(doc, "por_Latn", lambda s: s), "eng_Latn")
    assert structure(out) == structure(source)
    assert out.startswith("---\ntitle:") and "```\ndados brutos: não traduzir\n```" in out


def test_translation_is_rewrapped_in_the_markup(tmp_path: Path) -> None:
    doc = read_article(tmp_path)
    paths = RunPaths(tmp_path / "run")
    recs = records_for(doc, "por_Latn", lambda s: "EN " + s.replace("Regulamento", "Regulation"))
    (path,) = write_translated(doc, recs, paths, ["eng_Latn"])
    assert path == paths.translations("eng_Latn") / "article.md"
    out = path.read_text("utf-8")
    tokens = MarkdownIt("commonmark").enable("table").parse(out.split("---\n", 2)[2])  # after the front matter
    heads = [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert heads == [
        ("h1", "EN Binh Thuan alcançou resultados extraordinários"),
        ("h2", "EN Plataforma de conexão de poder popular"),
    ]
    items = [tokens[i + 2].content for i, t in enumerate(tokens) if t.type == "list_item_open"]
    assert len(items) == 4 and items[2] == "EN Revisar os procedimentos administrativos."
    # words found verbatim in the translation keep their markup; the link keeps its URL and title
    assert "EN Em 2024, **Binh Thuan** alcançou" in out
    assert '[Comitê Permanente Provincial do Partido](https://baobinhthuan.com.vn/comite "Comitê")' in out
    assert "*liderar e implementar*" in out and "| EN 2052 |" in out
    # emphasis on words the translation changed is dropped, the text is right
    assert "o Regulation nº 6 do" in out and "*Regulation" not in out
    assert "![Reunião do comitê](/img/reuniao.jpg)" in out
    assert "**EN Com tarefas e soluções específicas" in out
    assert "\nFonte: https://baobinhthuan.com.vn/doan-ket-qua-cong-tac-dan-van" in out  # not for translation


def test_inline_placement_rules() -> None:
    src = "Ia a [casa do João](http://x.pt) e **Hanói** ontem. Depois *saiu*."
    doc = md.read(src.encode(), "x.md")
    block = doc.blocks[0]
    sentences = [(0, 45, "He went to John's house and Hanói yesterday."), (46, 59, "Then he left.")]
    out = md.render_inline(doc.text, block, sentences)
    # the link cannot be placed: it wraps its sentence; Hanói is found verbatim; "saiu" is lost
    assert out == "[He went to John's house and **Hanói** yesterday.](http://x.pt) Then he left."


def test_markdown_without_text_is_skipped() -> None:
    item = md.read(b"```\ncode only\n```\n", "code.md")
    assert isinstance(item, Skip) and "no text" in item.reason
