#!/usr/bin/env bash
# The main job: install, translate seeds/ into runs/seeds, start a local Label
# Studio and push the run to it as project "seeds".
#   bash scripts/main_job.sh                 # default model facebook/nllb-200-distilled-600M (needs the hub once)
#   bash scripts/main_job.sh --model PATH    # a local HF or CTranslate2 model folder
#   bash scripts/main_job.sh --model tiny    # offline: the tiny test model (.cache/tiny-nllb-copy, built once,
#                                            # shared with scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL=facebook/nllb-200-distilled-600M
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    --model=*) MODEL="${1#--model=}"; shift ;;
    *) echo "usage: bash scripts/main_job.sh [--model PATH|tiny]" >&2; exit 2 ;;
  esac
done

bash scripts/install.sh
if [ "$MODEL" = tiny ]; then
  MODEL=$(.venv/bin/python models/tiny_cache.py)  # builds it the first time (a few minutes), then prints its folder
fi

# Exit code 1 means some documents were skipped (listed above); the rest is pushed anyway.
rc=0
.venv/bin/toolkit translate seeds --out runs/seeds --model "$MODEL" || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
.venv/bin/toolkit studio start
.venv/bin/toolkit push runs/seeds --project seeds
exit "$rc"
