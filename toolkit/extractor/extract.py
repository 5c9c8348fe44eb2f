"""Run a trained extractor on new text: a run folder, a .txt file or a folder.

Each result is one JSON object: ``label``, ``start``, ``end`` (offsets into
that text: the file's own text for a file, the sentence or translation for a
run), ``text``, ``score``, and where it was found: ``doc``, ``lang``,
``field`` ("src" or the translation's NLLB code) and, for runs,
``record_id``.

Entities (PER/ORG/LOC) come from the extractor, figures from the rule-based
figure finder (``toolkit.figures.extract_figures``), which keep their
``value``/``unit``. Merge rule: figure labels are the figure finder's (an
extractor trained on figure labels has its figure spans dropped), entity
labels the extractor's; an entity and a figure may overlap (both are kept:
they answer different questions). Results are sorted by start.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from toolkit.extractor.base import Extractor
from toolkit.records import FIGURE_KINDS, Skip


def figure_finder():
    """``toolkit.figures.extract_figures``, or None where the figure finder is not installed."""
    try:
        from toolkit.figures import extract_figures  # type: ignore[attr-defined]
    except ImportError:
        return None
    return extract_figures


def find_all(
    extractor: Extractor, text: str, lang: str, *, context: str | None = None, figures: bool = True
) -> list[dict[str, Any]]:
    """Entities and figures of one text, merged and sorted by start."""
    out: list[dict[str, Any]] = []
    finder = figure_finder() if figures else None
    for s in extractor.predict(text, lang, context):
        if finder is not None and s.label in FIGURE_KINDS:
            continue
        out.append({"label": s.label, "start": s.start, "end": s.end, "text": s.text, "score": s.score})
    if finder is not None:
        for f in finder(text, lang):
            item = {
                "label": f.kind,
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "score": 1.0,
                "value": f.value,
                "unit": f.unit,
            }
            if f.era:
                item["era"] = f.era
            out.append(item)
    out.sort(key=lambda d: (d["start"], d["end"], d["label"]))
    return out


def extract_run(run_dir: Path, extractor: Extractor, *, figures: bool = True) -> Iterator[dict[str, Any] | Skip]:
    """Source and every translation of each record of ``run_dir/bitext.jsonl``.

    The bitext is streamed (``toolkit.run.iter_records``): one document's
    records are held at a time (the file is in document order), so each text
    is tagged with its document as context. A bad line is a ``Skip`` naming
    its line, after the results of the document it was read with.
    """
    from toolkit.run import iter_records

    errors: list[str] = []
    bitext = Path(run_dir) / "bitext.jsonl"

    def skips() -> Iterator[Skip]:
        while errors:
            yield _bad_line(errors.pop(0), bitext)

    for doc, group in itertools.groupby(iter_records(Path(run_dir), errors), key=lambda r: r.doc):
        recs = list(group)
        texts = [(r, "src", r.src_lang, r.src) for r in recs if r.src.strip()]
        texts += [(r, code, code, mt) for r in recs for code, mt in r.mt.items() if mt.strip()]
        whole = "\n".join(t[3] for t in texts)
        for rec, fieldname, lang, text in texts:
            for item in find_all(extractor, text, lang, context=whole, figures=figures):
                yield {**item, "doc": doc, "record_id": rec.id, "lang": lang, "field": fieldname}
        yield from skips()  # read while this document was (``groupby`` reads one record ahead)
    yield from skips()


def _bad_line(message: str, bitext: Path) -> Skip:
    """``iter_records``'s "FILE:LINE: why" as a ``Skip`` with its line."""
    head = f"{bitext}:"
    if message.startswith(head):
        line, _, why = message[len(head) :].partition(": ")
        if line.isdigit():
            return Skip(str(bitext), why + "; re-run `toolkit translate` to rewrite it", line=int(line))
    return Skip(str(bitext), message)


def extract_file(
    path: Path, extractor: Extractor, *, lang: str | None = None, rel: str | None = None, figures: bool = True
) -> Iterator[dict[str, Any] | Skip]:
    from toolkit.io.read import read_document

    doc = read_document(Path(path), rel)
    if isinstance(doc, Skip):
        yield doc
        return
    yield from _extract_document(doc.path, doc.text, extractor, lang, figures)


def _extract_document(
    name: str, text: str, extractor: Extractor, lang: str | None, figures: bool
) -> Iterator[dict[str, Any] | Skip]:
    from toolkit.detect import guess_lang

    code = lang or guess_lang(text)
    for item in find_all(extractor, text, code, figures=figures):
        yield {**item, "doc": name, "lang": code, "field": "src"}


def extract_folder(
    folder: Path, extractor: Extractor, *, lang: str | None = None, figures: bool = True
) -> Iterator[dict[str, Any] | Skip]:
    """Every article under ``folder`` (``toolkit.io.read.iter_documents``: any format, a table row by row).

    A translation run translates the same bytes once, so ``iter_documents``
    hands a byte-identical file over as a "duplicate of FIRST" ``Skip``.
    Here every input gets its own output, named by its own path (a user who
    gives two files expects two answers): the duplicate gets FIRST's results,
    which the same text would give again, without tagging it twice.
    """
    from toolkit.io import read

    by_file: dict[str, list[dict[str, Any]]] = {}  # input file (a table: the table) -> its results
    # iter_documents logs each duplicate as skipped; here it is not, so that line would mislead
    quiet = _DropDuplicateLines()
    read.log.addFilter(quiet)
    try:
        for doc in read.iter_documents(folder):
            if isinstance(doc, Skip):
                first = _duplicate_of(doc)
                if first is None or first not in by_file:
                    yield doc
                    continue
                for item in by_file[first]:  # a table's rows are "TABLE#id": the same ids under the new name
                    yield {**item, "doc": doc.path + item["doc"][len(first) :]}
                continue
            found = list(_extract_document(doc.path, doc.text, extractor, lang, figures))
            by_file.setdefault(str(doc.meta.get("table") or doc.path) if doc.meta else doc.path, []).extend(found)
            yield from found
    finally:
        read.log.removeFilter(quiet)


class _DropDuplicateLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _DUPLICATE.search(record.getMessage())


_DUPLICATE = re.compile(r"duplicate of (.+?) \(same bytes\)")


def _duplicate_of(skip: Skip) -> str | None:
    """The earlier input a skipped one has the bytes of (``iter_documents``'s duplicate line), or None."""
    m = _DUPLICATE.match(skip.reason)
    return m.group(1) if m else None


def extract_input(
    path: str | Path, extractor: Extractor, *, lang: str | None = None, figures: bool = True
) -> Iterator[dict[str, Any] | Skip]:
    """Results for a run folder (has ``bitext.jsonl``), a text file or a folder of them."""
    path = Path(path)
    if path.is_dir() and (path / "bitext.jsonl").is_file():
        yield from extract_run(path, extractor, figures=figures)
    elif path.is_dir():
        yield from extract_folder(path, extractor, lang=lang, figures=figures)
    elif path.is_file():
        yield from extract_file(path, extractor, lang=lang, figures=figures)
    else:
        yield Skip(str(path), "no such file or folder; give a run folder, a .txt file or a folder of them")
