"""The transformers engine: any family's model through ``AutoModelForSeq2SeqLM.generate``.

The reference engine: the model exactly as published, on a CPU or a GPU.
What differs between NLLB, M2M-100, Marian and MADLAD-400 (language tokens,
a forced target token or a source prefix) is asked of the model's family
(``toolkit.translate.families``).
The CTranslate2 engine (``ct2.py``) is the fast path; with float32 weights and
greedy decoding both give the same strings.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import asdict

from toolkit.records import Hypothesis
from toolkit.run import Provenance
from toolkit.translate.engine import (
    Engine,
    EngineOptionError,
    GenerationSettings,
    ModelNotFoundError,
    base_versions,
)
from toolkit.translate.families import Family, TokenizerVocab, detect_family
from toolkit.translate.hub import model_folder_hash, resolve_hf_model
from toolkit.translate.licence import model_licence

#: The torch dtypes the engine runs in (its compute types).
DTYPES = ("float32", "float16", "bfloat16")


def pick_device(device: str = "auto") -> str:
    """ "auto" is "cuda" when torch sees a GPU, else "cpu"."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device not in ("cpu", "cuda") and not device.startswith("cuda:"):
        raise EngineOptionError(f"device must be auto, cpu or cuda, not {device!r}")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise EngineOptionError("--device cuda was asked for, but torch sees no CUDA GPU; use --device cpu")
    return device


class HFEngine(Engine):
    """A translation model through transformers: one model load, then many batches.

    ``model`` is a hub id (looked up in the local Hugging Face cache first,
    then fetched) or a local folder. ``threads`` defaults to every core
    unless ``OMP_NUM_THREADS`` says otherwise. ``dtype`` "auto" is float16 on
    a GPU and float32 on a CPU. ``max_source_tokens`` may lower the model's
    own limit (tests use it to force splitting).
    """

    name = "transformers"

    def __init__(
        self,
        model: str | os.PathLike[str],
        device: str = "auto",
        settings: GenerationSettings | None = None,
        threads: int | None = None,
        dtype: str = "auto",
        max_source_tokens: int | None = None,
    ) -> None:
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        folder, revision = resolve_hf_model(str(model))
        device = pick_device(device)
        # A hub id stays the model's name; a folder is named by its absolute path.
        super().__init__(str(model) if revision else str(folder), device, settings)
        self.folder = folder
        self.revision = revision

        if threads is None and "OMP_NUM_THREADS" in os.environ:
            threads = torch.get_num_threads()
        self.threads = threads or os.cpu_count() or 1
        if device == "cpu":
            torch.set_num_threads(self.threads)

        if dtype == "auto":
            dtype = "float16" if device.startswith("cuda") else "float32"
        if dtype not in DTYPES:
            raise EngineOptionError(f"dtype must be auto, float32, float16 or bfloat16, not {dtype!r}")
        self.dtype = dtype
        self.family: Family = detect_family(folder)
        try:
            with warnings.catch_warnings():  # MarianTokenizer's "pip install sacremoses" advice
                warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
                self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
            self.hf_model = AutoModelForSeq2SeqLM.from_pretrained(str(folder), dtype=getattr(torch, dtype))
        except (OSError, ValueError) as e:
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise ModelNotFoundError(
                f"{self.model} is not a usable translation model ({first}); pass --model with an NLLB, M2M-100, "
                f"Marian or MADLAD-400 hub id or folder (python models/tiny_nllb.py OUT --copy-trained builds a "
                f"tiny test model)"
            ) from e
        self.hf_model.to(device).eval()
        self.vocab = TokenizerVocab(self.tokenizer)
        self._tokens: dict[str, str | None] = {}
        #: A target token to count source lengths with (a family that puts
        #: one in the source: every target's is one token).
        self._count_target = (
            None if self.family.uses_source_token else next(iter(self.family.language_tokens(self.vocab)), None)
        )

        positions = int(getattr(self.hf_model.config, "max_position_embeddings", 1024) or 1024)
        declared = int(getattr(self.tokenizer, "model_max_length", positions) or positions)
        if declared > 10**6:  # transformers' "no limit" sentinel
            declared = positions
        #: The longest output the model can position (the cap of ``max_new_tokens``).
        self.max_positions = positions
        self.max_source_tokens = min(positions, declared, max_source_tokens or positions)
        self._model_hash: str | None = revision

    # -- tokens -------------------------------------------------------------

    def language_token(self, lang: str) -> str | None:
        """The model's token for an NLLB code (cached; an error naming the model when it has none)."""
        if lang not in self._tokens:
            self._tokens[lang] = self.family.token_for(lang, self.vocab, self.model)
        return self._tokens[lang]

    def _source(self, src_lang: str) -> str | None:
        return self.language_token(src_lang) if self.family.uses_source_token else None

    def count_tokens(self, texts: Sequence[str], src_lang: str) -> list[int]:
        if not texts:
            return []
        self.family.set_source(self.tokenizer, self._source(src_lang))
        sources = [self.family.source_text(t, self._count_target) for t in texts]
        enc = self.tokenizer(sources, add_special_tokens=True, verbose=False)
        return [len(ids) for ids in enc["input_ids"]]

    # -- translation --------------------------------------------------------

    def translate_batch(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[str]:
        return [h.text for h in self.translate_scored(texts, src_lang, tgt_lang)]

    def translate_scored(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[Hypothesis]:
        return [hs[0] for hs in self._generate(texts, src_lang, tgt_lang, self.settings.num_beams, 1)]

    def n_best(
        self, texts: Sequence[str], src_lang: str, tgt_lang: str, *, n: int, beam: int
    ) -> list[list[Hypothesis]]:
        return self._generate(texts, src_lang, tgt_lang, max(beam, n), n)

    def _generate(
        self, texts: Sequence[str], src_lang: str, tgt_lang: str, num_beams: int, n: int
    ) -> list[list[Hypothesis]]:
        """Translate one batch as the family wants it (NLLB: ``[src_lang] X
        </s>`` in, ``tgt_lang`` forced as the first output token; Marian and
        MADLAD: the target token before the source), decoded without the
        special tokens; ``n`` hypotheses per text, best first, each with its
        score.

        Sources are never truncated: longer than the model's positions is an
        error (the runner splits at ``max_source_tokens`` before this).
        """
        import torch

        if not texts:
            return []
        fam = self.family
        tgt = self.language_token(tgt_lang)
        fam.set_source(self.tokenizer, self._source(src_lang))
        sources = [fam.source_text(t, tgt) for t in texts]
        enc = self.tokenizer(sources, return_tensors="pt", padding=True, add_special_tokens=True)
        n_src = int(enc["input_ids"].shape[1])  # the longest source, padded to
        if n_src > self.max_positions:
            raise ValueError(
                f"a source of {n_src} tokens is longer than the model's {self.max_positions} positions; "
                "split it first (toolkit.translate.runner.translate_texts does)"
            )
        s = self.settings
        # max_new_tokens counts the forced language code too; tied to the
        # longest source so that a repetition loop stops early.
        max_new = s.max_new_tokens(n_src, self.max_positions)
        enc = {k: v.to(self.device) for k, v in enc.items()}
        with torch.inference_mode():
            out = self.hf_model.generate(
                **enc,
                **fam.generate_kwargs(self.tokenizer, tgt),
                # No forced </s> at the length limit (Marian's hub configs ask
                # for one): CTranslate2 has none, and a cut hypothesis should
                # look cut.
                forced_eos_token_id=None,
                num_beams=num_beams,
                num_return_sequences=n,
                do_sample=False,
                max_new_tokens=max_new,
                no_repeat_ngram_size=s.no_repeat_ngram_size,
                repetition_penalty=s.repetition_penalty,
                output_scores=True,
                return_dict_in_generate=True,
                **s.extra,
            )
            scores, lengths = self._mean_log_probs(out, num_beams)
        # The decoder's start token and the forced language code are not text
        # (transformers 5's M2M100Tokenizer does not count its __xx__ special).
        skip = 1 + (1 if fam.forces_target else 0)
        decoded = self.tokenizer.batch_decode(out.sequences[:, skip:], skip_special_tokens=True)
        hyps = [Hypothesis(t, sc, k) for t, sc, k in zip(decoded, scores, lengths, strict=True)]
        return [hyps[i * n : (i + 1) * n] for i in range(len(texts))]

    def _mean_log_probs(self, out, num_beams: int) -> tuple[list[float], list[int]]:
        """Each output's mean log-probability per token, as CTranslate2 counts
        it: the tokens after the forced language code (if the family forces
        one), ``</s>`` included.

        Greedy steps hold the processed logits (normalised here); beam steps
        hold log-probabilities already, followed back through ``beam_indices``.
        """
        beam = num_beams > 1
        trans = self.hf_model.compute_transition_scores(
            out.sequences, out.scores, out.beam_indices if beam else None, normalize_logits=not beam
        )
        tokens = out.sequences[:, 1:]  # the decoder's start token has no score
        real = tokens != self.tokenizer.pad_token_id
        if self.family.forces_target:
            real[:, 0] = False  # the forced language code: certain by construction
        n = real.sum(dim=1).clamp(min=1)
        total = (trans.float().masked_fill(~real, 0.0)).sum(dim=1)
        return (total / n).tolist(), n.tolist()

    # -- identity -----------------------------------------------------------

    def model_hash(self) -> str:
        """The hub commit for a hub id; a content hash for a folder."""
        if self._model_hash is None:
            self._model_hash = model_folder_hash(self.folder)
        return self._model_hash

    def provenance(self) -> Provenance:
        """What this engine's translations depend on; the torch dtype is
        both the compute type and the weights' type (float16 may translate
        differently from float32, so both key the cache)."""
        import torch
        import transformers

        return Provenance(
            engine=self.name,
            model=self.model,
            model_hash=self.model_hash(),
            family=self.family.name,
            licence=model_licence(self.model, self.folder),
            compute_type=self.dtype,
            quantization=self.dtype,
            revision=self.revision,
            device=self.device,
            settings=asdict(self.settings),
            versions=base_versions(transformers=transformers.__version__, torch=torch.__version__),
            runtime={"threads": self.threads, "max_source_tokens": self.max_source_tokens},
        )
