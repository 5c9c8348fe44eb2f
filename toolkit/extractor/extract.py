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
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from toolkit.extractor.base import Extractor
from toolkit.records import FIGURE_KINDS, BitextRecord, Skip


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

    Records of one document are read together (the file is in document
    order), so each text is tagged with its document as context.
    """
    path = Path(run_dir) / "bitext.jsonl"
    with path.open(encoding="utf-8") as fh:
        lines = []
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                lines.append(BitextRecord.from_json(line))
            except (json.JSONDecodeError, TypeError) as e:
                yield Skip(str(path), f"unreadable record ({e}); re-run `toolkit translate` to rewrite it", line=n)
    for doc, group in itertools.groupby(lines, key=lambda r: r.doc):
        recs = list(group)
        texts = [(r, "src", r.src_lang, r.src) for r in recs if r.src.strip()]
        texts += [(r, code, code, mt) for r in recs for code, mt in r.mt.items() if mt.strip()]
        whole = "\n".join(t[3] for t in texts)
        for rec, fieldname, lang, text in texts:
            for item in find_all(extractor, text, lang, context=whole, figures=figures):
                yield {**item, "doc": doc, "record_id": rec.id, "lang": lang, "field": fieldname}


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


def extract_input(
    path: str | Path, extractor: Extractor, *, lang: str | None = None, figures: bool = True
) -> Iterator[dict[str, Any] | Skip]:
    """Results for a run folder (has ``bitext.jsonl``), a text file or a folder of them."""
    path = Path(path)
    if path.is_dir() and (path / "bitext.jsonl").is_file():
        yield from extract_run(path, extractor, figures=figures)
    elif path.is_dir():
        from toolkit.io.read import iter_documents

        for doc in iter_documents(path):
            if isinstance(doc, Skip):
                yield doc
            else:
                yield from _extract_document(doc.path, doc.text, extractor, lang, figures)
    elif path.is_file():
        yield from extract_file(path, extractor, lang=lang, figures=figures)
    else:
        yield Skip(str(path), "no such file or folder; give a run folder, a .txt file or a folder of them")
