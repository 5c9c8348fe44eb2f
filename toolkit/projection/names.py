"""Finding a name span of one text in another: by spelling, by sound, by its parts.

A span (after its title and lowercase designators are stripped) is read as
*pieces*: heads of bodies from ``lexicon.CONCEPTS`` ("Komite Partai
Distrik") and names ("Nui Thanh"). In the target each piece is looked for
on its own: a head by any of its spellings in the target language, a name
by its folded spelling (same script: "Nui Thanh" = "Núi Thành") or by
sound (Thai <-> Latin, ``romanise``). A candidate is a stretch of the
target holding every piece once, in any order, with nothing between them
but the target's connectors and designators ("Standing Committee *of the*
Nui Thanh District Party Committee", "Ban Thường vụ Huyện ủy Núi Thành").
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.languages import has_thai, is_thai_char
from toolkit.projection import lexicon
from toolkit.projection.romanise import MIN_MARGIN, MIN_SCORE, similarity
from toolkit.projection.text import (
    at_boundary,
    capitalised_runs,
    find_all,
    fold,
    fold_key,
    overlaps,
)

Interval = tuple[int, int]
MAX_GAP_WORDS = 3  # connector words allowed between two pieces


@dataclass(frozen=True)
class Piece:
    kind: str  # "head" or "name"
    value: str  # the concept for a head, the folded name for a name


def strip_affixes(text: str, lang: str) -> tuple[int, int]:
    """The part of a span that is the name: titles and lowercase designators cut off both ends.

    Returns offsets into ``text``. Capitalised words are never cut ("Taman
    Industri" stays), only words in the language's title and designator
    lists, and Latin designators only when written in lower case, as the
    guidelines say ("distrik Nui Thanh" -> "Nui Thanh"). Thai designators
    stand before the name ("นครห่าติ๋ญ"), so only a leading one is cut:
    a trailing "เมือง" is part of "คณะกรรมการแนวร่วมปิตุภูมิเมือง".
    """
    a, b = 0, len(text)
    changed = True
    while changed and a < b:
        changed = False
        for word in lexicon.titles(lang) + lexicon.designators(lang):
            w = len(word)
            is_title = word in lexicon.TITLES.get(lang, ())
            head, tail = text[a : a + w], text[b - w : b]
            thai = has_thai(word)
            lead = head.casefold() == word.casefold() and (is_title or thai or head.islower())
            if lead and (thai or a + w == b or not text[a + w].isalnum()):
                a += w
                changed = True
            elif (
                not is_title
                and not thai
                and tail.casefold() == word.casefold()
                and tail.islower()
                and (b - w == a or not text[b - w - 1].isalnum())
            ):
                b -= w
                changed = True
            while a < b and (text[a].isspace() or text[a] in "-–.,"):
                a += 1
                changed = True
            while b > a and (text[b - 1].isspace() or text[b - 1] in "-–.,"):
                b -= 1
    return a, b


def decompose(text: str, lang: str) -> list[Piece]:
    """The heads and names of a span's text, in order (fillers dropped)."""
    f = fold(text).text
    heads = lexicon.heads(lang)
    fillers = lexicon.filler_words(lang)
    thai_fillers = sorted((w for w in fillers if has_thai(w)), key=len, reverse=True)
    pieces: list[Piece] = []
    name: list[str] = []

    def flush() -> None:
        joined = "".join(name).strip(" .,;:'\"()")
        if joined:
            pieces.append(Piece("name", joined))
        name.clear()

    i, n = 0, len(f)
    while i < n:
        if f[i] == " ":
            name.append(" ")
            i += 1
            continue
        head = next((h for h, _ in heads if f.startswith(h, i) and at_boundary(f, i, i + len(h))), None)
        if head is not None:
            flush()
            pieces.append(Piece("head", dict(heads)[head]))
            i += len(head)
            continue
        if is_thai_char(f[i]):
            filler = next((w for w in thai_fillers if f.startswith(w, i)), None) if not "".join(name).strip() else None
            if filler:
                i += len(filler)
                continue
            name.append(f[i])
            i += 1
            continue
        j = i
        while j < n and f[j] != " " and not is_thai_char(f[j]):
            j += 1
        word = f[i:j]
        if word.strip(".,;:()") in fillers:
            flush()
        else:
            name.append(word)
        i = j
    flush()
    return pieces


def _same_script(name: str, tgt: str) -> bool:
    return has_thai(name) == has_thai(tgt)


def _thai_candidates(tgt: str) -> list[Interval]:
    from toolkit.segment.tokens import thai_words

    words = [(t.start, t.end) for t in thai_words(tgt, keep_whitespace=False) if has_thai(t.text)]
    return [(words[i][0], words[j][1]) for i in range(len(words)) for j in range(i, min(len(words), i + 4))]


def find_by_sound(name: str, tgt: str) -> list[Interval]:
    """Every occurrence in ``tgt`` of the one name there that sounds like ``name``; empty when none or unsure."""
    cands = _thai_candidates(tgt) if has_thai(tgt) else capitalised_runs(tgt)
    if not cands:
        return []
    scored = sorted(((similarity(name, tgt[a:b]), b - a, (a, b)) for a, b in cands), key=lambda x: (-x[0], x[1]))
    best_score, _, best = scored[0]
    if best_score < MIN_SCORE:
        return []
    best_key = fold_key(tgt[best[0] : best[1]])
    rival = next(
        (s for s, _, iv in scored[1:] if not overlaps(iv, best) and fold_key(tgt[iv[0] : iv[1]]) != best_key), 0.0
    )
    if best_score - rival < MIN_MARGIN:
        return []
    return find_all(fold(tgt), best_key) or [best]


def find_piece(piece: Piece, tgt: str, tgt_lang: str) -> list[Interval]:
    """Occurrences of one piece in ``tgt``, left to right."""
    folded = fold(tgt)
    if piece.kind == "head":
        found: list[Interval] = []
        for form in lexicon.spellings(piece.value, tgt_lang):
            found.extend(iv for iv in find_all(folded, form) if not any(overlaps(iv, o) for o in found))
        return sorted(found)
    if _same_script(piece.value, tgt):
        return find_all(folded, piece.value)
    return find_by_sound(piece.value, tgt)


def _gap_ok(tgt: str, a: int, b: int, fillers: frozenset[str]) -> bool:
    """Whether ``tgt[a:b]`` holds only connectors and designators (or nothing) between two pieces."""
    if b < a:
        return False
    gap = fold(tgt[a:b]).text.replace("'s", " 's").strip()
    if not gap:
        return True
    words = gap.replace(",", " ").split()
    return len(words) <= MAX_GAP_WORDS and all(w in fillers for w in words)


def windows(pieces: list[Piece], tgt: str, tgt_lang: str) -> list[Interval]:
    """Minimal stretches of ``tgt`` holding every piece once, joined only by fillers."""
    occ = [find_piece(p, tgt, tgt_lang) for p in pieces]
    if any(not o for o in occ):
        return []
    fillers = lexicon.filler_words(tgt_lang)
    found: set[Interval] = set()

    def extend(start: int, end: int, used: frozenset[int]) -> None:
        if len(used) == len(pieces):
            found.add((start, end))
            return
        for k, spans in enumerate(occ):
            if k in used:
                continue
            for a, b in spans:
                if a >= end and _gap_ok(tgt, end, a, fillers):
                    extend(start, b, used | {k})

    for k, spans in enumerate(occ):
        for a, b in spans:
            extend(a, b, frozenset({k}))
    minimal = [w for w in found if not any(o != w and w[0] <= o[0] and o[1] <= w[1] for o in found)]
    return sorted(minimal)


def next_to_head(iv: Interval, tgt: str, tgt_lang: str) -> bool:
    """Whether the name at ``iv`` forms one body with a head in ``tgt`` ("Thang Binh District Party Committee").

    A place that the source names alone ("i Thang Binh-distriktets
    partikomité": LOC, the Norwegian is lower case) is, in such a
    translation, part of an ORG, and by the guidelines not a LOC there.
    """
    fillers = lexicon.filler_words(tgt_lang)
    folded = fold(tgt)
    for form, _ in lexicon.heads(tgt_lang):
        for a, b in find_all(folded, form):
            if (b <= iv[0] and _gap_ok(tgt, b, iv[0], fillers)) or (a >= iv[1] and _gap_ok(tgt, iv[1], a, fillers)):
                return True
    return False
