"""Paragraph blocks: how a structured document becomes the text the offsets index, and back.

A reader of a structured format (HTML, Markdown, Word) turns each paragraph,
heading, list item or table cell into one *block*: its text with all runs of
whitespace (line breaks included) collapsed to one space, so that a block is
exactly one line, and the segmenter's paragraph (a non-blank line) is
exactly one block. ``Document.text`` is the blocks joined by ``"\\n"``, and
``Document.blocks[i]`` holds ``start``/``end`` (the block's place in that
text), ``kind`` and whatever the format's writer needs.

A writer maps the run's records back to blocks by offset (a record lies in
the block whose ``[start, end)`` holds its ``src_start``), not by the
paragraph number, so that it does not depend on how the segmenter counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from toolkit.records import BitextRecord, Document

_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """``text`` on one line: every run of whitespace (line breaks too) as one space, stripped."""
    return _SPACE.sub(" ", text).strip()


def join_blocks(pieces: Iterable[tuple[str, dict[str, Any]]]) -> tuple[str, list[dict[str, Any]]]:
    """``(text, info)`` pairs -> ``(document text, blocks)``; blank texts are dropped.

    ``info`` is copied into the block, with ``start``, ``end`` and ``text`` added.
    """
    parts: list[str] = []
    blocks: list[dict[str, Any]] = []
    pos = 0
    for raw, info in pieces:
        text = clean(raw)
        if not text or not any(ch.isprintable() and not ch.isspace() for ch in text):
            continue
        if parts:
            parts.append("\n")
            pos += 1
        blocks.append({**info, "start": pos, "end": pos + len(text)})
        parts.append(text)
        pos += len(text)
    return "".join(parts), blocks


def records_by_block(doc: Document, records: list[BitextRecord]) -> list[list[BitextRecord]]:
    """The records of each of ``doc.blocks``, in order (by offset)."""
    out: list[list[BitextRecord]] = [[] for _ in doc.blocks]
    starts = [b["start"] for b in doc.blocks]
    i = 0
    for r in sorted(records, key=lambda r: r.src_start):
        while i + 1 < len(starts) and starts[i + 1] <= r.src_start:
            i += 1
        if doc.blocks and doc.blocks[i]["start"] <= r.src_start < doc.blocks[i]["end"]:
            out[i].append(r)
    return out


def translated(records: list[BitextRecord], target: str) -> str:
    """A paragraph's translation: its body sentences' translations joined by a space.

    Lines that were not for translation (URLs, source lines, credits) stay as
    they are, as in ``translations/<target>/<doc>.txt``.
    """
    return " ".join((r.mt.get(target, "") if r.translate else r.src) for r in records).strip()


def block_translations(doc: Document, records: list[BitextRecord], target: str) -> list[str]:
    """The translation of every block of ``doc``; a block without records keeps its text."""
    out = []
    for block, recs in zip(doc.blocks, records_by_block(doc, records), strict=True):
        out.append(translated(recs, target) if recs else doc.text[block["start"] : block["end"]])
    return out


def text_translation(text: str, records: list[BitextRecord], target: str) -> str:
    """A plain text's translation with the source's line breaks (for table rows).

    Sentences of a line are joined by a space; the line breaks between two
    lines are the source's (as ``translations/<target>/<doc>.txt``).
    """
    parts: list[str] = []
    prev: BitextRecord | None = None
    for r in sorted(records, key=lambda r: r.src_start):
        if prev is not None:
            gap = text[prev.src_end : r.src_start]
            breaks = len(re.findall(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]", gap))
            parts.append("\n" * breaks if breaks else " ")
        parts.append(r.mt.get(target, "") if r.translate else r.src)
        prev = r
    return "".join(parts)


def safe_join(root: Path, rel: str) -> Path:
    """``root/rel``, refusing a name (from the input folder) that would leave ``root``."""
    out = (root / rel).resolve()
    if root.resolve() not in out.parents:
        raise ValueError(f"refusing to write {out}: derived from input name {rel!r}, outside {root}")
    return out
