"""Token-budget batching: invariants over random and edge-case length lists."""

from __future__ import annotations

import random

import pytest

from toolkit.translate.batching import token_budget_batches


def _check(lengths: list[int], max_tokens: int, max_batch: int | None = None) -> list[list[int]]:
    batches = token_budget_batches(lengths, max_tokens, max_batch)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))  # every index exactly once
    assert all(b for b in batches)  # no empty batch
    # sorted by length across and within batches, stable for equal lengths
    assert [lengths[i] for i in flat] == sorted(lengths)
    assert flat == sorted(range(len(lengths)), key=lambda i: lengths[i])
    for b in batches:
        longest = max(max(1, lengths[i]) for i in b)
        assert len(b) == 1 or len(b) * longest <= max_tokens  # padding-aware budget
        if max_batch is not None:
            assert len(b) <= max_batch
    return batches


def test_doc_example():
    assert token_budget_batches([5, 1, 3, 1], max_tokens=6) == [[1, 3], [2], [0]]


@pytest.mark.parametrize("seed", range(20))
def test_random_invariants(seed):
    rng = random.Random(seed)
    lengths = [rng.randint(0, 300) for _ in range(rng.randint(0, 400))]
    _check(lengths, rng.choice([1, 50, 256, 1000, 4096]), rng.choice([None, 1, 3, 64]))


def test_batches_are_full():
    """Greedy: a batch is only cut when the next sentence would break the budget."""
    lengths = [10] * 100
    batches = _check(lengths, max_tokens=95)
    assert [len(b) for b in batches] == [9] * 11 + [1]


def test_over_budget_sentence_gets_its_own_batch():
    batches = _check([3, 5000, 4, 2], max_tokens=100)
    assert batches[-1] == [1]


def test_max_batch_caps_count():
    assert [len(b) for b in _check([1] * 10, max_tokens=10_000, max_batch=4)] == [4, 4, 2]


def test_padding_dominates():
    """One long sentence among short ones does not pull the short ones into its batch."""
    batches = _check([10, 10, 10, 10, 200], max_tokens=400)
    assert batches == [[0, 1, 2, 3], [4]]


def test_empty_and_bad_arguments():
    assert token_budget_batches([], 100) == []
    with pytest.raises(ValueError):
        token_budget_batches([1], 0)
    with pytest.raises(ValueError):
        token_budget_batches([1], 10, max_batch=0)
