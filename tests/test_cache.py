"""The translation cache: keys, counters, and survival of kill -9 and a full disk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.translate.cache import TranslationCache, cache_entry_key

REPO = Path(__file__).resolve().parents[1]


def test_get_put_and_counters(tmp_path):
    with TranslationCache(tmp_path / "c.sqlite", "engineA") as c:
        assert c.get("ind_Latn", "eng_Latn", "Halo") is None
        c.put("ind_Latn", "eng_Latn", "Halo", "Hello")
        c.put_many("ind_Latn", "vie_Latn", [("Halo", "Xin chào"), ("Dua", "Hai")])
        assert c.get("ind_Latn", "eng_Latn", "Halo") == "Hello"
        assert c.get_many("ind_Latn", "vie_Latn", ["Dua", "Tiga", "Halo"]) == ["Hai", None, "Xin chào"]
        assert c.get("por_Latn", "eng_Latn", "Halo") is None  # the source language is part of the key
        assert (c.hits, c.misses) == (3, 3)
        assert len(c) == 3
        c.put_many("ind_Latn", "eng_Latn", [])  # nothing to do
    # Persistent, and per engine: another model or other settings never see these.
    with TranslationCache(tmp_path / "c.sqlite", "engineA") as c:
        assert c.get("ind_Latn", "eng_Latn", "Halo") == "Hello"
    with TranslationCache(tmp_path / "c.sqlite", "engineB") as c:
        assert c.get("ind_Latn", "eng_Latn", "Halo") is None and len(c) == 0


def test_key_separates_fields():
    assert cache_entry_key("e", "a", "b", "cd") != cache_entry_key("e", "a", "bc", "d")
    assert cache_entry_key("e", "a", "b", "x") == cache_entry_key("e", "a", "b", "x")


def test_many_keys_in_one_lookup(tmp_path):
    texts = [f"kalimat {i}" for i in range(1234)]
    with TranslationCache(tmp_path / "c.sqlite", "e") as c:
        c.put_many("ind_Latn", "eng_Latn", [(t, t.upper()) for t in texts])
        assert c.get_many("ind_Latn", "eng_Latn", texts) == [t.upper() for t in texts]


# A file that is not a database used to be an error here; since issue 16 it is set aside (below).


_WRITER = """
import sys
from toolkit.translate.cache import TranslationCache
c = TranslationCache(sys.argv[1], "engine")
for b in range(10_000):
    c.put_many("ind_Latn", "eng_Latn", [(f"s{b}-{i}", f"t{b}-{i}" * 20) for i in range(50)])
    print(b, flush=True)
"""


def test_survives_kill_9_at_any_point(tmp_path):
    path = tmp_path / "c.sqlite"
    for round_ in range(3):
        p = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True, cwd=REPO)
        committed = -1
        target = 20 + 7 * round_
        assert p.stdout is not None
        while committed < target:
            line = p.stdout.readline()
            assert line, "the writer died"
            committed = int(line)
        time.sleep(0.01 * round_)  # kill it somewhere inside a later batch
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        p.stdout.close()
        with TranslationCache(path, "engine") as c:
            # Every batch reported as committed is complete ...
            srcs = [f"s{b}-{i}" for b in range(committed + 1) for i in range(50)]
            got = c.get_many("ind_Latn", "eng_Latn", srcs)
            assert all(g == ("t" + s[1:]) * 20 for s, g in zip(srcs, got, strict=True))
            # ... and no entry is half there: whole batches only, each one right.
            rows = c._db.execute("SELECT src, mt FROM translations").fetchall()
            assert len(rows) % 50 == 0 and all(mt == ("t" + src[1:]) * 20 for src, mt in rows)


_FULL_DISK = """
import resource, signal, sys
from toolkit.translate.cache import CacheWriteError, TranslationCache
c = TranslationCache(sys.argv[1], "engine")
c.put_many("ind_Latn", "eng_Latn", [(f"first{i}", "ok") for i in range(10)])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like ENOSPC
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
done = 0
try:
    for b in range(10_000):
        c.put_many("ind_Latn", "eng_Latn", [(f"s{b}-{i}", "x" * 500) for i in range(20)])
        done = b + 1
except CacheWriteError as e:
    print(done)
    print(e)
    sys.exit(0)
sys.exit("the limit was never hit")
"""


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
def test_full_disk_raises_clearly_and_stays_readable(tmp_path):
    path = tmp_path / "c.sqlite"
    r = subprocess.run([sys.executable, "-c", _FULL_DISK, str(path)], capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 0, r.stderr
    done_line, message = r.stdout.splitlines()[:2]
    assert str(path) in message and "free disk space" in message
    with TranslationCache(path, "engine") as c:
        assert c.get("ind_Latn", "eng_Latn", "first3") == "ok"
        srcs = [f"s{b}-{i}" for b in range(int(done_line)) for i in range(20)]
        assert all(v == "x" * 500 for v in c.get_many("ind_Latn", "eng_Latn", srcs))
        assert len(c) == 10 + 20 * int(done_line)  # the failed batch left nothing behind
        c.put("ind_Latn", "eng_Latn", "after", "works")  # and the file is writable again
        assert c.get("ind_Latn", "eng_Latn", "after") == "works"


# -- issue 16: a damaged or unwritable cache is never the end of a run --------------------------------------


def _damaged_cache(path: Path) -> None:
    """A real cache file with pages overwritten by garbage (the header page kept, so SQLite opens it)."""
    with TranslationCache(path, "engineA") as c:
        c.put_many("ind_Latn", "eng_Latn", [(f"kalimat nomor {i} " * 20, f"sentence {i} " * 20) for i in range(400)])
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page_size,) = db.execute("PRAGMA page_size").fetchone()
    data = bytearray(path.read_bytes())
    assert len(data) > 8 * page_size
    for page in range(2, len(data) // page_size, 2):
        data[page * page_size : (page + 1) * page_size] = bytes((page * 37 + k) % 251 for k in range(page_size))
    path.write_bytes(bytes(data))


def test_damaged_cache_is_set_aside_and_the_run_goes_on(tmp_path, caplog):
    path = tmp_path / "cache" / "translations.sqlite"
    _damaged_cache(path)
    with TranslationCache(path, "engineA") as c:
        assert c.set_aside is not None and c.set_aside.exists()
        assert c.get("ind_Latn", "eng_Latn", "Halo") is None
        c.put("ind_Latn", "eng_Latn", "Halo", "Hello")
    assert str(c.set_aside) in caplog.text and "damaged" in caplog.text
    with TranslationCache(path, "engineA") as c:  # the fresh file is healthy and kept
        assert c.set_aside is None and c.get("ind_Latn", "eng_Latn", "Halo") == "Hello"


def test_file_that_is_not_sqlite_is_set_aside(tmp_path):
    path = tmp_path / "translations.sqlite"
    path.write_bytes(b"this is not a database at all " * 200)
    with TranslationCache(path, "e") as c:
        assert c.set_aside is not None and c.set_aside.read_bytes().startswith(b"this is not")
        c.put("a", "b", "x", "y")
        assert c.get("a", "b", "x") == "y"


def test_unwritable_cache_location_runs_in_memory(tmp_path, caplog):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")  # refused even for root
    with TranslationCache(blocker / "translations.sqlite", "e") as c:
        assert not c.persistent
        c.put("a", "b", "x", "y")
        assert c.get("a", "b", "x") == "y"
    assert "running with a cache in memory" in caplog.text
