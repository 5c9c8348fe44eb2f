"""The tiny Marian, M2M-100 and MADLAD-400 models (``models/tiny_*.py``), built
once into ``.cache/`` and rebuilt when their recipe changes, through
``models/tiny_cache.py``'s ``build_once`` (a file lock, a temporary folder renamed into
place, the recipe's hash beside the model), as the tiny NLLB is."""

from __future__ import annotations

import hashlib
import importlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODELS = REPO / "models"
if str(MODELS) not in sys.path:
    sys.path.insert(0, str(MODELS))
from tiny_cache import CACHE, build_once  # noqa: E402  (the recipes' folder is not a package)

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

    def run_recipe(folder: Path) -> None:
        getattr(importlib.import_module(module), build)(folder, log=lambda *_: None)

    return build_once(CACHE / f"tiny-{family}", _hash(module), run_recipe)
