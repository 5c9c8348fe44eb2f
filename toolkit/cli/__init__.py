"""The ``toolkit`` command: one module per sub-command, each a thin typer
function over a library function (see ``toolkit.cli.main``)."""
