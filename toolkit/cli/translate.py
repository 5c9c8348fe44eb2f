"""`toolkit translate IN_DIR --out RUN_DIR`: a folder of articles -> aligned translations."""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from tqdm import tqdm

from toolkit.checks.confidence import DEFAULT_MIN_CONFIDENCE
from toolkit.cli.app import EXIT_OK, EXIT_PARTIAL, app, fail, info, warn
from toolkit.display import shown
from toolkit.errors import ToolkitError
from toolkit.languages import parse_lang_list, to_nllb
from toolkit.run import RunPaths
from toolkit.translate.ct2 import COMPUTE_TYPES, CPU_HYP_TOKENS
from toolkit.translate.engine import DEFAULT_MODEL, Engine, GenerationSettings
from toolkit.translate.runner import DEFAULT_BATCH_TOKENS

if TYPE_CHECKING:  # the pipeline (and what it imports) loads only when a run starts
    from toolkit.checks.glossary import Glossary
    from toolkit.translate.pipeline import RunSummary, TranslateConfig
    from toolkit.translate.routing import EngineSpec


class EngineChoice(str, Enum):
    auto = "auto"
    ctranslate2 = "ctranslate2"
    transformers = "transformers"


class DeviceChoice(str, Enum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


#: CTranslate2's compute types (transformers takes float32, float16, bfloat16).
ComputeType = Enum("ComputeType", {c: c for c in COMPUTE_TYPES}, type=str)


@app.command()
def translate(
    in_dir: Path = typer.Argument(
        ..., help="Folder of articles (read recursively): .txt, .html, .md, .docx, .jsonl, .csv, .parquet, datasets."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Run folder to write (created if missing; resumes if present)."),
    to: str = typer.Option("eng_Latn,vie_Latn", "--to", help="Target languages, NLLB or ISO codes, comma-separated."),
    src: str | None = typer.Option(None, "--from", help="Source language of every document (default: detect each)."),
    model: list[str] = typer.Option(
        [],
        "--model",
        "-m",
        metavar="[SRC-TGT=]MODEL",
        help="[SRC-TGT=]hub id, HF or CTranslate2 folder; repeatable: a model per direction, the one without "
        f"SRC-TGT= for every other (default {DEFAULT_MODEL}). NLLB, M2M-100, Marian (OPUS-MT), MADLAD-400.",
    ),
    commercial: bool = typer.Option(
        False, "--commercial", help="Refuse a model whose licence does not allow commercial use (NLLB-200: CC-BY-NC)."
    ),
    engine: EngineChoice = typer.Option(
        EngineChoice.auto,
        "--engine",
        help="auto (CTranslate2, converting an HF model once), ctranslate2 or transformers.",
    ),
    device: DeviceChoice = typer.Option(DeviceChoice.auto, "--device", help="auto, cpu or cuda."),
    compute_type: ComputeType | None = typer.Option(  # type: ignore[valid-type]
        None,
        "--compute-type",
        help="Arithmetic to run in (default: int8 weights as int8 on a CPU, float16 on a GPU); "
        "transformers takes float32, float16 or bfloat16.",
    ),
    batch_size: int | None = typer.Option(None, "--batch-size", min=1, help="At most this many sentences a batch."),
    batch_tokens: int = typer.Option(
        DEFAULT_BATCH_TOKENS, "--batch-tokens", min=1, help="Token budget of a batch (padding included)."
    ),
    num_beams: int = typer.Option(
        GenerationSettings().num_beams,
        "--num-beams",
        min=1,
        help="Beam size: 1 is greedy, the fast default; 4 for quality.",
    ),
    shortlist: bool | None = typer.Option(
        None,
        "--shortlist/--no-shortlist",
        help="Restrict the output vocabulary (CTranslate2 only; on by default there).",
    ),
    max_hyp_tokens: int | None = typer.Option(
        None, "--max-hyp-tokens", min=1, help=f"CTranslate2, CPU: tokens x beam in flight (default {CPU_HYP_TOKENS})."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    text_field: str | None = typer.Option(None, "--text-field", help="Tables: the text column (text/content/body)."),
    id_field: str | None = typer.Option(None, "--id-field", help="Tables: the id column (default id, else row)."),
    cluster: str | None = typer.Option(
        None,
        "--cluster",
        help="Translate on Ray: local (an embedded Ray), auto (the running cluster) or HOST:PORT (that head).",
    ),
    workers: int = typer.Option(1, "--workers", min=1, help="With --cluster: engine actors (one model each)."),
    gpus_per_worker: float = typer.Option(0.0, "--gpus-per-worker", min=0.0, help="With --cluster: GPUs an actor."),
    follow_symlinks: bool = typer.Option(
        False, "--follow-symlinks", help="Also follow symbolic links that lead outside IN_DIR (default: skip them)."
    ),
    glossary: Path | None = typer.Option(
        None, "--glossary", help="TSV of terms and their allowed translations (term_missing; kept by --repair)."
    ),
    repair: bool = typer.Option(
        True, "--repair/--no-repair", help="Re-decode translations failing a figure, name or term check (beam 5)."
    ),
    round_trip: bool = typer.Option(
        False, "--round-trip", help="Back-translate, store chrF, flag round_trip_low (doubles the work)."
    ),
    min_confidence: float = typer.Option(
        DEFAULT_MIN_CONFIDENCE, "--min-confidence", help="low_confidence below this mean token log-probability."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace a run of other settings (targets, model, ...) in --out instead of refusing."
    ),
) -> None:
    """Translate every article under IN_DIR, sentence by sentence, into RUN_DIR."""
    from toolkit.translate.plan import check_run
    from toolkit.translate.same_run import check_same_run

    config = _config(to, src, batch_tokens, batch_size)
    config.text_field, config.id_field = text_field, id_field
    config.follow_symlinks = follow_symlinks
    config.glossary = _glossary(glossary)
    ct = compute_type.value if compute_type else None
    # Models and licences first: a refusal leaves nothing behind, not even the run folder.
    spec = _spec(model, config, round_trip, commercial, engine.value, device.value, ct, num_beams, shortlist)
    made = not out.exists()
    check_run(in_dir, out, follow_symlinks)  # a wrong folder is said before a model loads
    spec = replace(spec, max_hyp_tokens=max_hyp_tokens)
    if cluster is not None:  # the workers keep the replicas a single-machine run here has
        from toolkit.translate.cluster import default_replicas

        spec = replace(spec, replicas=None if gpus_per_worker else default_replicas(device.value))
    try:
        _check_models(spec, on_this_machine=cluster in (None, "local"))
    except ToolkitError:
        if made:  # check_run made it, empty: a refusal leaves nothing behind
            out.rmdir()
        raise
    for removed in check_same_run(out, in_dir, config.targets, config.src_lang, spec.primary, force):
        typer.echo(f"--force: removed {shown(removed)} of the earlier run", err=True)
    config.repair, config.round_trip, config.min_confidence = repair, round_trip, min_confidence
    if cluster is not None:
        summary = _on_cluster(in_dir, out, config, spec, (cluster, workers, gpus_per_worker), quiet)
    else:
        summary = _translate(in_dir, out, _load(spec), config, quiet)
    _report(summary, out, len(config.targets))


def _config(to: str, src: str | None, batch_tokens: int, batch_size: int | None) -> TranslateConfig:
    """The run's settings from the languages and batching options; a bad language code is exit 2."""
    from toolkit.translate.pipeline import TranslateConfig

    targets = parse_lang_list(to)
    src_lang = to_nllb(src) if src else None
    return TranslateConfig(targets=targets, src_lang=src_lang, max_batch_tokens=batch_tokens, max_batch=batch_size)


def _spec(
    models: list[str],
    config: TranslateConfig,
    round_trip: bool,
    commercial: bool,
    engine: str,
    device: str,
    compute_type: str | None,
    num_beams: int,
    shortlist: bool | None,
) -> EngineSpec:
    """The engine spec of the ``--model`` options, checked before anything
    loads: every direction of the run has a model (a back-translation's
    too), and with ``--commercial`` every model's licence allows it."""
    from toolkit.translate.routing import EngineSpec, plan_directions

    spec = EngineSpec.from_options(
        models,
        engine=None if engine == "auto" else engine,
        device=device,
        compute_type=compute_type,
        settings=GenerationSettings(num_beams=num_beams),
        shortlist=shortlist,
        targets=tuple(config.targets),
        directions=plan_directions(config.src_lang, config.targets, round_trip),
    )
    spec.check_directions(spec.directions)
    if commercial:
        spec.check_commercial()
    return spec


def _glossary(path: Path | None) -> Glossary | None:
    """The glossary, its bad lines reported one each (the run goes on); exit 2 when unreadable."""
    if path is None:
        return None
    from toolkit.checks.glossary import read_glossary

    g = read_glossary(path)
    for problem in g.problems:
        info(f"glossary: {problem}")
    info(f"glossary {path}: {len(g)} entries (sha256 {g.sha256[:12]})")
    return g


def _report(summary: RunSummary, out: Path, n_targets: int) -> None:
    info(summary.describe(n_targets))
    _report_encodings(summary)
    for s in summary.skips:
        info(f"skipped {shown(s.path)}{f':{s.line}' if s.line else ''}: {shown(s.reason)}")
    paths = RunPaths(out)
    info(f"wrote {shown(paths.bitext)}, {paths.info.name}, {paths.translations_dir.name}/, {paths.tmx_dir.name}/")
    raise typer.Exit(EXIT_OK if summary.ok else EXIT_PARTIAL)


def _report_encodings(summary: RunSummary) -> None:
    """The encodings read, and a warning naming each document that was not plain UTF-8."""
    info("encodings: " + ", ".join(f"{shown(k)}: {v}" for k, v in sorted(summary.encodings.items())))
    for path, encoding in summary.not_utf8.items():
        if encoding.startswith("utf-8 ("):
            warn(f"{shown(path)}: not valid UTF-8; its bad bytes were read as U+FFFD — check it, re-save it as UTF-8")
        elif not encoding.startswith("utf-"):
            warn(f"{shown(path)}: read as {encoding} (not UTF-8) — check its translation, re-save it as UTF-8")


def _on_cluster(
    in_dir: Path, out: Path, config: TranslateConfig, spec: EngineSpec, where: tuple[str, int, float], quiet: bool
) -> RunSummary:
    """The run with the translating done by Ray workers (toolkit.translate.cluster): the same run folder."""
    from toolkit.translate.cluster import ClusterOptions, translate_on_cluster

    address, workers, gpus = where
    names = ", ".join(r.label() for r in spec.models)
    info(f"translating on Ray ({address}, {workers} workers) with {names} ...")
    try:
        report = translate_on_cluster(in_dir, out, spec, config, ClusterOptions(address, workers, gpus))
    except ConnectionError as e:  # Ray's: no head at that address
        fail(str(e))
    info(
        f"workers: {report.units} units, {report.fresh} translations written, "
        f"{report.retranslated} already finished before"
    )
    return report.summary


def _translate(in_dir: Path, out: Path, eng: Engine, config: TranslateConfig, quiet: bool) -> RunSummary:
    """``translate_folder`` under a progress bar; a run-wide problem (``RunError``) is one line and exit 2."""
    from toolkit.translate.pipeline import translate_folder

    bar = tqdm(total=0, unit="sent", desc="translating", disable=quiet, dynamic_ncols=True)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        return translate_folder(in_dir, out, eng, config, progress=progress)
    finally:
        bar.close()


def _check_models(spec: EngineSpec, on_this_machine: bool) -> None:
    """Every model resolved and its engine's options checked, nothing loaded:
    a refusal is the only line, and the "loading ..." lines come only once
    loading starts. A remote cluster's workers find their own models and
    devices: only the options are checked here."""
    from toolkit.translate.loading import check_engine, check_options

    for model in spec.distinct_models():
        if on_this_machine:
            check_engine(model, spec.engine, spec.device, spec.compute_type, spec.shortlist, spec.max_hyp_tokens)
        else:
            check_options(model, spec.engine, spec.compute_type, spec.shortlist, spec.max_hyp_tokens)


def _load(spec: EngineSpec) -> Engine:
    """The engine of every model, each loaded once (a ToolkitError is one line and exit 2)."""
    from toolkit.translate.hub import is_ct2_model

    if spec.engine == "transformers" or not all(is_ct2_model(Path(m).expanduser()) for m in spec.distinct_models()):
        # transformers' own progress bars and its "sequence longer than the
        # model" warning (we split long sentences ourselves) would bury our
        # progress bar. Only where transformers runs (the reference engine,
        # or a checkpoint to convert): importing it costs a CTranslate2 folder's
        # run 0.8 s and 36 MB for nothing.
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    for route in spec.models:
        info(f"loading {route.label()} ({spec.engine or 'auto'}, device {spec.device}) ...")
    return spec.load()
