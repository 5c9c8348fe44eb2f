"""The tiny Marian, M2M-100 and MADLAD-400 models (``models/tiny_*.py``), built
once into ``.cache/`` and rebuilt when their recipe changes, as
``models/tiny_cache.py`` does for the tiny NLLB: a file lock, a temporary
folder renamed into place, the recipe's hash beside the model."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".cache"
MODELS = REPO / "models"
HASH_FILE = "recipe.sha256"
#: family -> (recipe module, its build function)
RECIPES = {
    "marian": ("tiny_marian", "build_tiny_marian"),
    "m2m100": ("tiny_m2m100", "build_tiny_m2m100"),
    "madlad": ("tiny_madlad", "build_tiny_madlad"),
}


def _hash(module: str) -> str:
    h = hashlib.sha256()
    for name in (f"{module}.py", "tiny_common.py"):
        h.update((MODELS / name).read_bytes())
    return h.hexdigest()


def tiny_family_model(family: str) -> Path:
    """``.cache/tiny-<family>``, built by ``models/tiny_<family>.py`` when missing or stale."""
    module, build = RECIPES[family]
    target = CACHE / f"tiny-{family}"
    want = _hash(module)

    def ready() -> bool:
        return (target / HASH_FILE).is_file() and (target / HASH_FILE).read_text().strip() == want

    if ready():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"tiny-{family}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if ready():
                return target
            if str(MODELS) not in sys.path:
                sys.path.insert(0, str(MODELS))
            recipe = importlib.import_module(module)
            tmp = Path(tempfile.mkdtemp(prefix=f".tiny-{family}.", dir=CACHE))
            try:
                getattr(recipe, build)(tmp, log=lambda *_: None)
                (tmp / HASH_FILE).write_text(want + "\n")
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
