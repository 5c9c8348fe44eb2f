"""Tokens and spans: the one tokeniser with offsets, the one Thai word cutter,
spans <-> BIO tags, code points <-> UTF-16 units, and the span validator.

Every stage that cuts text into words or checks a span uses these, so that
the extractor's features, the export's BIO view, the evaluation, the rule
guesser and the clause splitter all see the same tokens and the same
offsets.

Tokens: Latin (and any non-Thai) text is cut into runs of word characters
and single punctuation marks, so hyphens and slashes split ("Thang
Binh-distriktet" -> Thang, Binh, -, distriktet: the name ends at the hyphen,
as the guidelines want). Thai runs are cut by pythainlp's newmm, which keeps
every character, so offsets stay exact.

Spans that do not fall on token boundaries (possible in Thai, where newmm
may glue a designator to a name): a token is inside a span when it overlaps
it at all; the first such token gets B-, the rest I-. Decoding tags back to
spans always gives token boundaries.

Offsets are code points (Python ``str`` offsets). JavaScript counts UTF-16
code units, so a character outside the Basic Multilingual Plane (most emoji)
is one position in Python and two in the browser; Thai combining marks are
separate code points in both and never shift offsets. What Label Studio
1.23 does (read in its editor's source, ``libs/editor/src/tags/object/
RichText/domManager.ts``): the editor splits a text with ``[...text]`` (code
points) and converts the DOM's UTF-16 selection offsets into code points
before it stores a region, so predictions go out in code points unchanged
(checked in Chromium, ``scripts/screenshot_task.py``). Exports by older
versions or by tools that count UTF-16 units are repaired by
``locate_span``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
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


# --- Thai words -----------------------------------------------------------


@lru_cache(maxsize=1)
def _newmm():
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def thai_words(text: str, keep_whitespace: bool = True) -> list[Token]:
    """Thai words of ``text`` with their offsets (pythainlp's newmm).

    The one Thai word cutter of the toolkit. With ``keep_whitespace`` the
    pieces tile the whole text (whitespace runs are tokens too), which is
    what a matcher on whole words needs; without it, whitespace is dropped
    and only words are returned. ``find`` keeps offsets right even if newmm
    were ever to drop a character.
    """
    return list(_thai_words(text, keep_whitespace))


@lru_cache(maxsize=1_024)
def _thai_words(text: str, keep_whitespace: bool) -> tuple[Token, ...]:
    """``thai_words``, kept: newmm is the costliest step of Thai extraction, and the
    features, the rule guesser and the word counts each cut the same text, one after
    the other. A few recent texts are enough for that; a cache as large as a training
    set (50,000) held so many Tokens that the garbage collector's passes slowed
    extraction after training by a third (NERGrit 380 sentences/s, 551 with 1,024)."""
    out: list[Token] = []
    pos = 0
    for piece in _newmm()(text, engine="newmm", keep_whitespace=keep_whitespace):
        if not piece:
            continue
        i = text.find(piece, pos)
        if i < 0:
            continue
        pos = i + len(piece)
        if not keep_whitespace and not piece.strip():
            continue
        out.append(Token(i, pos, piece))
    return tuple(out)


# --- tokens with offsets --------------------------------------------------


def _latin_tokens(text: str, offset: int) -> list[Token]:
    return [Token(m.start() + offset, m.end() + offset, m.group()) for m in _LATIN_TOKEN.finditer(text)]


def tokenize(text: str) -> list[Token]:
    """Cut ``text`` into tokens with exact character offsets.

    Thai-script runs go to newmm, everything else to the word/punctuation
    regex, so mixed Thai texts ("ชุมชน Cam Due") are handled in one pass.
    """
    return list(_tokenize(text))


@lru_cache(maxsize=1_024)
def _tokenize(text: str) -> tuple[Token, ...]:
    """``tokenize``, kept: the extractor's features, its rule cues and the document's
    word counts each cut the same line, one after the other (Tokens are frozen;
    callers get a fresh list). Small, for the reason given in ``_thai_words``."""
    tokens: list[Token] = []
    pos = 0
    runs = list(_THAI_RUN.finditer(text))
    for m, words in zip(runs, _thai_runs_words([m.group() for m in runs]), strict=True):
        tokens.extend(_latin_tokens(text[pos : m.start()], pos))
        tokens.extend(Token(t.start + m.start(), t.end + m.start(), t.text) for t in words)
        pos = m.end()
    tokens.extend(_latin_tokens(text[pos:], pos))
    return tuple(tokens)


def _thai_runs_words(runs: Sequence[str]) -> list[list[Token]]:
    """``thai_words(run, False)`` of each run, from one newmm call over the runs joined
    by line breaks (half the time of one call per run: a Thai sentence has several
    runs between its spaces and digits). newmm never joins across a line break, and
    no word of its dictionary holds one (a space it may: "เรื่อย ๆ"), so each run's
    words are what a call on it alone gives (checked on ThaiNER's 4,274 sentences);
    a word across two runs would fall back to one call per run."""
    if len(runs) < 2:
        return [thai_words(r, False) for r in runs]
    starts, at = [], 0
    for r in runs:
        starts.append(at)
        at += len(r) + 1
    out: list[list[Token]] = [[] for _ in runs]
    for t in thai_words("\n".join(runs), False):
        k = bisect_right(starts, t.start) - 1
        if t.end > starts[k] + len(runs[k]):
            return [thai_words(r, False) for r in runs]
        out[k].append(Token(t.start - starts[k], t.end - starts[k], t.text))
    return out


# --- spans <-> BIO tags ---------------------------------------------------


def spans_to_tags(tokens: Sequence[Token], spans: Iterable[Span]) -> list[str]:
    """BIO tags for ``tokens``; overlapping spans: the earlier-starting wins.

    Linear in tokens + spans (tokens are in order, so each span's tokens are
    found by bisection), since a long document may have many of both.
    """
    from bisect import bisect_left, bisect_right

    tags = ["O"] * len(tokens)
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        # tokens with t.end > span.start and t.start < span.end
        lo = bisect_right(ends, span.start)
        hi = bisect_left(starts, span.end)
        inside = range(lo, hi)
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


# --- code points <-> UTF-16 -----------------------------------------------


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what ``text.length`` is in JS)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_utf16(text: str, offset: int) -> int:
    """Code-point ``offset`` into ``text`` -> the same position in UTF-16 units."""
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} outside a text of {len(text)} characters")
    return utf16_len(text[:offset])


def from_utf16(text: str, offset: int) -> int:
    """UTF-16 ``offset`` into ``text`` -> code points.

    Raises ``ValueError`` for an offset past the end or one that falls between
    the two halves of a surrogate pair (no code-point position matches it).
    """
    units = 0
    for i, ch in enumerate(text):
        if units == offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > offset:
            raise ValueError(f"UTF-16 offset {offset} splits the character {ch!r} at {i}")
    if units == offset:
        return len(text)
    raise ValueError(f"UTF-16 offset {offset} outside a text of {units} UTF-16 units")


# --- the span validator ---------------------------------------------------


def locate_span(text: str, start: int, end: int, expected: str | None = None) -> tuple[int, int] | None:
    """Code-point offsets of a span whose ``start``/``end`` may be in either unit.

    Returns ``(start, end)`` in code points when ``text[start:end] ==
    expected`` read as code points or, failing that, as UTF-16 units;
    ``None`` when neither reading gives ``expected`` (the span does not
    belong to ``text``). An empty span never matches. ``expected=None``
    (a span that carries no text) accepts any non-empty span inside the text,
    read as code points.
    """
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        return None
    if expected is None:
        return (start, end) if 0 <= start < end <= len(text) else None
    if not expected:
        return None
    if 0 <= start < end <= len(text) and text[start:end] == expected:
        return start, end
    try:
        s, e = from_utf16(text, start), from_utf16(text, end)
    except ValueError:
        return None
    if text[s:e] == expected:
        return s, e
    return None


def span_error(text: str, start: int, end: int, expected: str | None, label: str = "") -> str | None:
    """Why a span does not fit ``text`` (one line), or None when it does.

    The message every stage gives for a span off its text, so that push,
    pull and training word it alike.
    """
    if locate_span(text, start, end, expected) is not None:
        return None
    got = (
        text[start:end] if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text) else None
    )
    where = f"span {start}-{end}" + (f" {label}" if label else "")
    if got is None:
        says = f" says {expected!r} but" if expected is not None else ""
        return f"{where}{says} lies outside a text of {len(text)} characters"
    return f"{where} says {expected!r} but the text there is {got!r}"


def iob2_entities(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Strict IOB2 entities ``(first token, end token, label)`` of one tag sequence: what seqeval's strict mode counts."""
    out, start, label = set(), None, ""
    for i, t in enumerate([*tags, "O"]):
        if start is not None and not (t.startswith("I-") and t[2:] == label):
            out.add((start, i, label))
            start = None
        if t.startswith("B-"):
            start, label = i, t[2:]
    return out
