"""What the backend learns with: the served model, the pull of annotated tasks, the retrain.

One worker thread does everything that is slow, never an HTTP request:

1. **pull**: each webhook event (on disk in ``pending/``, see
   ``toolkit.backend.home``) names tasks; they are exported from Label Studio
   (only those ids) and checked by the path of ``toolkit pull``
   (``scan_export`` + ``check_tasks``: spans on their text, UTF-16 offsets
   converted, malformed tasks left out with one line). A task with an
   annotation goes to ``trainset/``, one left without any (deleted, or bad)
   leaves it. When Label Studio cannot be reached the event stays on disk and
   is tried again with a growing pause; ``/health`` says so.
2. **debounce**: a retrain starts once the training set has been quiet for
   ``debounce`` seconds, or ``max_wait`` after its first change, whichever
   comes first (an annotator saving every few seconds still gets a model).
3. **retrain** in a child process (``toolkit.backend.retrain``) into a
   partial folder; the old model serves meanwhile. A finished folder is
   renamed into ``models/vNNNN``, loaded (``load_extractor`` tries it on a
   sentence), named in ``served.json`` and only then swapped in: one
   reference assignment, so a request sees the old model or the new one,
   never a mix. A failed retrain keeps the old model and says why in the log
   and on ``/health``; the same training set is not retried until it
   changes or ``START_TRAINING`` asks.
4. **refresh** (with Label Studio credentials): after a swap, Label Studio is
   asked to retrieve predictions for the projects' tasks (the data manager's
   action), so tasks already holding an older version's prediction get the
   new one.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.backend.home import Home, TaskRef, read_provenance
from toolkit.extractor.base import Extractor, ExtractorError, load_extractor
from toolkit.studio.client import StudioClient, StudioError
from toolkit.studio.pull import CheckTally, check_tasks, scan_export
from toolkit.studio.tasks import model_version

ClientFactory = Callable[[], StudioClient]


@dataclass(frozen=True)
class Served:
    """The model being served: swapped whole, never edited."""

    extractor: Extractor
    folder: Path
    version: str  # the prediction's model_version ("figures-…+<folder>@<hash>")


@dataclass
class Job:
    proc: subprocess.Popen
    name: str
    partial: Path
    digest: str
    started: float
    log: Path
    annotations: int


@dataclass
class Status:
    """What ``/health`` shows about learning."""

    last_error: str = ""  # the last failed retrain, until one succeeds
    pull_error: str = ""  # why pending events wait (Label Studio down), until a pull succeeds
    last_retrain: dict[str, Any] = field(default_factory=dict)
    retrains: int = 0


def task_refs(event: dict[str, Any]) -> list[TaskRef]:
    return [TaskRef(int(p), int(t)) for p, t in event.get("refs", [])]


class Learner:
    """The served model and the worker thread that pulls annotations and retrains (module doc)."""

    def __init__(
        self,
        home: Home,
        base_model: str | Path,
        *,
        client: ClientFactory | None = None,
        debounce: float = 5.0,
        max_wait: float = 60.0,
        seed_exports: Sequence[str | Path] = (),
        retrain_timeout: float = 3600.0,
        refresh_limit: int = 500,
    ) -> None:
        self.home = home
        self.base_model = Path(base_model)
        self.client_factory = client
        self.debounce = debounce
        self.max_wait = max_wait
        self.seed_exports = [str(Path(p).resolve()) for p in seed_exports]
        self.retrain_timeout = retrain_timeout
        self.refresh_limit = refresh_limit
        self.status = Status()
        self.projects: set[int] = set()  # projects seen in /setup or events: refreshed after a swap
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._job: Job | None = None
        self._dirty_since: float | None = None
        self._last_change = 0.0
        self._force = False
        self._failed_digest: str | None = None
        self._pull_pause = 0.0
        self._next_pull = 0.0
        self.served = self._load_served()

    # -- the served model ------------------------------------------------------
    def _load_served(self) -> Served:
        """The model ``served.json`` names, else the base model; what killed retrains left is removed."""
        for gone in self.home.remove_partials():
            self.home.log(f"removed {gone}: a retrain that did not finish (the backend stopped during it)")
        info = self.home.served()
        if info is not None:
            folder = Path(info["folder"])
            try:
                ext = load_extractor(folder)
                served = Served(ext, folder, model_version(ext))
                self._note_out_of_date(read_provenance(folder).get("trainset_digest"))
                return served
            except ExtractorError as e:
                self.status.last_error = f"the served model could not be loaded ({e}); serving the base model"
                self.home.log(self.status.last_error)
        ext = load_extractor(self.base_model)  # an ExtractorError here is the command's error: nothing to serve
        self._note_out_of_date(None)
        return Served(ext, self.base_model, model_version(ext))

    def _note_out_of_date(self, digest: str | None) -> None:
        """A training set the served model was not trained on (a restart after a kill): retrain it."""
        if self.home.task_refs() and digest != self.home.trainset_digest():
            self._dirty_since = self._last_change = time.monotonic() - self.debounce
            self.home.log("the training set holds annotations the served model has not learnt: retraining")

    # -- thread ------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="toolkit-learner", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the worker; a retrain still running is ended (its partial folder is removed at the next start)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        job = self._job
        if job is not None and job.proc.poll() is None:
            job.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                job.proc.wait(5)

    def add_project(self, project: int) -> None:
        """A project whose tasks get the new version's predictions after a swap (``refresh``)."""
        with self._lock:
            self.projects.add(project)

    def notify(self) -> None:
        self._wake.set()

    def train_now(self) -> None:
        """START_TRAINING: retrain at once, even on a training set that failed before."""
        with self._lock:
            self._force = True
        self._wake.set()

    @property
    def training(self) -> bool:
        return self._job is not None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.step()
            except Exception as e:  # noqa: BLE001 - the worker must outlive any one failure; it is logged whole
                self.home.log(f"learner step failed: {type(e).__name__}: {e}")
            self._wake.wait(timeout=0.5)
            self._wake.clear()

    def step(self) -> None:
        """One turn of the worker: pull what is pending, finish a retrain, start one when due."""
        self.pull_pending()
        self.check_job()
        self.maybe_retrain()

    # -- pull ----------------------------------------------------------------------
    def pull_pending(self) -> None:
        if time.monotonic() < self._next_pull:
            return
        events = self.home.events()
        if not events:
            return
        try:
            client = self._client()
            for path, event in events:
                self._apply(client, event)
                path.unlink(missing_ok=True)  # only once its tasks are in the training set
        except StudioError as e:
            self._pull_pause = min(60.0, max(2.0, self._pull_pause * 2))
            self._next_pull = time.monotonic() + self._pull_pause
            waiting = len(self.home.events())
            self.status.pull_error = f"{waiting} events wait: {e} (next try in {self._pull_pause:.0f}s)"
            self.home.log(f"pull failed, {waiting} events kept: {e}")
            return
        self._pull_pause = 0.0
        self.status.pull_error = ""

    def _client(self) -> StudioClient:
        if self.client_factory is None:
            raise StudioError("no Label Studio to pull from: set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY")
        return self.client_factory()

    def _apply(self, client: StudioClient, event: dict[str, Any]) -> None:
        refs = task_refs(event)
        if event.get("annotation_ids"):
            refs += self.home.tasks_of_annotations(set(event["annotation_ids"]))
        by_project: dict[int, list[int]] = {}
        for ref in refs:
            self.add_project(ref.project)
            by_project.setdefault(ref.project, []).append(ref.task)
        for project, ids in by_project.items():
            got = self._pull(client, project, sorted(set(ids)))
            for tid in sorted(set(ids)):
                ref = TaskRef(project, tid)
                task = got.get(tid)
                usable = task is not None and any(not a.get("was_cancelled") for a in task.get("annotations") or [])
                changed = self.home.put_task(ref, task) if usable else self.home.drop_task(ref)
                if changed:
                    self._changed()
                    self.home.log(f"{'learnt' if usable else 'forgot'} task {tid} of project {project}")

    def _pull(self, client: StudioClient, project: int, ids: list[int]) -> dict[int, dict[str, Any]]:
        """The checked tasks ``ids`` of ``project`` by id (a bad task is logged and absent)."""
        with tempfile.TemporaryDirectory(prefix="toolkit-serve-") as tmp:
            raw = Path(tmp) / "export.json"
            client.export_to(project, raw, all_tasks=True, ids=ids)
            fields, labels = scan_export(client.iter_export(raw))
            tally = CheckTally()
            good = {t["id"]: t for t in check_tasks(client.iter_export(raw), fields, labels, tally)}
        for line in tally.bad:
            self.home.log(f"project {project}: left out of the training set: {line}")
        return good

    def _changed(self) -> None:
        now = time.monotonic()
        with self._lock:
            self._last_change = now
            if self._dirty_since is None:
                self._dirty_since = now

    # -- retrain -------------------------------------------------------------------
    def due(self, now: float | None = None) -> bool:
        """Is a retrain due (the debounce rule of the module doc)?"""
        now = time.monotonic() if now is None else now
        with self._lock:
            if self._force:
                return True
            if self._dirty_since is None:
                return False
            return now - self._last_change >= self.debounce or now - self._dirty_since >= self.max_wait

    def maybe_retrain(self) -> None:
        if self._job is not None or not self.due():
            return
        digest = self.home.trainset_digest()
        with self._lock:
            forced, self._force = self._force, False
            self._dirty_since = None
        if digest == self._failed_digest and not forced:
            return
        self.start_retrain(digest)

    def start_retrain(self, digest: str) -> None:
        extractor = self.served.extractor
        name, partial = self.home.next_version_dir()
        refs = self.home.task_refs()
        spec = {
            "trainset": [{"path": str(self.home.trainset / r.filename), "project": r.project} for r in refs],
            "seed": self.seed_exports,
            "out": str(partial),
            "base": extractor.settings.get("base", extractor.backend) if extractor.backend != "crf" else "crf",
            "labels": list(extractor.labels),
            "settings": {k: v for k, v in extractor.settings.items() if k != "base"},
            "parent": self.served.version,
            "digest": digest,
            "parent_pid": os.getpid(),
        }
        spec_path = self.home.root / "retrain-spec.json"
        spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        log = self.home.root / "retrain.log"
        with log.open("w", encoding="utf-8") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "toolkit.backend.retrain", str(spec_path)],
                stdout=subprocess.DEVNULL,
                stderr=err,
                stdin=subprocess.DEVNULL,
            )
        self._job = Job(proc, name, partial, digest, time.monotonic(), log, len(refs))
        self.home.log(f"retrain {name} started (pid {proc.pid}) on {len(refs)} annotated tasks")

    def check_job(self) -> None:
        job = self._job
        if job is None:
            return
        rc = job.proc.poll()
        if rc is None:
            if time.monotonic() - job.started > self.retrain_timeout:
                job.proc.kill()
                job.proc.wait()
                self._failed(job, f"took more than {self.retrain_timeout:.0f}s and was stopped")
            return
        if rc != 0:
            self._failed(job, _last_line(job.log) or f"exit code {rc}")
            return
        try:
            final = self.home.promote(job.partial, job.name)
            ext = load_extractor(final)  # tried on a sentence: a broken model is never served
        except (OSError, ExtractorError) as e:
            self._failed(job, str(e))
            return
        served = Served(ext, final, model_version(ext))
        self.home.set_served(final, ext.version)  # on disk first: a restart serves what was swapped in
        old, self.served = self.served, served  # the swap: one assignment
        secs = time.monotonic() - job.started
        self.status.last_error = ""
        self.status.retrains += 1
        self.status.last_retrain = {
            "version": served.version,
            "folder": str(final),
            "annotated_tasks": job.annotations,
            "seconds": round(secs, 1),
            "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        self._failed_digest = None
        self._job = None
        self.home.log(f"serving {served.version} (was {old.version}); retrained in {secs:.1f}s")
        self.refresh()

    def _failed(self, job: Job, why: str) -> None:
        shutil.rmtree(job.partial, ignore_errors=True)
        self._job = None
        self._failed_digest = job.digest
        self.status.last_error = (
            f"retrain {job.name} failed at {time.strftime('%Y-%m-%dT%H:%M:%S')}: {why}; "
            f"still serving {self.served.version}"
        )
        self.home.log(self.status.last_error)

    # -- refresh ----------------------------------------------------------------
    def refresh(self) -> None:
        """Ask Label Studio to fetch the new version's predictions (up to ``refresh_limit`` tasks a project)."""
        if self.client_factory is None or not self.projects or self.refresh_limit <= 0:
            return
        try:
            client = self._client()
            with self._lock:  # /setup adds projects from the server's threads
                projects = sorted(self.projects)
            for project in projects:
                ids = client.task_ids(project)[: self.refresh_limit]
                for i in range(0, len(ids), 50):
                    client.retrieve_predictions(project, ids[i : i + 50])
                self.home.log(f"project {project}: asked for {self.served.version}'s predictions on {len(ids)} tasks")
        except StudioError as e:
            self.home.log(f"could not ask Label Studio for new predictions: {e}")

    def health(self) -> dict[str, Any]:
        job = self._job
        return {
            "model_version": self.served.version,
            "model_dir": str(self.served.folder),
            "training": job is not None,
            "training_since_s": round(time.monotonic() - job.started, 1) if job is not None else None,
            "pending_events": len(list(self.home.pending.glob("*.json"))),
            "trainset_tasks": len(self.home.task_refs()),
            "retrains": self.status.retrains,
            "last_retrain": self.status.last_retrain or None,
            "last_error": self.status.last_error or None,
            "pull_error": self.status.pull_error or None,
        }


def _last_line(path: Path) -> str:
    with contextlib.suppress(OSError):
        lines = [x.strip() for x in path.read_text(encoding="utf-8", errors="replace").splitlines() if x.strip()]
        return lines[-1][:400] if lines else ""
    return ""
