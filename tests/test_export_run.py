"""`toolkit export`: a run's records as Parquet and as a Hugging Face dataset with typed features."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from datasets import load_from_disk
from helpers import cli

from toolkit.io.export import ExportError, export_records
from toolkit.records import BitextRecord, Figure, Flag
from toolkit.run import Provenance, RunInfo, RunPaths, iter_records, load_run, write_run_info

TARGETS = ["eng_Latn", "vie_Latn"]


def make_run(root: Path) -> list[BitextRecord]:
    fig = Figure(10, 13, "127", "COUNT", 127, unit="konferensi").to_dict()
    rng = Figure(0, 9, "2020-2025", "YEAR", {"low": 2020, "high": 2025}).to_dict()
    recs = [
        BitextRecord(
            id="a.txt#p0s0",
            doc="a.txt",
            para=0,
            idx=0,
            src_lang="ind_Latn",
            src="2020-2025 ada 127 konferensi.",
            src_start=0,
            src_end=29,
            mt={"eng_Latn": "2020-2025 there were 127 conferences.", "vie_Latn": "2020-2025 có 127 hội nghị."},
            figures={"src": [rng, fig], "eng_Latn": [fig]},
            flags=[Flag("figure_missing", "vie_Latn", "127").to_dict()],
        ),
        BitextRecord(
            id="a.txt#p1s0",
            doc="a.txt",
            para=1,
            idx=0,
            src_lang="ind_Latn",
            src="Sumber",
            src_start=30,
            src_end=36,
            translate=False,
            skip_reason="source_line",
        ),
    ]
    paths = RunPaths(root)
    root.mkdir(parents=True)
    paths.bitext.write_text("".join(r.to_json() + "\n" for r in recs), "utf-8")
    write_run_info(root, RunInfo(name="r", targets=TARGETS, provenance=Provenance(engine="ctranslate2", model="m")))
    return recs


def export_run(run_dir: Path, fmt: str, out: Path, force: bool = False) -> Path:
    run = load_run(run_dir)
    return export_records(iter_records(run), run.targets, fmt, out, signature=run.info.signature, force=force)


def test_dataset_with_typed_features(tmp_path: Path) -> None:
    make_run(tmp_path / "run")
    out = export_run(tmp_path / "run", "dataset", tmp_path / "ds")
    ds = load_from_disk(str(out))
    assert len(ds) == 2 and ds.column_names[:3] == ["id", "doc", "para"]
    f = ds.features
    assert f["src_start"].dtype == "int64" and f["translate"].dtype == "bool"
    assert f["mt_eng_Latn"].dtype == "string" and f["mt_vie_Latn"].dtype == "string"
    assert set(f["flags"].feature) == {"code", "target", "detail"}
    assert f["figures"].feature["start"].dtype == "int64"
    row = ds[0]
    assert row["mt_vie_Latn"] == "2020-2025 có 127 hội nghị."
    assert row["flags"] == [{"code": "figure_missing", "target": "vie_Latn", "detail": "127"}]
    assert [(g["field"], g["text"], g["value"]) for g in row["figures"]] == [
        ("src", "2020-2025", '{"low": 2020, "high": 2025}'),
        ("src", "127", "127"),
        ("eng_Latn", "127", "127"),
    ]
    assert ds[1]["mt_eng_Latn"] is None and ds[1]["skip_reason"] == "source_line" and ds[1]["figures"] == []
    assert "engine:ctranslate2" in ds.info.description


def test_parquet_and_its_signature(tmp_path: Path) -> None:
    make_run(tmp_path / "run")
    out = export_run(tmp_path / "run", "parquet", tmp_path / "pq")
    table = pq.read_table(out)
    assert out == tmp_path / "pq" / "bitext.parquet" and table.num_rows == 2
    assert table.column("id").to_pylist() == ["a.txt#p0s0", "a.txt#p1s0"]
    assert b"engine:ctranslate2" in table.schema.metadata[b"toolkit.signature"]
    with pytest.raises(ExportError, match="--force"):
        export_run(tmp_path / "run", "parquet", tmp_path / "pq")
    assert export_run(tmp_path / "run", "parquet", tmp_path / "pq", force=True) == out


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    make_run(tmp_path / "run")
    p = cli("export", str(tmp_path / "run"), "--format", "csv", "--out", str(tmp_path / "x"))
    assert p.returncode == 2 and "--format must be one of parquet, dataset" in p.stderr and "Traceback" not in p.stderr
    p = cli("export", str(tmp_path / "nope"), "--out", str(tmp_path / "x"))
    assert p.returncode == 2 and "not a run folder" in p.stderr and "Traceback" not in p.stderr
    p = cli("export", str(tmp_path / "run"), "--format", "dataset", "--out", str(tmp_path / "ok"))
    assert p.returncode == 0, p.stderr
    assert len(load_from_disk(str(tmp_path / "ok"))) == 2
