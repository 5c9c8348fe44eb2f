"""M2M-100: ``__xx__`` language tokens (ISO 639-1, "no" for Norwegian);
source ``__src__ X </s>``, the target token forced as the first output token.

transformers 5's ``M2M100Tokenizer.get_vocab()`` leaves the language tokens
out (they are ids past the SentencePiece vocabulary, not added tokens), and
CTranslate2 4.8's converter builds the model's vocabulary from it: the
converter is given ``full_vocab_tokenizer``'s view, which puts them back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from toolkit.translate.families.base import Family

_TOKEN = re.compile(r"^__[a-z]{2,3}__$")


class M2M100(Family):
    name = "m2m100"
    model_types = ("m2m_100", "m2m100")
    forces_target = True
    uses_source_token = True
    tokenizer_files = ("vocab.json", "sentencepiece.bpe.model", "tokenizer_config.json", "special_tokens_map.json")
    shortlist = True

    def token_forms(self, code: str) -> tuple[str, ...]:
        return (f"__{code}__",) if "_" not in code else ()

    def target_prefix(self, tgt_token: str | None) -> list[str]:
        return [tgt_token] if tgt_token else []

    def set_source(self, tokenizer, src_token: str | None) -> None:
        tokenizer.src_lang = src_token.strip("_") if src_token else src_token

    def generate_kwargs(self, tokenizer, tgt_token: str | None) -> dict:
        return {"forced_bos_token_id": tokenizer.convert_tokens_to_ids(tgt_token)}

    def language_tokens(self, vocab: Iterable[str]) -> list[str]:
        return sorted(t for t in vocab if _TOKEN.match(t))


class FullVocab:
    """A tokenizer whose ``get_vocab()`` includes M2M-100's language tokens (for the converter)."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def get_vocab(self) -> dict[str, int]:
        vocab = dict(self.tokenizer.get_vocab())
        vocab.update(getattr(self.tokenizer, "lang_token_to_id", {}))
        return vocab

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)


def full_vocab_tokenizer(tokenizer):
    return FullVocab(tokenizer) if hasattr(tokenizer, "lang_token_to_id") else tokenizer


FAMILY = M2M100()
