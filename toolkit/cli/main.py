"""Entry point: imports every command module so that each registers itself
on the shared ``app``."""

from __future__ import annotations

from toolkit.cli import (  # noqa: F401  (imported for their @app.command side effect)
    agreement,
    evaluate,
    export,
    extract,
    figures,
    glossary,
    models,
    pull,
    push,
    rank,
    serve,
    studio,
    train,
    translate,
)
from toolkit.cli.app import app


def main() -> None:
    app()


if __name__ == "__main__":
    main()
