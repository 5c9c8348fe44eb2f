"""Entity words per language: ``LEXICON`` in ``<iso>.py`` (the ``figures/langs`` pattern).

``lexicon(code)`` takes an NLLB or ISO code; a language without a table of
its own (a text detected as Malay, say) gets the union of all of them.
"""

from __future__ import annotations

import importlib
from functools import cache

from toolkit.extractor.entity_lexicon import EntityLexicon, merge
from toolkit.languages import NLLB_TO_ISO

LANGS = ("id", "pt", "nb", "th", "vi", "en")


@cache
def lexicon(code: str) -> EntityLexicon:
    """The entity lexicon of ``code`` (NLLB "ind_Latn" or ISO "id")."""
    iso = NLLB_TO_ISO.get(code, code)
    if iso not in LANGS:
        return every_language()
    return importlib.import_module(f"toolkit.extractor.lexicon.{iso}").LEXICON


@cache
def every_language() -> EntityLexicon:
    """The union of every language's lexicon."""
    return merge(lexicon(iso) for iso in LANGS)
