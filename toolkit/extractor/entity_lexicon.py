"""The per-language entity words that both the CRF features and the rule guesser read.

One :class:`EntityLexicon` per language lives in
``toolkit/extractor/lexicon/<iso>.py``; ``features.py`` and ``rules.py`` know
no words of any language, only these tables, so the two cannot drift apart
again.

Entries are lower case and written as a text writes them: abbreviations keep
their full stop ("tn.", "dr."), multi-word entries keep their space ("ủy
ban", "thành phố"). The rule guesser matches entries as written (and
capitalised); the CRF, which sees one token at a time, reads them through the
``*_words`` views: every word of every entry, without the full stop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import cached_property

from toolkit.languages import all_thai


def _words(entries: Iterable[str]) -> frozenset[str]:
    return frozenset(w.rstrip(".") for e in entries for w in e.split() if w.rstrip("."))


@dataclass(frozen=True)
class EntityLexicon:
    """Everything language-specific the entity extractor and the guesser need."""

    lang: str  # ISO 639-1, or "*" for the union of all languages
    # Before a person's name, outside the span: "Bapak", "Herr", "นาย".
    titles: tuple[str, ...] = ()
    # Offices held by a person ("ketua", "visesekretær"): the name is often next to them.
    roles: tuple[str, ...] = ()
    # Words that open an organisation's name and belong to it ("Komite Partai ...").
    org_heads_before: tuple[str, ...] = ()
    # Words that close one ("... District Party Committee").
    org_heads_after: tuple[str, ...] = ()
    # Place designators before the name, outside the span ("distrik Nui Thanh").
    places_before: tuple[str, ...] = ()
    # ... after the name, after a space ("Quang Nam province").
    places_after: tuple[str, ...] = ()
    # ... glued to the name by a hyphen ("Thang Binh-distriktet").
    places_suffix: tuple[str, ...] = ()
    # Lower-case words allowed inside a run of capitalised name words ("Partido Comunista do Vietnã").
    connectors: tuple[str, ...] = ()
    # Lower-case particles inside a person's or a place's name ("Rio de Janeiro", "Ahmad bin Ali").
    name_particles: tuple[str, ...] = ()
    # Words next to which a capitalised run is a person: speech verbs and "according to"
    # ("kata", "sier", "disse", "segundo"), one word each, lower case.
    person_cues: tuple[str, ...] = ()
    # Endings of one-word organisation names ("Arbeiderpartiet", "Finansdepartementet").
    org_suffixes: tuple[str, ...] = ()
    # Words that end a name in a script without capitals (Thai function words, the verbs after a name).
    stop_words: frozenset[str] = frozenset()
    # Bodies written in sentence case ("Ban Thường vụ Huyện ủy"): a run of
    # capitals does not say where their name ends, so the guesser's
    # organisation rule stays off (it was wrong 21 times of 21 on the parallel set).
    sentence_case_orgs: bool = False

    @cached_property
    def title_words(self) -> frozenset[str]:
        return _words(self.titles)

    @cached_property
    def role_words(self) -> frozenset[str]:
        return _words(self.roles)

    @cached_property
    def org_head_words(self) -> frozenset[str]:
        return _words(self.org_heads_before + self.org_heads_after)

    @cached_property
    def place_words(self) -> frozenset[str]:
        return _words(self.places_before + self.places_after + self.places_suffix)

    # Thai heads, designators and offices match as prefixes of newmm's words (it may glue them
    # to the name): kept as tuples for ``str.startswith``, not rebuilt by every rule that asks.
    @cached_property
    def thai_org_heads(self) -> tuple[str, ...]:
        return tuple(sorted(w for w in self.org_head_words if all_thai(w)))

    @cached_property
    def thai_place_words(self) -> tuple[str, ...]:
        return tuple(sorted(w for w in self.place_words if all_thai(w)))

    @cached_property
    def thai_role_words(self) -> tuple[str, ...]:
        return tuple(sorted(w for w in self.role_words if all_thai(w)))


def merge(lexicons: Iterable[EntityLexicon]) -> EntityLexicon:
    """The union of ``lexicons`` (entries in first-seen order): for a text in
    a language that has no lexicon of its own."""
    lexicons = list(lexicons)
    merged: dict[str, object] = {"lang": "*"}
    for f in fields(EntityLexicon):
        if f.name == "lang":
            continue
        values = [getattr(lex, f.name) for lex in lexicons]
        if f.name == "sentence_case_orgs":
            merged[f.name] = False
        elif f.name == "stop_words":
            merged[f.name] = frozenset().union(*values)
        else:
            merged[f.name] = tuple(dict.fromkeys(e for v in values for e in v))
    return EntityLexicon(**merged)  # type: ignore[arg-type]
