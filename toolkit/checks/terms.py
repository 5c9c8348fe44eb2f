"""``term_missing``: a glossary term of the source without any of its allowed target forms."""

from __future__ import annotations

import unicodedata

from toolkit.checks.glossary import Glossary, loose
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
    src, mt = unicodedata.normalize("NFC", src), unicodedata.normalize("NFC", mt)
    folded = loose(src)
    for m in glossary.matchers(src_lang, target):  # a cheap substring test first: linear in the glossary
        entry = m.entry
        if m.key not in folded or not glossary.pattern(entry.term).search(src):
            continue
        if not any(glossary.pattern(f).search(mt) for f in entry.forms if f.strip()):
            want = "should stay as it is" if entry.keep else f"should be translated as {' | '.join(entry.forms)!r}"
            flags.append(Flag("term_missing", target, f"{entry.term!r} {want}"))
    return flags
