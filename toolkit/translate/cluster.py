"""The translate stage on a Ray cluster (``toolkit translate --cluster``).

The canonical Ray Data pattern: the driver reads and segments the folder
into work units (``toolkit.translate.plan``: one per chunk, source language
and target, the very groups the pipeline translates, so every engine batch
has the same members and padding as in a single-machine run, hence the same
bytes), ``map_batches`` runs them over an actor class that loads the engine
once per actor, and the driver then runs the ordinary pipeline over the
translations the workers made: reading, segmenting, checks, figures and
writing are the single-machine code.

Storage: SQLite is not a store many nodes may write, so each attempt at a
unit writes a shard of its own (``cache/shards/u<unit>-<host>-<pid>-<id>.sqlite``,
one writer per file, on the folder every node sees) and reads the run's main
cache opened ``immutable`` (nobody writes it while workers run: the driver
merges shards into it only before the workers start and after they finish).
A run killed part way leaves its shards; the next run merges them first, so
no batch a worker committed is translated again. A worker killed part way
leaves the shard of the unit it was on: the attempt Ray retries reads it
(its writer is dead), so it too redoes only the batch that was in flight.
A shared server (PostgreSQL, Redis) would also do, but would add a service
to every install for what a folder already gives.

Ray is imported only here, and this module only when ``--cluster`` is given.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.display import shown
from toolkit.errors import ToolkitError
from toolkit.records import Hypothesis
from toolkit.run import Provenance, RunPaths
from toolkit.translate import pipeline, plan
from toolkit.translate.cache import TranslationCache, cache_entry_key
from toolkit.translate.engine import Engine
from toolkit.translate.routing import EngineSpec  # noqa: F401  (the spec the workers load; re-exported)
from toolkit.translate.runner import translate_texts

log = logging.getLogger(__name__)

#: How often Ray restarts a dead worker and retries its batch.
RETRIES = 3


def default_replicas(device: str) -> int | None:
    """The replica count a single-machine CTranslate2 run on this machine has."""
    from toolkit.translate.ct2 import MAX_CPU_REPLICAS

    return None if device not in ("cpu", "auto") else min(os.cpu_count() or 1, MAX_CPU_REPLICAS)


@dataclass(frozen=True)
class ClusterOptions:
    """``--cluster``: "local" (an embedded Ray), "auto" (the running cluster)
    or HOST:PORT (that head); ``workers`` actors of ``cpus_per_worker`` CPUs
    (one engine thread each) and ``gpus_per_worker`` GPUs."""

    address: str = "local"
    workers: int = 1
    gpus_per_worker: float = 0.0
    cpus_per_worker: int = 1


@dataclass
class ClusterReport:
    """What the workers did, beside the run's own summary."""

    summary: pipeline.RunSummary
    units: int = 0
    fresh: int = 0  # cache entries the workers wrote in this run
    retranslated: int = 0  # of those, entries a run before had already committed (should be 0)
    address: str = ""


# -- the cache: one shard per worker, the main cache read-only -----------------


class ShardCache(TranslationCache):
    """The cache a worker gives the runner for one unit: its own shard (the
    only file it writes), falling back to the run's main cache opened
    immutable (no locks, which a network folder may not have) and to the
    shards earlier attempts at the unit left (their writers died: Ray
    retries a unit only on a new actor)."""

    def __init__(
        self,
        main: Path,
        shard: Path,
        engine_key: str,
        earlier: Sequence[Path] = (),
        direction_keys: dict[tuple[str, str], str] | None = None,
    ) -> None:
        super().__init__(shard, engine_key, direction_keys)
        self.readers = [sqlite3.connect(f"file:{main}?immutable=1", uri=True)] if main.exists() else []
        # Opened as ordinary files: a dead writer may have left committed pages
        # in its WAL, which an immutable reader would not see.
        self.readers += [db for db in map(_open_earlier, earlier) if db is not None]
        self.written = 0

    def get_scored(
        self, src_lang: str, tgt_lang: str, texts: Sequence[str], count: bool = True
    ) -> list[tuple[str, float | None, int] | None]:
        out = super().get_scored(src_lang, tgt_lang, texts, count=False)
        keys = [cache_entry_key(self.key_for(src_lang, tgt_lang), src_lang, tgt_lang, t) for t in texts]
        for db in self.readers:
            if all(o is not None for o in out):
                break
            found = _lookup(db, [k for k, o in zip(keys, out, strict=True) if o is None])
            out = [o if o is not None else found.get(k) for k, o in zip(keys, out, strict=True)]
        if count:
            hit = sum(o is not None for o in out)
            self.hits += hit
            self.misses += len(out) - hit
        return out

    def get_many(self, src_lang: str, tgt_lang: str, texts: Sequence[str], count: bool = True) -> list[str | None]:
        return [None if o is None else o[0] for o in self.get_scored(src_lang, tgt_lang, texts, count)]

    def put_many(self, src_lang: str, tgt_lang: str, pairs: Iterable[tuple]) -> None:
        pairs = list(pairs)
        super().put_many(src_lang, tgt_lang, pairs)
        self.written += len(pairs)

    def close(self) -> None:
        for db in self.readers:
            db.close()
        self.readers = []
        super().close()


def _has_table(db: sqlite3.Connection, schema: str = "main") -> bool:
    """Whether ``schema`` (an attached shard: "s") has the cache's table: a
    worker killed before its first commit leaves a shard without it."""
    sql = f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = 'translations'"
    return db.execute(sql).fetchone() is not None


def _open_earlier(path: Path) -> sqlite3.Connection | None:
    """An earlier attempt's shard to read, or None when it holds nothing to
    read: its writer was killed before creating the table, or the file is
    damaged (then said once; the unit's sentences are translated again)."""
    db = sqlite3.connect(str(path), timeout=30.0)
    try:
        if _has_table(db):
            return db
    except sqlite3.OperationalError:
        db.close()
        raise
    except sqlite3.DatabaseError as e:
        log.warning("an earlier attempt's cache shard %s cannot be read (%s); not used", path, e)
    db.close()
    return None


def _lookup(db: sqlite3.Connection, keys: list[str]) -> dict[str, tuple[str, float | None, int]]:
    found: dict[str, tuple[str, float | None, int]] = {}
    for i in range(0, len(keys), 500):  # SQLite limits the number of parameters
        part = list(dict.fromkeys(keys[i : i + 500]))
        marks = ",".join("?" * len(part))
        rows = db.execute(f"SELECT key, mt, score, tokens FROM translations WHERE key IN ({marks})", part)
        found.update((k, (mt, sc, tok or 0)) for k, mt, sc, tok in rows.fetchall())
    return found


def shards_dir(paths: RunPaths) -> Path:
    return paths.cache.parent / "shards"


def merge_shards(paths: RunPaths) -> tuple[int, int]:
    """Fold every worker shard into the main cache, then delete it; returns
    (entries added, entries the main cache already had). Idempotent: a
    driver killed while merging merges the rest next time.

    A shard without its table is an attempt killed before its first
    commit (Ray replaces a killed worker; its unit is retried elsewhere):
    it holds nothing and is deleted. A shard SQLite cannot read is renamed
    aside (``.damaged``) with a warning, as a damaged main cache is: what it
    held is translated again."""
    shards = sorted(shards_dir(paths).glob("*.sqlite")) if shards_dir(paths).is_dir() else []
    added = dup = 0
    if not shards:
        return 0, 0
    TranslationCache(paths.cache, "").close()  # the main file and its table exist
    db = sqlite3.connect(str(paths.cache), timeout=30.0)
    try:
        for shard in shards:
            try:
                n, d = _merge_one(db, shard)
            except sqlite3.OperationalError:
                raise  # locked or out of space: not the shard's fault, and nothing is lost by stopping
            except sqlite3.DatabaseError as e:
                log.warning("cache shard %s cannot be read (%s); moved aside, its units are translated again", shard, e)
                shard.replace(shard.with_name(shard.name + ".damaged"))
                continue
            added, dup = added + n, dup + d
            for suffix in ("", "-wal", "-shm"):
                Path(f"{shard}{suffix}").unlink(missing_ok=True)
    finally:
        db.close()  # the last connection: SQLite checkpoints the WAL into the file workers read
    return added, dup


def _merge_one(db: sqlite3.Connection, shard: Path) -> tuple[int, int]:
    """(entries added, entries already there) from one shard."""
    db.execute("ATTACH DATABASE ? AS s", (str(shard),))
    try:
        if not _has_table(db, "s"):
            return 0, 0
        with db:
            (n,) = db.execute("SELECT COUNT(*) FROM s.translations").fetchone()
            (d,) = db.execute(
                "SELECT COUNT(*) FROM s.translations WHERE key IN (SELECT key FROM main.translations)"
            ).fetchone()
            db.execute("INSERT OR IGNORE INTO main.translations SELECT * FROM s.translations")
        return n - d, d
    finally:
        db.execute("DETACH DATABASE s")


# -- the workers ----------------------------------------------------------------


class Translator:
    """The Ray Data actor: loads the engine once, then translates work units
    with ``translate_texts`` (the single-machine runner: cache, split, token
    budget batches, join)."""

    def __init__(self, spec: EngineSpec, run_dir: str, config: dict[str, Any], threads: int | None) -> None:
        self.engine = spec.load(threads)
        self.config = config
        self.paths = RunPaths(Path(run_dir))
        self.name = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def _cache(self, unit: int) -> ShardCache:
        """A shard for this attempt at the unit, reading those of earlier
        attempts. Opened here, not in ``__init__``: Ray Data calls the actor
        from another thread than the one that built it, and a SQLite
        connection stays in its thread."""
        folder = shards_dir(self.paths)
        earlier = sorted(folder.glob(f"u{unit:06d}-*.sqlite")) if folder.is_dir() else []
        shard = folder / f"u{unit:06d}-{self.name}.sqlite"
        keys = self.engine.provenance().direction_keys()  # a model per direction: each its own key
        return ShardCache(self.paths.cache, shard, self.engine.cache_key(), earlier, keys)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {"unit": [], "hits": [], "written": [], "failed": [], "provenance": [], "actor": []}
        for unit, src, tgt, texts in zip(batch["unit"], batch["src"], batch["tgt"], batch["texts"], strict=True):
            cache = self._cache(int(unit))
            try:
                failed = self._translate(cache, list(texts), str(src), str(tgt))
            finally:
                cache.close()
            out["unit"].append(int(unit))
            out["hits"].append(cache.hits)
            out["written"].append(cache.written)
            out["failed"].append(json.dumps(failed))
            # Asked after the unit: vmap_retries and the like count what happened.
            out["provenance"].append(json.dumps(self.engine.provenance().to_dict()))
            out["actor"].append(self.name)
        return out

    def _translate(self, cache: ShardCache, texts: list[str], src: str, tgt: str) -> list[list[str]]:
        """Translate the unit; where the engine fails on it, translate each
        sentence alone so that only the ones that break it are reported."""
        kw = {"cache": cache, **self.config}
        try:
            translate_texts(self.engine, texts, src, tgt, **kw)
            return []
        except (MemoryError, KeyboardInterrupt, SystemExit):
            raise
        except Exception:
            failed = []
            for t in texts:
                try:
                    translate_texts(self.engine, [t], src, tgt, **kw)
                except Exception as e:  # this sentence breaks the engine: reported, the rest goes on
                    failed.append([t, f"{type(e).__name__}: {e}"])
            return failed


# -- the driver -----------------------------------------------------------------


def _work_units(
    in_dir: Path, config: pipeline.TranslateConfig, run_dir: Path
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The work units in the order the pipeline translates them, and per unit
    the first record id of each text (to name a failed sentence)."""
    units: list[dict[str, Any]] = []
    ids: list[dict[str, str]] = []
    summary = pipeline.RunSummary()  # skips are counted again by the pipeline's own reading
    for chunk in plan.iter_chunks(in_dir, config, summary, run_dir):
        for u in plan.units(chunk, config.targets):
            units.append({"unit": len(units), "src": u.src, "tgt": u.tgt, "texts": u.texts})
            ids.append(u.ids)
    return units, ids


class ClusterError(ToolkitError, ConnectionError):
    """``--cluster`` cannot be used (no Ray, a malformed or closed address); the message says what to do."""


PROBE_TIMEOUT = 5.0  # seconds to wait for a Ray head's port to accept a connection


def check_address(address: str, timeout: float = PROBE_TIMEOUT) -> None:
    """Refuse an address that is not ``local``, ``auto`` or ``HOST:PORT``, and a ``HOST:PORT``
    where nothing listens: Ray itself retries such an address for a minute or more."""
    if address in ("local", "auto"):
        return
    host, sep, port = address.rpartition(":")
    host = host.strip("[]")  # an IPv6 address
    if not sep or not host or not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise ClusterError(
            f"--cluster {shown(address)}: write local, auto or HOST:PORT (the Ray head's address, port 6379 by default)"
        )
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            pass
    except OSError as e:
        why = "no answer" if isinstance(e, TimeoutError) else (e.strerror or str(e))
        raise ClusterError(
            f"--cluster {shown(address)}: no Ray head there ({why}); start one with `ray start --head --port {port}` "
            "on that machine, or check the address"
        ) from None


def connect(options: ClusterOptions) -> str:
    """Start or join Ray; returns the address as run.json records it."""
    import ray

    if options.address == "local":
        need = options.workers * options.cpus_per_worker + 1  # +1: the driver and Ray Data's own tasks
        ctx = ray.init(num_cpus=max(os.cpu_count() or 1, need), include_dashboard=False, log_to_driver=False)
        return "local"
    ctx = ray.init(address=options.address, include_dashboard=False, log_to_driver=False)
    return str(ctx.address_info.get("gcs_address") or options.address)


def _run_units(
    units: list[dict[str, Any]],
    spec: EngineSpec,
    config: pipeline.TranslateConfig,
    options: ClusterOptions,
    paths: RunPaths,
    on_unit: Callable[[int], None],
) -> list[dict[str, Any]]:
    import ray

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    batching = {"max_batch_tokens": config.max_batch_tokens, "max_batch": config.max_batch}
    # On a GPU the engine takes the device; on CPUs one engine thread per CPU given.
    threads = None if options.gpus_per_worker else options.cpus_per_worker
    ds = ray.data.from_items(units, override_num_blocks=max(1, len(units))).map_batches(
        Translator,
        fn_constructor_args=(spec, str(paths.root.resolve()), batching, threads),
        batch_size=1,
        concurrency=options.workers,
        num_cpus=options.cpus_per_worker,
        num_gpus=options.gpus_per_worker or None,
        batch_format="numpy",
        max_restarts=RETRIES,  # a dead worker is replaced ...
        max_task_retries=RETRIES,  # ... and the batch it held is run again
    )
    rows: list[dict[str, Any]] = []
    for row in ds.iter_rows():
        rows.append(row)
        on_unit(len(units[int(row["unit"])]["texts"]))
    return sorted(rows, key=lambda r: int(r["unit"]))


class WorkerEngine:
    """The engine as the driver knows it: the workers' provenance (and so
    their cache key). The pipeline's second look (repair, round trip) needs a
    model on the driver: it is loaded there on first use only."""

    def __init__(self, provenance: Provenance, spec: EngineSpec) -> None:
        self._provenance = provenance
        self._spec = spec
        self._local: Engine | None = None

    def provenance(self) -> Provenance:
        return self._provenance

    def cache_key(self) -> str:
        return self._provenance.cache_key()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._local is None:
            self._local = self._spec.load(None)
        return getattr(self._local, name)


def _failures(rows: list[dict[str, Any]], units: list[dict[str, Any]], ids: list[dict[str, str]]) -> list[str]:
    lines = []
    for r in rows:
        for text, error in json.loads(r["failed"]):
            u = units[int(r["unit"])]
            lines.append(f"record {ids[int(r['unit'])][text]} ({u['src']} -> {u['tgt']}): the engine failed: {error}")
    return lines


def _provenance(rows: list[dict[str, Any]]) -> Provenance:
    """The workers' provenance, with the vocabulary-map retries of all of
    them (each row carries its actor's count so far)."""
    retries: dict[str, int] = {}
    for r in rows:
        n = (json.loads(r["provenance"]).get("runtime") or {}).get("vmap_retries")
        if n is not None:
            retries[str(r["actor"])] = max(retries.get(str(r["actor"]), 0), int(n))
    prov = Provenance.from_dict(json.loads(rows[0]["provenance"]))
    if retries:
        prov.runtime["vmap_retries"] = sum(retries.values())
    return prov


def _from_cache(hits: list[int]) -> pipeline.TextTranslator:
    """The pipeline's translate step over what the workers cached; unit by
    unit in the same order, so the hit counts land where a single-machine
    run counts them."""
    calls = iter(hits)

    def translate(unique, src, tgt, cache, on_progress):
        found = cache.get_scored(src, tgt, unique, count=False)
        missing = [t for t, f in zip(unique, found, strict=True) if f is None and t.strip()]
        if missing:
            raise pipeline.RunError(
                f"{len(missing)} sentences were not translated by the workers, e.g. {missing[0][:60]!r}: "
                "did the input folder change during the run? Run again (finished translations are kept)"
            )
        cache.hits += next(calls, 0)
        on_progress(len(unique))
        return [Hypothesis(*f) if f is not None else Hypothesis("") for f in found]

    return translate


def translate_on_cluster(
    in_dir: Path,
    run_dir: Path,
    spec: EngineSpec,
    config: pipeline.TranslateConfig,
    options: ClusterOptions,
    progress: Callable[[int, int], None] | None = None,
) -> ClusterReport:
    """``translate_folder`` with the translating done by Ray workers: the same
    run folder, byte for byte, plus a ``cluster`` entry in run.json."""
    started = time.time()
    plan.normalise_languages(config)
    in_dir, run_dir = Path(in_dir), Path(run_dir)
    plan.check_run(in_dir, run_dir, config.follow_symlinks)  # before Ray starts
    check_address(options.address)  # a wrong or closed address fails in seconds, not after Ray's minute of retries
    paths = RunPaths(run_dir)
    merge_shards(paths)  # what the workers of a killed run committed
    units, ids = _work_units(in_dir, config, run_dir)
    total = sum(len(u["texts"]) for u in units)
    done = [0]

    def on_unit(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], total)

    try:
        import ray
    except ImportError:
        raise ClusterError("--cluster needs Ray: install it with `pip install -e '.[cluster]'`") from None

    address = connect(options)
    try:
        rows = _run_units(units, spec, config, options, paths, on_unit) if units else []
        version = ray.__version__
    finally:
        ray.shutdown()
    added, dup = merge_shards(paths)
    failed = _failures(rows, units, ids)
    if failed:
        raise pipeline.RunError(
            f"{len(failed)} sentences broke the engine; every other translation is kept in the cache: "
            + "; ".join(failed[:5])
        )
    prov = _provenance(rows) if rows else spec.load(None).provenance()
    cluster = {"engine": "ray", "ray_version": version, "workers": options.workers, "address": address}
    summary = pipeline.translate_folder(
        in_dir,
        run_dir,
        WorkerEngine(prov, spec),  # type: ignore[arg-type]
        config,
        progress=None,
        translate=_from_cache([int(r["hits"]) for r in rows]),
        extra={"cluster": cluster},
        started=started,
    )
    return ClusterReport(summary, len(units), added + dup, dup, address)
