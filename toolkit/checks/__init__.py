"""Checks on one translation -> flags for doubtful pairs.

Each check is a small function returning flags, one module per family:
``figures`` (figure_missing / _changed / _added), ``length`` (empty,
truncated, length_ratio), ``language`` (wrong_language), ``repetition``,
``markup`` (url_missing, bracket_mismatch), ``names`` (untranslated,
name_missing) and ``terms`` (term_missing, with a ``glossary.Glossary``).
``check_pair`` runs them all on a pair whose figures and language
identifier the caller has (the pipeline); ``check_translation`` finds those
itself, for notebooks and other tools.

They are heuristics meant to *route human attention* (the flags are shown
in Label Studio), so they lean towards flagging: a false alarm costs an
annotator a glance, a missed garbled figure costs a wrong dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from toolkit.checks.figures import figure_flags
from toolkit.checks.glossary import (
    Glossary,
    GlossaryEntry,
    GlossaryError,
    build_glossary,
    parse_glossary,
    read_glossary,
)
from toolkit.checks.language import MIN_CHARS_FOR_LANGID, language_flags
from toolkit.checks.length import MIN_CHARS_FOR_RATIO, RATIO_BOUNDS, length_flags
from toolkit.checks.markup import bracket_flags, url_flags
from toolkit.checks.names import name_flags, untranslated_flags
from toolkit.checks.repetition import repetition_flags
from toolkit.checks.terms import term_flags
from toolkit.records import Figure, Flag

__all__ = [
    "FLAG_CODES",
    "MIN_CHARS_FOR_LANGID",
    "MIN_CHARS_FOR_RATIO",
    "RATIO_BOUNDS",
    "Glossary",
    "GlossaryEntry",
    "GlossaryError",
    "bracket_flags",
    "build_glossary",
    "check_pair",
    "check_translation",
    "figure_flags",
    "language_flags",
    "length_flags",
    "name_flags",
    "parse_glossary",
    "read_glossary",
    "repetition_flags",
    "term_flags",
    "untranslated_flags",
    "url_flags",
]

# Every code a check here can raise (docs/TRANSLATING.md's "Flags" table lists them).
FLAG_CODES = (
    "empty",
    "truncated",
    "length_ratio",
    "repetition",
    "wrong_language",
    "figure_missing",
    "figure_changed",
    "figure_added",
    "url_missing",
    "bracket_mismatch",
    "untranslated",
    "name_missing",
    "term_missing",
    "low_confidence",  # confidence.py, from the engine's score (the pipeline adds it)
    "round_trip_low",  # confidence.py, with --round-trip
)

# Below this share of the detector's vote it is not sure enough to contradict the target.
MIN_LANGID_SCORE = 0.5


def check_pair(
    src: str,
    mt: str,
    src_lang: str,
    target: str,
    src_figs: Sequence[Figure],
    mt_figs: Sequence[Figure],
    identify: Callable[[str], str | None],
    glossary: Glossary | None = None,
) -> list[Flag]:
    """All checks on one (source, translation) pair; ``identify`` maps a text to an ISO code or None."""
    return (
        length_flags(src, mt, src_lang, target)
        + repetition_flags(mt, target, src)
        + language_flags(mt, target, identify)
        + figure_flags(src_figs, mt_figs, target)
        + url_flags(src, mt, target)
        + bracket_flags(src, mt, target)
        + untranslated_flags(src, mt, src_lang, target)
        + name_flags(src, mt, src_lang, target)
        + term_flags(src, mt, src_lang, target, glossary)
    )


def _identify(text: str) -> str | None:
    # Imported here: the detector's model is loaded on first use, and the
    # checks that need no identifier should not pay for the import.
    from toolkit.detect import detect_language

    d = detect_language(text)
    return d.iso if d.score >= MIN_LANGID_SCORE else None


def check_translation(src: str, mt: str, src_lang: str, tgt_lang: str, glossary: Glossary | None = None) -> list[Flag]:
    """All checks on one translation, finding the figures and the output language itself.

    ``src_lang`` and ``tgt_lang`` are NLLB or ISO codes.

    >>> [f.code for f in check_translation("Distrik Nui Thanh (451 ha).", "The district (45 ha).", "id", "en")]
    ['figure_changed', 'name_missing']
    """
    from toolkit.figures import extract_figures
    from toolkit.languages import to_nllb

    src_lang, tgt_lang = to_nllb(src_lang), to_nllb(tgt_lang)
    src_figs, mt_figs = extract_figures(src, src_lang), extract_figures(mt, tgt_lang)
    return check_pair(src, mt, src_lang, tgt_lang, src_figs, mt_figs, _identify, glossary)
