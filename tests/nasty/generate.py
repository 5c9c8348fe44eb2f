"""The nasty inputs git cannot (or should not) hold, made at test time.

``tests/nasty/articles`` holds the small ones (empty, binary, UTF-16,
Latin-1, CRLF, emoji/zero-width/RTL, an unsupported language, a duplicate,
undecodable bytes); ``make_generated(folder)`` adds:

- ``long_line_1mb.txt``: one line of 1 MiB of Indonesian words, no
  punctuation (a 1000-character block repeated, so that the segmenter's cuts
  fall on identical pieces and the translation stays cheap enough for CI);
- ``thai_paragraph_5000.txt``: one Thai paragraph of 5,000 characters;
- file names with spaces, quotes, shell syntax and non-ASCII letters;
- ``unreadable.txt`` (mode 000; readable anyway when the tests run as root);
- ``io_error.txt``: a symlink to ``/proc/self/mem``, whose read fails with
  EIO even for root (Linux only);
- ``loop/``: a folder holding a symlink to itself (a symlink loop);
- ``broken_link.txt``: a symlink to nothing;
- ``fifo.txt``: a named pipe (opening it would block forever);
- issue 16: ``outside_link.txt`` (a symlink to a seed article outside the
  folder: not followed without ``--follow-symlinks``; ``io_error.txt`` is
  one too), ``stray_nul.txt`` (UTF-8 with one NUL byte: not UTF-16),
  ``almost_utf8.txt`` (Portuguese UTF-8 with one bad byte: not cp1252
  mojibake), ``old-run/`` (a run folder inside the input: not read) and
  ``esc\x1b[31m_name.txt`` (an escape sequence in an empty file's name:
  shown escaped).

``EXPECTED`` says what the toolkit must do with each file: translate it, or
skip it with a message holding the given words.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
EXPORTS = HERE / "exports"
SEEDS = HERE.parents[1] / "seeds"

GOOD_ID = (
    "Komite Partai Distrik Nui Thanh mengadakan 127 konferensi dialog dengan rakyat. "
    "Ketua Komite berkata bahwa 95 persen aspirasi telah diselesaikan.\n"
)
# Names that break naive shell quoting or path handling; the text inside is a good article.
ODD_NAMES = (
    "name with spaces.txt",
    "quotes 'single' and \"double\".txt",
    "$(touch PWNED) `touch PWNED2`; rm -rf x | y.txt",
    "Tiếng Việt ñandú ø ไทย.txt",
    "-starts-with-dash.txt",
)

ESCAPE_NAME = "esc\x1b[31m_name.txt"
PORTUGUESE = (
    "Em 2024, a administração do município de São João alcançou 127 resultados extraordinários na educação "
    "e na saúde pública, segundo o relatório.\n"
)

# file -> None (translated) or words the skip message must hold
EXPECTED: dict[str, str | None] = {
    "empty.txt": "empty file",
    "only_whitespace_and_zero_width.txt": "empty file (only whitespace)",
    "binary.txt": "binary file",
    "utf16_bom.txt": None,
    "utf16_be_no_bom.txt": None,
    "latin1.txt": None,
    "crlf.txt": None,
    "crlf_duplicate.txt": "duplicate of crlf.txt",
    "emoji_zero_width_rtl.txt": None,
    "german_unsupported.txt": "pass --from CODE",
    "undecodable.txt": "re-save it as UTF-8",
    "long_line_1mb.txt": None,
    "thai_paragraph_5000.txt": None,
    "io_error.txt": "symbolic link to outside the input folder",  # followed: EIO (tests/test_read.py)
    "outside_link.txt": "symbolic link to outside the input folder — not followed",
    "stray_nul.txt": None,
    "almost_utf8.txt": None,
    "old-run": "a run folder (run.json and bitext.jsonl)",
    ESCAPE_NAME: "empty file",
    "broken_link.txt": "broken symbolic link",
    "fifo.txt": "not a regular file",
    "loop/self": "symlink loop",
    **dict.fromkeys(ODD_NAMES),
}


def long_line(size: int = 1 << 20) -> str:
    words = [
        "komite",
        "distrik",
        "nui",
        "thanh",
        "mengadakan",
        "konferensi",
        "dengan",
        "ribuan",
        "anggota",
        "partai",
        "di",
        "provinsi",
        "quang",
        "nam",
    ]
    block = ""
    for w in itertools.cycle(words):
        if len(block) + len(w) + 1 > 1000:
            break
        block += w + " "
    block = block.ljust(1000)
    return (block * (size // 1000 + 1))[:size].rstrip() + "\n"


def thai_paragraph(size: int = 5000) -> str:
    """Thai seed text with its line breaks removed, cut to ``size`` characters at a space."""
    text = " ".join(
        line.strip()
        for name in ("003_16970dbbe9772abc.txt", "004_4794c9dcba31779d.txt")
        for line in (SEEDS / name).read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("http")
    )
    while len(text) < size:
        text += " " + text
    cut = text.rfind(" ", 0, size)
    return text[:cut] + "\n"


def make_generated(folder: Path) -> dict[str, str | None]:
    """Copy the committed nasty articles into ``folder`` and add the generated ones.

    Returns ``EXPECTED`` restricted to what could be made on this system.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for p in ARTICLES.iterdir():
        shutil.copy(p, folder / p.name)
    (folder / "long_line_1mb.txt").write_text(long_line(), "utf-8")
    (folder / "thai_paragraph_5000.txt").write_text(thai_paragraph(), "utf-8")
    for i, name in enumerate(ODD_NAMES):
        # different numbers: otherwise the copies would be skipped as duplicates
        (folder / name).write_text(GOOD_ID.replace("127", str(200 + i)), "utf-8")
    expected = {k: v for k, v in EXPECTED.items() if k != "unreadable.txt"}

    unreadable = folder / "unreadable.txt"
    unreadable.write_text(GOOD_ID.replace("127", "300"), "utf-8")
    unreadable.chmod(0)
    # root reads a mode-000 file; everyone else is refused
    expected["unreadable.txt"] = None if os.access(unreadable, os.R_OK) else "permission denied"

    if Path("/proc/self/mem").exists():
        os.symlink("/proc/self/mem", folder / "io_error.txt")
    else:
        expected.pop("io_error.txt")
    os.symlink(folder / "no-such-target.txt", folder / "broken_link.txt")
    os.symlink(SEEDS / "000_4c948b14667160bd.txt", folder / "outside_link.txt")
    (folder / "stray_nul.txt").write_bytes(GOOD_ID.replace("127", "400").encode() + b"\x00\n")
    (folder / "almost_utf8.txt").write_bytes(PORTUGUESE.encode() + b"\xff" + PORTUGUESE.replace("127", "9").encode())
    (folder / ESCAPE_NAME).write_text("")
    old_run = folder / "old-run"
    (old_run / "translations" / "eng_Latn").mkdir(parents=True)
    (old_run / "translations" / "eng_Latn" / "a.txt").write_text("An old translation.\n")
    (old_run / "bitext.jsonl").write_text("")
    (old_run / "run.json").write_text("{}")
    os.mkfifo(folder / "fifo.txt")
    (folder / "loop").mkdir()
    os.symlink("..", folder / "loop" / "self")  # loop/self -> the input folder itself
    return expected


def restore(folder: Path) -> None:
    """Make the folder removable again (pytest's tmp cleanup)."""
    p = folder / "unreadable.txt"
    if p.exists():
        p.chmod(0o644)
