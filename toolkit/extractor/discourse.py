"""One sense per discourse: a name the model labels once in a document labels
its other mentions there.

An article names its district or its committee a dozen times; a tagger that
finds it in one sentence often misses it in the next, where the words around
it say less. ``propagate`` takes what was found anywhere in the document and
adds the mentions that were missed in one text. It only adds: a mention that
overlaps a span already found is left alone (the tagger saw that context and
decided), except that a span found as a strict part of a known name of the
same label grows to the whole name (Thai: "ฮาฮุย" inside "ฮาฮุยทับ").

Names are matched case- and diacritic-folded (the seeds write "Nui Thanh"
and translations "Núi Thành"), as whole words in Latin script and on
characters in Thai, where there are no spaces between words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from toolkit.languages import has_thai, is_thai_char
from toolkit.records import Span

# A found string this short, or a single common word, is too weak to spread.
_MIN_CHARS = 3


@lru_cache(maxsize=50_000)
def fold(text: str) -> str:
    """Lower case, without diacritics (đ as d), for matching names across spellings.

    Kept: a document's names are folded again for each of its texts."""
    nfd = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D").lower())
    # Thai vowels and tone marks are combining characters too but change the word: keep them.
    return "".join(c for c in nfd if not unicodedata.combining(c) or is_thai_char(c))


def _folded_index(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, per folded character, its offset in ``text``."""
    out, where = [], []
    for i, ch in enumerate(text):
        f = fold(ch)
        out.append(f)
        where.extend([i] * len(f))
    return "".join(out), where


def known_names(found: Iterable[Span]) -> dict[str, str]:
    """Folded name -> its most frequent label among ``found`` (ties: the first seen)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for s in found:
        key = fold(s.text.strip())
        if len(key) >= _MIN_CHARS:
            votes[key][s.label] += 1
    return {k: c.most_common(1)[0][0] for k, c in votes.items()}


def _pattern(names: Sequence[str]) -> re.Pattern[str]:
    alts = sorted(names, key=len, reverse=True)
    parts = [re.escape(n) if has_thai(n[:1]) else r"(?<!\w)" + re.escape(n) + r"(?!\w)" for n in alts]
    return re.compile("|".join(parts))


def propagate(text: str, spans: Sequence[Span], names: dict[str, str]) -> list[Span]:
    """``spans`` plus the mentions in ``text`` of ``names`` (see ``known_names``) that no span covers."""
    if not names:
        return list(spans)
    # Only names with a mention that is not already a span of their own text can add
    # anything; most sentences have none, and then no pattern is built (extraction speed).
    whole = fold(text)
    own = Counter(fold(s.text.strip()) for s in spans)
    useful = [n for n in names if whole.count(n) > own.get(n, 0)]
    if not useful:
        return list(spans)
    folded, where = _folded_index(text)
    kept = list(spans)
    for m in _pattern(useful).finditer(folded):
        start, end = where[m.start()], where[m.end() - 1] + 1
        if text[start].islower():
            # Folding drops case so that "NÚI THÀNH" meets "Núi Thành"; but where a script
            # has case, a name's mention starts with a capital: "governo", "assembleia" are
            # the common nouns, not "Governo" the organisation (HAREM: 85 of the 153 wrong
            # mentions this step added on half of its training split).
            continue
        label = names[m.group()]
        inside = [s for s in kept if s.start < end and s.end > start]
        if inside and not all(
            s.label == label and start <= s.start and s.end <= end and (s.end - s.start) < (end - start) for s in inside
        ):
            continue
        score = min((s.score for s in inside if s.score is not None), default=None)
        kept = [s for s in kept if s not in inside]
        kept.append(Span(start=start, end=end, label=label, text=text[start:end], score=score))
    return sorted(kept, key=lambda s: (s.start, s.end))
