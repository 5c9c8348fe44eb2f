"""Engine-assisted projection, as in EasyProject (Chen et al., 2023).

The source is translated once more with square brackets around its spans
("Bapak [Le Van Sinh] - Ketua [Komite Rakyat Distrik Nui Thanh] ..."); the
bracketed strings of the output are read back in order and looked for in
the target text the annotators see (which was translated without
markers, so the two differ). When the brackets do not come back whole
(a pair lost or unbalanced), each span left over is translated alone.
A string is placed where it occurs in the target, or, failing that, on
the one stretch of the target most like it (difflib ratio >= 0.8).

The engine is anything with ``translate_batch(texts, src_lang, tgt_lang)``
(``toolkit.translate.engine.Engine``); it is handed in, never imported, so
that this room does not depend on the translation room. Its quality can
only be measured with real weights: the tests check the mechanics with
the tiny copy model.
"""

from __future__ import annotations

import difflib
import re
from typing import Protocol

from toolkit.languages import has_thai
from toolkit.projection.text import find_all, fold, fold_key

Interval = tuple[int, int]
OPEN, CLOSE = "[", "]"
MIN_FUZZY = 0.8
_MARKED = re.compile(r"\[([^\[\]]*)\]")
_WORD = re.compile(r"\w+", re.UNICODE)


class Translator(Protocol):
    def translate_batch(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]: ...


def mark(src: str, spans: list[tuple[int, int]]) -> str:
    """``src`` with ``[`` and ``]`` around each span (spans sorted, not overlapping)."""
    out, pos = [], 0
    for a, b in spans:
        out.append(src[pos:a])
        out.append(OPEN + src[a:b] + CLOSE)
        pos = b
    out.append(src[pos:])
    return "".join(out)


def read_marked(text: str) -> list[str]:
    """The strings between bracket pairs of a translation, in order; [] if the brackets are unbalanced."""
    if text.count(OPEN) != text.count(CLOSE):
        return []
    return [m.group(1).strip() for m in _MARKED.finditer(text)]


def _tokens(text: str) -> list[Interval]:
    if has_thai(text):
        from toolkit.segment.tokens import tokenize

        return [(t.start, t.end) for t in tokenize(text)]
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def locate(query: str, tgt: str, taken: list[Interval]) -> Interval | None:
    """Where ``query`` stands in ``tgt``: its one free exact occurrence, else its one close match."""
    key = fold_key(query)
    if not key:
        return None
    free = [iv for iv in find_all(fold(tgt), key) if not any(iv[0] < t[1] and t[0] < iv[1] for t in taken)]
    if len(free) == 1:
        return free[0]
    if free:
        return None  # several: which one is unknown
    toks = _tokens(tgt)
    n_q = max(1, len(_tokens(query)))
    best: list[tuple[float, Interval]] = []
    for i in range(len(toks)):
        for j in range(i, min(len(toks), i + n_q + 2)):
            iv = (toks[i][0], toks[j][1])
            if any(iv[0] < t[1] and t[0] < iv[1] for t in taken):
                continue
            r = difflib.SequenceMatcher(None, key, fold_key(tgt[iv[0] : iv[1]]), autojunk=False).ratio()
            best.append((r, iv))
    best.sort(key=lambda x: -x[0])
    if not best or best[0][0] < MIN_FUZZY:
        return None
    rival = next((r for r, iv in best[1:] if iv[1] <= best[0][1][0] or iv[0] >= best[0][1][1]), 0.0)
    return best[0][1] if best[0][0] - rival >= 0.05 else None


def translated_spans(
    src: str, spans: list[tuple[int, int]], src_lang: str, tgt_lang: str, engine: Translator
) -> list[str | None]:
    """What each span (sorted, not overlapping) becomes in translation: read from markers, else alone."""
    if not spans:
        return []
    marked_out = engine.translate_batch([mark(src, spans)], src_lang, tgt_lang)[0]
    inner = read_marked(marked_out)
    result: list[str | None] = list(inner) if len(inner) == len(spans) else [None] * len(spans)
    rest = [k for k, s in enumerate(result) if not s]
    if rest:
        alone = engine.translate_batch([src[spans[k][0] : spans[k][1]] for k in rest], src_lang, tgt_lang)
        for k, text in zip(rest, alone, strict=True):
            result[k] = text.strip(" .") or None
    return result
