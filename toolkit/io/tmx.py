"""TMX 1.4 writing, streamed, for translators' tools (one file per language pair).

We leave out ``creationdate`` on purpose: the file must be byte-identical
when a killed run is resumed, and the run's own date is in ``run.json``.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import TracebackType
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from toolkit import __version__
from toolkit.io.atomic import atomic_open
from toolkit.languages import NLLB_TO_ISO


def tmx_lang(code: str) -> str:
    """TMX wants RFC 3066 language tags: "ind_Latn" -> "id"."""
    return NLLB_TO_ISO.get(code, code.split("_")[0])


# Every character XML 1.0 forbids (section 2.2): C0 controls other than tab,
# LF and CR, lone surrogates, U+FFFE and U+FFFF. One of them from a bad input
# file or a file name would make the whole TMX unreadable.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (escaping them is not allowed either)."""
    return _FORBIDDEN.sub("", text)


class TmxWriter:
    """Writes ``<tu>`` units one at a time into an atomically replaced file."""

    def __init__(self, path: Path, src_lang: str, tgt_lang: str) -> None:
        self.path = path
        self.src = tmx_lang(src_lang)
        self.tgt = tmx_lang(tgt_lang)
        self.count = 0
        self._ctx = atomic_open(path, "w")
        self._fh: IO[str] | None = None

    def __enter__(self) -> TmxWriter:
        self._fh = self._ctx.__enter__()
        self._fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        self._fh.write(
            f'  <header creationtool="toolkit" creationtoolversion={quoteattr(__version__)} '
            f'segtype="sentence" o-tmf="toolkit-bitext" adminlang="en" srclang={quoteattr(self.src)} '
            'datatype="plaintext"/>\n  <body>\n'
        )
        return self

    def add(self, tuid: str, doc: str, src: str, tgt: str) -> None:
        assert self._fh is not None
        self._fh.write(
            f"    <tu tuid={quoteattr(xml_safe(tuid))}>\n"
            f'      <prop type="x-doc">{escape(xml_safe(doc))}</prop>\n'
            f"      <tuv xml:lang={quoteattr(self.src)}><seg>{escape(xml_safe(src))}</seg></tuv>\n"
            f"      <tuv xml:lang={quoteattr(self.tgt)}><seg>{escape(xml_safe(tgt))}</seg></tuv>\n"
            "    </tu>\n"
        )
        self.count += 1

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None and self._fh is not None:
            self._fh.write("  </body>\n</tmx>\n")
        self._ctx.__exit__(exc_type, exc, tb)
