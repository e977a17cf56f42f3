#!/usr/bin/env bash
# Runs the main job on the bundled sample data: an SMA cross backtest on the S&P 500 daily file,
# barter's example market data (with disconnects) through barter's example config, and (with Node)
# the WebAssembly build running a JS strategy through the CLI. Then (with Node) it builds the
# browser playground and serves it on 127.0.0.1, printing its URL, until Ctrl-C; the page opens on
# the same S&P 500 run. With CI set, or --no-serve, it stops after the terminal runs.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo is required (rustup.rs)"; exit 1; }
cargo build --release --example backtest
B=target/release/examples/backtest
"$B" --config data/sp500_sma_cross.json --data data/ohlcv/sp500.csv
echo
"$B" --config data/barter/system_config.json --data data/barter/binance_spot_market_data_with_disconnect_events.json \
  --strategy '{"type":"buy_and_hold","sizing":{"fixed_quantity":"0.0001"}}'
# The same engine compiled to WebAssembly, from Node: the CLI with a strategy written in JS
# (backtesting.py's SmaCross, examples/js/sma_cross.mjs) on the same S&P 500 file.
if command -v node >/dev/null; then
  echo
  bash scripts/build-wasm.sh > /dev/null
  node bin/tidemark.mjs backtest --config data/sp500_sma_cross.json --data data/ohlcv/sp500.csv \
    --strategy examples/js/sma_cross.mjs --param fast=10 --param slow=20 --interval annual252
else
  echo "(node not found: skipping the WebAssembly run and the playground)"
  exit 0
fi
if [[ -n "${CI:-}" || " $* " == *" --no-serve "* ]]; then
  exit 0
fi
# The playground: esbuild (a devDependency) bundles it; npm ci installs the locked packages once.
[[ -x node_modules/.bin/esbuild ]] || npm ci --no-audit --no-fund > /dev/null
node scripts/build-www.mjs
echo
exec node scripts/serve-www.mjs
