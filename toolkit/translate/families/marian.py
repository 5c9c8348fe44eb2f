"""Marian (OPUS-MT): one model per language pair or group.

A multi-target model chooses its target by a ``>>xxx<<`` token (ISO 639-3 in
the Tatoeba-MT models, sometimes 639-1 or with a script: ``>>zho_Hans<<``)
at the start of the source text, which ``MarianTokenizer`` keeps as one
token; a one-pair model has no such tokens and translates into its one
target whatever the run asks (the user routes it: ``--model nob_Latn-eng_Latn=...``).
Nothing is forced on the output: the decoder starts from ``<pad>`` (a zero
embedding), and ``<pad>`` may never be produced (the hub checkpoints'
``bad_words_ids``; CTranslate2's converter drops it from the vocabulary).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

from toolkit.translate.families.base import Family

_TOKEN = re.compile(r"^>>[A-Za-z_]{2,10}<<$")


class Marian(Family):
    name = "marian"
    model_types = ("marian",)
    forces_target = False
    suppress_pad = True  # CTranslate2's converter drops <pad> from the vocabulary instead
    tokenizer_files = (
        "source.spm",
        "target.spm",
        "vocab.json",
        "target_vocab.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
    )

    def token_for(self, nllb: str, vocab: Container[str], model: str = "the model") -> str | None:
        if not self.language_tokens(vocab):  # type: ignore[arg-type]
            return None  # a one-pair (or one-target) model: no target token
        return self.find(nllb, vocab, model)

    def token_forms(self, code: str) -> tuple[str, ...]:
        return (f">>{code}<<",)

    def source_text(self, text: str, tgt_token: str | None) -> str:
        return f"{tgt_token} {text}" if tgt_token else text

    def ct2_options(self, vocab: Container[str], pad_token: str | None) -> dict:
        return {}  # the converted vocabulary has no <pad> to suppress

    def language_tokens(self, vocab: Iterable[str]) -> list[str]:
        return sorted(t for t in vocab if _TOKEN.match(t))


FAMILY = Marian()
