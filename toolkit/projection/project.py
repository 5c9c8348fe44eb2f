"""``project_spans``: labelled spans of a source placed on its translation, precision first.

Methods, in the order they claim the target (a later one never takes a
place an earlier one holds, so results never overlap):

1. **figures** by value (``figures.py``);
2. **names** by their parts (``names.py``): first the spans made of
   several pieces (an ORG with a head and a place), so that the place
   inside "Nui Thanh District Party Committee" is not also taken by a LOC
   "Nui Thanh" of the source, then the single names, by spelling when
   both texts share a script and by sound across Thai and Latin;
3. **engine** (only with an engine): markers or the span alone translated
   and located (``engine.py``).

Ambiguity (precision first): a string of the source may occur more than
once. Its occurrences in the source that no *other* span covers are
counted, and so are its free candidates in the target; when the two
counts agree the k-th goes to the k-th (translations keep the order of
repeated names in these texts), otherwise the span is not placed. So a
name written once in the source and twice in the translation is left
out, and so is a name the translation merged into one mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.languages import has_thai, to_nllb
from toolkit.projection.engine import Translator, locate, translated_spans
from toolkit.projection.figures import FigurePairs
from toolkit.projection.names import decompose, find_piece, next_to_head, strip_affixes, windows
from toolkit.projection.text import find_all, fold, fold_key, overlaps
from toolkit.records import ALL_LABELS, FIGURE_KINDS

Interval = tuple[int, int]
_TRIM = " \t\n.,;:!?\"'()«»“”‘’[]"


@dataclass
class Projection:
    """One span placed on the target: where, with which label, by which method, from which source span."""

    start: int
    end: int
    label: str
    text: str
    method: str  # "figure", "name", "name_parts", "sound", "engine"
    source: int  # index of the span in the input list


@dataclass
class ProjectionResult:
    placed: list[Projection] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (span index, why) for spans the input got wrong


class _Target:
    """The target text and the places already taken on it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken: list[Interval] = []
        self.by_key: dict[str, list[Interval]] = {}  # candidates already given to an occurrence of a string

    def free(self, cands: list[Interval]) -> list[Interval]:
        return [c for c in cands if not any(overlaps(c, t) for t in self.taken)]

    def trim(self, iv: Interval) -> Interval | None:
        a, b = iv
        while a < b and self.text[a] in _TRIM:
            a += 1
        while b > a and self.text[b - 1] in _TRIM:
            b -= 1
        return (a, b) if a < b else None


def _rank_in_source(src: str, key: str, i: int, spans: list[tuple[int, int, str]]) -> tuple[int, int]:
    """(number of occurrences of ``key`` in the source, the index of span ``i`` among them).

    Occurrences inside a longer span of the source ("Nui Thanh" inside the
    ORG "Komite Partai Distrik Nui Thanh") are not counted: that span
    claims its own place in the target first.
    """
    own = (spans[i][0], spans[i][1])
    occ = [iv for iv in find_all(fold(src), key) if overlaps(iv, own) or not _inside_longer(src, iv, spans, key)]
    for k, iv in enumerate(occ):
        if overlaps(iv, own):
            return len(occ), k
    return 1, 0


def _inside_longer(src: str, iv: Interval, spans: list[tuple[int, int, str]], key: str) -> bool:
    return any(overlaps(iv, (a, b)) and fold_key(src[a:b]) != key for a, b, _ in spans)


def _by_order(cands: list[Interval], count: int, rank: int, tgt: _Target, key: str) -> Interval | None:
    """The ``rank``-th of ``count`` candidates, when the target holds exactly ``count`` (see the module doc)."""
    given = tgt.by_key.get(key, [])
    usable = [c for c in cands if c in given or tgt.free([c])]
    if len(usable) != count or rank >= len(usable) or usable[rank] in given:
        return None
    if any(overlaps(a, b) for k, a in enumerate(usable) for b in usable[k + 1 :]):
        return None  # two readings of the same place: unsure
    tgt.by_key.setdefault(key, []).append(usable[rank])
    return usable[rank]


def _validate(src: str, spans: list[tuple[int, int, str]], result: ProjectionResult) -> list[int]:
    good: list[int] = []
    for i, (a, b, label) in enumerate(spans):
        if label not in ALL_LABELS:
            result.skipped.append((i, f"unknown label {label!r}; use one of {', '.join(ALL_LABELS)}"))
        elif not (0 <= a < b <= len(src)):
            result.skipped.append((i, f"span {a}-{b} is off its text (length {len(src)})"))
        elif any(overlaps((a, b), (spans[j][0], spans[j][1])) for j in good):
            result.skipped.append((i, f"span {a}-{b} overlaps another span of the source"))
        else:
            good.append(i)
    return good


def _place(result: ProjectionResult, tgt: _Target, i: int, iv: Interval | None, label: str, method: str) -> bool:
    iv = tgt.trim(iv) if iv else None
    if iv is None or tgt.free([iv]) != [iv]:
        return False
    tgt.taken.append(iv)
    result.placed.append(Projection(iv[0], iv[1], label, tgt.text[iv[0] : iv[1]], method, i))
    return True


def _name_place(src: str, i: int, spans, src_lang: str, tgt: _Target, tgt_lang: str) -> tuple[Interval | None, str]:
    a, b, _ = spans[i]
    sa, sb = strip_affixes(src[a:b], src_lang)
    name = src[a + sa : a + sb]
    pieces = decompose(name, src_lang)
    if not pieces:
        return None, ""
    count, rank = _rank_in_source(src, fold_key(name), i, spans)
    if len(pieces) == 1 and pieces[0].kind == "name":
        cands = find_piece(pieces[0], tgt.text, tgt_lang)
        if spans[i][2] == "LOC":
            cands = [c for c in cands if not next_to_head(c, tgt.text, tgt_lang)]
        method = "name" if has_thai(pieces[0].value) == has_thai(tgt.text) else "sound"
        return _by_order(cands, count, rank, tgt, fold_key(name)), method
    return _by_order(windows(pieces, tgt.text, tgt_lang), count, rank, tgt, fold_key(name)), "name_parts"


def project_spans_detailed(
    src: str,
    tgt: str,
    spans: list[tuple[int, int, str]],
    src_lang: str,
    tgt_lang: str,
    engine: Translator | None = None,
) -> ProjectionResult:
    """``project_spans`` with the method of every placement and the spans the input got wrong."""
    src_lang, tgt_lang = to_nllb(src_lang), to_nllb(tgt_lang)
    spans = [(int(a), int(b), str(label)) for a, b, label in spans]
    result = ProjectionResult()
    good = _validate(src, spans, result)
    target = _Target(tgt)
    left: list[int] = []

    figures = [i for i in good if spans[i][2] in FIGURE_KINDS]
    if figures:
        pairs = FigurePairs(src, tgt, src_lang, tgt_lang)
        for i in figures:
            a, b, label = spans[i]
            iv = pairs.place(a, b)
            if iv is None and any(c.isdigit() for c in src[a:b]):  # a figure the finder does not read
                count, rank = _rank_in_source(src, fold_key(src[a:b]), i, spans)
                iv = _by_order(find_all(fold(tgt), fold_key(src[a:b])), count, rank, target, fold_key(src[a:b]))
            if not _place(result, target, i, iv, label, "figure"):
                left.append(i)

    entities = [i for i in good if spans[i][2] not in FIGURE_KINDS]
    multi = {i for i in entities if len(decompose(src[spans[i][0] : spans[i][1]], src_lang)) > 1}
    for i in sorted(entities, key=lambda i: (i not in multi, -(spans[i][1] - spans[i][0]))):
        iv, method = _name_place(src, i, spans, src_lang, target, tgt_lang)
        if not _place(result, target, i, iv, spans[i][2], method):
            left.append(i)

    if engine is not None and left:
        ordered = sorted(good, key=lambda i: spans[i][0])
        said = translated_spans(src, [(spans[i][0], spans[i][1]) for i in ordered], src_lang, tgt_lang, engine)
        as_said = dict(zip(ordered, said, strict=True))
        for i in sorted(left, key=lambda i: spans[i][0]):
            text = as_said.get(i)
            if text:
                _place(result, target, i, locate(text, tgt, target.taken), spans[i][2], "engine")

    result.placed.sort(key=lambda p: p.start)
    return result


def project_spans(
    src: str,
    tgt: str,
    spans: list[tuple[int, int, str]],
    src_lang: str,
    tgt_lang: str,
    engine: Translator | None = None,
) -> list[tuple[int, int, str]]:
    """Place the labelled ``spans`` of ``src`` on its translation ``tgt``; leave out what cannot be placed.

    ``spans`` are ``(start, end, label)`` in code points of ``src``, labels
    PER/ORG/LOC or a figure kind; languages are NLLB or ISO codes. Returns
    ``(start, end, label)`` on ``tgt``, sorted, never overlapping, each a
    real substring of ``tgt``, with the source span's label. Offline
    methods always run; ``engine`` (anything with ``translate_batch``)
    adds the marker method for the spans they could not place. Spans that
    are off their text, overlap or carry an unknown label are skipped
    (``project_spans_detailed`` says which and why).
    """
    res = project_spans_detailed(src, tgt, spans, src_lang, tgt_lang, engine)
    return [(p.start, p.end, p.label) for p in res.placed]
