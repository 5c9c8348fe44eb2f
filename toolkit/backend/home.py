"""The backend's folder on disk: what survives a restart.

::

    DATA/
      served.json              which model folder is served (rewritten atomically: the swap)
      models/v0001/            a retrained model (``toolkit.extractor`` folder) + provenance.json
      models/.partial-v0002-…  a retrain in progress; removed at start (a killed retrain)
      trainset/p3-t17.json     one annotated task (project 3, task 17) as pulled and checked
      pending/…json            a webhook event not yet pulled (written before the answer)
      backend.log              what the backend did, one line each

An event is on disk before the webhook is answered, and removed only once
its task is pulled and written to ``trainset/``; a model folder is complete
before ``served.json`` names it. So a kill at any moment loses no
annotation and leaves a served model that is whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.io.atomic import atomic_write_text

SERVED = "served.json"
PROVENANCE = "provenance.json"
LOG = "backend.log"
_VERSION_DIR = re.compile(r"^v(\d{4,})$")
_TASK_FILE = re.compile(r"^p(\d+)-t(\d+)\.json$")


@dataclass(frozen=True)
class TaskRef:
    """A Label Studio task: its project id and task id."""

    project: int
    task: int

    @property
    def filename(self) -> str:
        return f"p{self.project}-t{self.task}.json"


class Home:
    """The backend's data folder (see the module doc)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.models = self.root / "models"
        self.trainset = self.root / "trainset"
        self.pending = self.root / "pending"
        for d in (self.models, self.trainset, self.pending):
            d.mkdir(parents=True, exist_ok=True)
        self.log_path = self.root / LOG

    # -- log -----------------------------------------------------------------
    def log(self, message: str) -> None:
        line = f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {message}\n"
        with self.log_path.open("a", encoding="utf-8") as fh:
            fh.write(line)

    # -- pending events ------------------------------------------------------
    def add_event(self, event: dict[str, Any]) -> Path:
        """Write a webhook event durably (fsync, rename) before it is acknowledged."""
        path = self.pending / f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.json"
        atomic_write_text(path, json.dumps(event, ensure_ascii=False))
        return path

    def events(self) -> list[tuple[Path, dict[str, Any]]]:
        """Pending events, oldest first; an unreadable one is moved aside and logged, never retried forever."""
        out = []
        for path in sorted(self.pending.glob("*.json")):
            try:
                out.append((path, json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError) as e:
                bad = path.with_suffix(".bad")
                with contextlib.suppress(OSError):
                    path.rename(bad)
                self.log(f"pending event {path.name} unreadable ({e}); kept as {bad.name}")
        return out

    # -- training set --------------------------------------------------------
    def put_task(self, ref: TaskRef, task: dict[str, Any]) -> bool:
        """Store a pulled, checked task; True when it changed the training set."""
        path = self.trainset / ref.filename
        text = json.dumps(task, ensure_ascii=False, sort_keys=True)
        with contextlib.suppress(FileNotFoundError):
            if path.read_text(encoding="utf-8") == text:
                return False
        atomic_write_text(path, text)
        return True

    def drop_task(self, ref: TaskRef) -> bool:
        try:
            (self.trainset / ref.filename).unlink()
        except FileNotFoundError:
            return False
        return True

    def task_refs(self) -> list[TaskRef]:
        refs = []
        for p in self.trainset.glob("*.json"):
            m = _TASK_FILE.match(p.name)
            if m:
                refs.append(TaskRef(int(m.group(1)), int(m.group(2))))
        return sorted(refs, key=lambda r: (r.project, r.task))

    def tasks_of_annotations(self, annotation_ids: set[int]) -> list[TaskRef]:
        """The stored tasks that hold any of these annotations (a deletion names annotations only)."""
        found = []
        for ref in self.task_refs():
            with contextlib.suppress(OSError, ValueError):
                task = json.loads((self.trainset / ref.filename).read_text(encoding="utf-8"))
                if any(a.get("id") in annotation_ids for a in task.get("annotations") or []):
                    found.append(ref)
        return found

    def trainset_digest(self) -> str:
        """A hash of the training set: a served model trained on another digest is out of date."""
        import hashlib

        h = hashlib.sha256()
        for ref in self.task_refs():
            h.update(ref.filename.encode())
            with contextlib.suppress(FileNotFoundError):
                h.update(hashlib.sha256((self.trainset / ref.filename).read_bytes()).digest())
        return h.hexdigest()[:16]

    # -- models --------------------------------------------------------------
    def next_version_dir(self) -> tuple[str, Path]:
        """(name, partial folder) of the next model: ``v0003`` and ``models/.partial-v0003-<random>``."""
        numbers = [int(m.group(1)) for p in self.models.iterdir() if (m := _VERSION_DIR.match(p.name))]
        name = f"v{max(numbers, default=0) + 1:04d}"
        return name, self.models / f".partial-{name}-{uuid.uuid4().hex[:6]}"

    def remove_partials(self) -> list[str]:
        """Remove what killed retrains left; their names."""
        gone = []
        for p in self.models.glob(".partial-*"):
            shutil.rmtree(p, ignore_errors=True)
            gone.append(p.name)
        return gone

    def promote(self, partial: Path, name: str) -> Path:
        """Move a finished model into ``models/<name>`` (one rename)."""
        final = self.models / name
        os.replace(partial, final)
        return final

    def served(self) -> dict[str, Any] | None:
        try:
            got = json.loads((self.root / SERVED).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return got if isinstance(got, dict) and isinstance(got.get("folder"), str) else None

    def set_served(self, folder: Path, version: str) -> None:
        """Name ``folder`` the served model: one atomic rename of ``served.json``."""
        info = {"folder": str(folder), "version": version, "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        atomic_write_text(self.root / SERVED, json.dumps(info, indent=1) + "\n")


def read_provenance(folder: Path) -> dict[str, Any]:
    try:
        got = json.loads((folder / PROVENANCE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return got if isinstance(got, dict) else {}
