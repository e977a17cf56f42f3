#!/usr/bin/env bash
# Downloads the pure-Python wheels the Pyodide test run needs (pytest and its dependencies, exact
# pins) into vendor/wheels/ (gitignored; tests/js/python.test.mjs calls this when they are missing).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p vendor/wheels
PY=python3
command -v "$PY" >/dev/null || { echo "python3 (with pip) is needed to download the test wheels"; exit 1; }
"$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: --python-version 3.14 \
  -d vendor/wheels \
  pytest==8.4.2 pluggy==1.6.0 iniconfig==2.1.0 packaging==25.0 pygments==2.19.2
ls vendor/wheels
