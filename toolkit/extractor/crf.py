"""``crf``: a linear-chain CRF (python-crfsuite) over hand-made features.

Needs no pretrained weights: it trains offline, on a laptop, in seconds.
Features are in ``toolkit.extractor.features``; ``settings["features"]``
picks "full" (default) or "shape" (the plain word-shape baseline).
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from toolkit.extractor.base import Extractor, ExtractorError, Progress
from toolkit.extractor.clusters import WordClusters
from toolkit.extractor.data import lines_of
from toolkit.extractor.discourse import known_names, propagate
from toolkit.extractor.features import Gazetteer, doc_counts, full_features, shape_features
from toolkit.extractor.rules import RuleGuesser
from toolkit.languages import has_thai
from toolkit.records import AnnotatedText, Span
from toolkit.segment.tokens import Token, iob2_entities, spans_to_tags, tags_to_spans, tokenize

FEATURE_SETS = ("full", "shape")
_GUESSER = RuleGuesser()
DEFAULTS: dict[str, Any] = {
    "features": "full", "c1": 0.05, "c2": 0.05, "max_iterations": 150, "gazetteer_folds": 5,
    # the rule guesser's tags as features, its spans first, then one sense per discourse (issue 14)
    # rule_merge "auto": the labels whose rules reach rule_merge_min_precision exact-span precision
    # on the training labels (``rule_fill_in``; seeds: all three; idner: PER .81 in, ORG .58 and
    # LOC .53 out; ThaiNER: PER .004 out, its titles inside the corpus's spans). Where the test text
    # is like the training text the filled-in guesses cost F1 (half of each external train split
    # scored on the other half, every label in: idner -0.019, NERGrit -0.009, NorNE -0.006, HAREM
    # -0.005); on new articles they find the names the labels never showed (seeds,
    # leave-one-article-out: 0.749 on, 0.693 off): the new text is what they are for.
    "rule_cues": True, "rule_merge": "auto", "rule_merge_min_precision": 0.6, "discourse": True,
    # issue 22: the textbook template's reach and wordfreq rarity (``lexical``), "auto": with at least
    # lexical_min_tokens training tokens (+0.02-0.05 F1 on the external corpora, 35,000+ tokens each;
    # on the seeds' 4,700 they overfit: leave-one-article-out 0.726 -> 0.713); known places/people
    # (gazetteer.py); word clusters (clusters.py) "auto": only when unlabelled text is given (learnt
    # from the training texts alone they cost 0.004-0.011 F1 on idner, NERGrit and HAREM)
    "lexical": "auto", "lexical_min_tokens": 20_000, "known_names": True, "clusters": "auto",
}  # fmt: skip
# What a model saved before a setting existed behaves as (extractor.json keeps the settings it was trained with).
_BEFORE: dict[str, Any] = {"lexical": False, "known_names": False, "clusters": False}


@lru_cache(maxsize=4096)
def _rule_spans(text: str, lang: str) -> tuple[Span, ...]:
    """The rule guesser's spans, kept a while: a line is read for its cues, then merged (``rule_merge``)."""
    return tuple(_GUESSER.predict(text, lang))


@lru_cache(maxsize=50_000)
def _line_lang(line: str, lang: str) -> str:
    """A context line's language: the text's own when the script agrees, else detected.

    Kept: each line of a document is the context of every other text of it."""
    thai = has_thai(line)
    if thai == lang.endswith("_Thai"):
        return lang
    from toolkit.detect import guess_lang

    return guess_lang(line)


def _merge(spans: list[Span], extra: list[Span]) -> list[Span]:
    """``spans`` plus those of ``extra`` that overlap none of them."""
    out = list(spans)
    for e in extra:
        if all(e.end <= s.start or e.start >= s.end for s in spans):
            out.append(e)
    return sorted(out, key=lambda s: (s.start, s.end))


class CRFExtractor(Extractor):
    backend = "crf"

    def __init__(self, labels: Sequence[str], settings: dict[str, Any] | None = None) -> None:
        super().__init__(labels, {**DEFAULTS, **(settings or {})})
        self._given = set(settings or {})
        if self.settings["features"] not in FEATURE_SETS:
            raise ExtractorError(
                f"unknown CRF feature set {self.settings['features']!r}; known: {', '.join(FEATURE_SETS)}"
            )
        self.gazetteer = Gazetteer()
        self.clusters = WordClusters()
        self._model_bytes: bytes | None = None
        self._tagger = None
        # (line, its language, document key) -> its spans; document key -> its word counts (``_document``)
        self._context_cache: dict[tuple[str, str, tuple[int, int]], list[Span]] = {}
        self._doc_cache: dict[tuple[int, int], Counter] = {}
        self.train_seconds: float | None = None

    def _features(
        self, text: str, lang: str, gaz: Gazetteer | None, counts, tokens: list[Token] | None = None
    ) -> tuple[list, list[list[str]]]:
        tokens = tokenize(text) if tokens is None else tokens
        if self.settings["features"] == "shape":
            return tokens, shape_features(tokens, lang)
        rules = spans_to_tags(tokens, list(_rule_spans(text, lang))) if self.settings.get("rule_cues", True) else None
        lexical = self._lexical()
        known = bool(self.settings.get("known_names"))
        clusters = self.clusters if lexical and self.clusters else None
        return tokens, full_features(text, tokens, lang, gaz, counts, rules, clusters, lexical, known)

    def fit(
        self,
        records: Sequence[AnnotatedText],
        *,
        seed: int = 0,
        progress: Progress | None = None,
        unlabelled: Sequence[str] = (),
    ) -> None:
        """Train; ``unlabelled`` texts (any language of the records) only feed the word clusters."""
        import pycrfsuite

        say = progress or (lambda _m: None)
        t0 = time.perf_counter()
        tokens_of = [tokenize(r.text) for r in records]
        if self.settings.get("lexical") == "auto":
            # decided once, on the training data, and saved with the model
            self.settings["lexical_on"] = sum(map(len, tokens_of)) >= int(self.settings["lexical_min_tokens"])
        self.clusters = WordClusters()
        want = self.settings.get("clusters")
        if (
            self.settings["features"] == "full"
            and self._lexical()
            and (want is True or (want == "auto" and unlabelled))
        ):
            sents = [[t.text for t in toks] for toks in tokens_of]
            sents += [[t.text for t in tokenize(line)] for text in unlabelled for _o, line in lines_of(text)]
            self.clusters = WordClusters.learn(sents, seed=seed)
            say(
                f"word clusters: {len(self.clusters)} words from {len(sents)} lines ({len(unlabelled)} unlabelled texts)"
            )
        by_doc: dict[str, list[AnnotatedText]] = defaultdict(list)
        for r in records:
            by_doc[r.doc].append(r)
        counts = {d: doc_counts(r.text for r in rs) for d, rs in by_doc.items()}
        # Gazetteer features are learned from the labels. Computed on a text
        # whose own labels are in the gazetteer they would be always right,
        # and the CRF would trust them blindly; so each training text sees a
        # gazetteer built from the *other* folds of documents only.
        docs = sorted(by_doc)
        k = max(1, min(int(self.settings["gazetteer_folds"]), len(docs)))
        fold_of = {d: i % k for i, d in enumerate(docs)}
        fold_gaz = [Gazetteer() for _ in range(k)]
        self.gazetteer = Gazetteer()
        for r in records:
            for s in r.spans:
                self.gazetteer.add(s.label, s.text)
                for f in range(k):
                    if f != fold_of[r.doc]:
                        fold_gaz[f].add(s.label, s.text)
        trainer = pycrfsuite.Trainer(verbose=False)
        n_tokens = 0
        rule_right: Counter = Counter()
        rule_guesses: Counter = Counter()
        for n, r in enumerate(records, 1):
            bad = sorted({s.label for s in r.spans} - set(self.labels))
            if bad:
                raise ExtractorError(
                    f"task {r.task_id} ({r.doc}, {r.field_name}): labels {bad} are not among the model's {self.labels}"
                )
            tokens, feats = self._features(r.text, r.lang, fold_gaz[fold_of[r.doc]], counts[r.doc], tokens_of[n - 1])
            if not tokens:
                continue
            gold = spans_to_tags(tokens, r.spans)
            trainer.append(feats, gold)
            n_tokens += len(tokens)
            if self.settings["features"] == "full":
                guessed = iob2_entities(spans_to_tags(tokens, list(_rule_spans(r.text, r.lang))))
                rule_right.update(e[2] for e in guessed & iob2_entities(gold))
                rule_guesses.update(e[2] for e in guessed)
            if n % 200 == 0:
                say(f"features: {n}/{len(records)} texts")
        if n_tokens == 0:
            raise ExtractorError("no tokens to train on: the export's texts are empty")
        trainer.set_params(
            {
                "c1": float(self.settings["c1"]),
                "c2": float(self.settings["c2"]),
                "max_iterations": int(self.settings["max_iterations"]),
                "feature.possible_transitions": True,
            }
        )
        say(f"training CRF on {len(records)} texts, {n_tokens} tokens ({self.settings['features']} features)")
        with tempfile.TemporaryDirectory() as tmp:
            trainer.train(str(Path(tmp) / "model.crfsuite"))
            self._model_bytes = (Path(tmp) / "model.crfsuite").read_bytes()
        self._tagger = None
        self._context_cache = {}
        self._doc_cache = {}
        # How far the rules' guesses can be trusted on these labels: decides "rule_merge": "auto".
        total = sum(rule_guesses.values())
        self.settings["rule_precision_train"] = round(sum(rule_right.values()) / total, 4) if total else None
        self.settings["rule_precision_by_label"] = {
            lab: round(rule_right[lab] / n, 4) for lab, n in sorted(rule_guesses.items())
        }
        self.train_seconds = round(time.perf_counter() - t0, 2)
        say(f"trained in {self.train_seconds} s")

    def _get_tagger(self):
        import pycrfsuite

        if self._tagger is None:
            if self._model_bytes is None:
                raise ExtractorError("the CRF is not trained: call fit() or load a model folder")
            # crfsuite opens models by file name only.
            with tempfile.NamedTemporaryFile(suffix=".crfsuite", delete=False) as fh:
                fh.write(self._model_bytes)
            tagger = pycrfsuite.Tagger()
            tagger.open(fh.name)
            Path(fh.name).unlink()  # the tagger has mapped it already
            self._tagger = tagger
        return self._tagger

    def _tag_line(self, line: str, lang: str, counts) -> list[Span]:
        tokens, feats = self._features(line, lang, self.gazetteer, counts)
        if not tokens:
            return []
        tagger = self._get_tagger()
        tags = tagger.tag(feats)
        scores = [tagger.marginal(t, i) for i, t in enumerate(tags)]
        return [s for s in tags_to_spans(line, tokens, tags, scores) if s.label in self.labels]

    def _document(self, text: str, context: str | None) -> tuple[tuple[int, int], Counter]:
        """The document's key and word counts, the same for each of its texts.

        ``predict`` is called once per text of a document with the others as
        its context: ``text`` plus ``context`` is the same lines in another
        order each time (no token crosses a line), so the key is their sorted
        lines, and the words are counted once per document, not once per text
        (HAREM's documents of 16 texts were cut into words 17 times over)."""
        lines = text.split("\n") + (context.split("\n") if context else [])
        key = (len(lines), hash(tuple(sorted(lines))))
        counts = self._doc_cache.get(key)
        if counts is None:
            if len(self._doc_cache) > 1_000:
                self._doc_cache = {}
            counts = self._doc_cache[key] = doc_counts(lines)
        return key, counts

    def _line_spans(self, line: str, lang: str, doc: tuple[tuple[int, int], Counter]) -> list[Span]:
        """``line`` tagged in ``lang`` among its document, kept per document: each line is
        tagged once as a text and read again as the context of every other text."""
        key = (line, lang, doc[0])
        found = self._context_cache.get(key)
        if found is None:
            if len(self._context_cache) > 20_000:
                self._context_cache = {}
            found = self._context_cache[key] = self._tag_line(line, lang, doc[1])
        return found

    def _tag(self, text: str, lang: str, doc: tuple[tuple[int, int], Counter]) -> list[Span]:
        spans: list[Span] = []
        for offset, line in lines_of(text):
            for s in self._line_spans(line, lang, doc):
                spans.append(
                    Span(start=s.start + offset, end=s.end + offset, label=s.label, text=s.text, score=s.score)
                )
        return spans

    def _context_spans(self, context: str, lang: str, doc: tuple[tuple[int, int], Counter]) -> list[Span]:
        """What the model finds in the rest of the document, each line in its own language."""
        found = []
        for _offset, line in lines_of(context):
            found += self._line_spans(line, _line_lang(line, lang), doc)
        return found

    def predict(self, text: str, lang: str, context: str | None = None) -> list[Span]:
        doc = self._document(text, context)
        spans = self._tag(text, lang, doc)
        if self.settings["features"] == "shape":  # the plain baseline: the tagger alone
            return spans
        trust = self.rule_fill_in()
        if trust:
            # The tagger first: what it learned from the labels overrides the
            # rules; their guesses fill in where it found nothing. (Rules
            # first scored 0.817 on the seeds, but then labels could never
            # correct a rule: 0.77 on the synthetic set of test_extractor_crf.)
            # A filled-in guess is scored by how often the rules were right on the training labels.
            guesses = [
                s if s.score is not None else dataclasses.replace(s, score=trust[s.label])
                for s in _rule_spans(text, lang)
                if s.label in trust
            ]
            spans = _merge(spans, guesses)
        if not self.settings.get("discourse", True):
            return spans
        found = spans + (self._context_spans(context, lang, doc) if context else [])
        return propagate(text, spans, known_names(found))

    def _lexical(self) -> bool:
        """The template features on? ``lexical`` true/false, or "auto" (decided by ``fit``)."""
        lexical = self.settings.get("lexical")
        return bool(self.settings.get("lexical_on")) if lexical == "auto" else bool(lexical)

    def rule_fill_in(self) -> dict[str, float | None]:
        """The labels whose rule guesses fill in where the tagger found nothing, each with
        the rules' precision on the training labels (the filled-in guess's score).

        ``rule_merge`` true/false: every label or none; "auto": each label whose rules
        reached ``rule_merge_min_precision`` on the training labels (a model trained
        before precision was kept per label: all labels or none, by the overall one)."""
        merge = self.settings.get("rule_merge", True)
        overall = self.settings.get("rule_precision_train")
        by_label = self.settings.get("rule_precision_by_label")
        if merge != "auto":
            return {lab: (by_label or {}).get(lab, overall) for lab in self.labels} if merge else {}
        least = float(self.settings["rule_merge_min_precision"])
        if by_label is None:
            return {lab: overall for lab in self.labels} if overall is not None and overall >= least else {}
        return {lab: p for lab, p in by_label.items() if p >= least and lab in self.labels}

    def token_confidence(self, text: str, lang: str) -> list[tuple[Token, float]]:
        """Each token with the CRF's marginal probability of its Viterbi tag (crfsuite's ``Tagger.marginal``)."""
        counts = doc_counts([text])
        tagger = self._get_tagger()
        out: list[tuple[Token, float]] = []
        for offset, line in lines_of(text):
            tokens, feats = self._features(line, lang, self.gazetteer, counts)
            if tokens:
                tags = tagger.tag(feats)
                out += [
                    (Token(t.start + offset, t.end + offset, t.text), tagger.marginal(tag, i))
                    for i, (t, tag) in enumerate(zip(tokens, tags, strict=True))
                ]
        return out

    def _save_files(self, path: Path) -> None:
        if self._model_bytes is None:
            raise ExtractorError("nothing to save: the CRF is not trained")
        (path / "model.crfsuite").write_bytes(self._model_bytes)
        (path / "gazetteer.json").write_text(
            json.dumps(self.gazetteer.to_json(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        if self.clusters:
            (path / "clusters.json").write_text(
                json.dumps(self.clusters.to_json(), ensure_ascii=False), encoding="utf-8"
            )

    def _load_files(self, path: Path) -> None:
        model = path / "model.crfsuite"
        if not model.is_file():
            raise ExtractorError(f"{path}: no model.crfsuite; train the model again")
        self._model_bytes = model.read_bytes()
        for key, value in _BEFORE.items():  # a model trained before the setting existed
            if key not in self._given:
                self.settings[key] = value
        gaz = path / "gazetteer.json"
        entries = json.loads(gaz.read_text(encoding="utf-8")) if gaz.is_file() else {}
        self.gazetteer = Gazetteer({k: set(v) for k, v in entries.items()})
        clusters = path / "clusters.json"
        self.clusters = (
            WordClusters.from_json(json.loads(clusters.read_text(encoding="utf-8")))
            if clusters.is_file()
            else WordClusters()
        )
        self._tagger = None
        self._context_cache = {}
        self._doc_cache = {}
