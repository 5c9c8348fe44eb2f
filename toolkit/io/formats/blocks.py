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

import bisect
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


def clean_with_map(raw: str) -> tuple[str, list[int]]:
    """``(clean(raw), where)``: ``where[i]`` is the place in the clean text of ``raw[i]`` (``where[len(raw)]``
    its end), so that markup or a node over ``raw[a:b]`` lies over ``clean[where[a]:where[b]]``."""
    where = [0] * (len(raw) + 1)
    out: list[str] = []
    for i, ch in enumerate(raw):
        where[i] = len(out)
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(ch)
    where[len(raw)] = len(out)
    text = "".join(out)
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    return stripped, [min(max(p - lead, 0), len(stripped)) for p in where]


# Anchors shorter than this are chance matches between two languages ("e", "de"), not kept words.
MIN_ANCHOR = 3


class Alignment:
    """Where each place of a block's source text lies in its translation.

    ``sentences`` are ``(start, end, translation)`` with offsets relative to
    the block's text ``src``; the translation of the block is ``out``, the
    sentences' translations joined by one space where the source has one. Within a sentence, stretches
    the translation keeps verbatim (names, figures, code; all of it for an
    identical "translation") are anchors found by ``difflib``; a place inside
    an anchor maps exactly, any other place proportionally between the
    anchors around it, moved to a word boundary of the translation.
    """

    def __init__(self, src: str, sentences: list[tuple[int, int, str]]) -> None:
        self.src = src
        self.sentences = sentences
        parts: list[str] = []
        self.ranges: list[tuple[int, int]] = []
        pos, prev_end = 0, None
        for start, end, mt in sentences:
            if prev_end is not None and (start > prev_end or not mt or not parts[-1]):
                # Sentences the source separates by a space get one; kept markup glued to the
                # next word ("`if`,") stays glued.
                parts.append(" ")
                pos += 1
            self.ranges.append((pos, pos + len(mt)))
            parts.append(mt)
            pos += len(mt)
            prev_end = end
        self.out = "".join(parts)
        self.starts = [start for start, _, _ in sentences]
        self.ends = [end for _, end, _ in sentences]
        self._anchors: dict[int, list[tuple[int, int, int]]] = {}

    def sentence_of(self, p: int) -> int:
        """The sentence that holds source place ``p`` (the last one past the end)."""
        return min(bisect.bisect_right(self.ends, p), len(self.sentences) - 1)

    def anchors(self, i: int) -> list[tuple[int, int, int]]:
        if i not in self._anchors:
            import difflib

            start, end, mt = self.sentences[i]
            src = self.src[start:end]
            if src == mt:
                blocks = [(0, 0, len(src))]
            else:
                matcher = difflib.SequenceMatcher(None, src, mt, autojunk=False)
                blocks = [(a, b, n) for a, b, n in matcher.get_matching_blocks() if n >= MIN_ANCHOR]
            self._anchors[i] = blocks
        return self._anchors[i]

    def map(self, p: int) -> tuple[int, bool]:
        """``(place in out, exact)`` of source place ``p``; ``exact`` when an anchor holds it."""
        i = bisect.bisect_left(self.ends, p)  # the first sentence that ends at or after p
        if i == len(self.sentences):
            return len(self.out), True
        start, end, mt = self.sentences[i]
        if p <= start:  # before the sentence, or in the spaces between two: where its translation starts
            return self.ranges[i][0], True
        return self._within(i, p - start, len(mt), end - start)

    def _within(self, i: int, local: int, mt_len: int, src_len: int) -> tuple[int, bool]:
        base = self.ranges[i][0]
        if local <= 0:
            return base, True
        if local >= src_len:
            return base + mt_len, True
        prev = (0, 0)
        for a, b, n in self.anchors(i):
            if a <= local <= a + n:
                return base + b + (local - a), True
            if a > local:
                nxt = (a, b)
                break
            prev = (a + n, b + n)
        else:
            nxt = (src_len, mt_len)
        (sa, ta), (sb, tb) = prev, nxt
        guess = ta + round((local - sa) * (tb - ta) / max(sb - sa, 1))
        mt = self.out[base : base + mt_len]
        return base + _word_boundary(mt, guess, ta, tb), False

    def exact_span(self, a: int, b: int) -> tuple[int, int] | None:
        """Where ``src[a:b]`` lies in ``out`` when the alignment holds both its ends (kept words:
        all of it for a verbatim stretch, the words at each end for one whose middle changed
        or that runs over a sentence boundary), else None."""
        (x, ex), (y, ey) = self.map(a), self.map(b)
        if ex and ey and x < y and self._held(a, b):
            return x, y
        return None

    def _held(self, a: int, b: int) -> bool:
        """Whether the first and the last character of ``src[a:b]`` lie in anchors (not just its edges)."""
        return self.map_char(a) and self.map_char(b - 1)

    def map_char(self, p: int) -> bool:
        """Whether source character ``p`` lies inside an anchor of its sentence."""
        i = self.sentence_of(p)
        start, end, _ = self.sentences[i]
        if not start <= p < end:
            return True  # a space between sentences: the join holds it
        local = p - start
        return any(a <= local < a + n for a, _, n in self.anchors(i))


def _word_boundary(text: str, guess: int, lo: int, hi: int) -> int:
    """The start of a word of ``text`` nearest ``guess`` within ``[lo, hi]`` (``guess`` if there is none)."""
    best = None
    for p in range(lo, hi + 1):
        starts_word = p == 0 or p == len(text) or (text[p - 1].isspace() and not text[p].isspace())
        if starts_word and (best is None or abs(p - guess) < abs(best - guess)):
            best = p
    return guess if best is None else best
