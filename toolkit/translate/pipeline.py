"""Folder -> run folder: the only place that knows the order of the stages.

read -> detect -> segment -> translate (batched, cached) -> figures + checks
-> write. Documents are processed in chunks of a few hundred sentences (a
large document in pieces of that size), so neither a large folder nor a large
document sits in memory; every output is written to a temporary
file and renamed into place at the end, and translations go to an on-disk
cache as soon as each batch finishes. A run that is killed and started again
therefore redoes at most one batch and writes the same bytes as a run that
was never interrupted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from toolkit.checks import Glossary, check_pair
from toolkit.checks.confidence import (
    DEFAULT_MIN_CONFIDENCE,
    DEFAULT_MIN_ROUND_TRIP,
    confidence_flags,
    round_trip_flags,
)
from toolkit.checks.repair import DEFAULT_BEAM, DEFAULT_HYPOTHESES
from toolkit.detect import detect_language
from toolkit.display import shown
from toolkit.figures import extract_figures, reconcile_kinds
from toolkit.io.atomic import remove_stale_temps
from toolkit.languages import DEFAULT_TARGETS
from toolkit.records import BitextRecord, Hypothesis, Sentence
from toolkit.run import Provenance, RunInfo, RunPaths, write_run_info
from toolkit.translate.cache import CacheWriteError, TranslationCache
from toolkit.translate.engine import Engine
from toolkit.translate.outputs import (  # noqa: F401  (re-exported)
    DocumentNotWritten,
    Piece,
    RunOutputs,
    TranslatedText,
    document_failed,
    document_translation,
)
from toolkit.translate.plan import check_run, iter_chunks, normalise_languages, units
from toolkit.translate.quality import ChunkSignals, repair_chunk, round_trip_chunk
from toolkit.translate.runner import DEFAULT_BATCH_TOKENS, translate_scored
from toolkit.translate.summary import DocumentTally, RunError, RunSummary  # noqa: F401  (re-exported)

log = logging.getLogger(__name__)

# The run's tallies and its outputs live in their own modules; these names are
# imported from here by callers that knew them here.
_Outputs = RunOutputs

#: How a chunk's sentences of one language pair are translated:
#: ``(unique_texts, src_lang, tgt_lang, cache, on_progress) -> translations``.
#: None is the single-machine way (``translate_texts`` on the run's engine);
#: ``toolkit.translate.cluster`` plugs in the translations its Ray workers made,
#: so that reading, segmenting, checks, figures and writing are the same code.
TextTranslator = Callable[[list[str], str, str, TranslationCache, Callable[[int], None]], list[str]]


@dataclass
class TranslateConfig:
    targets: list[str] = field(default_factory=lambda: list(DEFAULT_TARGETS))
    src_lang: str | None = None  # None: detect per document
    max_batch_tokens: int = DEFAULT_BATCH_TOKENS
    max_batch: int | None = None  # --batch-size: at most this many sentences a batch
    text_field: str | None = None  # --text-field: a table's text column (default: text, content or body)
    id_field: str | None = None  # --id-field: a table's id column (default: id, else the row number)
    follow_symlinks: bool = False  # --follow-symlinks: also links that leave the input folder
    glossary: Glossary | None = None  # --glossary: term_missing, and what a repair must keep
    min_confidence: float = DEFAULT_MIN_CONFIDENCE  # --min-confidence: low_confidence below it
    repair: bool = True  # --repair/--no-repair: re-decode figure/name/term failures (docs/TRANSLATING.md, Flags)
    round_trip: bool = False  # --round-trip: back-translate and flag round_trip_low
    min_round_trip: float = DEFAULT_MIN_ROUND_TRIP

    def batching(self) -> dict[str, Any]:
        return {"max_batch_tokens": self.max_batch_tokens, "max_batch": self.max_batch}

    def keyed(self, prov: Provenance) -> Provenance:
        """The run's provenance: the engine's, plus the settings that change
        the output (they enter the signature). A glossary changes which
        translation a repair keeps, so it is keyed with repair and without
        (it changes the flags either way). The translation cache stays keyed
        by the engine alone: first translations do not depend on either."""
        extra = dict(prov.extra)
        if self.glossary is not None:
            extra["glossary"] = self.glossary.sha256[:16]
        if self.repair:
            extra["repair"] = f"beam{DEFAULT_BEAM}n{DEFAULT_HYPOTHESES}"
        return replace(prov, extra=extra)

    def quality(self) -> dict[str, Any]:
        """run.json's ``quality``: the thresholds and signals of the run."""
        return {
            "min_confidence": self.min_confidence,
            "repair": self.repair,
            "round_trip": self.round_trip,
            "min_round_trip": self.min_round_trip if self.round_trip else None,
            "glossary": None
            if self.glossary is None
            else {
                "path": self.glossary.source,
                "sha256": self.glossary.sha256,
                "entries": len(self.glossary),
                "problems": len(self.glossary.problems),
            },
        }


def _identify_iso(text: str) -> str | None:
    d = detect_language(text)
    return d.iso if d.score >= 0.5 else None


def _translate_chunk(
    chunk: list[Piece],
    engine: Engine,
    cache: TranslationCache,
    config: TranslateConfig,
    on_progress: Callable[[int], None],
    translate: TextTranslator | None = None,
) -> dict[tuple[str, str, str], Hypothesis]:
    """Translate every body sentence of the chunk into every target.

    Returns {(src_lang, target, text): translation with its score}, one
    engine call per unit of the plan (``plan.units``: the groups a cluster's
    workers translate too).
    """
    out: dict[tuple[str, str, str], Hypothesis] = {}
    for u in units(chunk, config.targets):
        if translate is not None:
            mts = translate(u.texts, u.src, u.tgt, cache, on_progress)
            out.update(((u.src, u.tgt, t), _hypothesis(m)) for t, m in zip(u.texts, mts, strict=True))
            continue
        hyps = translate_scored(
            engine,
            u.texts,
            u.src,
            u.tgt,
            cache=cache,
            max_batch_tokens=config.max_batch_tokens,
            max_batch=config.max_batch,
            on_progress=on_progress,
        )
        out.update(((u.src, u.tgt, t), h) for t, h in zip(u.texts, hyps, strict=True))
    return out


def _hypothesis(m: str | Hypothesis) -> Hypothesis:
    return m if isinstance(m, Hypothesis) else Hypothesis(m)  # a plugged-in translator may give no scores


def _second_look(
    engine: Engine, cache: TranslationCache, config: TranslateConfig, mts: dict[tuple[str, str, str], Hypothesis]
) -> ChunkSignals:
    """Repair (replacing in ``mts``), then the round trip of what is kept."""
    signals = ChunkSignals()
    if config.repair:
        repair_chunk(engine, mts, _identify_iso, config.glossary, signals)
    if config.round_trip:
        round_trip_chunk(engine, mts, cache, signals, **config.batching())
    return signals


def _record(
    s: Sentence,
    lang: str,
    config: TranslateConfig,
    mts: dict[tuple[str, str, str], Hypothesis],
    signals: ChunkSignals,
) -> BitextRecord:
    rec = BitextRecord.of_sentence(s, lang)
    if not s.is_body:
        return rec
    src_figs = extract_figures(s.text, lang)
    rec.figures["src"] = [f.to_dict() for f in src_figs]
    for target in config.targets:
        key = (lang, target, s.text)
        hyp = mts[key]
        mt = rec.mt[target] = hyp.text
        rec.scores[target] = None if hyp.score is None else round(hyp.score, 4)
        mt_figs = reconcile_kinds(
            src_figs, extract_figures(mt, target), target
        )  # a bare 2024 for the source's 2567 is a YEAR
        rec.figures[target] = [f.to_dict() for f in mt_figs]
        flags = check_pair(s.text, mt, lang, target, src_figs, mt_figs, _identify_iso, config.glossary)
        flags += confidence_flags(hyp.score, target, config.min_confidence)
        if key in signals.round_trip:
            rec.round_trip[target] = signals.round_trip[key]
            flags += round_trip_flags(signals.round_trip[key], target, config.min_round_trip)
        if key in signals.repairs:
            rec.repairs[target] = signals.repairs[key].to_record()
        rec.flags += [f.to_dict() for f in flags]
    return rec


class _Progress:
    """Translations done out of those known so far (``total`` grows as documents are read)."""

    def __init__(self, report: Callable[[int, int], None] | None) -> None:
        self.report = report
        self.done = 0
        self.total = 0

    def advance(self, n: int) -> None:
        self.done += n
        if self.report:
            self.report(self.done, self.total)


def translate_folder(
    in_dir: Path,
    run_dir: Path,
    engine: Engine,
    config: TranslateConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
    translate: TextTranslator | None = None,
    extra: dict[str, Any] | None = None,
    started: float | None = None,
) -> RunSummary:
    """Translate every ``.txt`` under ``in_dir`` into ``run_dir``.

    ``progress(done, total)`` is called as translations finish (``total``
    grows as documents are read). Returns the summary; ``run.json`` in
    ``run_dir`` holds it with the provenance (``toolkit.run.RunInfo``).
    ``translate``, ``extra`` (run.json sections) and ``started`` (the clock
    of a run that began before this call) are for ``toolkit.translate.cluster``.
    """
    config = config or TranslateConfig()
    normalise_languages(config)
    in_dir, run_dir = Path(in_dir), Path(run_dir)
    check_run(in_dir, run_dir, config.follow_symlinks)

    started = time.time() if started is None else started
    for stale in remove_stale_temps(run_dir, started):
        log.warning("removed %s, a temporary file a killed run left behind", stale)
    summary = RunSummary()
    paths = RunPaths(run_dir)
    # A model per direction: each direction's entries under its model's key.
    cache = TranslationCache(paths.cache, engine.cache_key(), engine.provenance().direction_keys())
    try:
        _run_chunks(in_dir, paths, engine, cache, config, summary, _Progress(progress), translate)
        summary.seconds = time.time() - started
        write_run_info(run_dir, run_info(in_dir, paths, engine, config, summary, extra))
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
    paths: RunPaths,
    engine: Engine,
    cache: TranslationCache,
    config: TranslateConfig,
    summary: RunSummary,
    progress: _Progress,
    translate: TextTranslator | None = None,
) -> None:
    with ExitStack() as stack:
        outputs = _Outputs(paths, config.targets, stack)
        for chunk in iter_chunks(in_dir, config, summary, paths.root):
            progress.total += sum(s.is_body for p in chunk for s in p.sentences) * len(config.targets)
            hits_before = cache.hits
            mts = _translate_chunk(chunk, engine, cache, config, progress.advance, translate)
            summary.cache_hits += cache.hits - hits_before
            signals = _second_look(engine, cache, config, mts)
            summary.repaired += len(signals.repairs)
            for p in chunk:
                try:
                    if p.error is not None:
                        raise p.error
                    records = [_record(s, p.lang, config, mts, signals) for s in p.sentences]
                    done = outputs.write(p, records)
                except DocumentNotWritten as e:
                    summary.skips.append(e.skip)
                    continue
                except Exception as e:  # noqa: BLE001  (one document's bug costs that document; the log keeps its traceback)
                    if isinstance(e, OSError) and e is not p.error:
                        # Writing the run folder failed (a full disk, a file-size limit): every later
                        # document would fail alike, so the run stops with one line (translate_folder).
                        raise
                    if outputs.drop(p, e):
                        log.exception("%s: stopped by an error in the toolkit", shown(p.doc.path))
                        summary.skips.append(document_failed(p.doc.path, e))
                    continue
                if done is not None:  # the document's last piece: all its outputs are in place
                    summary.skips += done.skips
                    summary.add_document(p.lang, done.tally, len(config.targets))
    summary.skips += outputs.formats.skips  # tables that could not be written; the rest is kept


def run_info(
    in_dir: Path,
    paths: RunPaths,
    engine: Engine,
    config: TranslateConfig,
    summary: RunSummary,
    extra: dict[str, Any] | None = None,
) -> RunInfo:
    """What ``run.json`` holds: the engine's provenance (asked for at the
    end, so that what happened during the run is in it), the languages, the
    counts, the skips and the timing."""
    return RunInfo(
        name=paths.root.resolve().name,
        targets=list(config.targets),
        provenance=config.keyed(engine.provenance()).with_languages(config.src_lang, config.targets),
        input=str(in_dir.resolve()),
        src_lang=config.src_lang or "auto",
        languages=dict(summary.languages),
        batching=config.batching(),
        counts=summary.counts(),
        skipped=list(summary.skips),
        timing=summary.timing(),
        extra={"encodings": summary.encoding_report(), "quality": config.quality(), **(extra or {})},
    )
