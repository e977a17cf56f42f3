#!/usr/bin/env bash
# Runs the main job on the bundled sample data: an SMA cross backtest on the S&P 500 daily file,
# and barter's example market data (with disconnects) through barter's example config.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo is required (rustup.rs)"; exit 1; }
cargo build --release --example backtest
B=target/release/examples/backtest
"$B" --config data/sp500_sma_cross.json --data data/ohlcv/sp500.csv
echo
"$B" --config data/barter/system_config.json --data data/barter/binance_spot_market_data_with_disconnect_events.json \
  --strategy '{"type":"buy_and_hold","sizing":{"fixed_quantity":"0.0001"}}'
