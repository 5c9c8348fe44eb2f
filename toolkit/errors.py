"""The toolkit's one error root.

Every error the toolkit raises on purpose (bad input, a missing model, an
unreachable server) derives from :class:`ToolkitError`, as every error of
``datasets`` derives from ``DatasetsError``. The CLI's one boundary
(``toolkit/cli/app.py``) turns a ``ToolkitError`` into one ``error:`` line and
exit 2; anything else is a bug and keeps its traceback.

The concrete classes keep their historical built-in bases too (``ValueError``,
``RuntimeError``, ``OSError``) so that callers written against those still work.
"""

from __future__ import annotations


class ToolkitError(Exception):
    """Something the user can fix: the message says what, and where."""
