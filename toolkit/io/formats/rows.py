"""Tables of articles: ``.jsonl``, ``.csv``/``.tsv``, ``.parquet`` and a saved Hugging Face dataset folder.

Each row is one document. Its text is the row's text column: ``--text-field``,
or else the first of ``text``, ``content``, ``body`` the table has. Its id is
``<file>#<id>``, the row's ``--id-field`` value (default ``id``, when the table
has one), or else ``<file>#<row>``, the row's number from 0: the physical line
for JSONL (so numbers do not shift around a bad line), the record after the
header for CSV, the row index for Parquet and datasets (``table[row]``).
``/``, ``\\`` and line breaks in an id become ``_`` (ids name files in the run).
The row's text is kept as it is (its lines are paragraphs; CRLF and CR
become LF, so that the file reads back with the same offsets), and the
pipeline writes it to ``sources/<doc>.txt``, which its records index.

Bad input, one ``Skip`` each, the rest read: a table without the text (or the
given id) column names the file and the columns it has; a Parquet or dataset
text column that does not hold strings names its type; a JSONL line that is
not a JSON object, a row whose text is missing, empty or not a string, and a
repeated id name the file and the line (JSONL, CSV) or the row.

Writing (``write_table``) gives the same table in the same format with one
column more per target, ``<text field>_<target>`` (``text_eng_Latn``, ...),
holding the row's translation with the source's line breaks; rows that were
not translated (skipped, or in another language) have an empty (null) value;
JSONL lines that were not JSON objects are left out. It reads the original
file again, streaming Parquet in batches.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.records import Document, Skip

TEXT_FIELDS = ("text", "content", "body")
ID_FIELD = "id"
KINDS = {".jsonl": "jsonl", ".csv": "csv", ".tsv": "csv", ".parquet": "parquet"}
_UNSAFE_ID = re.compile(r"[/\\\x00-\x1f\x7f\u2028\u2029]")
_CSV_FIELD_LIMIT = 50 * 1024 * 1024  # csv's default (128 kB) is shorter than a long article


class TableError(ToolkitError):
    """A table that cannot be read as a whole (its message names the file and what to do)."""


def is_dataset_dir(path: Path) -> bool:
    """A folder written by ``datasets.Dataset.save_to_disk``."""
    return (path / "state.json").is_file() and (path / "dataset_info.json").is_file()


def read(path: Path, rel: str, kind: str, text_field: str | None, id_field: str | None) -> Iterator[Document | Skip]:
    """Every row of the table at ``path`` as a Document, or a Skip naming the file and the row."""
    try:
        rows, columns = _open_rows(path, kind)
        tf = _text_field(rel, columns, text_field)
        idf = id_field or (ID_FIELD if ID_FIELD in columns else None)
        if idf is not None and idf not in columns:
            raise TableError(f"no id column {idf!r}; its columns are: {_names(columns)} — pass --id-field NAME")
        if kind in ("parquet", "dataset") and columns[tf] not in ("string", "large_string"):
            raise TableError(
                f"text column {tf!r} holds {columns[tf]}, not strings — pass --text-field NAME of a text column "
                f"(columns: {_names(columns)})"
            )
        seen: dict[str, int] = {}
        for n, row in rows:
            yield _row_document(path, rel, kind, n, row, tf, idf, seen)
    except TableError as e:
        yield Skip(rel, str(e))
    except (OSError, ValueError, UnicodeDecodeError) as e:  # pyarrow/datasets raise ValueError subclasses
        yield Skip(rel, f"cannot read this {kind} table ({type(e).__name__}: {e}) — check the file")


def _names(columns: dict[str, str]) -> str:
    return ", ".join(columns) or "(none)"


def _text_field(rel: str, columns: dict[str, str], given: str | None) -> str:
    if given:
        if given not in columns:
            raise TableError(f"no text column {given!r}; its columns are: {_names(columns)} — pass --text-field NAME")
        return given
    for name in TEXT_FIELDS:
        if name in columns:
            return name
    raise TableError(
        f"no text column (looked for {', '.join(TEXT_FIELDS)}); its columns are: {_names(columns)} "
        "— pass --text-field NAME"
    )


def _row_document(
    path: Path, rel: str, kind: str, n: int, row: dict[str, Any] | str, tf: str, idf: str | None, seen: dict[str, int]
) -> Document | Skip:
    where = f"line {n + 1}" if kind == "jsonl" else f"row {n}"
    line = n + 1 if kind == "jsonl" else None
    if isinstance(row, str):  # the reader's reason why this line is not a row
        return Skip(rel, f"{where}: {row}", line=line)
    text = row.get(tf)
    if text is None or (isinstance(text, str) and not text.strip()):
        return Skip(rel, f"{where}: empty text in column {tf!r} — nothing to translate", line=line)
    if not isinstance(text, str):
        return Skip(rel, f"{where}: column {tf!r} holds {type(text).__name__}, not text — fix the row", line=line)
    # One kind of line break, so that sources/<doc>.txt reads back (universal newlines) with the same offsets.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    ident = str(row.get(idf)) if idf is not None and row.get(idf) is not None else str(n)
    ident = _UNSAFE_ID.sub("_", ident)
    if ident in seen:
        return Skip(rel, f"{where}: id {ident!r} already used by row {seen[ident]} — ids must be unique", line=line)
    seen[ident] = n
    return Document(
        path=f"{rel}#{ident}",
        text=text,
        encoding="utf-8",
        sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        format="rows",
        meta={"table": rel, "kind": kind, "row": n, "id": ident, "text_field": tf},
        origin=str(path),
    )


def _open_rows(path: Path, kind: str) -> tuple[Iterator[tuple[int, dict[str, Any] | str]], dict[str, str]]:
    """``(rows, columns)``: ``(row number, row or why it is not one)`` and column name -> type."""
    if kind == "jsonl":
        return _jsonl_rows(path)
    if kind == "csv":
        return _csv_rows(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        columns = {f.name: str(f.type) for f in pf.schema_arrow}
        return _batches(pf.iter_batches(batch_size=1024)), columns
    from datasets import load_from_disk

    ds = load_from_disk(str(path))
    columns = {name: str(ds.data.schema.field(name).type) for name in ds.column_names}
    return _batches(ds.data.to_batches(max_chunksize=1024)), columns


def _batches(batches) -> Iterator[tuple[int, dict[str, Any]]]:
    n = 0
    for batch in batches:
        for row in batch.to_pylist():
            yield n, row
            n += 1


def _jsonl_rows(path: Path) -> tuple[Iterator[tuple[int, dict[str, Any] | str]], dict[str, str]]:
    first: dict[str, Any] | None = None
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            try:
                obj = json.loads(line) if line.strip() else None
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                first = obj
                break
    if first is None:
        raise TableError("no JSON object on any line — one JSON object per line expected")

    def rows() -> Iterator[tuple[int, dict[str, Any] | str]]:
        with path.open(encoding="utf-8-sig") as fh:
            for n, line in enumerate(fh):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    yield n, f"not valid JSON ({e.msg} at column {e.colno}) — fix or remove the line"
                    continue
                yield n, obj if isinstance(obj, dict) else f"a JSON {type(obj).__name__}, not an object — fix the line"

    return rows(), {k: type(v).__name__ for k, v in first.items()}


def csv_dialect(path: Path) -> str:
    """The delimiter: tab for ``.tsv``; else the most frequent of , ; tab on the header line."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = fh.readline()
    return max(",;\t", key=header.count)


def _csv_rows(path: Path) -> tuple[Iterator[tuple[int, dict[str, Any] | str]], dict[str, str]]:
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    delimiter = csv_dialect(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh, delimiter=delimiter), [])
    if not header:
        raise TableError("empty CSV file (no header line) — the first line must name the columns")

    def rows() -> Iterator[tuple[int, dict[str, Any] | str]]:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh, delimiter=delimiter)):
                yield n, {k: v for k, v in row.items() if k is not None}

    return rows(), dict.fromkeys(header, "string")


def column_name(text_field: str, target: str) -> str:
    return f"{text_field}_{target}"


def write_table(
    origin: Path, kind: str, text_field: str, out: Path, translations: dict[int, dict[str, str]], targets: list[str]
) -> None:
    """``origin`` again at ``out`` (a file, or a folder for a dataset) with a column per target.

    ``translations`` maps a row number to its translation per target. The
    caller renames ``out`` into place.
    """
    names = [column_name(text_field, t) for t in targets]

    def extra(n: int) -> dict[str, str | None]:
        row = translations.get(n, {})
        return {name: row.get(t) for name, t in zip(names, targets, strict=True)}

    if kind == "jsonl":
        with origin.open(encoding="utf-8-sig") as src, out.open("w", encoding="utf-8") as dst:
            for n, line in enumerate(src):
                try:
                    obj = json.loads(line) if line.strip() else None
                except json.JSONDecodeError:
                    continue
                if isinstance(obj, dict):
                    dst.write(json.dumps({**obj, **extra(n)}, ensure_ascii=False) + "\n")
    elif kind == "csv":
        delimiter = csv_dialect(origin)
        with origin.open(encoding="utf-8-sig", newline="") as src, out.open("w", encoding="utf-8", newline="") as dst:
            reader = csv.DictReader(src, delimiter=delimiter)
            fields = [f for f in reader.fieldnames or [] if f not in names] + names
            writer = csv.DictWriter(dst, fields, delimiter=delimiter, extrasaction="ignore")
            writer.writeheader()
            for n, row in enumerate(reader):
                writer.writerow({**row, **extra(n)})
    elif kind == "parquet":
        _write_parquet(origin, out, names, extra)
    else:
        _write_dataset(origin, out, names, extra)


def _write_parquet(origin: Path, out: Path, names: list[str], extra) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(origin)
    base = pa.schema([f for f in pf.schema_arrow if f.name not in names], metadata=pf.schema_arrow.metadata)
    schema = base
    for name in names:
        schema = schema.append(pa.field(name, pa.string()))
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in pf.iter_batches(batch_size=1024, columns=base.names):
            rows = [extra(n + i) for i in range(batch.num_rows)]
            arrays = [*batch.columns, *(pa.array([r[name] for r in rows], pa.string()) for name in names)]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            n += batch.num_rows


def _write_dataset(origin: Path, out: Path, names: list[str], extra) -> None:
    from datasets import Value, disable_progress_bars, load_from_disk

    disable_progress_bars()  # the run prints its own progress; datasets' bars would garble it
    ds = load_from_disk(str(origin))
    ds = ds.remove_columns([c for c in names if c in ds.column_names])
    rows = [extra(n) for n in range(len(ds))]
    for name in names:
        ds = ds.add_column(name, [r[name] for r in rows], feature=Value("string"))
    ds.save_to_disk(str(out))
