"""``term_missing``: a glossary term of the source without any of its allowed target forms."""

from __future__ import annotations

from toolkit.checks.glossary import Glossary
from toolkit.checks.text import contains_exact
from toolkit.records import Flag


def term_flags(src: str, mt: str, src_lang: str, target: str, glossary: Glossary | None) -> list[Flag]:
    """One flag per glossary term found in ``src`` whose forms are all absent from ``mt``.

    Terms and forms match case-insensitively and not inside a Latin word
    (``toolkit.checks.text.contains_exact``); a Thai term is found inside
    unspaced Thai text. Diacritics are not folded: a glossary says exactly
    which spellings are allowed.
    """
    if glossary is None or not mt.strip():
        return []
    flags = []
    for entry in glossary.for_pair(src_lang, target):
        if contains_exact(entry.term, src) and not any(contains_exact(f, mt) for f in entry.forms):
            want = "should stay as it is" if entry.keep else f"should be translated as {' | '.join(entry.forms)!r}"
            flags.append(Flag("term_missing", target, f"{entry.term!r} {want}"))
    return flags
