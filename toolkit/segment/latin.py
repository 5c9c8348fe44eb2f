"""Sentence splitting for Latin-script languages: syntok plus our guards.

syntok (a rule-based segmenter) already keeps decimals ("88,8"), dates and
ordinals ("15. november", "1. mai"), "nº 6", "Sr." and a mid-sentence
"..." together. What it misses are the titles and abbreviations of the
languages it was not written for ("Tn." in Indonesian, "TP." in
Vietnamese). So we take its sentence starts and drop a start when

* the previous sentence ends with a title or an abbreviation that never
  ends a sentence ("Tn.", "Sra.", "bl.a.", "f.eks."): a name or the rest of
  the sentence follows;
* it ends with a number prefix ("nr.", "No.", "Rp.", in any case: "rp.") and a digit follows;
* the next sentence starts with a lowercase letter: after "..." (the
  seeds' "Vo Chi Cong... secara bertahap"), after "dll."/"osv." mid-sentence,
  after "15." before a month name. A real sentence does not start lowercase
  in these languages.
"""

from __future__ import annotations

import re

from syntok import segmenter as syntok_segmenter
from syntok.tokenizer import Tokenizer

from toolkit.segment.base import Segmenter, is_ignorable

# Titles and abbreviations that are never the last word of a sentence.
_NEVER_FINAL: dict[str, frozenset[str]] = {
    "ind_Latn": frozenset(
        [
            "Tn.",
            "Ny.",
            "Nn.",
            "Sdr.",
            "Sdri.",
            "Bpk.",
            "Bp.",
            "Yth.",
            "Dr.",
            "dr.",
            "Drs.",
            "Dra.",
            "Ir.",
            "Prof.",
            "Hj.",
            "Kol.",
            "Jend.",
            "Letjen.",
            "Mayjen.",
            "Brigjen.",
            "Kapt.",
            "Let.",
            "Komjen.",
            "Irjen.",
            "Kombes.",
            "a.l.",
            "spt.",
            "yg.",
            "dgn.",
            "utk.",
        ]
    ),
    "por_Latn": frozenset(
        [
            "Sr.",
            "Sra.",
            "Srs.",
            "Sras.",
            "Srta.",
            "Dr.",
            "Dra.",
            "Drs.",
            "Prof.",
            "Profa.",
            "Eng.",
            "Exmo.",
            "Exma.",
            "Gen.",
            "Cel.",
            "Cap.",
            "Ten.",
            "Sto.",
            "Sta.",
            "Pe.",
            "Mons.",
            "Des.",
            "Min.",
            "p.ex.",
            "ex.",
            "aprox.",
            "cf.",
            "V.Exa.",
        ]
    ),
    "nob_Latn": frozenset(
        [
            "Dr.",
            "dr.",
            "Prof.",
            "prof.",
            "hr.",
            "fr.",
            "adv.",
            "bl.a.",
            "f.eks.",
            "m.a.o.",
            "ca.",
            "jf.",
            "evt.",
            "ifm.",
            "iht.",
            "pga.",
            "ang.",
            "vedr.",
            "inkl.",
            "ekskl.",
            "dvs.",
        ]
    ),
    "vie_Latn": frozenset(
        ["TP.", "Tp.", "ThS.", "TS.", "PGS.", "GS.", "BS.", "KS.", "NXB.", "TX.", "TT.", "GS.TS.", "PGS.TS.", "Th.S."]
    ),
    "eng_Latn": frozenset(
        [
            "Mr.",
            "Mrs.",
            "Ms.",
            "Dr.",
            "Prof.",
            "St.",
            "Gen.",
            "Col.",
            "Lt.",
            "Capt.",
            "Sgt.",
            "Sen.",
            "Rep.",
            "Gov.",
            "Rev.",
            "Hon.",
            "e.g.",
            "i.e.",
            "vs.",
            "approx.",
            "cf.",
        ]
    ),
}
# Abbreviations that stand before a number.
_NUMBER_PREFIX: dict[str, frozenset[str]] = {
    "ind_Latn": frozenset(
        ["No.", "no.", "Nomor.", "Rp.", "Hal.", "hal.", "Tel.", "Telp.", "Pasal.", "Psl.", "Km.", "km."]
    ),
    "por_Latn": frozenset(["nº.", "n.º", "N.º", "Nº.", "n.", "N.", "no.", "art.", "Art.", "p.", "pág.", "tel.", "R$."]),
    "nob_Latn": frozenset(["nr.", "Nr.", "kr.", "s.", "tlf.", "kl.", "pkt.", "§."]),
    "vie_Latn": frozenset(["Số.", "số.", "Q.", "P.", "Km.", "km."]),
    "eng_Latn": frozenset(["No.", "no.", "Nos.", "p.", "pp.", "vol.", "Vol.", "art.", "fig.", "Fig.", "ch.", "Ch."]),
}

_LAST_WORD = re.compile(r"(\S+)\s*$")
_OPENERS = "\"'«»“”‘’„([{¿¡—–-"


def _first_letter(text: str, start: int) -> str:
    """The first character of the sentence at ``start``, past quotes and brackets."""
    i, n = start, len(text)
    while i < n and (is_ignorable(text[i]) or text[i] in _OPENERS):
        i += 1
    return text[i] if i < n else ""


class LatinSegmenter(Segmenter):
    """syntok with per-language guards (see the module docstring)."""

    name = "syntok"

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.never_final = _NEVER_FINAL.get(lang, frozenset()) | _NEVER_FINAL["eng_Latn"]
        # Before a digit an abbreviation is a number's prefix whatever its case ("rp. 55.000", "NO. 6").
        prefixes = _NUMBER_PREFIX.get(lang, frozenset()) | _NUMBER_PREFIX["eng_Latn"]
        self.number_prefix = frozenset(p.casefold() for p in prefixes)
        self._tokenizer = Tokenizer()

    def _syntok_starts(self, text: str) -> list[int]:
        starts = []
        for sentence in syntok_segmenter.split(self._tokenizer.tokenize(text)):
            if sentence:
                starts.append(sentence[0].offset)
        return starts

    def sentence_starts(self, text: str) -> list[int]:
        raw = self._syntok_starts(text)
        kept: list[int] = []
        prev_start = 0
        for start in raw:
            if start <= prev_start:
                continue
            if self._continues(text, prev_start, start):
                continue
            kept.append(start)
            prev_start = start
        return kept

    def _continues(self, text: str, prev_start: int, start: int) -> bool:
        """Whether the sentence at ``start`` is really the rest of the one at ``prev_start``."""
        first = _first_letter(text, start)
        if first.islower():
            return True
        match = _LAST_WORD.search(text, prev_start, start)
        if not match:
            return False
        last = match.group(1)
        if last in self.never_final:
            return True
        # "(Tn." or "«Dr.": look past opening punctuation as well.
        if last.lstrip(_OPENERS) in self.never_final:
            return True
        return first.isdigit() and last.lstrip(_OPENERS).casefold() in self.number_prefix
