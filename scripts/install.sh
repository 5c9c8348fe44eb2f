#!/usr/bin/env bash
# Installs the toolkit into .venv and the Label Studio server into .venv-studio.
# Idempotent: a second run only checks. The server lives in its own virtualenv
# because label-studio pins versions that clash with `datasets`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

if [ ! -x .venv/bin/python ]; then
  echo "[install] creating .venv" >&2
  "$PY" -m venv .venv
fi
# torch first and pinned: a plain `torch` requirement would pull a multi-GB CUDA build.
.venv/bin/python -c "import torch" 2>/dev/null || .venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -e '.[dev]'

if [ ! -x .venv-studio/bin/label-studio ]; then
  echo "[install] creating .venv-studio (Label Studio server; takes a few minutes once)" >&2
  "$PY" -m venv .venv-studio
  .venv-studio/bin/pip install -q 'label-studio>=1.23,<1.24'
fi
