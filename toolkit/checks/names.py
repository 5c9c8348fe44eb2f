"""What should change and what should stay: ``untranslated`` and ``name_missing``.

``untranslated``: the translation is the source, or mostly its words. Names
and numbers legitimately stay, so only the source's lower-case words of three
letters or more count ("konferensi", "mobilização"; not "Nui", "Thanh",
"2023", "di"): when at least ``MIN_WORDS`` of them are there and
``MAX_KEPT_SHARE`` or more of them reappear in the translation, or when
that share of the translation's own such words are the source's (a copy
cut short), it is flagged. Words are compared as written (no folding:
Indonesian "dan" is not Vietnamese "dân"). A short text is flagged only when it is the source itself and has
such a word: a heading "Nui Thanh" copied into English is right. For Thai
(no spaces, no case) the signal is the script: a Latin-script translation
whose letters are mostly Thai is the source copied.

``name_missing``: a Vietnamese proper name written in Latin script in the
source ("Nui Thanh", "Tam Ky", "Le Van Sinh", "Dau Thi Huyen") absent from a
Latin-script translation. A name is a run of two or more capitalised (or
all-capital) words that each have the shape of a Vietnamese syllable written
without marks (initial consonant, vowel nucleus, final consonant): that is
what tells "Nui Thanh" from "Komite Partai Distrik" in the same ORG. Single
syllables are left out ("Hue" would be caught, so would "Em" and "Dan").
The first word of a sentence is dropped from a run when it is a common word
of the source language (wordfreq Zipf frequency >= ``COMMON_ZIPF``: "Em
Binh Thuan" -> "Binh Thuan", "I Thang Binh" -> "Thang Binh"). A name is
found in the translation when the two match folded (case and Vietnamese
diacritics: "Núi Thành" matches "Nui Thanh"), or with the spaces left out
("Hanoi" for "Ha Noi").
"""

from __future__ import annotations

import functools
import re

from toolkit.checks.text import find_folded, fold
from toolkit.languages import is_thai_char, to_iso
from toolkit.records import Flag

MIN_WORDS = 4
MAX_KEPT_SHARE = 0.6
THAI_LETTER_SHARE = 0.5
COMMON_ZIPF = 5.0

_LOWER_WORD = re.compile(r"(?<!\w)[a-zà-ÿđơư\u0100-\u024f\u1e00-\u1eff]{3,}(?!\w)")
_WORD = re.compile(r"\w+")

# A Vietnamese syllable without its marks: initial, nucleus, final.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:uye|uya|uyu|oai|oay|oeo|uoi|uou|ieu|yeu|uay|uoc|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|[aeiouy])"
    r"(?:ng|nh|ch|[cmnpt])?"
)
_LETTERS = re.compile(r"(?<!\w)[^\W\d_]+(?!\w)")
# What may stand between the start of a sentence and its first word.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…])[\s\"“«(\[]*$")


def _latin(target: str) -> bool:
    return target.endswith("_Latn")


def untranslated_flags(src: str, mt: str, src_lang: str, target: str) -> list[Flag]:
    """``untranslated``: the source copied, or mostly its words."""
    if not mt.strip():
        return []
    if src_lang.endswith("_Thai") and not target.endswith("_Thai"):
        letters = [ch for ch in mt if ch.isalpha()]
        thai = sum(1 for ch in letters if is_thai_char(ch))
        if letters and thai / len(letters) >= THAI_LETTER_SHARE:
            return [Flag("untranslated", target, f"{thai / len(letters):.0%} of the letters are Thai")]
        return []
    words = _LOWER_WORD.findall(src)
    if not words:
        return []
    if " ".join(src.split()) == " ".join(mt.split()):
        return [Flag("untranslated", target, "the translation is the source")]
    # Both ways: most source words kept (a copy with a word or two translated),
    # or most of the output made of source words (a copy cut short).
    src_words, mt_all = {w.lower() for w in _WORD.findall(src)}, {w.lower() for w in _WORD.findall(mt)}
    mt_words = _LOWER_WORD.findall(mt)
    kept = sum(1 for w in words if w in mt_all)
    copied = sum(1 for w in mt_words if w in src_words)
    if len(words) >= MIN_WORDS and kept / len(words) >= MAX_KEPT_SHARE:
        return [Flag("untranslated", target, f"{kept} of the source's {len(words)} words are kept as they are")]
    if len(mt_words) >= MIN_WORDS and copied / len(mt_words) >= MAX_KEPT_SHARE:
        return [Flag("untranslated", target, f"{copied} of the translation's {len(mt_words)} words are the source's")]
    return []


@functools.lru_cache(maxsize=4096)
def _common(word: str, lang: str) -> bool:
    import wordfreq  # its word lists ship inside the wheel: no download

    try:
        return wordfreq.zipf_frequency(word.lower(), lang) >= COMMON_ZIPF
    except LookupError:
        return False


def _is_name_word(word: str) -> bool:
    """Capitalised ("Thanh") or all capitals ("THANH"), and shaped like a Vietnamese syllable."""
    if not (word[0].isupper() and (word[1:].islower() or word.isupper())):
        return False
    return _SYLLABLE.fullmatch(fold(word)) is not None


def _names(src: str, src_lang: str) -> dict[str, tuple[str, ...]]:
    """Each Latin-script Vietnamese name of ``src`` -> the spellings that count as it in a translation."""
    runs: list[list[re.Match[str]]] = []
    for m in _LETTERS.finditer(src):
        if not _is_name_word(m.group()):
            continue
        if runs and src[runs[-1][-1].end() : m.start()] == " ":
            runs[-1].append(m)
        else:
            runs.append([m])
    try:
        iso = to_iso(src_lang)
    except (KeyError, ValueError):
        iso = ""
    names: dict[str, tuple[str, ...]] = {}
    for run in runs:
        if len(run) < 2:
            continue
        whole = src[run[0].start() : run[-1].end()]
        if iso and _SENTENCE_START.search(src[: run[0].start()]) and _common(run[0].group(), iso):
            tail = src[run[1].start() : run[-1].end()]
            if len(run) > 2:  # "Em Binh Thuan": the name is "Binh Thuan"
                names.setdefault(tail, (tail,))
            else:  # "Ha Noi" or "Em Binh": either may be the name
                names.setdefault(whole, (whole, tail))
        else:
            names.setdefault(whole, (whole,))
    return names


def latin_names(src: str, src_lang: str) -> list[str]:
    """The Vietnamese names written in Latin script in ``src``, in order, without repeats."""
    return list(_names(src, src_lang))


def name_in(name: str, mt: str) -> bool:
    """``name`` occurs in ``mt``, folded, or folded with the spaces left out."""
    return find_folded(name, mt) is not None or find_folded(fold(name).replace(" ", ""), mt) is not None


def name_flags(src: str, mt: str, src_lang: str, target: str) -> list[Flag]:
    """``name_missing``: a Latin-script Vietnamese name of the source absent from a Latin-script translation."""
    if not _latin(target) or not mt.strip():
        return []
    return [
        Flag("name_missing", target, f"{name!r} is not in the translation")
        for name, spellings in _names(src, src_lang).items()
        if not any(name_in(s, mt) for s in spellings)
    ]
