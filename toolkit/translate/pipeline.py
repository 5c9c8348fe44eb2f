"""Folder -> run folder: the only place that knows the order of the stages.

read -> detect -> segment -> translate (batched, cached) -> figures + checks
-> write. Documents are processed in chunks of a few hundred sentences, so a
large folder never sits in memory; every output is written to a temporary
file and renamed into place at the end, and translations go to an on-disk
cache as soon as each batch finishes. A run that is killed and started again
therefore redoes at most one batch and writes the same bytes as a run that
was never interrupted.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from toolkit import __version__
from toolkit.checks import check_pair
from toolkit.detect import detect_language
from toolkit.figures import extract_figures
from toolkit.io.atomic import atomic_open, atomic_write_text
from toolkit.io.read import InputError, iter_documents, list_text_files
from toolkit.io.tmx import TmxWriter
from toolkit.languages import DEFAULT_TARGETS, SOURCE_LANGS, to_nllb
from toolkit.records import BitextRecord, Document, Sentence, Skip
from toolkit.segment import segment_document
from toolkit.translate.cache import CacheWriteError, TranslationCache
from toolkit.translate.engine import Engine
from toolkit.translate.runner import DEFAULT_BATCH_TOKENS, translate_texts

RUN_FORMAT = 1
CHUNK_SENTENCES = 256  # translate this many sentences together (length-sorted batches inside)


class RunError(Exception):
    """A problem with the run as a whole (nothing was translated): bad input
    folder, unwritable output. The CLI prints it as one line, exit code 2."""


@dataclass
class TranslateConfig:
    targets: list[str] = field(default_factory=lambda: list(DEFAULT_TARGETS))
    src_lang: str | None = None  # None: detect per document
    max_batch_tokens: int = DEFAULT_BATCH_TOKENS
    max_batch: int | None = None  # --batch-size: at most this many sentences a batch


@dataclass
class RunSummary:
    documents: int = 0
    documents_translated: int = 0
    sentences: int = 0
    body_sentences: int = 0
    skipped_lines: int = 0
    translations: int = 0
    cache_hits: int = 0
    flagged_records: int = 0
    skips: list[Skip] = field(default_factory=list)
    languages: dict[str, int] = field(default_factory=dict)  # src_lang -> documents
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.skips

    @property
    def sentences_per_s(self) -> float:
        return self.body_sentences / self.seconds if self.seconds > 0 else 0.0


@dataclass
class _Pending:
    """A document segmented and waiting for its chunk to be translated."""

    doc: Document
    lang: str
    sentences: list[Sentence]


def _identify_iso(text: str) -> str | None:
    d = detect_language(text)
    return d.iso if d.score >= 0.5 else None


def _safe_output_path(root: Path, rel: str, suffix: str) -> Path:
    """``root/rel`` with ``suffix``, refusing anything that would leave ``root``.

    ``rel`` comes from file names in the input folder: a name with ``..``
    or an absolute path must not write outside the run folder.
    """
    base = rel[:-4] if rel.endswith(".txt") else rel
    out = (root / (base + suffix)).resolve()
    if root.resolve() not in out.parents:
        raise RunError(f"refusing to write {out}: derived from input name {rel!r}, outside {root}")
    return out


def _check_run_dir(run_dir: Path) -> None:
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        probe = run_dir / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as e:
        raise RunError(f"cannot write to output folder {run_dir}: {e.strerror or e}; choose another --out") from e


def _iter_pending(in_dir: Path, config: TranslateConfig, summary: RunSummary) -> Iterator[_Pending]:
    for item in iter_documents(in_dir):
        if isinstance(item, Skip):
            summary.documents += 1
            summary.skips.append(item)
            continue
        summary.documents += 1
        if config.src_lang:
            lang = config.src_lang
        else:
            det = detect_language(item.text)
            if det.nllb is None:
                summary.skips.append(
                    Skip(
                        item.path,
                        f"language detected as {det.iso!r} (score {det.score:.2f}), not one of "
                        f"{', '.join(SOURCE_LANGS)}; pass --from CODE if you know better",
                    )
                )
                continue
            lang = det.nllb
        item.lang = lang
        yield _Pending(item, lang, segment_document(item, lang))


def _chunks(pending: Iterator[_Pending]) -> Iterator[list[_Pending]]:
    chunk: list[_Pending] = []
    size = 0
    for p in pending:
        chunk.append(p)
        size += len(p.sentences)
        if size >= CHUNK_SENTENCES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _translate_chunk(
    chunk: list[_Pending],
    engine: Engine,
    cache: TranslationCache,
    config: TranslateConfig,
    on_progress: Callable[[int], None],
) -> dict[tuple[str, str, str], str]:
    """Translate every body sentence of the chunk into every target.

    Returns {(src_lang, target, text): translation}. Sentences are grouped by
    source language (the model needs one source code per batch); identical
    sentences are translated once.
    """
    by_lang: dict[str, list[str]] = {}
    for p in chunk:
        texts = by_lang.setdefault(p.lang, [])
        texts.extend(s.text for s in p.sentences if s.is_body)
    out: dict[tuple[str, str, str], str] = {}
    for lang, texts in by_lang.items():
        unique = list(dict.fromkeys(texts))
        for target in config.targets:
            mts = translate_texts(
                engine,
                unique,
                lang,
                target,
                cache=cache,
                max_batch_tokens=config.max_batch_tokens,
                max_batch=config.max_batch,
                on_progress=on_progress,
            )
            out.update(((lang, target, t), m) for t, m in zip(unique, mts, strict=True))
    return out


def _record(s: Sentence, lang: str, targets: list[str], mts: dict[tuple[str, str, str], str]) -> BitextRecord:
    rec = BitextRecord(
        id=s.id,
        doc=s.doc,
        para=s.para,
        idx=s.idx,
        src_lang=lang,
        src=s.text,
        src_start=s.start,
        src_end=s.end,
        translate=s.is_body,
        skip_reason=s.reason,
    )
    if not s.is_body:
        return rec
    src_figs = extract_figures(s.text, lang)
    rec.figures["src"] = [f.to_dict() for f in src_figs]
    for target in targets:
        mt = mts[(lang, target, s.text)]
        rec.mt[target] = mt
        mt_figs = extract_figures(mt, target)
        rec.figures[target] = [f.to_dict() for f in mt_figs]
        rec.flags += [f.to_dict() for f in check_pair(s.text, mt, lang, target, src_figs, mt_figs, _identify_iso)]
    return rec


def document_translation(doc: Document, records: list[BitextRecord], target: str) -> str:
    """The document in ``target``, with the source's paragraph breaks.

    Body sentences of a paragraph are joined with a space; non-body lines
    (URLs, bylines, ad placeholders) are kept as they are, since they were
    not for translation; the line breaks between paragraphs are the source's.
    """
    parts: list[str] = []
    prev_end: int | None = None
    prev_para: int | None = None
    for r in records:
        text = r.mt.get(target, "") if r.translate else r.src
        if prev_para is None:
            pass
        elif r.para != prev_para:
            assert prev_end is not None
            gap = doc.text[prev_end : r.src_start]
            parts.append("\n" * max(1, gap.count("\n")))
        else:
            parts.append(" ")
        parts.append(text)
        prev_end, prev_para = r.src_end, r.para
    return "".join(parts) + "\n"


def signature(provenance: dict[str, Any], config: TranslateConfig) -> str:
    """A one-line summary of what produced the run, as sacrebleu's signature."""
    settings = provenance.get("settings") or {}
    parts = [
        f"toolkit:{__version__}",
        f"engine:{provenance.get('engine')}",
        # A converted CTranslate2 model is named by the checkpoint it came from.
        f"model:{provenance.get('source_model') or provenance.get('model')}",
        f"hash:{str(provenance.get('source_hash') or provenance.get('model_hash') or '')[:12]}",
        f"src:{config.src_lang or 'auto'}",
        f"tgt:{','.join(config.targets)}",
        f"beams:{settings.get('num_beams')}",
        f"nrng:{settings.get('no_repeat_ngram_size')}",
    ]
    if provenance.get("quantization") or provenance.get("compute_type"):
        parts.append(f"quant:{provenance.get('quantization') or provenance.get('compute_type')}")
    if provenance.get("shortlist"):
        parts.append(f"shortlist:{provenance['shortlist'].get('hash', 'yes')[:12]}")
    return "|".join(parts)


def translate_folder(
    in_dir: Path,
    run_dir: Path,
    engine: Engine,
    config: TranslateConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunSummary:
    """Translate every ``.txt`` under ``in_dir`` into ``run_dir``.

    ``progress(done, total)`` is called as translations finish (``total``
    grows as documents are read). Returns the summary; ``run.json`` in
    ``run_dir`` holds it with the provenance.
    """
    config = config or TranslateConfig()
    config.targets = [to_nllb(t) for t in config.targets]
    if config.src_lang:
        config.src_lang = to_nllb(config.src_lang)
    in_dir, run_dir = Path(in_dir), Path(run_dir)
    try:
        files = list_text_files(in_dir)
    except InputError as e:
        raise RunError(str(e)) from e
    if not files:
        raise RunError(f"no .txt files under {in_dir}: point the command at a folder of articles")
    _check_run_dir(run_dir)

    started = time.time()
    summary = RunSummary()
    cache = TranslationCache(run_dir / "cache" / "translations.sqlite", engine.cache_key())
    done = 0
    total = 0

    def on_progress(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    def _add_total(n: int) -> None:
        nonlocal total
        total += n

    try:
        _run_chunks(in_dir, run_dir, engine, cache, config, summary, on_progress, _add_total)
        summary.seconds = time.time() - started
        write_run_json(run_dir, in_dir, engine, config, summary)
    except OSError as e:
        # A full disk (ENOSPC), a file-size limit (EFBIG) or a quota: outputs are
        # renamed into place only when complete, so nothing half-written is
        # left, and every batch finished before is committed to the cache.
        raise RunError(_write_error(e, run_dir, cache)) from e
    finally:
        cache.close()
    return summary


def _write_error(e: OSError, run_dir: Path, cache: TranslationCache) -> str:
    if isinstance(e, CacheWriteError):
        return str(e)
    try:
        kept = f"{len(cache)} finished translations are kept in the cache"
    except Exception:  # the message must not fail on a cache we cannot read
        kept = "finished translations are kept in the cache"
    name = f" {e.filename}" if e.filename else ""
    return (
        f"cannot write to the run folder {run_dir}{name}: {e.strerror or e}; free disk space (or raise the limit) "
        f"and run again: {kept} and will not be translated again"
    )


def _run_chunks(
    in_dir: Path,
    run_dir: Path,
    engine: Engine,
    cache: TranslationCache,
    config: TranslateConfig,
    summary: RunSummary,
    on_progress: Callable[[int], None],
    add_total: Callable[[int], None],
) -> None:
    tmx: dict[tuple[str, str], TmxWriter] = {}
    with ExitStack() as stack:
        bitext: TextIO = stack.enter_context(atomic_open(run_dir / "bitext.jsonl", "w"))
        for chunk in _chunks(_iter_pending(in_dir, config, summary)):
            n_body = sum(s.is_body for p in chunk for s in p.sentences)
            add_total(n_body * len(config.targets))
            hits_before = cache.hits
            mts = _translate_chunk(chunk, engine, cache, config, on_progress)
            summary.cache_hits += cache.hits - hits_before
            for p in chunk:
                records = [_record(s, p.lang, config.targets, mts) for s in p.sentences]
                for r in records:
                    bitext.write(r.to_json() + "\n")
                    if r.translate:
                        for target in config.targets:
                            key = (p.lang, target)
                            if key not in tmx:
                                tmx[key] = stack.enter_context(
                                    TmxWriter(run_dir / "tmx" / f"{p.lang}-{target}.tmx", p.lang, target)
                                )
                            tmx[key].add(r.id, r.doc, r.src, r.mt[target])
                for target in config.targets:
                    atomic_write_text(
                        _safe_output_path(run_dir / "translations" / target, p.doc.path, ".txt"),
                        document_translation(p.doc, records, target),
                    )
                summary.documents_translated += 1
                summary.languages[p.lang] = summary.languages.get(p.lang, 0) + 1
                summary.sentences += len(records)
                n_doc_body = sum(r.translate for r in records)
                summary.body_sentences += n_doc_body
                summary.skipped_lines += len(records) - n_doc_body
                summary.translations += n_doc_body * len(config.targets)
                summary.flagged_records += sum(1 for r in records if r.flags)


def write_run_json(run_dir: Path, in_dir: Path, engine: Engine, config: TranslateConfig, summary: RunSummary) -> None:
    import json

    import torch
    import transformers

    prov = engine.provenance()
    data = {
        "format": RUN_FORMAT,
        "signature": signature(prov, config),
        "toolkit": __version__,
        "input": str(in_dir.resolve()),
        "targets": config.targets,
        "src_lang": config.src_lang or "auto",
        "languages": summary.languages,
        "engine": prov,
        "batching": {"max_batch_tokens": config.max_batch_tokens, "max_batch": config.max_batch},
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "transformers": transformers.__version__,
        },
        "counts": {
            "documents": summary.documents,
            "documents_translated": summary.documents_translated,
            "sentences": summary.sentences,
            "body_sentences": summary.body_sentences,
            "skipped_lines": summary.skipped_lines,
            "translations": summary.translations,
            "cache_hits": summary.cache_hits,
            "flagged_records": summary.flagged_records,
        },
        "skipped": [s.to_dict() for s in summary.skips],
        "timing": {
            "seconds": round(summary.seconds, 3),
            "sentences_per_s": round(summary.sentences_per_s, 3),
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
    }
    atomic_write_text(run_dir / "run.json", json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
