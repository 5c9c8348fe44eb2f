"""Word clusters learnt at ``train`` time from the user's own text, no weights from a hub.

A CRF sees a word it met in the labels; a word it never met is only its
shape and affixes. Clusters carry what the unlabelled text says about a
word: words used in the same contexts ("di ___ ,", "kata ___ ,") fall in the
same cluster, so a district or a surname seen only in unlabelled text shares
a feature with the labelled ones (Brown clusters, Turian et al. 2010, are
the textbook form; this is their cheap distributional cousin).

How: each word (lower case, seen at least ``min_count`` times) is described
by the counts of the frequent words one and two positions to its left and
right; the counts become positive pointwise mutual information, a truncated
SVD (scipy) makes ``dims``-dimensional vectors, and k-means (numpy, seeded)
cuts them at several sizes (coarse to fine, like Brown-cluster prefixes).
A word's features are its cluster id at each size. Everything is
deterministic for a given text and seed; the table is saved with the model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

SIZES = (16, 64, 256)


class WordClusters:
    """Lower-cased word -> one cluster id per size."""

    def __init__(self, table: dict[str, list[int]] | None = None, sizes: Sequence[int] = SIZES) -> None:
        self.table = dict(table or {})
        self.sizes = tuple(sizes)

    def __len__(self) -> int:
        return len(self.table)

    def features(self, word: str, prefix: str = "") -> list[str]:
        ids = self.table.get(word.lower())
        if ids is None:
            return []
        return [f"{prefix}cl{size}={c}" for size, c in zip(self.sizes, ids, strict=True)]

    def to_json(self) -> dict:
        return {"sizes": list(self.sizes), "table": self.table}

    @classmethod
    def from_json(cls, data: dict) -> WordClusters:
        return cls({k: list(v) for k, v in data.get("table", {}).items()}, data.get("sizes", SIZES))

    @classmethod
    def learn(
        cls,
        sentences: Iterable[Sequence[str]],
        *,
        sizes: Sequence[int] = SIZES,
        dims: int = 48,
        min_count: int = 2,
        context_words: int = 1500,
        max_words: int = 40_000,
        seed: int = 0,
    ) -> WordClusters:
        """Clusters of the words of ``sentences`` (each a list of tokens); empty when too little text."""
        sents = [[w.lower() for w in s] for s in sentences]
        freq = Counter(w for s in sents for w in s)
        words = [w for w, c in freq.most_common(max_words) if c >= min_count]
        if len(words) < 8:
            return cls({}, sizes)
        # a small vocabulary gets fewer clusters (at least two words each on average)
        sizes = tuple(dict.fromkeys(min(size, len(words) // 2) for size in sizes))
        index = {w: i for i, w in enumerate(words)}
        ctx = {w: i for i, w in enumerate(w for w, _ in freq.most_common(context_words))}
        n_ctx = len(ctx)
        offsets = (-2, -1, 1, 2)
        rows, cols = [], []
        for s in sents:
            for i, w in enumerate(s):
                r = index.get(w)
                if r is None:
                    continue
                for k, d in enumerate(offsets):
                    j = i + d
                    c = ctx.get(s[j]) if 0 <= j < len(s) else n_ctx  # n_ctx: the sentence edge
                    if c is not None:
                        rows.append(r)
                        cols.append(k * (n_ctx + 1) + c)
        from scipy.sparse import coo_matrix
        from scipy.sparse.linalg import svds

        m = coo_matrix(
            (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(words), len(offsets) * (n_ctx + 1))
        ).tocsr()
        m.sum_duplicates()
        # positive PMI: log p(w, c) / (p(w) p(c)), negatives clipped to 0
        total = m.sum()
        row = np.asarray(m.sum(axis=1)).ravel()
        col = np.asarray(m.sum(axis=0)).ravel()
        m = m.tocoo()
        pmi = np.log(m.data * total / (row[m.row] * col[m.col] + 1e-12))
        keep = pmi > 0
        m = coo_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape).tocsr()
        k = max(2, min(dims, min(m.shape) - 1))
        u, sv, _ = svds(m, k=k, random_state=seed)
        vec = u * np.sqrt(sv)
        vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
        rng = np.random.default_rng(seed)
        assign = np.stack([kmeans(vec, size, rng) for size in sizes], axis=1)
        return cls({w: [int(c) for c in assign[i]] for i, w in enumerate(words)}, sizes)


def kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iterations: int = 25) -> np.ndarray:
    """Cluster ids of the rows of ``x`` (unit vectors) by spherical k-means, k-means++ seeded."""
    n = len(x)
    k = min(k, n)
    centres = np.empty((k, x.shape[1]))
    centres[0] = x[rng.integers(n)]
    dist = 1.0 - x @ centres[0]
    for j in range(1, k):
        p = np.clip(dist, 0, None) ** 2
        total = p.sum()
        i = rng.choice(n, p=p / total) if total > 0 else rng.integers(n)
        centres[j] = x[i]
        dist = np.minimum(dist, 1.0 - x @ centres[j])
    assign = np.zeros(n, dtype=np.int64)
    for _ in range(iterations):
        new = np.argmax(x @ centres.T, axis=1)
        if _ and np.array_equal(new, assign):
            break
        assign = new
        for j in range(k):
            members = x[assign == j]
            if len(members):
                c = members.sum(axis=0)
                centres[j] = c / (np.linalg.norm(c) + 1e-9)
    return assign
