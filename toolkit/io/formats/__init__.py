"""One reader and one writer per input format, and where their outputs go in the run folder.

=============  ==========================  ===============================================
format         read from                   written back as (``RUN/translations/...``)
=============  ==========================  ===============================================
``txt``        ``.txt``                    ``<target>/<doc>.txt`` (the pipeline's, as ever)
``html``       ``.html``, ``.htm``         ``<target>/<doc>`` (``.html`` added if the
                                           name has another extension): a clean article
``md``         ``.md``, ``.markdown``      ``<target>/<doc>``: the same Markdown, translated
``docx``       ``.docx``                   ``<target>/<doc>``: the same Word file, translated
``rows``       ``.jsonl``, ``.csv``,       ``<table>`` (the input's relative path, beside
               ``.tsv``, ``.parquet``,     the target folders): the same rows with a
               a ``save_to_disk`` folder   ``<text field>_<target>`` column per target
=============  ==========================  ===============================================

Every input also keeps ``translations/<target>/<doc>.txt``. The extension
chooses the reader, and the content overrides it where the extension lies:
an HTML page saved as ``.txt`` or ``.md`` is read as HTML (its translation
is then ``<doc>.html``), a Word file saved under another text extension as
Word; a ``.docx`` that is not a zip archive is skipped as damaged.

For every document that is not plain text the text that its records' offsets
index is written to ``sources/<doc>.txt`` (``write_source_text``), so that
``sources/<doc>.txt[src_start:src_end] == src`` for each record; a ``.txt``
document's offsets index the input file itself, as before.

The pipeline hands every finished document to a ``TranslatedWriter``
(``add``), which writes both; tables are written when the writer closes,
since their rows arrive as separate documents.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import Protocol

from toolkit.io.atomic import atomic_open, atomic_write_text
from toolkit.io.claims import OutputClaims, owner
from toolkit.io.formats import docx, html, md, rows, txt
from toolkit.io.formats.blocks import safe_join, text_translation
from toolkit.records import BitextRecord, Document, Skip


class RunPaths(Protocol):
    """What is used here of ``toolkit.run.RunPaths`` (not imported: ``toolkit.run`` imports ``toolkit.io``)."""

    @property
    def root(self) -> Path: ...

    @property
    def sources(self) -> Path: ...

    def translations(self, target: str) -> Path: ...


log = logging.getLogger(__name__)

# Extension -> format; table kinds are rows.KINDS.
EXTENSIONS = {".txt": "txt", ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".docx": "docx"}
EXTENSIONS.update(dict.fromkeys(rows.KINDS, "rows"))
_OUTPUT_EXT = {"html": (".html", ".htm"), "md": (".md", ".markdown"), "docx": (".docx",)}


def format_of(name: str) -> str | None:
    """The format a file name says (``None``: not an input the toolkit reads)."""
    return EXTENSIONS.get(os.path.splitext(name)[1].lower())


def sniff(fmt: str, data: bytes) -> str:
    """The format the bytes say, where the extension lies (see the module doc)."""
    if fmt in ("txt", "md") and html.looks_like_html(data):
        return "html"
    if fmt == "docx" and not data.startswith(docx.ZIP_MAGIC) and html.looks_like_html(data):
        return "html"  # Word's "web page" saved with a .docx name
    if fmt in ("txt", "md", "html") and data.startswith(docx.ZIP_MAGIC) and _is_word_zip(data):
        return "docx"
    return fmt


def _is_word_zip(data: bytes) -> bool:
    try:
        return "word/document.xml" in zipfile.ZipFile(BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def read_bytes(data: bytes, rel: str, fmt: str, origin: Path) -> Document | Skip:
    """One single-document file (txt, html, md, docx) from its bytes."""
    fmt = sniff(fmt, data)
    if fmt == "html":
        return html.read(data, rel)
    if fmt == "md":
        return md.read(data, rel, str(origin))
    if fmt == "docx":
        return docx.read(data, rel, str(origin))
    return txt.read(data, rel)


def source_text_path(paths: RunPaths, doc: Document) -> Path:
    return safe_join(paths.sources, doc.path + ".txt")


def translated_path(paths: RunPaths, doc: Document, target: str) -> Path | None:
    """Where ``doc`` comes back in its own form in ``target``; None for plain text and table rows."""
    exts = _OUTPUT_EXT.get(doc.format)
    if exts is None:
        return None
    name = doc.path if doc.path.lower().endswith(exts) else doc.path + exts[0]
    return safe_join(paths.translations(target), name)


def table_output_path(paths: RunPaths, table: str) -> Path:
    return safe_join(paths.root / "translations", table)


def write_source_text(doc: Document, paths: RunPaths, claims: OutputClaims | None = None) -> Path | None:
    """``sources/<doc>.txt``: the text the records' offsets index (not for plain-text inputs)."""
    if doc.format == "txt":
        return None
    path = source_text_path(paths, doc)
    if claims is not None:  # a table row "t.csv#1.html" and a file "t.csv#1.html" share a name
        path = claims.claim(path, owner(doc))
    atomic_write_text(path, doc.text)
    return path


def write_translated(
    doc: Document,
    records: list[BitextRecord],
    paths: RunPaths,
    targets: list[str],
    claims: OutputClaims | None = None,
) -> list[Path]:
    """``doc`` in its own form in every target (html, md, docx); nothing for txt and rows.

    ``claims``: the run's output names, so that two inputs never write one file.
    Raises ``ValueError`` when the original a .docx is rebuilt from has changed or gone bad.
    """
    written = []
    for target in targets:
        path = translated_path(paths, doc, target)
        if path is None:
            continue
        if claims is not None:
            path = claims.claim(path, owner(doc))
        if doc.format == "html":
            atomic_write_text(path, html.write(doc, records, target))
        elif doc.format == "md":
            atomic_write_text(path, md.write(doc, records, target))
        elif doc.format == "docx":
            data = docx.write(doc, records, target)
            with atomic_open(path, "wb") as fh:
                fh.write(data)
        written.append(path)
    return written


class TranslatedWriter:
    """Writes each finished document's ``sources/`` text and its translations in the input's form.

    ``add`` returns the problems (as ``Skip``) of documents whose formatted
    translation could not be written (their ``.txt`` translations are
    written by the pipeline regardless). Use as a context manager: tables are
    written on a clean exit, not after an error.
    """

    def __init__(self, paths: RunPaths, targets: list[str]) -> None:
        self.paths = paths
        self.targets = list(targets)
        # Every output path of the run and the input it is for: the target folders are
        # nobody's file, and the second input whose output name is taken gets a variant.
        self.skips: list[Skip] = []  # tables that could not be written (close)
        self.claims = OutputClaims(paths.translations(t).resolve() for t in self.targets)
        # table path -> (origin, kind, text field, {row: {target: translation}})
        self._tables: dict[str, tuple[Path, str, str, dict[int, dict[str, str]]]] = {}

    def add(self, doc: Document, records: list[BitextRecord]) -> list[Skip]:
        write_source_text(doc, self.paths, self.claims)
        if doc.format == "rows":
            meta = doc.meta
            table = self._tables.setdefault(meta["table"], (Path(doc.origin), meta["kind"], meta["text_field"], {}))
            table[3][meta["row"]] = {t: text_translation(doc.text, records, t) for t in self.targets}
            return []
        try:
            write_translated(doc, records, self.paths, self.targets, self.claims)
        except (ValueError, KeyError, FileNotFoundError) as e:
            return [Skip(doc.path, f"its translated .{doc.format} was not written: {e}")]
        return []

    def close(self) -> None:
        """Write the tables; one that cannot be written is a ``Skip`` in ``skips``, the others and
        the rest of the run's outputs are kept (a bug of ours is logged with its traceback too)."""
        for table, (origin, kind, text_field, translations) in sorted(self._tables.items()):
            out = self.claims.claim(table_output_path(self.paths, table), table)
            try:
                _write_table_atomically(origin, kind, text_field, out, translations, self.targets)
            except (rows.TableError, OSError, ValueError, UnicodeError) as e:
                self.skips.append(Skip(table, f"its translated table was not written: {type(e).__name__}: {e}"))
            except Exception as e:  # noqa: BLE001  (a bug: logged with its traceback; the run's other outputs are kept)
                log.exception("writing the translated table %s failed", table)
                self.skips.append(
                    Skip(table, f"its translated table was not written ({type(e).__name__}: {e}); please report this")
                )
        self._tables.clear()

    def __enter__(self) -> TranslatedWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.close()


def _write_table_atomically(
    origin: Path, kind: str, text_field: str, out: Path, translations: dict[int, dict[str, str]], targets: list[str]
) -> None:
    """The translated table, written beside ``out`` and renamed into place (a folder for a dataset)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        built = tmp / out.name
        rows.write_table(origin, kind, text_field, built, translations, targets)
        if out.is_dir() and not out.is_symlink():
            shutil.rmtree(out)
        os.replace(built, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
