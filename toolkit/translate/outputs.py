"""Writing a run's outputs as documents finish: ``bitext.jsonl``, the TMX
files, each document's translations (streamed piece by piece) and, through
``toolkit.io.formats``, ``sources/`` and the input's own form.

Every file is written under a temporary name and renamed into place when
complete, so a killed run leaves nothing half-written; a document whose own
files the file system refuses becomes that document's skip
(``DocumentNotWritten``), and the run goes on.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from toolkit.errors import ToolkitError
from toolkit.io.atomic import atomic_open, document_skip
from toolkit.io.claims import OutputClaims, owner
from toolkit.io.formats import TranslatedWriter
from toolkit.io.tmx import TmxWriter
from toolkit.records import BitextRecord, Document, Sentence, Skip
from toolkit.run import RunPaths
from toolkit.translate.summary import DocumentTally, RunError


@dataclass
class Piece:
    """A piece of a document (all of it, unless it has more than
    the pipeline's ``CHUNK_SENTENCES`` sentences) segmented and waiting for its chunk to be
    translated. ``toolkit.translate.cluster`` reads ``lang`` and ``sentences``."""

    doc: Document
    lang: str
    sentences: list[Sentence]
    first: bool = True  # the document's first piece: its outputs are opened
    last: bool = True  # its last piece: its outputs are completed after it
    error: Exception | None = None  # its segmenter failed: the document is dropped (its skip says why)


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


class RunOutputs:
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
        self.dropped: Document | None = None  # the last document stopped by an error (drop)
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

    def write(self, p: Piece, records: list[BitextRecord]) -> _DocumentOutput | None:
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
                self.current = _DocumentOutput(self.paths, self.targets, p, self.formats.claims)
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
            self.dropped = p.doc
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

    def drop(self, p: Piece, exc: BaseException) -> bool:
        """Abandon ``p``'s document after an error in one of its pieces: its files
        are removed and its later pieces dropped. False if it was dropped before."""
        if self.current is not None and self.current.doc is p.doc:
            self._abandon(type(exc), exc, exc.__traceback__)
        if self.dropped is p.doc:
            return False
        self.dropped = p.doc
        return True

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

    def __init__(self, paths: RunPaths, targets: list[str], p: Piece, claims: OutputClaims) -> None:
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
                        atomic_open(
                            claims.claim(
                                _safe_output_path(paths.translations(target), p.doc.path, ".txt"), owner(p.doc)
                            ),
                            "w",
                        )
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


class DocumentNotWritten(ToolkitError):
    """One document's outputs could not be written (``skip`` says why); the run goes on."""

    def __init__(self, skip: Skip) -> None:
        super().__init__(skip.reason)
        self.skip = skip


def document_failed(path: str, exc: BaseException) -> Skip:
    """The ``Skip`` of a document stopped by an unexpected error (a bug of ours, or of a library)."""
    return Skip(
        path, f"not translated: {type(exc).__name__}: {str(exc)[:200]} — please report this (the log has the traceback)"
    )
