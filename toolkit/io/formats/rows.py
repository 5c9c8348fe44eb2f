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
given id) column names the file and the columns it has; a text or id column
named twice, and a Parquet or dataset text column that does not hold strings
(a dictionary-encoded one, as pandas writes a categorical, does), name the
column; a datasets folder whose ``state.json``/``dataset_info.json`` cannot
be loaded is one Skip. Per row: a JSONL line that is not UTF-8, not JSON
(nested too deeply, an integer of more than 4,300 digits) or not an object;
a row without the text field (the columns are every row's, not the first's);
a text that is empty, not a string or not valid Unicode (a lone surrogate
escape); an id too long to name a file (over 200 characters) or repeated; a
CSV record with a field over 50 MiB, or bytes that are not UTF-8; a Parquet
row that is not valid UTF-8. A CSV quote left open, whose field holds two or
more lines with an odd number of quotes in them, costs the row it opened on:
the lines it swallowed are read (and written back) as the rows they are.

Writing (``write_table``) gives the same table in the same format with one
column more per target, ``<text field>_<target>`` (``text_eng_Latn``, ...),
holding the row's translation with the source's line breaks; a column of that
name the table already has (a human reference) is kept as it is and the
translation goes beside it as ``<name>_mt``, with a warning (``target_columns``).
Rows that were not translated (skipped, or in another language) have an empty
(null) value; JSONL lines that were not JSON objects are left out; a CSV
row's cells beyond the header are kept after the new columns, and a row that
was not UTF-8 goes back byte for byte. It reads the original file again,
numbering rows as ``read`` does, streaming Parquet in batches.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from toolkit.display import shown
from toolkit.errors import ToolkitError
from toolkit.records import Document, Skip

log = logging.getLogger(__name__)

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
        for name in {tf, idf} - {None}:
            if columns.get(name) == _DUPLICATE:
                raise TableError(
                    f"column {name!r} appears more than once; rename one (or pass --text-field/--id-field NAME "
                    "of a column named once)"
                )
        if kind in ("parquet", "dataset") and not _holds_strings(columns[tf]):
            raise TableError(
                f"text column {tf!r} holds {columns[tf]}, not strings — pass --text-field NAME of a text column "
                f"(columns: {_names(columns)})"
            )
        seen: dict[str, int] = {}
        for n, row in rows:
            yield _row_document(path, rel, kind, n, row, tf, idf, seen)
    except TableError as e:
        yield Skip(rel, str(e))
    except (OSError, ValueError, RecursionError) as e:  # pyarrow/datasets raise ValueError subclasses
        yield Skip(rel, f"cannot read this {kind} table ({type(e).__name__}: {str(e)[:200]}) — check the file")


_DUPLICATE = "(duplicated)"  # the type given to a column name a table has more than once


def _holds_strings(arrow_type: str) -> bool:
    # A categorical column (pandas writes one for a category dtype) is dictionary-encoded strings.
    return arrow_type in ("string", "large_string", "string_view") or (
        arrow_type.startswith("dictionary<values=")
        and arrow_type.split("=", 1)[1].startswith(("string,", "large_string,"))
    )


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


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _row_document(
    path: Path, rel: str, kind: str, n: int, row: dict[str, Any] | str, tf: str, idf: str | None, seen: dict[str, int]
) -> Document | Skip:
    where = f"line {n + 1}" if kind == "jsonl" else f"row {n}"
    line = n + 1 if kind == "jsonl" else None
    if isinstance(row, str):  # the reader's reason why this line is not a row
        return Skip(rel, f"{where}: {row}", line=line)
    if tf not in row:
        return Skip(rel, f"{where}: no {tf!r} field — nothing to translate", line=line)
    text = row.get(tf)
    if text is None or (isinstance(text, str) and not text.strip()):
        return Skip(rel, f"{where}: empty text in column {tf!r} — nothing to translate", line=line)
    if not isinstance(text, str):
        return Skip(rel, f"{where}: column {tf!r} holds {type(text).__name__}, not text — fix the row", line=line)
    if _has_surrogate(text):
        # A lone surrogate (a JSON "\ud800" escape, or bytes that are not UTF-8) is no character:
        # it cannot be detected, segmented, translated nor written as UTF-8.
        return Skip(
            rel,
            f"{where}: text is not valid Unicode (a lone surrogate or a byte that is not UTF-8) — fix the row",
            line=line,
        )
    # One kind of line break, so that sources/<doc>.txt reads back (universal newlines) with the same offsets.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_id = row.get(idf) if idf is not None else None
    ident = _id_text(raw_id) if raw_id is not None else str(n)
    if ident is None:
        return Skip(rel, f"{where}: id in column {idf!r} is too long or not text — fix the row", line=line)
    ident = _UNSAFE_ID.sub("_", ident)
    if ident in seen:
        return Skip(
            rel, f"{where}: id {shown(ident)!r} already used by row {seen[ident]} — ids must be unique", line=line
        )
    seen[ident] = n
    return Document(
        path=f"{rel}#{ident}",
        text=text,
        encoding="utf-8",
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        format="rows",
        meta={"table": rel, "kind": kind, "row": n, "id": ident, "text_field": tf},
        origin=str(path),
    )


_MAX_ID = 200  # characters: an id names files (sources/<table>#<id>.txt) and must fit a file name


def _id_text(value: Any) -> str | None:
    """The id as text, or None for one that cannot name a file (too long, not a scalar, not Unicode)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if isinstance(value, int) and value.bit_length() > 4 * _MAX_ID:
        return None  # also before str(): Python refuses ints of more than 4,300 digits
    text = str(value)
    if len(text) > _MAX_ID or _has_surrogate(text):
        return None
    return text


def _open_rows(path: Path, kind: str) -> tuple[Iterator[tuple[int, dict[str, Any] | str]], dict[str, str]]:
    """``(rows, columns)``: ``(row number, row or why it is not one)`` and column name -> type."""
    if kind == "jsonl":
        return _jsonl_rows(path)
    if kind == "csv":
        return _csv_rows(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        columns = _arrow_columns(pf.schema_arrow)
        return _batches(pf.iter_batches(batch_size=1024)), columns
    ds = _load_dataset(path)
    return _batches(ds.data.to_batches(max_chunksize=1024)), _arrow_columns(ds.data.schema)


def _load_dataset(path: Path):
    """``datasets.load_from_disk``, its failures on a damaged folder as one ``TableError``."""
    from datasets import load_from_disk

    try:
        return load_from_disk(str(path))
    except Exception as e:  # noqa: BLE001  (a damaged state.json or dataset_info.json: KeyError, TypeError, ...)
        raise TableError(
            f"not a readable datasets folder ({type(e).__name__}: {shown(str(e)[:200])}) — "
            "its state.json or dataset_info.json is damaged: save the dataset again"
        ) from e


def _arrow_columns(schema) -> dict[str, str]:
    columns: dict[str, str] = {}
    for f in schema:
        columns[f.name] = _DUPLICATE if f.name in columns else str(f.type)
    return columns


def _batches(batches) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Rows of Arrow record batches; a row whose values cannot be read (a string that
    is not UTF-8) is that row's reason, not the table's end."""
    n = 0
    for batch in batches:
        names = batch.schema.names
        if len(set(names)) < len(names):  # duplicated names: keep the first of each (read() refuses them for text/id)
            keep = [names.index(x) for x in dict.fromkeys(names)]
            batch = batch.select(keep)
        try:
            rows: list[dict[str, Any] | str] = batch.to_pylist()
        except (UnicodeDecodeError, ValueError):
            rows = [_one_row(batch, i) for i in range(batch.num_rows)]
        for row in rows:
            yield n, row
            n += 1


def _one_row(batch, i: int) -> dict[str, Any] | str:
    try:
        return batch.slice(i, 1).to_pylist()[0]
    except (UnicodeDecodeError, ValueError) as e:
        return f"cannot be read ({type(e).__name__}: {str(e)[:120]}) — fix the row"


def _parse_jsonl(raw: bytes, first: bool) -> dict[str, Any] | str | None:
    """A JSONL line as an object, the reason it is not one, or None for a blank line."""
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        return None
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"not UTF-8 (byte {raw[e.start]:#04x} at column {e.start + 1}) — re-save the file as UTF-8"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return f"not valid JSON ({e.msg} at column {e.colno}) — fix or remove the line"
    except RecursionError:
        return "JSON nested too deeply — fix or remove the line"
    except ValueError as e:  # an integer of more than 4,300 digits
        return f"not readable JSON ({str(e)[:100]}) — fix or remove the line"
    return obj if isinstance(obj, dict) else f"a JSON {type(obj).__name__}, not an object — fix the line"


def _jsonl_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | str | None]]:
    with path.open("rb") as fh:
        for n, raw in enumerate(fh):
            yield n, _parse_jsonl(raw, n == 0)


def _jsonl_rows(path: Path) -> tuple[Iterator[tuple[int, dict[str, Any] | str]], dict[str, str]]:
    # The columns are those of every object in the file (a first row may lack the text field).
    columns: dict[str, str] = {}
    for _, obj in _jsonl_lines(path):
        if isinstance(obj, dict):
            for k, v in obj.items():
                columns.setdefault(k, type(v).__name__)
    if not columns:
        raise TableError("no JSON object with fields on any line — one JSON object per line expected")

    def rows() -> Iterator[tuple[int, dict[str, Any] | str]]:
        for n, obj in _jsonl_lines(path):
            if obj is not None:
                yield n, obj

    return rows(), columns


def csv_dialect(path: Path) -> str:
    """The delimiter: tab for ``.tsv``; else the most frequent of , ; tab on the header line."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    with path.open("rb") as fh:
        header = fh.readline().decode("utf-8", "replace")
    return max(",;\t", key=header.count)


def _csv_lines(path: Path) -> Iterator[str]:
    """The file's lines as text (split at LF, CRLF or CR, as ``csv`` wants them); bytes
    that are not UTF-8 become lone surrogates (``surrogateescape``), so that only
    their row is refused, not the file."""
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        yield from fh


class _Lines:
    """A CSV file's lines for ``csv.reader``, numbered, with lines that can be put back
    (to read again the lines an unclosed quote took into one record)."""

    def __init__(self, path: Path) -> None:
        self.source = enumerate(_csv_lines(path), 1)
        self.back: deque[tuple[int, str]] = deque()
        self.taken: list[tuple[int, str]] = []  # the lines of the record being read

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        item = self.back.popleft() if self.back else next(self.source)
        self.taken.append(item)
        return item[1]


def _csv_records(path: Path, delimiter: str) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """``(line, cells, why it is not a row)``: a field over the limit costs its record,
    not the file; so does a quote left open.

    A quote left open takes the lines after it into one field, to the next quote
    or the end of the file. A record of several lines with an odd number of
    ``"`` in them is that (a quoted field's own quotes are doubled, so they come
    in pairs): its first line is the bad row, and the lines after it are read
    again as the rows they are.
    """
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    lines = _Lines(path)
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        lines.taken = []
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            line = lines.taken[0][0] if lines.taken else 0
            yield line, None, f"line {line}: {e} (limit {_CSV_FIELD_LIMIT // 2**20} MiB) — fix or split the row"
            continue
        taken = lines.taken
        if len(taken) > 1 and sum(text.count('"') for _, text in taken) % 2:
            lines.back.extendleft(reversed(taken[1:]))
            first = next(csv.reader([taken[0][1]], delimiter=delimiter), [])
            yield taken[0][0], first, f"line {taken[0][0]}: a quote opened here is never closed — close it"
            continue
        yield taken[0][0], cells, None


def _csv_rows(path: Path) -> tuple[Iterator[tuple[int, dict[str, Any] | str]], dict[str, str]]:
    delimiter = csv_dialect(path)
    header = next((c for _, c, _ in _csv_records(path, delimiter)), None) or []
    if not header:
        raise TableError("empty CSV file (no header line) — the first line must name the columns")
    columns: dict[str, str] = {}
    for name in header:
        columns[name] = _DUPLICATE if name in columns else "string"

    def rows() -> Iterator[tuple[int, dict[str, Any] | str]]:
        records = _csv_records(path, delimiter)
        next(records, None)
        for n, cells, why in _csv_numbered(records):
            yield n, why if why is not None or cells is None else _cells_row(header, cells)

    return rows(), columns


def _csv_numbered(
    records: Iterator[tuple[int, list[str] | None, str | None]],
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """The records after the header, numbered as rows: ``(row, cells, why it is
    not read)``, cells None where there are none. The reader and the writer
    number alike, so that a row's translation goes back to it."""
    n = 0
    for line, cells, why in records:
        if cells is not None and why is None:
            if not any(cells):
                continue  # a blank line, as csv.DictReader passes over it
            if _has_surrogate("".join(cells)):
                why = f"line {line}: not UTF-8 — re-save the file as UTF-8"
        yield n, cells, why
        n += 1


def _cells_row(header: list[str], cells: list[str]) -> dict[str, Any]:
    # A name the header has twice keeps its first cell (read() refuses it as the text or id column).
    return dict(reversed(list(zip(header, cells, strict=False))))


def column_name(text_field: str, target: str) -> str:
    return f"{text_field}_{target}"


def target_columns(text_field: str, targets: list[str], existing: list[str]) -> list[str]:
    """The translation columns: ``<text field>_<target>``, or beside a column the
    table already has under that name (a human reference is never overwritten):
    ``<text field>_<target>_mt`` (``_mt2``, ... if that is taken too), with a warning."""
    taken = set(existing)
    names = []
    for t in targets:
        name = column_name(text_field, t)
        if name in taken:
            k, base = 1, f"{name}_mt"
            while (name := base if k == 1 else f"{base}{k}") in taken:
                k += 1
            log.warning(
                "the table already has a column %s: kept as it is; the %s translation is written beside it as %s",
                shown(column_name(text_field, t)),
                t,
                shown(name),
            )
        taken.add(name)
        names.append(name)
    return names


def write_table(
    origin: Path, kind: str, text_field: str, out: Path, translations: dict[int, dict[str, str]], targets: list[str]
) -> list[str]:
    """``origin`` again at ``out`` (a file, or a folder for a dataset) with a column per target.

    ``translations`` maps a row number (as ``read`` numbers them) to its
    translation per target. Returns the names of the columns added
    (``target_columns``). The caller renames ``out`` into place.
    """

    def extra(n: int) -> dict[str, str | None]:
        row = translations.get(n, {})
        return {name: row.get(t) for name, t in zip(names, targets, strict=True)}

    if kind == "jsonl":
        keys: dict[str, None] = {}
        for _, obj in _jsonl_lines(origin):
            if isinstance(obj, dict):
                keys.update(dict.fromkeys(obj))
        names = target_columns(text_field, targets, list(keys))
        with out.open("w", encoding="utf-8") as dst:
            for n, obj in _jsonl_lines(origin):
                if isinstance(obj, dict):
                    line = json.dumps({**obj, **extra(n)}, ensure_ascii=False)
                    if _has_surrogate(line):  # a lone surrogate elsewhere in the row: kept as its \u escape
                        line = json.dumps({**obj, **extra(n)})
                    dst.write(line + "\n")
    elif kind == "csv":
        delimiter = csv_dialect(origin)
        records = _csv_records(origin, delimiter)
        header = next((c for _, c, _ in records), None) or []
        names = target_columns(text_field, targets, header)
        # surrogateescape: bytes that were not UTF-8 (their rows were not read) go back as they came
        with out.open("w", encoding="utf-8", errors="surrogateescape", newline="") as dst:
            writer = csv.writer(dst, delimiter=delimiter)
            writer.writerow([*header, *names])
            for n, cells, _ in _csv_numbered(records):
                if cells is None:
                    continue
                padded = cells[: len(header)] + [""] * (len(header) - len(cells))
                added = extra(n)
                # cells beyond the header are kept, after the new columns
                writer.writerow([*padded, *(added[k] or "" for k in names), *cells[len(header) :]])
    elif kind == "parquet":
        import pyarrow.parquet as pq

        names = target_columns(text_field, targets, pq.ParquetFile(origin).schema_arrow.names)
        _write_parquet(origin, out, names, extra)
    else:
        names = target_columns(text_field, targets, _load_dataset(origin).column_names)
        _write_dataset(origin, out, names, extra)
    return names


def _write_parquet(origin: Path, out: Path, names: list[str], extra) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(origin)
    schema = pf.schema_arrow  # every column as it is: ``names`` are new (target_columns)
    for name in names:
        schema = schema.append(pa.field(name, pa.string()))
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in pf.iter_batches(batch_size=1024):
            rows = [extra(n + i) for i in range(batch.num_rows)]
            arrays = [*batch.columns, *(pa.array([r[name] for r in rows], pa.string()) for name in names)]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            n += batch.num_rows


def _write_dataset(origin: Path, out: Path, names: list[str], extra) -> None:
    from datasets import Value, disable_progress_bars

    disable_progress_bars()  # the run prints its own progress; datasets' bars would garble it
    ds = _load_dataset(origin)
    rows = [extra(n) for n in range(len(ds))]
    for name in names:
        ds = ds.add_column(name, [r[name] for r in rows], feature=Value("string"))
    ds.save_to_disk(str(out))
