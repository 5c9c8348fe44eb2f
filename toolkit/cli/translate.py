"""`toolkit translate IN_DIR --out RUN_DIR`: a folder of articles -> aligned translations."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from tqdm import tqdm

from toolkit.cli.app import EXIT_OK, EXIT_PARTIAL, app, fail, info
from toolkit.languages import LanguageError, parse_lang_list, to_nllb
from toolkit.run import RunPaths
from toolkit.translate.ct2 import COMPUTE_TYPES
from toolkit.translate.engine import DEFAULT_MODEL, Engine, GenerationSettings, ModelNotFoundError
from toolkit.translate.runner import DEFAULT_BATCH_TOKENS

if TYPE_CHECKING:  # the pipeline (and what it imports) loads only when a run starts
    from toolkit.translate.pipeline import RunSummary, TranslateConfig


class EngineChoice(str, Enum):
    auto = "auto"
    ctranslate2 = "ctranslate2"
    transformers = "transformers"


class DeviceChoice(str, Enum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


#: CTranslate2's compute types (transformers takes float32, float16, bfloat16).
ComputeType = Enum("ComputeType", {c: c for c in COMPUTE_TYPES}, type=str)


@app.command()
def translate(
    in_dir: Path = typer.Argument(
        ..., help="Folder of articles (read recursively): .txt, .html, .md, .docx, .jsonl, .csv, .parquet, datasets."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Run folder to write (created if missing; resumes if present)."),
    to: str = typer.Option("eng_Latn,vie_Latn", "--to", help="Target languages, NLLB or ISO codes, comma-separated."),
    src: str | None = typer.Option(None, "--from", help="Source language of every document (default: detect each)."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Hub id, HF folder or CTranslate2 folder."),
    engine: EngineChoice = typer.Option(
        EngineChoice.auto,
        "--engine",
        help="auto (CTranslate2, converting an HF model once), ctranslate2 or transformers.",
    ),
    device: DeviceChoice = typer.Option(DeviceChoice.auto, "--device", help="auto, cpu or cuda."),
    compute_type: ComputeType | None = typer.Option(  # type: ignore[valid-type]
        None,
        "--compute-type",
        help="Arithmetic to run in (default: int8 weights as int8 on a CPU, float16 on a GPU); "
        "transformers takes float32, float16 or bfloat16.",
    ),
    batch_size: int | None = typer.Option(None, "--batch-size", min=1, help="At most this many sentences a batch."),
    batch_tokens: int = typer.Option(
        DEFAULT_BATCH_TOKENS, "--batch-tokens", min=1, help="Token budget of a batch (padding included)."
    ),
    num_beams: int = typer.Option(
        GenerationSettings().num_beams,
        "--num-beams",
        min=1,
        help="Beam size: 1 is greedy, the fast default; 4 for quality.",
    ),
    shortlist: bool | None = typer.Option(
        None,
        "--shortlist/--no-shortlist",
        help="Restrict the output vocabulary (CTranslate2 only; on by default there).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    text_field: str | None = typer.Option(None, "--text-field", help="Tables: the text column (text/content/body)."),
    id_field: str | None = typer.Option(None, "--id-field", help="Tables: the id column (default id, else row)."),
) -> None:
    """Translate every article under IN_DIR, sentence by sentence, into RUN_DIR."""
    from toolkit.translate.pipeline import TranslateConfig

    try:
        targets = parse_lang_list(to)
        src_lang = to_nllb(src) if src else None
    except LanguageError as e:
        fail(str(e))
    config = TranslateConfig(targets=targets, src_lang=src_lang, max_batch_tokens=batch_tokens, max_batch=batch_size)
    config.text_field, config.id_field = text_field, id_field
    eng = _load(
        model,
        engine.value,
        device.value,
        compute_type.value if compute_type else None,
        GenerationSettings(num_beams=num_beams),
        shortlist,
        targets,
    )
    summary = _translate(in_dir, out, eng, config, quiet)
    info(summary.describe(len(targets)))
    for s in summary.skips:
        info(f"skipped {s.path}{f':{s.line}' if s.line else ''}: {s.reason}")
    paths = RunPaths(out)
    info(f"wrote {paths.bitext}, {paths.info.name}, {paths.translations_dir.name}/, {paths.tmx_dir.name}/")
    raise typer.Exit(EXIT_OK if summary.ok else EXIT_PARTIAL)


def _translate(in_dir: Path, out: Path, eng: Engine, config: TranslateConfig, quiet: bool) -> RunSummary:
    """``translate_folder`` under a progress bar; a run-wide problem is one line and exit 2."""
    from toolkit.translate.cache import CacheWriteError
    from toolkit.translate.pipeline import RunError, translate_folder

    bar = tqdm(total=0, unit="sent", desc="translating", disable=quiet, dynamic_ncols=True)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        return translate_folder(in_dir, out, eng, config, progress=progress)
    except (RunError, CacheWriteError) as e:
        fail(str(e))
    finally:
        bar.close()


def _load(
    model: str,
    engine: str,
    device: str,
    compute_type: str | None,
    settings: GenerationSettings,
    shortlist: bool | None,
    targets: list[str],
) -> Engine:
    """The engine, or one line and exit 2 when the model or an option cannot be had."""
    from transformers.utils import logging as hf_logging

    from toolkit.translate.loading import load_engine

    # transformers' own progress bars and its "sequence longer than the model"
    # warning (we split long sentences ourselves) would bury our progress bar.
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    info(f"loading {model} ({engine}, device {device}) ...")
    try:
        return load_engine(
            model,
            engine=None if engine == "auto" else engine,
            device=device,
            settings=settings,
            compute_type=compute_type,
            shortlist=shortlist,
            targets=targets,
        )
    except (ModelNotFoundError, ValueError) as e:  # ValueError: an option the engine can't honour
        fail(str(e))
