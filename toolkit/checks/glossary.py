"""Glossaries: the allowed translations of terms, and the names that must stay as they are.

File format (UTF-8 text, a BOM is tolerated), one entry per line, columns
separated by tabs::

    # source term   target language   allowed target forms   [source language]
    Nui Thanh       vie_Latn          Núi Thành|Nui Thanh
    Nui Thanh       eng_Latn          Nui Thanh
    Komite Rakyat   eng_Latn          People's Committee     ind_Latn

- the target language is an NLLB or ISO 639-1 code the toolkit knows
  (``toolkit.languages``);
- the forms are separated by ``|``; a do-not-translate term has itself as
  its form (``GlossaryEntry.keep``);
- the fourth column is optional: a source language, for a term that only
  means this in one language ("Komite Rakyat" is Indonesian); left out, the
  entry applies to any source (names: "Nui Thanh" is written so in all four);
- ``#`` starts a comment line; blank lines are skipped; a first line whose
  first cell is "source"/"term" is a header. Entries repeated for the same
  term, target and source language have their forms merged;
- lines end at LF (CRLF too); other line separators (U+2028, form feed) are
  characters of a cell. In a cell, ``\\t``, ``\\n``, ``\\r``, ``\\\\`` and
  ``\\uXXXX`` are escapes (any other backslash is itself): ``to_tsv`` writes a
  tab, a line break, a ``|`` inside a form (``\\u007c``), a ``#`` that starts
  a line, the spaces around a term and control characters so, so that every
  glossary it writes reads back to the same entries.

A bad line (wrong number of columns, no term, no forms, an unknown language)
is reported in ``Glossary.problems`` as ``FILE:LINE: why`` and skipped; an
empty glossary gets one problem line too; the rest is used. A file that
cannot be read at all raises ``GlossaryError``.

``Glossary.sha256`` is the provenance: the hash of the file's bytes as read,
or, for a built glossary, of ``to_tsv()``, which is exactly what is written,
so ``sha256sum FILE.tsv`` gives the same value either way.

``build_glossary`` makes one from labels pulled from Label Studio: a PER,
ORG or LOC span of a source whose name the reviewed translation keeps (the
same name, compared folded, in the annotator's correction, or in the
translation rated acceptable) becomes an entry for that target with the
spelling found there: "Nui Thanh" -> vie_Latn "Núi Thành", eng_Latn "Nui Thanh".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.checks.text import bounded, find_folded
from toolkit.errors import ToolkitError
from toolkit.languages import LanguageError, to_nllb
from toolkit.records import ENTITY_LABELS, AnnotatedText

# The ratings of ``toolkit.studio.config.RATINGS`` under which an annotator
# accepted the translation (tests/test_glossary.py keeps the two in step;
# checks/ may not import studio/).
ACCEPTABLE_RATINGS = ("good", "minor errors")
HEADER = "# source term\ttarget language\tallowed target forms (| between)\tsource language (optional)"
_HEADER_CELLS = {"source", "term", "source term", "source_term"}


class GlossaryError(ToolkitError, ValueError):
    """A glossary file that cannot be read at all; the message names the file."""


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    target: str  # NLLB code
    forms: tuple[str, ...]
    src_lang: str | None = None  # NLLB code, None: any source language

    @property
    def keep(self) -> bool:
        """A do-not-translate term: its only form is itself."""
        return self.forms == (self.term,)


@dataclass(frozen=True)
class TermMatcher:
    """An entry with the folded term that must occur in a text before its pattern is tried."""

    entry: GlossaryEntry
    key: str


def loose(text: str) -> str:
    """Case folded loosely enough that a case-insensitive match implies a substring
    of it (``re.IGNORECASE`` also equates the dotless and dotted i)."""
    return unicodedata.normalize("NFC", text).casefold().replace("\u0131", "i").replace("\u0307", "")


@dataclass
class Glossary:
    entries: list[GlossaryEntry] = field(default_factory=list)
    source: str = "<glossary>"  # the file it was read from, for messages
    problems: list[str] = field(default_factory=list)  # one line each: "FILE:LINE: why"
    digest: str = ""  # sha256 of the bytes read; empty: that of to_tsv()
    # (src_lang, target, entries) -> the pair's entries, and the patterns compiled so far: a
    # pattern is compiled once per run and only for a term a text holds (re's own cache of 512
    # is thrashed by a glossary of thousands of terms, and compiling them all takes seconds).
    _pairs: dict[tuple[str, str, int], list[TermMatcher]] = field(default_factory=dict, repr=False, compare=False)
    _patterns: dict[str, re.Pattern[str]] = field(default_factory=dict, repr=False, compare=False)

    def matchers(self, src_lang: str, target: str) -> list[TermMatcher]:
        """``for_pair``'s entries with their folded terms (cached)."""
        key = (src_lang, target, len(self.entries))
        if key not in self._pairs:
            self._pairs[key] = [
                TermMatcher(e, loose(e.term.strip())) for e in self.for_pair(src_lang, target) if e.term.strip()
            ]
        return self._pairs[key]

    def pattern(self, text: str) -> re.Pattern[str]:
        """``toolkit.checks.text.bounded`` of the NFC text, compiled once."""
        if text not in self._patterns:
            self._patterns[text] = bounded(unicodedata.normalize("NFC", text.strip()))
        return self._patterns[text]

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def sha256(self) -> str:
        return self.digest or hashlib.sha256(self.to_tsv().encode("utf-8")).hexdigest()

    def for_pair(self, src_lang: str, target: str) -> list[GlossaryEntry]:
        """The entries that apply to a translation from ``src_lang`` into ``target``."""
        return [e for e in self.entries if e.target == target and e.src_lang in (None, src_lang)]

    def to_tsv(self) -> str:
        """The glossary in its file format, entries sorted: the same glossary, the same bytes.

        Every cell is escaped (module docstring), so that ``parse_glossary``
        reads back exactly these entries. Raises ``GlossaryError`` for an entry
        that no file can hold: a language the toolkit does not know, an empty
        term or form.
        """
        lines = [HEADER]
        for e in sorted(self.entries, key=lambda e: (e.term.lower(), e.term, e.target, e.src_lang or "")):
            for code in (e.target, e.src_lang):
                if code is not None and _known(code) != code:
                    raise GlossaryError(
                        f"{self.source}: language {code!r} of {e.term!r} is not an NLLB code the toolkit knows"
                    )
            if not e.term.strip() or not e.forms or not all(f.strip() for f in e.forms):
                raise GlossaryError(f"{self.source}: an entry without a term or with an empty form ({e.term!r})")
            term = _escape(e.term, first=len(lines) == 1)
            cells = [term, e.target, "|".join(_escape(f) for f in e.forms)] + ([e.src_lang] if e.src_lang else [])
            lines.append("\t".join(cells))
        return "\n".join(lines) + "\n"


def _known(code: str) -> str | None:
    try:
        return to_nllb(code)
    except LanguageError:
        return None


def _u(ch: str) -> str:
    return "".join(f"\\u{b:04x}" for b in _utf16(ch))


def _utf16(ch: str) -> list[int]:
    data = ch.encode("utf-16-be", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


_SIMPLE_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "|": "\\u007c"}


def _escape(cell: str, first: bool = False) -> str:
    """A term or form as a cell ``_unescape`` turns back into it."""
    out = []
    for ch in cell:
        if ch in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            out.append(_u(ch))
        else:
            out.append(ch)
    # What the reader would strip or take for a comment or a header: its first/last character escaped.
    if cell[:1].isspace() or cell[:1] == "#" or (first and cell.strip().lower() in _HEADER_CELLS):
        out[0] = _u(cell[0])
    if len(cell) > 1 and cell[-1:].isspace():
        out[-1] = _u(cell[-1])
    return "".join(out)


_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|([\\tnr]))")
_ESCAPED = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def _unescape(cell: str) -> str:
    if "\\" not in cell:
        return cell
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else _ESCAPED[m.group(2)], cell)
    # a pair of \\u escapes of UTF-16 surrogates is one character beyond the BMP
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _merge(items: Iterable[tuple[str, str, str | None, list[str]]]) -> list[GlossaryEntry]:
    """Entries from (term, target, src_lang, forms), forms merged per key, first seen first."""
    merged: dict[tuple[str, str, str | None], list[str]] = {}
    for term, target, src_lang, forms in items:
        have = merged.setdefault((term, target, src_lang), [])
        have += [f for f in forms if f not in have]
    return [GlossaryEntry(t, tgt, tuple(forms), src) for (t, tgt, src), forms in merged.items()]


def _lang(code: str, what: str) -> str:
    try:
        return to_nllb(code)
    except LanguageError as e:
        raise ValueError(f"{what} {code!r} is not supported ({e})") from None


def _parse_line(cells: list[str]) -> tuple[str, str, str | None, list[str]]:
    """One entry's cells -> (term, target, src_lang, forms); ``ValueError`` says what is wrong."""
    if len(cells) not in (3, 4):
        hint = "; separate the columns with tabs" if len(cells) == 1 else ""
        raise ValueError(
            f"expected 3 or 4 tab-separated columns (source term, target language, forms[, source language]), "
            f"got {len(cells)}{hint}"
        )
    term = _unescape(cells[0].strip())
    if not term.strip():
        raise ValueError("no source term in the first column")
    target = _lang(cells[1].strip(), "target language")
    src_lang = _lang(cells[3].strip(), "source language") if len(cells) == 4 and cells[3].strip() else None
    forms = [_unescape(f.strip()) for f in cells[2].split("|") if f.strip()]
    if not forms:
        raise ValueError(f"no target forms for {term!r}; for a term that stays as it is, write the term itself")
    return term, target, src_lang, forms


def parse_glossary(text: str, source: str = "<glossary>") -> Glossary:
    """A glossary from its text; bad lines go to ``problems``, the rest is kept."""
    items, problems = [], []
    first = True
    # Lines end at LF only: str.splitlines() also splits at U+2028, form feeds, ...,
    # which a cell may hold, and would number every later line wrong.
    for n, raw in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        line = raw.removesuffix("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if first and cells[0].strip().lower() in _HEADER_CELLS:
            first = False
            continue
        first = False
        try:
            items.append(_parse_line(cells))
        except ValueError as e:
            problems.append(f"{source}:{n}: {e}; line skipped")
    entries = _merge(items)
    if not entries:
        problems.append(f"{source}: the glossary has no entries; add lines 'term<TAB>target language<TAB>forms'")
    return Glossary(entries=entries, source=source, problems=problems)


def read_glossary(path: str | Path) -> Glossary:
    """Read a glossary file. Raises ``GlossaryError`` when it cannot be read or is not UTF-8."""
    p = Path(path)
    try:
        data = p.read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise GlossaryError(f"{p}: not UTF-8 text ({e.reason} at byte {e.start}); save it as UTF-8") from None
    except OSError as e:
        raise GlossaryError(f"{p}: cannot be read ({e.strerror or e})") from None
    g = parse_glossary(text, str(p))
    g.digest = hashlib.sha256(data).hexdigest()
    return g


def _reviewed_text(rec: AnnotatedText) -> str | None:
    """What the annotator vouched for: the correction, or the translation rated acceptable."""
    if rec.correction and rec.correction.strip():
        return rec.correction
    return rec.text if rec.rating in ACCEPTABLE_RATINGS else None


def build_glossary(records: Iterable[AnnotatedText]) -> Glossary:
    """Names kept by reviewed translations -> entries with the spelling found there (module docstring)."""
    groups: dict[str, list[AnnotatedText]] = {}
    for rec in records:
        key = rec.record_id or f"{rec.doc}|task {rec.task_id}"
        groups.setdefault(key, []).append(rec)
    seen: Counter[tuple[str, str, str]] = Counter()
    for recs in groups.values():
        sources = [r for r in recs if r.field_name == "src"]
        # Any other text of the task with a rating or a correction is a translation
        # (its field's name is the task layout's business, its ``lang`` the target).
        translations = [r for r in recs if r.field_name != "src"]
        for src in sources:
            names = dict.fromkeys(s.text.strip() for s in src.spans if s.label in ENTITY_LABELS)
            for mt in translations:
                reviewed = _reviewed_text(mt)
                if reviewed is None:
                    continue
                for name in names:
                    where = find_folded(name, reviewed) if len(name) >= 2 else None
                    if where is not None:
                        seen[(name, mt.lang, reviewed[where[0] : where[1]])] += 1
    # The most often confirmed spelling first; ties alphabetically, for stable output.
    ranked = sorted(seen.items(), key=lambda kv: (kv[0][0], kv[0][1], -kv[1], kv[0][2]))
    problems: list[str] = []
    items = []
    for (term, lang, form), _ in ranked:
        target = _known(lang)
        if target is None:  # an export's language is untrusted: it would name a bogus entry
            problems.append(
                f"<labels>: {term!r} kept in a translation into {lang!r}, not a language the toolkit knows; left out"
            )
            continue
        items.append((term, target, None, [form]))
    return Glossary(entries=_merge(items), source="<labels>", problems=problems)
