"""One retrain, in a process of its own: ``python -m toolkit.backend.retrain SPEC.json``.

The backend starts it in the background (``toolkit.backend.learner``), so a
training never holds the server's interpreter (``/predict`` keeps its
latency) and its memory is given back when it ends. It reads the training
set as ``toolkit train`` reads exports (``toolkit.studio.export.read_exports``,
latest annotation per task), trains with the extractor's own
``train_extractor`` into the partial folder it is given, and writes
``provenance.json`` there: which annotations (project, task, annotation id,
annotator, last change), from which files, when, on top of which model.
Exit 0: the folder is a whole model; 3: training refused (the reason is the
last line of stderr); anything else: a crash (its traceback on stderr).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from toolkit.backend.home import PROVENANCE
from toolkit.extractor.base import ExtractorError
from toolkit.extractor.train import train_extractor
from toolkit.io.atomic import atomic_write_text
from toolkit.studio.export import read_exports

EXIT_REFUSED = 3


def annotations_of(task: dict[str, Any], project: int) -> list[dict[str, Any]]:
    """The provenance lines of one stored task: each annotation that was not cancelled."""
    out = []
    for ann in task.get("annotations") or []:
        if ann.get("was_cancelled"):
            continue
        who = ann.get("completed_by")
        out.append(
            {
                "project": project,
                "task": task.get("id"),
                "annotation": ann.get("id"),
                "completed_by": who.get("id") if isinstance(who, dict) else who,
                "updated_at": ann.get("updated_at") or ann.get("created_at"),
            }
        )
    return out


def retrain(spec: dict[str, Any]) -> dict[str, Any]:
    """Train the model ``spec`` describes into ``spec["out"]``; its provenance."""
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    tasks: list[dict[str, Any]] = []
    used: list[dict[str, Any]] = []
    for item in spec["trainset"]:
        task = json.loads(Path(item["path"]).read_text(encoding="utf-8"))
        tasks.append(task)
        used += annotations_of(task, item["project"])
    exports: list[Any] = [*spec.get("seed", [])]
    if tasks:
        exports.append(tasks)
    batch = read_exports(exports, spec["labels"])
    for line in batch.problems:
        print(f"left out: {line}", file=sys.stderr)
    result = train_extractor(
        batch.records,
        spec["out"],
        base=spec["base"],
        labels=spec["labels"],
        eval_fraction=0.0,  # every label teaches: an annotator's round is too small to hold documents out
        settings=spec.get("settings") or {},
        sources=[*spec.get("seed", []), "Label Studio annotations pulled by `toolkit serve`"],
    )
    provenance = {
        "parent": spec.get("parent"),
        "started": started,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "train_seconds": round(result.train_seconds, 2),
        "trainset_digest": spec.get("digest"),
        "texts": len(batch.records),
        "seed_exports": spec.get("seed", []),
        "annotations": used,
    }
    atomic_write_text(Path(spec["out"]) / PROVENANCE, json.dumps(provenance, ensure_ascii=False, indent=1) + "\n")
    return provenance


def watch_parent(pid: int | None) -> None:
    """End this process when the backend that started it is gone (killed): its result would never be served."""
    if not pid:
        return

    def watch() -> None:
        while os.getppid() == pid:
            time.sleep(0.5)
        os._exit(4)

    threading.Thread(target=watch, daemon=True).start()


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    watch_parent(spec.get("parent_pid"))
    try:
        retrain(spec)
    except ExtractorError as e:
        print(f"training refused: {e}", file=sys.stderr)
        return EXIT_REFUSED
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
