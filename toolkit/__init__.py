"""Translate news articles with NLLB-200, check the translations, annotate
them in Label Studio and train an extractor on the labels."""

__version__ = "0.1.0"
