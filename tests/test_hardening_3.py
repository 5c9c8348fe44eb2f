"""Issue 27: the kinds of the third bad-input corpus, each tested as a family.

Data lost (export --force, outputs sharing a name, a table's own columns),
one bad file or row ending a run, glossaries that do not read back, database
URLs with passwords, damaged run folders, the studio's data folder.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from helpers import cli as _cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from run_folder import write_run

from toolkit.records import BitextRecord
from toolkit.run import RecordError, iter_records, parse_record

TARGETS = ["eng_Latn"]


class Ran:
    def __init__(self, args: tuple[str, ...]) -> None:
        done = _cli(*args)
        self.exit_code, self.output, self.stdout = done.returncode, done.stderr, done.stdout


def cli(*args: str) -> Ran:
    return Ran(args)


def record(i: int = 0, **kw) -> BitextRecord:
    base = dict(
        id=f"a.txt#p{i}s0", doc="a.txt", para=i, idx=0, src_lang="ind_Latn", src="Halo.", src_start=0, src_end=5
    )
    base.update(kw)
    rec = BitextRecord(**base)
    rec.mt.setdefault("eng_Latn", "Hello.")
    return rec


def make_run(root: Path, n: int = 3) -> Path:
    return write_run(root, [record(i) for i in range(n)], TARGETS)


# --- export --force never deletes what it did not write, nor the run it reads ---


def test_export_into_the_run_itself_is_refused_and_the_run_kept(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run")
    before = sorted(p.name for p in run.iterdir())
    for out in (run, tmp_path, run / "."):
        r = cli("export", str(run), "--format", "parquet", "--out", str(out), "--force")
        assert r.exit_code == 2, r.output
        assert "run folder" in r.output
        assert sorted(p.name for p in run.iterdir()) == before


def test_force_replaces_an_earlier_export_only(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run")
    out = tmp_path / "out"
    for fmt in ("parquet", "dataset", "parquet"):
        r = cli("export", str(run), "--format", fmt, "--out", str(out), "--force")
        assert r.exit_code == 0, r.output
    (out / "notes.txt").write_text("mine", "utf-8")
    r = cli("export", str(run), "--format", "dataset", "--out", str(out), "--force")
    assert r.exit_code == 2 and "notes.txt" in r.output
    assert (out / "notes.txt").read_text("utf-8") == "mine"
    parent = tmp_path / "parent"
    parent.mkdir()
    (parent / "thesis.docx").write_bytes(b"x")
    r = cli("export", str(run), "--format", "parquet", "--out", str(parent), "--force")
    assert r.exit_code == 2 and (parent / "thesis.docx").exists()


@pytest.mark.parametrize("kind", ["device", "file"])
def test_export_to_a_device_or_a_file_is_one_line(tmp_path: Path, kind: str) -> None:
    # A device of our own (a copy of /dev/null's numbers in tmp_path), never the machine's: a
    # regression here once replaced /dev/null itself with a folder and broke every shell.
    if kind == "device":
        out = tmp_path / "null"
        try:
            os.mknod(out, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device needs root")
    else:
        out = Path("/proc/version")
    run = make_run(tmp_path / "run")
    r = cli("export", str(run), "--format", "parquet", "--out", str(out), "--force")
    assert r.exit_code == 2 and r.output.startswith("error:") and len(r.output.splitlines()) == 1


# --- one validator for a run's records ---

BAD_LINES = [
    b'{"id": "\xe9"}',  # not UTF-8
    b"[" * 100_000 + b"]" * 100_000,  # deeper than the parser's recursion
    json.dumps({**record().to_dict(), "mt": {"eng_Latn": 5}}).encode(),
    json.dumps({**record().to_dict(), "flags": ["figure_missing"]}).encode(),
    json.dumps({**record().to_dict(), "flags": [{"code": 1, "target": "eng_Latn"}]}).encode(),
    json.dumps({**record().to_dict(), "para": "1"}).encode(),
    json.dumps({**record().to_dict(), "para": 2**40}).encode(),
    json.dumps({**record().to_dict(), "figures": {"src": [{"start": 0}]}}).encode(),
    json.dumps(record().to_dict()).replace('"para": 0', '"para": ' + "9" * 5000).encode(),
    b"42",
    json.dumps(record().to_dict()).replace('"Hello."', '"Hel\\ud800lo."').encode(),  # a lone surrogate
]


@pytest.mark.parametrize("line", BAD_LINES, ids=range(len(BAD_LINES)))
def test_a_damaged_record_is_one_message(line: bytes) -> None:
    with pytest.raises(RecordError):
        parse_record(line)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)
    )
)
def test_any_json_value_in_any_field_is_a_record_or_a_record_error(value) -> None:
    for key in ("id", "para", "mt", "flags", "figures", "scores", "translate", "src_end"):
        data = {**record().to_dict(), key: value}
        try:
            rec = parse_record(json.dumps(data))
        except RecordError:
            continue
        # What passes is what the toolkit's writers and readers can use.
        rec.flags_list()
        for k in rec.figures:
            rec.figures_of(k)
        assert all(isinstance(v, str) for v in rec.mt.values())


def test_export_and_rank_over_a_damaged_run_keep_the_good_lines(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run", n=3)
    with (run / "bitext.jsonl").open("ab") as fh:
        for line in BAD_LINES:
            fh.write(line + b"\n")
    errors: list[str] = []
    assert len(list(iter_records(run, errors))) == 3 and len(errors) == len(BAD_LINES)
    r = cli("export", str(run), "--format", "parquet", "--out", str(tmp_path / "out"))
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "out" / "bitext.parquet").num_rows == 3
    r = cli("rank", str(run))
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output


@pytest.mark.parametrize(
    "info", [b"\xff\xfe", b"[" * 100_000, b'{"format": ' + b"9" * 5000 + b"}", b'{"targets": ["x\x1b]0;t\x07"]}']
)
def test_a_damaged_run_json_is_one_line(tmp_path: Path, info: bytes) -> None:
    run = make_run(tmp_path / "run")
    (run / "run.json").write_bytes(info)
    for args in (("export", str(run), "--out", str(tmp_path / "o")), ("rank", str(run))):
        r = cli(*args)
        assert r.exit_code == 2 and r.output.startswith("error:"), r.output
        assert "\x1b" not in r.output


# --- the glossary reads back what it writes ---

from toolkit.checks.glossary import Glossary, GlossaryEntry, GlossaryError, parse_glossary  # noqa: E402
from toolkit.checks.terms import term_flags  # noqa: E402

CODES = ["eng_Latn", "vie_Latn", "ind_Latn", "tha_Thai", "por_Latn"]
# Any text a name may hold: the characters the format uses (| # tab, line breaks,
# U+2028, backslashes, escapes spelt out) and every other printable one.
cell = st.text(
    alphabet=st.sampled_from(list("|#\t\n\r\\u2028\u2029\x0b\x0c\x85 ut0aB"))
    | st.characters(exclude_categories=["Cs"]),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            cell,
            st.sampled_from(CODES),
            st.lists(cell, min_size=1, max_size=3, unique=True),
            st.sampled_from([None, *CODES]),
        ),
        max_size=6,
    )
)
def test_every_glossary_written_reads_back_to_the_same_entries(items) -> None:
    entries = {(t, tgt, src): GlossaryEntry(t, tgt, tuple(forms), src) for t, tgt, forms, src in items}
    g = Glossary(entries=list(entries.values()))
    back = parse_glossary(g.to_tsv())
    key = lambda e: (e.term, e.target, e.src_lang or "")  # noqa: E731
    assert sorted(back.entries, key=key) == sorted(g.entries, key=key)
    if g.entries:
        assert back.problems == []


def test_a_glossary_with_an_unknown_language_is_refused_on_write() -> None:
    with pytest.raises(GlossaryError):
        Glossary(entries=[GlossaryEntry("A", "xx_Evil", ("A",))]).to_tsv()


def test_line_numbers_count_lf_only() -> None:
    g = parse_glossary("A\u2028B\teng_Latn\tX\nbad line\n")
    assert g.entries[0].term == "A\u2028B" and g.problems[0].startswith("<glossary>:2:")


def test_glossary_cli_escapes_names_and_leaves_out_unknown_languages(tmp_path: Path) -> None:
    names = ["A|B Corp", "#BangkitBersama", "Nui\nThanh", "Tab\tName", "Line\u2028Sep"]
    tasks = []
    for i, name in enumerate(names + ["Evil"]):
        text = f"Kata {name} di sini."
        tgt = "xx_Evil" if name == "Evil" else "eng_Latn"
        tasks.append(
            {
                "id": i + 1,
                "data": {"src": text, "src_lang": "ind_Latn", f"mt_{tgt}": f"Word {name} here.", "key": f"r{i}"},
                "annotations": [
                    {
                        "id": i + 1,
                        "completed_by": 1,
                        "result": [
                            {
                                "from_name": "label_src",
                                "to_name": "src",
                                "type": "labels",
                                "value": {"start": 5, "end": 5 + len(name), "text": name, "labels": ["ORG"]},
                            },
                            {
                                "from_name": f"rating_{tgt}",
                                "to_name": f"mt_{tgt}",
                                "type": "choices",
                                "value": {"choices": ["good"]},
                            },
                        ],
                    }
                ],
            }
        )
    export = tmp_path / "labels.json"
    export.write_text(json.dumps(tasks), "utf-8")
    out = tmp_path / "g.tsv"
    r = cli("glossary", str(export), "--out", str(out))
    assert "Traceback" not in r.output, r.output
    from toolkit.checks.glossary import read_glossary

    g = read_glossary(out)
    assert g.problems == []
    assert sorted(e.term for e in g.entries) == sorted(names)
    assert {e.target for e in g.entries} == {"eng_Latn"}
    assert r.exit_code in (0, 1) and ("xx_Evil" in r.output) == (r.exit_code == 1)


def test_a_glossary_of_2000_terms_stays_linear() -> None:
    import time

    entries = [GlossaryEntry(f"Istilah{i} Khusus", "eng_Latn", (f"Term{i} Special", f"T{i}")) for i in range(2000)]
    g = Glossary(entries=entries)
    src = "Istilah7 Khusus dan Istilah1999 Khusus dibahas di Jakarta pada hari Senin oleh para pejabat."
    mt = "Term7 Special and something else were discussed in Jakarta on Monday by officials."
    t0 = time.perf_counter()
    for _ in range(10):
        flags = term_flags(src, mt, "ind_Latn", "eng_Latn", g)
    assert time.perf_counter() - t0 < 2.0  # was ~3 s per sentence: 2,000 regexes compiled per call
    assert [f.detail for f in flags] == ["'Istilah1999 Khusus' should be translated as 'Term1999 Special | T1999'"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet="aAıIİißsSkK\u212a é-", min_size=1, max_size=5).filter(str.strip), min_size=1, max_size=4
    ),
    st.text(alphabet="aAıIİißsSkK\u212a é-", max_size=20),
    st.text(alphabet="aAıIİißsSkK\u212a é-", max_size=20),
)
def test_the_fast_term_check_finds_what_the_plain_one_finds(terms, src, mt) -> None:
    from toolkit.checks.text import contains_exact

    g = Glossary(entries=[GlossaryEntry(t, "eng_Latn", (t[::-1],)) for t in dict.fromkeys(terms)])
    want = [
        e.term
        for e in g.entries
        if mt.strip() and contains_exact(e.term, src) and not any(contains_exact(f, mt) for f in e.forms)
    ]
    got = [f.detail for f in term_flags(src, mt, "ind_Latn", "eng_Latn", g)]
    assert len(got) == len(want) and all(d.startswith(repr(t)) for d, t in zip(got, want, strict=True))


# --- one run over inputs that used to end it or overwrite each other ---

PT = "O presidente visitou a cidade ontem. A população recebeu-o com alegria."


def nasty_tables(root: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets import Dataset

    root.mkdir()
    (root / "a.html").write_text(f"<html><body><p>{PT}</p></body></html>", "utf-8")
    (root / "a.html.txt").write_text(PT + " Fim.\n", "utf-8")
    Dataset.from_dict({"text": [PT]}).save_to_disk(str(root / "eng_Latn"))  # a table named like the target
    lines = [
        json.dumps({"id": "no-text"}),  # first row without the text field
        json.dumps({"id": "ok1", "text": PT}),
        '{"id": "sur", "text": "Ol\\ud800a"}',  # a lone surrogate
        "LATIN1",  # a line with one Latin-1 byte, put in below
        "[" * 100_000 + "]" * 100_000,
        '{"id": ' + "9" * 5000 + ', "text": "Ola."}',
        json.dumps({"id": "ok3", "text": PT + " Bom."}),
    ]
    data = (
        "\n".join(lines).encode("utf-8").replace(b"LATIN1", '{"id": "l1", "text": "Popula\xe7ao."}'.encode("latin-1"))
    )
    (root / "rows.jsonl").write_bytes(data + b"\n")
    csv_text = (
        "id,text,text_eng_Latn\n"
        f"c1,{PT},Human reference\n"
        f"c2,{PT} Dois.,Another reference,extra cell,more\n"
        f'c3,"{PT} never closed,x\nc4,{PT} Quatro.,r4\nc5,{PT} Cinco.,r5\n'
    )
    (root / "ref.csv").write_text(csv_text, "utf-8")
    (root / "latin.csv").write_bytes(
        f"id,text\nl1,{PT}\nl2,Ol\xe1 mundo.\n".encode("latin-1").replace(PT.encode("latin-1"), PT.encode())
    )
    cat = pa.table({"text": pa.array([PT, PT + " Seis."]).dictionary_encode(), "n": [1, 2]})
    pq.write_table(cat, root / "cat.parquet")
    Dataset.from_dict({"text": [PT]}).save_to_disk(str(root / "broken_ds"))
    (root / "broken_ds" / "state.json").write_text("[]", "utf-8")


@pytest.fixture(scope="module")
def nasty_run(tiny_model, tmp_path_factory):
    from helpers import cli as run_cli

    root = tmp_path_factory.mktemp("nasty")
    nasty_tables(root / "in")
    run = root / "run"
    p = run_cli(
        "translate",
        str(root / "in"),
        "--out",
        str(run),
        "--to",
        "eng_Latn",
        "--from",
        "por_Latn",
        "--model",
        str(tiny_model),
        "-q",
    )
    return root / "in", run, p


def test_the_run_ends_with_its_outputs_and_one_skip_per_bad_row(nasty_run) -> None:
    _, run, p = nasty_run
    assert p.returncode == 1, p.stderr[-3000:]
    assert "Traceback" not in p.stderr
    assert (run / "run.json").is_file() and (run / "bitext.jsonl").is_file()
    skipped = {(s["path"], s.get("line")) for s in json.loads((run / "run.json").read_text("utf-8"))["skipped"]}
    assert {("rows.jsonl", n) for n in (1, 3, 4, 5, 6)} <= skipped, skipped
    docs = {json.loads(x)["doc"] for x in (run / "bitext.jsonl").read_text("utf-8").splitlines()}
    assert {"rows.jsonl#ok1", "rows.jsonl#ok3", "ref.csv#c1", "ref.csv#c4", "ref.csv#c5", "latin.csv#l1"} <= docs
    assert {"cat.parquet#0", "cat.parquet#1", "a.html", "a.html.txt", "eng_Latn#0"} <= docs
    assert any(path == "broken_ds" for path, _ in skipped)


def test_outputs_sharing_a_name_are_both_kept(nasty_run) -> None:
    _, run, _ = nasty_run
    out = run / "translations" / "eng_Latn"
    assert out.is_dir()  # not replaced by the table named eng_Latn
    txts = sorted(p.name for p in out.glob("a.html*.txt"))
    assert len(txts) == 2 and "a.html.txt" in txts, txts
    texts = {(out / t).read_text("utf-8").strip() for t in txts}
    assert len(texts) == 2  # each document its own translation
    tables = [p for p in (run / "translations").iterdir() if p.name.startswith("eng_Latn~")]
    assert len(tables) == 1 and (tables[0] / "state.json").is_file()


def test_a_tables_own_columns_and_cells_are_kept(nasty_run) -> None:
    import csv as csvmod

    _, run, _ = nasty_run
    with (run / "translations" / "ref.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csvmod.reader(fh))
    assert rows[0] == ["id", "text", "text_eng_Latn", "text_eng_Latn_mt"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["c1"][2] == "Human reference" and by_id["c1"][3]
    assert by_id["c2"][2:] == ["Another reference", by_id["c2"][3], "extra cell", "more"] and by_id["c2"][3]
    assert by_id["c4"][3] and by_id["c5"][3]  # the rows an open quote swallowed are read and written
    latin = (run / "translations" / "latin.csv").read_bytes()
    assert "Ol\xe1 mundo.".encode("latin-1") in latin  # the row it could not read goes back as it came


def test_a_segmenter_error_is_the_documents_last_piece() -> None:
    from toolkit.records import Document
    from toolkit.translate.plan import pieces

    got = list(pieces(Document("a.txt", "Hello there. Yes."), "zho_Hans"))  # no segmenter for it
    assert len(got) == 1 and got[0].last and isinstance(got[0].error, ValueError)


def test_a_table_that_cannot_be_written_costs_that_table_only(tmp_path: Path) -> None:
    from toolkit.io.formats import TranslatedWriter
    from toolkit.io.read import iter_documents
    from toolkit.records import Document
    from toolkit.run import RunPaths

    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.jsonl", "b.jsonl"):
        (src / name).write_text(json.dumps({"id": 1, "text": PT + name}) + "\n", "utf-8")
    docs = [d for d in iter_documents(src) if isinstance(d, Document)]
    paths = RunPaths(tmp_path / "run")
    with TranslatedWriter(paths, TARGETS) as writer:
        for d in docs:
            writer.add(d, [])
        (src / "a.jsonl").unlink()  # gone before the tables are written back
    assert [s.path for s in writer.skips] == ["a.jsonl"]
    assert (paths.root / "translations" / "b.jsonl").is_file()


# --- a database URL's password, in whatever form, is refused and never printed ---

from toolkit.studio import database as dbs  # noqa: E402

# "Zq9" first: a password must not be a word of the message itself ("databa" is in "--database")
pw = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="@/?#[]%:,"), min_size=3, max_size=9
).map(lambda x: "Zq9" + x)


@settings(max_examples=300, deadline=None)
@given(
    pw,
    st.sampled_from(
        [
            "postgresql://ls:{pw}@db.example.org/labels",
            "postgresql:/ls:{pw}@db.example.org/labels",
            "postgresql:ls:{pw}@db.example.org/labels",
            "postgres:ls:{pw}@h/labels",
            "POSTGRESQL://ls:{pw}@h:5432/labels",
            "postgresql://ls:{pw}@[::1]:5432/labels",
            "postgresql://ls:{pw}@/labels",
            "postgresql://ls@h/labels?password={pw}",
            "postgresql://ls:{pw}",
            "postgresql://ls:@x:{pw}@h/labels",
            "host=h user=ls password={pw} dbname=labels",
            "postgresql:///labels?user=ls&password={pw}",
            " postgresql://ls:{pw}@h/labels ",
        ]
    ),
)
def test_a_password_in_any_url_form_is_refused_and_not_echoed(secret: str, form: str) -> None:
    url = form.format(pw=secret)
    with pytest.raises(dbs.DatabaseError) as e:
        dbs.parse_url(url)
    assert secret not in str(e.value)


def test_urls_without_a_password_still_parse() -> None:
    assert dbs.parse_url("postgresql://ls@[::1]:6000/labels").port == 6000
    assert dbs.parse_url("postgresql://ls%3Ax@h/labels").user == "ls:x"  # %3A is part of the name, not a separator
    for bad in ("postgresql://ls@h:99999/labels", "postgresql://ls@a,b/labels", "postgresql://ls@h:x/db"):
        with pytest.raises(dbs.DatabaseError):
            dbs.parse_url(bad)


# --- escapes and odd values in annotators' exports ---


@settings(max_examples=300, deadline=None)
@given(st.text(), st.booleans())
def test_a_bio_cell_is_one_cell_on_one_line(text: str, strict: bool) -> None:
    import unicodedata

    from toolkit.studio.pull import bio_cell

    cell = bio_cell(text, strict=strict)
    assert "\t" not in cell and "\n" not in cell and "\r" not in cell and " " not in cell
    assert all(unicodedata.category(c) not in ("Cc", "Zl", "Zp", "Zs") for c in cell)
    if strict:
        assert all(unicodedata.category(c) not in ("Cf", "Co", "Cn", "Cs") for c in cell)
    if text.isalnum():
        assert cell == text  # letters of every script stay as they are


def export_with(tmp_path: Path, emails: tuple[str, str], uid: object = 1) -> Path:
    src, eng = "Le Van Sinh visited Hanoi.", "Le Van Sinh went to Hanoi."

    def span(text, part, label, field="src"):
        s = text.index(part)
        return {
            "from_name": f"{field}_labels",
            "to_name": field,
            "type": "labels",
            "value": {"start": s, "end": s + len(part), "text": part, "labels": [label]},
        }

    data = {
        "key": "a.txt#p0s0|h",
        "record_id": "a.txt#p0s0\x1b[2J",
        "doc": "a.txt",
        "src_lang": "ind_Latn",
        "src": src,
        "mt_eng_Latn": eng,
        "langs": {"src": "ind_Latn", "mt_eng_Latn": "eng_Latn"},
    }
    anns = [
        {
            "id": 1,
            "completed_by": {"id": uid, "email": emails[0]},
            "result": [span(src, "Hanoi", "LOC")],
            "created_at": "2025-01-01T10:00:00Z",
        },
        {
            "id": 2,
            "completed_by": {"id": 2, "email": emails[1]},
            "result": [span(src, "Le Van", "PER")],
            "created_at": "2025-01-02T10:00:00Z",
        },
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"id": 1, "data": data, "annotations": anns}]), "utf-8")
    return path


def test_agreement_and_train_print_emails_and_ids_escaped(tmp_path: Path) -> None:
    export = export_with(tmp_path, ("a\x1b]0;pwned\x07@x.org", "b\u202e@x.org"))
    for args in (("agreement", str(export)), ("agreement", str(export), "--json")):
        r = cli(*args)
        assert r.exit_code == 0, r.output
        shown_out = r.stdout + r.output
        assert "\x1b" not in shown_out and "\u202e" not in shown_out and "\x07" not in shown_out
    data = json.loads(cli("agreement", str(export), "--json").stdout)
    assert "b\u202e@x.org" in json.dumps(data, ensure_ascii=False)  # the JSON still says the same


@pytest.mark.parametrize("who", ["²", "٣", "9" * 5000])
def test_resolve_by_an_odd_annotator_id_is_no_crash(tmp_path: Path, who: str) -> None:
    from toolkit.studio.export import read_export

    export = export_with(tmp_path, ("a@x.org", "b@x.org"), uid=who)
    records, _ = read_export(export)
    assert records
    r = cli("train", str(export), "--out", str(tmp_path / "m"), "--resolve", f"annotator:{who}", "--labels", "PER,LOC")
    assert "Traceback" not in r.output and "invalid literal" not in r.output, r.output[-2000:]


def test_an_export_with_a_5000_digit_integer_is_one_line(tmp_path: Path) -> None:
    from toolkit.studio.export import ExportError, read_export
    from toolkit.studio.export_stream import StreamError, iter_tasks

    path = tmp_path / "e.json"
    path.write_text('[{"id": ' + "7" * 5000 + ', "data": {"text": "x"}}]', "utf-8")
    with pytest.raises(ExportError):
        read_export(path)
    with pytest.raises(StreamError):
        list(iter_tasks(path))
    r = cli("agreement", str(path))
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output


# --- `toolkit studio`: every file of the data folder read back as untrusted input ---

from toolkit.studio import server  # noqa: E402

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["pid", "port", "url", "database", None]),
    json_values,
)
def test_a_damaged_server_json_is_one_error_or_a_valid_state(tmp_path: Path, key, value) -> None:
    d = tmp_path / "data"
    d.mkdir(exist_ok=True)
    good = {"pid": 4242, "port": 8080, "url": "http://127.0.0.1:8080", "database": "sqlite"}
    doc = value if key is None else {**good, key: value}
    (d / server.STATE_FILE).write_text(json.dumps(doc), "utf-8")
    try:
        st_ = server.status(d)
    except server.ServerError as e:
        assert str(d / server.STATE_FILE) in str(e)
        return
    assert st_["running"] in (True, False)


@pytest.mark.parametrize(
    "state",
    [
        '{"pid": Infinity, "port": 8080, "url": "http://127.0.0.1:8080"}',
        "[1, 2]",
        '{"pid": 1e400}',
        "\xff",
        "[" * 100_000,
    ],
)
def test_studio_status_and_stop_on_a_damaged_state_are_one_line(tmp_path: Path, state: str) -> None:
    (tmp_path / server.STATE_FILE).write_bytes(state.encode("utf-8", "surrogateescape") if state != "\xff" else b"\xff")
    for cmd in ("status", "stop"):
        r = cli("studio", cmd, "--data-dir", str(tmp_path))
        assert r.exit_code == 2 and r.output.startswith("error:") and "Traceback" not in r.output, r.output


@pytest.mark.parametrize(
    "marker",
    [
        '{"engine": "postgresql", "name": "ls", "user": "u", "host": "h", "port": Infinity}',
        '{"engine": "postgresql", "name": "ls", "user": "u", "host": "h", "port": 1e400}',
        '{"engine": "postgresql", "name": ["ls"], "user": "u", "host": "h", "port": 5432}',
        '{"engine": "mysql", "name": "ls", "user": "u", "host": "h", "port": 5432}',
        '{"engine": "postgresql", "name": "ls", "user": "u", "host": "h", "port": ' + "9" * 5000 + "}",
        "[]",
    ],
)
def test_a_damaged_database_json_is_a_database_error(tmp_path: Path, marker: str) -> None:
    (tmp_path / dbs.MARKER_FILE).write_text(marker, "utf-8")
    with pytest.raises(dbs.DatabaseError):
        dbs.recorded(tmp_path)


@pytest.mark.parametrize("creds", ["[]", '{"url": "x"}', '{"token": 5}', '{"token": "t", "password": []}'])
def test_damaged_credentials_are_a_server_error(tmp_path: Path, creds: str) -> None:
    (tmp_path / server.CREDENTIALS_FILE).write_text(creds, "utf-8")
    with pytest.raises(server.ServerError):
        server.read_credentials(tmp_path)


# --- --cluster: one line, in seconds ---


@pytest.mark.parametrize("address", ["127.0.0.1:1", "127.0.0.1:99999", "nohost", "[::1]:x"])
def test_cluster_address_errors_are_one_line_and_fast(tmp_path: Path, address: str) -> None:
    import time

    from toolkit.translate.cluster import ClusterError, check_address

    t0 = time.monotonic()
    with pytest.raises(ClusterError) as e:
        check_address(address, timeout=2.0)
    assert time.monotonic() - t0 < 10 and "\n" not in str(e.value)


def test_translate_on_a_closed_cluster_port_fails_fast(tmp_path: Path, tiny_model) -> None:
    import time

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Komite Partai Distrik Nui Thanh mengadakan 127 konferensi dialog.\n", "utf-8")
    t0 = time.monotonic()
    r = cli(
        "translate",
        str(src),
        "--out",
        str(tmp_path / "run"),
        "--to",
        "eng_Latn",
        "--from",
        "ind_Latn",
        "--model",
        str(tiny_model),
        "--cluster",
        "127.0.0.1:1",
        "-q",
    )
    assert time.monotonic() - t0 < 60
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output[-2000:]
    assert [x for x in r.output.splitlines() if x.startswith("error:")]


# --- agreement's tally: linear in the spans ---

span_keys = st.sets(
    st.tuples(
        st.sampled_from(["src", "mt"]), st.integers(0, 30), st.integers(1, 12), st.sampled_from(["PER", "LOC"])
    ).map(lambda t: (t[0], t[1], t[1] + t[2], t[3])),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(span_keys, span_keys)
def test_the_overlap_count_is_the_pairwise_one(a, b) -> None:
    from toolkit.studio.agreement import Tally

    t = Tally()
    t.add(a, b)

    def over(x, y):
        return x[0] == y[0] and x[3] == y[3] and x[1] < y[2] and y[1] < x[2]

    assert t.a_overlapping == sum(any(over(x, y) for y in b) for x in a)
    assert t.b_overlapping == sum(any(over(y, x) for x in a) for y in b)


def test_agreement_over_a_task_with_many_spans_and_labels_is_fast(tmp_path: Path) -> None:
    import time

    from toolkit.studio.agreement import agreement

    n = 12000
    src = " ".join(f"w{i}" for i in range(n))
    starts = [src.index(f"w{i} ") if i < n - 1 else src.rindex(f"w{i}") for i in range(n)]

    def spans(shift: int) -> list[dict]:
        return [
            {
                "from_name": "src_labels",
                "to_name": "src",
                "type": "labels",
                "value": {"start": s, "end": s + len(f"w{i}"), "text": f"w{i}", "labels": [f"L{(i + shift) % 500}"]},
            }
            for i, s in enumerate(starts)
        ]

    data = {
        "key": "k",
        "record_id": "a.txt#p0s0",
        "doc": "a.txt",
        "src_lang": "ind_Latn",
        "src": src,
        "langs": {"src": "ind_Latn"},
    }
    anns = [
        {"id": 1, "completed_by": {"id": 1, "email": "a@x"}, "result": spans(0), "created_at": "2025-01-01T00:00:00Z"},
        {"id": 2, "completed_by": {"id": 2, "email": "b@x"}, "result": spans(1), "created_at": "2025-01-01T00:00:00Z"},
    ]
    labels = [f"L{i}" for i in range(500)]
    t0 = time.perf_counter()
    result = agreement([[{"id": 1, "data": data, "annotations": anns}]], labels)
    # was labels x spans and spans x spans: 18 s for 6,000 spans, four times that for these
    assert time.perf_counter() - t0 < 15
    assert result.tasks_compared == 1 and result.overall["f1"] == 0.0


# --- tables: one bad row costs one row, read and written back ---


def _write_back(folder: Path, run: Path):
    from toolkit.io.formats import TranslatedWriter
    from toolkit.io.read import iter_documents
    from toolkit.records import Document, Skip

    items = list(iter_documents(folder))
    docs = [i for i in items if isinstance(i, Document)]
    skips = [i for i in items if isinstance(i, Skip)]
    with TranslatedWriter(__import__("toolkit.run", fromlist=["RunPaths"]).RunPaths(run), TARGETS) as writer:
        for d in docs:
            writer.add(d, [])
    return docs, skips, writer.skips


def test_parquet_odd_columns_and_rows(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "in"
    src.mkdir()
    buf = pa.py_buffer(b"okbad\xfffine")
    offsets = pa.py_buffer(pa.array([0, 2, 6, 10], pa.int32()).buffers()[1])
    bad_utf8 = pa.StringArray.from_buffers(3, offsets, buf)
    pq.write_table(pa.table({"id": [1, 2, 3], "text": bad_utf8}), src / "utf8.parquet")
    pq.write_table(pa.table({"text": pa.array(["Ola.", "Bom dia.", "Ola."]).dictionary_encode()}), src / "cat.parquet")
    dup = pa.Table.from_arrays(
        [pa.array(["Ola.", "Dia."]), pa.array([1, 2]), pa.array([3, 4])], names=["text", "n", "n"]
    )
    pq.write_table(dup, src / "dup.parquet")
    dup_text = pa.Table.from_arrays([pa.array(["a"]), pa.array(["b"])], names=["text", "text"])
    pq.write_table(dup_text, src / "duptext.parquet")
    docs, skips, unwritten = _write_back(src, tmp_path / "run")
    got = sorted(d.path for d in docs)
    assert got == [
        "cat.parquet#0",
        "cat.parquet#1",
        "cat.parquet#2",
        "dup.parquet#0",
        "dup.parquet#1",
        "utf8.parquet#1",
        "utf8.parquet#3",
    ], got
    reasons = {s.path: s.reason for s in skips}
    assert "more than once" in reasons["duptext.parquet"] and "row 1" in reasons["utf8.parquet"]
    assert unwritten == []
    out = pq.read_table(tmp_path / "run" / "translations" / "cat.parquet")
    assert out.column_names == ["text", "text_eng_Latn"]


@pytest.mark.parametrize(
    "damage",
    [
        ("state.json", "[]"),
        ("state.json", '{"_data_files": 5}'),
        ("dataset_info.json", "[]"),
        ("dataset_info.json", '{"features": 7}'),
    ],
)
def test_a_damaged_dataset_folder_is_one_skip(tmp_path: Path, damage) -> None:
    from datasets import Dataset

    src = tmp_path / "in"
    src.mkdir()
    Dataset.from_dict({"text": ["Ola."]}).save_to_disk(str(src / "ds"))
    (src / "ds" / damage[0]).write_text(damage[1], "utf-8")
    (src / "ok.txt").write_text("Ola mundo.\n", "utf-8")
    docs, skips, _ = _write_back(src, tmp_path / "run")
    assert [d.path for d in docs] == ["ok.txt"] and [s.path for s in skips] == ["ds"]


def test_a_csv_field_over_the_limit_costs_its_row(tmp_path: Path) -> None:
    import toolkit.io.formats.rows as rows_mod

    src = tmp_path / "in"
    src.mkdir()
    big = "x" * (1024 * 1024 + 10)
    (src / "t.csv").write_text(f"id,text\na,Ola.\nb,{big}\nc,Bom dia.\n", "utf-8")
    limit = rows_mod._CSV_FIELD_LIMIT
    rows_mod._CSV_FIELD_LIMIT = 1024 * 1024  # the 50 MiB limit, scaled down for the test
    try:
        docs, skips, unwritten = _write_back(src, tmp_path / "run")
    finally:
        rows_mod._CSV_FIELD_LIMIT = limit
    assert [d.path for d in docs] == ["t.csv#a", "t.csv#c"]
    assert len(skips) == 1 and "field larger" in skips[0].reason
    assert unwritten == []


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["a", "a.txt", "a.html", "a.html.txt", "eng_Latn", "b"]), min_size=1, max_size=3),
            st.sampled_from(["x", "y", "z", "a.txt", "w (row 1 of t.csv)"]),
        ),
        max_size=12,
    )
)
def test_claimed_output_paths_never_collide(claims_asked) -> None:
    from toolkit.io.claims import OutputClaims

    root = Path("/run/translations")
    reserved = root / "eng_Latn"
    claims = OutputClaims([reserved])
    got: dict[Path, str] = {}
    for parts, who in claims_asked:
        path = claims.claim(root.joinpath(*parts), who)
        assert got.get(path, who) == who  # a path is one owner's
        got[path] = who
    for p, who in got.items():
        assert p != reserved
        assert not any(q in p.parents for q in got if got[q] != who)  # no file of one is a folder of another's


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_an_unclosed_csv_quote_costs_one_row(tmp_path: Path, eol: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    body = [
        "id,text",
        'a,"A quoted field',
        'with a second paragraph, and a comma"',
        'b,"He said ""yes"", then left."',
        'c,"never closed',
        "d,Fourth row.",
        'e,"Quoted, fine."',
        "f,Sixth row.",
    ]
    (src / "t.csv").write_bytes(eol.join(body).encode() + eol.encode())
    docs, skips, unwritten = _write_back(src, tmp_path / "run")
    assert [d.path for d in docs] == ["t.csv#a", "t.csv#b", "t.csv#d", "t.csv#e", "t.csv#f"]
    assert docs[0].text == "A quoted field\nwith a second paragraph, and a comma"
    assert [s.reason.split(":")[0] for s in skips] == ["row 2"] and "never closed" in skips[0].reason
    assert unwritten == []
    import csv as csvmod

    with (tmp_path / "run" / "translations" / "t.csv").open(encoding="utf-8", newline="") as fh:
        ids = [r[0] for r in csvmod.reader(fh)]
    assert ids == ["id", "a", "b", "c", "d", "e", "f"]


def test_rank_prints_file_names_and_ids_escaped(tmp_path: Path) -> None:
    doc = "a\x1b]0;pwned\x07\u202etxt.txt"
    run = write_run(tmp_path / "run", [record(i, id=f"{doc}#p{i}s0", doc=doc) for i in range(2)], TARGETS)
    for args in (("rank", str(run)), ("rank", str(run), "--json")):
        r = cli(*args)
        assert r.exit_code == 0, r.output
        out = r.stdout + r.output
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    first = json.loads(cli("rank", str(run), "--json").stdout.splitlines()[0])
    assert first["record_id"].startswith(doc)  # the JSON reads back to the same id
