"""Converting a checkpoint (NLLB, M2M-100, Marian, MADLAD-400) to CTranslate2, and finding converted ones.

A converted folder is self-contained: ``model.bin``, CTranslate2's
``config.json`` and vocabulary, the Hugging Face tokenizer files (copied by
the converter, so the engine can tokenise without the original checkpoint)
and ``toolkit-convert.json``, which records where the weights came from,
the model's family and its licence (the model card, ``README.md``, is
copied too).

This module imports neither torch nor ctranslate2 at import time; telling a
converted folder apart and hashing it live in ``hub.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

from toolkit.io.atomic import atomic_write_text
from toolkit.translate.engine import EngineOptionError, ModelNotFoundError
from toolkit.translate.families import FAMILIES, detect_family
from toolkit.translate.families.m2m100 import full_vocab_tokenizer
from toolkit.translate.hub import cache_root as hub_cache_root
from toolkit.translate.hub import folder_hash, is_ct2_model, resolve_hf_model
from toolkit.translate.licence import model_licence

#: What ``--quantization`` accepts (CTranslate2's names). int8 is the CPU
#: default; float16 and int8_float16 are for a GPU.
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32")
DEFAULT_QUANTIZATION = "int8"

#: Tokenizer files copied into the converted folder when the checkpoint has
#: them (every family's), and the model card (its licence).
TOKENIZER_FILES = tuple(
    dict.fromkeys(
        [f for fam in FAMILIES.values() for f in fam.tokenizer_files]
        + ["tokenizer.json", "added_tokens.json", "generation_config.json", "README.md"]
    )
)

PROVENANCE_FILE = "toolkit-convert.json"


def resolve_model(model: str) -> Path:
    """Return a local Hugging Face folder for ``model``: a folder as is, or a
    hub id from the local cache (fetched when the hub can be reached), by
    the same rules as the engine loader.

    Raises ModelNotFoundError, with what to do, when neither works.
    """
    path, _revision = resolve_hf_model(model)
    if not (path / "config.json").is_file():
        raise ModelNotFoundError(f"{path} has no config.json: it is not a Hugging Face model folder")
    return path


def convert_model(model: str, out: Path, quantization: str = DEFAULT_QUANTIZATION, force: bool = False) -> Path:
    """Convert a checkpoint (hub id or folder) of any family into a CTranslate2 folder ``out``.

    The conversion goes to a temporary folder beside ``out`` and is renamed
    into place at the end, so an interrupted conversion never leaves a
    half-written model that a later run would take for a good one.
    """
    if quantization not in QUANTIZATIONS:
        raise EngineOptionError(f"unknown quantization {quantization!r}; use one of: {', '.join(QUANTIZATIONS)}")
    out = Path(out).expanduser()
    if out.exists() and not force:
        raise FileExistsError(f"{out} already exists; pass --force to overwrite it")
    src = resolve_model(model)
    family = detect_family(src)

    import ctranslate2
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            return full_vocab_tokenizer(super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs))

    copy = [name for name in TOKENIZER_FILES if (src / name).is_file()]
    if not any(n in copy for n in ("tokenizer.json", "sentencepiece.bpe.model", "source.spm", "spiece.model")):
        raise ModelNotFoundError(
            f"{src} has no tokenizer (tokenizer.json, sentencepiece.bpe.model, source.spm or spiece.model)"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        converter = Converter(str(src), copy_files=copy, low_cpu_mem_usage=True)
        # ``force`` because mkdtemp made the folder; the converter replaces it.
        with warnings.catch_warnings():  # MarianTokenizer's "pip install sacremoses" advice
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            converter.convert(str(tmp), quantization=quantization, force=True)
        record: dict[str, Any] = {
            "source_model": model,
            "source_path": str(src.resolve()),
            "source_hash": folder_hash(src),
            "quantization": quantization,
            "family": family.name,
            "licence": model_licence(model, src),
            # CTranslate2's config does not keep the source length limit; the
            # engine reads it from here.
            "max_source_positions": _max_positions(src),
            "ctranslate2_version": ctranslate2.__version__,
            "transformers_version": _version("transformers"),
        }
        atomic_write_text(tmp / PROVENANCE_FILE, json.dumps(record, indent=2) + "\n")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def cache_root() -> Path:
    """Where ``ensure_converted`` keeps converted models: ``$TOOLKIT_CACHE/ct2``
    or ``~/.cache/toolkit/ct2`` (beside the Hugging Face cache)."""
    return hub_cache_root() / "ct2"


def _source_key(src: Path) -> str:
    """A cheap identity for a source checkpoint: its resolved path and each
    file's name, size and mtime. Hashing 2.4 GB of weights on every run just
    to find the cache entry would cost more than the lookup saves; the full
    content hash is recorded in ``toolkit-convert.json`` at conversion."""
    h = hashlib.sha256(str(src.resolve()).encode())
    for f in sorted(src.iterdir()):
        if f.is_file():
            st = f.stat()
            h.update(f"{f.name}\0{st.st_size}\0{int(st.st_mtime)}\0".encode())
    return h.hexdigest()[:16]


def ensure_converted(model: str, quantization: str = DEFAULT_QUANTIZATION, cache_dir: Path | None = None) -> Path:
    """Return a CTranslate2 folder for ``model``, converting it once.

    ``model`` may already be a converted folder (returned as is), a Hugging
    Face folder or a hub id; the conversion is cached under
    ``cache_root()/<key>-<quantization>`` and reused by later runs.
    """
    if is_ct2_model(model):
        return Path(model)
    src = resolve_model(model)
    root = Path(cache_dir) if cache_dir is not None else cache_root()
    target = root / f"{_source_key(src)}-{quantization}"
    if (target / "model.bin").is_file() and (target / PROVENANCE_FILE).is_file():
        return target
    try:
        convert_model(str(src), target, quantization=quantization, force=True)
    except OSError:
        # Another process may have finished the same conversion first.
        if (target / "model.bin").is_file() and (target / PROVENANCE_FILE).is_file():
            return target
        raise
    return target


def read_convert_record(model_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """``toolkit-convert.json`` of a converted folder, or {} when absent."""
    p = Path(model_dir) / PROVENANCE_FILE
    with contextlib.suppress(OSError, ValueError):
        return json.loads(p.read_text(encoding="utf-8"))
    return {}


def _max_positions(src: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        cfg = json.loads((src / "config.json").read_text(encoding="utf-8"))
        return cfg.get("max_position_embeddings")
    return None


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None
