"""Translating a list of sentences with an engine: cache, split, batch, join.

This is what the pipeline calls for each (source language, target) pair of a
chunk of documents. It knows the order of the small steps; the engine only
translates batches.

Resuming gives the same output as an uninterrupted run because the batches
are planned over *all* the texts, cached or not, so each batch has the same
members and padding in both runs; a batch is only run when one of its
sentences is missing from the cache, and each batch's finished sentences are
committed to the cache before the next batch starts (a kill loses at most
the batch in flight). The pieces of split sentences are cached as well:
a long sentence's pieces fall into many batches, and without them every
batch holding one of its pieces would have to run again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from toolkit.records import Hypothesis
from toolkit.translate.batching import token_budget_batches
from toolkit.translate.cache import TranslationCache
from toolkit.translate.engine import Engine
from toolkit.translate.splitting import join_pieces, split_long

#: Padded source tokens a batch may hold; the engine may split it further
#: (CT2Engine's memory guard).
DEFAULT_BATCH_TOKENS = 4096


@dataclass
class _Plan:
    """What goes to the engine: units (whole sentences, or the pieces of a
    sentence too long for the model) and, per sentence, a slot per piece."""

    owner: list[tuple[int, int]] = field(default_factory=list)  # unit -> (index in unique, piece number)
    text: list[str] = field(default_factory=list)  # unit -> its text
    pieces_of: dict[int, list[Hypothesis | None]] = field(default_factory=dict)  # sentence -> its pieces' translations
    lengths: list[int] = field(default_factory=list)  # unit -> tokens

    @classmethod
    def of(cls, engine: Engine, unique: list[str], src_lang: str) -> _Plan:
        def count(xs: Sequence[str]) -> list[int]:
            return engine.count_tokens(xs, src_lang)

        plan = cls()
        limit = engine.max_source_tokens
        nonblank = [i for i, t in enumerate(unique) if t.strip()]
        for i, n in zip(nonblank, count([unique[i] for i in nonblank]) if nonblank else [], strict=True):
            pieces = [unique[i]] if n <= limit else split_long(unique[i], src_lang, count, limit)
            plan.pieces_of[i] = [None] * len(pieces)
            for k, piece in enumerate(pieces):
                plan.owner.append((i, k))
                plan.text.append(piece)
        plan.lengths = count(plan.text) if plan.text else []
        return plan


def translate_texts(
    engine: Engine,
    texts: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    *,
    cache: TranslationCache | None = None,
    max_batch_tokens: int = DEFAULT_BATCH_TOKENS,
    max_batch: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[str]:
    """The texts of ``translate_scored`` (same arguments)."""
    hyps = translate_scored(
        engine,
        texts,
        src_lang,
        tgt_lang,
        cache=cache,
        max_batch_tokens=max_batch_tokens,
        max_batch=max_batch,
        on_progress=on_progress,
    )
    return [h.text for h in hyps]


def combine(pieces: Sequence[Hypothesis], tgt_lang: str) -> Hypothesis:
    """The pieces of a split sentence as one translation: the texts joined,
    the scores averaged weighted by tokens (the mean log-probability per
    token of the whole); no score when any piece has none."""
    text = join_pieces([h.text for h in pieces], tgt_lang)
    n = sum(h.tokens for h in pieces)
    if n == 0 or any(h.score is None for h in pieces):
        return Hypothesis(text, None, n)
    return Hypothesis(text, sum(h.score * h.tokens for h in pieces) / n, n)  # type: ignore[operator]


def _cached(cache: TranslationCache | None, src_lang: str, tgt_lang: str, texts: list[str], count: bool = True):
    if cache is None:
        return [None] * len(texts)
    return [None if c is None else Hypothesis(*c) for c in cache.get_scored(src_lang, tgt_lang, texts, count=count)]


def translate_scored(
    engine: Engine,
    texts: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    *,
    cache: TranslationCache | None = None,
    max_batch_tokens: int = DEFAULT_BATCH_TOKENS,
    max_batch: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[Hypothesis]:
    """Translate ``texts`` (NLLB codes) and return the translations, with
    their scores, in input order.

    Identical texts are translated once; blank texts translate to "" (no
    score). Texts longer than ``engine.max_source_tokens`` are split at
    clause boundaries, their pieces translated in the same batches as other
    sentences, and joined again (``combine``). ``on_progress(n)`` is called
    with the number of texts finished (cache hits first, then after each batch).
    """
    # With a model per direction, that direction's (an engine-like object
    # without routing, such as a test's wrapper, is its own).
    route = getattr(engine, "for_direction", None)
    engine = route(src_lang, tgt_lang) if route is not None else engine
    unique = list(dict.fromkeys(texts))
    weight = Counter(texts)
    final: list[Hypothesis | None] = _cached(cache, src_lang, tgt_lang, unique)
    for i, t in enumerate(unique):
        if final[i] is None and not t.strip():
            final[i] = Hypothesis("")  # NLLB invents text for an empty input
    n_ready = sum(weight[t] for t, f in zip(unique, final, strict=True) if f is not None)
    if on_progress and n_ready:
        on_progress(n_ready)

    plan = _Plan.of(engine, unique, src_lang)
    # Pieces of long sentences are cached too, so that a resumed run skips
    # every batch that finished before, not only those of whole sentences.
    unit_cached = _cached(cache, src_lang, tgt_lang, plan.text, count=False)
    for batch in token_budget_batches(plan.lengths, max_batch_tokens, max_batch):
        outs, finished = _run_batch(engine, batch, plan, unit_cached, final, src_lang, tgt_lang)
        if cache is not None:
            # One transaction: the batch's fresh pieces and the sentences it finished.
            fresh = [_row(plan.text[j], out) for j, out in zip(batch, outs, strict=True) if unit_cached[j] is None]
            whole = [_row(unique[i], final[i]) for i in finished if len(plan.pieces_of[i]) > 1]  # type: ignore[arg-type]
            if fresh or whole:
                cache.put_many(src_lang, tgt_lang, fresh + whole)
        if on_progress and finished:
            on_progress(sum(weight[unique[i]] for i in finished))

    by_text = dict(zip(unique, final, strict=True))
    missing = [t for t, f in by_text.items() if f is None]
    if missing:  # cannot happen unless an engine misbehaves: never return a silent gap
        raise RuntimeError(f"{len(missing)} texts were not translated, e.g. {missing[0][:80]!r}")
    return [by_text[t] for t in texts]  # type: ignore[misc]


def _row(src: str, h: Hypothesis) -> tuple[str, str, float | None, int]:
    return (src, h.text, h.score, h.tokens)


def _run_batch(
    engine: Engine,
    batch: list[int],
    plan: _Plan,
    unit_cached: list[Hypothesis | None],
    final: list[Hypothesis | None],
    src_lang: str,
    tgt_lang: str,
) -> tuple[list[Hypothesis], list[int]]:
    """Translate one batch of units (or take it from the cache when all of
    it finished in an earlier run) and fill the slots of their sentences;
    returns the units' translations and the sentences the batch finished."""
    if all(unit_cached[j] is not None for j in batch):
        outs: list[Hypothesis] = [unit_cached[j] for j in batch]  # type: ignore[misc]
    else:
        outs = engine.translate_scored([plan.text[j] for j in batch], src_lang, tgt_lang)
        if len(outs) != len(batch):
            raise RuntimeError(f"engine {engine.name} returned {len(outs)} translations for {len(batch)} sources")
    finished: list[int] = []
    for j, out in zip(batch, outs, strict=True):
        i, k = plan.owner[j]
        slots = plan.pieces_of[i]
        slots[k] = out
        if final[i] is None and all(s is not None for s in slots):
            final[i] = slots[0] if len(slots) == 1 else combine(slots, tgt_lang)  # type: ignore[arg-type]
            finished.append(i)
    return outs, finished
