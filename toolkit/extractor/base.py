"""The Extractor base class: train, predict, save, load.

A trained extractor is a folder: the backend's files plus ``extractor.json``
(backend name, labels, settings, library versions), and after ``toolkit
train`` also ``metrics.json`` and a model card ``README.md``. ``version`` is
the folder's name and a short hash of the model files, so pre-annotations in
Label Studio say exactly which model made them.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import platform
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from toolkit.errors import ToolkitError
from toolkit.io.atomic import atomic_write_text
from toolkit.records import AnnotatedText, Span
from toolkit.segment.tokens import Token, tokenize

MANIFEST = "extractor.json"
# Written beside the model by `toolkit train`; not part of the model's hash.
_NOT_MODEL = {MANIFEST, "metrics.json", "README.md"}

# backend name -> "module:Class", imported only when used (torch is slow to import).
BACKENDS: dict[str, str] = {
    "crf": "toolkit.extractor.crf:CRFExtractor",
    "transformer": "toolkit.extractor.transformer:TransformerExtractor",
}

Progress = Callable[[str], None]


class ExtractorError(ToolkitError, RuntimeError):
    """A model folder that cannot be loaded or a model that cannot be trained."""


class Extractor(ABC):
    """Finds labelled spans (PER/ORG/LOC by default) in a text.

    Subclasses implement ``fit``, ``predict``, ``_save_files`` and
    ``_load_files``; the base class handles the manifest and versioning.
    """

    backend: ClassVar[str]

    def __init__(self, labels: Sequence[str], settings: dict[str, Any] | None = None) -> None:
        self.labels = list(labels)
        self.settings: dict[str, Any] = dict(settings or {})
        self.name = "untrained"
        self.version = "untrained"

    @abstractmethod
    def fit(self, records: Sequence[AnnotatedText], *, seed: int = 0, progress: Progress | None = None) -> None:
        """Learn from labelled texts (every span label must be in ``self.labels``)."""

    @abstractmethod
    def predict(self, text: str, lang: str, context: str | None = None) -> list[Span]:
        """Spans found in ``text`` (written in ``lang``, an NLLB code), each with a score.

        ``context`` is optional surrounding text of the same document (other
        sentences, the translations): some backends use it, e.g. to notice
        that a word recurs as a name.
        """

    def predict_many(self, items: Sequence[tuple[str, str, str | None]]) -> list[list[Span]]:
        return [self.predict(text, lang, ctx) for text, lang, ctx in items]

    def token_confidence(self, text: str, lang: str) -> list[tuple[Token, float]]:
        """Each token of ``text`` with the model's probability of the tag it gave it (1.0 = sure).

        What active learning reads (``toolkit.select``). This default knows only
        the scores of predicted spans: a token outside every span counts as sure.
        """
        spans = self.predict(text, lang)
        out = []
        for tok in tokenize(text):
            inside = [s.score for s in spans if s.start < tok.end and tok.start < s.end and s.score is not None]
            out.append((tok, min(inside) if inside else 1.0))
        return out

    @abstractmethod
    def _save_files(self, path: Path) -> None: ...

    @abstractmethod
    def _load_files(self, path: Path) -> None: ...

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self._save_files(path)
        self.name = path.name
        self.version = model_version(path)
        manifest = {
            "backend": self.backend,
            "labels": self.labels,
            "settings": self.settings,
            "version": self.version,
            "versions": library_versions(),
        }
        atomic_write_text(path / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        return path

    @classmethod
    def load(cls, path: str | Path) -> Extractor:
        return load_extractor(path)


def model_version(path: Path) -> str:
    """``<folder name>@<first 10 hex of sha256 over the model files>``."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file() and p.name not in _NOT_MODEL):
        h.update(f.relative_to(path).as_posix().encode())
        h.update(f.read_bytes())
    return f"{path.name}@{h.hexdigest()[:10]}"


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("toolkit", "python-crfsuite", "pythainlp", "torch", "transformers", "seqeval"):
        with contextlib.suppress(PackageNotFoundError):
            out[pkg] = version(pkg)
    return out


def backend_class(name: str) -> type[Extractor]:
    if name not in BACKENDS:
        raise ExtractorError(f"unknown extractor backend {name!r}; known: {', '.join(BACKENDS)}")
    module, cls = BACKENDS[name].split(":")
    return getattr(importlib.import_module(module), cls)


def load_extractor(path: str | Path) -> Extractor:
    """Read a model folder written by ``Extractor.save`` and return the extractor.

    Anything wrong with the folder (manifest, model files) is one
    ``ExtractorError`` naming the folder or file: the model is tried on one
    short sentence here, so that a damaged file is said at load, not as a
    traceback at the first text.
    """
    path = Path(path)
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise ExtractorError(
            f"{path}: not a trained extractor (no {MANIFEST}); train one with `toolkit train EXPORT.json --out {path}`"
        )
    backend, labels, settings = read_manifest(manifest_path)
    cls = backend_class(backend)
    again = f"train the model again with `toolkit train EXPORT.json --out {path}`"
    try:
        ext = cls(labels, settings)
    except ExtractorError as e:
        raise ExtractorError(f"{manifest_path}: {e}; {again}") from None
    try:
        ext._load_files(path)
        ext.predict(_PROBE_TEXT, "eng_Latn")
        ext.version = model_version(path)
    except Exception as e:  # noqa: BLE001 (a damaged file may fail in any library: say which folder)
        raise ExtractorError(
            f"{path}: the {backend} model files are damaged or unreadable ({_brief(e)}); {again}"
        ) from None
    ext.name = path.name
    return ext


# What ``load_extractor`` runs the model on once: a name, a place, an organisation.
_PROBE_TEXT = "Nguyen Van An of the Thang Binh People's Committee visited Hanoi."


def _brief(e: BaseException) -> str:
    first = (str(e).strip().splitlines() or [""])[0][:200]
    return f"{type(e).__name__}: {first}" if first else type(e).__name__


def read_manifest(manifest_path: Path) -> tuple[str, list[str], dict[str, Any]]:
    """``(backend, labels, settings)`` of an ``extractor.json``, checked; ``ExtractorError`` naming the file."""
    again = "train the model again"
    try:
        raw = manifest_path.read_bytes()
    except OSError as e:
        raise ExtractorError(f"{manifest_path}: cannot be read ({e.strerror or e}); {again}") from None
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ExtractorError(f"{manifest_path}: not UTF-8 text (byte {e.start}); {again}") from None
    except (json.JSONDecodeError, RecursionError) as e:
        where = f"line {e.lineno}: {e.msg}" if isinstance(e, json.JSONDecodeError) else "nested too deeply"
        raise ExtractorError(f"{manifest_path}: not valid JSON ({where}); {again}") from None
    if not isinstance(manifest, dict):
        raise ExtractorError(
            f"{manifest_path}: the manifest must be a JSON object, not {type(manifest).__name__}; {again}"
        )
    backend = manifest.get("backend")
    if not isinstance(backend, str):
        raise ExtractorError(
            f'{manifest_path}: "backend" must be one of {", ".join(BACKENDS)}, not {backend!r:.60}; {again}'
        )
    if backend not in BACKENDS:
        raise ExtractorError(
            f"{manifest_path}: unknown extractor backend {backend!r:.60}; known: {', '.join(BACKENDS)}; {again}"
        )
    labels = manifest.get("labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) and x.strip() for x in labels):
        raise ExtractorError(
            f'{manifest_path}: "labels" must be a non-empty list of label names, not {labels!r:.60}; {again}'
        )
    settings = manifest.get("settings", {})
    if not isinstance(settings, dict):
        raise ExtractorError(f'{manifest_path}: "settings" must be a JSON object, not {settings!r:.60}; {again}')
    return backend, labels, settings
