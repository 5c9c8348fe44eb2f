"""The CTranslate2 engine: NLLB converted by ``toolkit models convert``.

The fast path on a CPU (int8 weights, every core) and on a GPU (float16 or
int8_float16). The folder is self-contained: the Hugging Face tokenizer
files are copied into it at conversion, so tokens here are exactly the ones
the transformers engine feeds its model, and with float32 weights and greedy
decoding the two engines give the same strings (tests/test_ct2_engine.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from toolkit.translate.convert import folder_hash, is_ct2_model, read_provenance
from toolkit.translate.engine import Engine, GenerationSettings, ModelNotFoundError
from toolkit.translate.shortlist import VMAP_NAME

#: The files of a converted model whose bytes decide its output.
_MODEL_FILES = (
    "model.bin",
    "config.json",
    "shared_vocabulary.json",
    "shared_vocabulary.txt",
    "source_vocabulary.json",
    "target_vocabulary.json",
)


#: Default memory guard on a CPU (see ``CT2Engine._chunks``): about 9 sentences
#: of 40 tokens at beam 4, 38 greedy.
CPU_HYP_TOKENS = 1536


def pick_device(device: str = "auto") -> str:
    """ "auto" is "cuda" only when CTranslate2 sees a CUDA device."""
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def default_compute_type(device: str, quantization: str | None) -> str:
    """The compute type for a device and the weights' quantization.

    On a CPU, "default" keeps what the model was converted to (int8 for the
    toolkit's conversions). On a GPU, int8 weights run as int8_float16 and
    float weights as float16: float32 on a GPU is slower and no more exact
    for translation.
    """
    if device == "cpu":
        return "default"
    if quantization and quantization.startswith("int8"):
        return "int8_float16"
    return "float16"


class CT2Engine(Engine):
    """NLLB-200 through ``ctranslate2.Translator``.

    ``shortlist`` is an optional vocabulary map (``toolkit models shortlist``);
    when given, each batch may only produce the map's always-allowed tokens,
    the tokens its source tokens map to, and the target language code.
    """

    name = "ctranslate2"

    def __init__(
        self,
        model: str | os.PathLike[str],
        device: str = "auto",
        settings: GenerationSettings | None = None,
        shortlist: str | os.PathLike[str] | None = None,
        compute_type: str | None = None,
        threads: int | None = None,
        max_hyp_tokens: int | None = None,
    ) -> None:
        model_dir = Path(model).expanduser()
        if not is_ct2_model(model_dir):
            raise ModelNotFoundError(
                f"{model_dir} is not a CTranslate2 model folder (no model.bin); "
                f"convert a checkpoint with `toolkit models convert MODEL --out DIR`"
            )
        device = pick_device(device)
        super().__init__(str(model_dir), device, settings)
        import ctranslate2
        from transformers import AutoTokenizer

        self.model_dir = model_dir
        self.convert_info = read_provenance(model_dir)
        self.threads = threads or os.cpu_count() or 1
        self.shortlist = Path(shortlist).expanduser() if shortlist else None
        if self.shortlist is not None and not self.shortlist.is_file():
            raise FileNotFoundError(
                f"shortlist {self.shortlist} does not exist; build it with `toolkit models shortlist`"
            )
        self.max_source_tokens = int(self.convert_info.get("max_source_positions") or 1024)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        except Exception as e:
            raise ModelNotFoundError(
                f"{model_dir} has no usable tokenizer ({e}); reconvert with `toolkit models convert`, "
                f"which copies the tokenizer files into the folder"
            ) from e
        requested = compute_type or default_compute_type(device, self.convert_info.get("quantization"))
        with self._model_path() as path:
            # One model load per engine; threads: all cores for one translation
            # at a time (inter_threads=1), which is how the runner calls it.
            self.translator = ctranslate2.Translator(
                str(path),
                device=device,
                compute_type=requested,
                intra_threads=self.threads if device == "cpu" else 0,
                inter_threads=1,
            )
        self.compute_type = self.translator.compute_type
        #: Memory guard: source tokens x beam per call to the translator (0: no
        #: limit). On a GPU the runner's token budget alone decides.
        self.max_hyp_tokens = (
            max_hyp_tokens if max_hyp_tokens is not None else (CPU_HYP_TOKENS if device == "cpu" else 0)
        )
        self._model_hash: str | None = None
        self._shortlist_hash: str | None = None

    @contextlib.contextmanager
    def _model_path(self):
        """The folder to load from: the model folder itself, or, when the
        shortlist lives elsewhere, a temporary folder of links to the model's
        files plus the shortlist as ``vmap.txt`` (CTranslate2 only reads a
        vocabulary map from the model folder). The translator reads all files
        when it is built, so the temporary folder can go right after."""
        if self.shortlist is None or self.shortlist.resolve() == (self.model_dir / VMAP_NAME).resolve():
            yield self.model_dir
            return
        tmp = Path(tempfile.mkdtemp(prefix="toolkit-ct2-"))
        try:
            for f in self.model_dir.iterdir():
                if f.is_file() and f.name != VMAP_NAME:
                    os.symlink(f.resolve(), tmp / f.name)
            os.symlink(self.shortlist.resolve(), tmp / VMAP_NAME)
            yield tmp
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    # -- tokens ---------------------------------------------------------------

    def tokenize(self, texts: Sequence[str], src_lang: str) -> list[list[str]]:
        """Source tokens as the model sees them: ``[src_lang, ..., "</s>"]``."""
        self.tokenizer.src_lang = src_lang
        enc = self.tokenizer(list(texts), add_special_tokens=True)
        return [self.tokenizer.convert_ids_to_tokens(ids) for ids in enc["input_ids"]]

    def count_tokens(self, texts: Sequence[str], src_lang: str) -> list[int]:
        return [len(t) for t in self.tokenize(texts, src_lang)]

    def detokenize(self, tokens: Sequence[str]) -> str:
        ids = self.tokenizer.convert_tokens_to_ids(list(tokens))
        return self.tokenizer.decode(ids, skip_special_tokens=True)

    # -- translation ----------------------------------------------------------

    def translate_tokens(
        self,
        sources: Sequence[Sequence[str]],
        tgt_lang: str,
        *,
        max_new_tokens: int,
        min_new_tokens: int = 0,
        beam_size: int | None = None,
    ) -> list[list[str]]:
        """Translate tokenised sources; returns target tokens without the
        language code and ``</s>``.

        Lengths count tokens after the language code, as the transformers
        engine's ``max_new_tokens`` minus its forced language token does:
        CTranslate2's decoding lengths include the target prefix.
        """
        s = self.settings
        beam = beam_size or s.num_beams
        out: list[list[str]] = [[] for _ in sources]
        for chunk in self._chunks(sources, beam):
            if self.shortlist is not None:
                self._reset_output_layer(tgt_lang)
            results = self.translator.translate_batch(
                [list(sources[i]) for i in chunk],
                target_prefix=[[tgt_lang]] * len(chunk),
                beam_size=beam,
                max_decoding_length=max_new_tokens + 1,
                min_decoding_length=min_new_tokens + 1 if min_new_tokens else 1,
                no_repeat_ngram_size=s.no_repeat_ngram_size,
                repetition_penalty=s.repetition_penalty,
                max_input_length=self.max_source_tokens,
                use_vmap=self.shortlist is not None,
            )
            for i, r in zip(chunk, results, strict=True):
                toks = r.hypotheses[0]
                out[i] = toks[1:] if toks and toks[0] == tgt_lang else toks
        return out

    def _chunks(self, sources: Sequence[Sequence[str]], beam: int) -> list[list[int]]:
        """Split a batch, longest-first, so that (padded source tokens x beam)
        stays within ``max_hyp_tokens``.

        The decoder's cache holds every hypothesis' keys and values in
        float32 (about 9 MB per hypothesis for NLLB-600M at 40+48 tokens), so
        a runner batch of 4,096 tokens at beam 4 would need over 5 GB. On
        the benchmark's 32 sentences at beam 4, chunks took the peak from
        2.2-2.4 GB to 1.34-1.36 GB for about 8% of the speed (two cores).
        We split here rather than through CTranslate2's own ``max_batch_size``
        because the shortlist workaround must run between chunks.
        """
        order = sorted(range(len(sources)), key=lambda i: -len(sources[i]))
        if not self.max_hyp_tokens:
            return [order]
        chunks: list[list[int]] = []
        cur: list[int] = []
        longest = 0
        for i in order:
            n = len(sources[i])
            if cur and max(longest, n) * (len(cur) + 1) * beam > self.max_hyp_tokens:
                chunks.append(cur)
                cur, longest = [], 0
            cur.append(i)
            longest = max(longest, n)
        if cur:
            chunks.append(cur)
        return chunks

    def _reset_output_layer(self, tgt_lang: str) -> None:
        """Work around a CTranslate2 (4.8) vocabulary-map bug.

        When one vmap batch follows another with a different candidate set,
        the decoder maps the target prefix (our language code) with the
        previous batch's original->restricted id table, which it does not
        clear: the language code becomes another token, or the call fails
        with ``vector::_M_range_check``. A call without the map resets the
        table; a two-token source and no decoding step make it cost a few
        milliseconds (a source of ``</s>`` alone is skipped as empty and
        resets nothing). tests/test_shortlist.py checks that batch after batch
        gives what a fresh translator gives.
        """
        self.translator.translate_batch(
            [[tgt_lang, "</s>"]], target_prefix=[[tgt_lang]], max_decoding_length=1, beam_size=1, use_vmap=False
        )

    def translate_batch(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[str]:
        if not texts:
            return []
        sources = self.tokenize(texts, src_lang)
        # CTranslate2 takes one length limit per batch: the longest source's.
        # The runner sorts by length, so a batch's sources are close in length.
        n = max(len(t) for t in sources)
        max_new = self.settings.max_new_tokens(n, self.max_source_tokens) - 1
        return [self.detokenize(t) for t in self.translate_tokens(sources, tgt_lang, max_new_tokens=max(1, max_new))]

    # -- identity ---------------------------------------------------------------

    def model_hash(self) -> str:
        if self._model_hash is None:
            self._model_hash = folder_hash(self.model_dir, names=_MODEL_FILES)
        return self._model_hash

    def shortlist_hash(self) -> str | None:
        if self.shortlist is None:
            return None
        if self._shortlist_hash is None:
            self._shortlist_hash = hashlib.sha256(self.shortlist.read_bytes()).hexdigest()[:16]
        return self._shortlist_hash

    def provenance(self) -> dict[str, Any]:
        import ctranslate2

        return {
            "engine": self.name,
            "model": str(self.model_dir),
            "model_hash": self.model_hash(),
            "source_model": self.convert_info.get("source_model"),
            "source_hash": self.convert_info.get("source_hash"),
            "ctranslate2_version": ctranslate2.__version__,
            "quantization": self.convert_info.get("quantization"),
            "compute_type": self.compute_type,
            "device": self.device,
            "threads": self.threads,
            "max_hyp_tokens": self.max_hyp_tokens,
            "settings": asdict(self.settings),
            "shortlist": None
            if self.shortlist is None
            else {"path": str(self.shortlist), "hash": self.shortlist_hash()},
        }
