"""The plan of a run's work: which documents, in which pieces and chunks, and
which texts each engine call translates.

A single-machine run (``toolkit.translate.pipeline``) and a run on a Ray
cluster (``toolkit.translate.cluster``) both walk the input through these
functions, so the work units a cluster's workers translate are, by
construction, the groups the pipeline translates: every engine batch has the
same members and padding either way, hence the same bytes. Nothing here
loads a model; ``check_run`` is what the CLI asks before it loads one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Protocol

from toolkit.detect import detect_language, disagreement
from toolkit.display import shown
from toolkit.io.read import InputError, iter_documents, list_input_files
from toolkit.languages import to_nllb
from toolkit.records import Document, Skip
from toolkit.segment import iter_sentences
from toolkit.translate.outputs import Piece, document_failed
from toolkit.translate.summary import RunError, RunSummary

log = logging.getLogger(__name__)

#: Translate this many sentences together (length-sorted batches inside); a
#: document longer than this goes through the run in pieces of this size.
CHUNK_SENTENCES = 256


class Reading(Protocol):
    """What the plan needs of the run's settings (``pipeline.TranslateConfig`` has it)."""

    targets: list[str]
    src_lang: str | None
    text_field: str | None
    id_field: str | None
    follow_symlinks: bool


@dataclass(frozen=True)
class Unit:
    """One engine call of a chunk: its unique body sentences of one source
    language, in first-seen order, into one target; ``ids`` names each text's
    first record (to say which record a failure is)."""

    src: str
    tgt: str
    texts: list[str]
    ids: dict[str, str]


def normalise_languages(config: Reading) -> None:
    """The run's languages as NLLB codes (``id`` -> ``ind_Latn``), in place."""
    config.targets = [to_nllb(t) for t in config.targets]
    config.src_lang = to_nllb(config.src_lang) if config.src_lang else None


def check_run(in_dir: Path, run_dir: Path, follow_symlinks: bool = False) -> None:
    """Raise ``RunError`` unless ``in_dir`` holds something to translate and
    ``run_dir`` can be written: asked before any model is loaded."""
    in_dir, run_dir = Path(in_dir), Path(run_dir)
    try:
        files = list_input_files(in_dir, exclude=run_dir, follow_symlinks=follow_symlinks)
    except InputError as e:
        raise RunError(str(e)) from e
    if not files:
        # Say why when the walk passed something over (links leading outside, unreadable folders).
        passed = list(iter_documents(in_dir, exclude=run_dir, follow_symlinks=follow_symlinks))
        why = "; ".join(f"{s.path}: {s.reason}" for s in passed[:3] if isinstance(s, Skip))
        raise RunError(
            f"no .txt files (nor .html, .md, .docx, .jsonl, .csv, .parquet or dataset folders) under {in_dir}: "
            "point the command at a folder of articles" + (f" (passed over: {why})" if why else "")
        )
    check_run_dir(run_dir)


def check_run_dir(run_dir: Path) -> None:
    """Create ``run_dir`` and prove it writable, or raise ``RunError``."""
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        probe = run_dir / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as e:
        raise RunError(f"cannot write to output folder {run_dir}: {e.strerror or e}; choose another --out") from e


def iter_pieces(in_dir: Path, config: Reading, summary: RunSummary, run_dir: Path | None = None) -> Iterator[Piece]:
    """Every readable document of ``in_dir`` with its source language, in
    pieces; what cannot be read or whose language is not a source is a skip
    in ``summary`` (its ``documents`` counts both)."""
    for item in iter_documents(
        in_dir,
        text_field=config.text_field,
        id_field=config.id_field,
        exclude=run_dir,
        follow_symlinks=config.follow_symlinks,
    ):
        summary.documents += 1
        if isinstance(item, Skip):
            summary.skips.append(item)
            continue
        summary.add_encoding(item)
        if config.src_lang:
            lang = config.src_lang
            warning = disagreement(item.text, lang)
            if warning:
                log.warning("%s: %s", shown(item.path), warning)
        else:
            try:
                det = detect_language(item.text)
            except Exception as e:  # noqa: BLE001  (one document's detector error costs that document; logged)
                log.error("%s: language detection failed", shown(item.path), exc_info=e)
                summary.skips.append(document_failed(item.path, e))
                continue
            if det.nllb is None:
                summary.skips.append(
                    Skip(
                        item.path,
                        f"{det.problem}; pass --from CODE if you know better",
                    )
                )
                continue
            lang = det.nllb
        item.lang = lang
        yield from pieces(item, lang)


def pieces(doc: Document, lang: str) -> Iterator[Piece]:
    """``doc`` in pieces of ``CHUNK_SENTENCES`` sentences (one piece at least,
    for an empty one), so that a large document goes through translation,
    checks and writing like a folder of small ones: memory holds a piece or
    two, not every sentence and record of the document."""
    size = CHUNK_SENTENCES  # read when called: a test may set a smaller one
    sentences = iter_sentences(doc, lang)
    first = True
    try:
        piece = list(islice(sentences, size))
        while True:
            following = list(islice(sentences, size))
            yield Piece(doc, lang, piece, first=first, last=not following)
            if not following:
                return
            piece, first = following, False
    except Exception as e:  # noqa: BLE001  (a segmenter error costs its document: a last piece that says so)
        yield Piece(doc, lang, [], first=first, last=True, error=e)


def chunks(pending: Iterable[Piece]) -> Iterator[list[Piece]]:
    """Consecutive pieces, grouped until a group holds ``CHUNK_SENTENCES`` sentences."""
    chunk: list[Piece] = []
    size = 0
    for p in pending:
        chunk.append(p)
        size += len(p.sentences)
        if size >= CHUNK_SENTENCES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def iter_chunks(
    in_dir: Path, config: Reading, summary: RunSummary, run_dir: Path | None = None
) -> Iterator[list[Piece]]:
    """The run's chunks, in the order both the pipeline and the cluster take them."""
    return chunks(iter_pieces(in_dir, config, summary, run_dir))


def units(chunk: list[Piece], targets: Iterable[str]) -> list[Unit]:
    """The chunk's engine calls: its body sentences grouped by source language
    (the model takes one source code a batch), each unique text once, into
    every target, source language by source language."""
    by_lang: dict[str, dict[str, str]] = {}
    for p in chunk:
        texts = by_lang.setdefault(p.lang, {})
        for s in p.sentences:
            if s.is_body:
                texts.setdefault(s.text, s.id)
    targets = list(targets)
    return [Unit(lang, tgt, list(ids), ids) for lang, ids in by_lang.items() for tgt in targets]
