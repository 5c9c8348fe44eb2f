"""`toolkit figures`: print a text's figures as JSON lines, or run the conformance suite.

toolkit figures FILE --lang id        # FILE or "-" for standard input
toolkit figures --conformance [--dir PATH] [--failures]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from toolkit.cli.app import EXIT_PARTIAL, app, fail
from toolkit.figures import extract_figures
from toolkit.figures.conformance import run_conformance
from toolkit.languages import LanguageError, to_iso


@app.command("figures")
def figures_command(
    file: str = typer.Argument(None, help='A UTF-8 text file, or "-" for standard input.'),
    lang: str = typer.Option(
        None, "--lang", "-l", help="Language of the text: id, pt, nb, th, vi, en or an NLLB code."
    ),
    conformance: bool = typer.Option(
        False, "--conformance", help="Run the Duckling conformance cases and print the table."
    ),
    directory: Path = typer.Option(
        None, "--dir", help="Folder of the conformance cases (default: <repo>/../shared/conformance/duckling)."
    ),
    failures: bool = typer.Option(False, "--failures", help="With --conformance: also list the failing cases."),
) -> None:
    """Print the figures of FILE as JSON lines (offsets into the file's text), or the conformance table."""
    if conformance:
        try:
            table = run_conformance(directory)
        except FileNotFoundError as exc:
            fail(str(exc))
        typer.echo(table.format())
        if failures:
            for row in sorted(table.rows.values(), key=lambda r: (r.lang, r.dim)):
                for case in row.failures:
                    typer.echo(json.dumps({"lang": row.lang, "dim": row.dim, **case}, ensure_ascii=False))
        low = table.below_aims()
        if low:
            fail("below the aims: " + ", ".join(f"{r.lang}/{r.dim} {r.rate:.1%}" for r in low), EXIT_PARTIAL)
        return
    if file is None:
        fail('give a FILE (or "-" for standard input) and --lang, or --conformance')
    if not lang:
        fail("--lang is required: the separators and number words depend on the language (e.g. --lang id)")
    try:
        iso = to_iso(lang)
    except LanguageError as exc:
        fail(str(exc))
    if file == "-":
        stream = sys.stdin
        name = "<stdin>"
    else:
        path = Path(file)
        if not path.is_file():
            fail(f"{file}: no such file")
        try:
            stream = path.open(encoding="utf-8", newline="")
        except OSError as exc:
            fail(f"{file}: cannot open ({exc.strerror})")
        name = file
    offset = 0
    try:
        # Line by line, so that a large file or a pipe is streamed; offsets stay file-wide.
        for lineno, line in enumerate(stream, start=1):
            for fig in extract_figures(line, iso):
                d = fig.to_dict()
                d["start"] += offset
                d["end"] += offset
                d["line"] = lineno
                typer.echo(json.dumps(d, ensure_ascii=False))
            offset += len(line)
    except UnicodeDecodeError as exc:
        fail(f"{name}: not UTF-8 text (byte {exc.start} of a line); convert it first, e.g. with iconv")
    finally:
        if stream is not sys.stdin:
            stream.close()
