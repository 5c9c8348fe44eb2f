"""Reading speed and recovery: HTML pages/s per core, JSONL and Parquet rows/s, and what the HTML keeps.

    .venv/bin/python benchmarks/read_speed.py [--repeat 20] [--rows 20000]

Input: the seeds wrapped in news-page markup (``tests/data/formats/*.html``:
menu, cookie banner, breadcrumbs, share buttons, ad slot, "read also" box,
tags, readers' comments, related articles, newsletter box, footer). One
process, one core: the figures are per core.

* HTML: ``toolkit.io.formats.html.read`` (trafilatura + blocks) on every page,
  ``--repeat`` times; pages/s.
* Rows: a JSONL and a Parquet table of ``--rows`` rows (the seeds' lines,
  repeated), read by ``toolkit.io.read.iter_documents``; rows/s.
* Recovery: the share of each seed's body sentences (``.txt`` read and
  segmented as the pipeline does) found among the HTML version's body
  sentences, and the number of the HTML version's body sentences (those that
  would be translated) that come from the page around the story: they are
  the ones found neither in the seed nor in the page's title.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "formats"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(DATA))

from make_pages import LANG_OF, chrome_texts  # noqa: E402

from toolkit.io.formats import html  # noqa: E402
from toolkit.io.read import iter_documents  # noqa: E402
from toolkit.records import Document  # noqa: E402
from toolkit.segment import segment_document  # noqa: E402

NLLB = {"id": "ind_Latn", "pt": "por_Latn", "nb": "nob_Latn", "th": "tha_Thai"}


def html_speed(pages: list[Path], repeat: int) -> float:
    data = [(p.read_bytes(), p.name) for p in pages]
    html.read(*data[0])  # imports and trafilatura's first-call set-up are not reading
    start = time.perf_counter()
    for _ in range(repeat):
        for raw, name in data:
            html.read(raw, name)
    return repeat * len(data) / (time.perf_counter() - start)


def rows_speed(n_rows: int) -> dict[str, float]:
    lines = [x for s in sorted((REPO / "seeds").glob("*.txt")) for x in s.read_text("utf-8").splitlines() if x.strip()]
    texts = [lines[i % len(lines)] for i in range(n_rows)]
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("jsonl", "parquet"):
            folder = Path(tmp) / kind
            folder.mkdir()
            if kind == "jsonl":
                body = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts))
                (folder / "rows.jsonl").write_text(body, "utf-8")
            else:
                pq.write_table(pa.table({"id": list(range(n_rows)), "text": texts}), folder / "rows.parquet")
            start = time.perf_counter()
            n = sum(isinstance(d, Document) for d in iter_documents(folder))
            out[kind] = n / (time.perf_counter() - start)
            assert n == n_rows, n
    return out


def recovery(pages: list[Path]) -> list[dict]:
    out = []
    for page in pages:
        iso = LANG_OF[page.name[:3]]
        lang = NLLB[iso]
        seed = REPO / "seeds" / (page.stem + ".txt")
        txt = Document(seed.name, seed.read_text("utf-8"))
        want = [s.text for s in segment_document(txt, lang) if s.is_body]
        doc = html.read(page.read_bytes(), page.name)
        got = [s.text for s in segment_document(doc, lang) if s.is_body]
        title = doc.meta.get("title", "")
        foreign = [s for s in got if s not in txt.text and s not in title]
        chrome = [c for c in chrome_texts(iso) if c in doc.text]
        found = set(got)
        out.append(
            {
                "page": page.name,
                "seed_body_sentences": len(want),
                "recovered": sum(s in found for s in want),
                "translated_not_from_story": len(foreign),
                "chrome_sentences_in_text": len(chrome),
            }
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--rows", type=int, default=20000)
    args = ap.parse_args()
    pages = sorted(DATA.glob("*.html"))
    rec = recovery(pages)
    for r in rec:
        print(json.dumps(r))
    want = sum(r["seed_body_sentences"] for r in rec)
    got = sum(r["recovered"] for r in rec)
    print(
        f"recovered {got}/{want} body sentences ({got / want:.1%}); translated text from outside the story: "
        f"{sum(r['translated_not_from_story'] for r in rec)} sentences; chrome sentences read: "
        f"{sum(r['chrome_sentences_in_text'] for r in rec)}"
    )
    print(f"HTML: {html_speed(pages, args.repeat):.1f} pages/s per core ({len(pages)} pages x {args.repeat})")
    for kind, speed in rows_speed(args.rows).items():
        print(f"{kind}: {speed:,.0f} rows/s per core ({args.rows} rows)")


if __name__ == "__main__":
    main()
