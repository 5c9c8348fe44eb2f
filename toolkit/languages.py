"""Language codes: ISO 639-1 <-> NLLB (FLORES-200) codes.

The toolkit speaks NLLB codes internally (they are what the model needs);
users may type either. Language *detection* lives in ``toolkit.detect``.
"""

from __future__ import annotations

from toolkit.errors import ToolkitError

# The languages the toolkit is built and tested for. NLLB knows ~200; any
# other valid NLLB code is accepted as a target, but segmentation, figures
# and detection are only tuned for these.
ISO_TO_NLLB: dict[str, str] = {
    "id": "ind_Latn",
    "pt": "por_Latn",
    "nb": "nob_Latn",
    "th": "tha_Thai",
    "vi": "vie_Latn",
    "en": "eng_Latn",
}
NLLB_TO_ISO: dict[str, str] = {v: k for k, v in ISO_TO_NLLB.items()}

# Source languages the toolkit reads (detection maps to these).
SOURCE_LANGS: tuple[str, ...] = ("ind_Latn", "por_Latn", "nob_Latn", "tha_Thai")
DEFAULT_TARGETS: tuple[str, ...] = ("eng_Latn", "vie_Latn")

# Aliases people type: "no" (macro-Norwegian) is read as Bokmål.
_ALIASES = {"no": "nb", "nor": "nb", "nob": "nb", "ind": "id", "por": "pt", "tha": "th", "vie": "vi", "eng": "en"}


class LanguageError(ToolkitError, ValueError):
    """An unknown or unsupported language code."""


def to_nllb(code: str) -> str:
    """Return the NLLB code for ``code`` (ISO 639-1, ISO 639-3 or NLLB).

    >>> to_nllb("id"), to_nllb("tha_Thai")
    ('ind_Latn', 'tha_Thai')
    """
    c = code.strip()
    if c in NLLB_TO_ISO:
        return c
    low = c.lower()
    low = _ALIASES.get(low, low)
    if low in ISO_TO_NLLB:
        return ISO_TO_NLLB[low]
    known = ", ".join(f"{k} ({v})" for k, v in ISO_TO_NLLB.items())
    raise LanguageError(f"unknown language code {code!r}; use one of: {known}")


def to_iso(code: str) -> str:
    """Return the ISO 639-1 code for ``code`` (ISO or NLLB)."""
    return NLLB_TO_ISO[to_nllb(code)]


def parse_lang_list(spec: str) -> list[str]:
    """Parse a comma-separated list of codes ("eng_Latn,vi") into NLLB codes."""
    out = [to_nllb(part) for part in spec.split(",") if part.strip()]
    if not out:
        raise LanguageError("no language given")
    return list(dict.fromkeys(out))


def is_thai(code: str) -> bool:
    return to_nllb(code) == "tha_Thai"


# -- the Thai script: the one home of "is this Thai?" -------------------------------
# A character of Unicode's Thai block (U+0E00-U+0E7F: letters, vowel and tone marks,
# digits, ฿, ๆ); its letters proper (consonants, vowels and marks, no digits or
# signs) are U+0E01-U+0E4E. Segmenting, figures, checks, projection and the rules
# ask these, so that "Thai" means the same everywhere.


def is_thai_char(ch: str) -> bool:
    """``ch`` is in the Thai block (letters, marks, digits, signs)."""
    return "\u0e00" <= ch <= "\u0e7f"


def is_thai_letter(ch: str) -> bool:
    """``ch`` is a Thai letter, vowel or mark (not a Thai digit or sign)."""
    return "\u0e01" <= ch <= "\u0e4e"


def has_thai(text: str) -> bool:
    """Some character of ``text`` is in the Thai block."""
    return any(is_thai_char(c) for c in text)


def all_thai(text: str) -> bool:
    """Every character of ``text`` is in the Thai block (True for "")."""
    return all(is_thai_char(c) for c in text)
