"""Repair from the n-best list: the logic on a fake engine with fixed n-best
lists, the mechanics on the tiny model."""

from __future__ import annotations

import pytest

from toolkit.checks.repair import choose, passes, repair_translations
from toolkit.records import Flag, Hypothesis
from toolkit.run import Provenance
from toolkit.translate.engine import Engine
from toolkit.translate.quality import pair_check

SRC = "Distrik Nui Thanh menanam 451 ha padi."


class FixedEngine(Engine):
    """An engine whose n-best lists are given: what repair is asked and what it gets back."""

    name = "fixed"

    def __init__(self, nbest: dict[str, list[Hypothesis]], max_source_tokens: int = 100) -> None:
        super().__init__("fixed")
        self.nbest = nbest
        self.max_source_tokens = max_source_tokens
        self.asked: list[str] = []

    def count_tokens(self, texts, src_lang):
        return [len(t.split()) + 2 for t in texts]

    def translate_batch(self, texts, src_lang, tgt_lang):
        return [self.nbest[t][0].text for t in texts]

    def n_best(self, texts, src_lang, tgt_lang, *, n, beam):
        self.asked.extend(texts)
        return [self.nbest[t][:n] for t in texts]

    def provenance(self):
        return Provenance(engine=self.name, model="fixed")


def no_langid(text: str) -> None:
    return None


CHECK = pair_check("ind_Latn", "eng_Latn", no_langid, None)


def test_the_best_scoring_passing_hypothesis_replaces_the_translation():
    first = Hypothesis("The Nui Thanh district planted 45 ha of rice.", -0.2, 12)  # figure changed
    engine = FixedEngine(
        {
            SRC: [
                Hypothesis("The Nui Thanh district planted 45 ha of rice.", -0.2, 12),  # the same: skipped
                Hypothesis("The district planted 451 ha of rice.", -0.3, 10),  # name lost: fails
                Hypothesis("Nui Thanh district planted 451 ha of rice.", -0.6, 11),  # passes, lower
                Hypothesis("The Nui Thanh district planted 451 ha of rice.", -0.4, 12),  # passes, best
            ],
            "Padi tumbuh.": [Hypothesis("Rice grows.", -0.1, 3)],
        }
    )
    out = repair_translations(
        engine, [SRC, "Padi tumbuh."], [first, Hypothesis("Rice grows.", -0.1, 3)], "ind_Latn", "eng_Latn", CHECK
    )
    assert list(out) == [0]
    rep = out[0]
    assert rep.hypothesis.text == "The Nui Thanh district planted 451 ha of rice."
    assert rep.old is first and rep.why == ["figure_changed"] and rep.considered == 4
    assert rep.to_record() == {"from": first.text, "why": ["figure_changed"], "score": -0.2, "hypotheses": 4}
    assert engine.asked == [SRC]  # only the flagged sentence paid for a re-decoding


def test_no_passing_hypothesis_leaves_the_translation():
    first = Hypothesis("The district planted 45 ha.", -0.2, 8)
    engine = FixedEngine({SRC: [Hypothesis("The district planted 4 ha.", -0.3, 8), Hypothesis("", -0.1, 1)]})
    assert repair_translations(engine, [SRC], [first], "ind_Latn", "eng_Latn", CHECK) == {}


def test_a_source_too_long_for_the_model_is_not_redecoded():
    engine = FixedEngine({SRC: [Hypothesis("The Nui Thanh district planted 451 ha of rice.", -0.4, 12)]}, 5)
    first = Hypothesis("The district planted 45 ha.", -0.2, 8)
    assert repair_translations(engine, [SRC], [first], "ind_Latn", "eng_Latn", CHECK) == {}
    assert engine.asked == []


def test_passes_refuses_only_new_blocking_doubts():
    assert passes([Flag("wrong_language", "eng_Latn")], had=["wrong_language", "figure_missing"])
    assert not passes([Flag("wrong_language", "eng_Latn")], had=["figure_missing"])
    assert not passes([Flag("figure_missing", "eng_Latn")], had=["figure_missing"])
    assert passes([Flag("length_ratio", "eng_Latn")])  # a doubt repair does not judge
    hyps = [Hypothesis("a", None, 1), Hypothesis("b", -0.9, 1), Hypothesis("c", -0.5, 1)]
    assert choose("x", hyps, lambda s, m: []).text == "c"  # best score first, no score last
    assert choose("x", hyps, lambda s, m: [Flag("empty", "t")] if m != "a" else []).text == "a"


@pytest.mark.e2e
def test_repair_with_the_tiny_model(tiny_model):
    """The mechanics on a real engine: the n-best list is decoded and a hypothesis
    from it replaces a translation that a check refused."""
    from toolkit.translate.engine import GenerationSettings
    from toolkit.translate.hf import HFEngine

    engine = HFEngine(str(tiny_model), device="cpu", settings=GenerationSettings(num_beams=1), threads=1)
    src = "Nguyen Duc Dung memberikan 15 sertifikat kepada kolektif."
    (greedy,) = engine.translate_scored([src], "ind_Latn", "eng_Latn")
    (nbest,) = engine.n_best([src], "ind_Latn", "eng_Latn", n=5, beam=5)
    others = [h for h in nbest if h.text != greedy.text]
    assert others, "the beam gives other hypotheses than the greedy one"
    wanted = others[-1].text  # the lowest-ranked: repair must look past the better ones

    def check(s, mt):  # refuses everything but the wanted hypothesis
        return [] if mt == wanted else [Flag("term_missing", "eng_Latn", "test")]

    out = repair_translations(engine, [src], [greedy], "ind_Latn", "eng_Latn", check)
    assert out[0].hypothesis.text == wanted and out[0].why == ["term_missing"]
    assert out[0].hypothesis.score < 0 and out[0].old.text == greedy.text
