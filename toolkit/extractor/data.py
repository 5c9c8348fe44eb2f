"""Spans <-> tokens: tokenisation with character offsets, BIO tags, windows.

One tokeniser serves the CRF, the export's BIO view and the evaluation, so
that gold and predicted tags always sit on the same tokens.

Tokens: Latin (and any non-Thai) text is cut into runs of word characters
and single punctuation marks, so hyphens and slashes split ("Thang
Binh-distriktet" -> Thang, Binh, -, distriktet: the name ends at the hyphen,
as the guidelines want). Thai runs are cut by pythainlp's newmm, which keeps
every character, so offsets stay exact.

Spans that do not fall on token boundaries (possible in Thai, where newmm
may glue a designator to a name): a token is inside a span when it overlaps
it at all; the first such token gets B-, the rest I-. Decoding tags back to
spans always gives token boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from toolkit.records import Span

_THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+")
_LATIN_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _newmm():
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def _latin_tokens(text: str, offset: int) -> list[Token]:
    return [Token(m.start() + offset, m.end() + offset, m.group()) for m in _LATIN_TOKEN.finditer(text)]


def _thai_tokens(run: str, offset: int) -> list[Token]:
    out: list[Token] = []
    pos = 0
    for piece in _newmm()(run, engine="newmm", keep_whitespace=False):
        # newmm returns pieces in order; find() keeps offsets right even if
        # it were ever to drop characters.
        i = run.find(piece, pos)
        if i < 0 or not piece.strip():
            continue
        out.append(Token(offset + i, offset + i + len(piece), piece))
        pos = i + len(piece)
    return out


def tokenize(text: str) -> list[Token]:
    """Cut ``text`` into tokens with exact character offsets.

    Thai-script runs go to newmm, everything else to the word/punctuation
    regex, so mixed Thai texts ("ชุมชน Cam Due") are handled in one pass.
    """
    tokens: list[Token] = []
    pos = 0
    for m in _THAI_RUN.finditer(text):
        tokens.extend(_latin_tokens(text[pos : m.start()], pos))
        tokens.extend(_thai_tokens(m.group(), m.start()))
        pos = m.end()
    tokens.extend(_latin_tokens(text[pos:], pos))
    return tokens


def spans_to_tags(tokens: Sequence[Token], spans: Iterable[Span]) -> list[str]:
    """BIO tags for ``tokens``; overlapping spans: the earlier-starting wins."""
    tags = ["O"] * len(tokens)
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        inside = [i for i, t in enumerate(tokens) if t.start < span.end and t.end > span.start]
        if not inside or any(tags[i] != "O" for i in inside):
            continue
        tags[inside[0]] = f"B-{span.label}"
        for i in inside[1:]:
            tags[i] = f"I-{span.label}"
    return tags


def tags_to_spans(
    text: str, tokens: Sequence[Token], tags: Sequence[str], scores: Sequence[float] | None = None
) -> list[Span]:
    """Turn BIO tags back into spans on ``text``.

    An I- without a matching B- opens a span (as seqeval reads it); a span's
    score is the mean of its tokens' scores.
    """
    spans: list[Span] = []
    cur: list[int] = []
    label = ""

    def close() -> None:
        if cur:
            s, e = tokens[cur[0]].start, tokens[cur[-1]].end
            score = None if scores is None else round(sum(scores[i] for i in cur) / len(cur), 4)
            spans.append(Span(start=s, end=e, label=label, text=text[s:e], score=score))

    for i, tag in enumerate(tags):
        if tag == "O":
            close()
            cur, label = [], ""
            continue
        prefix, _, lab = tag.partition("-")
        if prefix == "B" or lab != label:
            close()
            cur, label = [i], lab
        else:
            cur.append(i)
    close()
    return spans


def windows(n: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Overlapping ``[start, end)`` windows over ``n`` items, ``stride`` apart.

    The last window is shifted back to end at ``n`` so that no window is
    short and every item is covered.
    """
    if n <= size:
        return [(0, n)]
    out = []
    start = 0
    while True:
        end = min(start + size, n)
        out.append((max(0, end - size), end))
        if end == n:
            return out
        start += stride


def lines_of(text: str) -> list[tuple[int, str]]:
    """Non-blank lines of ``text`` with their offsets: models tag line by line,
    so no entity ever runs across a line break."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out
