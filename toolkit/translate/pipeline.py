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

import io
import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from toolkit.checks import Glossary, check_pair
from toolkit.checks.confidence import (
    DEFAULT_MIN_CONFIDENCE,
    DEFAULT_MIN_ROUND_TRIP,
    confidence_flags,
    round_trip_flags,
)
from toolkit.checks.repair import DEFAULT_BEAM, DEFAULT_HYPOTHESES
from toolkit.detect import detect_language
from toolkit.figures import extract_figures, reconcile_kinds
from toolkit.io.atomic import atomic_open, document_skip, remove_stale_temps
from toolkit.io.formats import TranslatedWriter
from toolkit.io.read import InputError, iter_documents, list_input_files
from toolkit.io.tmx import TmxWriter
from toolkit.languages import DEFAULT_TARGETS, SOURCE_LANGS, to_nllb
from toolkit.records import BitextRecord, Document, Hypothesis, Sentence, Skip
from toolkit.run import Provenance, RunInfo, RunPaths, write_run_info
from toolkit.segment import iter_sentences
from toolkit.translate.cache import CacheWriteError, TranslationCache
from toolkit.translate.engine import Engine
from toolkit.translate.quality import ChunkSignals, repair_chunk, round_trip_chunk
from toolkit.translate.runner import DEFAULT_BATCH_TOKENS, translate_scored

log = logging.getLogger(__name__)

CHUNK_SENTENCES = 256  # translate this many sentences together (length-sorted batches inside)

#: How a chunk's sentences of one language pair are translated:
#: ``(unique_texts, src_lang, tgt_lang, cache, on_progress) -> translations``.
#: None is the single-machine way (``translate_texts`` on the run's engine);
#: ``toolkit.translate.cluster`` plugs in the translations its Ray workers made,
#: so that reading, segmenting, checks, figures and writing are the same code.
TextTranslator = Callable[[list[str], str, str, TranslationCache, Callable[[int], None]], list[str]]


class RunError(Exception):
    """A problem with the run as a whole (nothing was translated): bad input
    folder, unwritable output. The CLI prints it as one line, exit code 2."""


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
    repair: bool = True  # --repair/--no-repair: re-decode figure/name/term failures (README, Flags)
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
    repaired: int = 0  # unique (sentence, target) translations replaced by a repair
    skips: list[Skip] = field(default_factory=list)
    languages: dict[str, int] = field(default_factory=dict)  # src_lang -> documents
    encodings: dict[str, int] = field(default_factory=dict)  # what the bytes were decoded from -> documents
    not_utf8: dict[str, str] = field(default_factory=dict)  # document -> its encoding, where not plain UTF-8
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.skips

    @property
    def sentences_per_s(self) -> float:
        return self.body_sentences / self.seconds if self.seconds > 0 else 0.0

    def add_document(self, lang: str, tally: DocumentTally, n_targets: int) -> None:
        self.documents_translated += 1
        self.languages[lang] = self.languages.get(lang, 0) + 1
        self.sentences += tally.records
        self.body_sentences += tally.body
        self.skipped_lines += tally.records - tally.body
        self.translations += tally.body * n_targets
        self.flagged_records += tally.flagged

    def add_encoding(self, doc: Document) -> None:
        self.encodings[doc.encoding] = self.encodings.get(doc.encoding, 0) + 1
        if doc.encoding not in ("utf-8", "utf-8-sig"):
            self.not_utf8[doc.path] = doc.encoding

    def encoding_report(self) -> dict[str, Any]:
        """run.json's ``encodings``: documents per encoding, and those that were not UTF-8 by name."""
        return {"counts": dict(sorted(self.encodings.items())), "not_utf8": dict(self.not_utf8)}

    def counts(self) -> dict[str, int]:
        return {
            "documents": self.documents,
            "documents_translated": self.documents_translated,
            "sentences": self.sentences,
            "body_sentences": self.body_sentences,
            "skipped_lines": self.skipped_lines,
            "translations": self.translations,
            "cache_hits": self.cache_hits,
            "flagged_records": self.flagged_records,
            "repaired": self.repaired,
        }

    def timing(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "sentences_per_s": round(self.sentences_per_s, 3),
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }

    def describe(self, n_targets: int) -> str:
        """The one-line account a person reads at the end of a run."""
        langs = ", ".join(f"{k}: {v}" for k, v in sorted(self.languages.items()))
        return (
            f"{self.documents_translated}/{self.documents} documents ({langs}); "
            f"{self.body_sentences} sentences translated into {n_targets} languages, "
            f"{self.skipped_lines} non-body lines kept untranslated; "
            f"{self.cache_hits} translations from the cache; {self.flagged_records} records flagged; "
            f"{self.sentences_per_s:.2f} sentences/s"
        )


@dataclass
class DocumentTally:
    """What a document adds to the run's counts, summed over its pieces."""

    records: int = 0
    body: int = 0
    flagged: int = 0

    def add(self, records: list[BitextRecord]) -> None:
        self.records += len(records)
        self.body += sum(r.translate for r in records)
        self.flagged += sum(1 for r in records if r.flags)


@dataclass
class _Pending:
    """A piece of a document (all of it, unless it has more than
    ``CHUNK_SENTENCES`` sentences) segmented and waiting for its chunk to be
    translated. ``toolkit.translate.cluster`` reads ``lang`` and ``sentences``."""

    doc: Document
    lang: str
    sentences: list[Sentence]
    first: bool = True  # the document's first piece: its outputs are opened
    last: bool = True  # its last piece: its outputs are completed after it


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


def _iter_pending(
    in_dir: Path, config: TranslateConfig, summary: RunSummary, run_dir: Path | None = None
) -> Iterator[_Pending]:
    for item in iter_documents(
        in_dir,
        text_field=config.text_field,
        id_field=config.id_field,
        exclude=run_dir,
        follow_symlinks=config.follow_symlinks,
    ):
        if isinstance(item, Skip):
            summary.documents += 1
            summary.skips.append(item)
            continue
        summary.documents += 1
        summary.add_encoding(item)
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
        yield from _pieces(item, lang)


def _pieces(doc: Document, lang: str) -> Iterator[_Pending]:
    """``doc`` in pieces of ``CHUNK_SENTENCES`` sentences (one piece at least,
    for an empty one), so that a large document goes through translation,
    checks and writing like a folder of small ones: memory holds a piece or
    two, not every sentence and record of the document."""
    sentences = iter_sentences(doc, lang)
    piece = list(islice(sentences, CHUNK_SENTENCES))
    first = True
    while True:
        following = list(islice(sentences, CHUNK_SENTENCES))
        yield _Pending(doc, lang, piece, first=first, last=not following)
        if not following:
            return
        piece, first = following, False


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
    translate: TextTranslator | None = None,
) -> dict[tuple[str, str, str], Hypothesis]:
    """Translate every body sentence of the chunk into every target.

    Returns {(src_lang, target, text): translation with its score}. Sentences are grouped by
    source language (the model needs one source code per batch); identical
    sentences are translated once.
    """
    by_lang: dict[str, list[str]] = {}
    for p in chunk:
        texts = by_lang.setdefault(p.lang, [])
        texts.extend(s.text for s in p.sentences if s.is_body)
    out: dict[tuple[str, str, str], Hypothesis] = {}
    for lang, texts in by_lang.items():
        unique = list(dict.fromkeys(texts))
        for target in config.targets:
            if translate is not None:
                mts = translate(unique, lang, target, cache, on_progress)
                out.update(((lang, target, t), _hypothesis(m)) for t, m in zip(unique, mts, strict=True))
                continue
            hyps = translate_scored(
                engine,
                unique,
                lang,
                target,
                cache=cache,
                max_batch_tokens=config.max_batch_tokens,
                max_batch=config.max_batch,
                on_progress=on_progress,
            )
            out.update(((lang, target, t), h) for t, h in zip(unique, hyps, strict=True))
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
    for target in config.targets:
        key = (lang, target, s.text)
        hyp = mts[key]
        mt = rec.mt[target] = hyp.text
        rec.scores[target] = None if hyp.score is None else round(hyp.score, 4)
        mt_figs = reconcile_kinds(src_figs, extract_figures(mt, target), target)  # a bare 2024 for the source's 2567 is a YEAR
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


def document_translation(doc: Document, records: list[BitextRecord], target: str) -> str:
    """The document in ``target``, with the source's paragraph breaks.

    Body sentences of a paragraph are joined with a space; non-body lines
    (URLs, bylines, ad placeholders) are kept as they are, since they were
    not for translation; the line breaks between paragraphs are the source's.
    The pipeline writes the same text piece by piece (``TranslatedText``).
    """
    out = io.StringIO()
    text = TranslatedText(doc, target, out)
    text.add(records)
    text.end()
    return out.getvalue()


class TranslatedText:
    """``document_translation`` written to ``out`` as the records arrive, in
    any number of pieces: what joins two records depends only on the one
    before, so the last record's place is all that is kept."""

    def __init__(self, doc: Document, target: str, out: TextIO) -> None:
        self.doc, self.target, self.out = doc, target, out
        self.prev_end: int | None = None
        self.prev_para: int | None = None

    def add(self, records: list[BitextRecord]) -> None:
        parts: list[str] = []
        for r in records:
            text = r.mt.get(self.target, "") if r.translate else r.src
            if self.prev_para is None:
                pass
            elif r.para != self.prev_para:
                assert self.prev_end is not None
                gap = self.doc.text[self.prev_end : r.src_start]
                parts.append("\n" * max(1, gap.count("\n")))
            else:
                parts.append(" ")
            parts.append(text)
            self.prev_end, self.prev_para = r.src_end, r.para
        self.out.write("".join(parts))

    def end(self) -> None:
        self.out.write("\n")


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
    config.targets = [to_nllb(t) for t in config.targets]
    if config.src_lang:
        config.src_lang = to_nllb(config.src_lang)
    in_dir, run_dir = Path(in_dir), Path(run_dir)
    try:
        files = list_input_files(in_dir, exclude=run_dir, follow_symlinks=config.follow_symlinks)
    except InputError as e:
        raise RunError(str(e)) from e
    if not files:
        raise RunError(
            f"no .txt files (nor .html, .md, .docx, .jsonl, .csv, .parquet or dataset folders) under {in_dir}: "
            "point the command at a folder of articles"
        )
    _check_run_dir(run_dir)

    started = time.time() if started is None else started
    for stale in remove_stale_temps(run_dir, started):
        log.warning("removed %s, a temporary file a killed run left behind", stale)
    summary = RunSummary()
    paths = RunPaths(run_dir)
    cache = TranslationCache(paths.cache, engine.cache_key())
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


class _Outputs:
    """The run's outputs while they are written: ``bitext.jsonl``, one TMX
    file per language pair (opened as a pair first occurs) and each
    document's translations. All are renamed into place when complete."""

    def __init__(self, paths: RunPaths, targets: list[str], stack: ExitStack) -> None:
        self.paths = paths
        self.targets = targets
        self.stack = stack
        self.bitext: TextIO = stack.enter_context(atomic_open(paths.bitext, "w"))
        self.tmx: dict[tuple[str, str], TmxWriter] = {}
        self.formats = stack.enter_context(TranslatedWriter(paths, targets))  # sources/ and the input's own form
        self.current: _DocumentOutput | None = None  # the document whose pieces are arriving
        stack.push(self._abandon)  # a run that stops mid-document leaves none of its files

    def _tmx(self, src_lang: str, target: str) -> TmxWriter:
        key = (src_lang, target)
        if key not in self.tmx:
            self.tmx[key] = self.stack.enter_context(TmxWriter(self.paths.tmx(src_lang, target), src_lang, target))
        return self.tmx[key]

    def _abandon(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        if self.current is not None:
            self.current.discard(exc)
            self.current = None

    def write(self, p: _Pending, records: list[BitextRecord]) -> _DocumentOutput | None:
        """Write one piece of a document; returns its ``_DocumentOutput`` after
        its last piece, when all its outputs are in place. Raises
        ``DocumentNotWritten`` (once; its later pieces are dropped) when the
        file system refuses its own files.

        Its own files are completed first, so that a document skipped for them
        has no records in ``bitext.jsonl`` or the TMX files either.
        """
        try:
            if p.first:
                self.current = None
                self.current = _DocumentOutput(self.paths, self.targets, p)
            doc = self.current
            if doc is None:
                return None  # a later piece of a document that was skipped
            doc.add(records, last=p.last)
            if not p.last:
                return None
            self.current = None
            doc.finish(self.formats)
        except OSError as e:
            skip = document_skip(e, p.doc.path)
            if skip is None:
                raise
            self._abandon(type(e), e, e.__traceback__)
            raise DocumentNotWritten(skip) from e
        try:
            for line in doc.held():  # the pieces before the last, as they were written
                self.bitext.write(line)
                self._add_tmx(p.lang, BitextRecord.from_json(line))
        finally:
            doc.drop_held()
        for r in records:
            self.bitext.write(r.to_json() + "\n")
            self._add_tmx(p.lang, r)
        return doc

    def _add_tmx(self, src_lang: str, r: BitextRecord) -> None:
        if r.translate:
            for target in self.targets:
                self._tmx(src_lang, target).add(r.id, r.doc, r.src, r.mt[target])


class _DocumentOutput:
    """One document's outputs while its pieces arrive.

    Its translations stream into one atomic file per target. The records of
    every piece but the last wait in an unnamed temporary file (gone with the
    process, however it ends), so memory holds one piece of them; they go to
    ``bitext.jsonl`` and the TMX files once the document's own files are in
    place. Plain text is written from the records alone; the other formats
    (html, md, docx, table rows) are rebuilt from all of a document's records
    at once (``TranslatedWriter.add``), so theirs are also kept in memory.
    """

    def __init__(self, paths: RunPaths, targets: list[str], p: _Pending) -> None:
        self.doc, self.root = p.doc, paths.root
        self.tally = DocumentTally()
        self.skips: list[Skip] = []  # problems with its formatted translation (its .txt ones were written)
        self.formatted: list[BitextRecord] = []  # for formats other than plain text
        self._held: TextIO | None = None
        with ExitStack() as stack:  # a refused file removes those opened before it
            self.texts = [
                TranslatedText(
                    p.doc,
                    target,
                    stack.enter_context(
                        atomic_open(_safe_output_path(paths.translations(target), p.doc.path, ".txt"), "w")
                    ),
                )
                for target in targets
            ]
            self.files = stack.pop_all()

    def add(self, records: list[BitextRecord], last: bool) -> None:
        for text in self.texts:
            text.add(records)
        self.tally.add(records)
        if self.doc.format != "txt":
            self.formatted += records
        if not last:
            if self._held is None:
                # closed by drop_held, at the document's end or when it stops early
                self._held = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", dir=self.root)  # noqa: SIM115
            self._held.writelines(r.to_json() + "\n" for r in records)

    def finish(self, formats: TranslatedWriter) -> None:
        """Complete its own files: the translations renamed into place, then ``sources/`` and its own form."""
        try:
            for text in self.texts:
                text.end()
            self.files.close()  # renames in turn; a refused one removes those not yet renamed
            self.skips = formats.add(self.doc, self.formatted)
        except BaseException:
            self.drop_held()
            raise

    def held(self) -> Iterator[str]:
        if self._held is not None:
            self._held.seek(0)
            yield from self._held

    def drop_held(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None

    def discard(self, exc: BaseException | None) -> None:
        """Remove its temporary files (the run or the document stopped before its end)."""
        exc = exc if exc is not None else RuntimeError(f"{self.doc.path} was not finished")
        self.files.__exit__(type(exc), exc, exc.__traceback__)
        self.drop_held()


class DocumentNotWritten(Exception):
    """One document's outputs could not be written (``skip`` says why); the run goes on."""

    def __init__(self, skip: Skip) -> None:
        super().__init__(skip.reason)
        self.skip = skip


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
        for chunk in _chunks(_iter_pending(in_dir, config, summary, paths.root)):
            progress.total += sum(s.is_body for p in chunk for s in p.sentences) * len(config.targets)
            hits_before = cache.hits
            mts = _translate_chunk(chunk, engine, cache, config, progress.advance, translate)
            summary.cache_hits += cache.hits - hits_before
            signals = _second_look(engine, cache, config, mts)
            summary.repaired += len(signals.repairs)
            for p in chunk:
                records = [_record(s, p.lang, config, mts, signals) for s in p.sentences]
                try:
                    done = outputs.write(p, records)
                except DocumentNotWritten as e:
                    summary.skips.append(e.skip)
                    continue
                if done is not None:  # the document's last piece: all its outputs are in place
                    summary.skips += done.skips
                    summary.add_document(p.lang, done.tally, len(config.targets))


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
