"""Tables in (one document a row: JSONL, CSV, Parquet, a saved dataset) and out (a column per target)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import Dataset, load_from_disk
from formats_helpers import records_for

from toolkit.io.formats import TranslatedWriter, table_output_path
from toolkit.io.read import iter_documents
from toolkit.records import Document, Skip
from toolkit.run import RunPaths

SEED = Path(__file__).resolve().parents[1] / "seeds" / "001_eb38eec008c21456.txt"
LINES = [x for x in SEED.read_text("utf-8").splitlines() if len(x) > 60][:4]


def docs_and_skips(folder: Path, **kw) -> tuple[dict[str, Document], list[Skip]]:
    items = list(iter_documents(folder, **kw))
    return {i.path: i for i in items if isinstance(i, Document)}, [i for i in items if isinstance(i, Skip)]


def translate_all(folder: Path, run: Path, docs: dict[str, Document]) -> RunPaths:
    paths = RunPaths(run)
    with TranslatedWriter(paths, ["eng_Latn", "vie_Latn"]) as writer:
        for doc in docs.values():
            recs = records_for(doc, "por_Latn", str.upper)
            for r in recs:
                if r.translate:
                    r.mt["vie_Latn"] = "VI " + r.src
            assert writer.add(doc, recs) == []
    return paths


def test_jsonl_rows_with_a_bad_line(tmp_path: Path) -> None:
    rows = [{"id": "a1", "text": LINES[0], "lang": "pt"}, {"id": "a2", "text": LINES[1] + "\r\n" + LINES[2]}]
    body = [json.dumps(r, ensure_ascii=False) for r in rows]
    body.insert(1, '{"id": "broken", "text": "unterminated')
    body.append(json.dumps({"id": "a3", "text": 42}))
    body.append(json.dumps({"id": "a1", "text": LINES[3]}))
    (tmp_path / "news.jsonl").write_text("\n".join(body) + "\n", "utf-8")
    docs, skips = docs_and_skips(tmp_path)
    assert list(docs) == ["news.jsonl#a1", "news.jsonl#a2"]
    assert docs["news.jsonl#a2"].text == LINES[1] + "\n" + LINES[2]  # one kind of line break
    assert [(s.path, s.line) for s in skips] == [("news.jsonl", 2), ("news.jsonl", 4), ("news.jsonl", 5)]
    assert "not valid JSON" in skips[0].reason and "holds int" in skips[1].reason and "already used" in skips[2].reason
    paths = translate_all(tmp_path, tmp_path / "run", docs)
    assert (paths.sources / "news.jsonl#a2.txt").read_text("utf-8") == docs["news.jsonl#a2"].text
    out = [json.loads(x) for x in table_output_path(paths, "news.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in out] == ["a1", "a2", "a3", "a1"]
    assert out[0]["text_eng_Latn"] == LINES[0].upper() and out[0]["lang"] == "pt"
    assert out[1]["text_eng_Latn"] == LINES[1].upper() + "\n" + LINES[2].upper()
    assert out[1]["text_vie_Latn"].startswith("VI ") and out[2]["text_eng_Latn"] is None


def test_csv_with_text_field_and_row_numbers(tmp_path: Path) -> None:
    with (tmp_path / "artigos.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["titulo", "corpo"])
        for line in LINES[:3]:
            w.writerow(["Título", line])
    docs, skips = docs_and_skips(tmp_path)
    assert not docs and len(skips) == 1
    assert skips[0].path == "artigos.csv" and "its columns are: titulo, corpo" in skips[0].reason
    assert "--text-field" in skips[0].reason
    docs, skips = docs_and_skips(tmp_path, text_field="corpo")
    assert not skips and list(docs) == ["artigos.csv#0", "artigos.csv#1", "artigos.csv#2"]
    paths = translate_all(tmp_path, tmp_path / "run", docs)
    with table_output_path(paths, "artigos.csv").open(encoding="utf-8", newline="") as fh:
        out = list(csv.DictReader(fh, delimiter=";"))
    assert list(out[0]) == ["titulo", "corpo", "corpo_eng_Latn", "corpo_vie_Latn"]
    assert [r["corpo_eng_Latn"] for r in out] == [x.upper() for x in LINES[:3]]


def test_parquet_rows_and_a_parquet_whose_text_is_not_a_string(tmp_path: Path) -> None:
    pq.write_table(pa.table({"id": [7, 8], "content": LINES[:2], "views": [10, 20]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"id": [1], "text": [123]}), tmp_path / "b.parquet")
    (tmp_path / "c.parquet").write_bytes(b"not parquet at all")
    docs, skips = docs_and_skips(tmp_path)
    assert list(docs) == ["a.parquet#7", "a.parquet#8"]
    by = {s.path: s.reason for s in skips}
    assert "column 'text' holds int64, not strings" in by["b.parquet"] and "c.parquet" in by
    paths = translate_all(tmp_path, tmp_path / "run", docs)
    out = pq.read_table(table_output_path(paths, "a.parquet"))
    assert out.column_names == ["id", "content", "views", "content_eng_Latn", "content_vie_Latn"]
    assert out.schema.field("content_eng_Latn").type == pa.string()
    assert out.column("content_eng_Latn").to_pylist() == [x.upper() for x in LINES[:2]]


def test_saved_dataset_folder(tmp_path: Path) -> None:
    Dataset.from_dict({"body": LINES[:3], "source": ["x", "y", "z"]}).save_to_disk(str(tmp_path / "corpus"))
    docs, skips = docs_and_skips(tmp_path)
    assert not skips and list(docs) == ["corpus#0", "corpus#1", "corpus#2"]
    paths = translate_all(tmp_path, tmp_path / "run", docs)
    out = load_from_disk(str(table_output_path(paths, "corpus")))
    assert out.column_names == ["body", "source", "body_eng_Latn", "body_vie_Latn"]
    assert out["body_eng_Latn"] == [x.upper() for x in LINES[:3]] and out.features["body_eng_Latn"].dtype == "string"


@pytest.mark.parametrize("given", [{"id_field": "uuid"}, {"text_field": "missing"}])
def test_missing_named_columns_name_the_file_and_its_columns(tmp_path: Path, given: dict) -> None:
    (tmp_path / "x.jsonl").write_text(json.dumps({"id": 1, "text": LINES[0]}) + "\n", "utf-8")
    docs, (skip,) = docs_and_skips(tmp_path, **given)
    assert not docs and skip.path == "x.jsonl" and "its columns are: id, text" in skip.reason
