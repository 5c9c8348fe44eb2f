"""NLLB-200: FLORES-200 codes (``eng_Latn``) as tokens; source ``[src] X </s>``,
the target code forced as the first output token."""

from __future__ import annotations

import re
from collections.abc import Iterable

from toolkit.translate.families.base import Family

_CODE = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")


class Nllb(Family):
    name = "nllb"
    model_types = ("m2m_100", "m2m100")  # NLLB is an M2M-100 architecture with NllbTokenizer
    forces_target = True
    uses_source_token = True
    tokenizer_files = (
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "sentencepiece.bpe.model",
        "added_tokens.json",
    )
    shortlist = True

    def token_forms(self, code: str) -> tuple[str, ...]:
        return (code,) if _CODE.match(code) else ()

    def target_prefix(self, tgt_token: str | None) -> list[str]:
        return [tgt_token] if tgt_token else []

    def set_source(self, tokenizer, src_token: str | None) -> None:
        tokenizer.src_lang = src_token

    def generate_kwargs(self, tokenizer, tgt_token: str | None) -> dict:
        return {"forced_bos_token_id": tokenizer.convert_tokens_to_ids(tgt_token)}

    def language_tokens(self, vocab: Iterable[str]) -> list[str]:
        return sorted(t for t in vocab if _CODE.match(t))


FAMILY = Nllb()
