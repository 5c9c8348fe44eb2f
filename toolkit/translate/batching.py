"""Batches by a token budget over length-sorted sentences.

A batch is padded to its longest sentence, so a fixed count of sentences
either wastes most of its compute on padding (one long sentence among short
ones) or runs out of memory (many long ones). Sorting by length and filling
each batch up to ``max_tokens`` padded tokens keeps the padding small and the
memory bounded, whatever the mix of lengths.
"""

from __future__ import annotations

from collections.abc import Sequence


def token_budget_batches(lengths: Sequence[int], max_tokens: int, max_batch: int | None = None) -> list[list[int]]:
    """Group the indices of ``lengths`` into batches of at most ``max_tokens`` padded tokens.

    Indices are sorted by length (stable, so equal lengths keep their input
    order) and cut so that ``len(batch) * max(lengths in batch) <= max_tokens``
    and, if given, ``len(batch) <= max_batch``. A sentence longer than the
    budget still gets a batch of its own: no index is ever dropped.

    >>> token_budget_batches([5, 1, 3, 1], max_tokens=6)
    [[1, 3], [2], [0]]
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, not {max_tokens}")
    if max_batch is not None and max_batch < 1:
        raise ValueError(f"max_batch must be at least 1, not {max_batch}")
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        # Sorted ascending, so the newcomer is the batch's longest.
        longest = max(1, lengths[i])
        full = max_batch is not None and len(current) >= max_batch
        if current and (full or (len(current) + 1) * longest > max_tokens):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches
