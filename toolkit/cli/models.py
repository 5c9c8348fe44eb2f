"""`toolkit models convert|shortlist`: CTranslate2 conversion and vocabulary shortlists."""

from __future__ import annotations

import time
from enum import Enum
from pathlib import Path

import typer

from toolkit.cli.app import app, fail, info
from toolkit.display import shown
from toolkit.languages import parse_lang_list
from toolkit.translate.convert import DEFAULT_QUANTIZATION, QUANTIZATIONS
from toolkit.translate.shortlist import DEFAULT_TOP

models_app = typer.Typer(
    help="Convert NLLB, M2M-100, Marian and MADLAD-400 checkpoints to CTranslate2 and build target-vocabulary "
    "shortlists.",
    no_args_is_help=True,
)
app.add_typer(models_app, name="models")

#: CTranslate2's weight types, as choices.
Quantization = Enum("Quantization", {q: q for q in QUANTIZATIONS}, type=str)


@models_app.command("convert")
def convert(
    model: str = typer.Argument(..., help="Hub id (e.g. facebook/nllb-200-distilled-600M) or Hugging Face folder."),
    out: Path = typer.Option(..., "--out", "-o", help="CTranslate2 folder to write."),
    quantization: Quantization = typer.Option(  # type: ignore[valid-type]
        Quantization(DEFAULT_QUANTIZATION),
        "--quantization",
        "-q",
        help="int8 (CPU), int8_float16 or float16 (GPU), float32 (exact), or another CTranslate2 type.",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite OUT if it exists."),
) -> None:
    """Convert a checkpoint (NLLB, M2M-100, Marian, MADLAD-400) to CTranslate2 (tokenizer files and card included)."""
    from toolkit.translate.convert import convert_model

    t0 = time.perf_counter()
    info(f"converting {model} to CTranslate2 ({quantization.value}) ...")
    try:
        path = convert_model(model, out, quantization=quantization.value, force=force)
    except FileExistsError as e:  # OUT exists and --force was not given
        fail(str(e))
    size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    info(f"wrote {path} ({size / 2**20:.1f} MB) in {time.perf_counter() - t0:.1f}s")
    typer.echo(shown(path))


@models_app.command("shortlist")
def shortlist(
    model_dir: Path = typer.Argument(
        ..., exists=True, file_okay=False, help="CTranslate2 folder (from `toolkit models convert`) or HF folder."
    ),
    to: str = typer.Option("eng_Latn,vie_Latn", "--to", help="Target languages, NLLB or ISO codes, comma-separated."),
    top: int = typer.Option(
        DEFAULT_TOP, "--top", min=1, help="Most frequent words per target language (wordfreq, offline)."
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Where to write it (default: MODEL_DIR/vmap.txt)."),
    words: list[Path] = typer.Option(
        [], "--words", exists=True, dir_okay=False, help="Extra target words, whitespace-separated (repeatable)."
    ),
) -> None:
    """Build CTranslate2's vocabulary map, restricting the output to the targets' words + the source's tokens."""
    from toolkit.translate.shortlist import write_shortlist

    targets = parse_lang_list(to)
    t0 = time.perf_counter()
    try:
        path, sl = write_shortlist(model_dir, targets, top=top, out=out, words_files=words)
    except OSError as e:  # a file of the model folder missing or unreadable, OUT not writable
        fail(f"{model_dir}: {e}")
    st = sl.stats()
    info(
        f"{st['always']} tokens always allowed for {', '.join(targets)}; {st['identity']} tokens copyable from the "
        f"source; wrote {path} in {time.perf_counter() - t0:.1f}s"
    )
    typer.echo(shown(path))
