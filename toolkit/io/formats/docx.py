"""Word documents (``.docx``): paragraphs and table cells in, the same file with translated text out.

Reading walks the body in order with python-docx: every paragraph, and in
every table every cell's paragraphs (nested tables too; a merged cell is read
once), is one block (``toolkit.io.formats.blocks``) that records its place
in that walk (``n``: the paragraph's ordinal, empty paragraphs counted).
Headers, footers, footnotes and comments are page furniture and not read.
The core properties' title, author and creation date go to
``Document.meta``. A file that is not a zip archive, or a zip that is not a
Word document, is skipped with a reason that says so.

Writing opens the original file again (``Document.origin``; its bytes must
still be those read, by SHA-256), walks it the same way and, in each
translated paragraph, puts the translation into the first text run and
empties the others: the paragraph keeps its style and the first run's
character formatting; tabs and line breaks inside it give way to the
translation's spacing (page breaks stay). Everything else — styles,
numbering, tables, images, headers, section layout — is the original's.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from toolkit.io.formats.blocks import block_translations, join_blocks
from toolkit.records import BitextRecord, Document, Skip

ZIP_MAGIC = b"PK\x03\x04"


def read(data: bytes, rel: str, origin: str) -> Document | Skip:
    word = _open(data, rel)
    if isinstance(word, Skip):
        return word
    pieces = [(p.text, {"kind": "p", "n": n, "style": _style(p)}) for n, p in enumerate(_paragraphs(word))]
    text, blocks = join_blocks(pieces)
    if not blocks:
        return Skip(rel, "no text in this Word document (only images or empty paragraphs) — nothing to translate")
    props = word.core_properties
    meta = {"title": props.title, "author": props.author, "date": props.created.isoformat() if props.created else ""}
    return Document(
        path=rel,
        text=text,
        encoding="utf-8",
        sha256=hashlib.sha256(data).hexdigest(),
        format="docx",
        meta={k: v for k, v in meta.items() if v},
        blocks=blocks,
        origin=origin,
    )


def _open(data: bytes, rel: str) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data.startswith(ZIP_MAGIC):
        return Skip(rel, "damaged .docx: not a zip archive — open it in Word and save it again as .docx")
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as e:
        return Skip(rel, f"damaged .docx: a zip archive but not a Word document ({e}) — save it again as .docx")
    except Exception as e:  # python-docx raises lxml and ValueError variety on broken XML parts
        return Skip(rel, f"damaged .docx: cannot read it ({type(e).__name__}: {e}) — save it again as .docx")


def _style(paragraph) -> str:
    try:
        return paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, ValueError):  # a style id the file does not define
        return ""


def _paragraphs(word) -> Iterator[Any]:
    """Every paragraph of the body in reading order, table cells' paragraphs included."""
    yield from _inner(word.iter_inner_content())


def _inner(items) -> Iterator[Any]:
    from docx.table import Table

    for item in items:
        if isinstance(item, Table):
            # A merged cell appears once per grid column it spans. The elements are kept (not just
            # their id()): lxml proxies are made on access, and a freed one's id comes back.
            seen: dict[int, Any] = {}
            for row in item.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen[id(cell._tc)] = cell._tc
                    yield from _inner(cell.iter_inner_content())
        else:
            yield item


def write(doc: Document, records: list[BitextRecord], target: str) -> bytes:
    """The original .docx with each paragraph's text replaced by its translation into ``target``."""
    data = Path(doc.origin).read_bytes()
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise ValueError(f"{doc.origin} changed since it was read; translate it again")
    word = _open(data, doc.path)
    if isinstance(word, Skip):
        raise ValueError(word.reason)
    texts = dict(zip((b["n"] for b in doc.blocks), block_translations(doc, records, target), strict=True))
    for n, paragraph in enumerate(_paragraphs(word)):
        if n in texts:
            _replace_text(paragraph, texts[n])
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _replace_text(paragraph, text: str) -> None:
    from docx.oxml.ns import qn

    p = paragraph._p
    ts = p.xpath(".//w:r/w:t")
    if not ts:
        return
    ts[0].text = text
    ts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for t in ts[1:]:
        t.getparent().remove(t)
    for el in p.xpath(".//w:r/w:tab | .//w:r/w:cr | .//w:r/w:br"):
        if el.tag != qn("w:br") or el.get(qn("w:type")) in (None, "textWrapping"):
            el.getparent().remove(el)
