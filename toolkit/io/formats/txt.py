"""Plain text (``.txt``): decoding the bytes, and the text is the document.

A ``.txt`` document's ``text`` is the file's text exactly (BOM removed,
line ends kept), so its records index the input file itself and nothing is
written to ``sources/``; its translation is the pipeline's
``translations/<target>/<doc>.txt``. The other text-based readers (HTML,
Markdown) decode with ``decode_bytes`` too.

Decoding policy, in this order; nothing leaves UTF-8 without evidence (issue 16):

1. A byte order mark decides: UTF-8-sig, UTF-32 LE/BE, UTF-16 LE/BE. The BOM
   is removed from ``Document.text``.
2. UTF-16 without a BOM only on a strong pattern: NULs on at least 5% of the
   high (odd for LE, even for BE) bytes and almost none on the others, the
   high bytes taking few values (0x00, 0x0E for Thai, ...), and the result
   reading as text (no unassigned, private or control characters). One stray
   NUL in UTF-8 text is not UTF-16.
3. Strict UTF-8.
4. Legacy 8-bit encodings, only when fewer than 90% of the bytes above ASCII
   sit in valid UTF-8 sequences (so almost-UTF-8 never becomes cp1252
   mojibake), and only where they are unambiguous for the languages we read:
   Windows-874/TIS-620 when the bytes decode to mostly Thai letters;
   Windows-1252 when the result looks like text and ``charset-normalizer``
   also finds a coherent single-byte reading (we do not take its code page
   itself: on short Western texts it often answers cp1250 or ISO-8859-10).
5. Almost UTF-8 (a stray NUL, one broken sequence; at most 1% bad bytes):
   decoded with U+FFFD for each bad byte, and ``Document.encoding`` is
   ``REPLACED``; the run lists the file in ``run.json`` (``encodings``) and
   the CLI warns about it. We keep the document rather than skip it because
   one bad byte in a long article should not cost the article, and the
   replacement is visible (not silent mojibake).
6. Otherwise: a binary file (NUL bytes), or skipped with "re-save it as UTF-8".

The encoding used is kept in ``Document.encoding``.

Line ends are NOT normalised: offsets downstream index ``Document.text``,
which must be the file's text (CRLF kept).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata

from toolkit.languages import is_thai_char
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

    The returned text has no BOM; nothing else is changed, except that the
    bytes of an almost-UTF-8 file that are not UTF-8 (NULs included) become
    U+FFFD, one character each, and ``encoding`` is then ``REPLACED``.
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
        utf16 = _decode_utf16(data)
        if utf16 is not None:
            return utf16
    else:
        try:
            return _check_text(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
        if not _mostly_utf8(data):
            # Few of the bytes above ASCII form UTF-8 sequences: a legacy code page, if the result reads as text.
            legacy = _decode_legacy(data)
            if legacy is not None:
                return _check_text(*legacy)
    return _decode_almost_utf8(data)


#: The encoding recorded for a file decoded as UTF-8 with its few bad bytes replaced by U+FFFD.
REPLACED = "utf-8 (bad bytes replaced)"

# One valid UTF-8 sequence of two to four bytes (no overlongs, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# At least this share of the bytes above ASCII inside valid UTF-8 sequences is
# evidence of UTF-8 with a few damaged bytes. A legacy code page gives far
# less: its letters pair up as UTF-8 only by chance (cp874 Thai: about half).
_UTF8_EVIDENCE = 0.9
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _mostly_utf8(data: bytes) -> bool:
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    covered = sum(len(m) for m in _UTF8_MULTIBYTE.findall(data))
    return high > 0 and covered >= _UTF8_EVIDENCE * high


# Above this share of bad bytes a file is not "almost UTF-8" but something else.
_MAX_BAD_SHARE = 0.01


def _decode_almost_utf8(data: bytes) -> tuple[str, str] | str:
    """UTF-8 with a few bad bytes (a stray NUL, one broken sequence): decoded with U+FFFD for each.

    The run records the encoding as ``REPLACED`` and names the file, so
    nothing is translated as mojibake without a word. More bad bytes than
    ``_MAX_BAD_SHARE`` is not a damaged UTF-8 file: a skip.
    """
    text = data.decode("utf-8", "replace").replace("\x00", "\ufffd")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad > max(1, _MAX_BAD_SHARE * len(data)):
        return _BINARY_NUL if b"\x00" in data else _CANNOT_DECODE
    return _check_text(text, REPLACED)


def _decode_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM, only on evidence: a strong NUL pattern on alternate bytes, and text that reads as text.

    In real UTF-16 the high bytes take very few values (0x00 for ASCII,
    0x0E for Thai, 0x1E/0x01 for Vietnamese letters), and for Latin text
    every other byte is NUL; UTF-8 text with a stray NUL has neither.
    """
    sample = data[: 1 << 16]
    if len(sample) % 2:
        sample = sample[:-1]
    units = len(sample) // 2
    even, odd = sample[0::2], sample[1::2]
    for high, low, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        nul_high = high.count(0)
        if nul_high < max(2, 0.05 * units) or low.count(0) > nul_high * 0.02:
            continue
        common = sorted((high.count(b) for b in set(high)), reverse=True)[:3]
        if sum(common) < 0.9 * units:
            continue
        try:
            decoded = _check_text(data[: len(data) - len(data) % 2].decode(name), name)
        except UnicodeDecodeError:
            continue
        if not isinstance(decoded, str) and _reads_as_text(decoded[0]):
            return decoded
    return None


def _reads_as_text(text: str) -> bool:
    """Mostly letters, marks, digits, spaces and punctuation; no unassigned or private code points."""
    if not text:
        return False
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Cn", "Co", "Cs", "Cc") and ch not in "\t\n\r")
    return odd <= _MAX_CONTROL_SHARE * len(text)


def _decode_legacy(data: bytes) -> tuple[str, str] | None:
    if not any(b >= 0x80 for b in data):
        return None  # pure ASCII would have decoded as UTF-8
    try:
        thai = data.decode("cp874")
    except UnicodeDecodeError:
        thai = ""
    if thai:
        letters = [ch for ch in thai if ch.isalpha()]
        if letters and sum(is_thai_char(ch) for ch in letters) >= 0.5 * len(letters):
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
