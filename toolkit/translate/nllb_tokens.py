"""NLLB's tokenizer without transformers: the fast path's own token layer.

``CT2Engine`` needs three things from the tokenizer: a sentence's pieces,
the ``[src_lang, ..., "</s>"]`` frame around them, and the text of output
pieces. The ``tokenizers`` library does all three from the model folder's
``tokenizer.json``; importing transformers (and with it torch) for them had
cost the benchmark's CTranslate2 process about 220 MB of its peak
(benchmarks/translate_speed.py: 1,688 -> 1,466 MB).

``NllbTokens`` follows ``NllbTokenizerFast`` (transformers 5): the language
code first and ``</s>`` last (``legacy_behaviour`` puts the code after
``</s>``); decoding drops special tokens and applies transformers' space
clean-up only when ``tokenizer_config.json`` forces it, as transformers 5
does.
tests/test_nllb_tokens.py checks both against transformers on every seed
sentence.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import ToolkitError

TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "tokenizer_config.json"

# transformers' PreTrainedTokenizerBase.clean_up_tokenization, in order.
_CLEAN_UP = (
    (" .", "."),
    (" ?", "?"),
    (" !", "!"),
    (" ,", ","),
    (" ' ", "'"),
    (" n't", "n't"),
    (" 'm", "'m"),
    (" 's", "'s"),
    (" 've", "'ve"),
    (" 're", "'re"),
)


class TokenizerError(ToolkitError, ValueError):
    """A model folder's tokenizer that lacks what NLLB needs (its end token, a language code)."""


class NllbTokens:
    """Pieces in, pieces out, as NLLB's fast tokenizer makes them."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        from tokenizers import Tokenizer

        folder = Path(folder)
        path = folder / TOKENIZER_FILE
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing")
        self._tok = Tokenizer.from_file(str(path))
        # A saved tokenizer.json may carry the padding and truncation of its
        # last use; sentences here are framed one by one and never cut.
        self._tok.no_padding()
        self._tok.no_truncation()
        config_path = folder / CONFIG_FILE
        config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
        self.legacy = bool(config.get("legacy_behaviour", False))
        # transformers 5 ignores clean_up_tokenization_spaces for this
        # tokenizer (it strips spaces before punctuation) unless forced.
        self.clean_up = bool(config.get("clean_up_tokenization_spaces", False)) and bool(
            config.get("clean_up_tokenization_spaces_for_bpe_even_though_it_will_corrupt_output", False)
        )
        self.eos = config.get("eos_token") or "</s>"
        if isinstance(self.eos, dict):  # older configs store AddedToken objects
            self.eos = self.eos.get("content", "</s>")
        if self._tok.token_to_id(self.eos) is None:
            raise TokenizerError(f"{path} has no {self.eos} token")

    @functools.cached_property
    def vocab(self) -> dict[str, int]:
        """Every token and its id (the language codes included)."""
        return self._tok.get_vocab(with_added_tokens=True)

    def encode(self, texts: Sequence[str], src_lang: str, tgt_token: str | None = None) -> list[list[str]]:
        """``[src_lang, pieces..., "</s>"]`` for each text (NLLB puts nothing of
        the target in the source: ``tgt_token`` is for the families that do)."""
        if self._tok.token_to_id(src_lang) is None:
            raise TokenizerError(f"the tokenizer has no language code {src_lang}")
        out = []
        for enc in self._tok.encode_batch(list(texts), add_special_tokens=False):
            pieces = list(enc.tokens)
            out.append(pieces + [self.eos, src_lang] if self.legacy else [src_lang, *pieces, self.eos])
        return out

    def decode(self, pieces: Sequence[str]) -> str:
        ids = [self._tok.token_to_id(p) for p in pieces]
        text = self._tok.decode([i for i in ids if i is not None], skip_special_tokens=True)
        if self.clean_up:
            for a, b in _CLEAN_UP:
                text = text.replace(a, b)
        return text
