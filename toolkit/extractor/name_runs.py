"""Capitalised runs in Latin-script text and the label each one can be given
before any annotation exists (the rule guesser's rules 5-8).

A run is a sequence of capitalised words ("Heru Budi Hartono", "Rio de
Janeiro", "Kim Jong-il", "Rolf B. Wegner"): name particles of the language
("de", "bin") and hyphens may sit inside it. A run says nothing about its
label on its own, so each is labelled only when some maintained resource
says what it is, else left alone:

5. an organisation word in it ("Universitas", "Banco", a Norwegian compound
   ending in "-partiet"): ORG;
6. the gazetteer (``toolkit.extractor.gazetteer``) knows the whole run as
   a place and nothing else: LOC ("Jawa Barat", "Lissabon", "Norges" with
   the genitive s);
7. it starts with a first name (gender-guesser) that is no common word of
   the language: PER ("Carlos Moedas", "Kari"); a run of Vietnamese
   syllables is PER after a Vietnamese surname, else LOC ("Binh Thuan");
8. a word only people go with stands next to it ("kata Heru Budi Hartono",
   "sier Bertelsen", "segundo Lopes"): PER.

Left out, because it was wrong too often on other people's corpora (train
splits of ../shared/external-ner): two or more words rare in the language
(wordfreq) as PER was right 210 times in 397 (places, film titles).

Before that, the words in front that are not part of a name are cut off: a
title or an office ("Presiden", "Menteri"), and at the start of a sentence
a common word ("Selain", "Dalam"); so are common words at the end
("Jakarta Senin": Monday).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from toolkit.extractor.entity_lexicon import EntityLexicon
from toolkit.extractor.gazetteer import gazetteer
from toolkit.extractor.lexicon import lexicon, vi
from toolkit.languages import NLLB_TO_ISO
from toolkit.segment.tokens import Token

# A token after one of these starts a sentence (or a heading, a quote, a list item).
SENTENCE_OPENERS = frozenset('.!?:;"«“”„([-–—•*|/')
# Zipf frequency (wordfreq) from which a word is an ordinary word of the language.
COMMON_ZIPF = 4.5
# At the start of a sentence, a word this frequent is an ordinary word ("Selain", "Dalam").
RARE_ZIPF = 3.6
# A first name this frequent as a word is a word first ("Dia", "Han", "Ali"?): rule 7 skips it.
FIRST_NAME_MAX_ZIPF = 5.3
# ... and at the start of a sentence, where a capitalised common word is no sign of a name.
FIRST_NAME_MAX_ZIPF_AT_START = 5.0
# A word this frequent at the end of a run is cut off: weekdays and months (4.7-4.9 in
# Indonesian) but not a frequent surname ("Widodo", 4.5).
TRAILING_ZIPF = 4.65


@dataclass(frozen=True)
class RunGuess:
    """A labelled run: token indices (end exclusive) and its label."""

    start: int
    end: int
    label: str
    rule: int  # 5-8, as numbered above


def _iso(lang: str) -> str:
    iso = NLLB_TO_ISO.get(lang, lang)
    return iso if len(iso) == 2 else "en"


@lru_cache(maxsize=200_000)
def zipf(word: str, iso: str) -> float:
    """wordfreq's Zipf frequency of the lower-cased word (0 for a language wordfreq lacks)."""
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word.lower(), iso)
    except LookupError:
        return zipf_frequency(word.lower(), "en")


def is_capitalised(tok: str) -> bool:
    return tok[:1].isupper() and tok[:1].isalpha()


def _is_initial(tokens: Sequence[Token], k: int) -> bool:
    # "Rolf B. Wegner": an upper-case letter and its full stop inside a name.
    return len(tokens[k].text) == 1 and tokens[k].text.isupper() and k + 1 < len(tokens) and tokens[k + 1].text == "."


def runs(text: str, tokens: Sequence[Token], lex: EntityLexicon) -> list[tuple[int, int]]:
    """Token ranges of the capitalised runs of a sentence."""
    particles = set(lex.name_particles)
    out: list[tuple[int, int]] = []
    i, n = 0, len(tokens)
    while i < n:
        if not is_capitalised(tokens[i].text):
            i += 1
            continue
        j = i + 1
        while j < n:
            tok, gap = tokens[j], text[tokens[j - 1].end : tokens[j].start]
            if gap not in ("", " "):
                break
            nxt = tokens[j + 1] if j + 1 < n else None
            if gap == " " and is_capitalised(tok.text):
                j += 1
            elif gap == "" and tok.text in "-'’" and nxt and text[tok.end : nxt.start] == "" and nxt.text[:1].isalnum():
                j += 2  # "Sør-Afrika", "Jong-il", "O'Neil"
            elif gap == "" and tok.text == "." and _is_initial(tokens, j - 1) and nxt and is_capitalised(nxt.text):
                j += 1  # "B." inside "Rolf B. Wegner"
            elif gap == " " and tok.text in particles and nxt and is_capitalised(nxt.text):
                j += 1  # "Rio de Janeiro"
            else:
                break
        out.append((i, j))
        i = j
    return out


def at_sentence_start(tokens: Sequence[Token], i: int) -> bool:
    return i == 0 or tokens[i - 1].text in SENTENCE_OPENERS


def _words(tokens: Sequence[Token], i: int, j: int) -> list[int]:
    """The indices of the word tokens in ``[i, j)`` (not hyphens, stops, particles)."""
    return [k for k in range(i, j) if tokens[k].text[:1].isalnum()]


def _org_word(word: str, lex: EntityLexicon) -> bool:
    low = word.lower()
    return low in lex.org_head_words or bool(lex.org_suffixes and _suffix_rx(lex.org_suffixes).search(low))


@lru_cache(maxsize=16)
def _suffix_rx(suffixes: tuple[str, ...]) -> re.Pattern[str]:
    # A compound that ends in one, with at least three letters before it ("Arbeiderpartiet", not "partiet").
    return re.compile(rf"\w{{3}}(?:{'|'.join(map(re.escape, suffixes))})$")


def _drop_genitive(word: str, iso: str) -> str:
    # Norwegian (and English) glue a genitive s to the name: "Norges", "Høyres".
    return word[:-1] if iso in ("nb", "en") and len(word) > 3 and word.endswith("s") else word


def trim_run(tokens: Sequence[Token], i: int, j: int, lang: str) -> tuple[int, int]:
    """The run ``tokens[i:j]`` without the words around it that are no part of a name."""
    iso, lex, gaz = _iso(lang), lexicon(lang), gazetteer(lang)
    start = at_sentence_start(tokens, i)
    # Leading words that are no part of a name: offices, titles, and a sentence's common first word.
    while i < j:
        w = tokens[i].text
        low = w.lower().rstrip(".")
        if _org_word(w, lex):
            break
        known = gaz.labels(w) | gaz.label_of(w)
        lead = low in lex.role_words or low in lex.title_words or low in lex.place_words
        common = zipf(w, iso) >= (RARE_ZIPF if start else COMMON_ZIPF) and "LOC" not in known
        if "PER" in known and zipf(w, iso) < (FIRST_NAME_MAX_ZIPF_AT_START if start else FIRST_NAME_MAX_ZIPF):
            common = False  # "Statsminister Jens Stoltenberg": "Jens" is frequent, and a first name
        if not (lead or common or w.isupper() and len(w) == 1):
            break
        i += 1
        start = False
        while i < j and not tokens[i].text[:1].isalnum():
            i += 1
    # Trailing common words ("Jakarta Senin") and particles.
    while j > i and (not tokens[j - 1].text[:1].isalnum() or tokens[j - 1].text in lex.name_particles):
        j -= 1
    while j - i > 1 and zipf(tokens[j - 1].text, iso) >= TRAILING_ZIPF and not _org_word(tokens[j - 1].text, lex):
        if "LOC" in gaz.labels(" ".join(t.text for t in tokens[i:j])):
            break
        j -= 1
    return i, j


def label_run(tokens: Sequence[Token], i: int, j: int, lang: str) -> RunGuess | None:
    """The label of the run ``tokens[i:j]`` (trimmed), or None when no resource says."""
    iso, lex, gaz = _iso(lang), lexicon(lang), gazetteer(lang)
    run_start = i
    i, j = trim_run(tokens, i, j, lang)
    words = [tokens[k].text for k in _words(tokens, i, j)]
    if not words:
        return None
    name = " ".join(t.text for t in tokens[i:j])
    # 6. a place and nothing else ("Amerika Serikat" although "serikat" is a union)
    if gaz.labels(name) == {"LOC"} or (len(words) == 1 and gaz.labels(_drop_genitive(name, iso)) == {"LOC"}):
        return RunGuess(i, j, "LOC", 6)
    # 5. an organisation word in it; after words cut off, only as its first
    # word ("Congresso Provincial do Partido" is a congress of the party)
    if any(_org_word(w, lex) for w in (words if i == run_start else words[:1])) and (
        len(words) > 1 or lex.org_suffixes
    ):
        return RunGuess(i, j, "ORG", 5)
    first = words[0]
    # Vietnamese names, which the project's news carry in every language: a
    # surname opens a person's name ("Nguyen Tri An"), otherwise unaccented
    # syllables name a place ("Binh Thuan", "Quang Nam").
    if len(words) >= 2 and sum(vi.unaccented(w).lower() not in vi.SYLLABLES for w in words) <= len(words) // 3:
        plain = [vi.unaccented(w).lower() for w in words]
        # A surname opens a person's name, "Thi"/"Van" are middle names ("Dau Thi Huyen").
        person = plain[0] in vi.SURNAMES or any(w in vi.MIDDLE_NAMES for w in plain[1:-1])
        return RunGuess(i, j, "PER" if person else "LOC", 7)
    # 7. a first name that is no common word and no place ("Braga", "London" are both)
    if (
        gaz.label_of(first) == {"PER"}
        and zipf(first, iso) < (FIRST_NAME_MAX_ZIPF if len(words) > 1 else COMMON_ZIPF)
        and not first.isupper()
        and not any("LOC" in gaz.labels(w) for w in words[1:])
    ):
        return RunGuess(i, j, "PER", 7)
    return None


def guess_runs(text: str, tokens: Sequence[Token], lang: str) -> list[RunGuess]:
    """Every labelled capitalised run of a Latin-script sentence."""
    lex = lexicon(lang)
    out = []
    # Places whose name holds a lower-case word ("Møre og Romsdal", "Mo i Rana"): the gazetteer finds them whole.
    covered: set[int] = set()
    for a, b, label in gazetteer(lang).match([t.text for t in tokens]):
        if label == "LOC" and any(tokens[k].text[:1].islower() for k in range(a, b)):
            out.append(RunGuess(a, b, "LOC", 6))
            covered.update(range(a, b))
    for i, j in runs(text, tokens, lex):
        if covered.intersection(range(i, j)):
            continue
        g = label_run(tokens, i, j, lang)
        if g and g.label == "LOC" and g.end < len(tokens) and text[tokens[g.end - 1].end : tokens[g.end].start] == " ":
            # A place before a lower-case body is that body's name: "Bergen tingrett", "Vietnams fedrelandsfront".
            nxt = tokens[g.end].text
            if nxt[:1].islower() and _org_word(nxt, lex):
                g = RunGuess(g.start, g.end + 1, "ORG", 5)
        if g is None:
            g = _person_by_cue(tokens, i, j, lang)
        if g:
            out.append(g)
    return out


def _cue_at(tokens: Sequence[Token], k: int, step: int, cues: frozenset[str]) -> bool:
    """Is the word at ``k`` (or past a comma, going ``step``) a person cue?"""
    if 0 <= k < len(tokens) and tokens[k].text == ",":
        k += step
    return 0 <= k < len(tokens) and tokens[k].text.lower() in cues


def _person_by_cue(tokens: Sequence[Token], i: int, j: int, lang: str) -> RunGuess | None:
    """8. a run next to a word that only people go with ("kata Tantowi", "Heru
    mengatakan", "sier Bertelsen", "segundo Lopes"): PER, when no word of it
    is a place, an organisation word or an acronym."""
    lex, gaz = lexicon(lang), gazetteer(lang)
    cues = frozenset(lex.person_cues)
    if cues and tokens[i].text.lower() in cues and j - i > 1:
        i += 1  # "Menurut Suharsoyo, ...": the cue opens the sentence, capitalised
    elif not cues or not (_cue_at(tokens, i - 1, -1, cues) or _cue_at(tokens, j, 1, cues)):
        return None
    a, b = trim_run(tokens, i, j, lang)
    words = [tokens[k].text for k in _words(tokens, a, b)]
    if not words or len(words) > 4 or not words[0][:1].isupper() or (a > i and not _cue_at(tokens, j, 1, cues)):
        return None
    if any(w.isupper() or _org_word(w, lex) or "LOC" in gaz.labels(w) for w in words):
        return None
    return RunGuess(a, b, "PER", 8)
