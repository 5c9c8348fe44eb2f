"""One run per run folder: a folder that holds a run with other settings is refused, or rewritten whole.

A run folder must always describe one run: ``run.json``, ``bitext.jsonl``,
``translations/<target>/`` and ``tmx/`` of the same settings. Run again
with the same input, source language, targets and model, ``toolkit
translate`` resumes (the cache has the translations). With other settings
it would leave the earlier run's targets beside the new ``run.json`` (a
Vietnamese folder and TMX that the new run does not list, which a push
would then send), so it is refused with one line naming what differs,
unless ``--force``: then every output a run writes (``RUN_OUTPUTS``) is
removed first and the folder holds only the new run. Nothing else in the
folder is touched, and the translation cache stays (its entries are keyed
by model and settings, so no other run's translation is taken from it).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from toolkit.translate.summary import RunError

# What a run writes in its folder (toolkit.run.RunPaths); --force removes these and nothing else.
RUN_OUTPUTS = ("run.json", "bitext.jsonl", "translations", "tmx", "sources")


def differences(run_dir: Path, in_dir: Path, targets: list[str], src_lang: str | None, model: str) -> list[str]:
    """What differs between the run recorded in ``run_dir/run.json`` and these settings ([] if none, or no run)."""
    info_path = Path(run_dir) / "run.json"
    if not info_path.is_file():
        return []
    try:
        info = json.loads(info_path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return ["run.json cannot be read"]
    if not isinstance(info, dict):
        return ["run.json is not a run's record"]
    out = []
    if info.get("input") and info["input"] != str(Path(in_dir).resolve()):
        out.append(f"input {info['input']} (now {Path(in_dir).resolve()})")
    before = info.get("targets")
    if isinstance(before, list) and sorted(map(str, before)) != sorted(targets):
        out.append(f"targets {','.join(map(str, before))} (now {','.join(targets)})")
    src = src_lang or "auto"
    if info.get("src_lang", "auto") != src:
        out.append(f"source language {info.get('src_lang')} (now {src})")
    engine = info.get("engine") if isinstance(info.get("engine"), dict) else {}
    known = {str(v) for v in (info.get("model"), engine.get("model"), engine.get("source_model")) if v}
    given = str(Path(model).resolve()) if Path(model).exists() else model
    if known and given not in known and model not in known:
        out.append(f"model {info.get('model')} (now {model})")
    return out


def check_same_run(
    run_dir: Path, in_dir: Path, targets: list[str], src_lang: str | None, model: str, force: bool
) -> list[Path]:
    """Refuse (``RunError``) a run into a folder that holds one with other settings; with ``force``,
    remove the earlier run's outputs instead and return what was removed."""
    diff = differences(run_dir, in_dir, targets, src_lang, model)
    if not diff:
        return []
    if not force:
        raise RunError(
            f"{run_dir} holds a run with other settings ({'; '.join(diff)}): choose another --out, "
            "or pass --force to replace that run"
        )
    removed = []
    for name in RUN_OUTPUTS:
        path = Path(run_dir) / name
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        else:
            continue
        removed.append(path)
    return removed
