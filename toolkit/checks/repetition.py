"""NLLB's failure mode: the same word or phrase over and over."""

from __future__ import annotations

import re
import zlib

from toolkit.records import Flag

_WORD = re.compile(r"\w+", re.UNICODE)


def repetition_flags(mt: str, target: str, src: str = "") -> list[Flag]:
    """Flag a looping translation.

    Two signals: an n-gram (n = 1..4) repeated three or more times in a row,
    and output that compresses far better than its source (loops compress).
    """
    words = [w.lower() for w in _WORD.findall(mt)]
    for n in range(1, 5):
        for i in range(len(words) - 3 * n + 1):
            gram = words[i : i + n]
            if gram == words[i + n : i + 2 * n] == words[i + 2 * n : i + 3 * n]:
                # "very very very" happens; a single short word thrice is only
                # a loop when it is longer than a function word.
                if n == 1 and len(gram[0]) <= 2:
                    continue
                return [Flag("repetition", target, f"{' '.join(gram)!r} repeated 3+ times in a row")]
    if len(mt) >= 80 and src:
        ratio_mt = len(zlib.compress(mt.encode())) / len(mt.encode())
        ratio_src = len(zlib.compress(src.encode())) / max(1, len(src.encode()))
        if ratio_mt < 0.5 * ratio_src:
            return [
                Flag("repetition", target, f"translation compresses {ratio_src / ratio_mt:.1f}x better than its source")
            ]
    return []
