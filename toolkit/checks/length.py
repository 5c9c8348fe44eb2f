"""Empty output, likely truncation, or a length ratio out of bounds."""

from __future__ import annotations

from toolkit.records import Flag

# Below this many characters, ratios say little.
MIN_CHARS_FOR_RATIO = 20

# Target/source character-length ratios outside these bounds are flagged.
# Measured bands for news prose are roughly 0.7-1.6 between these languages;
# Thai script is denser than Latin (no spaces between words, vowels as marks),
# so a Latin translation of Thai runs longer.
RATIO_BOUNDS: dict[str, tuple[float, float]] = {"default": (0.45, 2.2), "tha_Thai": (0.6, 3.2)}


def length_flags(src: str, mt: str, src_lang: str, target: str) -> list[Flag]:
    """``empty``, ``truncated`` and ``length_ratio``."""
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
