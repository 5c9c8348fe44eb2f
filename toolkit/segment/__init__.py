"""Splitting documents into paragraphs and sentences, with offsets.

``segment_document(doc, lang)`` is what the pipeline calls: every non-blank
line is a paragraph; a body line is split into sentences by the language's
segmenter; a non-body line (see ``boilerplate``) is one ``Sentence`` with
``is_body=False`` and a reason. ``doc.text[s.start:s.end] == s.text``
always holds, and every visible character of the document lies in exactly
one sentence.
"""

from __future__ import annotations

import functools
import logging
import re

from toolkit.languages import to_nllb
from toolkit.records import Document, Sentence
from toolkit.segment.base import HARD_MAX_CHARS, Segmenter, cap_lengths, strip_span
from toolkit.segment.boilerplate import classify_lines, sentence_reason

__all__ = ["Segmenter", "get_segmenter", "segment_document", "split_lines", "HARD_MAX_CHARS"]

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
    spans = []
    pos = 0
    for match in _LINE_BREAK.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    return spans


def segment_document(doc: Document, lang: str | None = None) -> list[Sentence]:
    """Split ``doc`` into ``Sentence`` records (body and non-body), in document order.

    ``lang`` (NLLB code) picks the segmenter; it defaults to ``doc.lang``.
    """
    lang = lang or doc.lang
    if not lang:
        raise ValueError(f"{doc.path}: no language given and none detected — pass lang or set doc.lang")
    segmenter = get_segmenter(lang)
    text = doc.text

    lines: list[tuple[int, int, int]] = []  # (line number from 1, start, end), stripped, non-blank
    for number, (start, end) in enumerate(split_lines(text), 1):
        s, e = strip_span(text, start, end)
        if s < e:
            lines.append((number, s, e))
    reasons = classify_lines([text[s:e] for _, s, e in lines])

    out: list[Sentence] = []
    for para, ((number, start, end), reason) in enumerate(zip(lines, reasons, strict=True)):
        if reason is not None:
            out.append(Sentence(doc.path, para, 0, start, end, text[start:end], is_body=False, reason=reason))
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
        for idx, (s, e) in enumerate(spans):
            piece = line[s:e]
            why = sentence_reason(piece)
            out.append(Sentence(doc.path, para, idx, start + s, start + e, piece, is_body=why is None, reason=why))
    return out
