"""A run's records as a table: Parquet, or a Hugging Face dataset with typed ``Features``.

``export_records(iter_records(load_run(RUN)), run.targets, fmt, out,
signature=run.info.signature)`` (``toolkit export`` does exactly that; this
module does not import ``toolkit.run``, which imports ``toolkit.io``). One row
per ``BitextRecord``, in the order given. Columns: ``id``, ``doc``, ``para``, ``idx``, ``src_lang``, ``src``,
``src_start``, ``src_end``, ``translate``, ``skip_reason``, one
``mt_<target>`` string column per target of the run (null for lines that were
not translated), ``flags`` (a list of ``{code, target, detail}``) and
``figures`` (a list of ``{field, start, end, text, kind, value, unit, era}``,
``field`` being ``src`` or a target; ``value`` is JSON text, since a figure's
value is a number, an ISO date or a range object). The run's signature is the
dataset's description and the Parquet file's ``toolkit.signature`` metadata.

Parquet: ``OUT/bitext.parquet``, streamed in batches. Dataset: ``OUT`` is a
``datasets.save_to_disk`` folder (``datasets.load_from_disk(OUT)``). Both are
built beside ``OUT`` and renamed into place; an existing ``OUT`` is replaced
only with ``force``, and only when it holds nothing but what an export writes
(``bitext.parquet``, or a dataset's ``state.json``, ``dataset_info.json`` and
``data-*.arrow``): ``--force`` never deletes a file it did not write, nor the
run it reads (``--out RUN`` or a folder above it is refused).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.records import BitextRecord

FORMATS = ("parquet", "dataset")
_BATCH = 2048
# What an export writes into OUT: the only files --force may delete.
_EXPORTED = re.compile(r"bitext\.parquet|state\.json|dataset_info\.json|data-\d{5}-of-\d{5}\.arrow")


class ExportError(ToolkitError, ValueError):
    """The export cannot be made (bad format, output exists); the message says what to do."""


def features(targets: list[str]):
    """The ``datasets.Features`` of an exported run with these targets."""
    from datasets import Features, List, Value

    cols: dict[str, Any] = {
        "id": Value("string"),
        "doc": Value("string"),
        "para": Value("int32"),
        "idx": Value("int32"),
        "src_lang": Value("string"),
        "src": Value("string"),
        "src_start": Value("int64"),
        "src_end": Value("int64"),
        "translate": Value("bool"),
        "skip_reason": Value("string"),
    }
    cols.update({f"mt_{t}": Value("string") for t in targets})
    cols["flags"] = List({"code": Value("string"), "target": Value("string"), "detail": Value("string")})
    figure = {k: Value("string") for k in ("field", "text", "kind", "value", "unit", "era")}
    figure.update(start=Value("int64"), end=Value("int64"))
    cols["figures"] = List(figure)
    return Features(cols)


def row(rec: BitextRecord, targets: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rec.id,
        "doc": rec.doc,
        "para": rec.para,
        "idx": rec.idx,
        "src_lang": rec.src_lang,
        "src": rec.src,
        "src_start": rec.src_start,
        "src_end": rec.src_end,
        "translate": rec.translate,
        "skip_reason": rec.skip_reason,
    }
    out.update({f"mt_{t}": rec.mt.get(t) for t in targets})
    out["flags"] = [{"code": f.code, "target": f.target, "detail": f.detail} for f in rec.flags_list()]
    out["figures"] = [
        {
            "field": key,
            "start": f.start,
            "end": f.end,
            "text": f.text,
            "kind": f.kind,
            "value": json.dumps(f.value, ensure_ascii=False),
            "unit": f.unit,
            "era": f.era,
        }
        for key in rec.figures
        for f in rec.figures_of(key)
    ]
    return out


def _batches(records: Iterable[BitextRecord], targets: list[str], schema) -> Iterator[Any]:
    import pyarrow as pa

    rows: list[dict[str, Any]] = []
    for rec in records:
        rows.append(row(rec, targets))
        if len(rows) >= _BATCH:
            yield pa.RecordBatch.from_pylist(rows, schema=schema)
            rows = []
    if rows:
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def export_records(
    records: Iterable[BitextRecord],
    targets: list[str],
    fmt: str,
    out: str | Path,
    *,
    signature: str = "",
    force: bool = False,
    source: str | Path | None = None,
) -> Path:
    """Write ``records`` to ``out`` as ``fmt`` ("parquet" or "dataset"); returns what was written.

    ``source`` is the run folder the records come from: ``out`` may not be it
    or hold it. Raises ``ExportError`` for an ``out`` that cannot be (re)written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    out = Path(out)
    check_out(out, force=force, source=None if source is None else Path(source))
    try:
        return _export(records, targets, fmt, out, signature)
    except OSError as e:
        raise ExportError(f"cannot write {out}: {e.strerror or e}; choose another --out") from e


def check_out(out: Path, *, force: bool, source: Path | None = None) -> None:
    """Refuse an ``out`` whose replacement would delete what an export did not write."""
    if source is not None:
        run, target = Path(os.path.realpath(source)), Path(os.path.realpath(out))
        if target == run or target in run.parents:
            raise ExportError(f"--out {out} is the run folder {source} or holds it; choose another --out")
    if not os.path.lexists(out):
        return
    if out.is_symlink() or not out.is_dir():
        what = "a symbolic link" if out.is_symlink() else "a file, not a folder"
        raise ExportError(f"--out {out} exists and is {what}; choose a new folder for --out")
    try:
        names = [e.name for e in os.scandir(out)]
    except OSError as e:
        raise ExportError(f"cannot read --out {out}: {e.strerror or e}; choose another --out") from e
    if not names:
        return
    if not force:
        raise ExportError(f"{out} exists and is not empty; choose another --out or pass --force")
    foreign = sorted(n for n in names if not _EXPORTED.fullmatch(n) or not (out / n).is_file())
    if foreign:
        listed = ", ".join(repr(n) for n in foreign[:3]) + (" ..." if len(foreign) > 3 else "")
        raise ExportError(
            f"{out} holds files an export did not write ({listed}); --force replaces only an earlier export: "
            "choose another --out"
        )


def _export(records: Iterable[BitextRecord], targets: list[str], fmt: str, out: Path, signature: str) -> Path:
    import pyarrow.parquet as pq

    feats = features(targets)
    schema = feats.arrow_schema.with_metadata(
        {**(feats.arrow_schema.metadata or {}), b"toolkit.signature": signature.encode()}
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        parquet = tmp / "bitext.parquet"
        with pq.ParquetWriter(parquet, schema) as writer:
            for batch in _batches(records, targets, schema):
                writer.write_batch(batch)
        built = tmp / "out"
        if fmt == "parquet":
            built.mkdir()
            os.replace(parquet, built / "bitext.parquet")
        else:
            _save_dataset(parquet, feats, signature, built, tmp / "cache")
        if out.exists():
            shutil.rmtree(out)  # check_out allowed it: an earlier export, nothing else
        os.replace(built, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out / "bitext.parquet" if fmt == "parquet" else out


def _save_dataset(parquet: Path, feats, signature: str, out: Path, cache: Path) -> None:
    from datasets import Dataset, DatasetInfo, disable_progress_bars

    disable_progress_bars()  # one line says what was written
    info = DatasetInfo(description=f"toolkit run: {signature}", features=feats)
    ds = Dataset.from_parquet(str(parquet), features=feats, cache_dir=str(cache))
    Dataset(ds.data, info=info).save_to_disk(str(out))
