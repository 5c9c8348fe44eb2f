"""A modest, rule-based entity guesser for pre-annotations.

It stands in for a trained extractor (same protocol: ``.version`` and
``.predict(text, lang)``) until annotators have labelled enough to train one.
It guesses; annotators correct. Rules, in order of trust:

1. a title word before a name (Bapak, Tn., Sr., Herr, Mr., ông/bà, นาย/นาง):
   the capitalised words after it are PER, the title stays outside;
2. a place designator (distrik, provinsi, província, tỉnh, huyện, จังหวัด
   before the name; district, province, -distriktet, -provinsen after it):
   the name is LOC, the lowercase designator stays outside;
3. an organisation head (Komite, Comitê, Ủy ban, ... Committee, Front):
   the head with the capitalised words that belong to it is ORG;
4. across texts (``predict_texts``): a run of two or more capitalised words
   found identical in the source and a translation is a kept name; it is PER
   when it starts with a common Vietnamese surname, LOC when every word looks
   like an unaccented Vietnamese syllable ("Nui Thanh"), otherwise left alone.

Thai has no capitals and no spaces between words, so only rules 1 and 2 run
on it, taking the name up to the next space (or the next two or three
space-separated syllable groups after a title, which is how Thai writes
Vietnamese names). Norwegian writes organisations in lower case
(partikomiteen); those are left to the annotator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from toolkit.records import Span

VERSION = "rules-1"

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽĐƠƯẠ-Ỹ"
_WORD = rf"[{_UPPER}][\w'’.-]*"
_CONNECT = r"(?:do|da|de|dos|das|di|dan|van|of|the|for|and|i|og|for|e|và|và|của)"
# A run of capitalised words, lowercase connectors allowed only between them.
_RUN = rf"{_WORD}(?:[ ]+(?:{_CONNECT}[ ]+)?{_WORD})*"

TITLES = (
    "Bapak",
    "Bpk.",
    "Pak",
    "Ibu",
    "Bu",
    "Tn.",
    "Ny.",
    "Sdr.",
    "Sr.",
    "Sra.",
    "Srta.",
    "Dr.",
    "Dra.",
    "Herr",
    "Fru",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Mr",
    "Mrs",
    "Ms",
    "Ông",
    "ông",
    "Bà",
    "bà",
    "Anh",
    "Chị",
    "Kamerat",
    "Camarada",
    "Comrade",
    "kamerat",
    "camarada",
    "comrade",
    "đồng chí",
    "Đồng chí",
)
THAI_TITLES = ("นาย", "นางสาว", "นาง", "คุณ", "สหาย")

LOC_BEFORE = (
    "distrik",
    "provinsi",
    "kabupaten",
    "kecamatan",
    "kota",
    "desa",
    "kelurahan",
    "pelabuhan",
    "jalan",
    "província",
    "distrito",
    "cidade",
    "município",
    "comuna",
    "porto",
    "rua",
    "provinsen",
    "distriktet",
    "byen",
    "kommunen",
    "tỉnh",
    "huyện",
    "xã",
    "phường",
    "quận",
    "thành phố",
    "thị xã",
    "cảng",
    "đường",
    "province",
    "district",
    "city",
    "commune",
)
LOC_AFTER = ("district", "province", "city", "commune", "port", "town")
LOC_SUFFIX_NB = ("distriktet", "distriktets", "provinsen", "provinsens", "kommune", "kommunes", "byen")
THAI_LOC = ("จังหวัด", "อำเภอ", "ตำบล", "เมือง", "นคร", "แขวง", "ประเทศ")

ORG_BEFORE = (
    "Komite",
    "Partai",
    "Front",
    "Dewan",
    "Kementerian",
    "Departemen",
    "Serikat",
    "Persatuan",
    "Comitê",
    "Comité",
    "Partido",
    "Frente",
    "Conselho",
    "Ministério",
    "Departamento",
    "União",
    "Associação",
    "Komiteen",
    "Fronten",
    "Ủy ban",
    "Mặt trận",
    "Đảng",
    "Hội",
    "Sở",
    "Bộ",
    "Ban",
)
ORG_AFTER = ("Committee", "Front", "Council", "Party", "Union", "Association", "Department", "Ministry", "Board")

VIET_SURNAMES = frozenset(
    [
        "Nguyen",
        "Nguyễn",
        "Tran",
        "Trần",
        "Le",
        "Lê",
        "Pham",
        "Phạm",
        "Hoang",
        "Hoàng",
        "Huynh",
        "Huỳnh",
        "Phan",
        "Vu",
        "Vũ",
        "Vo",
        "Võ",
        "Dang",
        "Đặng",
        "Bui",
        "Bùi",
        "Do",
        "Đỗ",
        "Ho",
        "Hồ",
        "Ngo",
        "Ngô",
        "Duong",
        "Dương",
        "Ly",
        "Lý",
        "Truong",
        "Trương",
        "Dinh",
        "Đinh",
        "Mai",
        "Trinh",
        "Trịnh",
        "Doan",
        "Đoàn",
        "Luong",
        "Lương",
    ]
)
_VIET_SYLLABLE = re.compile(r"^(?:[BCDGHKLMNPQRSTVXĐ]|Ch|Gh|Gi|Kh|Ng|Ngh|Nh|Ph|Qu|Th|Tr)?[aeiouy][a-z]{0,4}$")


def _alts(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_TITLE_RE = re.compile(rf"(?<![\w])(?:{_alts(TITLES)})[ ]+({_WORD}(?:[ ]+{_WORD}){{0,3}})")
# Designators are matched in any case ("Distrik"/"distrik"), the name must be capitalised.
_LOC_BEFORE_RE = re.compile(rf"(?<![\w])(?i:{_alts(LOC_BEFORE)})[ ]+({_RUN})")
_LOC_AFTER_RE = re.compile(rf"({_RUN})[ ]+(?:{_alts(LOC_AFTER)})(?![\w])")
_LOC_SUFFIX_RE = re.compile(rf"({_RUN})-(?:{_alts(LOC_SUFFIX_NB)})(?![\w])")
_ORG_BEFORE_RE = re.compile(rf"(?<![\w])(?:{_alts(ORG_BEFORE)})(?:[ ]+(?:{_CONNECT}[ ]+)?{_WORD})+")
_ORG_AFTER_RE = re.compile(rf"(?:(?!The )(?:{_RUN})[ ]+)?(?:{_alts(ORG_AFTER)})(?![\w])")
_RUN_RE = re.compile(rf"(?<![\w]){_RUN}")


def _thai_tokens(text: str) -> list[tuple[int, int, str]]:
    """Thai words with their offsets (pythainlp newmm), whitespace kept as tokens.

    Matching designators on whole words, not on substrings, is what keeps
    "นาย" (Mr) from firing inside "นายก" (prime minister) and "เมือง" (city)
    from firing in "ในเมือง" (in town).
    """
    from pythainlp.tokenize import word_tokenize

    out, pos = [], 0
    for tok in word_tokenize(text, engine="newmm", keep_whitespace=True):
        out.append((pos, pos + len(tok), tok))
        pos += len(tok)
    return out


def _thai_stop_words() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    # Function words and the verbs that follow a name in news prose end it.
    return frozenset(thai_stopwords()) | {"ดำเนิน", "มุ่งเน้น", "เป็น", "มี", "ได้", "จะ", "ให้", "ว่า"}


def _thai_name_after(
    tokens: list[tuple[int, int, str]], i: int, groups: int, stop: frozenset[str]
) -> tuple[int, int] | None:
    """The name after the designator or title at ``tokens[i]``: Thai words up
    to a function word, punctuation or the end of ``groups`` space-separated groups."""
    j = i + 1
    if j < len(tokens) and tokens[j][2] == " ":
        j += 1
    start = end = None
    seen_groups = 1
    while j < len(tokens):
        a, b, tok = tokens[j]
        if tok.isspace():
            seen_groups += 1
            if tok != " " or seen_groups > groups:
                break
        elif tok in stop or not all("\u0e00" <= ch <= "\u0e7f" for ch in tok):
            break
        else:
            start = a if start is None else start
            end = b
        j += 1
    return (start, end) if start is not None and end - start >= 2 else None


def _strip_trailing_connector(text: str, start: int, end: int) -> tuple[int, int]:
    # A run may not end on a connector or a full stop that ends the sentence.
    while end > start and text[end - 1] in ".,’'-":
        end -= 1
    return start, end


def _span(text: str, start: int, end: int, label: str) -> Span | None:
    start, end = _strip_trailing_connector(text, start, end)
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


def _looks_vietnamese_name(run: str) -> bool:
    words = run.split()
    return len(words) >= 2 and all(_VIET_SYLLABLE.match(w) for w in words)


class RuleGuesser:
    """The rule-based entity guesser; ``version`` goes into Label Studio's ``model_version``."""

    version = VERSION

    def _trigger_spans(self, text: str, lang: str) -> list[Span]:
        found: list[Span | None] = []
        if lang == "tha_Thai":
            tokens, stop = _thai_tokens(text), _thai_stop_words()
            for i, (_, _, tok) in enumerate(tokens):
                # Vietnamese names in Thai are written as up to three spaced syllable groups.
                label, groups = ("PER", 3) if tok in THAI_TITLES else ("LOC", 1) if tok in THAI_LOC else (None, 0)
                where = _thai_name_after(tokens, i, groups, stop) if label else None
                if label and where:
                    found.append(_span(text, where[0], where[1], label))
            return [s for s in found if s]
        found += [_span(text, m.start(1), m.end(1), "PER") for m in _TITLE_RE.finditer(text)]
        found += [_span(text, m.start(), m.end(), "ORG") for m in _ORG_BEFORE_RE.finditer(text)]
        found += [_span(text, m.start(), m.end(), "ORG") for m in _ORG_AFTER_RE.finditer(text) if " " in m.group()]
        for rx in (_LOC_BEFORE_RE, _LOC_AFTER_RE, _LOC_SUFFIX_RE):
            found += [_span(text, m.start(1), m.end(1), "LOC") for m in rx.finditer(text)]
        return [s for s in found if s]

    def predict(self, text: str, lang: str) -> list[Span]:
        """Entity candidates in one text (rules 1-3)."""
        return _resolve(self._trigger_spans(text, lang))

    def predict_texts(self, texts: Mapping[str, tuple[str, str]]) -> dict[str, list[Span]]:
        """Entity candidates in the texts of one record: ``{key: (text, lang)}`` -> ``{key: spans}``.

        Adds rule 4: capitalised runs kept identical across two or more texts.
        """
        runs: dict[str, list[tuple[str, re.Match[str]]]] = {}
        for key, (text, lang) in texts.items():
            if lang == "tha_Thai":
                continue
            for m in _RUN_RE.finditer(text):
                run = m.group().rstrip(".,’'-")  # "Quang Nam." at a sentence end is "Quang Nam"
                if " " in run:
                    runs.setdefault(run, []).append((key, m))
        shared: dict[str, list[Span]] = {key: [] for key in texts}
        for run, hits in runs.items():
            if len({key for key, _ in hits}) < 2:
                continue
            words = run.split()
            if words[0] in VIET_SURNAMES and len(words) >= 2:
                label = "PER"
            elif _looks_vietnamese_name(run):
                label = "LOC"
            else:
                continue
            for key, m in hits:
                span = _span(texts[key][0], m.start(), m.end(), label)
                if span:
                    shared[key].append(span)
        return {key: _resolve(self._trigger_spans(text, lang) + shared[key]) for key, (text, lang) in texts.items()}
