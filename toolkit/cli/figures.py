"""`toolkit figures`: print a text's figures as JSON lines, or run the conformance suite.

toolkit figures FILE --lang id                        # FILE or "-" for standard input (= figures find)
toolkit figures conformance [--dir PATH] [--failures]  # the Duckling cases; old spelling: --conformance
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import click
import typer
from typer.core import TyperGroup

from toolkit.cli.app import EXIT_PARTIAL, app, fail
from toolkit.display import json_line, shown_lines
from toolkit.figures import extract_figures
from toolkit.figures.conformance import run_conformance
from toolkit.languages import to_iso

CONFORMANCE_ENV = "TOOLKIT_CONFORMANCE_DIR"


def conformance_dir() -> Path:
    """Where the conformance cases are: $TOOLKIT_CONFORMANCE_DIR, else ``<repo>/../shared/conformance/duckling``."""
    env = os.environ.get(CONFORMANCE_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "duckling"


class _FiguresGroup(TyperGroup):
    """`toolkit figures FILE` is short for `toolkit figures find FILE`; `--conformance` for `conformance`.

    The short form predates the sub-commands and is what the README and the
    pipeline's users type, so a first word that is no sub-command is a FILE.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = list(args)
        if "--conformance" in args:
            args.remove("--conformance")
            args.insert(0, "conformance")
        elif args and args[0] not in self.commands and args[0] != "--help":
            args.insert(0, "find")
        return super().parse_args(ctx, args)


figures_app = typer.Typer(
    cls=_FiguresGroup,
    help="Find the figures of a text (`toolkit figures FILE --lang id` is short for `figures find`), "
    "or run the conformance suite.",
    no_args_is_help=True,
)
app.add_typer(figures_app, name="figures")


@figures_app.command("find")
def find_command(
    file: str = typer.Argument(None, help='A UTF-8 text file, or "-" for standard input.'),
    lang: str = typer.Option(
        ...,
        "--lang",
        "-l",
        help="Language of the text: id, pt, nb, th, vi, en or an NLLB code (the separators and number words "
        "depend on it).",
    ),
) -> None:
    """Print the figures of FILE as JSON lines (offsets into the file's text, and the line number)."""
    if file is None:
        fail('give a FILE (or "-" for standard input) and --lang, or run `toolkit figures conformance`')
    iso = to_iso(lang)
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
    try:
        _print_figures(stream, iso)
    except UnicodeDecodeError as exc:
        fail(f"{name}: not UTF-8 text (byte {exc.start} of a line); convert it first, e.g. with iconv")
    finally:
        if stream is not sys.stdin:
            stream.close()


def _print_figures(stream: Iterable[str], iso: str) -> None:
    # Line by line, so that a large file or a pipe is streamed; offsets stay file-wide.
    offset = 0
    for lineno, line in enumerate(stream, start=1):
        for fig in extract_figures(line, iso):
            d = fig.to_dict()
            d["start"] += offset
            d["end"] += offset
            d["line"] = lineno
            typer.echo(json_line(d))  # json.dumps leaves U+202E, U+2028 and C1 controls raw
        offset += len(line)


@figures_app.command("conformance")
def conformance_command(
    directory: Path = typer.Option(
        None,
        "--dir",
        help=f"Folder of cases.jsonl (default: ${CONFORMANCE_ENV}, else <repo>/../shared/conformance/duckling).",
    ),
    failures: bool = typer.Option(False, "--failures", help="Also list the failing cases as JSON lines."),
) -> None:
    """Run the Duckling conformance cases and print the table; exit 1 when a language is below the aims."""
    table = run_conformance(directory or conformance_dir())
    typer.echo(shown_lines(table.format()))
    if failures:
        for row in sorted(table.rows.values(), key=lambda r: (r.lang, r.dim)):
            for case in row.failures:
                typer.echo(json_line({"lang": row.lang, "dim": row.dim, **case}))
    low = table.below_aims()
    if low:
        fail("below the aims: " + ", ".join(f"{r.lang}/{r.dim} {r.rate:.1%}" for r in low), EXIT_PARTIAL)
