"""Markdown (``.md``, ``.markdown``): the text without markup in, the markup around the translation out.

Reading parses with markdown-it (CommonMark plus GFM tables and
strikethrough). Every heading, paragraph (in lists and block quotes too) and
table cell is one block (``toolkit.io.formats.blocks``); its text is the
inline content without emphasis markers and link targets. Inline code,
inline HTML, images, autolinks and MDX comments (``{/*heading-id*/}``) are
*kept*: their markup stands in the text where it was, as a stretch that the
segmenter makes a sentence of its own, not for translation, and the writer
puts it back byte for byte, so none of it reaches the model. Code blocks,
HTML blocks, rules and a YAML front matter are not text at all: they are not
in ``Document.text`` and come out unchanged. The front matter's ``key:
value`` lines (title, author, date) become ``Document.meta``. CRLF, CR and
LF all end a line, as for the parser.

Writing replaces each block's source lines with the block's markup prefix
(``## ``, ``- ``, ``> 1. ``, the indentation of a continuation paragraph)
and the translated inline text; every other line is copied. Inline markup
is placed back by ``blocks.Alignment`` (``render_inline``):

* a span over whole sentences wraps their translations (the sentence
  boundaries are known exactly), a kept stretch is its own sentence;
* a span inside a sentence wraps the same words where the alignment of the
  sentence with its translation keeps them verbatim (names, figures; all of
  it in an identical translation), never the first place the words happen
  to occur;
* a link that cannot be placed wraps its sentence's translation when that
  holds no other link, else its URL follows the sentence as ``<url>``;
  emphasis that cannot be placed is left out. Each is logged with the
  file and line (``toolkit.formats``), never moved without a word.

A multi-line paragraph comes out on one line; a setext heading comes out as
an ATX heading (``# ``) of the same level; hard line breaks inside a
paragraph become spaces.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from pathlib import Path
from typing import Any

from toolkit.io.formats.blocks import Alignment, clean_with_map, join_blocks, records_by_block
from toolkit.io.formats.txt import decode_bytes
from toolkit.records import BitextRecord, Document, Skip

log = logging.getLogger("toolkit.formats")

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
    lines = split_lines(source)
    meta, fm_end = _front_matter(lines)
    parsed = "\n".join([""] * fm_end + lines[fm_end:])  # same line numbers, front matter blanked
    # MDX comments ({/*id*/}) would parse as emphasis: each is a private-use token while parsing.
    comments: list[str] = []
    parsed = _MDX_COMMENT.sub(lambda m: _hide(m.group(0), comments), parsed)
    pieces = list(_blocks(_parser().parse(parsed), parsed.split("\n"), comments))
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


def split_lines(source: str) -> list[str]:
    """The lines of a Markdown source, as markdown-it counts them: CRLF, CR and LF each end one."""
    return re.split(r"\r\n|\r|\n", source)


def _newline(source: str) -> str:
    """The line end a file mostly uses (a stray CR in an LF file is a line end to the parser, not a style)."""
    counts = {"\r\n": source.count("\r\n"), "\n": source.count("\n") - source.count("\r\n")}
    counts["\r"] = source.count("\r") - counts["\r\n"]
    return max(counts, key=lambda k: (counts[k], k == "\n"))


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


def _blocks(tokens, lines: list[str], comments: list[str]):
    """``(text, info)`` for every heading, paragraph and table cell, in order."""
    row_map: list[int] | None = None
    col = 0
    for i, tok in enumerate(tokens):
        if tok.type == "tr_open":
            row_map, col = tok.map, 0
        elif tok.type in ("th_open", "td_open"):
            inline = tokens[i + 1]
            text, spans, kept = _inline_text(inline.children or [], comments)
            assert row_map is not None
            first = lines[row_map[0]]
            info = {"kind": "cell", "line": row_map[0], "col": col, "head": tok.type == "th_open"}
            info.update(prefix=re.match(r"[\s>]*", first).group(0), spans=spans, keep=kept)
            col += 1
            yield text, info
        elif tok.type in _CONTAINERS and tokens[i + 1].type == "inline" and tok.map:
            inline = tokens[i + 1]
            text, spans, kept = _inline_text(inline.children or [], comments)
            info = {"kind": _CONTAINERS[tok.type], "line": tok.map[0], "end_line": tok.map[1]}
            info["prefix"] = _prefix(lines[tok.map[0]], inline.content, tok)
            info.update(spans=spans, keep=kept)
            yield text, info


def _prefix(first_line: str, content: str, tok) -> str:
    """The markup before the inline text on the block's first line: ``## ``, ``- ``, ``> ``, indentation."""
    head = content.split("\n", 1)[0]
    at = first_line.find(head) if head else -1
    prefix = first_line[:at] if at >= 0 else re.match(r"[\s>]*", first_line).group(0)
    if tok.type == "heading_open" and not tok.markup.startswith("#"):
        prefix += "#" * int(tok.tag[1]) + " "  # a setext heading comes out as ATX
    return prefix


# MDX heading ids and comments (``{/*id*/}``): markup, not text.
_MDX_COMMENT = re.compile(r"\{/\*.*?\*/\}")
_HIDDEN = re.compile("\ue000([\ue010-\ue019]+)\ue001")


def _hide(comment: str, comments: list[str]) -> str:
    comments.append(comment)
    return "\ue000" + "".join(chr(0xE010 + int(d)) for d in str(len(comments) - 1)) + "\ue001"


def _shown(match: re.Match, comments: list[str]) -> str:
    return comments[int("".join(str(ord(ch) - 0xE010) for ch in match.group(1)))]


def _inline_text(children, comments: list[str]) -> tuple[str, list[list[Any]], list[list[int]]]:
    """Plain text of an inline token, its markup spans ``[kind, start, end, attrs]`` and its kept stretches.

    Inline code, inline HTML, images, autolinks and MDX comments are *kept*:
    their source markup is in the text (so that they keep their place) as a
    stretch the segmenter makes a sentence of its own, not for translation;
    the writer puts the markup back byte for byte (a ``keep`` span's ``raw``).
    Emphasis and links are spans over the text; a link's target and title
    are in its span, not in the text.
    """
    raw: list[str] = []
    pos = 0
    stack: list[tuple[str, int, dict[str, Any], int]] = []
    spans: list[tuple[int, list[Any]]] = []  # (open order, span)
    opened = 0
    autolink = False

    def keep(markup: str) -> None:
        nonlocal pos, opened
        spans.append((opened, ["keep", pos, pos + len(markup), {"raw": markup}]))
        opened += 1
        raw.append(markup)
        pos += len(markup)

    for t in children:
        if t.type == "text" and autolink:
            keep(f"<{t.content}>")
        elif t.type == "text":
            last = 0
            for m in _HIDDEN.finditer(t.content):
                raw.append(t.content[last : m.start()])
                pos += m.start() - last
                keep(_shown(m, comments))
                last = m.end()
            raw.append(t.content[last:])
            pos += len(t.content) - last
        elif t.type == "code_inline":
            keep(_code_markup(t.content, t.markup))
        elif t.type == "html_inline":
            keep(t.content)
        elif t.type == "image":
            title = t.attrs.get("title")
            keep(
                f"![{_escape(t.content)}]({_destination(t.attrs.get('src', ''))}{f' {_quote(title)}' if title else ''})"
            )
        elif t.type in ("softbreak", "hardbreak"):
            raw.append(" ")
            pos += 1
        elif t.type == "link_open" and t.markup == "autolink":
            autolink = True
        elif t.type == "link_close" and autolink:
            autolink = False
        elif t.type in _OPEN:
            attrs = {"markup": t.markup}
            if t.type == "link_open":
                attrs.update(href=t.attrs.get("href", ""), title=t.attrs.get("title"))
            stack.append((_OPEN[t.type], pos, attrs, opened))
            opened += 1
        elif t.type in _CLOSE and stack:
            kind, start, attrs, order = stack.pop()
            spans.append((order, [kind, start, pos, attrs]))
    return _collapse("".join(raw), [s for _, s in sorted(spans, key=lambda x: x[0])])


def _code_markup(content: str, ticks: str) -> str:
    """Inline code as written: the backticks around the content, padded where CommonMark strips a space."""
    pad = (
        content.startswith("`")
        or content.endswith("`")
        or (content.startswith(" ") and content.endswith(" ") and content.strip() != "")
    )
    return f"{ticks}{' ' if pad else ''}{content}{' ' if pad else ''}{ticks}"


def _destination(url: str) -> str:
    """A link's destination as written: in ``<>`` where it is empty or holds spaces or parentheses."""
    return f"<{url}>" if (not url or any(ch in url for ch in " ()<>")) else url


def _collapse(raw: str, spans: list[list[Any]]):
    """``clean(raw)`` with the spans' offsets moved to match; kept stretches' places as ``keep``."""
    stripped, where = clean_with_map(raw)
    for s in spans:
        s[1], s[2] = where[s[1]], where[s[2]]
        if s[0] != "keep" and s[2] > s[1] and stripped[s[2] - 1] == " ":
            s[2] -= 1
    spans = [s for s in spans if s[2] > s[1]]
    return stripped, spans, [[s[1], s[2]] for s in spans if s[0] == "keep"]


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
    newline = _newline(source)
    lines = split_lines(source)
    replace: dict[int, tuple[int, str]] = {}  # first line -> (end line, new text)
    rows: dict[int, dict[int, str]] = {}  # table row line -> col -> cell text
    prefixes: dict[int, str] = {}
    for block, recs in zip(doc.blocks, records_by_block(doc, records), strict=True):
        src = doc.text[block["start"] : block["end"]]
        where = f"{doc.path}:{block['line'] + 1}"
        body = render_inline(src, block, _sentences(block, recs, target, src), where)
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


def render_inline(
    src: str, block: dict[str, Any], sentences: list[tuple[int, int, str]], where: str = "", notes: list | None = None
) -> str:
    """The translated inline text of a block with its markup placed back (see the module doc).

    A span is placed where ``blocks.Alignment`` finds its words verbatim in
    the translation, or over the translations of the whole sentences it
    covers; kept stretches are their own sentences and always placed. A link
    that cannot be placed wraps its sentence's translation when that holds
    no other link, else its URL follows the sentence as ``<url>``; emphasis
    that cannot be placed is left out. Each of these is reported (logged
    with ``where``, and appended to ``notes``), never moved without a word.
    """
    align = Alignment(src, sentences)
    out = align.out
    placed: list[tuple[int, int, int, list[Any]]] = []  # (start, end, order, span)
    fallback: list[tuple[int, int]] = []  # places not found by the alignment: they may cross others
    appended: dict[int, list[str]] = {}
    for order, span in enumerate(block.get("spans", [])):
        kind, a, b, attrs = span
        at = _whole_sentences(a, b, align) or align.exact_span(a, b)
        if at is None and kind == "link":
            i = align.sentence_of(a)
            at = align.ranges[i] if align.sentence_of(max(a, b - 1)) == i else None
            if at is not None and (
                _crosses_any(at, placed) or any(p[3][0] == "link" and _overlap(at, p) for p in placed)
            ):
                at = None
            _report(
                where,
                notes,
                f"the link {src[a:b]!r} ({attrs['href']}) could not be placed on the same words: "
                + ("it wraps its sentence" if at is not None else "its URL follows the sentence"),
            )
            if at is None:
                appended.setdefault(align.ranges[i][1], []).append(f" <{attrs['href']}>")
                continue
            fallback.append(at)
        elif at is None:
            _report(where, notes, f"the {_NAMES.get(kind, kind)} on {src[a:b]!r} could not be placed and was left out")
            continue
        placed.append((at[0], at[1], order, span))
    return _render(out, placed, appended)


_NAMES = {"em": "emphasis", "strong": "bold", "s": "strikethrough", "keep": "markup"}


def _report(where: str, notes: list | None, message: str) -> None:
    log.warning("%s: %s", where or "Markdown", message)
    if notes is not None:
        notes.append(message)


def _whole_sentences(a: int, b: int, align: Alignment) -> tuple[int, int] | None:
    """The translations of the whole sentences ``[a, b)`` covers exactly, if it does."""
    starts, ends, ranges = align.starts, align.ends, align.ranges
    if a <= starts[0] and b >= ends[-1]:
        return 0, ranges[-1][1]
    first = bisect.bisect_left(starts, a)
    last = bisect.bisect_left(ends, b)
    if first == len(starts) or starts[first] != a or last == len(ends) or ends[last] != b or last < first:
        return None
    return ranges[first][0], ranges[last][1]


def _overlap(x: tuple[int, int], p) -> bool:
    return not (x[1] <= p[0] or p[1] <= x[0])


def _crosses_any(x: tuple[int, int], placed) -> bool:
    return any(x[0] < p[0] < x[1] < p[1] or p[0] < x[0] < p[1] < x[1] for p in placed)


def _render(out: str, placed, appended: dict[int, list[str]]) -> str:
    """``out`` escaped, with the placed spans' markup, kept stretches and appended autolinks inserted."""
    opens: dict[int, list] = {}
    closes: dict[int, list] = {}
    for start, end, order, span in placed:
        opens.setdefault(start, []).append((-(end - start), order, span))
        closes.setdefault(end, []).append((end - start, -order, span))
    kept = 0  # inside a kept stretch: its markup was written, its text is not
    parts: list[str] = []
    cuts = sorted({0, len(out), *opens, *closes, *appended})
    for k, at in enumerate(cuts):
        for _, _, span in sorted(closes.get(at, []), key=lambda c: (c[0], c[1])):
            if span[0] == "keep":
                kept -= 1
            elif not kept:
                parts.append(_close(span))
        parts.extend(appended.get(at, []))
        for _, _, span in sorted(opens.get(at, []), key=lambda c: (c[0], c[1])):
            if span[0] == "keep":
                if not kept:
                    parts.append(span[3]["raw"])
                kept += 1
            elif not kept:
                parts.append(_open(span))
        if k + 1 < len(cuts) and not kept:
            parts.append(_escape(out[at : cuts[k + 1]]))
    return "".join(parts)


def _open(span) -> str:
    kind, _, _, attrs = span
    return "[" if kind == "link" else attrs["markup"]


def _close(span) -> str:
    kind, _, _, attrs = span
    if kind == "link":
        title = attrs.get("title")
        return f"]({_destination(attrs['href'])}{f' {_quote(title)}' if title else ''})"
    return attrs["markup"]
