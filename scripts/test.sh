#!/usr/bin/env bash
# The whole test suite: install, lint, format check, unit and end-to-end tests
# (tiny models built locally, a real Label Studio server started by the tests,
# on SQLite and on a throwaway PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --with-postgres  # the PostgreSQL tests run too (tests/test_studio_postgres.py)
# The browser test (tests/test_screenshot_task.py) needs Debian's Chromium and its driver (Selenium is a dev extra):
# installed (with the fonts that draw emoji and Thai) only when a package is missing, so a second
# run does nothing here.
BROWSER_PKGS=(chromium chromium-driver fonts-noto-color-emoji fonts-thai-tlwg)
if command -v apt-get >/dev/null && ! dpkg -s "${BROWSER_PKGS[@]}" >/dev/null 2>&1; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${BROWSER_PKGS[@]}"
fi
# tests/test_cluster.py runs a real Ray (the cluster extra)
.venv/bin/python -c "import ray.data" 2>/dev/null || .venv/bin/pip install -q -e '.[cluster]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -q -ra "$@"
