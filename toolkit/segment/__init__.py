"""Splitting documents into paragraphs and sentences, with offsets.

``segment_document(doc, lang)`` (and ``iter_sentences``, its lazy form, which
the pipeline calls): every non-blank line is a paragraph; a body line is
split into sentences by the language's segmenter; a non-body line (see
``boilerplate``) is one ``Sentence`` with ``is_body=False`` and a reason. ``doc.text[s.start:s.end] == s.text``
always holds, and every visible character of the document lies in exactly
one sentence.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

from toolkit.languages import to_nllb
from toolkit.records import Document, Sentence
from toolkit.segment.base import HARD_MAX_CHARS, Segmenter, cap_lengths, strip_span
from toolkit.segment.boilerplate import classify_lines, sentence_reason

__all__ = ["Segmenter", "get_segmenter", "iter_sentences", "segment_document", "split_lines", "HARD_MAX_CHARS"]

log = logging.getLogger("toolkit.segment")

# The line breaks str.splitlines() knows, CRLF first so that it is one break.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def get_segmenter(lang: str) -> Segmenter:
    """The segmenter for ``lang`` (NLLB or ISO code): crfcut for Thai, syntok+guards otherwise."""
    return _segmenter_for(lang if "_" in lang else to_nllb(lang))


@functools.cache
def _segmenter_for(code: str) -> Segmenter:
    if code.endswith("_Thai"):
        from toolkit.segment.thai import ThaiSegmenter

        return ThaiSegmenter(code)
    if code.endswith("_Latn"):
        from toolkit.segment.latin import LatinSegmenter

        return LatinSegmenter(code)
    raise ValueError(f"no sentence segmenter for {code!r}: Latin-script languages and Thai are supported")


def split_lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of ``text``, line breaks excluded (CRLF is one break)."""
    return list(_iter_lines(text))


def _iter_lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for match in _LINE_BREAK.finditer(text):
        yield pos, match.start()
        pos = match.end()
    yield pos, len(text)


class _LineTexts(Sequence[str]):
    """The texts of a document's stripped, non-blank lines, sliced when asked
    for: ``classify_lines`` needs every line (its footer rule weighs the whole
    document), and a list of them would double a large document in memory."""

    def __init__(self, text: str, starts: array, ends: array) -> None:
        self.text, self.starts, self.ends = text, starts, ends

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self.text[self.starts[i] : self.ends[i]]


def segment_document(doc: Document, lang: str | None = None) -> list[Sentence]:
    """Split ``doc`` into ``Sentence`` records (body and non-body), in document order.

    ``lang`` (NLLB code) picks the segmenter; it defaults to ``doc.lang``.
    """
    return list(iter_sentences(doc, lang))


def iter_sentences(doc: Document, lang: str | None = None) -> Iterator[Sentence]:
    """``segment_document`` one paragraph at a time, for a document too large
    to hold as ``Sentence`` records: what is kept for the whole document is the
    place of each line (three integers) and its reason."""
    lang = lang or doc.lang
    if not lang:
        raise ValueError(f"{doc.path}: no language given and none detected — pass lang or set doc.lang")
    segmenter = get_segmenter(lang)
    text = doc.text

    numbers, starts, ends = array("q"), array("q"), array("q")  # of stripped, non-blank lines; numbers from 1
    for number, (start, end) in enumerate(_iter_lines(text), 1):
        s, e = strip_span(text, start, end)
        if s < e:
            numbers.append(number)
            starts.append(s)
            ends.append(e)
    reasons = classify_lines(_LineTexts(text, starts, ends))  # type: ignore[arg-type]  # a lazy Sequence
    # What a structured reader said about its blocks: markup kept out of the model's way (inline code,
    # HTML, heading ids; offsets in the block) and a reason found in the page's structure (a line of
    # links). Found by the block that holds a line's first visible character, so that an invisible
    # character the line strips at its start does not lose them.
    said = [b for b in doc.blocks if b.get("keep") or b.get("reason")]
    said_starts = [b["start"] for b in said]
    for para, (number, start, end, reason) in enumerate(zip(numbers, starts, ends, reasons, strict=True)):
        block = _block_at(said, said_starts, start)
        reason = reason or (block.get("reason") if block else None)
        if reason is not None:
            yield Sentence(doc.path, para, 0, start, end, text[start:end], is_body=False, reason=reason)
            continue
        line = text[start:end]
        spans = segmenter.spans(line, max_chars=None)
        if any(e - s > HARD_MAX_CHARS for s, e in spans):
            log.warning(
                "%s line %d: a sentence of more than %d characters (no sentence punctuation?) was cut at "
                "whitespace — check the file",
                doc.path,
                number,
                HARD_MAX_CHARS,
            )
            spans = cap_lengths(line, spans)
        if block and block.get("keep"):
            shift = start - block["start"]
            pieces = around_kept(line, spans, [(a - shift, b - shift) for a, b in block["keep"]])
        else:
            pieces = [(s, e, None) for s, e in spans]
        for idx, (s, e, why) in enumerate(pieces):
            piece = line[s:e]
            why = why or sentence_reason(piece)
            yield Sentence(doc.path, para, idx, start + s, start + e, piece, is_body=why is None, reason=why)


def _block_at(blocks: list[dict], starts: list[int], pos: int) -> dict | None:
    i = bisect.bisect_right(starts, pos) - 1
    return blocks[i] if i >= 0 and pos < blocks[i]["end"] else None


def around_kept(
    line: str, spans: list[tuple[int, int]], kept: list[tuple[int, int]]
) -> list[tuple[int, int, str | None]]:
    """``(start, end, reason)`` of a line's sentences cut around its kept stretches, which become
    sentences of their own with the reason "markup" (they never reach the model). A piece between two
    kept stretches with no letter or digit ("", ", ") is markup too: nothing to translate."""
    out: list[tuple[int, int, str | None]] = []
    cuts = sorted((max(a, 0), min(b, len(line))) for a, b in kept if b > a)
    for s, e in spans:
        pos = s
        for a, b in cuts:
            if b <= pos or a >= e:
                continue
            out.extend(_free(line, pos, min(a, e)))
            pos = max(pos, b)
        out.extend(_free(line, pos, e))
    for a, b in cuts:
        s, e = strip_span(line, a, b)
        if s < e:
            out.append((s, e, "markup"))
    return sorted(set(out))


def _free(line: str, a: int, b: int) -> list[tuple[int, int, str | None]]:
    s, e = strip_span(line, a, b)
    if s >= e:
        return []
    return [(s, e, None if any(ch.isalnum() for ch in line[s:e]) else "markup")]
