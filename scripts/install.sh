#!/usr/bin/env bash
# Installs the toolkit into .venv and the Label Studio server into .venv-studio.
# Idempotent: a second run only checks. The server lives in its own virtualenv
# because label-studio pins versions that clash with `datasets`.
# `--with-postgres` (or TOOLKIT_WITH_POSTGRES=1) also installs PostgreSQL from
# Debian's packages, for `toolkit studio start --database` and its tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
WITH_POSTGRES=${TOOLKIT_WITH_POSTGRES:-0}
for arg in "$@"; do
  case "$arg" in
    --with-postgres) WITH_POSTGRES=1 ;;
    *) echo "[install] unknown option $arg (known: --with-postgres)" >&2; exit 2 ;;
  esac
done

if [ ! -x .venv/bin/python ]; then
  echo "[install] creating .venv" >&2
  "$PY" -m venv .venv
fi
# torch first and pinned: a plain `torch` requirement would pull a multi-GB CUDA build.
.venv/bin/python -c "import torch" 2>/dev/null || .venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -e '.[dev,bench]'

if [ ! -x .venv-studio/bin/label-studio ]; then
  echo "[install] creating .venv-studio (Label Studio server; takes a few minutes once)" >&2
  "$PY" -m venv .venv-studio
  .venv-studio/bin/pip install -q 'label-studio>=1.23,<1.24'
fi

if [ "$WITH_POSTGRES" = 1 ]; then
  if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    echo "[install] installing PostgreSQL (Debian's postgresql package)" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  # Label Studio's PostgreSQL driver (a dependency of label-studio 1.23; checked, not assumed).
  .venv-studio/bin/python -c "import psycopg" 2>/dev/null || .venv-studio/bin/pip install -q 'psycopg[binary]>=3.1'
fi
