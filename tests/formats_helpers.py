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
        out.append(
            BitextRecord(
                id=s.id,
                doc=s.doc,
                para=s.para,
                idx=s.idx,
                src_lang=lang,
                src=s.text,
                src_start=s.start,
                src_end=s.end,
                translate=s.is_body,
                skip_reason=s.reason,
                mt=mt,
            )
        )
    return out
