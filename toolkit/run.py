"""The run folder: the one place that knows what ``toolkit translate`` writes.

A run folder holds::

    bitext.jsonl                 one BitextRecord per sentence, document order
    run.json                     RunInfo: provenance, settings, counts, skips, timings
    translations/<tgt>/<doc>.txt each document in each target
    tmx/<src>-<tgt>.tmx          TMX 1.4 for translators' tools
    sources/<doc>.txt            the text the offsets index, for inputs that are not plain text
    cache/translations.sqlite    what survives a kill (keyed by Provenance.cache_key())

``Provenance`` says what produced the translations, and both the run's
``signature`` (as sacrebleu's) and the translation cache key derive from it,
so that two runs share cache entries exactly when they would translate alike.
``RunInfo`` is what ``run.json`` holds: written by the pipeline, read by push,
extract and anything else through ``load_run``. Nothing else spells these
file names or keys.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.records import BitextRecord, Record, Skip

RUN_FORMAT = 1
_NLLB_CODE = re.compile(r"[a-z]{3}_[A-Z][a-z]{3}")  # what a target looks like; it names folders and columns


class RunFolderError(ToolkitError, ValueError):
    """A folder that is not a usable run; the message says what to do."""


@dataclass(frozen=True)
class RunPaths:
    """The files of a run folder."""

    root: Path

    @property
    def bitext(self) -> Path:
        return self.root / "bitext.jsonl"

    @property
    def info(self) -> Path:
        return self.root / "run.json"

    @property
    def cache(self) -> Path:
        return self.root / "cache" / "translations.sqlite"

    @property
    def translations_dir(self) -> Path:
        return self.root / "translations"

    def translations(self, target: str) -> Path:
        return self.translations_dir / target

    @property
    def tmx_dir(self) -> Path:
        return self.root / "tmx"

    def tmx(self, src_lang: str, target: str) -> Path:
        return self.tmx_dir / f"{src_lang}-{target}.tmx"

    @property
    def sources(self) -> Path:
        return self.root / "sources"


# Keys of Provenance that change what the same input translates to. The rest
# (device, threads, replicas, versions, languages) say how a run was made but
# not what it produced, or are keyed per cache entry (the languages).
_KEYED = ("engine", "model", "model_hash", "revision", "compute_type", "quantization", "settings", "shortlist")


@dataclass
class Provenance(Record):
    """What produced a run's translations.

    ``compute_type`` is the arithmetic the engine ran in (CTranslate2's compute
    type, or the torch dtype): an int8 run and a float32 run of the same
    weights translate differently, so it is part of the cache key.
    ``quantization`` is how the weights were stored when converted.
    ``source_model``/``source_hash`` name the checkpoint a converted model came
    from. ``runtime`` holds what says how, not what (threads, replicas, memory
    budgets); it is recorded but keys nothing.
    """

    engine: str
    model: str
    model_hash: str = ""
    compute_type: str = ""
    quantization: str | None = None
    source_model: str | None = None
    source_hash: str | None = None
    revision: str | None = None
    device: str = "cpu"
    settings: dict[str, Any] = field(default_factory=dict)
    shortlist: dict[str, str] | None = None
    src_lang: str = "auto"
    targets: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    runtime: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # further keyed settings (a glossary's hash, ...)
    #: The model's family (nllb, m2m100, marian, madlad) and its weights' licence.
    family: str | None = None
    licence: str | None = None
    #: A run with a model per direction: "src_lang-tgt_lang" -> what translates
    #: it (model, model_hash, family, licence, engine and its ``cache_key``);
    #: the fields above are then the model of every other direction's.
    directions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def with_languages(self, src_lang: str | None, targets: list[str]) -> Provenance:
        return replace(self, src_lang=src_lang or "auto", targets=list(targets))

    def cache_key(self) -> str:
        """A string that changes whenever the same input could translate differently."""
        keyed = {k: getattr(self, k) for k in _KEYED}
        if self.extra:
            keyed["extra"] = self.extra
        if self.directions:  # each direction's model, by its own key
            keyed["directions"] = {d: v.get("cache_key") for d, v in sorted(self.directions.items())}
        return hashlib.sha256(json.dumps(keyed, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def signature(self, toolkit_version: str | None = None) -> str:
        """A one-line summary of what produced the run, as sacrebleu's signature."""
        if toolkit_version is None:
            from toolkit import __version__ as toolkit_version
        parts = [
            f"toolkit:{toolkit_version}",
            f"engine:{self.engine}",
            # A converted CTranslate2 model is named by the checkpoint it came from.
            f"model:{self.source_model or self.model}",
            f"hash:{(self.source_hash or self.model_hash or '')[:12]}",
            f"src:{self.src_lang}",
            f"tgt:{','.join(self.targets)}",
            f"beams:{self.settings.get('num_beams')}",
            f"nrng:{self.settings.get('no_repeat_ngram_size')}",
        ]
        if self.quantization:
            parts.append(f"quant:{self.quantization}")
        if self.compute_type:
            parts.append(f"compute:{self.compute_type}")
        if self.shortlist:
            parts.append(f"shortlist:{self.shortlist.get('hash', 'yes')[:12]}")
        if self.family:
            parts.append(f"family:{self.family}")
        if self.licence:
            parts.append(f"licence:{self.licence}")
        for d, v in sorted(self.directions.items()):  # a model per direction: each other than the above named
            if v.get("model") == self.model_name:
                continue
            h = str(v.get("model_hash") or "")[:12]
            parts.append(f"{d}:{v.get('model')}@{h}/{v.get('family')}/{v.get('licence')}")
        for k in sorted(self.extra):
            v = self.extra[k]
            parts.append(f"{k}:{str(v)[:12]}")
        return "|".join(parts)

    @property
    def model_name(self) -> str:
        """The model as a person would name it: the checkpoint, not the converted folder."""
        return self.source_model or self.model

    def direction_keys(self) -> dict[tuple[str, str], str]:
        """(src_lang, tgt_lang) -> the translation cache key of its model, for
        the directions a model of their own translates."""
        out = {}
        for d, v in self.directions.items():
            src, _, tgt = d.partition("-")
            if v.get("cache_key"):
                out[(src, tgt)] = str(v["cache_key"])
        return out


@dataclass
class RunInfo(Record):
    """What ``run.json`` holds."""

    name: str
    targets: list[str]
    provenance: Provenance
    input: str = ""
    src_lang: str = "auto"
    languages: dict[str, int] = field(default_factory=dict)  # src_lang -> documents
    batching: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[Skip] = field(default_factory=list)
    timing: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # further sections (cluster, formats, ...)
    format: int = RUN_FORMAT

    @property
    def signature(self) -> str:
        return self.provenance.signature(self.toolkit)

    @property
    def toolkit(self) -> str:
        return self.provenance.versions.get("toolkit", "")

    @property
    def model(self) -> str:
        return self.provenance.model_name

    def to_dict(self) -> dict[str, Any]:
        # "engine" holds the provenance: the key run.json has had since format 1.
        data: dict[str, Any] = {
            "format": self.format,
            "name": self.name,
            "signature": self.signature,
            "toolkit": self.toolkit,
            "model": self.model,
            "input": self.input,
            "targets": self.targets,
            "src_lang": self.src_lang,
            "languages": self.languages,
            "engine": self.provenance.to_dict(),
            "batching": self.batching,
            "versions": self.provenance.versions,
            "counts": self.counts,
            "skipped": [s.to_dict() for s in self.skipped],
            "timing": self.timing,
        }
        data.update(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunInfo:
        known = {
            "format",
            "name",
            "signature",
            "toolkit",
            "model",
            "input",
            "targets",
            "src_lang",
            "languages",
            "engine",
            "batching",
            "versions",
            "counts",
            "skipped",
            "timing",
        }
        prov = data.get("engine")
        if not isinstance(prov, dict) or not isinstance(prov.get("engine"), str):
            raise ValueError('no "engine" provenance object')
        skipped = [Skip.from_dict(s) for s in data.get("skipped") or [] if isinstance(s, dict)]
        return cls(
            name=str(data.get("name") or ""),
            targets=list(data["targets"]),
            provenance=Provenance.from_dict(prov),
            input=str(data.get("input") or ""),
            src_lang=str(data.get("src_lang") or "auto"),
            languages=dict(data.get("languages") or {}),
            batching=dict(data.get("batching") or {}),
            counts=dict(data.get("counts") or {}),
            skipped=skipped,
            timing=dict(data.get("timing") or {}),
            extra={k: v for k, v in data.items() if k not in known},
            format=int(data.get("format") or RUN_FORMAT),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"


def write_run_info(run_dir: str | Path, info: RunInfo) -> Path:
    """Write ``run.json`` atomically (it appears only when complete)."""
    from toolkit.io.atomic import atomic_write_text

    path = RunPaths(Path(run_dir)).info
    atomic_write_text(path, info.to_json())
    return path


@dataclass
class Run:
    """A finished run folder, opened: its paths and its ``RunInfo``."""

    path: Path
    info: RunInfo

    @property
    def paths(self) -> RunPaths:
        return RunPaths(self.path)

    @property
    def name(self) -> str:
        return self.info.name or self.path.resolve().name

    @property
    def targets(self) -> list[str]:
        return self.info.targets

    @property
    def model(self) -> str:
        return self.info.model

    @property
    def bitext(self) -> Path:
        return self.paths.bitext


def load_run(path: str | Path) -> Run:
    """Open a finished run folder; raise ``RunFolderError`` with a clear message if it is not one."""
    p = Path(path)
    paths = RunPaths(p)
    if not p.is_dir():
        raise RunFolderError(
            f"{p} is not a run folder (no such folder): run `toolkit translate IN_DIR --out {p}` first"
        )
    if not paths.bitext.is_file():
        raise RunFolderError(f"{p} is not a run folder (no bitext.jsonl): run `toolkit translate` first")
    if not paths.info.is_file():
        raise RunFolderError(f"{p} is not a finished run (no run.json): run `toolkit translate` again to finish it")
    try:
        meta = json.loads(paths.info.read_text(encoding="utf-8"))
    except OSError as e:
        raise RunFolderError(f"cannot read {paths.info}: {e.strerror or e}; check the run folder") from None
    except (ValueError, RecursionError) as e:  # not UTF-8, not JSON, too deep, a 5,000-digit integer
        why = "nested too deeply" if isinstance(e, RecursionError) else str(e)[:120]
        raise RunFolderError(f"{paths.info}: not valid JSON ({why}); run `toolkit translate` again") from None
    targets = meta.get("targets") if isinstance(meta, dict) else None
    if (
        not targets
        or not isinstance(targets, list)
        or not all(isinstance(t, str) and _NLLB_CODE.fullmatch(t) for t in targets)
    ):
        raise RunFolderError(f'{paths.info}: no "targets" list of NLLB codes; run `toolkit translate` again')
    try:
        info = RunInfo.from_dict(meta)
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        raise RunFolderError(
            f"{paths.info}: not a run.json written by `toolkit translate` ({e}); run `toolkit translate` again"
        ) from None
    if not info.name:
        info.name = p.resolve().name
    return Run(path=p, info=info)


def iter_records(run: Run | str | Path, errors: list[str] | None = None) -> Iterator[BitextRecord]:
    """Stream ``bitext.jsonl``; a bad line is reported in ``errors`` (file:line: why) and skipped.

    Without ``errors`` a bad line raises ``RunFolderError``. Accepts an opened
    ``Run`` or a run folder (which need not be finished: a bitext alone is
    enough to read records). Every line goes through ``parse_record``, the one
    validator of a run's records: every reader of a run (export, rank, push,
    extract) reads through here.
    """
    bitext = run.bitext if isinstance(run, Run) else RunPaths(Path(run)).bitext
    try:
        fh = bitext.open("rb")
    except OSError as e:
        raise RunFolderError(f"cannot read {bitext}: {e.strerror or e}; check the run folder") from None
    with fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                rec = parse_record(raw)
            except RecordError as e:
                msg = f"{bitext}:{n}: not a bitext record ({e}); the line is skipped"
                if errors is None:
                    raise RunFolderError(msg) from None
                errors.append(msg)
                continue
            yield rec


class RecordError(ToolkitError, ValueError):
    """One line of ``bitext.jsonl`` that is not a record ``toolkit translate`` writes."""


_INT32 = 2**31 - 1
_INT64 = 2**63 - 1


def parse_record(line: str | bytes) -> BitextRecord:
    """One line of ``bitext.jsonl`` as a ``BitextRecord``, every field checked
    for the type the writer gives it; ``RecordError`` says which is not.

    The line comes from a file anyone may have edited: not UTF-8, nesting
    deeper than the parser's recursion, integers past Python's 4,300-digit
    limit, a translation that is not a string, a flag that is not an object
    all end here, as one message, never a traceback further on.
    """
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as e:
            raise RecordError(f"not UTF-8 (byte {e.start})") from None
    try:
        data = json.loads(line)
    except RecursionError:
        raise RecordError("JSON nested too deeply") from None
    except ValueError as e:  # JSONDecodeError, and int() past sys.get_int_max_str_digits()
        raise RecordError(f"not valid JSON: {str(e)[:120]}") from None
    if not isinstance(data, dict):
        raise RecordError(f"a JSON {type(data).__name__}, not an object")
    if "\\ud" in line.lower() and _has_lone_surrogate(data):
        raise RecordError("a lone surrogate escape (\\ud800-\\udfff): not text")
    _need(data, "id", str)
    _need(data, "doc", str)
    _need(data, "src_lang", str)
    _need(data, "src", str)
    for key, top in (("para", _INT32), ("idx", _INT32), ("src_start", _INT64), ("src_end", _INT64)):
        _need(data, key, int)
        if not 0 <= data[key] <= top:
            raise RecordError(f'"{key}" out of range')
    _opt(data, "translate", bool)
    _opt(data, "skip_reason", (str, type(None)))
    _mapping(data, "mt", lambda v: isinstance(v, str), "a string")
    _mapping(data, "scores", lambda v: v is None or _number(v), "a number or null")
    _mapping(data, "round_trip", _number, "a number")
    _mapping(data, "repairs", lambda v: isinstance(v, dict), "an object")
    _mapping(data, "figures", lambda v: isinstance(v, list) and all(_figure(f) for f in v), "a list of figures")
    flags = data.get("flags", [])
    if not isinstance(flags, list) or not all(_flag(f) for f in flags):
        raise RecordError('"flags" is not a list of {code, target, detail} objects')
    try:
        return BitextRecord.from_dict(data)
    except TypeError as e:  # cannot happen after the checks above; kept as the record's own word
        raise RecordError(str(e)) from None


def _has_lone_surrogate(data: Any) -> bool:
    """A string no UTF-8 writer (Arrow, a TMX file, a terminal) can take."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _need(data: dict[str, Any], key: str, kind: type) -> None:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RecordError(f'"{key}" is {"missing" if key not in data else type(value).__name__}, not {kind.__name__}')


def _opt(data: dict[str, Any], key: str, kinds: type | tuple[type, ...]) -> None:
    if key in data and not isinstance(data[key], kinds):
        raise RecordError(f'"{key}" holds {type(data[key]).__name__}')


def _mapping(data: dict[str, Any], key: str, ok, what: str) -> None:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(k, str) and ok(v) for k, v in value.items()):
        raise RecordError(f'"{key}" is not an object of {what} per target')


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= _INT64


def _str_or_none(v: Any) -> bool:
    return v is None or isinstance(v, str)


def _figure(f: Any) -> bool:
    return (
        isinstance(f, dict)
        and _int(f.get("start"))
        and _int(f.get("end"))
        and isinstance(f.get("text"), str)
        and isinstance(f.get("kind"), str)
        and _str_or_none(f.get("unit"))
        and _str_or_none(f.get("era"))
    )


def _flag(f: Any) -> bool:
    return (
        isinstance(f, dict)
        and isinstance(f.get("code"), str)
        and isinstance(f.get("target"), str)
        and isinstance(f.get("detail", ""), str)
    )
