"""Repair from the n-best list: a translation that fails a figure, name or
term check is decoded again with a beam, and the best-scoring hypothesis that
passes the checks replaces it.

The engine is handed in (anything with ``n_best``, ``count_tokens`` and
``max_source_tokens``, as ``toolkit.translate.engine.Engine`` has; checks/
does not import translate/), and so is the check (the pipeline's own, with
its figures, language identifier and glossary), so that a hypothesis is
judged exactly as the first translation was. Only flagged sentences are
decoded again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from toolkit.records import Flag, Hypothesis

#: The failures a re-decoding can fix: the model had the right words a few
#: hypotheses down (a figure, a name, a glossary term), not a model's limit.
REPAIR_CODES = (
    "figure_missing",
    "figure_changed",
    "figure_added",
    "name_missing",
    "term_missing",
)

#: A hypothesis with any of these does not pass: repairing a figure by
#: emptying, truncating, looping or changing the language is no repair.
BLOCKING_CODES = REPAIR_CODES + ("empty", "truncated", "repetition", "wrong_language")

#: Beam and hypotheses of the re-decoding: 5 of a beam of 5, as the n-best
#: lists of QE and reranking work use; a wider beam costs more per sentence
#: and mostly adds near-copies of the same hypotheses.
DEFAULT_BEAM = 5
DEFAULT_HYPOTHESES = 5

#: Flagged sentences decoded again per engine call.
BATCH = 16

#: (source, translation) -> the flags of the checks the first translation had.
Check = Callable[[str, str], list[Flag]]


class NBestEngine(Protocol):
    max_source_tokens: int

    def count_tokens(self, texts: Sequence[str], src_lang: str) -> list[int]: ...

    def n_best(
        self, texts: Sequence[str], src_lang: str, tgt_lang: str, *, n: int, beam: int
    ) -> list[list[Hypothesis]]: ...


@dataclass
class Repair:
    """What replaced a translation, what it replaced and why."""

    hypothesis: Hypothesis  # the new translation
    old: Hypothesis  # the first translation
    why: list[str]  # the codes it failed
    considered: int  # hypotheses looked at

    def to_record(self) -> dict[str, Any]:
        """``BitextRecord.repairs[target]``."""
        score = None if self.old.score is None else round(self.old.score, 4)
        return {"from": self.old.text, "why": self.why, "score": score, "hypotheses": self.considered}


def repair_codes(flags: Sequence[Flag]) -> list[str]:
    """The codes among ``flags`` that a re-decoding may fix, each once, in order."""
    return list(dict.fromkeys(f.code for f in flags if f.code in REPAIR_CODES))


def passes(flags: Sequence[Flag], had: Sequence[str] = ()) -> bool:
    """No figure, name or term failure, and no other ``BLOCKING_CODES`` flag
    that the first translation (its codes: ``had``) did not have already: a
    hypothesis is not refused for a doubt that the translation it would
    replace shares (a wrong output language, say)."""
    return not any(f.code in REPAIR_CODES or (f.code in BLOCKING_CODES and f.code not in had) for f in flags)


def choose(src: str, hyps: Sequence[Hypothesis], check: Check, had: Sequence[str] = ()) -> Hypothesis | None:
    """The best-scoring hypothesis of ``hyps`` that ``passes``, or None.

    Ranked by the mean log-probability per token (no score ranks last), ties
    in the engine's order.
    """
    ranked = sorted(enumerate(hyps), key=lambda ih: (ih[1].score is None, -(ih[1].score or 0.0), ih[0]))
    for _, h in ranked:
        if passes(check(src, h.text), had):
            return h
    return None


def repair_translations(
    engine: NBestEngine,
    sources: Sequence[str],
    translations: Sequence[Hypothesis],
    src_lang: str,
    target: str,
    check: Check,
    *,
    beam: int = DEFAULT_BEAM,
    hypotheses: int = DEFAULT_HYPOTHESES,
) -> dict[int, Repair]:
    """Repairs of the translations (``sources[i]`` -> ``translations[i]``) that
    fail a ``REPAIR_CODES`` check, by index; the others are not decoded again.

    A source longer than the engine takes whole is left as it is: its
    translation was joined from pieces, and a repair would have to choose
    per piece.
    """
    why: dict[int, list[str]] = {}
    had: dict[int, list[str]] = {}
    for i, (src, h) in enumerate(zip(sources, translations, strict=True)):
        flags = check(src, h.text) if src.strip() else []
        if repair_codes(flags):
            why[i], had[i] = repair_codes(flags), [f.code for f in flags]
    todo = list(why)
    if todo:
        fits = engine.count_tokens([sources[i] for i in todo], src_lang)
        todo = [i for i, n in zip(todo, fits, strict=True) if n <= engine.max_source_tokens]
    out: dict[int, Repair] = {}
    for k in range(0, len(todo), BATCH):
        part = todo[k : k + BATCH]
        nbest = engine.n_best([sources[i] for i in part], src_lang, target, n=hypotheses, beam=beam)
        for i, hyps in zip(part, nbest, strict=True):
            best = choose(sources[i], [h for h in hyps if h.text != translations[i].text], check, had[i])
            if best is not None:
                out[i] = Repair(best, translations[i], why[i], len(hyps))
    return out
