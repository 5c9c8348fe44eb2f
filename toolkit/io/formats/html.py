"""HTML pages (``.html``, ``.htm``, and HTML saved under another name): the article, out of the page.

Reading hands the page to trafilatura (``include_comments=False``: readers'
comments are not the article; ``favor_precision``, so that a page without a
story yields nothing rather than its menu; tables kept; links, images and
formatting dropped; a date only where the page states one, not guessed from a
"© 2024" footer), which leaves out navigation, cookie banners, related-article lists
and footers. Each heading, paragraph, list item and table cell of what it
keeps is one block (``toolkit.io.formats.blocks``), and so is every line of one
that trafilatura cut with ``<lb/>`` (a ``<br>`` on the page); the title comes first,
as its own block, so that it is translated too. Title, author, date, URL and
site name go to ``Document.meta``. A page where trafilatura finds no
article is skipped, naming the page.

Lines the extraction lets through that are still not article body (a
"Sumber:" line, a photo credit, a comment counter) are marked by
``toolkit.segment.boilerplate`` as for any other input: kept, not
translated.

Writing gives a clean HTML article in the target language: ``<title>`` and
``<h1>`` from the translated title, the metadata as ``<meta>`` (author,
date) and a canonical link (the URL), then the blocks as ``<h2>``..., ``<p>``,
``<ul>/<ol>`` (nesting kept), ``<blockquote>`` and ``<table>``. It is not the
original page with its text swapped: the page's furniture is what the reader
left out.
"""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any

from toolkit.io.formats.blocks import block_translations, clean, join_blocks
from toolkit.io.formats.txt import decode_bytes
from toolkit.records import BitextRecord, Document, Skip

META_KEYS = ("title", "author", "date", "url", "sitename")
_SNIFF = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>])", re.IGNORECASE | re.DOTALL)
# A line whose text is at least this share link text is a link line (measured on the real pages: related
# stories 0.84-1.0, the most-linked story paragraph 0.35).
LINK_SHARE = 0.6
_BLOCK_TAGS = {"p", "head", "list", "item", "li", "table", "row", "cell", "quote", "code", "div"}


def looks_like_html(data: bytes) -> bool:
    """Whether ``data`` is an HTML page, whatever its file is called (first 4 kB)."""
    return bool(_SNIFF.match(data[:4096].removeprefix(b"\xef\xbb\xbf")))


def read(data: bytes, rel: str) -> Document | Skip:
    import trafilatura

    decoded = decode_bytes(data)
    # Our decoder knows BOMs and UTF-16; otherwise trafilatura reads the page's own charset.
    page: str | bytes = decoded[0] if isinstance(decoded, tuple) else data
    try:
        result = trafilatura.bare_extraction(
            page,
            include_comments=False,
            # Precision: on a page without a story the default falls back to the menu and the cookie
            # banner; on the test pages precision recovers the same article text.
            favor_precision=True,
            include_tables=True,
            include_images=False,
            # Links are read to weigh each line (LINK_SHARE); they are not written back.
            include_links=True,
            with_metadata=True,
            deduplicate=False,
            # A date only where the page states one (its metadata, a dated element): the extensive
            # search guesses one from any year on the page ("© 2024" in the footer -> 2024-01-01).
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # a parser failure on one page must not stop the batch
        return Skip(rel, f"cannot parse this HTML page ({type(e).__name__}: {e}) — check that it is a web page")
    body = getattr(result, "body", None)
    pieces = list(_pieces(body)) if body is not None else []
    if not any(clean(text) for text, _ in pieces):
        return Skip(rel, "no article text found in this HTML page (navigation or boilerplate only)")
    meta = {k: str(v) for k in META_KEYS if (v := getattr(result, k, None))}
    title = clean(meta.get("title", ""))
    if title and clean(pieces[0][0]) == title:
        pieces[0] = (pieces[0][0], {"kind": "title"})
    elif title:
        pieces.insert(0, (title, {"kind": "title"}))
    lead = _dropped_lead(page, getattr(result, "description", None), pieces)
    if lead:
        pieces.insert(1, (lead, {"kind": "p", "lead": True}))
    text, blocks = join_blocks(pieces)
    return Document(
        path=rel,
        text=text,
        encoding=decoded[1] if isinstance(decoded, tuple) else "html",
        sha256=hashlib.sha256(data).hexdigest(),
        format="html",
        meta=meta,
        blocks=blocks,
    )


# A description shorter than this is a tagline, not the article's lead paragraph.
LEAD_MIN_CHARS = 80


def _dropped_lead(page: str | bytes, description: str | None, pieces) -> str | None:
    """The article's lead (standfirst) where trafilatura dropped it: the page's description, when the
    page also shows it as text of its body (a "preface" box beside the story) and the article lacks it."""
    desc = clean(description or "")
    if len(desc) < LEAD_MIN_CHARS or desc in clean(" ".join(text for text, _ in pieces)):
        return None
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(page)
    except (etree.ParserError, ValueError):
        return None
    etree.strip_elements(tree, "script", "style", "noscript", "head", "meta", "title", with_tail=False)
    for el in tree.iter():
        if isinstance(el.tag, str) and el.text and el.text.strip() and clean(el.text_content()) == desc:
            return desc
    return None


def _own_lines(el) -> list[tuple[str, int]]:
    """The text of ``el`` without that of its block-level children (blocks of their own), cut into
    lines at trafilatura's line breaks (``<lb/>``): a ``<br>`` on the page is a boundary, not a join.
    Each line comes with how many of its characters are link text."""
    lines = [[el.text or "", 0]]
    for child in el:
        if child.tag == "lb":
            lines.append(["", 0])
        elif child.tag not in _BLOCK_TAGS:
            text = _joined(child)
            lines[-1][0] += text
            lines[-1][1] += (
                len(text.strip()) if child.tag == "ref" else sum(len(_joined(r).strip()) for r in child.iter("ref"))
            )
        lines[-1][0] += child.tail or ""
    return [(text, links) for text, links in lines]


def _joined(el) -> str:
    """An inline element's text, its own line breaks as spaces."""
    parts = [el.text or ""]
    for child in el:
        parts.append(" " if child.tag == "lb" else _joined(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lines(el, info: dict[str, Any]):
    for line, links in _own_lines(el):
        yield line, _weighed(line, links, info)


def _weighed(line: str, links: int, info: dict[str, Any]) -> dict[str, Any]:
    """``info``, with the reason "link_line" where the line is mostly the text of links: inside an
    article that is a related story, a menu or a "read also" box, not the story."""
    info = dict(info)
    size = len(line.strip())
    if size and links >= LINK_SHARE * size:
        info["reason"] = "link_line"
    return info


def _pieces(el, depth: int = 0, ordered: bool = False, quote: bool = False, tables: list[int] | None = None):
    """``(text, info)`` of every block under trafilatura's ``<body>``, in document order."""
    tables = [0] if tables is None else tables  # tables seen so far, shared with the nested calls
    for child in el:
        tag = child.tag
        if tag == "head":
            m = re.fullmatch(r"h([1-6])", child.get("rend", ""))
            yield from _lines(child, {"kind": "heading", "level": int(m.group(1)) if m else 2})
        elif tag == "list":
            yield from _pieces(child, depth + 1, child.get("rend") == "ol", quote, tables)
        elif tag in ("item", "li"):  # trafilatura leaves an <li> outside a list as it is
            yield from _lines(child, {"kind": "li", "depth": max(depth, 1), "ordered": ordered})
            yield from _pieces(child, depth, ordered, quote, tables)
        elif tag == "table":
            tables[0] += 1
            for r, row in enumerate(child.iter("row")):
                for c, cell in enumerate(row.iter("cell")):
                    info = {"kind": "cell", "table": tables[0], "row": r, "col": c, "head": cell.get("role") == "head"}
                    yield _joined(cell), info  # a table of links is still a table
        elif tag == "quote":
            yield from _lines(child, {"kind": "p", "quote": True})
            yield from _pieces(child, depth, ordered, True, tables)
        elif tag in ("p", "code", "div"):
            yield from _lines(child, {"kind": "pre" if tag == "code" else "p", "quote": quote})
            yield from _pieces(child, depth, ordered, quote, tables)


def write(doc: Document, records: list[BitextRecord], target: str) -> str:
    """``doc`` as a clean HTML article in ``target`` (an NLLB code)."""
    from toolkit.languages import LanguageError, to_iso

    try:
        lang = to_iso(target)
    except (LanguageError, KeyError):
        lang = target.split("_")[0]
    texts = block_translations(doc, records, target)
    title = next((t for b, t in zip(doc.blocks, texts, strict=True) if b["kind"] == "title"), "")
    esc = html.escape
    head = ['<meta charset="utf-8">', f"<title>{esc(title)}</title>"]
    for key in ("author", "date", "sitename"):
        if doc.meta.get(key):
            head.append(f'<meta name="{key}" content="{esc(doc.meta[key])}">')
    if doc.meta.get("url"):
        head.append(f'<link rel="canonical" href="{esc(doc.meta["url"])}">')
    head.append(f'<meta name="source-document" content="{esc(doc.path)}">')
    body = _body(doc.blocks, texts)
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n'
        + "\n".join(head)
        + "\n</head>\n<body>\n<article>\n"
        + "\n".join(body)
        + "\n</article>\n</body>\n</html>\n"
    )


def _body(blocks: list[dict[str, Any]], texts: list[str]) -> list[str]:
    out: list[str] = []
    lists: list[str] = []  # open list tags, innermost last
    table: tuple[int, int] | None = None  # (table, row) open
    for block, text in zip(blocks, texts, strict=True):
        kind, t = block["kind"], html.escape(text)
        if kind != "li":
            while lists:
                out.append(f"</{lists.pop()}>")
        if kind != "cell" and table is not None:
            out.append("</tr></table>")
            table = None
        if kind == "title":
            out.append(f"<h1>{t}</h1>")
        elif kind == "heading":
            level = min(max(int(block.get("level", 2)), 2), 6)  # the title is the page's one <h1>
            out.append(f"<h{level}>{t}</h{level}>")
        elif kind == "li":
            tag = "ol" if block.get("ordered") else "ul"
            while len(lists) > block.get("depth", 1):
                out.append(f"</{lists.pop()}>")
            while len(lists) < block.get("depth", 1):
                lists.append(tag)
                out.append(f"<{tag}>")
            out.append(f"<li>{t}</li>")
        elif kind == "cell":
            key = (block["table"], block["row"])
            if table is None or table[0] != key[0]:
                out.append(("</tr></table>\n" if table is not None else "") + "<table><tr>")
            elif table[1] != key[1]:
                out.append("</tr><tr>")
            table = key
            cell = "th" if block.get("head") else "td"
            out.append(f"<{cell}>{t}</{cell}>")
        elif kind == "pre":
            out.append(f"<pre>{t}</pre>")
        else:
            out.append(f"<blockquote><p>{t}</p></blockquote>" if block.get("quote") else f"<p>{t}</p>")
    while lists:
        out.append(f"</{lists.pop()}>")
    if table is not None:
        out.append("</tr></table>")
    return out
