"""A model's tokens through its transformers tokenizer, for the CTranslate2 engine.

``NllbTokens`` (``nllb_tokens.py``) does this for NLLB without transformers;
the other families' tokenizers (``MarianTokenizer``, ``M2M100Tokenizer``,
``T5TokenizerFast``) are used as they are, so that the CTranslate2 engine
feeds its model exactly the tokens the transformers engine feeds its own
(the recipe of CTranslate2's own Marian, M2M-100 and T5 examples).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

from toolkit.translate.families import Family, TokenizerVocab


class HFTokens:
    """Pieces in, pieces out, through the model's own transformers tokenizer."""

    def __init__(self, folder: str | os.PathLike[str], family: Family) -> None:
        from transformers import AutoTokenizer

        with warnings.catch_warnings():  # MarianTokenizer's "pip install sacremoses" advice, on every load
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
        self.family = family
        self.vocab = TokenizerVocab(self.tokenizer)
        self.pad_token: str | None = self.tokenizer.pad_token

    def encode(self, texts: Sequence[str], src_token: str | None, tgt_token: str | None = None) -> list[list[str]]:
        """The source tokens of each text, as the model sees them (``</s>`` included)."""
        self.family.set_source(self.tokenizer, src_token)
        enc = self.tokenizer([self.family.source_text(t, tgt_token) for t in texts], add_special_tokens=True)
        return [self.tokenizer.convert_ids_to_tokens(ids) for ids in enc["input_ids"]]

    def decode(self, pieces: Sequence[str]) -> str:
        ids = self.tokenizer.convert_tokens_to_ids(list(pieces))
        return self.tokenizer.decode(ids, skip_special_tokens=True)
