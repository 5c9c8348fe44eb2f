"""``transformer``: fine-tune a Hugging Face token-classification checkpoint.

``--base`` is a hub id (default ``xlm-roberta-base``, downloaded on a user's
machine) or a local folder; a fresh classification head is put on it.

Spans -> labels: every text is tokenised with its offset mapping; each
sub-token that overlaps a span is labelled (B- for the sub-token holding the
span's first character, I- for the rest), others O; special tokens and
SentencePiece's bare "▁" pieces are -100 (ignored by the loss). Long texts are
cut into overlapping windows (``max_length`` tokens, ``stride`` overlap);
at prediction each token takes the label of the window where it sits
farthest from an edge. Thai needs nothing special: XLM-R's SentencePiece
vocabulary covers it and the offsets are exact; predicted spans are widened
to whole words in Latin script only (Thai has no spaces to widen to).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.extractor.base import Extractor, ExtractorError, Progress
from toolkit.extractor.data import lines_of
from toolkit.records import AnnotatedText, Span
from toolkit.segment.tokens import Token

DEFAULTS: dict[str, Any] = {
    "base": "xlm-roberta-base",
    "epochs": 5.0,
    "batch_size": 8,
    "learning_rate": 5e-5,
    "max_length": 256,
    "stride": 64,
    "weight_decay": 0.01,
}


class TransformerExtractor(Extractor):
    backend = "transformer"

    def __init__(self, labels: Sequence[str], settings: dict[str, Any] | None = None) -> None:
        super().__init__(labels, {**DEFAULTS, **(settings or {})})
        self.tags = ["O"] + [f"{p}-{label}" for label in self.labels for p in ("B", "I")]
        self.model = None
        self.tokenizer = None
        self.train_seconds: float | None = None

    # -- encoding -----------------------------------------------------------
    def _encode(self, text: str):
        tok = self.tokenizer
        max_length = int(self.settings["max_length"])
        # The overlap must leave room for new tokens in each window.
        stride = min(int(self.settings["stride"]), max(1, max_length // 4))
        return tok(
            text,
            truncation=True,
            max_length=max_length,
            stride=stride,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )

    def _token_labels(
        self, text: str, ids: list[int], offsets: list[tuple[int, int]], spans: Sequence[Span]
    ) -> list[int]:
        tag_id = {t: i for i, t in enumerate(self.tags)}
        bare = self.tokenizer.convert_tokens_to_ids("▁") if "▁" in self.tokenizer.get_vocab() else None
        special = set(self.tokenizer.all_special_ids)
        out = []
        for tid, (s, e) in zip(ids, offsets, strict=True):
            if tid in special or s >= e or tid == bare:
                out.append(-100)
                continue
            label = "O"
            for sp in spans:
                if s < sp.end and e > sp.start:
                    label = ("B-" if s <= sp.start < e else "I-") + sp.label
                    break
            out.append(tag_id[label])
        return out

    # -- training -----------------------------------------------------------
    def _load_base(self, base: str) -> None:
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        try:
            self.tokenizer = AutoTokenizer.from_pretrained(base)
            self.model = AutoModelForTokenClassification.from_pretrained(
                base,
                num_labels=len(self.tags),
                id2label=dict(enumerate(self.tags)),
                label2id={t: i for i, t in enumerate(self.tags)},
                ignore_mismatched_sizes=True,
            )
        except (OSError, ValueError) as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ExtractorError(
                f"cannot load the base model {base!r} ({first}); on a machine with internet run "
                f"`huggingface-cli download {base}` (or pass a local folder with --base), or train with --base crf"
            ) from None
        if not getattr(self.tokenizer, "is_fast", False):
            raise ExtractorError(f"{base}: the tokenizer is not a fast one; offsets are needed to map spans to tokens")

    def fit(self, records: Sequence[AnnotatedText], *, seed: int = 0, progress: Progress | None = None) -> None:
        import datasets
        from transformers import DataCollatorForTokenClassification, Trainer, TrainingArguments, set_seed

        say = progress or (lambda _m: None)
        t0 = time.perf_counter()
        set_seed(seed)
        self._load_base(str(self.settings["base"]))
        rows: dict[str, list] = {"input_ids": [], "attention_mask": [], "labels": []}
        for r in records:
            bad = sorted({s.label for s in r.spans} - set(self.labels))
            if bad:
                raise ExtractorError(
                    f"task {r.task_id} ({r.doc}, {r.field_name}): labels {bad} are not among the model's {self.labels}"
                )
            for offset, line in lines_of(r.text):
                spans = [
                    Span(s.start - offset, s.end - offset, s.label, s.text)
                    for s in r.spans
                    if s.start < offset + len(line) and s.end > offset
                ]
                enc = self._encode(line)
                for ids, mask, offs in zip(enc["input_ids"], enc["attention_mask"], enc["offset_mapping"], strict=True):
                    rows["input_ids"].append(ids)
                    rows["attention_mask"].append(mask)
                    rows["labels"].append(self._token_labels(line, ids, offs, spans))
        if not rows["input_ids"]:
            raise ExtractorError("no text to train on: the export's texts are empty")
        say(f"fine-tuning {self.settings['base']} on {len(rows['input_ids'])} windows from {len(records)} texts")
        with tempfile.TemporaryDirectory() as tmp:
            args = TrainingArguments(
                output_dir=tmp,
                num_train_epochs=float(self.settings["epochs"]),
                per_device_train_batch_size=int(self.settings["batch_size"]),
                learning_rate=float(self.settings["learning_rate"]),
                weight_decay=float(self.settings["weight_decay"]),
                seed=seed,
                data_seed=seed,
                save_strategy="no",
                report_to=[],
                logging_steps=10,
                disable_tqdm=progress is None,
                use_cpu=not _cuda(),
            )
            trainer = Trainer(
                model=self.model,
                args=args,
                train_dataset=datasets.Dataset.from_dict(rows),
                data_collator=DataCollatorForTokenClassification(self.tokenizer),
            )
            trainer.train()
        self.model.eval()
        self.train_seconds = round(time.perf_counter() - t0, 2)
        say(f"trained in {self.train_seconds} s")

    # -- prediction ---------------------------------------------------------
    def predict(self, text: str, lang: str, context: str | None = None) -> list[Span]:
        if self.model is None:
            raise ExtractorError("the transformer is not trained: call fit() or load a model folder")
        spans: list[Span] = []
        for offset, line in lines_of(text):
            for s in self._predict_line(line, lang):
                spans.append(Span(s.start + offset, s.end + offset, s.label, s.text, s.score))
        return spans

    def _predict_line(self, text: str, lang: str) -> list[Span]:
        import torch

        enc = self._encode(text)
        special = set(self.tokenizer.all_special_ids)
        bare = self.tokenizer.convert_tokens_to_ids("▁") if "▁" in self.tokenizer.get_vocab() else None
        best: dict[tuple[int, int], tuple[int, str, float]] = {}  # offsets -> (distance from edge, tag, prob)
        device = next(self.model.parameters()).device
        with torch.no_grad():
            for ids, offs in zip(enc["input_ids"], enc["offset_mapping"], strict=True):
                logits = self.model(input_ids=torch.tensor([ids], device=device)).logits[0]
                probs = logits.softmax(-1).cpu()
                n = len(ids)
                for i, (tid, (s, e)) in enumerate(zip(ids, offs, strict=True)):
                    if tid in special or s >= e or tid == bare:
                        continue
                    p, k = probs[i].max(-1)
                    edge = min(i, n - 1 - i)
                    if (s, e) not in best or best[(s, e)][0] < edge:
                        best[(s, e)] = (edge, self.model.config.id2label[int(k)], float(p))
        spans: list[Span] = []
        cur: list = []
        for (s, e), (_, tag, p) in sorted(best.items()):
            prefix, _, label = tag.partition("-")
            if tag == "O" or prefix == "B" or not cur or cur[0] != label or s - cur[2] > 1:
                if cur:
                    spans.append(self._span(text, lang, *cur))
                cur = [label, s, e, [p]] if tag != "O" else []
            else:
                cur[2] = e
                cur[3].append(p)
        if cur:
            spans.append(self._span(text, lang, *cur))
        # Widening to whole words can make two pieces of one word overlap:
        # keep the surer one.
        kept: list[Span] = []
        for sp in sorted(spans, key=lambda x: -(x.score or 0)):
            if sp.label in self.labels and all(sp.end <= k.start or sp.start >= k.end for k in kept):
                kept.append(sp)
        return sorted(kept, key=lambda x: x.start)

    def token_confidence(self, text: str, lang: str) -> list[tuple[Token, float]]:
        """Each sub-token with its highest softmax probability (the window where it sits farthest from an edge)."""
        import torch

        if self.model is None:
            raise ExtractorError("the transformer is not trained: call fit() or load a model folder")
        special = set(self.tokenizer.all_special_ids)
        best: dict[tuple[int, int], tuple[int, float]] = {}  # offsets in text -> (distance from edge, prob)
        device = next(self.model.parameters()).device
        for offset, line in lines_of(text):
            enc = self._encode(line)
            with torch.no_grad():
                for ids, offs in zip(enc["input_ids"], enc["offset_mapping"], strict=True):
                    probs = self.model(input_ids=torch.tensor([ids], device=device)).logits[0].softmax(-1).cpu()
                    for i, (tid, (s, e)) in enumerate(zip(ids, offs, strict=True)):
                        edge = min(i, len(ids) - 1 - i)
                        key = (s + offset, e + offset)
                        if tid not in special and s < e and line[s:e].strip() and best.get(key, (-1, 0.0))[0] < edge:
                            best[key] = (edge, float(probs[i].max()))
        return [(Token(s, e, text[s:e]), p) for (s, e), (_, p) in sorted(best.items())]

    @staticmethod
    def _span(text: str, lang: str, label: str, start: int, end: int, probs: list[float]) -> Span:
        if not lang.endswith("_Thai"):
            while start > 0 and text[start - 1].isalnum():
                start -= 1
            while end < len(text) and text[end].isalnum():
                end += 1
        return Span(start, end, label, text[start:end], round(sum(probs) / len(probs), 4))

    # -- files --------------------------------------------------------------
    def _save_files(self, path: Path) -> None:
        if self.model is None:
            raise ExtractorError("nothing to save: the transformer is not trained")
        self.model.save_pretrained(path)
        self.tokenizer.save_pretrained(path)

    def _load_files(self, path: Path) -> None:
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        try:
            self.tokenizer = AutoTokenizer.from_pretrained(path)
            self.model = AutoModelForTokenClassification.from_pretrained(path)
        except (OSError, ValueError) as e:
            raise ExtractorError(f"{path}: cannot load the model ({str(e).splitlines()[0]}); train it again") from None
        self.model.eval()
        self.tags = [self.model.config.id2label[i] for i in range(len(self.model.config.id2label))]


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()
