"""Helpers for the format tests: records for a document as the pipeline would make them."""

from __future__ import annotations

from collections.abc import Callable

from toolkit.records import BitextRecord, Document
from toolkit.segment import segment_document


def records_for(doc: Document, lang: str, translate: Callable[[str], str], target: str = "eng_Latn"):
    """The document's sentences as BitextRecords, each body sentence "translated" by ``translate``."""
    out = []
    for s in segment_document(doc, lang):
        mt = {target: translate(s.text)} if s.is_body else {}
        rec = BitextRecord.of_sentence(s, lang)
        rec.mt = mt
        out.append(rec)
    return out
