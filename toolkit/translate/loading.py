"""Finding a model and loading the engine that runs it: once per run.

``--model`` is a local folder or a Hugging Face hub id. A folder picks its
engine from its contents (CTranslate2 writes ``model.bin`` and a
``config.json`` without ``model_type``; a Hugging Face checkpoint always has
one). A hub id is looked up in the local Hugging Face cache first, and
fetched only when it is not there and the hub may be reached
(``HF_HUB_OFFLINE`` is honoured); whatever fails, the user gets one line
that says what to do, never a traceback.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from toolkit.languages import DEFAULT_TARGETS
from toolkit.translate.engine import DEFAULT_MODEL, Engine, GenerationSettings, ModelNotFoundError

ENGINES = ("transformers", "ctranslate2")

# "facebook/nllb-200-distilled-600M": one optional owner and a name.
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def not_found_message(model: str) -> str:
    return (
        f"model '{model}' is not in the local Hugging Face cache and could not be downloaded (no network?). "
        f"Download it on a connected machine with `huggingface-cli download {model}` and copy ~/.cache/huggingface, "
        "or pass --model PATH to a local folder "
        "(python models/tiny_nllb.py OUT --copy-trained builds a tiny test model)."
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


def engine_for_folder(folder: str | os.PathLike[str]) -> str:
    """ "ctranslate2" for a converted folder, "transformers" otherwise."""
    from toolkit.translate.convert import is_ct2_model

    return "ctranslate2" if is_ct2_model(folder) else "transformers"


def load_engine(
    model: str = DEFAULT_MODEL,
    engine: str | None = None,
    device: str = "auto",
    settings: GenerationSettings | None = None,
    **kw: Any,
) -> Engine:
    """Load the model once and return the engine that translates with it.

    ``engine`` None is the fast path: CTranslate2 (int8 on a CPU), converting
    a Hugging Face checkpoint once into a cache (``ensure_converted``, as
    ``toolkit models convert`` does), with a target-vocabulary shortlist for
    ``targets``; ``benchmarks/translate_speed.py`` measures why.
    "transformers" runs the checkpoint as it is.
    Extra keywords go to the engine: ``threads``, ``dtype`` and
    ``max_source_tokens`` (transformers), ``quantization``, ``compute_type``,
    ``threads`` and ``shortlist`` (ctranslate2). ``shortlist`` None (the
    default) or True uses ``ensure_shortlist`` for ``targets`` on
    CTranslate2 and nothing on transformers; False turns it off; a path
    names a vocabulary map.
    """
    model = str(model)
    if engine is not None and engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    local = Path(model).expanduser()
    if engine is None:
        engine = "ctranslate2"

    shortlist = kw.pop("shortlist", None)
    targets = tuple(kw.pop("targets", None) or DEFAULT_TARGETS)
    if engine == "transformers":
        kw.pop("quantization", None)
        if shortlist is not None and shortlist is not False:
            raise ValueError("--shortlist needs the ctranslate2 engine (--engine ctranslate2)")
        if local.is_dir() and engine_for_folder(local) == "ctranslate2":
            raise ValueError(f"{model} is a CTranslate2 folder: use --engine ctranslate2 (or auto)")
        from toolkit.translate.hf import HFEngine

        return HFEngine(model, device=device, settings=settings, **kw)

    from toolkit.translate.convert import DEFAULT_QUANTIZATION, ensure_converted, is_ct2_model
    from toolkit.translate.ct2 import CT2Engine

    quantization = kw.pop("quantization", None) or DEFAULT_QUANTIZATION
    if not is_ct2_model(local):
        if not local.is_dir():
            resolve_hf_model(model)  # the clear error for a missing hub id, before any conversion
        model = str(ensure_converted(model, quantization))
    if shortlist is None or shortlist is True:
        from toolkit.translate.shortlist import ensure_shortlist

        shortlist = ensure_shortlist(model, targets)
    return CT2Engine(model, device=device, settings=settings, shortlist=shortlist or None, **kw)
