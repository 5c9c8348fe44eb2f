"""The tiny NLLB models, built once into ``.cache/`` and shared by the test
suite (``tests/conftest.py``) and the main job (``scripts/main_job.sh --model
tiny``), so that a newcomer who runs both builds the model once, not twice.

A model is rebuilt when ``models/tiny_nllb.py`` (the recipe) or
``models/tiny_common.py`` (the config it builds on) changes: their hash is
kept beside the model. Several processes may ask at once: the first
takes a file lock and builds into a temporary folder that is renamed into
place; the others wait for the lock and then find the finished folder.

Usage::

    python models/tiny_cache.py              # builds if needed, prints .cache/tiny-nllb-copy
    python models/tiny_cache.py --untrained  # .cache/tiny-nllb-untrained (random weights)
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / ".cache"
RECIPE = REPO / "models" / "tiny_nllb.py"
# What the recipe imports from: a change there changes the model too.
RECIPE_DEPENDS = (REPO / "models" / "tiny_common.py",)
HASH_FILE = "recipe.sha256"
COPY = "tiny-nllb-copy"  # trained to copy its input: what the main job and most tests use
UNTRAINED = "tiny-nllb-untrained"


def recipe_hash(copy_trained: bool) -> str:
    h = hashlib.sha256()
    for path in (RECIPE, *RECIPE_DEPENDS):
        h.update(path.read_bytes())
    h.update(f"\0copy={copy_trained}".encode())
    return h.hexdigest()


def is_built(name: str = COPY, copy_trained: bool = True) -> bool:
    """Whether ``.cache/<name>`` holds a model built by the current recipe."""
    stamp = CACHE / name / HASH_FILE
    return stamp.is_file() and stamp.read_text().strip() == recipe_hash(copy_trained)


def build_once(target: Path, stamp: str, build: Callable[[Path], object]) -> Path:
    """``target``, built by ``build(folder)`` unless it already holds ``stamp`` (a recipe's hash).

    Several processes may ask at once: the first takes a file lock beside the
    folder and builds into a temporary folder renamed into place (a killed build
    leaves no half model); the others wait for the lock, then find it built.
    """

    def ready() -> bool:
        return (target / HASH_FILE).is_file() and (target / HASH_FILE).read_text().strip() == stamp

    if ready():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f"{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if ready():
                return target
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
            try:
                build(tmp)
                (tmp / HASH_FILE).write_text(stamp + "\n")
                if target.exists():
                    shutil.rmtree(target)
                tmp.rename(target)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(lock, fcntl.LOCK_UN)
    return target


def cached_tiny_model(name: str = COPY, copy_trained: bool = True, log=lambda *_: None) -> Path:
    """``.cache/<name>``, built first when missing or made by an older recipe."""

    def build(folder: Path) -> None:
        sys.path.insert(0, str(RECIPE.parent))
        import tiny_nllb

        tiny_nllb.build_tiny_nllb(folder, copy_trained=copy_trained, log=log)

    return build_once(CACHE / name, recipe_hash(copy_trained), build)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--untrained", action="store_true", help="the random-weight model (seconds to build)")
    args = ap.parse_args()
    name, trained = (UNTRAINED, False) if args.untrained else (COPY, True)
    if not is_built(name, trained):
        print(f"building the tiny model into {CACHE / name} (a few minutes, once) ...", file=sys.stderr)
    path = cached_tiny_model(name, trained, log=lambda *a: print(*a, file=sys.stderr))
    print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
