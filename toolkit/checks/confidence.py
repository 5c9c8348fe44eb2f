"""``low_confidence`` and ``round_trip_low``: what the model itself says about a translation.

The confidence is the mean log-probability per token of the translation
(``Hypothesis.score``, the same for both engines): sequence log-probability
is the strongest of the detectors that need no other model in Guerreiro et
al. (2023, "Looking for a needle in a haystack", EACL), which found it to
separate hallucinations from other translations better than the attention
heuristics before it. It says the model was unsure, not that the
translation is wrong; like every flag here it routes a human's attention.

The round trip translates the translation back into the source language
and scores it against the source with chrF (sacrebleu): a translation that
lost or invented content rarely comes back close to its source.
"""

from __future__ import annotations

import math

from toolkit.records import Flag

#: Default ``--min-confidence``: a mean log-probability per token of -1.0 is
#: a geometric-mean token probability of 0.37. Chosen, not calibrated: the
#: corpus has no published distribution for NLLB-200, and the tiny test model
#: says nothing about the real weights. The reasoning: a model sure of a
#: fluent translation gives most tokens a probability well above one half
#: (a mean log-probability above about -0.7), and degenerate output
#: (hallucinations, copied input, loops) sits in a long tail far below.
#: -1.0 aims at that tail; calibrate it on a reviewed sample of real runs
#: (the annotators' ratings against ``BitextRecord.scores``).
DEFAULT_MIN_CONFIDENCE = -1.0

#: Default threshold of ``round_trip_low`` in chrF (0-100). Also a choice, not
#: a calibration: paraphrase in two steps costs chrF even for a good
#: translation (a back-translation rarely scores above 60-70), while one that
#: dropped or invented a clause falls far lower.
DEFAULT_MIN_ROUND_TRIP = 35.0


def confidence_flags(score: float | None, target: str, threshold: float = DEFAULT_MIN_CONFIDENCE) -> list[Flag]:
    """``low_confidence`` when ``score`` (mean log-probability per token) is below ``threshold``.

    No score (an engine that reports none, an old cache entry, an empty
    source) raises nothing: an unknown is not a doubt.
    """
    if score is None or not math.isfinite(threshold):
        return []
    if score < threshold:
        return [
            Flag(
                "low_confidence",
                target,
                f"mean token log-probability {score:.2f} is below {threshold:.2f} "
                f"(mean token probability {math.exp(score):.2f})",
            )
        ]
    return []


def chrf(hypothesis: str, reference: str) -> float:
    """Sentence chrF (0-100) of ``hypothesis`` against ``reference`` (sacrebleu's defaults)."""
    from sacrebleu.metrics import CHRF

    return float(CHRF().sentence_score(hypothesis, [reference]).score)


def round_trip_flags(score: float | None, target: str, threshold: float = DEFAULT_MIN_ROUND_TRIP) -> list[Flag]:
    """``round_trip_low`` when the back-translation's chrF against the source is below ``threshold``."""
    if score is None or score >= threshold:
        return []
    return [Flag("round_trip_low", target, f"back-translation chrF {score:.1f} is below {threshold:.1f}")]
