"""What a translation must carry over character for character: URLs, e-mail addresses, brackets, quotes.

``url_missing``: every URL and e-mail address of the source must be in the
translation (compared case-insensitively, a trailing slash ignored): the
model respells them ("baobinhthuan.com. vn"), drops them or translates their
words.

``bracket_mismatch``: per kind of bracket, the translation has as many
opening and as many closing ones as the source. Quotes are one kind whatever
their style: a translator may turn «...» or „...“ into "..." or “...”, so
only the number of double quote marks is compared. Single quotes are left
out: ' and ’ are also the apostrophe ("People's Committee"). Counts, not
nesting, are compared, so that a source sentence that opens a quotation
closed in the next one (the segmenter cuts at sentence ends) is fine as
long as the translation does the same.
"""

from __future__ import annotations

import re

from toolkit.records import Flag

# A URL ends at white space or at a character that closes the text around it;
# trailing sentence punctuation is not part of it.
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”«»‘’()\[\]{}]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TRAILING = ".,;:!?…'"

BRACKETS = {"round": ("(", ")"), "square": ("[", "]"), "curly": ("{", "}")}
# Every double quote mark of the languages we read and write.
DOUBLE_QUOTES = '"“”„‟«»＂〝〞'


def links(text: str) -> list[str]:
    """The URLs and e-mail addresses of ``text``, in order."""
    found = [m.group().rstrip(_TRAILING) for m in _URL.finditer(text)]
    rest = _URL.sub(" ", text)
    return found + [m.group().rstrip(_TRAILING) for m in _EMAIL.finditer(rest)]


def _norm_link(link: str) -> str:
    return link.lower().rstrip("/")


def url_flags(src: str, mt: str, target: str) -> list[Flag]:
    """``url_missing``: a URL or e-mail address of the source that the translation lacks."""
    have = mt.lower()
    return [
        Flag("url_missing", target, f"{link!r} is not in the translation")
        for link in dict.fromkeys(links(src))
        if _norm_link(link) not in have
    ]


def bracket_counts(text: str) -> dict[str, tuple[int, int]]:
    """Per kind: (opening, closing) counts; quotes as (marks, 0)."""
    out = {kind: (text.count(o), text.count(c)) for kind, (o, c) in BRACKETS.items()}
    out["quote"] = (sum(text.count(q) for q in DOUBLE_QUOTES), 0)
    return out


def _describe(kind: str, counts: tuple[int, int]) -> str:
    if kind == "quote":
        return f"{counts[0]} double quote marks"
    o, c = BRACKETS[kind]
    return f"{counts[0]} {o!r} and {counts[1]} {c!r}"


def bracket_flags(src: str, mt: str, target: str) -> list[Flag]:
    """``bracket_mismatch``: a kind of bracket or the quotes not paired as in the source."""
    want, got = bracket_counts(src), bracket_counts(mt)
    return [
        Flag("bracket_mismatch", target, f"source has {_describe(k, want[k])}, translation {_describe(k, got[k])}")
        for k in want
        if want[k] != got[k]
    ]
