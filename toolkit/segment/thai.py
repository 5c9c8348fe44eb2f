"""Sentence splitting for Thai with pythainlp's ``crfcut``.

Thai marks no sentence ends; writers put a space between sentences (and
between clauses and list items). crfcut, a CRF trained on the TED and
Orchid corpora, decides which spaces end a sentence. It returns strings;
we map them back to offsets by position (the strings concatenate to the
input), or, if crfcut ever changes whitespace, by counting visible
characters; if even that fails the paragraph stays one sentence.

crfcut splits generously: list items ("การรับพลเมือง", "reception of
citizens") and clauses that begin with a conjunction come out as
sentences of a few words, which a translator handles badly. We merge back

* a piece shorter than ``MIN_CHARS`` visible characters into its neighbour;
* a piece after one that ends with a Thai abbreviation ("นาย ต.", "อ.",
  "12-13 ธ.ค." before its year "2561"): Thai ends no sentence with a dot;
* a piece that starts with a word that only continues a sentence
  ("และ" and, "หรือ" or, "เพื่อ" in order to, "ซึ่ง" which, ...) into the
  previous one, while the result stays under ``MERGE_MAX_CHARS``.

Long paragraphs are cut into chunks of at most ``CHUNK_CHARS`` at a space
before crfcut sees them: its word tokenizer gets slow on long runs without
spaces.
"""

from __future__ import annotations

import logging
import re

from toolkit.segment.base import Segmenter, is_ignorable, safe_cut

log = logging.getLogger("toolkit.segment")

MIN_CHARS = 40
MERGE_MAX_CHARS = 300
CHUNK_CHARS = 3000

# Words that continue a sentence when they begin a crfcut piece.
_CONTINUATIONS = (
    "และ",  # and
    "หรือ",  # or
    "เพื่อ",  # in order to
    "ซึ่ง",  # which
    "ของ",  # of
    "กับ",  # with
    "แก่",  # to
    "ให้แก่",  # to
    "จึง",  # therefore (mid-sentence)
    "ตลอดจน",  # as well as
    "รวมถึง",  # including
    "รวมทั้ง",  # including
    "โดย",  # by, with (an adverbial clause)
    "ยังคง",  # still (a predicate without its subject)
    "ได้รับ",  # received (idem)
    "ทำให้",  # causing
    "ที่",  # that, which
    '"',  # a quoted name inside the sentence
    "“",
)


# A Thai abbreviation: one to three consonants and a dot, once or more ("อ.", "นาย ต.", "ธ.ค.", "พ.ศ.").
# Thai ends no sentence with a dot, so a piece that ends in one is cut inside a sentence.
_ABBREVIATION = re.compile(r"(?:[\u0e01-\u0e2e][\u0e01-\u0e4e]{0,2}\.)+$")


def _visible(text: str) -> int:
    return sum(1 for ch in text if not is_ignorable(ch))


class ThaiSegmenter(Segmenter):
    """crfcut with merging of fragments (see the module docstring)."""

    name = "crfcut"

    def __init__(self, lang: str = "tha_Thai") -> None:
        super().__init__(lang)
        from pythainlp.tokenize import sent_tokenize  # import here: pythainlp is slow to import

        self._sent_tokenize = sent_tokenize

    def _crfcut_starts(self, text: str, offset: int) -> list[int]:
        pieces = self._sent_tokenize(text, engine="crfcut")
        starts: list[int] = []
        if "".join(pieces) == text:
            pos = 0
            for piece in pieces:
                starts.append(offset + pos)
                pos += len(piece)
            return starts
        # crfcut changed whitespace: walk the visible characters instead.
        pos = 0
        for piece in pieces:
            need = _visible(piece)
            if need == 0:
                continue
            while pos < len(text) and is_ignorable(text[pos]):
                pos += 1
            starts.append(offset + pos)
            seen = 0
            while pos < len(text) and seen < need:
                seen += not is_ignorable(text[pos])
                pos += 1
        if pos < len(text) and _visible(text[pos:]):
            log.warning("crfcut changed the text of a paragraph; it is kept as one sentence")
            return [offset]
        return starts

    def sentence_starts(self, text: str) -> list[int]:
        starts: list[int] = []
        pos = 0
        while pos < len(text):
            end = len(text) if len(text) - pos <= CHUNK_CHARS else safe_cut(text, pos + CHUNK_CHARS, pos)
            starts.extend(self._crfcut_starts(text[pos:end], pos))
            pos = end
        return self._merge(text, sorted(set(starts)))

    def _merge(self, text: str, starts: list[int]) -> list[int]:
        if len(starts) < 2:
            return starts
        bounds = [*starts, len(text)]
        pieces = [[bounds[i], bounds[i + 1]] for i in range(len(starts))]
        merged: list[list[int]] = []
        for piece in pieces:
            if merged:
                prev = merged[-1]
                head = text[piece[0] : piece[1]].lstrip()
                short_prev = _visible(text[prev[0] : prev[1]]) < MIN_CHARS
                joins = head.startswith(_CONTINUATIONS) and piece[1] - prev[0] <= MERGE_MAX_CHARS
                abbreviated = _ABBREVIATION.search(text[prev[0] : prev[1]].rstrip()) is not None
                if short_prev or joins or abbreviated:
                    prev[1] = piece[1]
                    continue
            merged.append(piece)
        # A short last piece joins the one before it.
        if len(merged) > 1 and _visible(text[merged[-1][0] : merged[-1][1]]) < MIN_CHARS:
            merged[-2][1] = merged[-1][1]
            merged.pop()
        return [p[0] for p in merged]
