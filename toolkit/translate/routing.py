"""A model per direction: the engine spec the CLI builds, checks and hands on.

``--model`` may be given several times as ``[SRC-TGT=]ID|PATH``: a model
with a direction translates that direction; the bare one (at most one)
every other. ``EngineSpec`` is the one typed record of what to load: the
CLI checks it (every direction has a model, ``--commercial`` licences)
before anything is loaded or downloaded, the single-machine run loads it
(``load``), and the Ray workers get the same record and load it there
(``toolkit.translate.cluster``): a loaded model is not picklable.

``RoutedEngine`` is the engine of a run with several models: each model
loaded once, each call sent to the model of its direction. The runner asks
``for_direction`` first, so batching, splitting, the shortlist and the
replicas are those of the model that translates; the cache keys each entry
by that model's own key (``Provenance.direction_keys``), so adding a model
for one direction keeps every other direction's cached translations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.languages import SOURCE_LANGS, LanguageError, to_nllb
from toolkit.records import Hypothesis
from toolkit.run import Provenance
from toolkit.translate.engine import DEFAULT_MODEL, Engine, GenerationSettings

Direction = tuple[str, str]

# "nob_Latn-eng_Latn=" or "nb-en=": two language codes and "=" before the model.
_ROUTE = re.compile(r"^([A-Za-z]{2,3}(?:_[A-Za-z]{4})?)-([A-Za-z]{2,3}(?:_[A-Za-z]{4})?)=(.+)$")


class ModelPlanError(ToolkitError, ValueError):
    """A ``--model`` list that cannot serve the run: a bad ``SRC-TGT=`` part,
    two models for one direction, or a direction without a model."""


@dataclass(frozen=True)
class ModelRoute:
    """One ``--model``: the model and the direction it serves (None: every direction without a model of its own)."""

    model: str
    direction: Direction | None = None

    @classmethod
    def parse(cls, text: str) -> ModelRoute:
        """``[SRC-TGT=]ID|PATH``; the codes are NLLB or ISO (``nb-en=...``)."""
        text = text.strip()
        m = _ROUTE.match(text)
        if not m:
            if not text:
                raise ModelPlanError("--model is empty; give a hub id or a folder, optionally after SRC-TGT=")
            return cls(text)
        try:
            src, tgt = to_nllb(m.group(1)), to_nllb(m.group(2))
        except LanguageError as e:
            raise ModelPlanError(f"--model {text}: {e}") from None
        if src == tgt:
            raise ModelPlanError(f"--model {text}: the source and the target are the same language")
        return cls(m.group(3).strip(), (src, tgt))

    def __post_init__(self) -> None:
        # One folder named two ways (./models/x, models/x/) is one model, loaded once.
        local = Path(self.model).expanduser()
        if local.is_dir():
            object.__setattr__(self, "model", str(local.resolve()))

    def label(self) -> str:
        return f"{self.direction[0]}-{self.direction[1]}={self.model}" if self.direction else self.model


def direction_name(d: Direction) -> str:
    return f"{d[0]}-{d[1]}"


def plan_directions(src_lang: str | None, targets: Sequence[str], round_trip: bool = False) -> tuple[Direction, ...]:
    """The directions a run may translate: its source (or, detected per
    document, every source language the toolkit reads) into each target, and
    back when the round trip is asked for."""
    sources = [src_lang] if src_lang else list(SOURCE_LANGS)
    out = [(s, t) for s in sources for t in targets if s != t]
    if round_trip:
        out += [(t, s) for s, t in out]
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class EngineSpec:
    """What to load (``load_engine``'s arguments for each model), and which
    model translates which direction. Built by the CLI, loaded on the
    driver or on each Ray worker; never a loaded engine (not picklable, and
    each node may have its own device)."""

    models: tuple[ModelRoute, ...] = (ModelRoute(DEFAULT_MODEL),)
    engine: str | None = None
    device: str = "auto"
    compute_type: str | None = None
    settings: GenerationSettings = field(default_factory=GenerationSettings)
    shortlist: bool | None = None
    targets: tuple[str, ...] = ()
    #: CTranslate2 cuts a batch into one chunk per replica, and with a shortlist
    #: a chunk's content decides its candidate vocabulary, hence its output: the
    #: workers keep the replica count a single-machine run on the driver has
    #: (``cluster.default_replicas``), so that they write the same bytes.
    replicas: int | None = None
    #: CTranslate2's memory guard (``CT2Engine.max_hyp_tokens``; None: its
    #: default). It sizes the chunks too, so the workers take the driver's.
    max_hyp_tokens: int | None = None
    #: The run's directions (sources x targets), which run.json lists with their models.
    directions: tuple[Direction, ...] = ()

    @classmethod
    def from_options(cls, models: Iterable[str], **kw: Any) -> EngineSpec:
        """The spec of ``--model`` given as often as the user did (none: the default model)."""
        routes = tuple(ModelRoute.parse(m) for m in models) or (ModelRoute(DEFAULT_MODEL),)
        bare = [r for r in routes if r.direction is None]
        if len(bare) > 1:
            raise ModelPlanError(
                f"--model given without a direction twice ({bare[0].model}, {bare[1].model}): one model serves "
                "every other direction; give the others as SRC-TGT=MODEL"
            )
        seen: dict[Direction, str] = {}
        for r in routes:
            if r.direction is None:
                continue
            if r.direction in seen:
                raise ModelPlanError(
                    f"two models for {direction_name(r.direction)}: {seen[r.direction]} and {r.model}; give one"
                )
            seen[r.direction] = r.model
        return cls(models=routes, **kw)

    # -- the plan --------------------------------------------------------------

    @property
    def default(self) -> str | None:
        """The model of every direction without one of its own (None: none given)."""
        return next((r.model for r in self.models if r.direction is None), None)

    @property
    def routed(self) -> dict[Direction, str]:
        return {r.direction: r.model for r in self.models if r.direction is not None}

    @property
    def primary(self) -> str:
        """The model a person names the run by: the bare one, else the first."""
        return self.default or self.models[0].model

    def model_for(self, src: str, tgt: str) -> str | None:
        return self.routed.get((src, tgt), self.default)

    def distinct_models(self) -> list[str]:
        return list(dict.fromkeys(r.model for r in self.models))

    def check_directions(self, directions: Iterable[Direction]) -> None:
        """One line (ModelPlanError) naming a direction no model serves; before anything loads."""
        missing = [d for d in directions if self.model_for(*d) is None]
        if missing:
            names = ", ".join(direction_name(d) for d in missing[:4]) + (" ..." if len(missing) > 4 else "")
            raise ModelPlanError(
                f"no model translates {names}: add --model {direction_name(missing[0])}=MODEL, or a --model "
                "without a direction for every other one"
                + (
                    ""
                    if len(missing) == 1
                    else " (with auto-detected sources, every source language needs one; --from narrows them)"
                )
            )

    def licences(self) -> dict[str, str]:
        """model -> its licence, from what is on this machine only (no download)."""
        from toolkit.translate.licence import model_licence

        return {m: model_licence(m) for m in self.distinct_models()}

    def check_commercial(self) -> None:
        """``--commercial``: refuse, in one line naming the model, a licence
        that does not allow commercial use; nothing is loaded or downloaded."""
        from toolkit.translate.licence import check_commercial

        for model, licence in self.licences().items():
            check_commercial(model, licence)

    def targets_of(self, model: str) -> tuple[str, ...]:
        """The targets ``model`` translates into (what its shortlist is built for)."""
        own = {t for (_, t), m in self.routed.items() if m == model}
        if model == self.default:
            return tuple(self.targets) or tuple(sorted(own))
        return tuple(sorted(own)) or tuple(self.targets)

    # -- loading ---------------------------------------------------------------

    def load_one(self, model: str, threads: int | None) -> Engine:
        from toolkit.translate.loading import load_engine

        kw: dict = {} if self.engine == "transformers" or self.replicas is None else {"replicas": self.replicas}
        if self.max_hyp_tokens is not None:
            kw["max_hyp_tokens"] = self.max_hyp_tokens
        return load_engine(
            model,
            engine=self.engine,
            device=self.device,
            settings=self.settings,
            compute_type=self.compute_type,
            shortlist=self.shortlist,
            targets=list(self.targets_of(model)),
            threads=threads,
            **kw,
        )

    def load(self, threads: int | None = None) -> Engine:
        """Load every model once: the engine itself for one model without a
        direction, else a ``RoutedEngine``."""
        models = self.distinct_models()
        if len(models) == 1 and not self.routed:
            return self.load_one(models[0], threads)
        engines = {m: self.load_one(m, threads) for m in models}
        return RoutedEngine(engines, self.routed, self.default, self.directions)


class RoutedEngine(Engine):
    """Several loaded models, each call sent to the model of its direction."""

    def __init__(
        self,
        engines: dict[str, Engine],
        routes: dict[Direction, str],
        default: str | None,
        directions: Sequence[Direction] = (),
    ) -> None:
        first = engines[default] if default is not None else next(iter(engines.values()))
        super().__init__(first.model, first.device, first.settings)
        self.engines = engines
        self.routes = dict(routes)
        self.default = default
        self.name = first.name
        self.max_source_tokens = first.max_source_tokens
        #: The directions the provenance lists (the run's plan), besides the routed ones.
        self.directions = list(dict.fromkeys([*directions, *routes]))

    def for_direction(self, src_lang: str, tgt_lang: str) -> Engine:
        model = self.routes.get((src_lang, tgt_lang), self.default)
        if model is None:
            raise ModelPlanError(
                f"no model translates {src_lang}-{tgt_lang}: add --model {src_lang}-{tgt_lang}=MODEL "
                "or a --model without a direction"
            )
        return self.engines[model]

    def count_tokens(self, texts: Sequence[str], src_lang: str) -> list[int]:
        # Without a target, the default model counts; the runner asks
        # ``for_direction`` first and counts with the model that translates.
        first = self.engines[self.default] if self.default is not None else next(iter(self.engines.values()))
        return first.count_tokens(texts, src_lang)

    def translate_batch(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[str]:
        return self.for_direction(src_lang, tgt_lang).translate_batch(texts, src_lang, tgt_lang)

    def translate_scored(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[Hypothesis]:
        return self.for_direction(src_lang, tgt_lang).translate_scored(texts, src_lang, tgt_lang)

    def n_best(
        self, texts: Sequence[str], src_lang: str, tgt_lang: str, *, n: int, beam: int
    ) -> list[list[Hypothesis]]:
        return self.for_direction(src_lang, tgt_lang).n_best(texts, src_lang, tgt_lang, n=n, beam=beam)

    def provenance(self) -> Provenance:
        """The default model's provenance (else the first model's), with each
        direction's model, hash, family, licence and cache key under ``directions``."""
        base_model = self.default if self.default is not None else next(iter(self.engines))
        base = self.engines[base_model].provenance()
        per: dict[str, dict[str, Any]] = {}
        for d in self.directions:
            model = self.routes.get(d, self.default)
            if model is None:
                continue
            p = self.engines[model].provenance()
            per[direction_name(d)] = {
                "model": p.model_name,
                "model_hash": p.source_hash or p.model_hash,
                "family": p.family,
                "licence": p.licence,
                "engine": p.engine,
                "shortlist": (p.shortlist or {}).get("hash"),
                "folder": p.model if p.source_model else None,
                "cache_key": p.cache_key(),
            }
        models = {m: e.provenance().runtime for m, e in self.engines.items()}
        return replace(base, directions=per, runtime={**base.runtime, "models": models})
