"""Model families behind the one engine interface, one small module each
(as CTranslate2's converters are): NLLB, M2M-100, Marian (OPUS-MT), MADLAD-400.

``detect_family`` tells a model folder's family from its ``config.json``
(``model_type``), the tokenizer class telling NLLB from M2M-100 (both are
``m2m_100`` models); a CTranslate2 folder, whose config has no
``model_type``, by what the converter recorded or by the copied tokenizer
files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import ToolkitError
from toolkit.translate.families import m2m100, madlad, marian, nllb
from toolkit.translate.families.base import Family, LanguageNotInModelError, iso_candidates

__all__ = [
    "FAMILIES",
    "Family",
    "FamilyError",
    "LanguageNotInModelError",
    "TokenizerVocab",
    "detect_family",
    "family_named",
    "iso_candidates",
]

FAMILIES: dict[str, Family] = {f.name: f for f in (nllb.FAMILY, m2m100.FAMILY, marian.FAMILY, madlad.FAMILY)}

#: The record the converter writes into a CTranslate2 folder (``convert.PROVENANCE_FILE``).
_CONVERT_RECORD = "toolkit-convert.json"


class FamilyError(ToolkitError, ValueError):
    """A model whose family the toolkit does not know; the message names the model and what it found."""


def family_named(name: str) -> Family:
    try:
        return FAMILIES[name]
    except KeyError:
        raise FamilyError(f"unknown model family {name!r}; one of {', '.join(FAMILIES)}") from None


def _json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _by_tokenizer(folder: Path) -> Family | None:
    cls = str(_json(folder / "tokenizer_config.json").get("tokenizer_class") or "")
    for prefix, name in (("Nllb", "nllb"), ("M2M100", "m2m100"), ("Marian", "marian"), ("T5", "madlad")):
        if cls.startswith(prefix):
            return FAMILIES[name]
    for file, name in (("source.spm", "marian"), ("spiece.model", "madlad"), ("vocab.json", "m2m100")):
        if (folder / file).is_file():
            return FAMILIES[name]
    return None


def detect_family(folder: str | os.PathLike[str]) -> Family:
    """The family of a Hugging Face or CTranslate2 model folder."""
    folder = Path(folder)
    recorded = _json(folder / _CONVERT_RECORD).get("family")
    if recorded:
        return family_named(str(recorded))
    model_type = _json(folder / "config.json").get("model_type")
    if model_type is None:  # a CTranslate2 folder converted before families were recorded
        return _by_tokenizer(folder) or FAMILIES["nllb"]
    matches = [f for f in FAMILIES.values() if model_type in f.model_types]
    if not matches:
        raise FamilyError(
            f"{folder}: model_type {model_type!r} is not a translation model family the toolkit knows "
            f"({', '.join(FAMILIES)}); pass an NLLB, M2M-100, Marian (OPUS-MT) or MADLAD-400 model"
        )
    if len(matches) > 1:  # NLLB and M2M-100 share the architecture: the tokenizer tells
        found = _by_tokenizer(folder)
        return found if found in matches else matches[0]
    return matches[0]


class TokenizerVocab:
    """A transformers tokenizer's tokens as a container: ``tok in vocab`` when
    the tokenizer maps ``tok`` to an id of its own (language tokens outside
    ``get_vocab()`` included, as M2M-100's are)."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.unk = tokenizer.unk_token_id

    def __contains__(self, token: object) -> bool:
        if not isinstance(token, str):
            return False
        i = self.tokenizer.convert_tokens_to_ids(token)
        return i is not None and (i != self.unk or token == self.tokenizer.unk_token)

    def __iter__(self) -> Iterator[str]:
        yield from self.tokenizer.get_vocab()
        yield from getattr(self.tokenizer, "lang_token_to_id", {})
