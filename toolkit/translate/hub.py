"""Finding and identifying models: the low module every engine shares.

``--model`` is a local folder or a Hugging Face hub id. A hub id is looked
up in the local Hugging Face cache first, and fetched only when it is not
there and the hub may be reached (``HF_HUB_OFFLINE`` is honoured); whatever
fails, the user gets one line that says what to do, never a traceback.

A folder is told apart by its contents (CTranslate2 writes ``model.bin``
and a ``config.json`` without ``model_type``; a Hugging Face checkpoint
always has one), and identified by a hash of its files, the same wherever
it is copied. The converter, the shortlist builder, both engines and the
loader use what is here; this module imports nothing else of the
translate package but the engine interface's error, so none of them has
to import another to resolve or hash a model.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import tempfile
from pathlib import Path

from toolkit.translate.engine import DEFAULT_MODEL, ModelNotFoundError

# "facebook/nllb-200-distilled-600M": one optional owner and a name.
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")

# Files whose bytes decide the output of a Hugging Face model folder.
_HF_SUFFIXES = (".json", ".model", ".spm", ".safetensors", ".bin")
_FULL_HASH_LIMIT = 64 << 20  # larger files: size + first and last MiB (a 2.4 GB read per run costs too much)


# -- resolving -----------------------------------------------------------------


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


#: The tiny test model of a source checkout (``models/tiny_cache.py``: built by
#: ``scripts/main_job.sh --model tiny`` and the tests).
TINY_MODEL = Path(__file__).resolve().parents[2] / ".cache" / "tiny-nllb-copy"


def not_found_message(model: str) -> str:
    tiny = TINY_MODEL / "config.json"
    where = "--model PATH to a local folder" + (
        f", e.g. --model {os.path.relpath(TINY_MODEL)} (the tiny test model, already built: its translations are "
        "garbled copies of the source)"
        if tiny.is_file()
        else " (`python models/tiny_cache.py` builds a tiny test model)"
    )
    return (
        f"model '{model}' is not in the local Hugging Face cache and could not be downloaded (no network?). "
        f"Download it on a connected machine with `huggingface-cli download {model}` and copy ~/.cache/huggingface, "
        f"or pass {where}."
    )


def looks_like_path(model: str) -> bool:
    """A string that can only be meant as a folder (so no hub lookup is tried)."""
    return model.startswith((".", "/", "~")) or not _HUB_ID.match(model)


def resolve_hf_model(model: str) -> tuple[Path, str | None]:
    """Return ``(local folder, hub commit or None)`` for a folder or a hub id.

    Raises ModelNotFoundError with what to do when the model cannot be had.
    """
    p = Path(model).expanduser()
    if p.is_dir():
        return p.resolve(), None
    if p.exists():
        raise ModelNotFoundError(f"--model {model} is a file; pass the model's folder or a hub id")
    if looks_like_path(model):
        raise ModelNotFoundError(
            f"model folder {model} does not exist; pass an existing folder or a hub id such as {DEFAULT_MODEL}"
        )
    from huggingface_hub import snapshot_download

    try:
        path = Path(snapshot_download(model, local_files_only=True))
    except Exception:
        if _offline():
            raise ModelNotFoundError(not_found_message(model)) from None
        try:
            path = Path(snapshot_download(model))
        except Exception as e:
            raise ModelNotFoundError(not_found_message(model)) from e
    # The cache's layout is .../models--owner--name/snapshots/<commit>/
    commit = path.name if path.parent.name == "snapshots" else None
    return path, commit or "unknown"


#: A checkpoint's weights, and the files a tokenizer of the four families loads from.
_WEIGHTS = ("*.safetensors", "pytorch_model*.bin")
_TOKENIZER_FILES = ("tokenizer.json", "sentencepiece.bpe.model", "source.spm", "spiece.model", "vocab.json")


def check_model_folder(folder: str | os.PathLike[str]) -> None:
    """Refuse, in one line (ModelNotFoundError), a folder that is no Hugging
    Face checkpoint: its config, weights and tokenizer are looked for by
    name, nothing is read, so a command can say it before it loads a model."""
    p = Path(folder)
    missing = [
        what
        for what, present in (
            ("config.json", (p / "config.json").is_file()),
            ("weights (*.safetensors or pytorch_model.bin)", any(any(p.glob(g)) for g in _WEIGHTS)),
            (f"tokenizer ({', '.join(_TOKENIZER_FILES)})", any((p / n).is_file() for n in _TOKENIZER_FILES)),
        )
        if not present
    ]
    if missing:
        raise ModelNotFoundError(
            f"{folder} is not a model folder: it has no {', no '.join(missing)}; pass a Hugging Face checkpoint, "
            "a CTranslate2 folder (`toolkit models convert`) or a hub id"
        )


def is_ct2_model(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a CTranslate2 model folder.

    CTranslate2 writes ``model.bin`` and a ``config.json`` without the
    ``architectures``/``model_type`` keys that a Hugging Face checkpoint's
    ``config.json`` always has (a Hugging Face folder never has ``model.bin``).
    """
    p = Path(path)
    if not (p / "model.bin").is_file():
        return False
    cfg = p / "config.json"
    if not cfg.is_file():
        return True
    try:
        data = json.loads(cfg.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return "architectures" not in data and "model_type" not in data


def cache_root() -> Path:
    """Where the toolkit keeps what it derives from models: ``$TOOLKIT_CACHE``
    or ``~/.cache/toolkit`` (beside the Hugging Face cache).

    A location that cannot be written (a read-only ``TOOLKIT_CACHE``) is
    replaced, with a warning, by one under the system's temporary folder:
    what is kept there can always be derived again.
    """
    return _writable(
        os.environ.get("TOOLKIT_CACHE")
        or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "toolkit")
    )


@functools.lru_cache(maxsize=8)  # probe (and warn) once per location and process
def _writable(root: str) -> Path:
    try:
        Path(root).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root):
            pass
        return Path(root)
    except OSError as e:
        fallback = Path(tempfile.gettempdir()) / f"toolkit-cache-{os.getuid()}"
        logging.getLogger(__name__).warning(
            "cannot write the toolkit cache %s (%s): using %s for this run — set TOOLKIT_CACHE to a writable folder",
            root,
            e.strerror or e,
            fallback,
        )
        return fallback


# -- hashing ---------------------------------------------------------------------


def file_hash(path: str | os.PathLike[str]) -> str:
    """sha256 (first 16 hex digits) of one file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()[:16]


def folder_hash(path: str | os.PathLike[str], names: tuple[str, ...] | None = None) -> str:
    """sha256 (first 16 hex digits) over the files of a model folder.

    Hashes names and contents, in sorted order, so that the same weights give
    the same hash wherever the folder lives. ``names`` restricts it to those
    files (missing ones are skipped).
    """
    root = Path(path)
    h = hashlib.sha256()
    files = sorted(f for f in root.iterdir() if f.is_file() and (names is None or f.name in names))
    for f in files:
        h.update(f.name.encode() + b"\0")
        with open(f, "rb") as fh:
            while chunk := fh.read(1 << 22):
                h.update(chunk)
    return h.hexdigest()[:16]


def model_folder_hash(folder: str | os.PathLike[str]) -> str:
    """A content hash of a Hugging Face model folder (16 hex digits), the same wherever it is copied.

    Covers the config, tokenizer and weight files by name and content; for
    files over 64 MiB, by size and their first and last MiB, which changes
    with any retrained or converted weights without reading gigabytes on
    every run (``folder_hash`` reads everything: the converter's record).
    """
    root = Path(folder)
    h = hashlib.sha256()
    for f in sorted(p for p in root.iterdir() if p.is_file() and p.name.endswith(_HF_SUFFIXES)):
        size = f.stat().st_size
        h.update(f"{f.name}\0{size}\0".encode())
        with open(f, "rb") as fh:
            if size <= _FULL_HASH_LIMIT:
                while chunk := fh.read(1 << 22):
                    h.update(chunk)
            else:
                h.update(fh.read(1 << 20))
                fh.seek(size - (1 << 20))
                h.update(fh.read(1 << 20))
    return h.hexdigest()[:16]
