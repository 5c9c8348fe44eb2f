"""The typed records that flow between the toolkit's stages.

Every stage reads and writes these, one JSON object per line, so that a run
can be streamed, resumed and inspected with ordinary tools. This module
imports nothing of the toolkit's: it is the contract between the rooms.

Offsets are always Python ``str`` offsets (code points), end exclusive, into
the text named by the record. Where Label Studio's browser needs UTF-16
offsets, ``toolkit.studio`` converts at its border.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypeVar

T = TypeVar("T", bound="Record")


class Record:
    """JSON (de)serialisation shared by all records.

    ``from_json`` ignores keys it does not know, so that a newer writer's
    extra fields do not break an older reader.
    """

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_json(cls: type[T], line: str) -> T:
        return cls.from_dict(json.loads(line))


@dataclass
class Document(Record):
    """One input file, decoded.

    ``path`` is relative to the input folder, with forward slashes, and is
    the document's identity everywhere downstream.
    """

    path: str
    text: str
    lang: str | None = None  # NLLB code, e.g. "ind_Latn"; None until detected
    encoding: str = "utf-8"  # what the bytes were decoded from
    sha256: str = ""  # of the raw bytes, for provenance and de-duplication
    # What ``toolkit.io.formats`` needs to write the translation back in the
    # input's form: the reader's format ("txt", "html", "md", "docx", "rows"),
    # metadata (title, author, date, url; a row's other columns live in the file),
    # the paragraphs of ``text`` with their markup (``{"start", "end", "kind", ...}``)
    # and the file the document came from (a .docx or a table is rebuilt from it).
    format: str = "txt"
    meta: dict[str, Any] = field(default_factory=dict)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    origin: str = ""


@dataclass
class Sentence(Record):
    """A sentence (or a non-body line) of a document, with its place.

    ``document.text[start:end] == text`` always holds. ``para`` counts
    paragraphs (blocks separated by line breaks) from 0; ``idx`` counts
    sentences within the paragraph from 0.
    """

    doc: str
    para: int
    idx: int
    start: int
    end: int
    text: str
    is_body: bool = True
    reason: str | None = None  # why it is not body ("source_line", "url", ...)

    @property
    def id(self) -> str:
        return sentence_id(self.doc, self.para, self.idx)


def sentence_id(doc: str, para: int, idx: int) -> str:
    """The stable id of a sentence: document, paragraph and sentence index."""
    return f"{doc}#p{para}s{idx}"


@dataclass
class Figure(Record):
    """A number found in a text, with its normalised value.

    ``kind`` is one of COUNT, MONEY, PERCENT, RATIO, SCORE, DATE, YEAR,
    ORDINAL, QUANTITY, OTHER. ``value`` is an int or float for single
    values, an ISO string for dates, ``{"num", "den"}`` for ratios and
    ``{"low", "high"}`` (either may be missing for one-sided bounds) for
    ranges. ``unit`` holds the currency, the physical unit or the counted
    noun. ``era`` is set for years and dates written in another era ("BE"
    for the Thai Buddhist era); ``value`` is then already Gregorian.
    """

    start: int
    end: int
    text: str
    kind: str
    value: Any
    unit: str | None = None
    era: str | None = None


@dataclass
class Flag(Record):
    """A doubt about one translation, raised by ``toolkit.checks``.

    ``code``: figure_missing, figure_added, figure_changed, repetition,
    truncated, wrong_language, length_ratio, empty, url_missing, bracket_mismatch,
    untranslated, name_missing, term_missing, low_confidence, round_trip_low
    (``toolkit.checks.FLAG_CODES``).
    """

    code: str
    target: str  # NLLB code of the translation the flag is about
    detail: str = ""


@dataclass
class BitextRecord(Record):
    """One source sentence with its translations: a line of ``bitext.jsonl``.

    ``figures`` maps "src" and each target code to the figures found in
    that text; ``flags`` lists the checks that failed. Non-body lines are
    kept with ``translate=False`` and an empty ``mt``, so that the record
    stream covers the whole document.
    """

    id: str
    doc: str
    para: int
    idx: int
    src_lang: str
    src: str
    src_start: int
    src_end: int
    translate: bool = True
    skip_reason: str | None = None
    mt: dict[str, str] = field(default_factory=dict)
    figures: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    flags: list[dict[str, Any]] = field(default_factory=list)
    # The model's confidence per target: the mean log-probability per token of
    # ``mt[target]`` (``Hypothesis.score``); None where the engine gave none.
    scores: dict[str, float | None] = field(default_factory=dict)
    # Translations replaced by a re-decoded hypothesis that passed the checks
    # (``toolkit.checks.repair``): target -> {"from", "why", "score", "hypotheses"}.
    repairs: dict[str, dict[str, Any]] = field(default_factory=dict)
    # chrF (0-100) of each translation's back-translation against the source (--round-trip).
    round_trip: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of_sentence(cls, s: Sentence, src_lang: str) -> BitextRecord:
        """The record of a sentence before translation: its place, text and whether it is body."""
        return cls(
            id=s.id,
            doc=s.doc,
            para=s.para,
            idx=s.idx,
            src_lang=src_lang,
            src=s.text,
            src_start=s.start,
            src_end=s.end,
            translate=s.is_body,
            skip_reason=s.reason,
        )

    def figures_of(self, key: str) -> list[Figure]:
        return [Figure.from_dict(f) for f in self.figures.get(key, [])]

    def flags_list(self) -> list[Flag]:
        return [Flag.from_dict(f) for f in self.flags]


@dataclass
class Hypothesis(Record):
    """One decoded translation with the model's confidence in it.

    ``score`` is the mean log-probability per target token (the tokens of
    the text and its ``</s>``; the forced language code is not counted), so
    it is comparable across lengths: 0 is certain, -1 is a mean token
    probability of 0.37. None: the engine does not report scores.
    ``tokens`` is how many tokens the mean is over (to combine pieces).
    """

    text: str
    score: float | None = None
    tokens: int = 0


@dataclass
class Span(Record):
    """A labelled character span of a text (PER, ORG, LOC or a figure kind)."""

    start: int
    end: int
    label: str
    text: str
    score: float | None = None


@dataclass
class AnnotatedText(Record):
    """One text of a Label Studio task with its human labels.

    A task holds the source and each translation; each becomes one
    ``AnnotatedText``. ``field_name`` is "src" or the target's NLLB code;
    ``doc`` groups texts of the same article (for document-level splits).
    """

    text: str
    lang: str  # NLLB code
    spans: list[Span] = field(default_factory=list)
    field_name: str = "src"
    doc: str = ""
    record_id: str = ""
    task_id: int | None = None
    rating: str | None = None  # quality rating of a translation
    correction: str | None = None  # corrected translation, if any
    # Which annotation of the task the labels come from (several annotators may label one task):
    # who (Label Studio's ``completed_by``: user id, email when the export has it), when, and
    # whether a reviewer accepted it (None: the export has no review fields).
    task_key: str = ""  # the task's ``data.key`` (record id and hash of its texts), "" for other projects
    annotation_id: int | str | None = None
    annotator: str = ""  # email, else "user <id>", else "" (the export does not say)
    annotator_id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    accepted: bool | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnnotatedText:
        data = dict(data)
        data["spans"] = [s if isinstance(s, Span) else Span.from_dict(s) for s in data.get("spans", [])]
        return super().from_dict(data)


FIGURE_KINDS = (
    "COUNT",
    "MONEY",
    "PERCENT",
    "RATIO",
    "SCORE",
    "DATE",
    "YEAR",
    "ORDINAL",
    "QUANTITY",
    "OTHER",
)
ENTITY_LABELS = ("PER", "ORG", "LOC")
ALL_LABELS = ENTITY_LABELS + FIGURE_KINDS


@dataclass
class Skip(Record):
    """Something the toolkit could not use, and why: a file, a line, a task.

    Collected into a run's summary and ``run.json`` so that the user sees
    every skipped input with a reason and what to do about it.
    """

    path: str
    reason: str
    line: int | None = None
