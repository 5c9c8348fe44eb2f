"""Markdown (``.md``, ``.markdown``): the text without markup in, the markup around the translation out.

Reading parses with markdown-it (CommonMark plus GFM tables and
strikethrough). Every heading, paragraph (in lists and block quotes too) and
table cell is one block (``toolkit.io.formats.blocks``); its text is the
inline content without markup: emphasis markers, link targets, images and
inline HTML are left out, a link's text and inline code stay in. Code
blocks, HTML blocks, rules and a YAML front matter are not text to
translate: they are not in ``Document.text`` and come out unchanged. The
front matter's ``key: value`` lines (title, author, date) become
``Document.meta``.

Writing replaces each block's source lines with the block's markup prefix
(``## ``, ``- ``, ``> 1. ``, the indentation of a continuation paragraph)
and the translated inline text; every other line is copied. Inline markup
is placed back on the translation:

* a span over the whole block, or over whole sentences, wraps their
  translations (the sentence boundaries are known exactly);
* a span inside a sentence wraps the same words in the translation when they
  occur there verbatim (names, figures, code, URLs usually do);
* a link that cannot be placed keeps its URL: it wraps its whole sentence's
  translation, or, when that sentence already holds a link, follows it as
  ``<url>``; emphasis and code that cannot be placed are dropped (the text
  stays correct, only the styling of those words is lost).

A multi-line paragraph comes out on one line; a setext heading comes out as
an ATX heading (``# ``) of the same level; hard line breaks inside a
paragraph become spaces.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from toolkit.io.formats.blocks import clean, join_blocks, records_by_block
from toolkit.io.formats.txt import decode_bytes
from toolkit.records import BitextRecord, Document, Skip

_OPEN = {"em_open": "em", "strong_open": "strong", "s_open": "s", "link_open": "link"}
_CLOSE = {"em_close", "strong_close", "s_close", "link_close"}
_CONTAINERS = {"heading_open": "heading", "paragraph_open": "p"}


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def read(data: bytes, rel: str, origin: str = "") -> Document | Skip:
    decoded = decode_bytes(data)
    if isinstance(decoded, str):
        return Skip(rel, decoded)
    source, encoding = decoded
    lines = source.replace("\r\n", "\n").split("\n")
    meta, fm_end = _front_matter(lines)
    parsed = "\n".join([""] * fm_end + lines[fm_end:])  # same line numbers, front matter blanked
    pieces = list(_blocks(_parser().parse(parsed), lines))
    text, blocks = join_blocks(pieces)
    if not blocks:
        return Skip(rel, "no text in this Markdown file (only code, HTML or markup) — nothing to translate")
    return Document(
        path=rel,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        format="md",
        meta=meta,
        blocks=blocks,
        origin=origin,
    )


def original(doc: Document) -> str:
    """The Markdown source ``doc`` was read from (``doc.origin``, checked by its SHA-256)."""
    data = Path(doc.origin).read_bytes()
    decoded = decode_bytes(data)
    if hashlib.sha256(data).hexdigest() != doc.sha256 or isinstance(decoded, str):
        raise ValueError(f"{doc.origin} changed since it was read; translate it again")
    return decoded[0]


def front_matter_end(lines: list[str]) -> int:
    """The first line after a YAML front matter (0: none)."""
    return _front_matter(lines)[1]


def _front_matter(lines: list[str]) -> tuple[dict[str, Any], int]:
    """``(meta, first line after it)`` of a YAML front matter (``---`` ... ``---``), if any."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            meta = {}
            for line in lines[1:end]:
                key, sep, value = line.partition(":")
                if sep and key.strip() and not key.startswith((" ", "\t", "-")):
                    value = value.strip()
                    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                        value = value[1:-1]
                    meta[key.strip()] = value
            return meta, end + 1
    return {}, 0


def _blocks(tokens, lines: list[str]):
    """``(text, info)`` for every heading, paragraph and table cell, in order."""
    row_map: list[int] | None = None
    col = 0
    for i, tok in enumerate(tokens):
        if tok.type == "tr_open":
            row_map, col = tok.map, 0
        elif tok.type in ("th_open", "td_open"):
            inline = tokens[i + 1]
            text, spans, images = _inline_text(inline.children or [])
            assert row_map is not None
            first = lines[row_map[0]]
            info = {"kind": "cell", "line": row_map[0], "col": col, "head": tok.type == "th_open"}
            info.update(prefix=re.match(r"[\s>]*", first).group(0), spans=spans, images=images)
            col += 1
            yield text, info
        elif tok.type in _CONTAINERS and tokens[i + 1].type == "inline" and tok.map:
            inline = tokens[i + 1]
            text, spans, images = _inline_text(inline.children or [])
            info = {"kind": _CONTAINERS[tok.type], "line": tok.map[0], "end_line": tok.map[1]}
            info["prefix"] = _prefix(lines[tok.map[0]], inline.content, tok)
            info.update(spans=spans, images=images)
            yield text, info


def _prefix(first_line: str, content: str, tok) -> str:
    """The markup before the inline text on the block's first line: ``## ``, ``- ``, ``> ``, indentation."""
    head = content.split("\n", 1)[0]
    at = first_line.find(head) if head else -1
    prefix = first_line[:at] if at >= 0 else re.match(r"[\s>]*", first_line).group(0)
    if tok.type == "heading_open" and not tok.markup.startswith("#"):
        prefix += "#" * int(tok.tag[1]) + " "  # a setext heading comes out as ATX
    return prefix


def _inline_text(children) -> tuple[str, list[list[Any]], list[list[Any]]]:
    """Plain text of an inline token, its markup spans ``[kind, start, end, attrs]`` and images ``[pos, markup]``."""
    raw: list[str] = []
    pos = 0
    stack: list[tuple[str, int, dict[str, Any], int]] = []
    spans: list[tuple[int, list[Any]]] = []  # (open order, span)
    images: list[list[Any]] = []
    opened = 0
    for t in children:
        if t.type in ("text", "code_inline"):
            piece = t.content
            if t.type == "code_inline":
                spans.append((opened, ["code", pos, pos + len(piece), {"markup": t.markup}]))
                opened += 1
            raw.append(piece)
            pos += len(piece)
        elif t.type in ("softbreak", "hardbreak"):
            raw.append(" ")
            pos += 1
        elif t.type in _OPEN:
            attrs = {"markup": t.markup}
            if t.type == "link_open":
                attrs.update(href=t.attrs.get("href", ""), title=t.attrs.get("title"), auto=t.markup == "autolink")
            stack.append((_OPEN[t.type], pos, attrs, opened))
            opened += 1
        elif t.type in _CLOSE and stack:
            kind, start, attrs, order = stack.pop()
            spans.append((order, [kind, start, pos, attrs]))
        elif t.type == "image":
            title = t.attrs.get("title")
            markup = f"![{t.content}]({t.attrs.get('src', '')}{f' {_quote(title)}' if title else ''})"
            images.append([pos, markup])
    return _collapse("".join(raw), [s for _, s in sorted(spans)], images)


def _collapse(raw: str, spans: list[list[Any]], images: list[list[Any]]):
    """``clean(raw)`` with the span and image offsets moved to match."""
    new_pos = [0] * (len(raw) + 1)
    out: list[str] = []
    for i, ch in enumerate(raw):
        new_pos[i] = len(out)
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(ch)
    new_pos[len(raw)] = len(out)
    text = "".join(out)
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    assert stripped == clean(raw)

    def move(p: int) -> int:
        return min(max(new_pos[p] - lead, 0), len(stripped))

    for s in spans:
        s[1], s[2] = move(s[1]), move(s[2])
        if s[2] > s[1] and stripped[s[2] - 1] == " ":
            s[2] -= 1
    for im in images:
        im[0] = move(im[0])
    return stripped, [s for s in spans if s[2] > s[1]], images


def _quote(title: str) -> str:
    return '"' + title.replace('"', '\\"') + '"'


# -- writing ----------------------------------------------------------------------------------

_ESCAPE = re.compile(r"([\\`*_\[\]<>~|])")
_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|[-+*](?=\s)|\d{1,9}(?=[.)](?:\s|$))|=+\s*$)")


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def write(doc: Document, records: list[BitextRecord], target: str, source: str | None = None) -> str:
    """The Markdown file ``source`` (default: ``original(doc)``) with its text translated into ``target``."""
    source = original(doc) if source is None else source
    newline = "\r\n" if "\r\n" in source else "\n"
    lines = source.replace("\r\n", "\n").split("\n")
    replace: dict[int, tuple[int, str]] = {}  # first line -> (end line, new text)
    rows: dict[int, dict[int, str]] = {}  # table row line -> col -> cell text
    prefixes: dict[int, str] = {}
    for block, recs in zip(doc.blocks, records_by_block(doc, records), strict=True):
        src = doc.text[block["start"] : block["end"]]
        body = render_inline(src, block, _sentences(block, recs, target, src))
        if block["kind"] == "cell":
            rows.setdefault(block["line"], {})[block["col"]] = body
            prefixes[block["line"]] = block["prefix"]
        else:
            body = _escape_start(body)
            replace[block["line"]] = (block["end_line"], block["prefix"] + body)
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in replace:
            end, text = replace[i]
            out.append(text)
            i = max(end, i + 1)
            continue
        if i in rows:
            cells = _row_cells(lines[i], rows[i])
            out.append(prefixes[i] + "| " + " | ".join(cells) + " |")
        else:
            out.append(lines[i])
        i += 1
    return newline.join(out)


def _escape_start(body: str) -> str:
    m = _LINE_START.match(body)
    if not m:
        return body
    tok = m.group(0)
    return (tok + "\\" + body[len(tok) :]) if tok[0].isdigit() else "\\" + body


def _row_cells(line: str, translated: dict[int, str]) -> list[str]:
    """A table row's cells: translated ones replaced, empty ones kept empty."""
    inner = line.strip().lstrip(">").strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    count = max(len(re.split(r"(?<!\\)\|", inner)), max(translated, default=0) + 1)
    return [translated.get(c, "") for c in range(count)]


def _sentences(block: dict[str, Any], recs: list[BitextRecord], target: str, src: str) -> list[tuple[int, int, str]]:
    """``(start, end, translation)`` of each sentence, offsets relative to the block's text."""
    if not recs:
        return [(0, len(src), src)]
    base = block["start"]
    return [(r.src_start - base, r.src_end - base, r.mt.get(target, "") if r.translate else r.src) for r in recs]


def render_inline(src: str, block: dict[str, Any], sentences: list[tuple[int, int, str]]) -> str:
    """The translated inline text of a block with its markup spans placed back (see the module doc)."""
    out_parts, out_ranges, pos = [], [], 0
    for _, _, mt in sentences:
        if out_parts:
            pos += 1
        out_ranges.append((pos, pos + len(mt)))
        out_parts.append(mt)
        pos += len(mt)
    out = " ".join(out_parts)
    placed: list[tuple[int, int, int, list[Any]]] = []  # (start, end, order, span)
    appended: dict[int, list[str]] = {}  # out position -> autolinks to add there
    for order, span in enumerate(block.get("spans", [])):
        where = _place(src, out, span, sentences, out_ranges, placed)
        if span[0] == "link":
            if where is None or _clashes(where, placed, links_only=True):
                where = _sentence_range(span, sentences, out_ranges)
            if where is None or _clashes(where, placed, links_only=True) or _clashes(where, placed):
                end = out_ranges[_sentence_of(span[1], sentences)][1]
                appended.setdefault(end, []).append(f" <{span[3]['href']}>")
                continue
        if where is not None and not _clashes(where, placed):
            placed.append((where[0], where[1], order, span))
    text = _render(out, placed, appended)
    for at, markup in block.get("images", []):
        text = f"{markup} {text}" if at == 0 else f"{text} {markup}"
    return text


def _place(src, out, span, sentences, out_ranges, placed) -> tuple[int, int] | None:
    kind, a, b, _ = span
    first = next((i for i, s in enumerate(sentences) if s[0] == a), None)
    last = next((i for i, s in enumerate(sentences) if s[1] == b), None)
    if a <= sentences[0][0] and b >= sentences[-1][1]:
        return 0, len(out)
    if first is not None and last is not None and first <= last:
        return out_ranges[first][0], out_ranges[last][1]
    words = src[a:b]
    if not words.strip():
        return None
    i, j = _sentence_of(a, sentences), _sentence_of(max(a, b - 1), sentences)
    lo, hi = out_ranges[i][0], out_ranges[j][1]
    taken = {(p[0], p[1]) for p in placed if p[3][0] == kind}
    at = out.find(words, lo, hi)
    while at >= 0 and (at, at + len(words)) in taken:  # the same words marked twice: the next occurrence
        at = out.find(words, at + 1, hi)
    return (at, at + len(words)) if at >= 0 else None


def _sentence_of(offset: int, sentences) -> int:
    for i, (_start, end, _) in enumerate(sentences):
        if offset < end:
            return i
    return len(sentences) - 1


def _sentence_range(span, sentences, out_ranges) -> tuple[int, int] | None:
    i, j = _sentence_of(span[1], sentences), _sentence_of(max(span[1], span[2] - 1), sentences)
    return (out_ranges[i][0], out_ranges[j][1]) if i == j else None


def _clashes(where: tuple[int, int], placed, *, links_only: bool = False) -> bool:
    """Whether ``where`` crosses a placed span or (``links_only``) nests with a placed link."""
    if links_only:
        return any(p[3][0] == "link" and not _disjoint(where, (p[0], p[1])) for p in placed)
    return any(_crosses(where, (p[0], p[1])) for p in placed)


def _disjoint(x: tuple[int, int], y: tuple[int, int]) -> bool:
    return x[1] <= y[0] or y[1] <= x[0]


def _crosses(x: tuple[int, int], y: tuple[int, int]) -> bool:
    return x[0] < y[0] < x[1] < y[1] or y[0] < x[0] < y[1] < x[1]


def _render(out: str, placed, appended: dict[int, list[str]]) -> str:
    """``out`` escaped, with the placed spans' markup and the appended autolinks inserted."""
    opens: dict[int, list] = {}
    closes: dict[int, list] = {}
    for start, end, order, span in placed:
        opens.setdefault(start, []).append((-(end - start), order, span))
        closes.setdefault(end, []).append((end - start, -order, span))
    code_depth = 0
    parts: list[str] = []
    cuts = sorted({0, len(out), *opens, *closes, *appended})
    for k, at in enumerate(cuts):
        for _, _, span in sorted(closes.get(at, []), key=lambda c: (c[0], c[1])):
            parts.append(_close(span))
            code_depth -= _verbatim(span)
        parts.extend(appended.get(at, []))
        for _, _, span in sorted(opens.get(at, []), key=lambda c: (c[0], c[1])):
            parts.append(_open(span))
            code_depth += _verbatim(span)
        if k + 1 < len(cuts):
            piece = out[at : cuts[k + 1]]
            parts.append(piece if code_depth else _escape(piece))
    return "".join(parts)


def _verbatim(span) -> bool:
    """Inside code and autolinks the text is written as it is, not escaped."""
    return span[0] == "code" or bool(span[0] == "link" and span[3].get("auto"))


def _open(span) -> str:
    kind, _, _, attrs = span
    if kind == "link":
        return "<" if attrs.get("auto") else "["
    return attrs["markup"]


def _close(span) -> str:
    kind, _, _, attrs = span
    if kind == "link":
        if attrs.get("auto"):
            return ">"
        title = attrs.get("title")
        return f"]({attrs['href']}{f' {_quote(title)}' if title else ''})"
    return attrs["markup"]
