"""A large document streams through `translate` in pieces of CHUNK_SENTENCES
sentences (issue 16): the same bytes as in one piece, and memory that holds a
piece of its records, not all of them. A fake engine (a fixed rewrite of each
sentence) keeps it fast; the real engine is in test_translate_e2e.py."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from helpers import output_bytes

from toolkit.records import BitextRecord, Document, Hypothesis
from toolkit.run import Provenance
from toolkit.translate import pipeline, plan
from toolkit.translate.engine import Engine
from toolkit.translate.pipeline import TranslateConfig, document_translation, translate_folder

SENTENCES = [
    "Komite Partai Distrik Nui Thanh mengadakan konferensi dialog dengan rakyat.",
    "Ketua Komite berkata bahwa 95 persen aspirasi telah diselesaikan.",
    "Harga beras naik 12 persen pada 3 Mei 2024.",
    "Pemerintah daerah akan membangun 451 rumah baru.",
]


class RewriteEngine(Engine):
    """Each sentence "translated" alone, the same way whatever its batch; ``seen``
    runs on every call, while the run is under way."""

    name = "rewrite"

    def __init__(self, seen=None) -> None:
        super().__init__("rewrite")
        self.seen = seen

    def count_tokens(self, texts, src_lang):
        return [len(t.split()) + 2 for t in texts]

    def translate_batch(self, texts, src_lang, tgt_lang):
        return [h.text for h in self.translate_scored(texts, src_lang, tgt_lang)]

    def translate_scored(self, texts, src_lang, tgt_lang):
        if self.seen is not None:
            self.seen()
        return [Hypothesis(f"[{tgt_lang[:3]}] {t.replace('persen', 'percent')}", -0.2, 5) for t in texts]

    def provenance(self):
        return Provenance(engine=self.name, model="rewrite")


def article(paragraphs: int) -> str:
    """Paragraphs of 1-4 sentences, with single and double line breaks, a
    non-body line now and then, and numbers that make every sentence distinct."""
    lines = []
    for i in range(paragraphs):
        n = 1 + i % 4
        lines.append(" ".join(SENTENCES[(i + k) % 4].replace("Komite", f"Komite {i}-{k}") for k in range(n)))
        if i % 7 == 3:
            lines.append(f"https://example.com/berita/{i}")
        lines.append("\n" if i % 5 == 0 else "")
    return "\n".join(lines) + "\n"


def run(src: Path, out: Path, targets=("eng_Latn",), seen=None) -> pipeline.RunSummary:
    config = TranslateConfig(targets=list(targets), src_lang="ind_Latn")
    return translate_folder(src, out, RewriteEngine(seen), config)


def test_a_document_of_many_pieces_gives_the_bytes_of_one_piece(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_text(article(60), "utf-8")  # ~150 sentences: 19 pieces of 8
    (src / "small.txt").write_text(SENTENCES[0] + "\n", "utf-8")
    (src / "notes.md").write_text("# Judul\n\n" + article(12), "utf-8")  # a format that keeps its records
    whole = tmp_path / "whole"
    run(src, whole, targets=("eng_Latn", "tha_Thai"))
    monkeypatch.setattr(plan, "CHUNK_SENTENCES", 8)
    pieces = tmp_path / "pieces"
    summary = run(src, pieces, targets=("eng_Latn", "tha_Thai"))
    assert summary.ok and summary.documents_translated == 3
    got, want = output_bytes(pieces), output_bytes(whole)
    assert got.keys() == want.keys() and "translations/eng_Latn/big.txt" in got
    for name in want:
        assert got[name] == want[name], name
    # and what a piece-by-piece translation joins is the whole document's
    records = [BitextRecord.from_json(line) for line in (pieces / "bitext.jsonl").read_text("utf-8").splitlines()]
    big = [r for r in records if r.doc == "big.txt"]
    assert len(big) > 8 * 10 and len({r.para for r in big}) == 60 + 60 // 7 + 1
    doc = Document("big.txt", (src / "big.txt").read_text("utf-8"))
    assert (pieces / "translations/eng_Latn/big.txt").read_text("utf-8") == document_translation(doc, big, "eng_Latn")
    assert not list(pieces.rglob(".tk-tmp-*"))


def test_the_translation_is_written_while_the_document_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "CHUNK_SENTENCES", 8)
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_text(article(400), "utf-8")  # its translation is many times a write buffer
    out = tmp_path / "run"
    sizes: list[int] = []  # the document's translation on disk so far, at each engine call

    def look() -> None:
        temps = list((out / "translations" / "eng_Latn").glob(".tk-tmp-*.tmp"))
        sizes.append(sum(p.stat().st_size for p in temps))

    run(src, out, seen=look)
    assert len(sizes) > 10 and sizes[0] == 0
    assert sorted(sizes) == sizes and 0 < sizes[len(sizes) // 2] < sizes[-1]  # it grows piece by piece


def _held_while_writing(tmp_path: Path, paragraphs: int, monkeypatch) -> int:
    """The most memory (traced, since the run began) held while the run
    writes a document's records: they are all there, or a piece of them."""
    src = tmp_path / f"in{paragraphs}"
    src.mkdir()
    (src / "big.txt").write_text(article(paragraphs), "utf-8")
    held = [0]
    write = pipeline._Outputs.write

    def measured(self, p, records):
        held[0] = max(held[0], tracemalloc.get_traced_memory()[0])
        return write(self, p, records)

    with monkeypatch.context() as patch:
        patch.setattr(pipeline._Outputs, "write", measured)
        tracemalloc.start()
        try:
            run(src, tmp_path / f"run{paragraphs}")
        finally:
            tracemalloc.stop()
    return held[0]


def _lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def test_memory_holds_a_piece_of_a_documents_records_not_all(tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "CHUNK_SENTENCES", 16)
    _held_while_writing(tmp_path, 20, monkeypatch)  # warm: imports, the segmenter's and checks' first use
    small = _held_while_writing(tmp_path, 400, monkeypatch)  # ~1,000 sentences
    large = _held_while_writing(tmp_path, 800, monkeypatch)  # ~2,000
    extra = _lines(tmp_path / "run800/bitext.jsonl") - _lines(tmp_path / "run400/bitext.jsonl")
    # Held whole, each extra record (a few kB with its figures and flags)
    # would add its size; streamed, what grows with the document is its text
    # and three integers a line.
    per_record = (large - small) / extra
    assert per_record < 600, f"{per_record:.0f} bytes more per record of the document: its records are all held"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE", str(tmp_path / "cache"))
