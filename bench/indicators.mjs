// A JS RSI strategy with the RSI declared (computed in wasm, handed over with each event) against the
// same strategy computing it by hand in JS: source lines and events/s on the same bars, interleaved
// rounds, best of all (a shared machine's load bursts otherwise land on one side). The built-in
// (Rust, decimal) RSI strategy is the yardstick. Run: `node bench/indicators.mjs [bars]` after
// building the wasm. No test asserts a time.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tm from '../js/index.mjs';
import rsiReversion from '../examples/js/rsi_reversion.mjs';
import rsiDeclared from '../examples/js/rsi_declared.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const n = Number(process.argv[2] ?? 500_000);
const rounds = 5;

// Code lines of a strategy file: not blank, not a comment.
const lines = (p) => readFileSync(root + p, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('//')).length;

// A fixed random walk of daily bars (a linear congruential generator: the same bars every run).
let state = 12345;
const rand = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};
const cols = { time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
let price = 1000;
for (let i = 0; i < n; i++) {
  const open = price;
  price = Math.max(1, price * (1 + (rand() - 0.5) * 0.04));
  const close = Math.round(price * 100) / 100;
  cols.time[i] = Date.UTC(1990, 0, 1) + i * 86_400_000;
  cols.open[i] = Math.round(open * 100) / 100;
  cols.close[i] = close;
  cols.high[i] = Math.round(Math.max(open, close) * 1.005 * 100) / 100;
  cols.low[i] = Math.round(Math.min(open, close) * 0.995 * 100) / 100;
  cols.volume[i] = 1000;
}

const config = JSON.parse(readFileSync(root + 'data/sp500_sma_cross.json', 'utf8'));
delete config.strategy;
const sizing = { equity_fraction: { fraction: '1', whole_units: true } };
const runs = {
  'hand-written JS RSI': () => tm.backtest(config, cols, { logLevel: 'off', strategy: rsiReversion({ period: 14 }) }),
  'declared RSI (wasm)': () => tm.backtest(config, cols, { logLevel: 'off', strategy: rsiDeclared({ period: 14 }) }),
  'built-in rsi_reversion': () => tm.backtest({ ...config, strategy: { type: 'rsi_reversion', period: 14, sizing } }, cols, { logLevel: 'off' }),
};
const best = Object.fromEntries(Object.keys(runs).map((k) => [k, 0]));
const trades = {};
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(runs)) {
    const t0 = process.hrtime.bigint();
    const report = await run();
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    best[name] = Math.max(best[name], n / secs);
    trades[name] = report.trades.length;
  }
}
console.log(`RSI(14) reversion on ${n.toLocaleString('en-US')} synthetic bars (Node ${process.version}), best of ${rounds} interleaved runs`);
console.log(`  hand-written: examples/js/rsi_reversion.mjs, ${lines('examples/js/rsi_reversion.mjs')} code lines`);
console.log(`  declared:     examples/js/rsi_declared.mjs, ${lines('examples/js/rsi_declared.mjs')} code lines`);
for (const [name, eps] of Object.entries(best)) {
  console.log(`  ${name.padEnd(24)} ${Math.round(eps).toLocaleString('en-US').padStart(12)} events/s   ${trades[name]} closed trades`);
}
