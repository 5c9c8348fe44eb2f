"""Splitting sentences that are longer than the model takes, and joining them again.

NLLB takes at most ``max_source_tokens`` tokens (1024, but it was trained on
much shorter sentences); tokenizers silently truncate what is longer. We
never truncate: a too-long sentence is cut at the weakest-possible boundary
that makes every piece fit, trying stronger boundaries first (sentence
punctuation, ``;``/``:``, dashes, commas, Thai spaces, conjunctions, any
space, Thai words) and cutting between characters only as a last resort.
The pieces are translated separately and joined with :func:`join_pieces`.

``"".join(pieces)`` equals the text with its whitespace removed at the cuts:
no character is lost or reordered (tests check it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from toolkit.segment.tokens import thai_words

#: Counts the tokens of each text, special tokens included (an engine's
#: ``count_tokens`` with the source language bound). Batched: one call per level.
CountTokens = Callable[[Sequence[str]], list[int]]

# Conjunctions and relative words a clause may start with, per source
# language (lowercase). A cut goes *before* them, so they open the next piece.
_CONJUNCTIONS: dict[str, tuple[str, ...]] = {
    "ind_Latn": ("dan", "atau", "tetapi", "namun", "serta", "sedangkan", "sehingga", "karena", "yang", "untuk"),
    "por_Latn": ("e", "ou", "mas", "porém", "enquanto", "porque", "que", "para", "onde"),
    "nob_Latn": ("og", "eller", "men", "mens", "fordi", "som", "for", "slik"),
    "eng_Latn": ("and", "or", "but", "while", "because", "which", "that", "to"),
    "vie_Latn": ("và", "hoặc", "nhưng", "trong khi", "vì", "để", "mà"),
}
_THAI_CONJUNCTIONS = ("และ", "แต่", "หรือ", "ซึ่ง", "โดย", "เพื่อ", "เนื่องจาก", "ทั้งนี้")

# Levels of boundaries, strongest first; each regex matches where a cut goes
# (the end of the match starts the next piece).
_SENTENCE = re.compile(r"[.!?…。！？]+[\"'”’»)\]]*\s+")
_CLAUSE = re.compile(r"[;:；：]\s+")
_DASH = re.compile(r"\s+[-–—]+\s+|\s+(?=\()")
_COMMA = re.compile(r"[,，、]\s+")
_SPACE = re.compile(r"\s+")


def _conjunction_regex(lang: str) -> re.Pattern[str] | None:
    if lang == "tha_Thai":
        return re.compile("(?=(?:" + "|".join(_THAI_CONJUNCTIONS) + "))")
    words = _CONJUNCTIONS.get(lang)
    if not words:
        return None
    return re.compile(r"\s+(?=(?:" + "|".join(map(re.escape, words)) + r")\s)", re.IGNORECASE)


def _levels(lang: str) -> list[Callable[[str], list[int]]]:
    """Cut finders, strongest first; each returns the start offsets of the pieces after the first."""

    def by(regex: re.Pattern[str]) -> Callable[[str], list[int]]:
        return lambda text: [m.end() for m in regex.finditer(text) if 0 < m.end() < len(text)]

    levels = [by(_SENTENCE), by(_CLAUSE), by(_DASH), by(_COMMA)]
    if lang == "tha_Thai":
        levels.append(by(_SPACE))  # Thai writes a space between clauses, not between words
    conj = _conjunction_regex(lang)
    if conj is not None:
        levels.append(by(conj))
    levels.append(by(_SPACE))
    if lang == "tha_Thai":
        levels.append(_thai_word_cuts)
    return levels


# pythainlp's dictionary segmenter is slow on huge inputs; beyond this many
# characters a Thai run without spaces is cut between characters instead.
_THAI_WORDS_MAX_CHARS = 5000


def _thai_word_cuts(text: str) -> list[int]:
    if len(text) > _THAI_WORDS_MAX_CHARS:
        return []
    # With whitespace kept, the words tile the text: their ends are the cuts.
    return [w.end for w in thai_words(text) if 0 < w.end < len(text)]


def _pieces_at(text: str, cuts: list[int]) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]


def split_long(text: str, lang: str, count_tokens: CountTokens, max_tokens: int) -> list[str]:
    """Split ``text`` into pieces of at most ``max_tokens`` tokens each.

    Returns ``[text]`` when it fits. Pieces are stripped of the whitespace at
    the cuts and packed greedily, so that a piece is as long as it may be.
    """
    if count_tokens([text])[0] <= max_tokens:
        return [text]
    raw = count_tokens

    def count_tokens(texts: Sequence[str]) -> list[int]:
        return raw(texts) if texts else []  # tokenizers fail on an empty batch

    overhead = count_tokens([""])[0]  # the language code and </s>
    if max_tokens <= overhead:
        raise ValueError(f"max_tokens={max_tokens} leaves no room beside {overhead} special tokens")
    return _split(text.strip(), _levels(lang), count_tokens, max_tokens, overhead)


def _split(text: str, levels: list, count_tokens: CountTokens, max_tokens: int, overhead: int) -> list[str]:
    for li, find_cuts in enumerate(levels):
        segments = _pieces_at(text, find_cuts(text))
        if len(segments) < 2:
            continue
        return _pack(segments, levels[li + 1 :], count_tokens, max_tokens, overhead)
    return _split_chars(text, count_tokens, max_tokens, overhead)


def _pack(segments: list[str], weaker: list, count_tokens: CountTokens, max_tokens: int, overhead: int) -> list[str]:
    """Greedily merge consecutive segments into pieces that fit.

    Token counts are nearly additive over segments cut at whitespace (the
    tokenizer splits on spaces first), so packing uses the segments' own
    counts and each packed piece is counted once more to make sure.
    """
    counts = count_tokens(segments)
    items: list[tuple[bool, str]] = []  # (fits, text): packed pieces, and segments too long alone
    cur: list[str] = []
    cur_cost = 0
    for seg, n in zip(segments, counts, strict=True):
        cost = n - overhead
        if n > max_tokens or (cur and cur_cost + cost + overhead > max_tokens):
            if cur:
                items.append((True, "".join(cur).strip()))
            cur, cur_cost = [], 0
        if n > max_tokens:
            items.append((False, seg.strip()))
            continue
        cur.append(seg)
        cur_cost += cost
    if cur:
        items.append((True, "".join(cur).strip()))

    check = iter(count_tokens([t for fits, t in items if fits]))
    result: list[str] = []
    for fits, piece in items:
        if fits and next(check) <= max_tokens:
            result.append(piece)
        else:  # too long alone, or counts were not additive here: cut at weaker boundaries
            result.extend(_split(piece, weaker, count_tokens, max_tokens, overhead))
    return result


def _split_chars(text: str, count_tokens: CountTokens, max_tokens: int, overhead: int) -> list[str]:
    """The last resort: cut between characters, never before a combining mark."""
    size = max(1, max_tokens - overhead - 1)  # a character is at most one token, plus "▁"
    out: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        # Keep a Thai vowel or tone mark (or any combining mark) with its base character.
        while start + 1 < end < len(text) and unicodedata.category(text[end])[0] == "M":
            end -= 1
        out.append(text[start:end])
        start = end
    counts = count_tokens(out)
    result: list[str] = []
    for piece, n in zip(out, counts, strict=True):
        if n <= max_tokens or len(piece) == 1:
            result.append(piece.strip() or piece)
        else:  # a character that became several tokens: halve the piece
            half = len(piece) // 2
            result.extend(_split_chars(piece[:half], count_tokens, max_tokens, overhead))
            result.extend(_split_chars(piece[half:], count_tokens, max_tokens, overhead))
    return [p for p in result if p.strip()]


# Scripts written without spaces between words: pieces are joined without one.
_NO_SPACE_TARGETS = {"zho_Hans", "zho_Hant", "yue_Hant", "jpn_Jpan"}


def join_pieces(pieces: Sequence[str], tgt_lang: str) -> str:
    """Join the translations of the pieces of one sentence.

    Targets written with spaces (English, Vietnamese, Thai between clauses)
    get one space; Chinese and Japanese get none.
    """
    sep = "" if tgt_lang in _NO_SPACE_TARGETS else " "
    return sep.join(p.strip() for p in pieces if p.strip())
