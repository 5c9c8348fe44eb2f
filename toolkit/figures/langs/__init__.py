"""One table per language: ``LEXICON`` in ``<iso>.py``."""

from __future__ import annotations

import importlib
from functools import cache

from toolkit.figures.lexicon import Lexicon

LANGS = ("id", "pt", "nb", "th", "vi", "en")
DASHES = {"-", "–", "—", "~"}


@cache
def lexicon(iso: str) -> Lexicon:
    return importlib.import_module(f"toolkit.figures.langs.{iso}").LEXICON
