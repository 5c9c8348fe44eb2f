"""The shared typer application and the helpers every command uses."""

from __future__ import annotations

from typing import NoReturn

import typer

app = typer.Typer(
    name="toolkit",
    help="Translate news articles with NLLB-200, check them, annotate them in Label Studio, train an extractor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Exit codes shared by all commands.
EXIT_OK = 0
EXIT_PARTIAL = 1  # some inputs failed, the others were done
EXIT_USAGE = 2  # bad arguments, missing model, unwritable output: nothing done


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one clear line to stderr and exit."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


def info(message: str) -> None:
    typer.echo(message, err=True)
