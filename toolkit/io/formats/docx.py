"""Word documents (``.docx``): every text a person sees in, the same file with translated text out.

Reading opens the zip and parses its text parts with lxml (python-docx's
table grid is not used: a cell spanning 100,000,000 columns is one ``w:tc``
element here, and a vertical merge is nothing to resolve). Every paragraph
(``w:p``) is one block (``toolkit.io.formats.blocks``), in document order:
body paragraphs, table cells (nested tables too), content controls
(``w:sdt``), text boxes and shapes (DrawingML, or VML where it is the only
copy: the VML fallback of a DrawingML box is the same text and is passed
over). A paragraph's text is that of its text nodes (``w:t``) wherever they
sit under it: runs, hyperlinks, smart tags, custom XML, fields' shown
results (``w:fldSimple``, and the runs between a complex field's
``separate`` and ``end``; the field code ``w:instrText`` is not text),
tracked insertions and moves' new place (accepted), and not tracked
deletions (``w:delText``) nor a move's old place (``w:moveFrom``). Tabs and
line breaks read as spaces. A text box's paragraphs are blocks of their own,
after the paragraph that anchors them.

After the body come the other parts a reader sees: headers, footers,
footnotes, endnotes and comments (``PARTS``); they are translated too, each
block naming its part. The core properties' title, author and creation date
go to ``Document.meta``.

Writing opens the original again (``Document.origin``; its bytes must still
be those read, by SHA-256), walks the same parts the same way and writes
each translated paragraph's text back into the text nodes it was read from,
and only those: the translation is cut at the places that
``blocks.Alignment`` maps the nodes' boundaries to (exactly where the
translation keeps the words, at word boundaries in between), so that a
hyperlink, a bold word or a field result keeps its share of the text, and
a hyperlink that had text keeps some. Tabs, breaks, fields, deletions,
bookmarks, images and every other element stay as they were; every other
zip member is copied unchanged, streamed.

Bounds: a part's declared size is checked before it is inflated
(``MAX_PART_BYTES`` for an XML part read, ``MAX_TOTAL_BYTES`` for the whole
archive), so that an image that inflates to gigabytes costs nothing to
read and is refused rather than copied.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from toolkit.io.formats.blocks import Alignment, clean_with_map, join_blocks, records_by_block
from toolkit.records import BitextRecord, Document, Skip

ZIP_MAGIC = b"PK\x03\x04"
MAX_PART_BYTES = 256 * 1024 * 1024  # one XML part, inflated
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024  # the whole archive, inflated

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
BODY = "word/document.xml"
# The other parts a reader sees, in the order their blocks follow the body's.
PARTS = re.compile(r"word/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_PART_ORDER = ("header", "footer", "footnotes", "endnotes", "comments")
# Subtrees whose text is not seen: deletions, a move's old place, the VML copy of a DrawingML box.
_UNSEEN = {W + "del", W + "moveFrom", _MC_FALLBACK}
_SPACES = {W + "tab", W + "cr", W + "br", W + "ptab"}


class _Damaged(Exception):
    """The archive is not a Word document we can read safely (the reason is the message)."""


def read(data: bytes, rel: str, origin: str) -> Document | Skip:
    try:
        with _open_zip(data) as z:
            parts = _text_parts(z)
            pieces = []
            styles = _style_names(z)
            for name in parts:
                root = _parse(z, name)
                for n, (p, nodes) in enumerate(_paragraph_nodes(root)):
                    raw = "".join(text for _, text in nodes)
                    style = p.find(f"{W}pPr/{W}pStyle")
                    info: dict[str, Any] = {"kind": "p", "n": n}
                    info["style"] = styles.get(style.get(W + "val") if style is not None else None, "")
                    if name != BODY:
                        info["part"] = name
                    pieces.append((raw, info))
            meta = _core_properties(z)
    except _Damaged as e:
        return Skip(rel, str(e))
    text, blocks = join_blocks(pieces)
    if not blocks:
        return Skip(rel, "no text in this Word document (only images or empty paragraphs) — nothing to translate")
    return Document(
        path=rel,
        text=text,
        encoding="utf-8",
        sha256=hashlib.sha256(data).hexdigest(),
        format="docx",
        meta=meta,
        blocks=blocks,
        origin=origin,
    )


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if not data.startswith(ZIP_MAGIC):
        raise _Damaged("damaged .docx: not a zip archive — open it in Word and save it again as .docx")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise _Damaged(f"damaged .docx: not a readable zip archive ({e}) — save it again as .docx") from None


def _text_parts(z: zipfile.ZipFile) -> list[str]:
    """The body and the other parts with text, after checking what the archive says it inflates to."""
    try:
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError) as e:
        raise _Damaged(f"damaged .docx: {e} — save it again as .docx") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise _Damaged(
            f"refused: its parts inflate to {total / 1e9:.1f} GB (limit {MAX_TOTAL_BYTES / 1e9:.1f} GB)"
            " — a damaged or hostile file; save the document again"
        )
    names = {i.filename for i in infos}
    body = _main_part(z, names)
    if body is None:
        raise _Damaged("damaged .docx: a zip archive but not a Word document (no main document part)")

    def order(name: str) -> tuple[int, int, str]:
        kind = re.match(r"word/([a-z]+)", name).group(1)  # type: ignore[union-attr]
        digits = re.sub(r"\D", "", name)
        return _PART_ORDER.index(kind), int(digits) if digits else 0, name

    return [body, *sorted((n for n in names if PARTS.fullmatch(n)), key=order)]


def _main_part(z: zipfile.ZipFile, names: set[str]) -> str | None:
    """The main document part: where the package's relationships say (``_rels/.rels``), else ``word/document.xml``."""
    if "_rels/.rels" in names and z.getinfo("_rels/.rels").file_size <= MAX_PART_BYTES:
        from lxml import etree

        try:
            rels = etree.fromstring(z.read("_rels/.rels"), etree.XMLParser(resolve_entities=False, no_network=True))
        except (etree.XMLSyntaxError, zipfile.BadZipFile, ValueError):
            rels = None
        for rel in rels if rels is not None else []:
            if str(rel.get("Type", "")).endswith("/officeDocument"):
                target = str(rel.get("Target", "")).lstrip("/")
                if target in names:
                    return target
    return BODY if BODY in names else None


def _parse(z: zipfile.ZipFile, name: str):
    from lxml import etree

    info = z.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise _Damaged(
            f"refused: {name} inflates to {info.file_size / 1e6:.0f} MB (limit {MAX_PART_BYTES / 1e6:.0f} MB)"
            " — split the document"
        )
    try:
        with z.open(info) as fh:
            data = fh.read(MAX_PART_BYTES + 1)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        return etree.fromstring(data, parser)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, EOFError, OSError, ValueError) as e:
        raise _Damaged(f"damaged .docx: cannot read {name} ({type(e).__name__}: {e}) — save it again") from None


def _style_names(z: zipfile.ZipFile) -> dict[str | None, str]:
    """Paragraph style id -> its name as Word shows it ("Heading 1"); ``None`` -> the default style's."""
    try:
        root = _parse(z, "word/styles.xml")
    except (KeyError, _Damaged):
        return {}
    names: dict[str | None, str] = {}
    for style in root.iter(W + "style"):
        if style.get(W + "type") != "paragraph":
            continue
        name_el = style.find(W + "name")
        name = name_el.get(W + "val", "") if name_el is not None else ""
        name = name[:1].upper() + name[1:]  # built-in names are stored lowercase ("heading 1")
        names[style.get(W + "styleId")] = name
        if style.get(W + "default") in ("1", "true", "on"):
            names[None] = name
    return names


def _core_properties(z: zipfile.ZipFile) -> dict[str, Any]:
    """Title, author and creation date from ``docProps/core.xml``, where the file has them."""
    try:
        root = _parse(z, "docProps/core.xml")
    except (KeyError, _Damaged):
        return {}
    meta = {}
    for key, tag in (
        ("title", "{http://purl.org/dc/elements/1.1/}title"),
        ("author", "{http://purl.org/dc/elements/1.1/}creator"),
        ("date", "{http://purl.org/dc/terms/}created"),
    ):
        el = root.find(tag)
        if el is not None and (el.text or "").strip():
            meta[key] = el.text.strip()
    return meta


def _paragraph_nodes(root) -> Iterator[tuple[Any, list[tuple[Any, str]]]]:
    """For every seen paragraph of a part, in document order: ``(w:p, its (element, text) nodes)``.

    A text node is a ``w:t``; a tab or a line break is an element read as a
    space. Paragraphs inside a text box are their own (they come after the
    paragraph that holds the box).
    """
    for p in root.iter(W + "p"):
        if any(a.tag in _UNSEEN for a in p.iterancestors()):
            continue
        nodes: list[tuple[Any, str]] = []
        _collect(p, nodes)
        yield p, nodes


def _collect(el, nodes: list[tuple[Any, str]]) -> None:
    for child in el:
        tag = child.tag
        if tag == W + "t":
            nodes.append((child, child.text or ""))
        elif tag in _SPACES:
            if tag != W + "br" or child.get(W + "type") in (None, "textWrapping"):
                nodes.append((child, " "))
        elif tag in _UNSEEN or tag == W + "p" or not isinstance(tag, str):
            continue  # unseen text, a text box's own paragraph, a comment or processing instruction
        else:
            _collect(child, nodes)


# -- writing ----------------------------------------------------------------------------------


def write(doc: Document, records: list[BitextRecord], target: str) -> bytes:
    """The original .docx with each paragraph's text replaced by its translation into ``target``."""
    from lxml import etree

    data = Path(doc.origin).read_bytes()
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise ValueError(f"{doc.origin} changed since it was read; translate it again")
    by_part: dict[str, dict[int, tuple[dict[str, Any], list[BitextRecord]]]] = {}
    for block, recs in zip(doc.blocks, records_by_block(doc, records), strict=True):
        by_part.setdefault(block.get("part", BODY), {})[block["n"]] = (block, recs)
    out = io.BytesIO()
    try:
        with _open_zip(data) as z, zipfile.ZipFile(out, "w") as w:
            _text_parts(z)  # the same bounds as when it was read
            for info in z.infolist():
                if info.filename in by_part:
                    root = _parse(z, info.filename)
                    paragraphs = by_part[info.filename]
                    for n, (_, nodes) in enumerate(_paragraph_nodes(root)):
                        if n in paragraphs:
                            block, recs = paragraphs[n]
                            _write_paragraph(doc, block, recs, nodes, target)
                    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                    w.writestr(info, xml)
                else:
                    with z.open(info) as src, w.open(info, "w") as dst:
                        shutil.copyfileobj(src, dst, 1024 * 1024)
    except _Damaged as e:
        raise ValueError(str(e)) from None
    return out.getvalue()


def _write_paragraph(
    doc: Document, block: dict[str, Any], recs: list[BitextRecord], nodes: list[tuple[Any, str]], target: str
) -> None:
    src = doc.text[block["start"] : block["end"]]
    raw = "".join(text for _, text in nodes)
    clean, where = clean_with_map(raw)
    if clean != src:
        raise ValueError(f"{doc.origin}: a paragraph no longer reads as it did; translate it again")
    if not recs:
        return
    base = block["start"]
    sentences = [(r.src_start - base, r.src_end - base, r.mt.get(target, "") if r.translate else r.src) for r in recs]
    if all(mt == src[a:b] for a, b, mt in sentences):
        return  # the translation is the text (names, figures, untranslated lines): every node stays as it is
    align = Alignment(src, sentences)
    # Node i covers clean[cuts[i]:cuts[i + 1]]; its translation is out[mapped[i]:mapped[i + 1]].
    starts, pos = [], 0
    for _, text in nodes:
        starts.append(where[pos])
        pos += len(text)
    cuts = [*starts, len(clean)]
    cuts[0] = 0
    mapped = [0]
    for c in cuts[1:-1]:
        mapped.append(max(mapped[-1], align.map(c)[0]))
    mapped.append(len(align.out))
    _keep_links_filled(nodes, cuts, mapped, align.out)
    pieces = [align.out[mapped[i] : mapped[i + 1]] for i in range(len(nodes))]
    # A tab or a break holds no text: what falls on it goes to the text node before it (or after it).
    texts = [i for i, (el, _) in enumerate(nodes) if el.tag == W + "t"]
    for i, (el, _) in enumerate(nodes):
        if el.tag != W + "t" and pieces[i].strip():
            before = [j for j in texts if j < i]
            after = [j for j in texts if j > i]
            if before:
                pieces[before[-1]] += pieces[i]
            elif after:
                pieces[after[0]] = pieces[i] + pieces[after[0]]
            pieces[i] = ""
    for i in texts:
        el = nodes[i][0]
        el.text = pieces[i]
        el.set(_XML_SPACE, "preserve")


def _keep_links_filled(nodes, cuts: list[int], mapped: list[int], out: str) -> None:
    """A hyperlink that had text keeps at least a word: the next one, taken from the nodes after it."""
    link_of = [_hyperlink(el) for el, _ in nodes]
    i = 0
    while i < len(nodes):
        link = link_of[i]
        if link is None:
            i += 1
            continue
        j = i
        while j + 1 < len(nodes) and link_of[j + 1] is link:
            j += 1
        had_text = cuts[j + 1] > cuts[i]
        if had_text and mapped[j + 1] <= mapped[i] and mapped[i] < len(out):
            end = out.find(" ", mapped[i] + 1)
            end = len(out) if end < 0 else end
            for k in range(j + 1, len(mapped)):
                mapped[k] = max(mapped[k], end)
        i = j + 1


def _hyperlink(el):
    for a in el.iterancestors():
        if a.tag == W + "hyperlink":
            return a
        if a.tag == W + "p":
            return None
    return None
