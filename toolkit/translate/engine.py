"""The translation engine interface: one small base class, one module per engine.

An engine turns a batch of source sentences in one language into sentences of
another. It knows nothing of documents, caches or run folders (that is
``pipeline.py``), and nothing of checks (``toolkit.checks``).
"""

from __future__ import annotations

import abc
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit import __version__
from toolkit.errors import ToolkitError
from toolkit.records import Hypothesis
from toolkit.run import Provenance

DEFAULT_MODEL = "facebook/nllb-200-distilled-600M"


class ModelNotFoundError(ToolkitError, RuntimeError):
    """The model is neither a local folder nor fetchable from the hub.

    The message says what to do (download it on a connected machine, or pass
    ``--model PATH``); the CLI prints it as one line, without a traceback.
    """


class EngineOptionError(ToolkitError, ValueError):
    """An engine, device, compute type or quantization that cannot be had as
    asked (``--shortlist`` on transformers, ``--device cuda`` without a GPU);
    the message names the option and what to use instead."""


@dataclass
class GenerationSettings:
    """Decoding settings; part of the cache key and of ``run.json``.

    ``max_new_tokens`` is tied to the source length: ``max_len_a * n_src +
    max_len_b`` (as fairseq does), capped by the model's own limit, so that a
    repetition loop cannot run on to the model's maximum.
    """

    # Greedy: the fast path (int8, a shortlist, one hypothesis), as Bergamot
    # ships for CPU translation; beam 4 is about 3x slower on the 600M model
    # (benchmarks/translate_speed.py --beams 4). --num-beams 4 for quality.
    num_beams: int = 1
    max_len_a: float = 1.6
    max_len_b: int = 10
    no_repeat_ngram_size: int = 4  # guard against NLLB's repetition loops
    repetition_penalty: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)

    def max_new_tokens(self, n_src_tokens: int, model_max: int) -> int:
        return max(1, min(model_max, int(self.max_len_a * n_src_tokens + self.max_len_b)))


class Engine(abc.ABC):
    """A loaded translation model.

    Subclasses load once in ``__init__`` and then translate many batches.
    """

    #: "transformers" or "ctranslate2"
    name: str = ""

    #: The longest source, in tokens (language code and ``</s>`` included),
    #: that the model takes; longer sentences must be split by the caller.
    max_source_tokens: int = 1024

    def __init__(self, model: str, device: str = "auto", settings: GenerationSettings | None = None) -> None:
        self.model = model
        self.device = device
        self.settings = settings or GenerationSettings()

    def for_direction(self, src_lang: str, tgt_lang: str) -> Engine:
        """The engine that translates ``src_lang`` -> ``tgt_lang``: this one,
        or in a run with a model per direction (``routing.RoutedEngine``)
        that direction's. The runner asks it first, so that tokens are
        counted and batches planned by the model that translates."""
        return self

    @abc.abstractmethod
    def count_tokens(self, texts: Sequence[str], src_lang: str) -> list[int]:
        """Source length of each text in tokens, as the model will see it."""

    @abc.abstractmethod
    def translate_batch(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[str]:
        """Translate one batch; ``src_lang``/``tgt_lang`` are NLLB codes."""

    def translate_scored(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[Hypothesis]:
        """Translate one batch with the model's confidence (``Hypothesis.score``).

        What the runner calls. The engines here override it (and their
        ``translate_batch`` returns its texts); an engine that only has
        ``translate_batch`` reports no scores.
        """
        return [Hypothesis(t) for t in self.translate_batch(texts, src_lang, tgt_lang)]

    def n_best(
        self, texts: Sequence[str], src_lang: str, tgt_lang: str, *, n: int, beam: int
    ) -> list[list[Hypothesis]]:
        """Up to ``n`` hypotheses per text from a beam of ``beam``, best first
        (what ``toolkit.checks.repair`` chooses from). An engine without beam
        search gives its one hypothesis."""
        return [[h] for h in self.translate_scored(texts, src_lang, tgt_lang)]

    @abc.abstractmethod
    def provenance(self) -> Provenance:
        """What produced this engine's output: model id/revision or folder
        hash, compute type, settings, shortlist, library versions, device.
        Goes into ``run.json`` and, through ``cache_key()``, into the
        translation cache key."""

    def cache_key(self) -> str:
        """A string that changes whenever the same input could translate
        differently (see ``Provenance.cache_key``)."""
        return self.provenance().cache_key()


def base_versions(**libraries: str) -> dict[str, str]:
    """The versions every engine records, plus its own ``libraries``."""
    return {"toolkit": __version__, "python": platform.python_version(), **libraries}
