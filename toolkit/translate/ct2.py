"""The CTranslate2 engine: a model converted by ``toolkit models convert``.

NLLB, M2M-100, Marian and MADLAD-400 (``toolkit.translate.families``): the
family says how the source is framed and whether a target token is forced
as the output's first (``target_prefix``).

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
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

from toolkit.records import Hypothesis
from toolkit.run import Provenance
from toolkit.translate.convert import read_convert_record
from toolkit.translate.engine import (
    Engine,
    EngineOptionError,
    GenerationSettings,
    ModelNotFoundError,
    base_versions,
)
from toolkit.translate.families import Family, detect_family
from toolkit.translate.hub import file_hash, folder_hash, is_ct2_model
from toolkit.translate.licence import UNKNOWN, known_licence, model_licence
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


#: Default memory guard on a CPU (see ``plan_chunks``), over all replicas:
#: 64 greedy hypotheses of 40 source tokens (32 per replica on two cores), or
#: 16 sentences at beam 4. The profile of this path
#: (``benchmarks/profile_engine.py``) has 80% of the decoding time in oneDNN's
#: int8 products, and a decoder step's product reads every weight from
#: memory for as many rows as a replica has hypotheses: one thread's int8
#: product streamed over 192 MB of weights ran at 124 GOPS with 16 rows, 183
#: with 32 and 251 with 64 (the script's table). On the benchmark's 64 sentences (two replicas, greedy,
#: shortlist) chunks of 32 (this budget) ran 1.14x-1.21x as fast as chunks of
#: 16 (2,048: 329-347 against 392-400 tok/s, three interleaved runs each) with
#: a 1.46-1.50 GB peak against 1.17-1.20 GB; at beam 4, 1.12x-1.25x (1.40 GB
#: against 1.25 GB).
#: Chunks of 64 would pay again but need about 2.1 GB.
CPU_HYP_TOKENS = 2560

#: Replicas on a CPU: one per core up to this many. Each holds its own
#: decoder cache, so more replicas would need a smaller chunk each.
MAX_CPU_REPLICAS = 4

#: Tries for a chunk that the vocabulary-map bug reached (see ``_retry``).
VMAP_ATTEMPTS = 4

#: What ``compute_type`` accepts (CTranslate2's names): "default" keeps the
#: weights' own type, "auto" lets CTranslate2 pick the fastest the device has.
COMPUTE_TYPES = (
    "default",
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)


def _mean_log_prob(
    tokens: list[str], score: float, prefix: Sequence[str], max_new_tokens: int
) -> tuple[list[str], float, int]:
    """(tokens without the forced prefix, mean log-probability per token, tokens scored).

    CTranslate2 (4.x, ``length_penalty`` 1) reports the summed log-probability
    of the tokens after the prefix divided by the decoding length, which
    counts the prefix and ``</s>`` too; the mean over the scored tokens (those
    after the language code, ``</s>`` included, as the transformers engine
    counts them) is that times the decoding length over the scored tokens
    (checked against the transformers engine in tests/test_ct2_engine.py).
    A hypothesis cut at the length limit has no ``</s>``. ``prefix`` is the
    forced language code (NLLB, M2M-100), or nothing (Marian, MADLAD-400).
    """
    n = len(prefix)
    body = tokens[n:] if n and list(tokens[:n]) == list(prefix) else tokens
    ended = len(body) < max_new_tokens
    scored = len(body) + (1 if ended else 0)
    steps = scored + n  # the language code's step
    return body, score * steps / max(1, scored), scored


def pick_device(device: str = "auto") -> str:
    """ "auto" is "cuda" only when CTranslate2 sees a CUDA device; "cuda"
    without one is an error that says what to do."""
    if device not in ("auto", "cpu", "cuda"):
        raise EngineOptionError(f"device must be auto, cpu or cuda, not {device!r}")
    if device == "cpu":
        return device
    import ctranslate2

    has_cuda = ctranslate2.get_cuda_device_count() > 0
    if device == "cuda" and not has_cuda:
        raise EngineOptionError("--device cuda was asked for, but CTranslate2 sees no CUDA device; use --device cpu")
    return "cuda" if has_cuda else "cpu"


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


def plan_chunks(lengths: Sequence[int], beam: int, max_hyp_tokens: int, replicas: int) -> list[list[int]]:
    """Split a batch (its sources' token counts), longest-first, so that each
    replica's chunk keeps (padded source tokens x beam) within its share of
    ``max_hyp_tokens`` (0: one chunk).

    The decoder's cache holds every hypothesis' keys and values in float32
    (about 9 MB per hypothesis for NLLB-600M at 40+48 tokens), so a runner
    batch of 4,096 tokens at beam 4 would need over 5 GB. We split here
    rather than through CTranslate2's own ``max_batch_size`` because the
    shortlist workaround must run between chunks. A plain function (the
    engine's ``_chunks`` calls it) so that the speed benchmark can size the
    chunks without loading a model.
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    if not max_hyp_tokens:
        return [order]
    budget = max(1, max_hyp_tokens // replicas)
    chunks = _fill(lengths, order, beam, budget)
    # Replicas run a group of chunks side by side and the group ends with
    # its slowest chunk: 64 sentences cut 28+28+8 left one core idle for
    # a whole third chunk. Spread the sentences over a multiple of the
    # replica count instead (16 x 4 there).
    if replicas > 1 and len(chunks) % replicas:
        k = -(-len(chunks) // replicas) * replicas
        chunks = _fill(lengths, order, beam, budget, cap=-(-len(order) // k))
    return chunks


def _fill(lengths: Sequence[int], order: list[int], beam: int, budget: int, cap: int | None = None) -> list[list[int]]:
    """Cut ``order`` into chunks of at most ``budget`` padded tokens x beam
    (and ``cap`` sentences); a sentence over the budget goes alone."""
    chunks: list[list[int]] = []
    cur: list[int] = []
    longest = 0
    for i in order:
        n = lengths[i]
        full = cap is not None and len(cur) >= cap
        if cur and (full or max(longest, n) * (len(cur) + 1) * beam > budget):
            chunks.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        chunks.append(cur)
    return chunks


class CT2Engine(Engine):
    """A converted model (NLLB-200, M2M-100, Marian, MADLAD-400) through ``ctranslate2.Translator``.

    ``shortlist`` is an optional vocabulary map (``toolkit models shortlist``);
    when given, each batch may only produce the map's always-allowed tokens,
    the tokens its source tokens map to, and the target language code. A
    mapping {target: map} gives each target its own (smaller) map; a target
    without one decodes over the whole vocabulary. CTranslate2 reads a map
    only when a translator is built, so a call into another target's map
    rebuilds the translator (``reloads`` in the provenance counts them).
    """

    name = "ctranslate2"

    def __init__(
        self,
        model: str | os.PathLike[str],
        device: str = "auto",
        settings: GenerationSettings | None = None,
        shortlist: str | os.PathLike[str] | Mapping[str, str | os.PathLike[str]] | None = None,
        compute_type: str | None = None,
        threads: int | None = None,
        max_hyp_tokens: int | None = None,
        replicas: int | None = None,
    ) -> None:
        model_dir = Path(model).expanduser()
        if not is_ct2_model(model_dir):
            raise ModelNotFoundError(
                f"{model_dir} is not a CTranslate2 model folder (no model.bin); "
                f"convert a checkpoint with `toolkit models convert MODEL --out DIR`"
            )
        device = pick_device(device)
        super().__init__(str(model_dir), device, settings)
        from toolkit.translate.nllb_tokens import NllbTokens

        self.model_dir = model_dir
        self.convert_info = read_convert_record(model_dir)
        self.family: Family = detect_family(model_dir)
        if shortlist and not self.family.shortlist:
            raise EngineOptionError(
                f"{model_dir} is a {self.family.name} model: it runs without a shortlist (its output has no forced "
                "target token, by which the engine detects CTranslate2's vocabulary-map bug); use --no-shortlist"
            )
        self.threads = threads or os.cpu_count() or 1
        #: {target: its vocabulary map} when each target has its own; then
        #: ``shortlist`` is the map of the translator loaded now.
        self.shortlists = (
            {t: Path(p).expanduser() for t, p in shortlist.items()} if isinstance(shortlist, Mapping) else {}
        )
        if self.shortlists:
            shortlist = next(iter(self.shortlists.values()))
        self.shortlist = Path(shortlist).expanduser() if shortlist else None
        for sl in {self.shortlist, *self.shortlists.values()} - {None}:
            if not sl.is_file():
                raise FileNotFoundError(f"shortlist {sl} does not exist; build it with `toolkit models shortlist`")
        self.max_source_tokens = int(self.convert_info.get("max_source_positions") or 1024)
        try:
            if self.family.name == "nllb":
                self.tokenizer = NllbTokens(model_dir)
            else:
                from toolkit.translate.families.tokens import HFTokens

                self.tokenizer = HFTokens(model_dir, self.family)
        except Exception as e:
            raise ModelNotFoundError(
                f"{model_dir} has no usable tokenizer ({e}); reconvert with `toolkit models convert`, "
                f"which copies the tokenizer files into the folder"
            ) from e
        requested = compute_type or default_compute_type(device, self.convert_info.get("quantization"))
        # On a CPU, one replica per core, each on one thread: two cores then
        # decode two chunks side by side instead of splitting every matrix
        # product of one chunk between them. Measured on the 600M
        # architecture (2 cores, beam 4): two replicas of 8 sentences each ran
        # at 79 tok/s (1.39 GB), one two-thread translator with chunks of 9 at
        # 52 (1.12 GB); replicas share the weights, not the decoder caches.
        self.replicas = replicas or (min(self.threads, MAX_CPU_REPLICAS) if device == "cpu" else 1)
        self._requested_compute_type = requested
        self.reloads = 0
        self._load_translator()
        self.compute_type = self.translator.compute_type
        #: Memory guard: source tokens x beam in flight at once, over all
        #: replicas (0: no limit). On a GPU the runner's token budget alone decides.
        self.max_hyp_tokens = (
            max_hyp_tokens if max_hyp_tokens is not None else (CPU_HYP_TOKENS if device == "cpu" else 0)
        )
        #: Chunks translated again because the vocabulary-map bug (see
        #: ``_reset_output_layers``) reached them; reported in the provenance.
        self.vmap_retries = 0
        self._model_hash: str | None = None
        self._shortlist_hash: str | None = None
        self._tokens: dict[str, str | None] = {}
        #: A target token to count source lengths with (see HFEngine).
        self._count_target = (
            None
            if self.family.uses_source_token
            else next(iter(self.family.language_tokens(self.tokenizer.vocab)), None)
        )

    def _load_translator(self) -> None:
        import ctranslate2

        self.translator = None  # free the previous one (and its weights) before loading again
        with self._model_path() as path:
            self.translator = ctranslate2.Translator(
                str(path),
                device=self.device,
                compute_type=self._requested_compute_type,
                intra_threads=max(1, self.threads // self.replicas) if self.device == "cpu" else 0,
                inter_threads=self.replicas,
            )

    def _use_target(self, tgt_lang: str) -> None:
        """With one map per target, load the translator with ``tgt_lang``'s
        (none when it has none): the pipeline translates a chunk one target
        at a time, so this reloads about once per target and chunk."""
        if not self.shortlists:
            return
        want = self.shortlists.get(tgt_lang)
        if want != self.shortlist:
            self.shortlist = want
            self.reloads += 1
            self._load_translator()

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

    def language_token(self, lang: str) -> str | None:
        """The model's token for an NLLB code (an error naming the model when it has none)."""
        if lang not in self._tokens:
            self._tokens[lang] = self.family.token_for(lang, self.tokenizer.vocab, self.model)
        return self._tokens[lang]

    def target_prefix(self, tgt_lang: str) -> list[str]:
        """What is forced at the start of the output: NLLB's ``[tgt_lang]``, M2M-100's ``[__xx__]``, or nothing."""
        return self.family.target_prefix(self.language_token(tgt_lang))

    def tokenize(self, texts: Sequence[str], src_lang: str, tgt_lang: str | None = None) -> list[list[str]]:
        """Source tokens as the model sees them: NLLB's ``[src_lang, ..., "</s>"]``,
        Marian's and MADLAD's with the target's token first (a placeholder one
        when ``tgt_lang`` is None: every target's is as long)."""
        src = self.language_token(src_lang) if self.family.uses_source_token else None
        tgt = self.language_token(tgt_lang) if tgt_lang is not None else self._count_target
        return self.tokenizer.encode(texts, src, tgt)

    def count_tokens(self, texts: Sequence[str], src_lang: str) -> list[int]:
        return [len(t) for t in self.tokenize(texts, src_lang)]

    def detokenize(self, tokens: Sequence[str]) -> str:
        return self.tokenizer.decode(tokens)

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
        nbest = self.translate_tokens_scored(
            sources, tgt_lang, max_new_tokens=max_new_tokens, min_new_tokens=min_new_tokens, beam_size=beam_size
        )
        return [hyps[0][0] for hyps in nbest]

    def translate_tokens_scored(
        self,
        sources: Sequence[Sequence[str]],
        tgt_lang: str,
        *,
        max_new_tokens: int,
        min_new_tokens: int = 0,
        beam_size: int | None = None,
        num_hypotheses: int = 1,
    ) -> list[list[tuple[list[str], float, int]]]:
        """``translate_tokens`` with ``num_hypotheses`` per source, best first,
        each as (tokens, mean log-probability per token, tokens scored)."""
        self._use_target(tgt_lang)
        s = self.settings
        beam = max(beam_size or s.num_beams, num_hypotheses)
        prefix = self.target_prefix(tgt_lang)
        options = dict(
            beam_size=beam,
            num_hypotheses=num_hypotheses,
            max_decoding_length=max_new_tokens + len(prefix),
            min_decoding_length=min_new_tokens + len(prefix) if min_new_tokens else 1,
            no_repeat_ngram_size=s.no_repeat_ngram_size,
            repetition_penalty=s.repetition_penalty,
            max_input_length=self.max_source_tokens,
            use_vmap=self.shortlist is not None,
            return_scores=True,
            **self.family.ct2_options(self.tokenizer.vocab, getattr(self.tokenizer, "pad_token", None)),
        )
        out: list[list[tuple[list[str], float, int]]] = [[] for _ in sources]
        chunks = self._chunks(sources, beam)
        # One chunk per replica at a time; each is its own asynchronous job,
        # so a chunk's content (and with a shortlist, its candidate set, hence
        # its output) does not depend on which replica runs it.
        for g in range(0, len(chunks), self.replicas):
            group = chunks[g : g + self.replicas]
            if self.shortlist is not None:
                self._reset_output_layers(tgt_lang)
            jobs = [self._submit(sources, chunk, prefix, options) for chunk in group]
            for chunk, job in zip(group, jobs, strict=True):
                results = self._collect(job, tgt_lang)
                if results is None:
                    results = self._retry(sources, chunk, tgt_lang, prefix, options)
                for i, (hyps, scores) in zip(chunk, results, strict=True):
                    out[i] = [
                        _mean_log_prob(toks, score, prefix, max_new_tokens)
                        for toks, score in zip(hyps, scores, strict=True)
                    ]
        return out

    def _submit(self, sources: Sequence[Sequence[str]], chunk: list[int], prefix: list[str], options: dict) -> list:
        return self.translator.translate_batch(
            [list(sources[i]) for i in chunk],
            target_prefix=[prefix] * len(chunk) if prefix else None,
            asynchronous=True,
            **options,
        )

    def _collect(self, job: list, tgt_lang: str) -> list[tuple[list[list[str]], list[float]]] | None:
        """The chunk's hypotheses and scores, or None when the vocabulary-map
        bug reached it: the call failed with CTranslate2's ``_M_range_check``,
        or a hypothesis does not start with the target language code (the
        stale table forced another token in its place)."""
        try:
            results = [r.result() for r in job]
        except IndexError:
            if self.shortlist is None:
                raise
            return None
        out = [(r.hypotheses, r.scores) for r in results]
        code = self.language_token(tgt_lang)
        if self.shortlist is not None and any(not h or h[0] != code for hyps, _ in out for h in hyps):
            return None
        return out

    def _retry(
        self, sources: Sequence[Sequence[str]], chunk: list[int], tgt_lang: str, prefix: list[str], options: dict
    ) -> list:
        """Run one chunk again after resetting every replica, one copy per
        replica at once: a reset reaches whichever replica is idle, and the
        one it missed tends to take a lone job next (seen: four misses in a
        row, a run lost). Any copy that passes ``_collect`` is the chunk's
        output, whichever replica ran it; the rest are dropped."""
        for _ in range(VMAP_ATTEMPTS):
            self.vmap_retries += 1
            self._reset_output_layers(tgt_lang)
            jobs = [self._submit(sources, chunk, prefix, options) for _ in range(self.replicas)]
            for results in [self._collect(job, tgt_lang) for job in jobs]:
                if results is not None:
                    return results
        raise RuntimeError(
            f"CTranslate2's vocabulary map kept corrupting the target language code ({VMAP_ATTEMPTS} tries); "
            "translate without the shortlist (--no-shortlist)"
        )

    def _chunks(self, sources: Sequence[Sequence[str]], beam: int) -> list[list[int]]:
        return plan_chunks([len(s) for s in sources], beam, self.max_hyp_tokens, self.replicas)

    def _reset_output_layers(self, tgt_lang: str) -> None:
        """Work around a CTranslate2 (4.8) vocabulary-map bug.

        ``Decoder::update_output_layer`` fills its original->restricted id
        table with ``emplace`` and clears it only when a call comes without
        the map, so once a replica has run one vmap batch, the next one maps
        the target prefix (our language code) with the old index: the code
        becomes another token, or the call fails with
        ``vector::_M_range_check``. A call without the map resets the
        replica that runs it; a two-token source and no decoding step make
        it cost a few milliseconds (a source of ``</s>`` alone is skipped as
        empty and resets nothing). One such call per replica is posted at
        once; which replica takes which is CTranslate2's choice, so
        ``_collect`` checks every chunk's prefix and ``_retry`` reruns a
        chunk that a stale table reached. tests/test_shortlist.py checks that
        batch after batch gives what a fresh translator gives.
        """
        code = self.language_token(tgt_lang)
        jobs = [
            self.translator.translate_batch(
                [[code, "</s>"]],
                target_prefix=[[code]],
                max_decoding_length=1,
                beam_size=1,
                use_vmap=False,
                asynchronous=True,
            )
            for _ in range(self.replicas)
        ]
        for job in jobs:
            for r in job:
                r.result()

    def translate_batch(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[str]:
        return [h.text for h in self.translate_scored(texts, src_lang, tgt_lang)]

    def translate_scored(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[Hypothesis]:
        return [hs[0] for hs in self._decode(texts, src_lang, tgt_lang, None, 1)]

    def n_best(
        self, texts: Sequence[str], src_lang: str, tgt_lang: str, *, n: int, beam: int
    ) -> list[list[Hypothesis]]:
        return self._decode(texts, src_lang, tgt_lang, beam, n)

    def _decode(
        self, texts: Sequence[str], src_lang: str, tgt_lang: str, beam: int | None, n: int
    ) -> list[list[Hypothesis]]:
        if not texts:
            return []
        sources = self.tokenize(texts, src_lang, tgt_lang)
        # CTranslate2 takes one length limit per batch: the longest source's.
        # The runner sorts by length, so a batch's sources are close in length.
        # The transformers engine's limit counts the forced language code.
        longest = max(len(t) for t in sources)
        forced = len(self.target_prefix(tgt_lang))
        max_new = max(1, self.settings.max_new_tokens(longest, self.max_source_tokens) - forced)
        nbest = self.translate_tokens_scored(
            sources, tgt_lang, max_new_tokens=max_new, beam_size=beam, num_hypotheses=n
        )
        return [[Hypothesis(self.detokenize(t), score, k) for t, score, k in hyps] for hyps in nbest]

    # -- identity ---------------------------------------------------------------

    def model_hash(self) -> str:
        if self._model_hash is None:
            self._model_hash = folder_hash(self.model_dir, names=_MODEL_FILES)
        return self._model_hash

    def licence(self) -> str:
        """The folder's card (the converter copies it), the record's, or the source id's known licence."""
        found = model_licence(str(self.model_dir), self.model_dir)
        if found == UNKNOWN:
            source = str(self.convert_info.get("source_model") or "")
            found = self.convert_info.get("licence") or known_licence(source) or UNKNOWN
        return found

    def shortlist_hash(self) -> str | None:
        """The map's hash; with one map per target, the hash of every
        target's (so the run's signature and cache key cover them all)."""
        if self.shortlist is None and not self.shortlists:
            return None
        if self._shortlist_hash is None:
            if self.shortlists:
                per = "\n".join(f"{t}:{file_hash(p)}" for t, p in sorted(self.shortlists.items()))
                self._shortlist_hash = hashlib.sha256(per.encode()).hexdigest()
            else:
                self._shortlist_hash = file_hash(self.shortlist)
        return self._shortlist_hash

    def _shortlist_record(self) -> dict[str, str] | None:
        if self.shortlists:
            paths = " ".join(f"{t}={p}" for t, p in sorted(self.shortlists.items()))
            return {"path": paths, "hash": self.shortlist_hash(), "per_target": "yes"}
        return None if self.shortlist is None else {"path": str(self.shortlist), "hash": self.shortlist_hash()}

    def provenance(self) -> Provenance:
        """What this engine's translations depend on; ``compute_type`` is
        what CTranslate2 runs (an int8 folder may run as float32), and
        ``quantization`` what the weights were converted to."""
        import ctranslate2

        return Provenance(
            engine=self.name,
            model=str(self.model_dir),
            model_hash=self.model_hash(),
            compute_type=self.compute_type,
            quantization=self.convert_info.get("quantization"),
            source_model=self.convert_info.get("source_model"),
            source_hash=self.convert_info.get("source_hash"),
            family=self.family.name,
            licence=self.licence(),
            device=self.device,
            settings=asdict(self.settings),
            shortlist=self._shortlist_record(),
            versions=base_versions(ctranslate2=ctranslate2.__version__),
            runtime={
                "threads": self.threads,
                "replicas": self.replicas,
                "max_hyp_tokens": self.max_hyp_tokens,
                "max_source_tokens": self.max_source_tokens,
                "vmap_retries": self.vmap_retries,
                "reloads": self.reloads,
            },
        )
