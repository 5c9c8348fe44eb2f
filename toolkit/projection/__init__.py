"""Projection: the labelled spans of one text placed on its translation.

>>> from toolkit.projection import project_spans
>>> src = "Bapak Le Van Sinh - Ketua Komite Rakyat Distrik Nui Thanh (451 ha)"
>>> tgt = "Mr. Lê Văn Sinh, Chairman of the Nui Thanh District People's Committee (451 ha)"
>>> [(tgt[a:b], label) for a, b, label in project_spans(src, tgt, [(6, 17, "PER"), (26, 57, "ORG"), (59, 65, "QUANTITY")], "id", "en")]
[('Lê Văn Sinh', 'PER'), ("Nui Thanh District People's Committee", 'ORG'), ('451 ha', 'QUANTITY')]

Used for pre-annotation (source predictions carried onto each translation)
and on pull (source labels filling translations that carry none). Modules:
``text`` (folding with offsets), ``lexicon`` (titles, designators, heads of
bodies per language), ``romanise`` (Thai <-> Latin by sound), ``figures``,
``names``, ``engine`` (EasyProject markers), ``project`` (the order and the
ambiguity rule).
"""

from toolkit.projection.project import Projection, ProjectionResult, project_spans, project_spans_detailed

__all__ = ["Projection", "ProjectionResult", "project_spans", "project_spans_detailed"]
