"""Markdown in (text without markup, exact offsets) and out (headings, lists, links, emphasis kept)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from formats_helpers import records_for
from hypothesis import given, settings
from hypothesis import strategies as st
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
    for markup in ("**", "# ", "```", "dados brutos", "|", "title:"):
        assert markup not in doc.text, markup
    recs = records_for(doc, "por_Latn", str.upper)
    # An image is kept markup: in the text where it stands, a sentence of its own that is not translated.
    (image,) = [r for r in recs if "reuniao.jpg" in r.src]
    assert image.src == "![Reunião do comitê](/img/reuniao.jpg)" and not image.translate
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
    # emphasis whose first and last words the alignment holds follows them, even where a word between changed
    assert "o *Regulation nº 6* do" in out
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


# -- markup placed by alignment, kept markup never translated (issue 24); line ends and size (issue 27) ------


def _tokens(source: str) -> list[tuple]:
    """Blocks and inline children (text merged, breaks as text), for comparing structure."""
    out: list[tuple] = []
    for tok in MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(source):
        if tok.type != "inline":
            out.append((tok.type, tok.content if tok.type in ("fence", "code_block", "html_block") else ""))
            continue
        text = ""
        for c in tok.children or []:
            if c.type in ("text", "softbreak", "hardbreak"):
                text += c.content if c.type == "text" else " "
                continue
            if text.strip():
                out.append(("text", " ".join(text.split())))
            text = ""
            out.append((c.type, c.content if c.type in ("code_inline", "html_inline") else "", str(c.attrs)))
        if text.strip():
            out.append(("text", " ".join(text.split())))
    return out


def _identity(source: str) -> str:
    doc = md.read(source.encode(), "x.md")
    assert isinstance(doc, Document)
    return md.write(doc, records_for(doc, "por_Latn", lambda s: s), "eng_Latn", source=source)


WORD = st.sampled_from(["casa", "There", "here", "de", "João", "1.300", "milhões", "euros", "Hanói", "a", "o"])


@st.composite
def inline_markdown(draw) -> str:
    """A paragraph of words, some wrapped in emphasis, bold, code, links or inline HTML, with MDX ids."""
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        words = " ".join(draw(st.lists(WORD, min_size=1, max_size=3)))
        wrap = draw(st.sampled_from(["", "", "*", "**", "`", "[", "<b>", "~~"]))
        if wrap == "[":
            parts.append(f"[{words}](https://e.x/{len(parts)})")
        elif wrap == "<b>":
            parts.append(f"<b>{words}</b>")
        else:
            parts.append(f"{wrap}{words}{wrap}")
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from([".", ",", "!", "Depois."])))
    heading = draw(st.booleans())
    text = " ".join(parts)
    return f"## {text} {{/*an-id*/}}\n" if heading else text + "\n"


@settings(max_examples=80, deadline=None)
@given(inline_markdown())
def test_identity_keeps_every_inline_structure(source: str) -> None:
    assert _tokens(_identity(source)) == _tokens(source)


def test_link_on_a_word_inside_another_word_stays_on_its_word() -> None:
    source = "There is a link [here](https://e.x) and more.\n"
    assert _identity(source) == source


def test_bold_figure_kept_when_the_translation_keeps_it() -> None:
    source = "O governo pagou **1.300 milhões de euros** ontem.\n"
    doc = md.read(source.encode(), "x.md")
    recs = records_for(
        doc, "por_Latn", lambda s: s.replace("O governo pagou", "The government paid").replace(" ontem", " yesterday")
    )
    out = md.write(doc, recs, "eng_Latn", source=source)
    assert out == "The government paid **1.300 milhões de euros** yesterday.\n"


def test_unplaced_emphasis_is_reported(caplog) -> None:
    source = "Ele *saiu* cedo.\n"
    doc = md.read(source.encode(), "x.md")
    notes: list = []
    block = doc.blocks[0]
    out = md.render_inline(doc.text, block, [(0, len(doc.text), "He left early.")], "x.md:1", notes)
    assert out == "He left early." and notes and "saiu" in notes[0]
    assert "x.md:1" in caplog.text


def test_code_html_and_heading_ids_never_reach_the_model() -> None:
    source = "## Usar `useState` e <kbd>Ctrl</kbd> {/*using-state*/}\n\nChame `setCount(n)` aqui.\n"
    doc = md.read(source.encode(), "x.md")
    recs = records_for(doc, "por_Latn", str.upper)
    sent = " ".join(r.src for r in recs if r.translate)
    for kept in ("useState", "<kbd>", "</kbd>", "using-state", "setCount"):
        assert kept not in sent
    out = md.write(doc, recs, "eng_Latn", source=source)
    assert out == "## USAR `useState` E <kbd>CTRL</kbd> {/*using-state*/}\n\nCHAME `setCount(n)` AQUI.\n"


def test_cr_line_ends_and_a_stray_cr() -> None:
    source = "# Título\r\rPrimeiro parágrafo.\rSegunda linha.\r\r## Outro\r\rFim.\r"
    out = _identity(source)
    assert out.count("Título") == 1 and out.count("Outro") == 1 and "\n" not in out
    stray = "# Título\n\nUm parágrafo\rcom um CR.\n\n## Outro\n\nFim.\n"
    out = _identity(stray)
    assert out.count("Título") == 1 and out.count("Outro") == 1 and "Fim." in out


def test_many_emphasised_words_take_linear_time() -> None:
    def cost(n: int) -> float:
        source = " ".join(f"*palavra{i}*" for i in range(n)) + "\n"
        start = time.perf_counter()
        assert _identity(source).count("*") == 2 * n
        return time.perf_counter() - start

    small, large = cost(1000), cost(8000)
    assert large < 16 * small + 1.0, (small, large)  # 8 times the words: well under 64 times the time


def test_kept_markup_survives_an_invisible_character_at_the_start() -> None:
    source = "\u200bChame `setCount(n)` aqui.\n"
    doc = md.read(source.encode(), "x.md")
    recs = records_for(doc, "por_Latn", str.upper)
    assert not [r for r in recs if r.translate and "setCount" in r.src]
    assert md.write(doc, recs, "eng_Latn", source=source).endswith("CHAME `setCount(n)` AQUI.\n")
