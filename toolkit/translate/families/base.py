"""What a model family is: its language tokens, how a target is forced, what its tokenizer needs.

The toolkit speaks NLLB (FLORES-200) codes everywhere; each family maps them
onto its own language tokens (``__en__``, ``>>eng<<``, ``<2en>``) by looking
the candidates up in the model's own vocabulary, so a model that has a
language is used with it and one that has not says so in one line.

Both engines ask the family the same three questions, so that they feed the
model the same tokens (tests/test_families.py checks the two agree):

* the source text it tokenizes (``source_text``: a ``>>xxx<<``/``<2xx>`` prefix
  goes into the text, where the real tokenizer expects it);
* the language state of the tokenizer (``src_lang`` for NLLB and M2M-100);
* the target prefix forced as the first output token (``target_prefix``:
  NLLB and M2M-100), or none (Marian, T5), then the decoder starts from its
  own start token.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Container, Iterable

from langcodes import data_dicts

from toolkit.errors import ToolkitError


class LanguageNotInModelError(ToolkitError, ValueError):
    """The model has no token for a language the run needs; the message names both."""


#: CLDR language-matching distance under which a macrolanguage code may stand
#: for its member (nb -> no: 1; id -> ms: 14).
MACRO_DISTANCE = 10

_NLLB_CODE = re.compile(r"^([a-z]{3})_([A-Z][a-z]{3})$")


def iso_candidates(nllb: str) -> list[str]:
    """Codes a model may use for the NLLB code ``nllb``, most specific first:
    ISO 639-1 ("nb"), its macrolanguage ("no": M2M-100 and MADLAD-400 know
    Norwegian only so), ISO 639-3 ("nob"), the macrolanguage's ("nor").

    From langcodes' copy of the IANA registry and CLDR, not a list typed
    here. A macrolanguage stands in only where CLDR's language matching
    counts it the same written language (distance under 10: nb/no 1,
    while id/ms is 14 and nn/no 20), so Indonesian is never sent as Malay.
    """
    import langcodes

    m = _NLLB_CODE.match(nllb)
    lang3 = m.group(1) if m else nllb.split("_")[0]
    out: list[str] = []
    try:
        short = langcodes.standardize_tag(lang3)
    except (ValueError, LookupError):
        short = lang3
    macro = data_dicts.MACROLANGUAGES.get(short)
    if macro and langcodes.tag_distance(short, macro) >= MACRO_DISTANCE:
        macro = None
    out += [short]
    if macro:
        out.append(macro)
    out.append(lang3)
    if macro:
        with contextlib.suppress(ValueError, LookupError):
            out.append(langcodes.get(macro).to_alpha3())
    return list(dict.fromkeys(c for c in out if c))


class Family:
    """One model family: a few facts and three small functions."""

    #: "nllb", "m2m100", "marian", "madlad"
    name: str = ""
    #: ``config.json``'s ``model_type`` values of the family's checkpoints.
    model_types: tuple[str, ...] = ()
    #: True when a target language token is forced as the first output token.
    forces_target: bool = False
    #: True when the source starts with its own language's token (NLLB, M2M-100).
    uses_source_token: bool = False
    #: Tokenizer files the converter copies into a CTranslate2 folder.
    tokenizer_files: tuple[str, ...] = ()
    #: The decoder starts from ``<pad>`` and must never produce it (Marian's
    #: hub configs say so with ``bad_words_ids``; a MADLAD model that produced
    #: it would also have it counted in the n-gram guard by transformers, not
    #: by CTranslate2): both engines suppress it.
    suppress_pad: bool = False
    #: Whether CTranslate2's vocabulary map (``shortlist.py``) may be used:
    #: the engine detects the map's stale-table bug by the forced target
    #: token, so a family without one runs without a map.
    shortlist: bool = False

    def token_for(self, nllb: str, vocab: Container[str], model: str = "the model") -> str | None:
        """The model's token for ``nllb`` (None: the model has no language
        tokens, as a one-pair Marian model). Raises
        LanguageNotInModelError when it has tokens but not this language's."""
        return self.find(nllb, vocab, model)

    def token_forms(self, code: str) -> tuple[str, ...]:
        """The spellings of a language token for a candidate ``code``."""
        return (code,)

    def find(self, nllb: str, vocab: Container[str], model: str = "the model") -> str:
        tried = [form for code in [nllb, *iso_candidates(nllb)] for form in self.token_forms(code)]
        for form in tried:
            if form in vocab:
                return form
        raise LanguageNotInModelError(
            f"{model} ({self.name}) has no language code for {nllb} (tried {', '.join(tried) or nllb}); "
            f"give this direction another model with --model SRC-TGT=MODEL"
        )

    def source_text(self, text: str, tgt_token: str | None) -> str:
        """The text as the tokenizer gets it (a target prefix goes in here)."""
        return text

    def target_prefix(self, tgt_token: str | None) -> list[str]:
        """The tokens forced at the start of the output."""
        return []

    def set_source(self, tokenizer, src_token: str | None) -> None:
        """Put a transformers tokenizer into the source language's state (NLLB, M2M-100; others have none)."""
        return None

    def generate_kwargs(self, tokenizer, tgt_token: str | None) -> dict:
        """What ``generate`` needs to produce the target: a forced first token, or nothing."""
        return {"bad_words_ids": [[tokenizer.pad_token_id]]} if self.suppress_pad else {}

    def ct2_options(self, vocab: Container[str], pad_token: str | None) -> dict:
        """CTranslate2's ``translate_batch`` options of the family (the pad suppression)."""
        if self.suppress_pad and pad_token and pad_token in vocab:
            return {"suppress_sequences": [[pad_token]]}
        return {}

    def language_tokens(self, vocab: Iterable[str]) -> list[str]:
        """The language tokens of a vocabulary (empty: none, or not told apart)."""
        return []
