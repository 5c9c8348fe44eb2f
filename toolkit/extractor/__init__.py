"""The custom extractor: learns PER/ORG/LOC from Label Studio labels.

``load_extractor(path)`` reads a trained model folder; ``train_extractor``
(in ``toolkit.extractor.train``) trains one from labelled records.
"""

from toolkit.extractor.base import Extractor, ExtractorError, load_extractor

__all__ = ["Extractor", "ExtractorError", "load_extractor"]
