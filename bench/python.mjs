// Python (Pyodide) figures, measured in one run: the same backtest from Python and from JS (target:
// Python <= 1.2x the JS time), events/s with a trivial Python strategy (target >= 100,000) next to
// the same trivial JS strategy, and memory after a 1,000,000-event Python-strategy run.
// Run: `node bench/python.mjs` (or `npm run bench:python`) after building pkg/. Prints measured
// figures only; no target is asserted.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tm from '../js/index.mjs';
import { loadTidemarkPython } from '../js/pyodide.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const csv = readFileSync(root + 'data/ohlcv/sp500.csv', 'utf8');
const quick = { cash: 10_000, commission: 0.002, strategy: { type: 'sma_cross', fast: 10, slow: 20 } };
const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;

// n synthetic one-minute bars (a deterministic random walk) as typed-array columns.
function bars(n) {
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n).fill(1000);
  let price = 100;
  let seed = 42;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const next = Math.max(1, price * (1 + ((seed / 2 ** 31) - 0.5) * 0.002));
    time[i] = Date.UTC(2020, 0, 1) + i * 60_000;
    open[i] = +price.toFixed(4);
    close[i] = +next.toFixed(4);
    high[i] = Math.max(open[i], close[i]) + 0.01;
    low[i] = Math.min(open[i], close[i]) - 0.01;
    price = next;
  }
  return { time, open, high, low, close, volume };
}

const py = await loadTidemarkPython();
py.globals.set('CSV', csv);
const pyQuick = py.runPython(`
import json, time, tidemark
QUICK = json.loads(${JSON.stringify(JSON.stringify(quick))})
async def quick_once(full=False):
    t0 = time.perf_counter()
    r = await tidemark.backtest(QUICK, CSV)
    assert r.stats["# Trades"] == 130
    if full:  # every part of the report as Python objects
        assert len(r.trades) == 130 and len(r.equity_curve) == 5031 and r.to_dict()
    return time.perf_counter() - t0

class Trivial(tidemark.Strategy):
    def __init__(self):
        self.n = 0
    def on_market(self, view):
        self.n += 1

async def trivial(data, n):
    s = Trivial()
    t0 = time.perf_counter()
    await tidemark.backtest({"cash": 10_000}, data, strategy=s, log_level="off", slice_events=100_000)
    dt = time.perf_counter() - t0
    assert s.n == n, (s.n, n)
    return dt
quick_once
`);
const pyTrivial = py.globals.get('trivial');

// 1. The same backtest (S&P 500, SMA 10/20), best of 10 each, interleaved.
let bestPy = Infinity;
let bestPyFull = Infinity;
let bestJs = Infinity;
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  const r = await tm.backtest(quick, csv);
  bestJs = Math.min(bestJs, (performance.now() - t0) / 1000);
  if (r.summary.portfolio.trades !== 130) throw new Error('unexpected JS result');
  bestPy = Math.min(bestPy, await pyQuick());
  bestPyFull = Math.min(bestPyFull, await pyQuick(true));
}
console.log(`same backtest (5,031 bars, SMA 10/20, report included), best of 10:`);
console.log(`  JS     ${(bestJs * 1000).toFixed(1)} ms`);
console.log(`  Python ${(bestPy * 1000).toFixed(1)} ms  (${(bestPy / bestJs).toFixed(2)}x JS; summary and stats read, trades and equity curve cross on first use)`);
console.log(`  Python ${(bestPyFull * 1000).toFixed(1)} ms  (${(bestPyFull / bestJs).toFixed(2)}x JS; with every trade and equity point as Python objects, and to_dict())`);

// 2. Events/s with a trivial strategy hook: Python vs JS, 200,000 bars, best of 3.
const n = 200_000;
const cols = bars(n);
let bestPyHook = Infinity;
let bestJsHook = Infinity;
for (let i = 0; i < 3; i++) {
  let count = 0;
  const t0 = performance.now();
  await tm.backtest({ cash: 10_000 }, cols, { strategy: { onMarket: () => { count++; } }, logLevel: 'off', sliceEvents: 100_000 });
  bestJsHook = Math.min(bestJsHook, (performance.now() - t0) / 1000);
  if (count !== n) throw new Error('unexpected JS hook count');
  bestPyHook = Math.min(bestPyHook, await pyTrivial(cols, n));
}
console.log(`trivial strategy hook, ${n.toLocaleString('en')} bars (columns), best of 3:`);
console.log(`  JS hook     ${Math.round(n / bestJsHook).toLocaleString('en')} events/s`);
console.log(`  Python hook ${Math.round(n / bestPyHook).toLocaleString('en')} events/s`);

// 3. Memory after a 1,000,000-event Python-strategy run.
const heap = () => py._module.HEAP8.length;
global.gc?.();
const before = { rss: process.memoryUsage().rss, pyHeap: heap() };
const million = bars(1_000_000);
const t0 = performance.now();
const dt = await pyTrivial(million, 1_000_000);
const wall = (performance.now() - t0) / 1000;
py.runPython('import gc; gc.collect()');
global.gc?.();
const after = { rss: process.memoryUsage().rss, pyHeap: heap() };
console.log(`1,000,000-event Python-strategy run: ${dt.toFixed(2)} s in Python (${wall.toFixed(2)} s wall), ${Math.round(1e6 / dt).toLocaleString('en')} events/s`);
console.log(`  process RSS ${mb(before.rss)} before -> ${mb(after.rss)} after`);
console.log(`  Pyodide wasm heap ${mb(before.pyHeap)} before -> ${mb(after.pyHeap)} after`);
