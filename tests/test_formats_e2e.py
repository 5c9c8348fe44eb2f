"""End to end: a folder mixing every input format through `toolkit translate` (tiny model) and `toolkit export`.

The tiny model copies its input, so the translated documents must come back
with their structure and their text: what is checked here is the plumbing
from each reader through the pipeline to each writer, on real files.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import docx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import Dataset, load_from_disk
from helpers import SEEDS, cli
from lxml import html as lxml_html

from toolkit.records import BitextRecord

pytestmark = pytest.mark.e2e
DATA = Path(__file__).parent / "data" / "formats"
PT = [x for x in (SEEDS / "001_eb38eec008c21456.txt").read_text("utf-8").splitlines() if len(x) > 80][:3]
ID = [x for x in (SEEDS / "000_4c948b14667160bd.txt").read_text("utf-8").splitlines() if len(x) > 80][:3]
BAD = ("empty-page.html", "broken.docx", "nocol.csv", "numbers.parquet", "rows.jsonl:2")


def mixed_folder(root: Path, bad: bool) -> Path:
    root.mkdir()
    shutil.copy(DATA / "000_4c948b14667160bd.html", root / "page.html")
    shutil.copy(DATA / "article.md", root / "article.md")
    (root / "plain.txt").write_text("\n".join(PT[:2]) + "\n", "utf-8")
    d = docx.Document()
    d.add_heading(ID[0][:60], level=1)
    d.add_paragraph(ID[1])
    d.add_table(rows=1, cols=1).cell(0, 0).text = ID[2]
    d.save(root / "report.docx")
    rows = [json.dumps({"id": f"r{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(PT)]
    if bad:
        rows.insert(1, "{not json")
    (root / "rows.jsonl").write_text("\n".join(rows) + "\n", "utf-8")
    with (root / "table.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["id", "text"], ["c1", ID[0]]])
    pq.write_table(pa.table({"text": [PT[2]]}), root / "one.parquet")
    Dataset.from_dict({"text": [ID[1]]}).save_to_disk(str(root / "ds"))
    if bad:
        (root / "empty-page.html").write_text("<html><body><nav><a href='/'>Beranda</a></nav></body></html>")
        (root / "broken.docx").write_text("just text, not a Word file")
        (root / "nocol.csv").write_text("titulo,corpo\nx,y\n", "utf-8")
        pq.write_table(pa.table({"text": [1, 2]}), root / "numbers.parquet")
    return root


@pytest.fixture(scope="module")
def mixed_run(tiny_model, tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    src = mixed_folder(root / "in", bad=True)
    run = root / "run"
    p = cli("translate", str(src), "--out", str(run), "--to", "eng_Latn", "--model", str(tiny_model), "-q")
    return src, run, p


def test_exit_1_only_for_the_bad_files(mixed_run):
    _, run, p = mixed_run
    assert p.returncode == 1, p.stderr[-3000:]
    assert "Traceback" not in p.stderr
    skipped = [line for line in p.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == len(BAD), skipped
    for name in BAD:
        assert any(line.startswith(f"skipped {name}:") for line in skipped), (name, skipped)
    meta = json.loads((run / "run.json").read_text("utf-8"))
    assert meta["counts"]["documents_translated"] == 10  # page, md, txt, docx, 3 jsonl rows, csv, parquet, ds


def test_offsets_index_sources_and_every_output_is_there(mixed_run):
    src, run, _ = mixed_run
    recs = [BitextRecord.from_json(x) for x in (run / "bitext.jsonl").read_text("utf-8").splitlines()]
    docs = {r.doc for r in recs}
    assert docs == {"page.html", "article.md", "plain.txt", "report.docx", "table.csv#c1", "one.parquet#0", "ds#0"} | {
        f"rows.jsonl#r{i}" for i in range(3)
    }
    for r in recs:
        text = (src / r.doc if r.doc == "plain.txt" else run / "sources" / f"{r.doc}.txt").read_text("utf-8")
        assert text[r.src_start : r.src_end] == r.src, r.id
    assert not (run / "sources" / "plain.txt.txt").exists()
    out = run / "translations" / "eng_Latn"
    for name in ("page.html.txt", "article.md.txt", "plain.txt", "report.docx.txt", "rows.jsonl#r0.txt"):
        assert (out / name).read_text("utf-8").strip(), name
    page = lxml_html.fromstring((out / "page.html").read_bytes())
    assert page.get("lang") == "en" and page.findtext(".//h1").startswith("Resolusi Kongres")
    assert "# " in (out / "article.md").read_text("utf-8") and "](https://" in (out / "article.md").read_text("utf-8")
    assert docx.Document(out / "report.docx").paragraphs[0].style.name == "Heading 1"
    rows = [json.loads(x) for x in (run / "translations" / "rows.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["r0", "r1", "r2"] and all(r["text_eng_Latn"] for r in rows)
    assert pq.read_table(run / "translations" / "one.parquet").column_names == ["text", "text_eng_Latn"]
    assert load_from_disk(str(run / "translations" / "ds"))["text_eng_Latn"][0]
    with (run / "translations" / "table.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.DictReader(fh))["text_eng_Latn"]


def test_export_the_mixed_run(mixed_run, tmp_path):
    _, run, _ = mixed_run
    p = cli("export", str(run), "--format", "dataset", "--out", str(tmp_path / "ds"))
    assert p.returncode == 0, p.stderr
    ds = load_from_disk(str(tmp_path / "ds"))
    assert len(ds) == len((run / "bitext.jsonl").read_text("utf-8").splitlines())
    assert "page.html" in set(ds["doc"])


def test_only_good_files_exit_0(tiny_model, tmp_path):
    src = mixed_folder(tmp_path / "in", bad=False)
    p = cli("translate", str(src), "--out", str(tmp_path / "run"), "--to", "eng_Latn", "--model", str(tiny_model), "-q")
    assert p.returncode == 0, p.stderr[-3000:]
