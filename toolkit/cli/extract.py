"""`toolkit extract`: find entities (and figures) in new text with a trained extractor."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import typer

from toolkit.cli.app import EXIT_PARTIAL, app, fail, info, warn
from toolkit.cli.out_path import check_writable
from toolkit.display import json_line


@app.command()
def extract(
    input: Path = typer.Argument(..., help="A run folder (with bitext.jsonl), a .txt file or a folder of .txt files."),
    model: Path = typer.Option(..., "--model", help="A model folder written by `toolkit train`."),
    out: Path = typer.Option(None, "--out", help="JSON lines file to write (default: standard output)."),
    lang: str = typer.Option(None, "--lang", help="Language of text files (ISO or NLLB code); detected when left out."),
    figures: bool = typer.Option(
        True, "--figures/--no-figures", help="Merge the figure finder's figures into the output."
    ),
) -> None:
    """Write one JSON object per entity or figure: label, start, end, text, score, doc, lang, field."""
    from toolkit.extractor import load_extractor
    from toolkit.extractor.extract import extract_input, figure_finder
    from toolkit.io.atomic import atomic_open
    from toolkit.languages import to_nllb
    from toolkit.records import Skip

    if not input.exists():
        fail(f"{input}: no such file or folder; give a run folder, a .txt file or a folder of them")
    code = to_nllb(lang) if lang else None
    if out is not None:  # asked before the model loads: a refusal is the command's one line
        check_writable(out)
        if out.is_dir():
            fail(f"--out {out} is a folder; give a file name for the JSON lines")
    extractor = load_extractor(model)
    if figures and figure_finder() is None:
        warn("the figure finder (toolkit.figures.extract_figures) is not available: entities only")
    skipped = found = 0
    with atomic_open(out) if out else contextlib.nullcontext(sys.stdout) as fh:
        for item in extract_input(input, extractor, lang=code, figures=figures):
            if isinstance(item, Skip):
                skipped += 1
                warn(f"skipped {item.path}{f' line {item.line}' if item.line else ''}: {item.reason}")
                continue
            found += 1
            fh.write(json_line(item) + "\n")  # JSON reads the escapes back as the same text
    info(f"{found} spans found with {extractor.version}" + (f", {skipped} inputs skipped" if skipped else ""))
    if skipped:
        raise typer.Exit(EXIT_PARTIAL)
