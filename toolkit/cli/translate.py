"""`toolkit translate IN_DIR --out RUN_DIR`: a folder of articles -> aligned translations."""

from __future__ import annotations

from pathlib import Path

import typer
from tqdm import tqdm

from toolkit.cli.app import EXIT_OK, EXIT_PARTIAL, app, fail, info
from toolkit.languages import LanguageError, parse_lang_list, to_nllb
from toolkit.translate.engine import DEFAULT_MODEL, GenerationSettings, ModelNotFoundError
from toolkit.translate.runner import DEFAULT_BATCH_TOKENS


@app.command()
def translate(
    in_dir: Path = typer.Argument(..., help="Folder of .txt articles (read recursively)."),
    out: Path = typer.Option(..., "--out", "-o", help="Run folder to write (created if missing; resumes if present)."),
    to: str = typer.Option("eng_Latn,vie_Latn", "--to", help="Target languages, NLLB or ISO codes, comma-separated."),
    src: str | None = typer.Option(None, "--from", help="Source language of every document (default: detect each)."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Hub id, HF folder or CTranslate2 folder."),
    engine: str = typer.Option(
        "auto", "--engine", help="auto (CTranslate2, converting an HF model once), ctranslate2 or transformers."
    ),
    device: str = typer.Option("auto", "--device", help="auto, cpu or cuda."),
    batch_size: int | None = typer.Option(None, "--batch-size", help="At most this many sentences a batch."),
    batch_tokens: int = typer.Option(
        DEFAULT_BATCH_TOKENS, "--batch-tokens", help="Token budget of a batch (padding included)."
    ),
    num_beams: int = typer.Option(
        GenerationSettings().num_beams, "--num-beams", help="Beam size: 1 is greedy, the fast default; 4 for quality."
    ),
    shortlist: bool | None = typer.Option(
        None,
        "--shortlist/--no-shortlist",
        help="Restrict the output vocabulary (CTranslate2 only; on by default there).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Translate every article under IN_DIR, sentence by sentence, into RUN_DIR."""
    from toolkit.translate.cache import CacheWriteError
    from toolkit.translate.loading import load_engine
    from toolkit.translate.pipeline import RunError, TranslateConfig, translate_folder

    if engine not in ("auto", "ctranslate2", "transformers"):
        fail(f"--engine must be auto, ctranslate2 or transformers, not {engine!r}")
    if device not in ("auto", "cpu", "cuda"):
        fail(f"--device must be auto, cpu or cuda, not {device!r}")
    try:
        targets = parse_lang_list(to)
        src_lang = to_nllb(src) if src else None
    except LanguageError as e:
        fail(str(e))
    config = TranslateConfig(targets=targets, src_lang=src_lang, max_batch_tokens=batch_tokens, max_batch=batch_size)

    # transformers' own progress bars and its "sequence longer than the model"
    # warning (we split long sentences ourselves) would bury our progress bar.
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    info(f"loading {model} ({engine}, device {device}) ...")
    try:
        eng = load_engine(
            model,
            engine=None if engine == "auto" else engine,
            device=device,
            settings=GenerationSettings(num_beams=num_beams),
            shortlist=shortlist,
            targets=targets,
        )
    except (ModelNotFoundError, ValueError) as e:  # ValueError: an option the engine can't honour
        fail(str(e))

    bar = tqdm(total=0, unit="sent", desc="translating", disable=quiet, dynamic_ncols=True)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        summary = translate_folder(in_dir, out, eng, config, progress=progress)
    except (RunError, CacheWriteError) as e:
        bar.close()
        fail(str(e))
    bar.close()

    langs = ", ".join(f"{k}: {v}" for k, v in sorted(summary.languages.items()))
    info(
        f"{summary.documents_translated}/{summary.documents} documents ({langs}); "
        f"{summary.body_sentences} sentences translated into {len(targets)} languages, "
        f"{summary.skipped_lines} non-body lines kept untranslated; "
        f"{summary.cache_hits} translations from the cache; {summary.flagged_records} records flagged; "
        f"{summary.sentences_per_s:.2f} sentences/s"
    )
    for s in summary.skips:
        info(f"skipped {s.path}{f':{s.line}' if s.line else ''}: {s.reason}")
    info(f"wrote {out}/bitext.jsonl, run.json, translations/, tmx/")
    raise typer.Exit(EXIT_OK if summary.ok else EXIT_PARTIAL)
