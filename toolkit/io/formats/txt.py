"""Plain text (``.txt``): decoding the bytes, and the text is the document.

A ``.txt`` document's ``text`` is the file's text exactly (BOM removed,
line ends kept), so its records index the input file itself and nothing is
written to ``sources/``; its translation is the pipeline's
``translations/<target>/<doc>.txt``. The other text-based readers (HTML,
Markdown) decode with ``decode_bytes`` too.

Decoding policy, in this order:

1. A byte order mark decides: UTF-8-sig, UTF-32 LE/BE, UTF-16 LE/BE. The BOM
   is removed from ``Document.text``.
2. NUL bytes that sit (almost) only at odd or only at even positions are
   UTF-16 without a BOM (LE or BE). Thai in UTF-16 has few NULs (only its
   spaces and digits are ASCII), so the pattern, not the count, decides.
3. Any other NUL byte: a binary file.
4. Strict UTF-8.
5. Legacy 8-bit encodings, only where they are unambiguous for the
   languages we read: Windows-874/TIS-620 when the bytes decode to mostly
   Thai letters; Windows-1252 (a superset of Latin-1's printable range,
   which Indonesian, Portuguese and Norwegian files saved "as ANSI" use)
   when the result looks like text and ``charset-normalizer`` also finds a
   coherent single-byte reading. We do not take charset-normalizer's code
   page itself: on short Western texts it often answers cp1250 or
   ISO-8859-10, which turns "ç"/"å" into "č"/"ĺ". The encoding used is kept
   in ``Document.encoding`` so the run summary can warn about it.
6. Otherwise: skipped with "re-save it as UTF-8".

Line ends are NOT normalised: offsets downstream index ``Document.text``,
which must be the file's text (CRLF kept).
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata

from toolkit.records import Document, Skip

# Above this share of control characters (other than tab/CR/LF/FF/VT) a
# decoded file is binary data that happened to decode.
_MAX_CONTROL_SHARE = 0.01


def read(data: bytes, rel: str) -> Document | Skip:
    """A ``.txt`` file's bytes as a Document (``lang=None``), or why not."""
    decoded = decode_bytes(data)
    if isinstance(decoded, str):
        return Skip(rel, decoded)
    text, encoding = decoded
    if is_blank(text):
        return Skip(rel, "empty file (only whitespace)")
    return Document(path=rel, text=text, lang=None, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())


def is_blank(text: str) -> bool:
    return not text.strip() or all(_is_ignorable(ch) for ch in text)


def _is_ignorable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Cf"


_BOMS = (
    # UTF-32 before UTF-16: the UTF-32 LE BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CANNOT_DECODE = "cannot decode as UTF-8/UTF-16 — re-save it as UTF-8"
_BINARY_NUL = "binary file (NUL bytes) — not a text article"
_BINARY_CTRL = "binary file (control characters) — not a text article"


def decode_bytes(data: bytes) -> tuple[str, str] | str:
    """Decode a file's bytes: ``(text, encoding)``, or a skip reason (str).

    The returned text has no BOM; nothing else is changed.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                return f"starts with a {encoding} byte order mark but is not valid {encoding} (byte {exc.start + len(bom)}) — re-save it as UTF-8"
            name = "utf-8-sig" if encoding == "utf-8-sig" else encoding
            return _check_text(text, name)
    if b"\x00" in data:
        utf16 = _sniff_utf16(data)
        if utf16:
            try:
                return _check_text(data.decode(utf16), utf16)
            except UnicodeDecodeError:
                pass
        return _BINARY_NUL
    try:
        return _check_text(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    legacy = _decode_legacy(data)
    if legacy is not None:
        return _check_text(*legacy)
    return _CANNOT_DECODE


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NULs only at odd (LE) or only at even (BE) positions."""
    sample = data[: 1 << 16]
    if len(sample) % 2:
        sample = sample[:-1]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd and even <= odd * 0.02:
        return "utf-16-le"
    if even and odd <= even * 0.02:
        return "utf-16-be"
    return None


def _decode_legacy(data: bytes) -> tuple[str, str] | None:
    if not any(b >= 0x80 for b in data):
        return None  # pure ASCII would have decoded as UTF-8
    try:
        thai = data.decode("cp874")
    except UnicodeDecodeError:
        thai = ""
    if thai:
        letters = [ch for ch in thai if ch.isalpha()]
        if letters and sum("\u0e00" <= ch <= "\u0e7f" for ch in letters) >= 0.5 * len(letters):
            return thai, "cp874"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [ch for ch in text if ord(ch) >= 0x80]
    # Western text: accented letters dominate the non-ASCII characters;
    # binary garbage gives a mix of symbols, box drawing, C1 punctuation.
    if sum(ch.isalpha() for ch in high) < 0.6 * len(high):
        return None
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data).best()
    except Exception:  # a heuristic, never a reason to fail a file
        best = None
    if best is None or best.chaos > 0.2:
        return None
    return text, "cp1252"


def _check_text(text: str, encoding: str) -> tuple[str, str] | str:
    if text:
        controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0b\x0c")
        if controls > _MAX_CONTROL_SHARE * len(text):
            return _BINARY_CTRL if "\x00" not in text else _BINARY_NUL
    return text, encoding
