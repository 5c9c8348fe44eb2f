"""A record's document context, held once per document and built on demand.

The evaluation gives each text "the other texts of its document" as context
(``Extractor.predict``). Built for every record up front, those strings
grow with the square of a document: a document of n texts makes n strings of
nearly its whole length (issue 16: 71,000 tasks over 7 documents passed 16
GB). Here each document's texts are kept once, by reference, and a record's
context string is joined only when asked for, so at most one lives at a time
while a caller walks the records: memory is linear in the export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import overload

from toolkit.records import AnnotatedText


class DocumentContexts(Sequence[str]):
    """``contexts[i]``: the texts of record i's document other than its own, joined by newlines."""

    def __init__(self, records: Sequence[AnnotatedText]) -> None:
        by_doc: dict[str, list[str]] = defaultdict(list)
        self._where: list[tuple[list[str], int]] = []  # per record: its document's texts, its own index there
        for r in records:
            texts = by_doc[r.doc]
            self._where.append((texts, len(texts)))
            texts.append(r.text)

    def __len__(self) -> int:
        return len(self._where)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        texts, own = self._where[i]
        return "\n".join(t for j, t in enumerate(texts) if j != own)

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self)):
            yield self[i]


class PredictItems(Sequence[tuple[str, str, str | None]]):
    """``(text, lang, context)`` per record for ``Extractor.predict_many``, each built when read."""

    def __init__(self, records: Sequence[AnnotatedText], contexts: Sequence[str]) -> None:
        if len(records) != len(contexts):
            raise ValueError(f"{len(records)} records but {len(contexts)} contexts")
        self._records = records
        self._contexts = contexts

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, i: int) -> tuple[str, str, str | None]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[str, str, str | None]]: ...
    def __getitem__(self, i: int | slice) -> tuple[str, str, str | None] | list[tuple[str, str, str | None]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        r = self._records[i]
        return (r.text, r.lang, self._contexts[i])

    def __iter__(self) -> Iterator[tuple[str, str, str | None]]:
        for i in range(len(self)):
            yield self[i]
