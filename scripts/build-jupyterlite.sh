#!/usr/bin/env bash
# Builds a JupyterLite site (jupyterlite/dist/, gitignored) that opens notebooks/quickstart.ipynb
# and runs it offline: Pyodide from the npm `pyodide` package (static/pyodide/), the Pyodide
# packages its kernel loads (micropip, IPython and its dependencies: pure-Python wheels from PyPI
# at the versions of pyodide-lock.json, their hashes written into the local lock), the kernel's
# own wheels (piplite, pyodide_kernel, ipykernel shim: shipped by jupyterlite-pyodide-kernel),
# `comm` and the tidemark wheel through piplite, and the engine bundle (static/tidemark/).
# PyPI is needed the first time (the venv .jlite-venv/ and the wheels in .jlite-venv/wheels/ are
# kept for later runs). Usage: bash scripts/build-jupyterlite.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$(realpath -m "${1:-jupyterlite/dist}")
VENV="$ROOT/.jlite-venv"
WHEELS="$VENV/wheels"
JLITE_VERSION=0.8.6

# jupyter_server: jupyterlite-core needs it to index the notebook and data as contents.
if ! "$VENV/bin/python" -c "import jupyter_server, jupyterlite_pyodide_kernel" 2>/dev/null; then
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "jupyterlite-core==$JLITE_VERSION" "jupyterlite-pyodide-kernel==$JLITE_VERSION" "jupyter_server==2.*"
fi

version=$(node -p "require('./package.json').version")
wheel="dist/tidemark-${version}-py3-none-any.whl"
[ -f "$wheel" ] || bash scripts/build-wheel.sh >/dev/null

# The Pyodide packages the kernel loads, at the lock's versions (pure Python: PyPI has them).
PYVER=$(node -p "require('./node_modules/pyodide/pyodide-lock.json').info.python.split('.').slice(0,2).join('.')")
mkdir -p "$WHEELS"
mapfile -t specs < <(python3 - <<'PY'
import json
packages = json.load(open("node_modules/pyodide/pyodide-lock.json"))["packages"]
norm = lambda s: s.lower().replace("_", "-")
lock = {norm(k): v for k, v in packages.items()}  # depends say prompt_toolkit, the key prompt-toolkit
seen, todo = set(), ["micropip", "ipython", "jedi"]  # jedi: the kernel's completions
while todo:
    name = norm(todo.pop())
    if name in seen or name not in lock:
        continue
    seen.add(name)
    todo += lock[name]["depends"]
for name in sorted(seen):
    print(f"{lock[name]['name']}=={lock[name]['version']}")
PY
)
for spec in "${specs[@]}" comm==0.2.3; do
  name=${spec%%==*}
  ls "$WHEELS" | grep -qi "^$(echo "$name" | tr '-' '_')-${spec##*==}-" && continue
  "$VENV/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --python-version "$PYVER" --platform any -d "$WHEELS" "$spec"
done

# The engine for the kernel (its Worker imports it) and the notebook with its setup cell.
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/files/data/ohlcv"
cp data/ohlcv/sp500.csv "$STAGE/files/data/ohlcv/"
cp data/sp500_sma_cross.json "$STAGE/files/data/"
python3 - "$STAGE/files/quickstart.ipynb" <<'PY'
import json, sys
nb = json.load(open("notebooks/quickstart.ipynb"))
setup = open("jupyterlite/setup_cell.py").read()
cell = {"cell_type": "code", "execution_count": None, "id": "jupyterlite-setup", "metadata": {}, "outputs": [],
        "source": setup.splitlines(True)}
first_code = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
nb["cells"].insert(first_code, cell)
json.dump(nb, open(sys.argv[1], "w"), indent=1)
PY
cat > "$STAGE/jupyter-lite.json" <<'JSON'
{
  "jupyter-lite-schema-version": 0,
  "jupyter-config-data": {
    "appName": "Tidemark JupyterLite",
    "exposeAppInBrowser": "true",
    "litePluginSettings": {
      "@jupyterlite/pyodide-kernel-extension:kernel": {
        "pyodideUrl": "./static/pyodide/pyodide.mjs",
        "disablePyPIFallback": true
      }
    }
  }
}
JSON
rm -rf "$OUT"
(cd "$STAGE" && "$VENV/bin/jupyter" lite build --no-sourcemaps --lite-dir "$STAGE" --output-dir "$OUT" \
  --contents "$STAGE/files" --piplite-wheels "$ROOT/$wheel" --piplite-wheels "$(ls "$WHEELS"/comm-*.whl)" >"$STAGE/build.log" 2>&1) \
  || { cat "$STAGE/build.log"; exit 1; }

# Pyodide, served by the site itself, with the lock pointing at the PyPI wheels above.
mkdir -p "$OUT/static/pyodide" "$OUT/static/tidemark"
for f in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json; do
  cp "node_modules/pyodide/$f" "$OUT/static/pyodide/"
done
cp "$WHEELS"/*.whl "$OUT/static/pyodide/"
python3 - "$OUT/static/pyodide" <<'PY'
import hashlib, json, os, sys
d = sys.argv[1]
lock_path = os.path.join(d, "pyodide-lock.json")
lock = json.load(open(lock_path))
norm = lambda s: s.lower().replace("-", "_")
wheels = {norm(f.split("-")[0]): f for f in os.listdir(d) if f.endswith(".whl")}
for pkg in lock["packages"].values():
    f = wheels.get(norm(pkg["name"]))
    if f and f.split("-")[1] == pkg["version"]:
        pkg["file_name"] = f
        pkg["sha256"] = hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
json.dump(lock, open(lock_path, "w"))
PY
node_modules/.bin/esbuild jupyterlite/tidemark-lite.mjs --bundle --format=esm --minify --log-level=warning \
  --external:'node:*' --external:pyodide --external:'*/web.mjs' --external:'*/index.mjs' \
  --outfile="$OUT/static/tidemark/tidemark-lite.js"
cp pkg/web/tidemark_bg.wasm "$OUT/static/tidemark/"
echo "$OUT"
