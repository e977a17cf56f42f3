#!/usr/bin/env bash
# Runs every test: the fmt, clippy and lint guards, native unit/integration/property tests, a short
# fuzz run, the examples and benchmark build, the
# guard that the core never names wasm-bindgen, the generated TypeScript unions (a cargo test), the
# wasm build (installing what is missing), a tsc check of the declarations, and the Node tests
# against the built package.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo is required (rustup.rs)"; exit 1; }
if grep -rn "wasm_bindgen" src --include=*.rs | grep -v "^src/wasm/"; then
  echo "the core must not name wasm_bindgen (only src/wasm/ may)"; exit 1
fi
# The everyday guards: rustfmt (rustfmt.toml), clippy with warnings as errors (src/lib.rs denies
# unwrap/expect/panic outside tests), then every native test.
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test --release --all-targets --no-fail-fast
# Coverage-guided fuzzing, short: every target replays its committed corpus and fuzzes 10 s more
# (fuzz/README.md has the long runs' figures).
bash scripts/fuzz-smoke.sh
bash scripts/sample.sh --no-serve > /dev/null   # --no-serve: stop before serving the playground
echo "sample run: ok"
command -v node >/dev/null || { echo "node (>= 20) is required for the wasm tests"; exit 1; }
bash scripts/build-wasm.sh
cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings   # the bindings too (src/wasm/)
cargo clippy --target wasm32-unknown-unknown --lib --features small -- -D warnings   # and the browser build's
node_modules/.bin/biome lint --error-on-warnings   # JS lint over js/, bin/, scripts/, tests/ (biome.json)
node_modules/.bin/tsc -p tests/types   # the TypeScript declarations accept real usage, refuse misuse
echo "typescript declarations: ok"
# Browser tests drive Debian's Chromium (Playwright's own browser downloads are not reachable here).
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium > /dev/null
fi
node --test tests/js/
