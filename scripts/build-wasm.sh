#!/usr/bin/env bash
# Builds the wasm module into pkg/ (never hand-edited): installs what is missing first (the wasm
# target, wasm-bindgen-cli at exactly the Cargo.lock version, npm packages incl. binaryen's wasm-opt).
set -euo pipefail
cd "$(dirname "$0")/.."
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
WB=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
# No --locked: its lockfile pins a crate the registry here does not serve (toolchain.md, gotcha 2).
[ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WB" ] || cargo install wasm-bindgen-cli --version "$WB"
[ -x node_modules/.bin/wasm-opt ] && [ -x node_modules/.bin/tsc ] && [ -x node_modules/.bin/esbuild ] && [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
# Node gets the fast build (opt-level 3); browsers the small one (profile release-size, opt-level
# "z", feature `small`: a smaller download, ~40% slower). The same results: the optimiser
# differs, and the few lines `small` chooses for size (see Cargo.toml).
# The Node build also inlines far more than LLVM's default (threshold 1000, default 225): a call
# costs much more in V8's wasm code than natively, and this measured +14% events/s without orders
# and +15% with the SMA strategy (400: +5%, 3000: +7%), for 35% more bytes. Natively the same
# setting measured no gain, so only this build has it. Profiles cannot carry llvm-args on stable
# Cargo, hence the variable; the size build stays as it is (it would grow 40% gzipped).
# It also uses 128-bit SIMD (every Node since 16.4 runs it): LLVM moves the engine's 16-byte
# decimals and its events in v128 loads and stores (a ranked sweep run: 0.430 -> 0.415 ms).
# Scalar float arithmetic is not reordered, so results are the same to the bit
# (tests/js/api.test.mjs compares the report with the native build's).
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C llvm-args=-inline-threshold=1000 -C target-feature=+simd128" cargo build --target wasm32-unknown-unknown --release
# The browser build uses 128-bit SIMD too, for size: a 16-byte decimal moves in one v128 load and
# store instead of two of each, which took 7.0 KB (1.9%) off the gzipped module. Browsers have run
# it since Chrome 91, Firefox 89 and Safari 16.4 (2021-2023); js/web-init.mjs says so on older ones.
# Its allocator is talc, and a little of its code is chosen for size (the `small` feature: see
# Cargo.toml).
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" cargo build --target wasm32-unknown-unknown --profile release-size --features small
rm -rf pkg/node pkg/web
wasm-bindgen --target nodejs --remove-name-section --remove-producers-section --out-dir pkg/node target/wasm32-unknown-unknown/release/tidemark.wasm
echo '{"type":"commonjs"}' > pkg/node/package.json   # pkg is CommonJS inside a "type":"module" package
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir pkg/web target/wasm32-unknown-unknown/release-size/tidemark.wasm
# npm binaryen 132 (Debian's wasm-opt 108 breaks the module). Node: -O3 (2-4% faster than -Oz
# here). Web: -Os without binaryen's inlining, which is what a download pays for: it made the
# file 9% smaller but 9% larger gzipped (measured on one module: none 406,789 bytes gzipped,
# -Oz --converge 444,471, -Os 444,457, -Os without inlining 400,724; no other single pass
# skipped gained more than 0.1%; the S&P 500 run as fast within this machine's noise).
node_modules/.bin/wasm-opt -O3 --enable-simd pkg/node/tidemark_bg.wasm -o pkg/node/tidemark_bg.wasm
# --low-memory-unused folds small constants added to addresses into the loads' and stores' offsets
# (1.3 KB gzipped). The two differ only when the add wraps past 4 GiB into the low 1 KB, which
# Rust's pointer arithmetic never does.
node_modules/.bin/wasm-opt -Os --skip-pass=inlining-optimizing --enable-simd --low-memory-unused pkg/web/tidemark_bg.wasm -o pkg/web/tidemark_bg.wasm
# `require('tidemark')` on every Node the engines field allows (require of ES modules needs 20.19):
# the Node entry bundled as CommonJS, loading the same pkg/node glue.
node_modules/.bin/esbuild js/index.mjs --bundle --platform=node --format=cjs --target=node20 \
  --external:../pkg/node/tidemark.js --outfile=pkg/index.cjs --log-level=warning \
  --define:import.meta.url=__tidemark_module_url \
  --banner:js="const __tidemark_module_url = require('node:url').pathToFileURL(__filename).href;"
for t in node web; do
  echo "wasm ($t): $(wc -c < pkg/$t/tidemark_bg.wasm) bytes, $(gzip -9 -c pkg/$t/tidemark_bg.wasm | wc -c) gzipped"
done
