"""The engine's second look at a chunk: repair from the n-best list and the round trip.

Both run after a chunk's first translations (``runner.translate_scored``)
and before its records are built, on the chunk's unique sentences, so a
sentence repeated in many documents is repaired (and back-translated) once.
The decisions are ``toolkit.checks.repair``'s and ``toolkit.checks.confidence``'s;
this module only feeds them the engine, the cache and the pipeline's checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from toolkit.checks import Glossary, check_pair
from toolkit.checks.confidence import chrf
from toolkit.checks.repair import DEFAULT_BEAM, DEFAULT_HYPOTHESES, Check, Repair, repair_translations
from toolkit.figures import extract_figures, reconcile_kinds
from toolkit.records import Hypothesis
from toolkit.translate.cache import TranslationCache
from toolkit.translate.engine import Engine
from toolkit.translate.runner import translate_texts

#: (src_lang, target, source text) -> its translation
Key = tuple[str, str, str]


@dataclass
class ChunkSignals:
    """What the second look found: repairs and round-trip chrF, by key."""

    repairs: dict[Key, Repair] = field(default_factory=dict)
    round_trip: dict[Key, float] = field(default_factory=dict)


def pair_check(src_lang: str, target: str, identify: Callable[[str], str | None], glossary: Glossary | None) -> Check:
    """The pipeline's checks on (source, translation), figures found here as
    ``pipeline._record`` finds them (the same judgment as the final flags)."""

    def check(src: str, mt: str):
        src_figs = extract_figures(src, src_lang)
        mt_figs = reconcile_kinds(src_figs, extract_figures(mt, target), target)
        return check_pair(src, mt, src_lang, target, src_figs, mt_figs, identify, glossary)

    return check


def repair_chunk(
    engine: Engine,
    mts: dict[Key, Hypothesis],
    identify: Callable[[str], str | None],
    glossary: Glossary | None,
    signals: ChunkSignals,
    *,
    beam: int = DEFAULT_BEAM,
    hypotheses: int = DEFAULT_HYPOTHESES,
) -> None:
    """Replace in ``mts`` each translation that a re-decoding repairs; note it in ``signals``."""
    groups: dict[tuple[str, str], list[str]] = {}
    for lang, target, text in mts:
        groups.setdefault((lang, target), []).append(text)
    for (lang, target), texts in groups.items():
        check = pair_check(lang, target, identify, glossary)
        firsts = [mts[(lang, target, t)] for t in texts]
        found = repair_translations(engine, texts, firsts, lang, target, check, beam=beam, hypotheses=hypotheses)
        for i, rep in found.items():
            mts[(lang, target, texts[i])] = rep.hypothesis
            signals.repairs[(lang, target, texts[i])] = rep


def round_trip_chunk(
    engine: Engine,
    mts: dict[Key, Hypothesis],
    cache: TranslationCache | None,
    signals: ChunkSignals,
    **batching,
) -> None:
    """Back-translate each translation into its source language (through the
    runner: batched, split, cached like any translation) and keep the chrF
    of the back-translation against the source."""
    groups: dict[tuple[str, str], list[str]] = {}
    for lang, target, text in mts:
        if text.strip() and mts[(lang, target, text)].text.strip():
            groups.setdefault((lang, target), []).append(text)
    for (lang, target), texts in groups.items():
        forward = [mts[(lang, target, t)].text for t in texts]
        back = translate_texts(engine, forward, target, lang, cache=cache, **batching)
        for t, b in zip(texts, back, strict=True):
            signals.round_trip[(lang, target, t)] = round(chrf(b, t), 2)
