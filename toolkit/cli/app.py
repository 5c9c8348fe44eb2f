"""The shared typer application and the helpers every command uses.

The CLI's one error boundary (spaCy's pattern) is here: a ``ToolkitError``
raised anywhere below a command (bad input, a missing model, a server that
cannot be reached) is printed as one ``error:`` line with exit 2; any other
exception is a bug and keeps its traceback (exit 1). Commands therefore catch
nothing to print it: they raise, or call ``fail``.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, NoReturn

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from toolkit.display import shown, shown_lines
from toolkit.errors import ToolkitError

try:  # typer vendors click since 0.2x, and exports neither of these
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # an older typer, on click itself
    from click.exceptions import NoArgsIsHelpError, UsageError

# Exit codes shared by all commands.
EXIT_OK = 0
EXIT_PARTIAL = 1  # some inputs failed, the others were done
EXIT_USAGE = 2  # bad arguments, missing model, unwritable output: nothing done


class _Boundary(TyperGroup):
    """The root group: a ``ToolkitError`` from any command (or sub-command)
    becomes one line and exit 2; every other exception goes on, traceback and all."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as e:
            # shown(): a message quoting a file name must not act on the
            # terminal, and escaping its newlines keeps it one line.
            typer.echo(f"error: {shown(e)}", err=True)
            raise typer.Exit(EXIT_USAGE) from e
        except NoArgsIsHelpError:
            raise  # `toolkit models`: the help is the answer
        except UsageError as e:
            # A missing or bad option of a command: one line too, not a box.
            where = e.ctx.command_path if e.ctx is not None else ctx.command_path
            typer.echo(f"error: {shown(e.format_message())} (see `{where} --help`)", err=True)
            raise typer.Exit(EXIT_USAGE) from e


def _plain_help() -> None:
    """Help as click writes it: typer (0.29) shows a flag's type as ``<bool>``
    and a required argument as ``{in_dir}`` in the usage line, which reads as
    something to type. A flag gets no type, an argument its upper-case name
    (``IN_DIR``, ``[FILE]``), as the commands' docstrings name them."""
    if getattr(TyperOption, "_toolkit_plain", False):
        return
    option_type = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: typer.Context) -> str | None:
        return None if self.is_flag and self.metavar is None else option_type(self, ctx)

    def get_usage_pieces(self: TyperArgument, ctx: typer.Context) -> list[str]:
        name = self.metavar or (self.name or "").upper()
        name = name if self.required else f"[{name}]"
        return [name + ("..." if self.nargs != 1 else "")]

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
    TyperArgument.get_usage_pieces = get_usage_pieces  # type: ignore[method-assign]
    TyperOption._toolkit_plain = True  # type: ignore[attr-defined]


_plain_help()

app = typer.Typer(
    cls=_Boundary,
    name="toolkit",
    help="Translate news articles with NLLB-200, check them, annotate them in Label Studio, train an extractor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one clear line to stderr and exit."""
    typer.echo(f"error: {shown(message)}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    # shown(): every command's messages quote file names, ids, e-mails, labels
    # and project names; escaped here, once, none acts on the terminal.
    typer.echo(f"warning: {shown(message)}", err=True)


def info(message: str) -> None:
    typer.echo(shown(message), err=True)


class _LogToStderr(logging.StreamHandler):
    """The toolkit's log (a document a bug stopped, with its traceback; a
    temporary file removed) on stderr, where the command's own lines go, each
    line escaped as ``shown`` does. Without it Python's last-resort handler
    printed it raw, and only while nothing had configured logging. Like that
    handler, it writes to the stderr of the moment (a test runner's too)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:  # StreamHandler.__init__ sets it
        pass

    def format(self, record: logging.LogRecord) -> str:
        return shown_lines(super().format(record))


def _log_to_stderr() -> None:
    logger = logging.getLogger("toolkit")
    if not any(isinstance(h, _LogToStderr) for h in logger.handlers):
        handler = _LogToStderr()
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)


_log_to_stderr()
