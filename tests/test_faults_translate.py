"""Faults during `toolkit translate`, caused for real with the tiny NLLB model.

- SIGKILL at three points of a run (first batch committed, half the
  translations committed, every translation committed and the outputs being
  written), then a run to the end: the outputs are byte-identical to an
  uninterrupted run's, no sentence is missing or doubled, and the sentences
  finished before are not translated again (the engine is wrapped to count
  what it is asked to translate);
- the disk "fills up" (RLIMIT_FSIZE: every write past the limit fails with
  EFBIG): one clear line, exit 2, the cache stays consistent, and a run with
  space finishes with the same outputs.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import output_bytes

from toolkit.records import BitextRecord
from toolkit.translate.cache import cache_entry_key as key_of

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
# An Indonesian article and the first lines of a Thai one: two source languages, ~40 body sentences.
SUBSET = ("000_4c948b14667160bd.txt", "003_16970dbbe9772abc.txt")
# Small batches: many commits, so that the kills land between them.
ARGS = ("--to", "eng_Latn", "--num-beams", "1", "--batch-size", "3", "-q")


def translate_cmd(src: Path, run: Path, model: Path) -> list[str]:
    return [sys.executable, "-m", "toolkit", "translate", str(src), "--out", str(run), "--model", str(model), *ARGS]


def cache_file(run: Path) -> Path | None:
    """The run's SQLite translation cache (whatever its name)."""
    for p in sorted((run / "cache").glob("*")) if (run / "cache").is_dir() else []:
        with contextlib.suppress(OSError), p.open("rb") as fh:
            if fh.read(16) == b"SQLite format 3\x00":
                return p
    return None


def cache_rows(run: Path) -> dict[str, str]:
    """key -> translation of every committed cache entry ({} while there is none)."""
    path = cache_file(run)
    if path is None:
        return {}
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as con:
            return dict(con.execute("SELECT key, mt FROM translations"))
    except sqlite3.Error:
        return {}  # not created yet


def cache_count(run: Path) -> int:
    path = cache_file(run)
    if path is None:
        return 0
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)) as con:
            return con.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def subset(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("subset")
    shutil.copy(SEEDS / SUBSET[0], d / SUBSET[0])
    thai = (SEEDS / SUBSET[1]).read_text("utf-8")
    (d / SUBSET[1]).write_text(thai[: thai.rfind("\n", 0, 2500) + 1], "utf-8")  # its first lines: CI time
    return d


@pytest.fixture(scope="module")
def reference(tiny_model, subset, tmp_path_factory) -> Path:
    run = tmp_path_factory.mktemp("ref") / "run"
    p = subprocess.run(translate_cmd(subset, run, tiny_model), capture_output=True, text=True, cwd=REPO, timeout=900)
    assert p.returncode == 0, p.stderr
    return run


# The last run, in a subprocess like the CLI, with the real engine wrapped so
# that every sentence it is asked to translate is counted.
COUNTING_RUN = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from toolkit.translate.engine import GenerationSettings
    from toolkit.translate.loading import load_engine
    from toolkit.translate.pipeline import TranslateConfig, translate_folder

    src, run, model, log = sys.argv[1:5]
    # the CLI's --to eng_Latn: the default shortlist is built for the run's targets
    engine = load_engine(
        model, engine=None, device="auto", settings=GenerationSettings(num_beams=1), targets=["eng_Latn"]
    )
    asked = []
    real = engine.translate_scored  # what the runner calls (the texts with their scores)

    def counting(texts, src_lang, tgt_lang):
        asked.extend([src_lang, tgt_lang, t] for t in texts)
        return real(texts, src_lang, tgt_lang)

    engine.translate_scored = counting
    summary = translate_folder(Path(src), Path(run), engine, TranslateConfig(targets=["eng_Latn"], max_batch=3))
    Path(log).write_text(json.dumps({"asked": asked, "cache_hits": summary.cache_hits}))
    """
)


def test_sigkill_at_three_points_then_resume(tiny_model, subset, reference, tmp_path):
    ref = cache_rows(reference)
    total = len(ref)
    assert total >= 40
    run = tmp_path / "killed"
    # (what the kill interrupts, committed cache entries to wait for)
    points = [("the first batch", 1), ("a third of the run", total // 3), ("two thirds of the run", 2 * total // 3)]
    seen = []
    for what, rows in points:
        proc = subprocess.Popen(
            translate_cmd(subset, run, tiny_model), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None and cache_count(run) < rows:
            time.sleep(0.02)
        assert proc.poll() is None, f"the run finished before it could be killed after {what}"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        seen.append(cache_count(run))
        assert not (run / "bitext.jsonl").exists() and not (run / "run.json").exists()  # only complete outputs appear
    assert 0 < seen[0] < seen[1] < seen[2] < total, seen

    # The last run counts what the engine is asked to translate.
    before = cache_rows(run)
    assert all(ref[k] == v for k, v in before.items())  # what was committed is what the full run has
    log = tmp_path / "asked.json"
    p = subprocess.run(
        [sys.executable, "-c", COUNTING_RUN, str(subset), str(run), str(tiny_model), str(log)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=900,
    )
    assert p.returncode == 0, p.stderr
    asked = json.loads(log.read_text())["asked"]
    engine_key = _engine_key(reference)
    keys = [key_of(engine_key, s, g, t) for s, g, t in asked]
    again = [t for (_, _, t), k in zip(asked, keys, strict=True) if k in before]
    print(
        f"\n[faults] kills after {seen} of {total} cache entries; the resumed run translated {len(asked)} "
        f"sentences/pieces, {len(again)} of them again"
    )
    assert again == [], f"{len(again)} finished sentences were translated again, e.g. {again[0][:60]!r}"
    assert len(keys) == len(set(keys)), "a sentence was translated twice in the resumed run"
    assert set(keys) | set(before) <= set(ref) and asked  # the missing part, and only that, was translated
    assert cache_rows(run) == ref

    # Byte-identical outputs; every sentence once.
    assert output_bytes(run) == output_bytes(reference)
    recs = [BitextRecord.from_json(x) for x in (run / "bitext.jsonl").read_text("utf-8").splitlines()]
    ids = [r.id for r in recs]
    assert len(ids) == len(set(ids)) and {r.doc for r in recs} == set(SUBSET)
    assert all(r.mt.get("eng_Latn") for r in recs if r.translate)


def _engine_key(run: Path) -> str:
    path = cache_file(run)
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        (key,) = {k for (k,) in con.execute("SELECT DISTINCT engine_key FROM translations")}
    return key


def _limit_file_size(limit: int):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk

    return preexec


@pytest.mark.parametrize(
    ("where", "limit"),
    [
        ("cache", 64 * 1024),  # the disk fills a few batches in: the cache's write fails
        ("outputs", 40 * 1024),  # everything is cached already: writing bitext.jsonl fails
    ],
)
def test_disk_full_gives_one_clear_line_and_a_consistent_cache(tiny_model, subset, reference, tmp_path, where, limit):
    run = tmp_path / "full-disk"
    if where == "outputs":
        (run / "cache").mkdir(parents=True)
        shutil.copy(cache_file(reference), run / "cache" / cache_file(reference).name)
        assert (reference / "bitext.jsonl").stat().st_size > limit
    p = subprocess.run(
        translate_cmd(subset, run, tiny_model),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=900,
        preexec_fn=_limit_file_size(limit),
    )
    print(f"\n[faults] {where}, RLIMIT_FSIZE={limit}: exit {p.returncode}: {p.stderr.strip().splitlines()[-1][:300]}")
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr
    last = p.stderr.strip().splitlines()[-1]
    assert last.startswith("error: cannot write") and "run again" in last, last
    assert "File too large" in last or "disk" in last
    assert not (run / "bitext.jsonl").exists() and not (run / "run.json").exists()
    assert not [q for q in run.rglob("*.tmp")], "a temporary file was left behind"

    path = cache_file(run)
    assert path is not None
    with contextlib.closing(sqlite3.connect(str(path))) as con:  # opens (and recovers) like the next run will
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    kept = cache_rows(run)
    ref = cache_rows(reference)
    assert all(ref.get(k) == v for k, v in kept.items()), "the cache holds an entry the full run does not"
    if where == "outputs":
        assert kept == ref
        assert "cannot write to the run folder" in last and "will not be translated again" in last

    p = subprocess.run(translate_cmd(subset, run, tiny_model), capture_output=True, text=True, cwd=REPO, timeout=900)
    assert p.returncode == 0, p.stderr
    assert output_bytes(run) == output_bytes(reference)
    meta = json.loads((run / "run.json").read_text())
    if kept:
        assert meta["counts"]["cache_hits"] > 0  # what was committed before the disk filled is not redone


# -- issue 16: one document's failure is that document's skip; a run never reads its own outputs -------------

GOOD = (
    "Komite Partai Distrik Nui Thanh mengadakan {n} konferensi dialog dengan rakyat. Ketua berkata 95 persen selesai.\n"
)


def test_one_refused_output_path_is_that_documents_skip(tiny_model, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD.format(n=11), "utf-8")
    long_name = "x" * 252 + ".md"  # 255 bytes: its translation "...md.txt" is past the limit
    (src / long_name).write_text(GOOD.format(n=12), "utf-8")
    (src / "evil\x1b]0;pwned\x07.txt").write_text("", "utf-8")  # skipped as empty: its name is shown
    (src / "nul.txt").write_bytes(GOOD.format(n=14).encode() + b"\x00" + GOOD.format(n=15).encode())
    run = src / "out"  # --out inside the input folder
    (run / "translations" / "eng_Latn").mkdir(parents=True)
    stale = run / "translations" / "eng_Latn" / ".tk-tmp-999999999-abc123.tmp"  # a killed run's, pid gone
    stale.write_text("half a file")
    os.utime(stale, (time.time() - 60, time.time() - 60))
    cmd = [*translate_cmd(src, run, tiny_model), "--from", "ind_Latn"]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=900)
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr and "free disk space" not in p.stderr
    assert f"skipped {long_name}: its output's name or path is too long" in p.stderr
    assert "\x1b" not in p.stderr and "evil\\x1b]0;pwned\\x07.txt" in p.stderr  # shown escaped
    assert "nul.txt: not valid UTF-8" in p.stderr
    assert not stale.exists()
    meta = json.loads((run / "run.json").read_text())
    assert meta["counts"]["documents_translated"] == 2
    assert meta["encodings"]["not_utf8"] == {"nul.txt": "utf-8 (bad bytes replaced)"}
    assert meta["encodings"]["counts"] == {"utf-8": 2, "utf-8 (bad bytes replaced)": 1}  # a.txt and the .md
    docs = {BitextRecord.from_json(line).doc for line in (run / "bitext.jsonl").read_text().splitlines()}
    assert docs == {"a.txt", "nul.txt"}
    first = output_bytes(run)
    # A second run in the same --out reads neither its outputs nor its cache as articles, and ends identical.
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=900)
    assert p.returncode == 1, p.stderr
    assert json.loads((run / "run.json").read_text())["counts"]["documents"] == 4
    assert output_bytes(run) == first


@pytest.mark.parametrize("option", ["--batch-tokens", "--batch-size", "--num-beams"])
@pytest.mark.parametrize("value", ["0", "-3"])
def test_non_positive_batch_options_are_usage_errors(tmp_path, option, value):
    (tmp_path / "a.txt").write_text(GOOD.format(n=1), "utf-8")
    cmd = [sys.executable, "-m", "toolkit", "translate", str(tmp_path), "--out", str(tmp_path / "o"), option, value]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=300)
    assert p.returncode == 2 and "Traceback" not in p.stderr and option in p.stderr, p.stderr


def test_sigkill_inside_a_large_document_then_resume(tiny_model, tmp_path):
    """A document of several pieces (CHUNK_SENTENCES each) is killed after
    its translation began to stream to disk: nothing of it is in place, and
    the resumed run ends byte-identical to an uninterrupted one."""
    src = tmp_path / "in"
    src.mkdir()
    # ~900 sentences, 30 distinct (the cache keeps it quick); blank lines vary the paragraph gaps
    paragraphs = [GOOD.format(n=i % 15).strip() + ("\n" if i % 4 == 0 else "") for i in range(450)]
    (src / "big.txt").write_text("\n".join(paragraphs) + "\n", "utf-8")
    (src / "small.txt").write_text(GOOD.format(n=99), "utf-8")
    cmd = [*translate_cmd(src, tmp_path / "ref", tiny_model), "--from", "ind_Latn"]
    assert subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=900).returncode == 0
    run = tmp_path / "killed"
    cmd = [*translate_cmd(src, run, tiny_model), "--from", "ind_Latn"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    streaming = run / "translations" / "eng_Latn"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.stat().st_size > 0 for p in streaming.glob(".tk-tmp-*.tmp")):
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before its large document was half written"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (run / "bitext.jsonl").exists() and not (streaming / "big.txt").exists()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=900)
    assert p.returncode == 0, p.stderr
    assert output_bytes(run) == output_bytes(tmp_path / "ref")
    assert not list(run.rglob(".tk-tmp-*"))  # the killed run's half translation was removed
    recs = [BitextRecord.from_json(x) for x in (run / "bitext.jsonl").read_text("utf-8").splitlines()]
    assert len(recs) == len({r.id for r in recs}) == 902
