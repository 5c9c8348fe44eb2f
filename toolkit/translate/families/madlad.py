"""MADLAD-400: a T5 model whose target is chosen by a ``<2xx>`` token at the
start of the source (ISO 639-1 where there is one: ``<2en>``, ``<2vi>``,
``<2no>``). Nothing is forced on the output: the decoder starts from
``<pad>``. A T5 model without ``<2xx>`` tokens is not a translation model of
this family (plain T5 wants "translate English to German:" prompts)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from toolkit.translate.families.base import Family

_TOKEN = re.compile(r"^<2[A-Za-z_-]{2,12}>$")


class Madlad(Family):
    name = "madlad"
    model_types = ("t5",)
    forces_target = False
    suppress_pad = True
    tokenizer_files = ("spiece.model", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")

    def token_forms(self, code: str) -> tuple[str, ...]:
        return (f"<2{code}>",)

    def source_text(self, text: str, tgt_token: str | None) -> str:
        return f"{tgt_token} {text}" if tgt_token else text

    def language_tokens(self, vocab: Iterable[str]) -> list[str]:
        return sorted(t for t in vocab if _TOKEN.match(t))


FAMILY = Madlad()
