"""The translation cache: what was translated once is never translated again.

Keyed by ``sha256(engine_key, src_lang, tgt_lang, text)``, where the engine
key (``Engine.cache_key()``) changes with the model, its revision and the
decoding settings, so a cached translation is only reused where the same
engine would give the same output. In a run with a model per direction,
each direction's entries are keyed by its own model's key
(``direction_keys``), so changing one direction's model keeps the others'. A run that was killed and started again
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

import errno
import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from toolkit.errors import ToolkitError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    engine_key TEXT NOT NULL,
    src_lang TEXT NOT NULL,
    tgt_lang TEXT NOT NULL,
    src TEXT NOT NULL,
    mt TEXT NOT NULL,
    score REAL,
    tokens INTEGER
)
"""

# Columns added after the first format: (name, SQL type). NULL in entries an
# older toolkit wrote; such a translation is read back with no score.
_ADDED_COLUMNS = (("score", "REAL"), ("tokens", "INTEGER"))


log = logging.getLogger(__name__)

# SQLite's primary result codes (https://sqlite.org/rescode.html) that say the
# file is damaged, and those that say it may not be written here.
_DAMAGED = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB
_NOT_WRITABLE = frozenset({3, 8, 14})  # SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})  # the run's problem, not the location's


class CacheWriteError(ToolkitError, OSError):
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

    def __init__(
        self, path: str | Path, engine_key: str, direction_keys: Mapping[tuple[str, str], str] | None = None
    ) -> None:
        self.path = Path(path)
        self.engine_key = engine_key
        #: (src_lang, tgt_lang) -> the key of the model that translates it, where not ``engine_key``.
        self.direction_keys = dict(direction_keys or {})
        self.hits = 0
        self.misses = 0
        self.set_aside: Path | None = None  # where a damaged cache file was moved
        self.persistent = True  # False: an unwritable location, translations kept in memory only
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._open(self.path)
        except (OSError, sqlite3.DatabaseError) as e:
            code = getattr(e, "sqlite_errorcode", 0) & 0xFF
            if isinstance(e, sqlite3.DatabaseError) and code in _DAMAGED:
                self._db = self._set_aside_and_reopen(e)
            elif (isinstance(e, OSError) and e.errno not in _NO_SPACE) or code in _NOT_WRITABLE:
                self._db = self._in_memory(e)
            elif isinstance(e, sqlite3.DatabaseError):
                raise CacheWriteError(
                    f"cannot open the translation cache {self.path}: {e}; free disk space and run again "
                    "(finished translations are kept)"
                ) from e
            else:
                raise

    @staticmethod
    def _open(path: Path | str) -> sqlite3.Connection:
        """Connect, set up, and read the whole file once: a damaged page shows now, not mid-run."""
        db = sqlite3.connect(str(path), timeout=30.0)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL: a commit survives the process being killed (the WAL is in
            # the OS's cache); only a power cut may lose the last commits.
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA)
            have = {row[1] for row in db.execute("PRAGMA table_info(translations)")}
            for name, kind in _ADDED_COLUMNS:  # an older cache stays readable: migrate it in place
                if name not in have:
                    db.execute(f"ALTER TABLE translations ADD COLUMN {name} {kind}")
            db.commit()
            (result,) = db.execute("PRAGMA quick_check(1)").fetchone()
            if result != "ok":
                e = sqlite3.DatabaseError(f"database disk image is malformed ({result})")
                e.sqlite_errorcode = 11  # type: ignore[attr-defined]
                raise e
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside_and_reopen(self, e: sqlite3.DatabaseError) -> sqlite3.Connection:
        """Move a damaged cache file (and its WAL) aside and start an empty one: it holds nothing that
        cannot be translated again."""
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(f"{self.path}{suffix}")
            if src.exists():
                os.replace(src, f"{aside}{suffix}")
        self.set_aside = aside
        log.warning(
            "the translation cache %s was damaged (%s): moved to %s; its translations will be redone",
            self.path,
            e,
            aside,
        )
        return self._open(self.path)

    def _in_memory(self, e: Exception) -> sqlite3.Connection:
        """A cache in memory for this run only, when its location cannot be written."""
        self.persistent = False
        log.warning(
            "cannot write the translation cache %s (%s): running with a cache in memory; a killed run will "
            "translate again what it had finished — make the folder writable to keep them",
            self.path,
            getattr(e, "strerror", None) or e,
        )
        return self._open(":memory:")

    # -- reading ---------------------------------------------------------------

    def get(self, src_lang: str, tgt_lang: str, text: str) -> str | None:
        return self.get_many(src_lang, tgt_lang, [text])[0]

    def get_many(self, src_lang: str, tgt_lang: str, texts: Sequence[str], count: bool = True) -> list[str | None]:
        """Translations of ``texts`` (None where not cached), counting hits and
        misses unless ``count`` is False (the runner's look-ups of pieces)."""
        return [None if c is None else c[0] for c in self.get_scored(src_lang, tgt_lang, texts, count=count)]

    def get_scored(
        self, src_lang: str, tgt_lang: str, texts: Sequence[str], count: bool = True
    ) -> list[tuple[str, float | None, int] | None]:
        """Like ``get_many``, each found entry as (translation, score, tokens);
        the score is None for entries written without one."""
        engine_key = self.key_for(src_lang, tgt_lang)
        keys = [cache_entry_key(engine_key, src_lang, tgt_lang, t) for t in texts]
        found: dict[str, tuple[str, float | None, int]] = {}
        for i in range(0, len(keys), 500):  # SQLite limits the number of parameters
            chunk = list(dict.fromkeys(keys[i : i + 500]))
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, mt, score, tokens FROM translations WHERE key IN ({marks})", chunk)
            found.update((k, (mt, sc, tok or 0)) for k, mt, sc, tok in rows.fetchall())
        out = [found.get(k) for k in keys]
        if count:
            hit = sum(o is not None for o in out)
            self.hits += hit
            self.misses += len(out) - hit
        return out

    def key_for(self, src_lang: str, tgt_lang: str) -> str:
        """The engine key of a direction's entries."""
        return self.direction_keys.get((src_lang, tgt_lang), self.engine_key)

    def __len__(self) -> int:
        keys = sorted({self.engine_key, *self.direction_keys.values()})
        marks = ",".join("?" * len(keys))
        (n,) = self._db.execute(f"SELECT COUNT(*) FROM translations WHERE engine_key IN ({marks})", keys).fetchone()
        return int(n)

    # -- writing ---------------------------------------------------------------

    def put(self, src_lang: str, tgt_lang: str, text: str, translation: str) -> None:
        self.put_many(src_lang, tgt_lang, [(text, translation)])

    def put_many(self, src_lang: str, tgt_lang: str, pairs: Iterable[tuple]) -> None:
        """Store (source, translation) pairs, or (source, translation, score,
        tokens), in one transaction: all or none."""
        engine_key = self.key_for(src_lang, tgt_lang)
        rows = [
            (cache_entry_key(engine_key, src_lang, tgt_lang, p[0]), engine_key, src_lang, tgt_lang, *p)
            + (None, None)[: 4 - len(p)]
            for p in pairs
        ]
        if not rows:
            return
        try:
            with self._db:  # commits, or rolls back on error
                self._db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
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
