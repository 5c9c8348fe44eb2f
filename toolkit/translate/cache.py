"""The translation cache: what was translated once is never translated again.

Keyed by ``sha256(engine_key, src_lang, tgt_lang, text)``, where the engine
key (``Engine.cache_key()``) changes with the model, its revision and the
decoding settings, so a cached translation is only reused where the same
engine would give the same output. A run that was killed and started again
finds its finished sentences here and only translates the rest.

Storage is one SQLite file in WAL mode, chosen over an append-only JSONL
file because a committed transaction survives ``kill -9`` at any point
(a half-written batch is rolled back on the next open, never read back
half), other processes may read while one writes, and a full disk makes
the write fail cleanly while the file stays readable. The source text is
stored beside its translation so that the file can be inspected with
``sqlite3``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    engine_key TEXT NOT NULL,
    src_lang TEXT NOT NULL,
    tgt_lang TEXT NOT NULL,
    src TEXT NOT NULL,
    mt TEXT NOT NULL
)
"""


class CacheWriteError(OSError):
    """The cache could not be written (disk full, read-only, ...).

    The entries committed before stay readable; the message names the file
    and what to do.
    """


def cache_entry_key(engine_key: str, src_lang: str, tgt_lang: str, text: str) -> str:
    h = hashlib.sha256()
    for part in (engine_key, src_lang, tgt_lang, text):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")  # separator: ("ab", "c") and ("a", "bc") differ
    return h.hexdigest()


class TranslationCache:
    """A persistent map (src_lang, tgt_lang, text) -> translation for one engine.

    >>> cache = TranslationCache(path, engine.cache_key())  # doctest: +SKIP
    >>> cache.get("ind_Latn", "eng_Latn", "Halo")  # None until put   # doctest: +SKIP
    """

    def __init__(self, path: str | Path, engine_key: str) -> None:
        self.path = Path(path)
        self.engine_key = engine_key
        self.hits = 0
        self.misses = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(str(self.path), timeout=30.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL: a commit survives the process being killed (the WAL is in
            # the OS's cache); only a power cut may lose the last commits.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
            self._db.commit()
        except sqlite3.DatabaseError as e:
            raise CacheWriteError(
                f"cannot open the translation cache {self.path}: {e}; if the disk is full, free space and run "
                "again (finished translations are kept); if the file is damaged, delete it (they are redone)"
            ) from e

    # -- reading ---------------------------------------------------------------

    def get(self, src_lang: str, tgt_lang: str, text: str) -> str | None:
        return self.get_many(src_lang, tgt_lang, [text])[0]

    def get_many(self, src_lang: str, tgt_lang: str, texts: Sequence[str], count: bool = True) -> list[str | None]:
        """Translations of ``texts`` (None where not cached), counting hits and
        misses unless ``count`` is False (the runner's look-ups of pieces)."""
        keys = [cache_entry_key(self.engine_key, src_lang, tgt_lang, t) for t in texts]
        found: dict[str, str] = {}
        for i in range(0, len(keys), 500):  # SQLite limits the number of parameters
            chunk = list(dict.fromkeys(keys[i : i + 500]))
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, mt FROM translations WHERE key IN ({marks})", chunk)
            found.update(rows.fetchall())
        out = [found.get(k) for k in keys]
        if count:
            hit = sum(o is not None for o in out)
            self.hits += hit
            self.misses += len(out) - hit
        return out

    def __len__(self) -> int:
        (n,) = self._db.execute("SELECT COUNT(*) FROM translations WHERE engine_key = ?", (self.engine_key,)).fetchone()
        return int(n)

    # -- writing ---------------------------------------------------------------

    def put(self, src_lang: str, tgt_lang: str, text: str, translation: str) -> None:
        self.put_many(src_lang, tgt_lang, [(text, translation)])

    def put_many(self, src_lang: str, tgt_lang: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Store (source, translation) pairs in one transaction: all or none."""
        rows = [
            (cache_entry_key(self.engine_key, src_lang, tgt_lang, src), self.engine_key, src_lang, tgt_lang, src, mt)
            for src, mt in pairs
        ]
        if not rows:
            return
        try:
            with self._db:  # commits, or rolls back on error
                self._db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as e:
            raise CacheWriteError(
                f"cannot write to the translation cache {self.path}: {e}; free disk space (or make it writable) "
                "and run again: finished translations are kept"
            ) from e

    # -- life ------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"TranslationCache({str(self.path)!r}, hits={self.hits}, misses={self.misses})"
