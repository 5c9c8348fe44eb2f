"""Loading the engine that runs a model: once per run.

``--model`` is a local folder or a Hugging Face hub id (``hub.py`` finds
it). A CTranslate2 folder runs on CTranslate2; a Hugging Face checkpoint
runs on CTranslate2 too, converted once into a cache, unless
``engine="transformers"`` asks for the reference engine.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from toolkit.languages import DEFAULT_TARGETS
from toolkit.translate.convert import DEFAULT_QUANTIZATION, ensure_converted
from toolkit.translate.ct2 import CT2Engine, pick_device
from toolkit.translate.engine import DEFAULT_MODEL, Engine, EngineOptionError, GenerationSettings
from toolkit.translate.families import detect_family
from toolkit.translate.hf import DTYPES, HFEngine
from toolkit.translate.hub import check_model_folder, is_ct2_model, resolve_hf_model
from toolkit.translate.shortlist import ensure_shortlist

ENGINES = ("transformers", "ctranslate2")


def engine_for_folder(folder: str | os.PathLike[str]) -> str:
    """ "ctranslate2" for a converted folder, "transformers" otherwise."""
    return "ctranslate2" if is_ct2_model(folder) else "transformers"


def check_options(
    model: str,
    engine: str | None,
    compute_type: str | None = None,
    shortlist: object = None,
    max_hyp_tokens: int | None = None,
) -> None:
    """The engine options that cannot go together, refused in one line
    (EngineOptionError); nothing is read but whether ``model`` is a
    CTranslate2 folder. ``load_engine`` and ``check_engine`` both ask here,
    so a refusal says the same before a run as at loading."""
    if engine is not None and engine not in ENGINES:
        raise EngineOptionError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine != "transformers":
        return
    if max_hyp_tokens is not None:
        raise EngineOptionError(
            "--max-hyp-tokens needs the ctranslate2 engine; transformers is bounded by --batch-tokens"
        )
    if shortlist is not None and shortlist is not False:
        raise EngineOptionError("--shortlist needs the ctranslate2 engine (--engine ctranslate2)")
    local = Path(model).expanduser()
    if local.is_dir() and engine_for_folder(local) == "ctranslate2":
        raise EngineOptionError(f"{model} is a CTranslate2 folder: use --engine ctranslate2 (or auto)")
    if compute_type is not None and compute_type not in DTYPES:
        raise EngineOptionError(
            f"--compute-type {compute_type} needs the ctranslate2 engine; transformers runs in {', '.join(DTYPES)}"
        )


def check_engine(
    model: str,
    engine: str | None = None,
    device: str | None = "auto",
    compute_type: str | None = None,
    shortlist: object = None,
    max_hyp_tokens: int | None = None,
) -> None:
    """What ``load_engine`` would refuse, said before anything loads (so a
    command's "loading ..." line comes only once loading has started): the
    options (``check_options``), the model resolved to a folder (a hub id
    from the cache, fetched where the hub can be reached, as loading would)
    of a form and family the engine can run (``check_model_folder``,
    ``detect_family``), and ``--device cuda`` without a GPU. Nothing is
    loaded or converted. ``device`` None leaves the device unchecked (a
    cluster's workers have their own)."""
    model = str(model)
    check_options(model, engine, compute_type, shortlist, max_hyp_tokens)
    local = Path(model).expanduser()
    folder = local if is_ct2_model(local) else resolve_hf_model(model)[0]
    if not is_ct2_model(folder):
        check_model_folder(folder)
    detect_family(folder)  # an unknown model_type is refused here (FamilyError)
    if device is not None:
        if engine == "transformers":
            from toolkit.translate.hf import pick_device as pick_torch_device

            pick_torch_device(device)
        else:
            pick_device(device)


def load_engine(
    model: str = DEFAULT_MODEL,
    engine: str | None = None,
    device: str = "auto",
    settings: GenerationSettings | None = None,
    compute_type: str | None = None,
    **kw: Any,
) -> Engine:
    """Load the model once and return the engine that translates with it.

    ``engine`` None is the fast path: CTranslate2 (int8 on a CPU), converting
    a Hugging Face checkpoint once into a cache (``ensure_converted``, as
    ``toolkit models convert`` does), with a target-vocabulary shortlist for
    ``targets``; ``benchmarks/translate_speed.py`` measures why.
    "transformers" runs the checkpoint as it is.
    ``compute_type`` is the arithmetic to run in: any CTranslate2 compute
    type on ctranslate2 (None: what suits the device and the weights), or a
    torch dtype (float32, float16, bfloat16) on transformers.
    Extra keywords go to the engine: ``threads``, ``dtype`` and
    ``max_source_tokens`` (transformers), ``quantization``, ``threads``,
    ``max_hyp_tokens`` (its memory guard) and ``shortlist`` (ctranslate2). ``shortlist`` None (the default) or True
    uses ``ensure_shortlist`` for ``targets`` on CTranslate2 and nothing on
    transformers; False turns it off; a path names a vocabulary map.
    """
    model = str(model)
    local = Path(model).expanduser()
    shortlist = kw.pop("shortlist", None)
    targets = tuple(kw.pop("targets", None) or DEFAULT_TARGETS)
    check_options(model, engine, compute_type, shortlist, kw.get("max_hyp_tokens"))
    if engine == "transformers":
        kw.pop("quantization", None)
        kw.pop("max_hyp_tokens", None)
        if compute_type is not None:
            kw["dtype"] = compute_type
        return HFEngine(model, device=device, settings=settings, **kw)

    quantization = kw.pop("quantization", None) or DEFAULT_QUANTIZATION
    if not is_ct2_model(local):
        if not local.is_dir():
            resolve_hf_model(model)  # the clear error for a missing hub id, before any conversion
        model = str(ensure_converted(model, quantization))
    if shortlist is None or shortlist is True:
        # On by default, where the family allows it (NLLB, M2M-100: see
        # ``Family.shortlist``); the others run on the whole vocabulary.
        shortlist = ensure_shortlist(model, targets) if detect_family(model).shortlist else None
    return CT2Engine(
        model, device=device, settings=settings, shortlist=shortlist or None, compute_type=compute_type, **kw
    )
