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

from toolkit.translate.batching import token_budget_batches
from toolkit.translate.cache import TranslationCache
from toolkit.translate.engine import Engine
from toolkit.translate.splitting import join_pieces, split_long

#: Padded source tokens a batch may hold; the engine may split it further
#: (CT2Engine's memory guard).
DEFAULT_BATCH_TOKENS = 4096


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
    """Translate ``texts`` (NLLB codes) and return the translations in input order.

    Identical texts are translated once; blank texts translate to "".
    Texts longer than ``engine.max_source_tokens`` are split at clause
    boundaries, their pieces translated in the same batches as other
    sentences, and joined again. ``on_progress(n)`` is called with the
    number of texts finished (cache hits first, then after each batch).
    """
    unique = list(dict.fromkeys(texts))
    weight = Counter(texts)
    cached: list[str | None] = cache.get_many(src_lang, tgt_lang, unique) if cache else [None] * len(unique)
    final: list[str | None] = list(cached)
    for i, t in enumerate(unique):
        if final[i] is None and not t.strip():
            final[i] = ""  # NLLB invents text for an empty input
    if on_progress:
        n_ready = sum(weight[t] for t, f in zip(unique, final, strict=True) if f is not None)
        if n_ready:
            on_progress(n_ready)

    # Units: whole sentences, or the pieces of a sentence too long for the model.
    def count(xs: Sequence[str]) -> list[int]:
        return engine.count_tokens(xs, src_lang)

    limit = engine.max_source_tokens
    units: list[tuple[int, int]] = []  # (index in unique, piece number)
    unit_text: list[str] = []
    pieces_of: dict[int, list[str | None]] = {}
    nonblank = [i for i, t in enumerate(unique) if t.strip()]
    for i, n in zip(nonblank, count([unique[i] for i in nonblank]) if nonblank else [], strict=True):
        pieces = [unique[i]] if n <= limit else split_long(unique[i], src_lang, count, limit)
        pieces_of[i] = [None] * len(pieces)
        for k, piece in enumerate(pieces):
            units.append((i, k))
            unit_text.append(piece)
    lengths = count(unit_text) if unit_text else []

    # Pieces of long sentences are cached too, so that a resumed run skips
    # every batch that finished before, not only those of whole sentences.
    unit_cached = cache.get_many(src_lang, tgt_lang, unit_text, count=False) if cache else [None] * len(units)

    for batch in token_budget_batches(lengths, max_batch_tokens, max_batch):
        if all(unit_cached[j] is not None for j in batch):
            outs = [unit_cached[j] for j in batch]  # finished in an earlier run
        else:
            outs = engine.translate_batch([unit_text[j] for j in batch], src_lang, tgt_lang)
            if len(outs) != len(batch):
                raise RuntimeError(f"engine {engine.name} returned {len(outs)} translations for {len(batch)} sources")
        fresh = [(unit_text[j], out) for j, out in zip(batch, outs, strict=True) if unit_cached[j] is None]
        finished: list[int] = []
        for j, out in zip(batch, outs, strict=True):
            i, k = units[j]
            slots = pieces_of[i]
            slots[k] = out
            if final[i] is None and all(s is not None for s in slots):
                final[i] = slots[0] if len(slots) == 1 else join_pieces(slots, tgt_lang)  # type: ignore[arg-type]
                finished.append(i)
        if cache is not None:
            # One transaction: the batch's pieces and the sentences it finished.
            whole = [(unique[i], final[i]) for i in finished if len(pieces_of[i]) > 1]
            if fresh or whole:
                cache.put_many(src_lang, tgt_lang, fresh + whole)  # type: ignore[operator]
        if on_progress and finished:
            on_progress(sum(weight[unique[i]] for i in finished))

    by_text = dict(zip(unique, final, strict=True))
    missing = [t for t, f in by_text.items() if f is None]
    if missing:  # cannot happen unless an engine misbehaves: never return a silent gap
        raise RuntimeError(f"{len(missing)} texts were not translated, e.g. {missing[0][:80]!r}")
    return [by_text[t] for t in texts]  # type: ignore[misc]
