#!/usr/bin/env bash
# The whole test suite: install, lint, format check, unit and end-to-end tests
# (tiny models built locally, a real Label Studio server started by the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -q -ra "$@"
