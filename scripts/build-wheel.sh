#!/usr/bin/env bash
# Builds the Python package's wheel (tidemark-<version>-py3-none-any.whl, pure Python) and sdist
# into dist/ with the standard backend (hatchling, pinned in python/pyproject.toml) through
# `python -m build` in a throwaway venv (PyPI is needed the first time for build and hatchling).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${TIDEMARK_BUILD_VENV:-${TMPDIR:-/tmp}/tidemark-build-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check build==1.3.0
fi
rm -rf python/build python/*.egg-info
"$VENV/bin/python" -m build --outdir dist python/ >/dev/null
version=$(node -p "require('./package.json').version")
wheel="dist/tidemark-${version}-py3-none-any.whl"
[ -f "$wheel" ] || { echo "expected $wheel"; ls dist; exit 1; }
# The wheel holds the package and its metadata only.
python3 - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
assert "tidemark/__init__.py" in names and "tidemark/py.typed" in names, names
assert all(n.startswith(("tidemark/", "tidemark-")) for n in names), names
PY
echo "$wheel"
