"""A synthetic labelled set with a clear pattern, for tests that a model learns.

Names are random Vietnamese syllable combinations, so the test names are
(mostly) not in the training set: the model must learn the pattern
(title + capitalised run = PER, designator + run = LOC, head + run = ORG).
"""

from __future__ import annotations

import random

from toolkit.records import AnnotatedText, Span

SURNAMES = ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vo", "Dang", "Bui", "Do", "Ngo"]
GIVEN = ["Van", "Thi", "Duc", "Quang", "Minh", "Thanh", "Hai", "Tuan", "Anh", "Kim", "Ngoc", "Bao"]
PLACES = ["Nui", "Thanh", "Binh", "Son", "Giang", "Ha", "Tinh", "Phuoc", "Long", "Tay", "Ky", "Cam"]
TEMPLATES = {
    "ind_Latn": [
        "Bapak {PER} mengunjungi distrik {LOC} kemarin bersama Komite Partai {ORG}.",
        "Menurut Tn. {PER}, provinsi {LOC} telah membangun 12 sekolah.",
        "Komite Rakyat {ORG} bertemu dengan warga di distrik {LOC}.",
    ],
    "nob_Latn": [
        "Herr {PER} besøkte {LOC}-distriktet i går sammen med komiteen {ORG}.",
        "Ifølge Herr {PER} har provinsen {LOC} bygget 12 skoler.",
    ],
    "por_Latn": ["O Sr. {PER} visitou a província de {LOC} com o Comitê {ORG}."],
}


def _name(rng: random.Random, parts: list[str], n: int) -> str:
    return " ".join(rng.choice(parts) for _ in range(n))


def make_records(n: int, seed: int, doc_prefix: str = "doc") -> list[AnnotatedText]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = rng.choice(sorted(TEMPLATES))
        tpl = rng.choice(TEMPLATES[lang])
        values = {
            "PER": rng.choice(SURNAMES) + " " + _name(rng, GIVEN, rng.randint(1, 2)),
            "LOC": _name(rng, PLACES, 2),
            "ORG": _name(rng, PLACES, 2),
        }
        text, spans, pos = "", [], 0
        while True:
            j = tpl.find("{", pos)
            if j < 0:
                text += tpl[pos:]
                break
            k = tpl.index("}", j)
            label = tpl[j + 1 : k]
            text += tpl[pos:j]
            spans.append(Span(len(text), len(text) + len(values[label]), label, values[label]))
            text += values[label]
            pos = k + 1
        out.append(AnnotatedText(text=text, lang=lang, spans=spans, doc=f"{doc_prefix}{i // 5}", task_id=i))
    return out


def scrambled(records: list[AnnotatedText], seed: int) -> list[AnnotatedText]:
    """The same texts with each span moved to a random place: nothing to learn."""
    rng = random.Random(seed)
    out = []
    for r in records:
        spans = []
        for s in r.spans:
            a = rng.randrange(0, max(1, len(r.text) - 8))
            spans.append(Span(a, a + 1, s.label, r.text[a : a + 1]))
        spans = [s for k, s in enumerate(spans) if all(s.start != t.start for t in spans[:k])]
        out.append(AnnotatedText(text=r.text, lang=r.lang, spans=spans, doc=r.doc, task_id=r.task_id))
    return out
