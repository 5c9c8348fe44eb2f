"""Checks on one translation -> flags for doubtful pairs.

Each check is a small function returning flags; ``check_pair`` runs them
all. They are heuristics meant to *route human attention* (the flags are
shown in Label Studio), so they lean towards flagging: a false alarm costs an
annotator a glance, a missed garbled figure costs a wrong dataset.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence

from toolkit.figures import compare_figures
from toolkit.languages import to_iso
from toolkit.records import Figure, Flag

# Below this many characters, ratios and language identification say little.
MIN_CHARS_FOR_RATIO = 20
MIN_CHARS_FOR_LANGID = 25

# Target/source character-length ratios outside these bounds are flagged.
# Measured bands for news prose are roughly 0.7-1.6 between these languages;
# Thai script is denser than Latin (no spaces between words, vowels as marks),
# so a Latin translation of Thai runs longer.
RATIO_BOUNDS: dict[str, tuple[float, float]] = {"default": (0.45, 2.2), "tha_Thai": (0.6, 3.2)}

_WORD = re.compile(r"\w+", re.UNICODE)


def figure_flags(src_figs: Sequence[Figure], mt_figs: Sequence[Figure], target: str) -> list[Flag]:
    """A flag per source figure missing or changed in the translation, and per added figure."""
    cmp = compare_figures(list(src_figs), list(mt_figs))
    flags = [Flag("figure_missing", target, f"{f.kind} {f.text!r} not found in the translation") for f in cmp.missing]
    flags += [Flag("figure_changed", target, f"{s.kind} {s.text!r} became {t.text!r}") for s, t in cmp.changed]
    flags += [Flag("figure_added", target, f"{f.kind} {f.text!r} is not in the source") for f in cmp.added]
    return flags


def repetition_flags(mt: str, target: str, src: str = "") -> list[Flag]:
    """NLLB's failure mode: the same word or phrase over and over.

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


def length_flags(src: str, mt: str, src_lang: str, target: str) -> list[Flag]:
    """Empty output, likely truncation, or a length ratio out of bounds."""
    if src.strip() and not mt.strip():
        return [Flag("empty", target, "the translation is empty")]
    if len(src) < MIN_CHARS_FOR_RATIO:
        return []
    low, high = RATIO_BOUNDS.get(src_lang, RATIO_BOUNDS["default"])
    ratio = len(mt) / len(src)
    flags: list[Flag] = []
    if ratio < low:
        # A short output whose source ends a sentence but which does not is
        # the signature of a cut-off translation.
        if src.rstrip()[-1:] in '.!?…"”)' and mt.rstrip()[-1:] not in '.!?…"”)':
            flags.append(Flag("truncated", target, f"{ratio:.2f} of the source length and no closing punctuation"))
        flags.append(Flag("length_ratio", target, f"translation is {ratio:.2f}x the source length (< {low})"))
    elif ratio > high:
        flags.append(Flag("length_ratio", target, f"translation is {ratio:.2f}x the source length (> {high})"))
    return flags


def language_flags(mt: str, target: str, identify: Callable[[str], str | None]) -> list[Flag]:
    """The translation is not in the target language (copied source, wrong BOS)."""
    if len(mt) < MIN_CHARS_FOR_LANGID:
        return []
    got = identify(mt)
    want = to_iso(target)
    if got is None or got == want:
        return []
    return [Flag("wrong_language", target, f"looks like {got!r}, expected {want!r}")]


def check_pair(
    src: str,
    mt: str,
    src_lang: str,
    target: str,
    src_figs: Sequence[Figure],
    mt_figs: Sequence[Figure],
    identify: Callable[[str], str | None],
) -> list[Flag]:
    """All checks on one (source, translation) pair."""
    return (
        length_flags(src, mt, src_lang, target)
        + repetition_flags(mt, target, src)
        + language_flags(mt, target, identify)
        + figure_flags(src_figs, mt_figs, target)
    )
