"""One sense per discourse (``toolkit.extractor.discourse``): what a found name spreads to."""

from __future__ import annotations

import pytest

from toolkit.extractor.discourse import known_names, propagate
from toolkit.records import Span


def _span(text: str, name: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Span(start=start, end=start + len(name), label=label, text=name)


@pytest.mark.parametrize(
    ("name", "label", "text"),
    [
        # the common noun in lower case is no mention of the name (HAREM's "governo", "assembleia")
        ("Governo", "ORG", "O Governo reuniu-se. O governo de cada país decide."),
        ("Assembleia", "ORG", "A Assembleia votou; cada assembleia municipal também."),
        ("Bolsa", "ORG", "A Bolsa caiu e a bolsa da estudante foi roubada."),
        ("Komite", "ORG", "Komite itu bertemu, dan komite lain menolak."),
        ("Parti", "ORG", "Parti vant valget, men et parti til tapte."),
    ],
)
def test_a_lower_case_word_is_not_a_mention_of_a_name(name: str, label: str, text: str) -> None:
    found = [_span(text, name, label)]
    assert propagate(text, found, known_names(found)) == found


@pytest.mark.parametrize(
    ("name", "mention", "text"),
    [
        ("Núi Thành", "Nui Thanh", "Huyện Núi Thành hôm nay. Nui Thanh là một huyện."),
        ("Lisboa", "LISBOA", "Em Lisboa chove. LISBOA: a capital."),
        ("Heru Budi", "Heru Budi", "Heru Budi datang. Kemudian Heru Budi pergi."),
    ],
)
def test_a_capitalised_or_folded_mention_still_spreads(name: str, mention: str, text: str) -> None:
    found = [_span(text, name, "LOC")]
    out = propagate(text, found, known_names(found))
    second = _span(text, mention, "LOC", nth=1 if mention == name else 0)
    assert (second.start, second.end, "LOC") in {(s.start, s.end, s.label) for s in out}


def test_thai_names_spread_without_case() -> None:
    text = "ที่เชียงใหม่ฝนตก และเชียงใหม่หนาว"
    found = [_span(text, "เชียงใหม่", "LOC")]
    out = propagate(text, found, known_names(found))
    assert len(out) == 2 and all(s.text == "เชียงใหม่" for s in out)
