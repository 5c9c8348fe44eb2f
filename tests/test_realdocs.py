"""Real documents nobody here wrote (``../shared/realdocs/``), read and written back with an identity translation.

The model is out of the picture: every body sentence "translates" to itself,
so whatever the written file loses or gains, the toolkit's reader or writer
did. For every document:

* offsets: ``doc.text[src_start:src_end] == src`` for every record, and every
  visible character of ``doc.text`` lies in one record;
* Word: the reader sees every letter a person sees in the body (runs,
  hyperlinks, smart tags, fields' results, content controls, text boxes,
  tracked insertions; not deletions); the written file holds, text node by
  text node, the letters of the original, and every hyperlink its text;
* Markdown: the written file parses to the same blocks and inline structure,
  with code blocks, inline code, inline HTML, link targets and the front
  matter byte-identical, and the letters of every text run;
* HTML: what ``expected-html.json`` says the article must contain is in the
  written page, what it must not contain is not translated, no two lines of
  trafilatura's extraction are glued, and a date is written only where the
  page has it;
* tables: the written column holds each row's text.

The folder is read from ``../shared/realdocs`` (or ``$TOOLKIT_REALDOCS``);
the files are never copied into the repository. Without it the tests skip.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from formats_helpers import records_for

from toolkit.io.formats import TranslatedWriter, rows, table_output_path, translated_path
from toolkit.io.read import read_document
from toolkit.records import Document, Skip
from toolkit.run import RunPaths

ROOT = Path(os.environ.get("TOOLKIT_REALDOCS", Path(__file__).resolve().parents[2] / "shared" / "realdocs"))
TARGET = "eng_Latn"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _documents() -> list[str]:
    if not ROOT.is_dir():
        return []
    skip = {"SOURCES.md", "expected-html.json"}
    return sorted(p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file() and p.name not in skip)


def _languages() -> dict[str, str]:
    """``SOURCES.md``'s file table: file -> the language its last column names (``pt (recipe)`` -> ``pt``)."""
    out = {}
    sources = ROOT / "SOURCES.md"
    if sources.is_file():
        for line in sources.read_text("utf-8").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 4 and "/" in cells[0] and cells[3]:
                out[cells[0]] = cells[3].split()[0]
    return out


def _lang(rel: str, doc_text: str) -> str:
    from toolkit.detect import detect_language
    from toolkit.languages import to_nllb

    if rel.startswith("from-pt/"):
        return "por_Latn"  # these run with --from pt: they test reading and writing, not detection
    detected = detect_language(doc_text)
    expected = _languages().get(rel)
    if expected is not None:
        assert detected.nllb == to_nllb(expected), f"detected {detected} for a {expected} document"
    assert detected.nllb is not None, f"no source language detected ({detected})"
    return detected.nllb


def identity(text: str) -> str:
    return text


DOCS = _documents()
pytestmark = pytest.mark.skipif(not DOCS, reason=f"no real documents at {ROOT}")


@pytest.mark.parametrize("rel", DOCS)
def test_realdoc_identity(rel: str, tmp_path: Path) -> None:
    path = ROOT / rel
    paths = RunPaths(tmp_path / "run")
    if rows.KINDS.get(path.suffix.lower()):
        _check_table(rel, path, paths)
        return
    doc = read_document(path, rel)
    assert isinstance(doc, Document), f"skipped: {doc.reason if isinstance(doc, Skip) else doc}"
    lang = _lang(rel, doc.text)
    records = records_for(doc, lang, identity, TARGET)
    _check_offsets(doc, records)
    with TranslatedWriter(paths, [TARGET]) as writer:
        problems = writer.add(doc, records)
    assert not problems, problems
    out = translated_path(paths, doc, TARGET)
    assert out is not None and out.is_file()
    if doc.format == "docx":
        _check_docx(path.read_bytes(), out.read_bytes(), doc)
    elif doc.format == "md":
        _check_md(path.read_text("utf-8"), out.read_text("utf-8"))
    elif doc.format == "html":
        _check_html(rel, path.read_bytes(), out.read_text("utf-8"), doc, records)


def _check_offsets(doc: Document, records) -> None:
    covered = bytearray(len(doc.text))
    for r in records:
        assert doc.text[r.src_start : r.src_end] == r.src, r.id
        covered[r.src_start : r.src_end] = b"\1" * (r.src_end - r.src_start)
    lost = [i for i, ch in enumerate(doc.text) if not ch.isspace() and not covered[i]]
    assert not lost, f"{len(lost)} characters in no record, first at {lost[0]}: {doc.text[lost[0] : lost[0] + 40]!r}"


def letters(text: str) -> Counter:
    return Counter(ch for ch in text if ch.isalnum())


# -- Word ---------------------------------------------------------------------------------------


def _word_xml(data: bytes, name: str = "word/document.xml"):
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def _visible_body_text(root) -> str:
    """The letters a person sees in the body: w:t outside deletions, moves away and VML fallbacks."""
    out = []
    for t in root.iter(W + "t"):
        if any(a.tag in (W + "del", W + "moveFrom", MC_FALLBACK) for a in t.iterancestors()):
            continue
        out.append(t.text or "")
    return "".join(out)


def _text_parts(data: bytes) -> list[str]:
    """The body and the parts a reader of the document sees: headers, footers, notes, comments."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        rels = etree.fromstring(z.read("_rels/.rels"))
    main = next(r.get("Target").lstrip("/") for r in rels if r.get("Type").endswith("/officeDocument"))
    other = r"word/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml"
    return [main, *sorted(n for n in names if re.fullmatch(other, n))]


def _check_docx(original: bytes, written: bytes, doc: Document) -> None:
    seen = ""
    for part in _text_parts(original):
        before, after = _word_xml(original, part), _word_xml(written, part)
        seen += _visible_body_text(before)
        nodes_before = [(t.tag, t.text or "") for t in before.iter(W + "t", W + "delText", W + "instrText")]
        nodes_after = [(t.tag, t.text or "") for t in after.iter(W + "t", W + "delText", W + "instrText")]
        assert len(nodes_before) == len(nodes_after), (
            f"{part}: {len(nodes_before)} text nodes, {len(nodes_after)} after"
        )
        for i, ((tag_b, b), (tag_a, a)) in enumerate(zip(nodes_before, nodes_after, strict=True)):
            assert tag_b == tag_a and letters(b) == letters(a), f"{part} text node {i}: {b!r} became {a!r}"
        links_before = [("".join(h.itertext()), dict(h.attrib)) for h in before.iter(W + "hyperlink")]
        links_after = [("".join(h.itertext()), dict(h.attrib)) for h in after.iter(W + "hyperlink")]
        assert links_before == links_after, f"{part}: hyperlinks changed (text or target)"
    assert letters(doc.text) == letters(seen), (
        f"the reader's text and the visible text differ: missing {letters(seen) - letters(doc.text)}, "
        f"extra {letters(doc.text) - letters(seen)}"
    )
    with zipfile.ZipFile(io.BytesIO(original)) as a, zipfile.ZipFile(io.BytesIO(written)) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name not in _text_parts(original):
                assert a.read(name) == b.read(name), f"{name} changed"


# -- Markdown -----------------------------------------------------------------------------------


def _md_structure(source: str) -> list[tuple]:
    """Block tokens with their verbatim content, and every inline's children with text merged."""
    from markdown_it import MarkdownIt

    from toolkit.io.formats.md import front_matter_end

    lines = source.replace("\r\n", "\n").split("\n")
    fm = front_matter_end(lines)
    body = "\n".join([""] * fm + lines[fm:])
    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(body)
    out: list[tuple] = [("front_matter", "\n".join(lines[:fm]))]
    for tok in tokens:
        if tok.type == "inline":
            out.extend(_inline_structure(tok.children or []))
        elif tok.type in ("fence", "code_block", "html_block"):
            out.append((tok.type, tok.info, tok.content))
        else:
            out.append((tok.type, tok.tag, tok.markup if tok.type != "ordered_list_open" else ""))
    return out


def _inline_structure(children) -> list[tuple]:
    out: list[tuple] = []
    text = ""
    for c in children:
        if c.type in ("text", "softbreak", "hardbreak"):
            text += c.content if c.type == "text" else " "
            continue
        if text.strip():
            out.append(("text", letters(text)))
        text = ""
        if c.type in ("code_inline", "html_inline"):
            out.append((c.type, c.content))
        elif c.type == "link_open":
            out.append((c.type, c.attrs.get("href"), c.attrs.get("title")))
        elif c.type == "image":
            out.append((c.type, c.attrs.get("src"), c.content))
        else:
            out.append((c.type, c.markup))
    if text.strip():
        out.append(("text", letters(text)))
    return out


def _check_md(original: str, written: str) -> None:
    before, after = _md_structure(original), _md_structure(written)
    for i, (b, a) in enumerate(zip(before, after, strict=False)):
        assert b == a, f"token {i}: {b!r} became {a!r}"
    assert len(before) == len(after), f"{len(before)} tokens before, {len(after)} after"


# -- HTML ---------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_html(rel: str, page: bytes, written: str, doc: Document, records) -> None:
    import trafilatura
    from lxml import html as lhtml

    article = "\n".join(t for t in lhtml.fromstring(written.encode()).xpath("//article")[0].itertext())
    flat = " ".join(article.split())
    expected = json.loads((ROOT / "expected-html.json").read_text("utf-8")).get(rel, {})
    for piece in expected.get("with", []):
        assert " ".join(piece.split()) in flat, f"the article lost {piece!r}"
    translated = " ".join(r.src for r in records if r.translate)
    for piece in expected.get("without", []):
        assert " ".join(piece.split()) not in translated, f"{piece!r} was translated as article text"
    if expected.get("expected_text"):
        squashed = _squash(article)
        paragraphs = [p for p in re.split(r"\n\s*\n", expected["expected_text"]) if len(_squash(p)) >= 40]
        missing = [p for p in paragraphs if _squash(p) not in squashed]
        assert len(missing) <= len(paragraphs) // 10, f"{len(missing)} of {len(paragraphs)} paragraphs lost"
    # trafilatura's own line breaks (<lb/>, block ends) must stay boundaries: no two lines glued.
    lines = [ln.strip() for ln in (trafilatura.extract(page, favor_precision=True) or "").splitlines() if ln.strip()]
    for first, second in zip(lines, lines[1:], strict=False):
        glued = first[-12:] + second[:12]
        assert glued not in doc.text, f"two lines glued: {glued!r}"
    m = re.search(r'<meta name="date" content="([^"]+)">', written)
    if m:
        y, mo, d = m.group(1)[:10].split("-")
        raw = page.decode("utf-8", "replace")
        forms = [f"{y}-{mo}-{d}", f"{d}/{mo}/{y}", f"{d}.{mo}.{y}", f"{y}/{mo}/{d}", f"{y}{mo}{d}"]
        assert (mo, d) != ("01", "01") or any(f in raw for f in forms), f"date {m.group(1)} not in the page"


# -- tables -------------------------------------------------------------------------------------


def _check_table(rel: str, path: Path, paths: RunPaths) -> None:
    kind = rows.KINDS[path.suffix.lower()]
    docs = [d for d in rows.read(path, rel, kind, None, None) if isinstance(d, Document)]
    assert docs
    lang = _lang(rel, "\n".join(d.text for d in docs))
    with TranslatedWriter(paths, [TARGET]) as writer:
        for doc in docs:
            records = records_for(doc, lang, identity, TARGET)
            _check_offsets(doc, records)
            assert not writer.add(doc, records)
    out = table_output_path(paths, rel)
    with open(out, newline="", encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    field = docs[0].meta["text_field"]
    assert len(table) == len(docs)
    for row in table:
        assert " ".join(row[f"{field}_{TARGET}"].split()) == " ".join(row[field].split())


WORD_DOCS = [rel for rel in DOCS if rel.endswith(".docx")]


@pytest.mark.parametrize("rel", WORD_DOCS)
def test_realdoc_word_translation_lands_in_the_nodes_read(rel: str, tmp_path: Path) -> None:
    """A translation that changes every letter (upper case) goes into the nodes it was read from:
    every visible letter comes back changed, none lost or gained, deletions and field codes untouched,
    and every hyperlink that had letters keeps some."""
    path = ROOT / rel
    doc = read_document(path, rel)
    assert isinstance(doc, Document)
    records = records_for(doc, "por_Latn", str.upper, TARGET)
    paths = RunPaths(tmp_path / "run")
    with TranslatedWriter(paths, [TARGET]) as writer:
        assert not writer.add(doc, records)
    out = translated_path(paths, doc, TARGET)
    assert out is not None
    original, written = path.read_bytes(), out.read_bytes()
    expected = "".join(r.mt.get(TARGET, r.src) if r.translate else r.src for r in records)
    seen = ""
    for part in _text_parts(original):
        before, after = _word_xml(original, part), _word_xml(written, part)
        seen += _visible_body_text(after)
        for tag in (W + "delText", W + "instrText"):
            assert [t.text for t in before.iter(tag)] == [t.text for t in after.iter(tag)]
        assert len(list(before.iter(W + "t"))) == len(list(after.iter(W + "t")))
        for b, a in zip(before.iter(W + "hyperlink"), after.iter(W + "hyperlink"), strict=True):
            if letters("".join(b.itertext())):
                assert letters("".join(a.itertext())), f"{part}: a hyperlink came back empty"
    assert letters(seen) == letters(expected)


MD_DOCS = [rel for rel in DOCS if rel.endswith((".md", ".markdown"))]


@pytest.mark.parametrize("rel", MD_DOCS)
def test_realdoc_markdown_markup_follows_its_words(rel: str, tmp_path: Path) -> None:
    """Every sentence translated with a word put before it: the markup inside the sentences must
    follow its words to their new places, and the structure (code, HTML, links, emphasis) stay."""
    path = ROOT / rel
    doc = read_document(path, rel)
    assert isinstance(doc, Document)
    records = records_for(doc, "por_Latn", lambda s: "Zé " + s, TARGET)
    paths = RunPaths(tmp_path / "run")
    with TranslatedWriter(paths, [TARGET]) as writer:
        assert not writer.add(doc, records)
    out = translated_path(paths, doc, TARGET)
    assert out is not None
    before = [t for t in _md_structure(path.read_text("utf-8")) if t[0] != "text"]
    after = [t for t in _md_structure(out.read_text("utf-8")) if t[0] != "text"]
    assert before == after
