"""What a run did, as the pipeline tallies it: counts, skips, encodings, timing.

``RunSummary`` is what ``translate_folder`` returns and what ``run.json``'s
counts, skips and timing are made from (``toolkit.run.RunInfo``);
``RunError`` is a problem with the run as a whole.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from toolkit.display import counted
from toolkit.errors import ToolkitError
from toolkit.records import BitextRecord, Document, Skip


class RunError(ToolkitError):
    """A problem with the run as a whole (nothing was translated): bad input
    folder, unwritable output. The CLI prints it as one line, exit code 2."""


@dataclass
class RunSummary:
    documents: int = 0
    documents_translated: int = 0
    sentences: int = 0
    body_sentences: int = 0
    skipped_lines: int = 0
    translations: int = 0
    cache_hits: int = 0
    flagged_records: int = 0
    repaired: int = 0  # unique (sentence, target) translations replaced by a repair
    skips: list[Skip] = field(default_factory=list)
    languages: dict[str, int] = field(default_factory=dict)  # src_lang -> documents
    encodings: dict[str, int] = field(default_factory=dict)  # what the bytes were decoded from -> documents
    not_utf8: dict[str, str] = field(default_factory=dict)  # document -> its encoding, where not plain UTF-8
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.skips

    @property
    def sentences_per_s(self) -> float:
        return self.body_sentences / self.seconds if self.seconds > 0 else 0.0

    def add_document(self, lang: str, tally: DocumentTally, n_targets: int) -> None:
        self.documents_translated += 1
        self.languages[lang] = self.languages.get(lang, 0) + 1
        self.sentences += tally.records
        self.body_sentences += tally.body
        self.skipped_lines += tally.records - tally.body
        self.translations += tally.body * n_targets
        self.flagged_records += tally.flagged

    def add_encoding(self, doc: Document) -> None:
        self.encodings[doc.encoding] = self.encodings.get(doc.encoding, 0) + 1
        if doc.encoding not in ("utf-8", "utf-8-sig"):
            self.not_utf8[doc.path] = doc.encoding

    def encoding_report(self) -> dict[str, Any]:
        """run.json's ``encodings``: documents per encoding, and those that were not UTF-8 by name."""
        return {"counts": dict(sorted(self.encodings.items())), "not_utf8": dict(self.not_utf8)}

    def counts(self) -> dict[str, int]:
        return {
            "documents": self.documents,
            "documents_translated": self.documents_translated,
            "sentences": self.sentences,
            "body_sentences": self.body_sentences,
            "skipped_lines": self.skipped_lines,
            "translations": self.translations,
            "cache_hits": self.cache_hits,
            "flagged_records": self.flagged_records,
            "repaired": self.repaired,
        }

    def timing(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "sentences_per_s": round(self.sentences_per_s, 3),
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }

    def describe(self, n_targets: int) -> str:
        """The one-line account a person reads at the end of a run."""
        langs = ", ".join(f"{k}: {v}" for k, v in sorted(self.languages.items()))
        return (
            f"{self.documents_translated:,}/{counted(self.documents, 'document')} ({langs}); "
            f"{counted(self.body_sentences, 'sentence')} translated into {counted(n_targets, 'language')}, "
            f"{counted(self.skipped_lines, 'non-body line')} kept untranslated; "
            f"{counted(self.cache_hits, 'translation')} from the cache; {counted(self.flagged_records, 'record')} "
            f"flagged; {self.sentences_per_s:.2f} sentences/s"
        )


@dataclass
class DocumentTally:
    """What a document adds to the run's counts, summed over its pieces."""

    records: int = 0
    body: int = 0
    flagged: int = 0

    def add(self, records: list[BitextRecord]) -> None:
        self.records += len(records)
        self.body += sum(r.translate for r in records)
        self.flagged += sum(1 for r in records if r.flags)
